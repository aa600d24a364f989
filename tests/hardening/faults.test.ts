/**
 * Faults against a real PostgreSQL and a real Redis, both private to this file
 * (started here on free ports; the shared PostgreSQL on 5432 is never
 * stopped). PostgreSQL locked, stopped and frozen while requests run: requests
 * end (no hang past the statement timeout), errors are masked, /readyz turns
 * 503, nothing is half-written, and the service recovers without a restart.
 * Redis stopped: /readyz stays 200 and reports redis degraded (the instance
 * serves on its fallbacks), reads and writes still work, and it recovers.
 * A stalled Redis is in redis-stall.test.ts.
 *
 * The PostgreSQL part needs only the PostgreSQL binaries (not DATABASE_URL), so
 * it runs in both test modes; the Redis part runs on the mode's own database.
 */
import "reflect-metadata";
import { Client } from "pg";
import { print } from "graphql";
import { loadConfig } from "../../src/config";
import { Role } from "../../src/modules/auth/role";
import { insertAuthor } from "../../src/modules/author/author-insert";
import type { NewsgraphServer } from "../../src/server";
import { createServer } from "../../src/server";
import { HardeningCreateArticleDocument } from "../generated/graphql";
import type { CapturedLogger, RawResponse } from "../support/hardening-helpers";
import {
  captureLogger,
  linesWith,
  postJson,
  rawRequest,
  rootUrl,
  sleep,
  SQL_TEXT,
  STACK_TRACE,
  waitFor,
} from "../support/hardening-helpers";
import type { PrivatePostgres, PrivateRedis } from "../support/hardening-processes";
import { hasRedis, postgresBinDir, startPrivatePostgres, startPrivateRedis } from "../support/hardening-processes";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

jest.setTimeout(180_000);

const STATEMENT_TIMEOUT_MS = 2000;
/** No request may take longer than this, whatever the database does (pool connect timeout 5 s + statement timeout + slack). */
const NO_HANG_MS = 20_000;
const TOPICS = ["science", "city-hall"];

const CREATE = print(HardeningCreateArticleDocument);
const READ = "{ viewer { role } articles(first: 3) { totalCount nodes { id title topics { slug } } } }";

/**
 * Every error in a body is masked: INTERNAL_SERVER_ERROR with a request id; no SQL, driver text or stack.
 * A database outage is retriable, and says so.
 */
function expectMasked(res: RawResponse, label: string) {
  expect([label, res.text]).not.toEqual([label, expect.stringMatching(SQL_TEXT)]);
  expect([label, res.text]).not.toEqual([label, expect.stringMatching(STACK_TRACE)]);
  const errors: any[] = res.json?.errors ?? [];
  expect([label, errors.length > 0]).toEqual([label, true]);
  for (const e of errors) {
    expect([label, e.message, e.extensions]).toEqual([
      label,
      "Internal server error",
      { code: "INTERNAL_SERVER_ERROR", requestId: expect.any(String), retriable: true },
    ]);
  }
}

const describePg = postgresBinDir() ? describe : describe.skip;

