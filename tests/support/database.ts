import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "pg";

/** A database of this test file's own: a fresh PostgreSQL database, or a copy of the PGlite template. */
export interface TestDatabase {
  databaseUrl?: string;
  dataDir: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const admin = process.env.DATABASE_URL;
  if (admin) {
    const name = `newsgraph_test_${process.pid}_${randomBytes(4).toString("hex")}`;
    const client = new Client({ connectionString: admin });
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
    await client.end();
    const url = new URL(admin);
    url.pathname = `/${name}`;
    return {
      databaseUrl: url.toString(),
      dataDir: "memory://",
      async drop() {
        const c = new Client({ connectionString: admin });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const template = process.env.NEWSGRAPH_PGLITE_TEMPLATE;
  if (!template) throw new Error("tests/support/global-setup.ts did not prepare a PGlite template");
  const dataDir = mkdtempSync(join(tmpdir(), "newsgraph-test-"));
  cpSync(template, dataDir, { recursive: true });
  return {
    dataDir,
    async drop() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
