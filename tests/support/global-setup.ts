import "reflect-metadata";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Database } from "../../src/db/database";
import { createLogger } from "../../src/logger";
import { entities } from "../../src/modules";
import { migrations } from "../../migrations";
import { provideTestRedis } from "./global-redis";

/**
 * Embedded mode: creating a PGlite cluster takes seconds, reopening one takes a
 * fraction of that. So the run migrates one template cluster here, and every
 * test file opens its own copy of it (tests/support/server.ts).
 */
export default async function globalSetup(): Promise<void> {
  // One id for the run: the build steps (tests/support/build-once.ts) run once in it, whichever file asks first.
  process.env.NEWSGRAPH_TEST_RUN = `${process.pid}-${Date.now()}`;
  (globalThis as { __NEWSGRAPH_TEST_REDIS__?: unknown }).__NEWSGRAPH_TEST_REDIS__ = await provideTestRedis();
  if (process.env.DATABASE_URL) return;
  const dir = mkdtempSync(join(tmpdir(), "newsgraph-template-"));
  const db = await Database.open({
    dataDir: dir,
    poolSize: 1,
    statementTimeoutMs: 0,
    entities,
    migrations,
    logger: createLogger("warn"),
  });
  await db.migrate();
  await db.close();
  process.env.NEWSGRAPH_PGLITE_TEMPLATE = dir;
}
