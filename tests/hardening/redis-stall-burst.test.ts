/**
 * A burst against a stalled Redis (SIGSTOP: connections stay open, nothing answers), private to this file.
 * While it sleeps, a burst of anonymous reads, comments from one address, editor writes and new feed
 * subscriptions runs. Every command the server sends to Redis is rejected by its REDIS_TIMEOUT_MS bound
 * (none is left pending; later calls take the fallback at once), every request answers (the cache is
 * bypassed, the rate limiter counts locally, writes skip their bus hint), and the feed flows from its
 * poll. Once Redis wakes, every subscriber has every event of the burst, in log order, exactly once.
 */
import Redis from "ioredis";
import { Role } from "../../src/modules/auth/role";
import { toGlobalId } from "../../src/shared/node-id";
import { FeedCommentAddedDocument, HardeningAddCommentDocument } from "../generated/graphql";
import type { Stream } from "../support/feed-client";
import { FeedClient } from "../support/feed-client";
import { codes, commentInput, cursorOf, dbId, feedRowsOfComment, ok } from "../support/feed-fixtures";
import { captureLogger, rawRequest, rootUrl, waitFor } from "../support/hardening-helpers";
import type { PrivateRedis } from "../support/hardening-processes";
import { hasRedis, startPrivateRedis } from "../support/hardening-processes";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

const STALLED_TEST_MS = 60_000;
const RATE_LIMIT = 12;
const READS = 20;
const COMMENTS = RATE_LIMIT + 4;
const WRITES = 4;
const LATE_SUBSCRIBERS = 3;

const CREATE = `mutation ($input: CreateArticleInput!) { createArticle(input: $input) { id status } }`;
const READ = "{ articles(first: 3) { nodes { slug } } }";

/** A command the server sent to Redis: its name, and how it settled. */
interface Sent {
  name: string;
  settled: Promise<"answered" | string>;
}

const describeRedis = hasRedis() ? describe : describe.skip;

