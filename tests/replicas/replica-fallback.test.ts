/**
 * The fallback when a replica fails a read, deterministically (PostgreSQL only:
 * skipped on PGlite, which has no replicas). The "replica" here is the test's
 * own database given as DATABASE_READ_URL (a server that is not in recovery
 * counts as caught up), so no private servers are needed; the probe interval
 * is long, so only the failed read itself can mark it down.
 */
import type { TestDatabase } from "../support/database";
import { createTestDatabase } from "../support/database";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

const describeOnPostgres = process.env.DATABASE_URL ? describe : describe.skip;
if (!process.env.DATABASE_URL) console.info("replica-fallback.test.ts skipped: read replicas need PostgreSQL");

describeOnPostgres("a replica that fails a read (PostgreSQL only; skipped on PGlite)", () => {
  let server: TestServer;
  const FRONT = `{ articles(first: 3) { nodes { title authors { name } } } }`;
  const read = async (token?: string) => {
    const before = [server.db.primarySql.total, server.db.replicas!.replicas[0].sql.total];
    const res = await server.post({ query: FRONT }, token ? { token } : {});
    const after = [server.db.primarySql.total, server.db.replicas!.replicas[0].sql.total];
    return { res, primary: after[0] - before[0], replica: after[1] - before[1] };
  };
  const readyz = async () => (await fetch(server.url.replace(/\/graphql$/, "/readyz"))).json();

  let database: TestDatabase;

  // A server per test: the second one breaks its replica.
  beforeEach(async () => {
    database = await createTestDatabase();
    server = await startTestServer({
      databaseUrl: database.databaseUrl,
      databaseReadUrls: [database.databaseUrl!],
      databaseReadProbeMs: 600_000,
      responseCache: false,
    });
  });
  afterEach(async () => {
    try {
      await server?.stop();
    } finally {
      await database?.drop();
    }
  });

  it("routes an anonymous query to the replica's pool, an authenticated one to the primary", async () => {
    const anonymous = await read();
    expect(anonymous.res.json.data.articles.nodes).toHaveLength(3);
    expect([anonymous.primary, anonymous.replica > 0]).toEqual([0, true]);
    const token = await server.token("fallback-editor", "EDITOR");
    const authenticated = await read(token);
    expect(authenticated.res.json.data.articles.nodes).toHaveLength(3);
    expect([authenticated.replica, authenticated.primary > 0]).toEqual([0, true]);
    expect(await readyz()).toMatchObject({ status: "ready", readReplicas: "up" });
    const name = server.db.replicas!.replicas[0].name;
    const metrics = await (await fetch(server.url.replace(/\/graphql$/, "/metrics"))).text();
    expect(metrics).toContain(`newsgraph_db_replica_up{replica="${name}"} 1`);
  });

  it("retries the read on the primary (the request does not fail) and marks the replica down until a probe passes", async () => {
    const [replica] = server.db.replicas!.replicas;
    await replica.pool.end(); // every statement sent to it now fails
    const failed = await read();
    expect(failed.res.status).toBe(200);
    expect(failed.res.json.errors).toBeUndefined();
    expect(failed.res.json.data.articles.nodes).toHaveLength(3);
    // One statement reached the replica and failed; it and the rest of the request went to the primary.
    expect(failed.replica).toBe(1);
    expect(failed.primary).toBeGreaterThan(0);
    expect(replica.up).toBe(false);
    expect(await readyz()).toMatchObject({ status: "ready", readReplicas: "degraded", readReplicasDown: replica.name });
    const metrics = await (await fetch(server.url.replace(/\/graphql$/, "/metrics"))).text();
    expect(metrics).toContain(`newsgraph_db_replica_up{replica="${replica.name}"} 0`);
    // Down: nothing is sent to it any more.
    const next = await read();
    expect([next.replica, next.primary > 0]).toEqual([0, true]);
    // The probe fails too (its pool is gone), with its timeout: still down.
    await server.db.replicas!.probe();
    expect(replica.up).toBe(false);
  });
});
