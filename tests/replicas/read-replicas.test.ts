/**
 * Read replicas against a real streaming replica (PostgreSQL only: skipped on
 * PGlite, which has no replication): a private primary and a `pg_basebackup -R`
 * replica of it, both started here as the postgres user on free ports and
 * removed at the end. Where a read went is counted per pool (statements sent
 * to the replica's pool and to the primary's), never timed; a replica whose
 * replay is paused also shows it in the data (it answers from before a write).
 */
import { Client } from "pg";
import type { Config } from "../../src/config";
import { loadConfig } from "../../src/config";
import { createLogger } from "../../src/logger";
import { Role } from "../../src/modules/auth/role";
import { insertAuthor } from "../../src/modules/author/author-insert";
import type { NewsgraphServer } from "../../src/server";
import { createServer } from "../../src/server";
import { FeedCommentAddedDocument } from "../generated/graphql";
import { FeedClient, waitFor, waitForListeners } from "../support/feed-client";
import type { PrivatePostgres } from "../support/hardening-processes";
import { postgresBinDir, startPrivatePostgres } from "../support/hardening-processes";
import type { PrivateReplica } from "../support/replica-processes";
import { startPrivateReplica } from "../support/replica-processes";

const enabled = Boolean(process.env.DATABASE_URL && postgresBinDir());
const describeReplicas = enabled ? describe : describe.skip;
if (!enabled) {
  console.info("read-replicas.test.ts skipped: needs DATABASE_URL (PostgreSQL) and PostgreSQL's binaries");
}