describeRedis("a burst against a stalled Redis", () => {
  let redis: PrivateRedis;
  let server: TestServer;
  let editor: string;
  let articleId: string;
  let feed: FeedClient;
  const log = captureLogger("warn");
  /** Commands sent while recording, on the links with a command timeout (the subscriber link has none). */
  let sent: Sent[] | null = null;
  const sendCommand = Redis.prototype.sendCommand;

  beforeAll(async () => {
    // The server runs in this process: every command of its links passes here.
    Redis.prototype.sendCommand = function (this: Redis, command: any, stream?: any) {
      const result = sendCommand.call(this, command, stream);
      if (sent && this.options.commandTimeout && command?.promise) {
        sent.push({
          name: String(command.name),
          settled: command.promise.then(
            () => "answered",
            (error: Error) => error.message,
          ),
        });
      }
      return result;
    } as typeof sendCommand;
    redis = await startPrivateRedis();
    server = await startTestServer(
      { redisUrl: redis.url, commentRateLimit: RATE_LIMIT, logLevel: "warn" },
      { logger: log.logger },
    );
    editor = await server.token("stall-burst-editor", Role.EDITOR);
    const [row] = await server.db.query(
      "SELECT id FROM articles WHERE status = 'PUBLISHED' AND comments_open ORDER BY id LIMIT 1",
    );
    articleId = toGlobalId("Article", row.id);
  }, 60_000);
  afterAll(async () => {
    Redis.prototype.sendCommand = sendCommand;
    redis?.thaw();
    await feed?.dispose();
    await server?.stop();
    await redis?.stop();
  });

  const readyz = () => rawRequest(rootUrl(server.url) + "/readyz", { timeoutMs: STALLED_TEST_MS });
  const comment = (body: string) =>
    server.request(HardeningAddCommentDocument, { input: commentInput(articleId, { body }) });
  /** The public comment events of the article after a feed_events id, in log order, from the table. */
  const loggedAfter = async (eventId: string): Promise<string[]> => {
    const rows: { comment_id: number }[] = await server.db.query(
      `SELECT comment_id FROM feed_events WHERE article_id = $1 AND kind = 'COMMENT_PUBLIC' AND id > $2::bigint
       ORDER BY id`,
      [dbId(articleId), eventId],
    );
    return rows.map((r) => toGlobalId("Comment", r.comment_id));
  };

  test(
    "every Redis call times out and every request answers; after the stall every subscriber has every event once, in order",
    async () => {
      feed = new FeedClient(server.url);
      const first = ok(await comment("Before the stall")).addComment.comment;
      const [startRow] = await feedRowsOfComment(server.db, first.id);
      const since = cursorOf(startRow!);
      const early = feed.subscribe(FeedCommentAddedDocument, { articleId, since });
      const probe = ok(await comment("Probe")).addComment.comment;
      expect((await early.take(1)).map((v) => v.commentAdded.comment.id)).toEqual([probe.id]);
      expect((await readyz()).json.redis).toBe("up");
      // Two comments held for moderation (a filled honeypot): approved after the stall, they are the events
      // that follow it (the address's Redis counter, once Redis runs the calls that timed out, is spent).
      const held = [];
      for (const body of ["Held one", "Held two"]) {
        const res = await server.request(HardeningAddCommentDocument, {
          input: commentInput(articleId, { body, honeypot: "filled in" }),
        });
        expect(ok(res).addComment.comment.status).toBe("PENDING");
        held.push(ok(res).addComment.comment.id);
      }
      const approve = async (id: string) => {
        const res = await server.post(
          {
            query: `mutation ($id: ID!) { moderateComment(id: $id, status: APPROVED) { id status } }`,
            variables: { id },
          },
          { token: editor },
        );
        expect([res.json.errors, res.json.data?.moderateComment.status]).toEqual([undefined, "APPROVED"]);
      };

      redis.freeze();
      sent = [];
      let late: Stream<any>[] = [];
      try {
        const burst = Promise.all([
          ...Array.from({ length: READS }, () => server.post({ query: READ })),
          ...Array.from({ length: WRITES }, (_, i) =>
            server.post(
              {
                query: CREATE,
                variables: { input: { title: `Stalled write ${i}`, body: "Filed while Redis slept." } },
              },
              { token: editor },
            ),
          ),
        ]);
        const comments = await Promise.all(
          Array.from({ length: COMMENTS }, (_, i) => comment(`During the stall #${i}`)),
        );
        const results = await burst;
        late = Array.from({ length: LATE_SUBSCRIBERS }, () =>
          feed.subscribe(FeedCommentAddedDocument, { articleId, since }),
        );

        for (const res of results) expect([res.status, res.json.errors]).toEqual([200, undefined]);
        // The local counters start empty (Redis holds the four before): exactly the limit gets through.
        const outcomes = comments.map((c) => (c.errors ? codes(c).join() : c.data!.addComment.comment.status));
        expect(outcomes.filter((o) => o === "APPROVED")).toHaveLength(RATE_LIMIT);
        expect(outcomes.filter((o) => o !== "APPROVED")).toEqual(Array(COMMENTS - RATE_LIMIT).fill("RATE_LIMITED"));

        // Every command sent to the sleeping Redis was rejected by its bound; none was answered or left
        // pending (allSettled resolving is the proof: Redis is still asleep).
        const recorded = sent;
        expect(recorded.length).toBeGreaterThan(0);
        const settled = await Promise.all(recorded.map((s) => s.settled));
        expect(settled.filter((s) => s !== "Command timed out")).toEqual([]);

        // The stall's comments reach every subscriber from the database poll, while Redis still sleeps.
        const expected = await loggedAfter(startRow!.id);
        expect(expected).toHaveLength(1 + RATE_LIMIT);
        for (const stream of [early, ...late]) {
          const got = await stream.take(expected.length, STALLED_TEST_MS);
          expect(got.map((v) => v.commentAdded.comment.id)).toEqual(expected);
        }
        const ready = await readyz();
        expect([ready.status, ready.json]).toEqual([200, { status: "ready", database: "up", redis: "degraded" }]);
      } finally {
        sent = null;
        redis.thaw();
      }

      await waitFor(async () => (await readyz()).json.redis === "up", "/readyz to report redis up again");
      expect(log.lines().some((l) => l.msg === "redis is not answering; using fallbacks")).toBe(true);
      // A comment after the wake-up: each stream has it right after the burst, with nothing repeated between
      // (a catch-up on recovery that replayed the burst would show here).
      await approve(held[0]!);
      const expected = await loggedAfter(startRow!.id);
      expect(expected.at(-1)).toBe(held[0]);
      expect(new Set(expected).size).toBe(expected.length);
      for (const stream of [early, ...late]) {
        const got = await stream.take(expected.length, STALLED_TEST_MS);
        expect(got.map((v) => v.commentAdded.comment.id)).toEqual(expected);
        expect(stream.errors).toEqual([]);
      }
      // Nothing beyond: a second sentinel is the very next value of every stream.
      await approve(held[1]!);
      for (const stream of [early, ...late]) {
        const got = await stream.take(expected.length + 1, STALLED_TEST_MS);
        expect(got.at(-1)!.commentAdded.comment.id).toBe(held[1]);
        expect(stream.values).toHaveLength(expected.length + 1);
      }
    },
    STALLED_TEST_MS * 2,
  );
});
