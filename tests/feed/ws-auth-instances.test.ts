/**
 * A revocation reaches open sockets on every instance (PostgreSQL only: PGlite
 * serves one process). Instance A runs in this process, instance B is a server
 * process built from this tree; they share one database and a private Redis.
 * B re-checks its sockets' tokens only every 10 minutes, so a socket of B that
 * closes within the test was closed by the revocation's message through Redis.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { FeedModerationQueueDocument, ViewerDocument } from "../generated/graphql";
import type { RawConnection } from "../support/feed-client";
import { ClientPool } from "../support/feed-client";
import type { Requester } from "../support/feed-fixtures";
import { httpRequester, postComment } from "../support/feed-fixtures";
import { buildDist } from "../support/build-once";
import { PrivateRedis, ServerProcess } from "../support/feed-processes";
import type { TestDatabase } from "../support/database";
import { createTestDatabase } from "../support/database";
import { loadConfig } from "../../src/config";
import { createLogger } from "../../src/logger";
import type { NewsgraphServer } from "../../src/server";
import { createServer } from "../../src/server";
import { Role } from "../../src/modules/auth/role";
import { insertAuthor } from "../../src/modules/author/author-insert";
import { toGlobalId } from "../../src/shared/node-id";

const describeOnPostgres = process.env.DATABASE_URL ? describe : describe.skip;
const RECHECK_MS = "600000";

describeOnPostgres("token revocation across instances through Redis", () => {
  let database: TestDatabase;
  let redis: PrivateRedis;
  let a: NewsgraphServer;
  let b: ServerProcess;
  let apiA: Requester;
  let poolB: ClientPool;
  let articleId: string;
  let authors = 0;

  beforeAll(async () => {
    await buildDist();
    database = await createTestDatabase();
    redis = await PrivateRedis.start();
    b = await ServerProcess.start("instance B", {
      DATABASE_URL: database.databaseUrl!,
      REDIS_URL: redis.url,
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "info",
      SEED_DEMO: "true",
      SCHEDULER_INTERVAL_MS: "0",
      COMMENT_MODERATION: "pre",
      COMMENT_RATE_LIMIT: "100000",
      WS_TOKEN_RECHECK_MS: RECHECK_MS,
    });
    const config = loadConfig(
      {},
      {
        host: "127.0.0.1",
        port: 0,
        databaseUrl: database.databaseUrl,
        redisUrl: redis.url,
        seedDemo: false,
        schedulerIntervalMs: 0,
        commentModeration: "pre",
        commentRateLimit: 100_000,
        wsTokenRecheckMs: Number(RECHECK_MS),
        logLevel: process.env.TEST_LOG_LEVEL ?? "silent",
      },
    );
    a = await createServer(config, { logger: createLogger(config.logLevel, "instance-a") });
    await a.start();
    apiA = httpRequester(() => a.url);
    poolB = new ClientPool(() => b.url);
    const [row] = await a.db.query<{ id: number }>(
      "SELECT id FROM articles WHERE status = 'PUBLISHED' AND comments_open ORDER BY id LIMIT 1",
    );
    articleId = toGlobalId("Article", row!.id);
  }, 300_000);

  afterEach(() => poolB.closeAll());
  afterAll(async () => {
    await b?.kill();
    await a?.stop();
    await redis?.stop();
    await database?.drop();
  }, 60_000);

  /** An editor token issued on A, and its id. */
  async function editorToken() {
    authors += 1;
    const slug = `instances-editor-${authors}`;
    await insertAuthor(a.db, { slug, name: slug });
    const token = await a.services.auth.createToken(slug, Role.EDITOR);
    const [row] = await a.db.query<{ id: number }>(
      "SELECT t.id FROM api_tokens t JOIN authors a ON a.id = t.author_id WHERE a.slug = $1",
      [slug],
    );
    return { token, id: row!.id };
  }

  /** Editor sockets on B whose moderationQueue is surely live: a pending comment posted on A reached each. */
  async function queuesOnB(tokens: string[]): Promise<RawConnection[]> {
    const sockets: RawConnection[] = [];
    for (const token of tokens) {
      const raw = await poolB.raw();
      await raw.init(token);
      raw.subscribe("viewer", ViewerDocument, {});
      await raw.frame((f) => f.id === "viewer" && f.type === "complete", "the viewer query");
      raw.subscribe("queue", FeedModerationQueueDocument, {});
      sockets.push(raw);
    }
    // A subscription that is not live yet misses the probe: post probes until each socket got one.
    for (let attempt = 1; ; attempt += 1) {
      const probe = await postComment(apiA, articleId);
      const got = sockets.map((raw) =>
        raw
          .frame((f) => f.id === "queue" && f.payload?.data?.moderationQueue.id === probe.id, "the probe", 2_000)
          .then(() => true)
          .catch(() => false),
      );
      if ((await Promise.all(got)).every(Boolean)) return sockets;
      if (attempt === 10)
        throw new Error(
          `moderationQueue on B not live after 10 probes: ${JSON.stringify(sockets.map((s) => s.frames))}`,
        );
    }
  }

  test("a token revoked through instance A closes its socket on instance B with 4403; others keep flowing", async () => {
    const revoked = await editorToken();
    const kept = await editorToken();
    const [onB, otherOnB] = await queuesOnB([revoked.token, kept.token]);

    expect(await a.services.auth.revokeToken(revoked.id)).toBe(true);
    expect(await onB!.closedWithin()).toEqual({ code: 4403, reason: "Token revoked" });
    const after = await postComment(apiA, articleId);
    await otherOnB!.frame((f) => f.id === "queue" && f.payload?.data?.moderationQueue.id === after.id, "the next one");
    expect(onB!.frames.some((f) => f.payload?.data?.moderationQueue?.id === after.id)).toBe(false);
  });

  test("`token revoke` in the CLI, with REDIS_URL, closes the token's socket on instance B with 4403", async () => {
    const revoked = await editorToken();
    const [onB] = await queuesOnB([revoked.token]);
    const script = join(__dirname, "..", "..", "dist", "src", "cli", "index.js");
    const env = { PATH: process.env.PATH ?? "", DATABASE_URL: database.databaseUrl!, REDIS_URL: redis.url };
    const stderr = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [script, "token", "revoke", "--id", String(revoked.id)], { env }, (error, _, err) =>
        error ? reject(new Error(`cli failed: ${err}`)) : resolve(err),
      ),
    );
    expect(stderr).toContain(`token ${revoked.id} revoked`);
    expect(await onB!.closedWithin()).toEqual({ code: 4403, reason: "Token revoked" });
  });
});