describeReplicas("read replicas (PostgreSQL only; skipped on PGlite)", () => {
  let primary: PrivatePostgres | undefined;
  let replica: PrivateReplica | undefined;
  let server: NewsgraphServer;
  let editor: string;
  let articleId: string;
  let articleSlug: string;

  interface Answer {
    status: number;
    /** X-Cache: HIT or MISS when the response cache is on. */
    cache: string | null;
    data?: any;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  }
  /** One POST; `client` is the reader's address (TRUST_PROXY is on, as behind a load balancer). */
  const gql = async (
    query: string,
    variables: object,
    client: string,
    token?: string,
    url = server.url,
  ): Promise<Answer> => {
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-forwarded-for": client,
        ...(watching ? { "x-request-id": watching } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, cache: res.headers.get("x-cache"), ...((await res.json()) as object) };
  };
  /** The request id `gql` sends while `sent` counts (one request at a time: the tests run in sequence). */
  let watching: string | undefined;
  let watched = 0;
  /**
   * Runs fn (one request) and says how many of that request's statements each pool received: counted
   * by its request id, so the instance's background work (pollers, probes) meanwhile does not count.
   */
  const sent = async <T>(fn: () => Promise<T>): Promise<{ result: T; primary: number; replica: number }> => {
    const id = `replica-test-${++watched}`;
    const pools = [server.db.primarySql, server.db.replicas!.replicas[0].sql];
    for (const pool of pools) pool.watch(id);
    watching = id;
    let result: T;
    let counts: number[];
    try {
      result = await fn();
    } finally {
      // Unwatched whether fn failed or not: the counts end with the request.
      watching = undefined;
      counts = pools.map((pool) => pool.unwatch(id));
    }
    return { result, primary: counts[0]!, replica: counts[1]! };
  };
  const onReplica = async <T>(sql: string): Promise<T[]> => {
    const c = new Client({ connectionString: replica!.url("postgres") });
    await c.connect();
    try {
      return (await c.query(sql)).rows as T[];
    } finally {
      await c.end();
    }
  };
  /** Until the replica has replayed everything the primary holds now (and the instance has seen it). */
  const caughtUp = async () => {
    const [{ lsn }] = await server.db.query<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn");
    await waitFor(
      async () => {
        const [row] = await onReplica<{ ok: boolean }>(`SELECT pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn AS ok`);
        if (!row.ok) return false;
        await server.db.replicas!.probe();
        return server.db.replicas!.replicas[0].up;
      },
      () => `the replica to replay ${lsn}`,
    );
  };
  const readyz = async () => {
    const res = await fetch(server.url.replace(/\/graphql$/, "/readyz"));
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  };
  const ARTICLE = `query($slug: String!) { article(slug: $slug) { id title comments(first: 50) { nodes { body } } } }`;
  const FRONT = `{ articles(first: 10) { nodes { title authors { name } topics { slug } commentCount } } }`;
  const COMMENT = `mutation($input: AddCommentInput!) { addComment(input: $input) { comment { id status } } }`;
  const comment = (body: string, client: string) =>
    gql(COMMENT, { input: { articleId, authorName: "Reader", email: `r${client}@example.com`, body } }, client);

  const serverConfig = (overrides: Partial<Config> = {}) =>
    loadConfig(
      {},
      {
        databaseUrl: primary!.url("newsgraph"),
        databaseReadUrls: [replica!.url("newsgraph")],
        databaseReadProbeMs: 100,
        databaseReadProbeTimeoutMs: 1000,
        dataDir: "memory://",
        port: 0,
        host: "127.0.0.1",
        seedDemo: true,
        schedulerIntervalMs: 0,
        trustProxy: true,
        // Counted reads must reach a database; the cache has a test of its own below.
        responseCache: false,
        commentRateLimit: 100,
        dbPoolSize: 5,
        logLevel: process.env.TEST_LOG_LEVEL ?? "silent",
        ...overrides,
      },
    );

  beforeAll(async () => {
    try {
      primary = await startPrivatePostgres();
      const c = new Client({ connectionString: primary.url() });
      await c.connect();
      await c.query("CREATE DATABASE newsgraph");
      await c.end();
      replica = await startPrivateReplica(primary);
      const config = serverConfig();
      server = await createServer(config, { logger: createLogger(config.logLevel, "newsgraph-test") });
      await server.start();
      await insertAuthor(server.db, { slug: "replica-editor", name: "Replica Editor" });
      editor = await server.services.auth.createToken("replica-editor", Role.EDITOR);
      const [row] = await server.db.query<{ id: number; slug: string }>(
        "SELECT id, slug FROM articles WHERE status = 'PUBLISHED' AND comments_open ORDER BY id LIMIT 1",
      );
      articleSlug = row.slug;
      articleId = Buffer.from(`Article:${row.id}`).toString("base64");
      await caughtUp();
    } catch (error) {
      await server?.stop().catch(() => {});
      replica?.destroy();
      primary?.destroy();
      throw error;
    }
  }, 180_000);

  afterAll(async () => {
    try {
      await server?.stop();
    } finally {
      try {
        replica?.destroy();
      } finally {
        primary?.destroy();
      }
    }
  }, 60_000);

  it("is a real streaming replica, and anonymous queries read from it, not from the primary", async () => {
    expect(await onReplica<{ r: boolean }>("SELECT pg_is_in_recovery() AS r")).toEqual([{ r: true }]);
    const front = await sent(() => gql(FRONT, {}, "10.0.1.1"));
    expect(front.result.errors).toBeUndefined();
    expect(front.result.data.articles.nodes).toHaveLength(10);
    expect(front.replica).toBeGreaterThan(0);
    expect(front.primary).toBe(0);
    const page = await sent(() => gql(ARTICLE, { slug: articleSlug }, "10.0.1.2"));
    expect(page.result.data.article.id).toBe(articleId);
    expect([page.primary, page.replica > 0]).toEqual([0, true]);
  });

  it("an authenticated viewer and any mutation use the primary", async () => {
    const asEditor = await sent(() => gql(FRONT, {}, "10.0.2.1", editor));
    expect(asEditor.result.data.articles.nodes).toHaveLength(10);
    expect([asEditor.replica, asEditor.primary > 0]).toEqual([0, true]);
    const write = await sent(() => comment("First from a replica test", "10.0.2.2"));
    expect(write.result.data.addComment.comment.status).toBe("APPROVED");
    expect([write.replica, write.primary > 0]).toEqual([0, true]);
  });

  describe("while the replica lags (replay paused)", () => {
    // Each test pauses a replica that has caught up (so they pass in any order), and resumes it after.
    beforeEach(async () => {
      await caughtUp();
      await onReplica("SELECT pg_wal_replay_pause()");
    });
    afterEach(async () => {
      await onReplica("SELECT pg_wal_replay_resume()");
    });

    it("an editor reads their own write at once (the primary), other readers see the replica's past", async () => {
      const title = `Replica lag ${Date.now()}`;
      const created = await gql(
        `mutation($input: CreateArticleInput!) { createArticle(input: $input) { id slug } }`,
        { input: { title, body: "Written while the replica lags.", topicSlugs: [] } },
        "10.0.3.1",
        editor,
      );
      const { id, slug } = created.data.createArticle;
      const published = await gql(
        `mutation($id: ID!) { publishArticle(id: $id) { status } }`,
        { id },
        "10.0.3.1",
        editor,
      );
      expect(published.data.publishArticle.status).toBe("PUBLISHED");
      const own = await sent(() => gql(ARTICLE, { slug }, "10.0.3.1", editor));
      expect(own.result.data.article.title).toBe(title);
      expect(own.replica).toBe(0);
      // The editor's browser, reading anonymously too (the public page), also sees it: its address is pinned.
      const ownAnonymous = await sent(() => gql(ARTICLE, { slug }, "10.0.3.1"));
      expect([ownAnonymous.result.data.article?.title, ownAnonymous.replica]).toEqual([title, 0]);
      // Anyone else reads the lagging replica: the article is not there yet.
      const other = await sent(() => gql(ARTICLE, { slug }, "10.0.3.2"));
      expect([other.result.data.article, other.primary, other.replica > 0]).toEqual([null, 0, true]);
    });

    it("an anonymous commenter's next read shows their comment; another reader's does not yet", async () => {
      const body = `Read your own write ${Date.now()}`;
      const posted = await comment(body, "10.0.4.1");
      expect(posted.data.addComment.comment.status).toBe("APPROVED");
      const own = await sent(() => gql(ARTICLE, { slug: articleSlug }, "10.0.4.1"));
      expect(own.result.data.article.comments.nodes.map((n: { body: string }) => n.body)).toContain(body);
      expect([own.replica, own.primary > 0]).toEqual([0, true]);
      const other = await sent(() => gql(ARTICLE, { slug: articleSlug }, "10.0.4.2"));
      expect(other.result.data.article.comments.nodes.map((n: { body: string }) => n.body)).not.toContain(body);
      expect([other.primary, other.replica > 0]).toEqual([0, true]);
    });

    it("the feed delivers every event, in order, with no gap (it reads the primary's log)", async () => {
      const ws = new FeedClient(server.url);
      try {
        const before = server.services.feedDispatcher.listenerCount;
        const stream = ws.subscribe(FeedCommentAddedDocument, { articleId });
        await waitForListeners(server, before + 1);
        const bodies = Array.from({ length: 12 }, (_, i) => `Live while lagging ${i}`);
        for (const [i, body] of bodies.entries()) await comment(body, `10.0.5.${i}`);
        await waitFor(
          () => stream.values.length >= bodies.length,
          () => `${bodies.length} events (have ${stream.values.length})`,
        );
        expect(stream.values.map((v) => v.commentAdded.comment.body)).toEqual(bodies);
        // Replayed from a cursor: the same events again, from the primary's log.
        const first = stream.values[0].commentAdded.cursor;
        const replay = ws.subscribe(FeedCommentAddedDocument, { articleId, since: first });
        await waitFor(
          () => replay.values.length >= bodies.length - 1,
          () => `${bodies.length - 1} replayed events (have ${replay.values.length})`,
        );
        expect(replay.values.map((v) => [v.commentAdded.comment.body, v.commentAdded.replayed])).toEqual(
          bodies.slice(1).map((b) => [b, true]),
        );
        // Still lagging: an unpinned reader does not see them yet.
        const other = await gql(ARTICLE, { slug: articleSlug }, "10.0.5.200");
        expect(other.data.article.comments.nodes.map((n: { body: string }) => n.body)).not.toContain(bodies[0]);
      } finally {
        await ws.dispose();
      }
    });

    it("once replay resumes, the writer reads from the replica again, and sees its write there", async () => {
      const body = `After the lag ${Date.now()}`;
      await comment(body, "10.0.6.1");
      expect(server.db.replicas!.pick("10.0.6.1")).toBeUndefined();
      await onReplica("SELECT pg_wal_replay_resume()");
      await waitFor(
        () => server.db.replicas!.pick("10.0.6.1"),
        () => "the replica to replay the comment",
      );
      const own = await sent(() => gql(ARTICLE, { slug: articleSlug }, "10.0.6.1"));
      expect(own.result.data.article.comments.nodes.map((n: { body: string }) => n.body)).toContain(body);
      expect([own.primary, own.replica > 0]).toEqual([0, true]);
    });
  });

  describe("with the response cache", () => {
    let cached: NewsgraphServer;
    beforeAll(async () => {
      cached = await createServer(serverConfig({ responseCache: true }), {
        logger: createLogger(process.env.TEST_LOG_LEVEL ?? "silent", "newsgraph-test"),
      });
      await cached.start();
    });
    beforeEach(async () => {
      await caughtUp();
      await onReplica("SELECT pg_wal_replay_pause()");
    });
    afterEach(async () => {
      await onReplica("SELECT pg_wal_replay_resume()");
    });
    afterAll(async () => {
      await cached?.stop();
    });

    it("a stale answer a lagging replica gave is purged again once the replica has replayed the write", async () => {
      const read = (client: string) => gql(ARTICLE, { slug: articleSlug }, client, undefined, cached.url);
      const bodies = (a: Answer) => a.data.article.comments.nodes.map((n: { body: string }) => n.body);
      const body = `Cached while lagging ${Date.now()}`;
      const posted = await gql(
        COMMENT,
        { input: { articleId, authorName: "Reader", email: "cache@example.com", body } },
        "10.0.8.1",
        undefined,
        cached.url,
      );
      expect(posted.data.addComment.comment.status).toBe("APPROVED");
      // The first purge has run; another reader's miss reads the lagging replica and is stored.
      const stale = await read("10.0.8.2");
      expect([stale.cache, bodies(stale).includes(body)]).toEqual(["MISS", false]);
      expect((await read("10.0.8.3")).cache).toBe("HIT");
      // The writer itself is not answered from that copy: its reads go to the primary, past the cache
      // (and its fresh answer replaces the copy, so the second purge is watched with another reader's query).
      const own = await read("10.0.8.1");
      expect([own.cache, bodies(own).includes(body)]).toEqual(["MISS", true]);
      const other = (client: string) =>
        gql(ARTICLE.replace("first: 50", "first: 49"), { slug: articleSlug }, client, undefined, cached.url);
      expect(await other("10.0.8.2")).toMatchObject({ cache: "MISS" });
      expect(bodies(await other("10.0.8.3"))).not.toContain(body);
      await onReplica("SELECT pg_wal_replay_resume()");
      const fresh = await waitFor(
        async () => {
          const a = await other("10.0.8.2");
          return bodies(a).includes(body) ? a : undefined;
        },
        () => "the second purge, once the replica has replayed the comment",
      );
      expect(fresh.cache).toBe("MISS");
    });
  });

  describe("a replica that dies", () => {
    it("reads still answer (from the primary), /readyz says degraded and names it; back when it returns", async () => {
      await caughtUp();
      expect((await readyz()).body).toMatchObject({ status: "ready", database: "up", readReplicas: "up" });
      await replica!.kill();
      // The very next reads: the dead replica fails them (or a probe has already marked it), the primary answers.
      for (const client of ["10.0.7.1", "10.0.7.2", "10.0.7.3"]) {
        const read = await sent(() => gql(FRONT, {}, client));
        expect(read.result.status).toBe(200);
        expect(read.result.errors).toBeUndefined();
        expect(read.result.data.articles.nodes).toHaveLength(10);
        expect(read.primary).toBeGreaterThan(0);
      }
      const name = server.db.replicas!.replicas[0].name;
      const degraded = await readyz();
      expect(degraded).toEqual({
        status: 200,
        body: expect.objectContaining({ status: "ready", readReplicas: "degraded", readReplicasDown: name }),
      });
      expect(name).toBe(`127.0.0.1:${replica!.port}/newsgraph`);
      // A write while it is down: when it comes back, it serves again only once past it.
      expect((await comment(`While the replica is dead ${Date.now()}`, "10.0.7.9")).data.addComment).toBeTruthy();

      replica!.start();
      await waitFor(
        async () => (await readyz()).body.readReplicas === "up",
        () => "the replica to be up again",
      );
      const back = await readyz();
      expect(back.status).toBe(200);
      expect(back.body.readReplicasDown).toBeUndefined();
      const read = await sent(() => gql(FRONT, {}, "10.0.7.4"));
      expect(read.result.data.articles.nodes).toHaveLength(10);
      expect([read.primary, read.replica > 0]).toEqual([0, true]);
    });
  });
});
