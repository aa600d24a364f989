/**
 * Many instances (PostgreSQL only: PGlite serves one process): two server
 * processes built from this tree (`node dist/src/main.js`) share one
 * PostgreSQL database and a private Redis. The feed's poll timer is off
 * (FEED_POLL_MS=0), so an instance learns of another's writes only through
 * Redis: a hint per committed event, and a catch-up read whenever its Redis
 * connection comes back.
 */
import type { Client } from "pg";
import { FeedCommentAddedDocument } from "../generated/graphql";
import type { FeedClient } from "../support/feed-client";
import { ClientPool, waitFor } from "../support/feed-client";
import type { Requester } from "../support/feed-fixtures";
import { cursorOf, feedRowsOfComment, httpRequester, postComment, queryable } from "../support/feed-fixtures";
import type { PrivateRedis, TwoInstances } from "../support/feed-processes";
import { ServerProcess, startTwoInstances } from "../support/feed-processes";
import { toGlobalId } from "../../src/shared/node-id";

const describeOnPostgres = process.env.DATABASE_URL ? describe : describe.skip;

describeOnPostgres("two instances through Redis", () => {
  let two: TwoInstances;
  let a: ServerProcess;
  let b: ServerProcess;
  let redis: PrivateRedis;
  let apiA: Requester;
  let apiB: Requester;
  let pg: Client;
  let poolA: ClientPool;
  let poolB: ClientPool;
  let articleId: string;

  beforeAll(async () => {
    two = await startTwoInstances();
    ({ a, b, redis, pg } = two);
    apiA = httpRequester(() => a.url);
    apiB = httpRequester(() => b.url);
    poolA = new ClientPool(() => a.url);
    poolB = new ClientPool(() => b.url);
    articleId = toGlobalId("Article", two.articleDbId);
  }, 300_000);

  afterEach(async () => {
    await poolA.closeAll();
    await poolB.closeAll();
  });

  afterAll(() => two?.stop(), 60_000);

  const cursorOfComment = async (id: string) => cursorOf((await feedRowsOfComment(queryable(pg), id))[0]!);

  /**
   * A subscription on `client` that is surely live: it starts from the cursor of a fresh comment, and
   * a probe comment posted through `via` has reached it (replayed or live: either way it is set up).
   */
  async function liveSubscription(client: FeedClient, via: Requester) {
    const start = await postComment(via, articleId, { body: "Starting point" });
    const stream = client.subscribe(FeedCommentAddedDocument, { articleId, since: await cursorOfComment(start.id) });
    const probe = await postComment(via, articleId, { body: "Probe" });
    const [first] = await stream.take(1, 30_000);
    expect(first!.commentAdded.comment.id).toBe(probe.id);
    return stream;
  }

  test("a subscriber on instance B receives, live, a comment posted through instance A (and back)", async () => {
    expect([a.url, b.url].every((u) => /^http:\/\/127\.0\.0\.1:\d+\/graphql$/.test(u))).toBe(true);
    expect(a.url).not.toBe(b.url);
    const onB = await liveSubscription(poolB.client(), apiA);
    const viaA = await postComment(apiA, articleId, { authorName: "Posted On A", body: "Across instances" });
    const [, received] = await onB.take(2, 30_000);
    expect(received!.commentAdded).toEqual({
      cursor: await cursorOfComment(viaA.id),
      replayed: false,
      comment: {
        id: viaA.id,
        body: "Across instances",
        authorName: "Posted On A",
        status: "APPROVED",
        article: { id: articleId, title: expect.any(String) },
      },
    });

    const onA = await liveSubscription(poolA.client(), apiB);
    const viaB = await postComment(apiB, articleId, { body: "And back" });
    const [, back] = await onA.take(2, 30_000);
    expect(back!.commentAdded).toMatchObject({ replayed: false, comment: { id: viaB.id, body: "And back" } });
  });

  test("Redis down: writes still succeed; once it is back, subscribers catch up in order with no gap", async () => {
    const onB = await liveSubscription(poolB.client(), apiA);
    const onA = await liveSubscription(poolA.client(), apiA);
    // Both have received everything up to here once they have this one.
    const sync = await postComment(apiA, articleId, { body: "In sync" });
    const upTo = async (stream: typeof onA) => {
      await waitFor(
        () => stream.values.some((v) => v.commentAdded.comment.id === sync.id),
        () => `the sync comment; ${stream.summary()}`,
        30_000,
      );
      return stream.values.length;
    };
    const countB = await upTo(onB);
    const countA = await upTo(onA);

    await redis.crash();
    const offline = [];
    for (let i = 1; i <= 3; i++) {
      const comment = await postComment(apiA, articleId, { body: `Written while Redis is down #${i}` });
      expect(comment.status).toBe("APPROVED");
      offline.push(comment);
    }
    offline.push(await postComment(apiB, articleId, { body: "Written on B while Redis is down" }));
    // With the poll off and Redis down, no instance has any way to hear of these yet.
    expect(onB.values).toHaveLength(countB);

    await redis.restart();
    const caughtUpB = (await onB.take(countB + 4, 30_000)).slice(countB);
    expect(caughtUpB.map((v) => [v.commentAdded.comment.id, v.commentAdded.replayed])).toEqual(
      offline.map((c) => [c.id, false]),
    );
    const caughtUpA = (await onA.take(countA + 4, 30_000)).slice(countA);
    expect(caughtUpA.map((v) => v.commentAdded.comment.id)).toEqual(offline.map((c) => c.id));

    // And live hints flow again.
    const after = await postComment(apiA, articleId, { body: "Redis is back" });
    await onB.take(countB + 5, 30_000);
    expect(onB.values.map((v) => v.commentAdded.comment.id).slice(countB)).toEqual([
      ...offline.map((c) => c.id),
      after.id,
    ]);
    expect(b.logged(/redis bus reconnected/)).not.toHaveLength(0);
    expect(a.logged(/redis bus reconnected/)).not.toHaveLength(0);
  }, 120_000);

  test("an instance shutting down closes its sockets with 1001; clients resume on the other without a gap", async () => {
    // A subscriber that stays on B: once it has an event, B has dispatched it.
    const watcher = await liveSubscription(poolB.client(), apiB);
    // An instance of its own to stop, so the other tests (in any order) keep A and B.
    const c = await ServerProcess.start("instance C", two.env);
    const client = new ClientPool(() => c.url).client();
    const onA = await liveSubscription(client, apiB);
    const last = onA.values[onA.values.length - 1]!.commentAdded;
    await waitFor(
      () => watcher.values.some((v) => v.commentAdded.cursor === last.cursor),
      () => `the watcher to get ${last.comment.id}; ${watcher.summary()}`,
      30_000,
    );
    const watched = watcher.values.length;

    expect(await c.stop()).toBe(0);
    await onA.ended();
    expect(client.closes.map((c) => c.code)).toEqual([1001]);

    const missed = [];
    for (let i = 1; i <= 2; i++) missed.push(await postComment(apiB, articleId, { body: `Missed #${i}` }));
    await watcher.take(watched + 2, 30_000);
    const resumed = poolB.client().subscribe(FeedCommentAddedDocument, { articleId, since: last.cursor });
    const replay = await resumed.take(2, 30_000);
    expect(replay.map((v) => [v.commentAdded.comment.id, v.commentAdded.replayed])).toEqual(
      missed.map((c) => [c.id, true]),
    );
    const live = await postComment(apiB, articleId, { body: "Live on B" });
    const [, , third] = await resumed.take(3, 30_000);
    expect(third!.commentAdded).toMatchObject({ replayed: false, comment: { id: live.id } });
  }, 120_000);
});