describePg("a private PostgreSQL", () => {
  let pg: PrivatePostgres;
  let server: NewsgraphServer;
  let log: CapturedLogger;
  let writer: string;
  const admin = () => new Client({ connectionString: pg.url("newsgraph") });

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    const c = new Client({ connectionString: pg.url() });
    await c.connect();
    await c.query("CREATE DATABASE newsgraph");
    await c.end();
    log = captureLogger("info");
    const config = loadConfig(
      {},
      {
        databaseUrl: pg.url("newsgraph"),
        dataDir: "memory://",
        port: 0,
        host: "127.0.0.1",
        statementTimeoutMs: STATEMENT_TIMEOUT_MS,
        seedDemo: true,
        schedulerIntervalMs: 0,
        production: true,
        logLevel: "info",
        dbPoolSize: 8,
      },
    );
    server = await createServer(config, { logger: log.logger });
    await server.start();
    await insertAuthor(server.db, { slug: "fault-writer", name: "Fault Writer" });
    writer = await server.services.auth.createToken("fault-writer", Role.WRITER);
  });
  afterAll(async () => {
    try {
      await server?.stop();
    } finally {
      pg?.destroy();
    }
  });

  const readyz = () => rawRequest(rootUrl(server.url) + "/readyz", { timeoutMs: NO_HANG_MS });

  test("up: /readyz 200 and queries answer", async () => {
    expect((await readyz()).json).toEqual({ status: "ready", database: "up" });
    const res = await postJson(server.url, { query: READ }, { token: writer });
    expect([res.status, res.json.errors]).toEqual([200, undefined]);
  });

  test("a statement stuck behind a lock ends at the statement timeout with a masked error", async () => {
    const locker = admin();
    await locker.connect();
    try {
      await locker.query("BEGIN");
      await locker.query("LOCK TABLE articles IN ACCESS EXCLUSIVE MODE");
      const started = Date.now();
      const res = await postJson(server.url, { query: READ }, { token: writer, timeoutMs: NO_HANG_MS });
      const took = Date.now() - started;
      console.log(
        `a request blocked by a lock answered after ${took} ms (statement timeout ${STATEMENT_TIMEOUT_MS} ms)`,
      );
      expectMasked(res, "locked");
      expect(took).toBeLessThan(NO_HANG_MS);
      const requestId = res.json.errors[0].extensions.requestId;
      const detail = linesWith(log.lines(), requestId).find((l) => l.msg === "unexpected error");
      expect(detail?.err?.message).toMatch(/statement timeout/);
      // The lock did not make the service unready: only that table was blocked.
      expect((await readyz()).status).toBe(200);
    } finally {
      await locker.query("ROLLBACK").catch(() => undefined);
      await locker.end();
    }
    const after = await postJson(server.url, { query: READ }, { token: writer });
    expect([after.status, after.json.errors]).toEqual([200, undefined]);
  });

  test("stopped while requests run: bounded masked errors, /readyz 503, nothing half-written, recovery without restart", async () => {
    type Outcome = {
      kind: "read" | "write";
      phase: string;
      res?: RawResponse;
      error?: string;
      ms: number;
      title?: string;
    };
    const outcomes: Outcome[] = [];
    let phase = "before";
    let running = true;
    let n = 0;
    const loop = async (kind: "read" | "write") => {
      while (running) {
        const started = Date.now();
        const title = `fault-${kind}-${n++}`;
        const at = phase;
        try {
          const res =
            kind === "read"
              ? await postJson(server.url, { query: READ }, { token: writer, timeoutMs: NO_HANG_MS })
              : await postJson(
                  server.url,
                  { query: CREATE, variables: { input: { title, body: "Whole or nothing.", topicSlugs: TOPICS } } },
                  { token: writer, timeoutMs: NO_HANG_MS },
                );
          outcomes.push({ kind, phase: at, res, ms: Date.now() - started, title });
        } catch (error) {
          outcomes.push({ kind, phase: at, error: String(error), ms: Date.now() - started, title });
        }
        await sleep(20);
      }
    };
    const ok = (o: Outcome) => o.res?.status === 200 && !o.res.json?.errors;
    /** Outcomes of `phase` and `kind` that succeeded (or failed), counted as they come in. */
    const seen = (phase: string, kind: Outcome["kind"], succeeded: boolean) =>
      outcomes.filter((o) => o.phase === phase && o.kind === kind && ok(o) === succeeded).length;
    const loops = [loop("read"), loop("read"), loop("read"), loop("write"), loop("write")];
    const readyzDuring: RawResponse[] = [];
    try {
      // The load runs: reads and writes succeed before the outage.
      await waitFor(() => seen("before", "read", true) >= 3 && seen("before", "write", true) >= 2, "traffic to run");
      phase = "down";
      pg.stop("immediate");
      readyzDuring.push(
        await waitFor(async () => {
          const r = await readyz();
          return r.status === 503 ? r : undefined;
        }, "/readyz to turn 503"),
      );
      // The outage lasts until reads and writes begun while it was down have failed (each one answered).
      await waitFor(
        () => seen("down", "read", false) >= 5 && seen("down", "write", false) >= 3,
        "reads and writes to meet the outage",
      );
      readyzDuring.push(await readyz());
      phase = "restarting";
      pg.start();
      await waitFor(async () => (await readyz()).status === 200, "/readyz to turn 200 again", 60_000, 200);
      phase = "after";
      // Recovered without a restart: reads and writes begun after it succeed.
      await waitFor(() => seen("after", "read", true) >= 3 && seen("after", "write", true) >= 2, "recovery");
    } finally {
      running = false;
      await Promise.all(loops);
    }

    const summary: Record<string, Record<string, number>> = {};
    for (const o of outcomes) {
      const key = `${o.phase} ${o.kind}`;
      const outcome = o.error
        ? "no answer"
        : ok(o)
          ? "ok"
          : `${o.res!.status} ${o.res!.json?.errors?.[0]?.extensions?.code}`;
      summary[key] ??= {};
      summary[key][outcome] = (summary[key][outcome] ?? 0) + 1;
    }
    const slowest = Math.max(...outcomes.map((o) => o.ms));
    console.log(
      `PostgreSQL stopped under load: outcomes by phase ${JSON.stringify(summary, null, 1)}\nslowest request ${slowest} ms`,
    );

    // No request hung, whatever its phase.
    expect(outcomes.filter((o) => o.error)).toEqual([]);
    expect(slowest).toBeLessThan(NO_HANG_MS);
    // /readyz said so while the database was away.
    for (const r of readyzDuring)
      expect([r.status, r.json]).toEqual([503, { status: "unavailable", database: "down" }]);
    // Some requests met the outage; each failure is masked and retriable (never a 4xx that blames the client).
    const failed = outcomes.filter((o) => !ok(o));
    expect(outcomes.filter((o) => o.phase === "down" && !ok(o)).length).toBeGreaterThan(0);
    for (const o of failed) {
      // 200 when the operation ran (its field failed: the body has data, null or partial), 500 when the request
      // failed before it (authenticating the token: no data at all). Never 4xx, and never anything else.
      const ran = o.res!.json && "data" in o.res!.json;
      expect([o.phase, o.kind, o.res!.status]).toEqual([o.phase, o.kind, ran ? 200 : 500]);
      // The label carries what the server logged for it, so a failure shows which error was not retriable.
      const id = o.res!.json?.errors?.[0]?.extensions?.requestId;
      const logged = id ? linesWith(log.lines(), id).find((l) => l.err)?.err : undefined;
      expectMasked(o.res!, `${o.phase} ${o.kind} ${o.res!.status} ${logged ? `${logged.code} ${logged.message}` : ""}`);
    }
    // The log holds the detail of a masked failure, under its request id.
    const sample = failed[0]!.res!.json.errors[0].extensions.requestId;
    expect(linesWith(log.lines(), sample).some((l) => l.level >= 50 && l.err)).toBe(true);
    // Back without a restart: requests after recovery succeed, reads and writes.
    const after = outcomes.filter((o) => o.phase === "after");
    expect(after.filter((o) => o.kind === "read" && ok(o)).length).toBeGreaterThan(0);
    expect(after.filter((o) => o.kind === "write" && ok(o)).length).toBeGreaterThan(0);

    // Nothing half-written: every article has its byline; every fault article has both topics.
    const c = admin();
    await c.connect();
    try {
      const orphans = await c.query(
        "SELECT a.slug FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_authors x WHERE x.article_id = a.id)",
      );
      expect(orphans.rows).toEqual([]);
      const stored = await c.query<{ title: string; topics: string[]; authors: string[] }>(
        `SELECT a.title,
                ARRAY(SELECT t.slug FROM article_topics x JOIN topics t ON t.id = x.topic_id WHERE x.article_id = a.id ORDER BY t.slug) AS topics,
                ARRAY(SELECT au.slug FROM article_authors x JOIN authors au ON au.id = x.author_id WHERE x.article_id = a.id) AS authors
           FROM articles a WHERE a.title LIKE 'fault-write-%'`,
      );
      for (const row of stored.rows) {
        expect(row).toEqual({ title: row.title, topics: [...TOPICS].sort(), authors: ["fault-writer"] });
      }
      // Every write the client was told succeeded is there, whole.
      const titles = new Set(stored.rows.map((r) => r.title));
      const confirmed = outcomes.filter((o) => o.kind === "write" && ok(o)).map((o) => o.title!);
      expect(confirmed.filter((t) => !titles.has(t))).toEqual([]);
      console.log(
        `writes: ${confirmed.length} confirmed, ${stored.rows.length} stored (the rest rolled back), 0 half-written`,
      );
    } finally {
      await c.end();
    }
  });

  // A database that accepts bytes and never answers (frozen, or a network partition): the
  // statement timeout is enforced by the server, which cannot enforce anything while frozen.
  // The pool's client-side query timeout (statement timeout + 1 s) and /readyz's own 2 s bound end them.
  test("frozen (SIGSTOP): requests and /readyz end within the statement timeout plus slack", async () => {
    pg.freeze();
    try {
      const started = Date.now();
      const results = await Promise.allSettled([
        postJson(server.url, { query: READ }, { token: writer, timeoutMs: 12_000 }),
        rawRequest(rootUrl(server.url) + "/readyz", { timeoutMs: 12_000 }),
      ]);
      console.log(
        `frozen PostgreSQL: ${JSON.stringify(
          results.map((r) => (r.status === "fulfilled" ? r.value.status : String(r.reason).slice(0, 80))),
        )} after ${Date.now() - started} ms`,
      );
      expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
      const [read, ready] = results.map((r) => (r as PromiseFulfilledResult<RawResponse>).value);
      expectMasked(read!, "frozen read");
      expect(ready!.status).toBe(503);
    } finally {
      pg.thaw();
    }
  });

  test("after all that, still serving without a restart", async () => {
    await waitFor(async () => (await readyz()).status === 200, "/readyz 200", 30_000, 200);
    const res = await postJson(server.url, { query: READ }, { token: writer });
    expect([res.status, res.json.errors]).toEqual([200, undefined]);
  });
});

