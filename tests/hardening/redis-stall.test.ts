/**
 * A Redis that stalls (SIGSTOP: it keeps its connections open and never
 * answers), private to this file. Every Redis call is bounded by
 * REDIS_TIMEOUT_MS, after which the fallbacks of a dead Redis take over:
 * anonymous reads bypass the cache, addComment counts its limits locally,
 * writes skip their bus hint, the live feed keeps flowing from its poll, and
 * /readyz stays 200 while it reports Redis degraded. The pause lasts until the
 * requests have answered: before the timeouts they waited as long as Redis was
 * paused, so here they would run into the per-test timeout.
 */
import { Role } from "../../src/modules/auth/role";
import { toGlobalId } from "../../src/shared/node-id";
import { FeedCommentAddedDocument, HardeningAddCommentDocument } from "../generated/graphql";
import { FeedClient } from "../support/feed-client";
import { codes, commentInput, cursorOf, feedRowsOfComment, ok } from "../support/feed-fixtures";
import { rawRequest, rootUrl, waitFor } from "../support/hardening-helpers";
import type { PrivateRedis } from "../support/hardening-processes";
import { hasRedis, startPrivateRedis } from "../support/hardening-processes";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

/** Far above the 500 ms bound of each Redis call, far below a pause that would last until the test gave up. */
const STALLED_TEST_MS = 20_000;
const RATE_LIMIT = 3;

const CREATE = `mutation ($input: CreateArticleInput!) { createArticle(input: $input) { id status } }`;
const READ = "{ articles(first: 2) { nodes { slug } } }";

const describeRedis = hasRedis() ? describe : describe.skip;

describeRedis("a stalled Redis", () => {
  let redis: PrivateRedis;
  let server: TestServer;
  let editor: string;
  let articleId: string;
  let feed: FeedClient;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    server = await startTestServer({ redisUrl: redis.url, commentRateLimit: RATE_LIMIT });
    editor = await server.token("stall-editor", Role.EDITOR);
    const [row] = await server.db.query(
      "SELECT id FROM articles WHERE status = 'PUBLISHED' AND comments_open ORDER BY id LIMIT 1",
    );
    articleId = toGlobalId("Article", row.id);
  }, 60_000);
  afterAll(async () => {
    redis?.thaw();
    await feed?.dispose();
    await server?.stop();
    await redis?.stop();
  });

  const readyz = () => rawRequest(rootUrl(server.url) + "/readyz", { timeoutMs: STALLED_TEST_MS });
  const redisUp = async () => {
    const res = await rawRequest(rootUrl(server.url) + "/metrics", { timeoutMs: STALLED_TEST_MS });
    return Number(/^newsgraph_redis_up (\S+)$/m.exec(res.text)?.[1]);
  };
  const comment = (body: string) =>
    server.request(HardeningAddCommentDocument, { input: commentInput(articleId, { body }) });
  const anonymousRead = () => server.post({ query: READ });
  const editorWrite = (title: string) =>
    server.post(
      { query: CREATE, variables: { input: { title, body: "Filed while Redis slept." } } },
      { token: editor },
    );

  test("up: /readyz and the gauge say redis up", async () => {
    expect((await readyz()).json).toEqual({ status: "ready", database: "up", redis: "up" });
    expect(await redisUp()).toBe(1);
  });

  test(
    "paused: reads, addComment, an editor write and the live feed answer; limits hold locally; /readyz 200 degraded",
    async () => {
      feed = new FeedClient(server.url);
      const start = ok(await comment("Before the stall")).addComment.comment;
      const [startRow] = await feedRowsOfComment(server.db, start.id);
      const stream = feed.subscribe(FeedCommentAddedDocument, { articleId, since: cursorOf(startRow!) });
      const probe = ok(await comment("Probe")).addComment.comment;
      expect((await stream.take(1)).map((v) => v.commentAdded.comment.id)).toEqual([probe.id]);
      // Two comments of this address are counted in Redis; a warm cache entry is there to be read.
      expect((await anonymousRead()).status).toBe(200);

      redis.freeze();
      try {
        const [read, again, created, ...comments] = await Promise.all([
          anonymousRead(),
          anonymousRead(),
          editorWrite("written while redis was stalled"),
          ...Array.from({ length: RATE_LIMIT + 1 }, (_, i) => comment(`During the stall #${i}`)),
        ]);
        for (const res of [read, again]) {
          expect([res.status, res.json.errors, res.json.data.articles.nodes.length]).toEqual([200, undefined, 2]);
        }
        expect([created.status, created.json.errors, created.json.data?.createArticle.status]).toEqual([
          200,
          undefined,
          "DRAFT",
        ]);
        // The local counters start empty (Redis holds the earlier two): exactly the limit gets through.
        const outcomes = comments.map((c) => (c.errors ? codes(c).join() : c.data!.addComment.comment.status));
        expect(outcomes.sort()).toEqual([...Array(RATE_LIMIT).fill("APPROVED"), "RATE_LIMITED"]);

        // The feed delivers the stalled-time comments from its poll of the database.
        const approved = comments.filter((c) => !c.errors).map((c) => c.data!.addComment.comment.id);
        const live = await stream.take(1 + RATE_LIMIT);
        expect(
          live
            .slice(1)
            .map((v) => v.commentAdded.comment.id)
            .sort(),
        ).toEqual([...approved].sort());

        const ready = await readyz();
        expect([ready.status, ready.json]).toEqual([200, { status: "ready", database: "up", redis: "degraded" }]);
        expect(await redisUp()).toBe(0);
      } finally {
        redis.thaw();
      }

      // (The address's Redis counter also ran the calls that timed out, once Redis woke: no comment here.)
      await waitFor(async () => (await readyz()).json.redis === "up", "/readyz to report redis up again");
      expect(await redisUp()).toBe(1);
      const read = await anonymousRead();
      expect([read.status, read.json.errors]).toEqual([200, undefined]);
      expect((await editorWrite("written after redis woke")).json.errors).toBeUndefined();
    },
    STALLED_TEST_MS,
  );
});
