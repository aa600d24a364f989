import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import type { DataDirOwner } from "./data-dir-lock";
import { lockDataDir } from "./data-dir-lock";

export interface EmbeddedPostgres {
  /** A connection string for the ordinary `pg` driver. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts PGlite (PostgreSQL compiled to WebAssembly, in this process) and serves
 * it on a loopback port over the PostgreSQL wire protocol. The application then
 * talks to it through the same `pg` driver, type parsers and SQL as to a real
 * server: one code path for both database modes.
 *
 * PGlite is a single-connection database, so the pool in front of it must hold
 * one connection (see Database.open in database.ts); transactions then
 * serialise, which is correct, and slow only under heavy concurrent writes.
 *
 * PGlite also serves one process: a data directory is locked for the server
 * or one run of the CLI (DataDirInUseError for anyone else), so that no
 * process writes to a copy another one will overwrite.
 */
export async function startEmbeddedPostgres(dataDir: string, owner: DataDirOwner): Promise<EmbeddedPostgres> {
  let location = dataDir;
  let lock: { release(): void } | undefined;
  if (!dataDir.startsWith("memory://")) {
    location = resolve(dataDir);
    mkdirSync(location, { recursive: true });
    lock = lockDataDir(location, owner);
  }
  try {
    const db = await PGlite.create(location);
    const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0 });
    await server.start();
    const address = server["server"]?.address();
    if (!address || typeof address === "string") throw new Error("embedded database did not get a port");
    return {
      url: `postgres://postgres@127.0.0.1:${address.port}/postgres`,
      async stop() {
        try {
          await server.stop();
          await db.close();
        } finally {
          lock?.release();
        }
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}