const describeRedis = hasRedis() ? describe : describe.skip;

describeRedis("a private Redis", () => {
  let redis: PrivateRedis;
  let server: TestServer;
  let writer: string;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    server = await startTestServer({ redisUrl: redis.url });
    writer = await server.token("redis-writer", Role.WRITER);
  });
  afterAll(async () => {
    await server?.stop();
    await redis?.stop();
  });

  const readyz = () => rawRequest(rootUrl(server.url) + "/readyz", { timeoutMs: NO_HANG_MS });
  const anonymousRead = () =>
    postJson(server.url, { query: "{ articles(first: 2) { nodes { slug } } }" }, { timeoutMs: NO_HANG_MS });
  const write = (title: string) =>
    postJson(
      server.url,
      { query: CREATE, variables: { input: { title, body: "x" } } },
      { token: writer, timeoutMs: NO_HANG_MS },
    );

  test("up: /readyz reports redis up", async () => {
    expect((await readyz()).json).toEqual({ status: "ready", database: "up", redis: "up" });
  });

  test("stopped: /readyz 200 redis degraded; reads and writes still answer; back: redis up", async () => {
    expect((await anonymousRead()).status).toBe(200);
    await redis.stop();
    const down = await waitFor(async () => {
      const r = await readyz();
      return r.json?.redis === "degraded" ? r : undefined;
    }, "/readyz to report redis degraded");
    // Failing readiness here would take every instance out of the load balancer at once.
    expect([down.status, down.json]).toEqual([200, { status: "ready", database: "up", redis: "degraded" }]);
    for (let i = 0; i < 3; i++) {
      const read = await anonymousRead();
      expect([read.status, read.json.errors]).toEqual([200, undefined]);
    }
    const created = await write("written while redis was down");
    expect([created.status, created.json.errors]).toEqual([200, undefined]);

    await redis.start();
    await waitFor(async () => (await readyz()).json?.redis === "up", "/readyz redis up once it is back", 30_000, 200);
    const read = await anonymousRead();
    expect([read.status, read.json.errors]).toEqual([200, undefined]);
    expect((await write("written after redis came back")).json.errors).toBeUndefined();
  });
});
