/**
 * Gap-free resume: `since: <cursor>` replays, in log order, every matching
 * event made public after the cursor (replayed: true), then continues live
 * (replayed: false), with no gap and no duplicate at the seam, including when
 * two transactions commit in the opposite order of their ids.
 */
import { Client } from "pg";
import { toGlobalId } from "../../src/shared/node-id";
import {
  FeedArticlePublishedDocument,
  FeedCommentAddedDocument,
  FeedModerateCommentDocument,
} from "../generated/graphql";
import { ClientPool, waitFor, waitForListeners } from "../support/feed-client";
import {
  compareCursors,
  cursorOf,
  dbId,
  dispatchedPast,
  dispatcherIdle,
  feedRowsOfArticle,
  feedRowsOfComment,
  ok,
  positionOf,
  postComment,
  publishedArticle,
} from "../support/feed-fixtures";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

const onPostgres = process.env.DATABASE_URL ? test : test.skip;

let server: TestServer;
let pool: ClientPool;
let editor: string;

beforeAll(async () => {
  // No poll: the dispatcher reads when a write wakes it (or a test does), nothing else.
  server = await startTestServer({ commentRateLimit: 100_000, feedPollMs: 600_000 });
  pool = new ClientPool(() => server.url);
  editor = await server.token("resume-editor", "EDITOR");
});
afterEach(() => pool.closeAll(server));
afterAll(() => server?.stop());

const listening = (n: number) => waitForListeners(server, server.services.feedDispatcher.listenerCount + n);

type CommentEvents = { commentAdded: { cursor: string; replayed: boolean; comment: { id: string } } }[];
const ids = (values: CommentEvents) => values.map((v) => v.commentAdded.comment.id);
const flags = (values: CommentEvents) => values.map((v) => v.commentAdded.replayed);

/** Asserts the cursors strictly increase in log order. */
function expectIncreasing(cursors: string[]): void {
  for (let i = 1; i < cursors.length; i++) expect(compareCursors(cursors[i - 1]!, cursors[i]!)).toBeLessThan(0);
}

test("after a dropped connection, resuming with the last cursor replays exactly what was missed, then goes live", async () => {
  const article = await publishedArticle(server, editor);
  const first = pool.client();
  const stream = first.subscribe(FeedCommentAddedDocument, { articleId: article.id });
  await listening(1);
  const c1 = await postComment(server, article.id);
  const [received] = await stream.take(1);
  expect(received!.commentAdded.comment.id).toBe(c1.id);
  const last = received!.commentAdded.cursor;

  // The connection drops; the server notices and ends the subscription.
  first.terminate();
  await waitFor(
    () => server.services.feedDispatcher.listenerCount === 0,
    () => "the server to drop the subscription",
  );
  const missed = [];
  for (let i = 0; i < 3; i++) missed.push(await postComment(server, article.id, { body: `Missed #${i + 1}` }));

  // (That this instance has dispatched them too is covered by the last test of this file.)
  await dispatchedPast(server, (await feedRowsOfComment(server.db, missed[2]!.id))[0]!);
  const resumed = pool.client().subscribe(FeedCommentAddedDocument, { articleId: article.id, since: last });
  const replay = await resumed.take(3);
  expect(replay.map((v) => [v.commentAdded.comment.id, v.commentAdded.comment.body, v.commentAdded.replayed])).toEqual([
    [missed[0]!.id, "Missed #1", true],
    [missed[1]!.id, "Missed #2", true],
    [missed[2]!.id, "Missed #3", true],
  ]);
  for (const [i, v] of replay.entries()) {
    expect(v.commentAdded.cursor).toBe(cursorOf((await feedRowsOfComment(server.db, missed[i]!.id))[0]!));
  }

  const live = await postComment(server, article.id, { body: "Live again" });
  const all = await resumed.take(4);
  expect(all[3]!.commentAdded).toMatchObject({ replayed: false, comment: { id: live.id, body: "Live again" } });
  expectIncreasing([last, ...all.map((v) => v.commentAdded.cursor)]);

  // Nothing is sent twice: the next thing after a sentinel is the sentinel.
  const sentinel = await postComment(server, article.id);
  await resumed.take(5);
  expect(ids(resumed.values)).toEqual([...missed.map((c) => c.id), live.id, sentinel.id]);
  expect(flags(resumed.values)).toEqual([true, true, true, false, false]);
});

test("a replay holds the comments public now, at the time they became public", async () => {
  const article = await publishedArticle(server, editor);
  const other = await publishedArticle(server, editor);
  const held = await postComment(server, article.id, { body: "Held, approved later", honeypot: "x" });
  expect(held.status).toBe("PENDING");
  const start = await postComment(server, article.id);
  const since = cursorOf((await feedRowsOfComment(server.db, start.id))[0]!);

  const c2 = await postComment(server, article.id, { body: "Still public" });
  await postComment(server, other.id, { body: "Another article" });
  const hidden = await postComment(server, article.id, { body: "Public, then rejected" });
  ok(await server.request(FeedModerateCommentDocument, { id: hidden.id, status: "REJECTED" }, { token: editor }));
  ok(await server.request(FeedModerateCommentDocument, { id: held.id, status: "APPROVED" }, { token: editor }));
  const c5 = await postComment(server, article.id, { body: "Last before resuming" });
  await dispatchedPast(server, (await feedRowsOfComment(server.db, c5.id))[0]!);

  const stream = pool.client().subscribe(FeedCommentAddedDocument, { articleId: article.id, since });
  await stream.take(3);
  expect(stream.values.map((v) => [v.commentAdded.comment.id, v.commentAdded.comment.status])).toEqual([
    [c2.id, "APPROVED"],
    [held.id, "APPROVED"],
    [c5.id, "APPROVED"],
  ]);
  expect(flags(stream.values)).toEqual([true, true, true]);
  expectIncreasing([since, ...stream.values.map((v) => v.commentAdded.cursor)]);

  const live = await postComment(server, article.id);
  await stream.take(4);
  expect(ids(stream.values)).toEqual([c2.id, held.id, c5.id, live.id]);
  expect(flags(stream.values)).toEqual([true, true, true, false]);
});

test("comments committed while a resume is replaying arrive exactly once, in order, across the seam", async () => {
  const article = await publishedArticle(server, editor);
  const start = await postComment(server, article.id);
  const since = cursorOf((await feedRowsOfComment(server.db, start.id))[0]!);
  const posted: string[] = [];
  for (let i = 0; i < 15; i++) posted.push((await postComment(server, article.id)).id);

  // Subscribe while 25 more comments are being written, one after another.
  const stream = pool.client().subscribe(FeedCommentAddedDocument, { articleId: article.id, since });
  for (let i = 0; i < 25; i++) posted.push((await postComment(server, article.id)).id);

  const values = await stream.take(40, 20_000);
  expect(ids(values)).toEqual(posted);
  // Replayed first, live after: one seam.
  const seam = flags(values).indexOf(false);
  expect(flags(values)).toEqual(values.map((_, i) => seam === -1 || i < seam));
  expectIncreasing([since, ...values.map((v) => v.commentAdded.cursor)]);

  const sentinel = await postComment(server, article.id);
  await stream.take(41);
  expect(ids(stream.values)).toEqual([...posted, sentinel.id]);
});

test("articlePublished resumes too, with its topic filter applied to the replay", async () => {
  const a1 = await publishedArticle(server, editor, { topicSlugs: ["transport"] });
  const [row] = await feedRowsOfArticle(server.db, a1.id);
  expect(row!.kind).toBe("ARTICLE_PUBLISHED");
  const since = cursorOf(row!);
  const a2 = await publishedArticle(server, editor, { topicSlugs: ["business"] });
  const a3 = await publishedArticle(server, editor, { topicSlugs: ["transport", "science"] });
  const a4 = await publishedArticle(server, editor, { topicSlugs: ["transport"] });

  await dispatchedPast(server, (await feedRowsOfArticle(server.db, a4.id))[0]!);
  const transport = pool.client().subscribe(FeedArticlePublishedDocument, { topicSlugs: ["transport"], since });
  const everything = pool.client().subscribe(FeedArticlePublishedDocument, { since });
  const replayed = (await transport.take(2)).map((v) => [v.articlePublished.article.id, v.articlePublished.replayed]);
  expect(replayed).toEqual([
    [a3.id, true],
    [a4.id, true],
  ]);
  const all = await everything.take(3);
  expect(all.map((v) => [v.articlePublished.article.id, v.articlePublished.replayed])).toEqual([
    [a2.id, true],
    [a3.id, true],
    [a4.id, true],
  ]);

  await waitForListeners(server, 2);
  const a5 = await publishedArticle(server, editor, { topicSlugs: ["transport"] });
  expect((await transport.take(3))[2]!.articlePublished).toMatchObject({ replayed: false, article: { id: a5.id } });
  expect((await everything.take(4))[3]!.articlePublished).toMatchObject({ replayed: false, article: { id: a5.id } });
});

/*
 * The log's order is commit order: writers append their event as the last
 * step of the transaction, under a transaction-scoped lock (newsgraph_feed_append),
 * so event ids become visible strictly in order and a reader resuming after id
 * N can never skip a transaction that commits late. Two raw connections play
 * the writers, doing what the service does.
 */
describe("two concurrent transactions committing out of order", () => {
  let t1: Client;
  let t2: Client;
  let articleDbId: number;

  beforeEach(async () => {
    t1 = new Client({ connectionString: server.config.databaseUrl });
    t2 = new Client({ connectionString: server.config.databaseUrl });
    await Promise.all([t1.connect(), t2.connect()]);
  });
  afterEach(async () => {
    for (const c of [t1, t2]) {
      await c.query("ROLLBACK").catch(() => undefined);
      await c.end().catch(() => undefined);
    }
  });

  /** Inserts an approved comment in the open transaction of `c`. */
  async function insertComment(c: Client, body: string): Promise<{ dbId: number; id: string }> {
    const [row] = (
      await c.query(
        `INSERT INTO comments (article_id, depth, author_name, email, body, status, created_at)
         VALUES ($1, 0, 'Concurrent', 'concurrent@example.com', $2, 'APPROVED', now()) RETURNING id`,
        [articleDbId, body],
      )
    ).rows;
    return { dbId: row.id, id: toGlobalId("Comment", row.id) };
  }

  /** Appends the comment's event, as the service does just before COMMIT; returns the event id. */
  async function append(c: Client, commentDbId: number): Promise<string> {
    const { rows } = await c.query("SELECT newsgraph_feed_append('COMMENT_PUBLIC', $1, $2)::text AS id", [
      articleDbId,
      commentDbId,
    ]);
    return rows[0].id;
  }

  /** Resolves once the backend of `c` waits for a lock. */
  async function waitingForLock(c: Client): Promise<void> {
    const pid = (c as unknown as { processID: number }).processID;
    await waitFor(
      async () => {
        const { rows } = await t1.query("SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1", [pid]);
        return rows[0]?.wait_event_type === "Lock";
      },
      () => `backend ${pid} to wait for the feed lock`,
    );
  }

  onPostgres("the one that began first but commits last is delivered after the other, each once", async () => {
    const article = await publishedArticle(server, editor);
    articleDbId = dbId(article.id);
    const live = pool.client().subscribe(FeedCommentAddedDocument, { articleId: article.id });
    await listening(1);
    const c0 = await postComment(server, article.id, { body: "Before both" });
    const [e0] = await live.take(1);
    const before = e0!.commentAdded.cursor;

    // T1 begins and writes first; T2 begins and writes second, then commits first.
    await t1.query("BEGIN");
    const first = await insertComment(t1, "T1: began first, commits last");
    await t2.query("BEGIN");
    const second = await insertComment(t2, "T2: began second, commits first");
    expect(first.dbId).toBeLessThan(second.dbId);
    const secondEvent = await append(t2, second.dbId);
    await t2.query("COMMIT");
    await dispatchedPast(server, { id: secondEvent });
    expect(ids(await live.take(2))).toEqual([c0.id, second.id]);

    // Resume in between, from before both: T2's event is replayed; T1's is not there yet.
    const between = pool.client().subscribe(FeedCommentAddedDocument, { articleId: article.id, since: before });
    const [replayed] = await between.take(1);
    expect(replayed!.commentAdded).toMatchObject({ replayed: true, comment: { id: second.id } });

    const firstEvent = await append(t1, first.dbId);
    await t1.query("COMMIT");
    expect(BigInt(firstEvent)).toBeGreaterThan(BigInt(secondEvent));
    await dispatchedPast(server, { id: firstEvent });

    expect(ids(await live.take(3))).toEqual([c0.id, second.id, first.id]);
    expect((await between.take(2)).map((v) => [v.commentAdded.comment.id, v.commentAdded.replayed])).toEqual([
      [second.id, true],
      [first.id, false],
    ]);
    const [cursorSecond, cursorFirst] = [live.values[1]!.commentAdded.cursor, live.values[2]!.commentAdded.cursor];
    expect([cursorSecond, cursorFirst]).toEqual([cursorOf({ id: secondEvent }), cursorOf({ id: firstEvent })]);

    // Settled: from T2's cursor, T1's event and nothing older; from T1's, nothing old at all.
    const fromSecond = pool
      .client()
      .subscribe(FeedCommentAddedDocument, { articleId: article.id, since: cursorSecond });
    const fromFirst = pool.client().subscribe(FeedCommentAddedDocument, { articleId: article.id, since: cursorFirst });
    expect((await fromSecond.take(1)).map((v) => [v.commentAdded.comment.id, v.commentAdded.replayed])).toEqual([
      [first.id, true],
    ]);
    await waitForListeners(server, 4);
    const after = await postComment(server, article.id, { body: "After both" });
    for (const [stream, expected] of [
      [live, [c0.id, second.id, first.id, after.id]],
      [between, [second.id, first.id, after.id]],
      [fromSecond, [first.id, after.id]],
      [fromFirst, [after.id]],
    ] as const) {
      await stream.take(expected.length);
      expect(ids(stream.values)).toEqual(expected);
    }
    expect(fromFirst.values[0]!.commentAdded.replayed).toBe(false);
  });

  onPostgres("an event appended but not committed holds back every later one; nothing is skipped", async () => {
    const article = await publishedArticle(server, editor);
    articleDbId = dbId(article.id);
    const live = pool.client().subscribe(FeedCommentAddedDocument, { articleId: article.id });
    await listening(1);
    const c0 = await postComment(server, article.id, { body: "Before both" });
    await live.take(1);
    const before = live.values[0]!.commentAdded.cursor;

    // T1 appends its event (taking the next id) and does not commit yet.
    await t1.query("BEGIN");
    const first = await insertComment(t1, "T1: appended first, commits late");
    const firstEvent = await append(t1, first.dbId);
    // T2 finishes its work and tries to append: it must wait for T1, not take a later id and commit ahead.
    await t2.query("BEGIN");
    const second = await insertComment(t2, "T2: waits for T1");
    const secondAppend = append(t2, second.dbId);
    await waitingForLock(t2);

    // Readers see neither yet: the dispatcher stays before T1's event, and a resume replays nothing.
    await server.services.feedDispatcher.wake();
    expect(server.services.feedDispatcher.position.id < positionOf({ id: firstEvent }).id).toBe(true);
    const resumed = pool.client().subscribe(FeedCommentAddedDocument, { articleId: article.id, since: before });
    await listening(1);

    await t1.query("COMMIT");
    const secondEvent = await secondAppend;
    expect(BigInt(secondEvent)).toBeGreaterThan(BigInt(firstEvent));
    await t2.query("COMMIT");
    await dispatchedPast(server, { id: secondEvent });

    expect(ids(await live.take(3))).toEqual([c0.id, first.id, second.id]);
    expect(ids(await resumed.take(2))).toEqual([first.id, second.id]);
    const sentinel = await postComment(server, article.id);
    await live.take(4);
    await resumed.take(3);
    expect(ids(live.values)).toEqual([c0.id, first.id, second.id, sentinel.id]);
    expect(ids(resumed.values)).toEqual([first.id, second.id, sentinel.id]);
  });
});

// A subscription goes live from the end of the log, not from where this instance's dispatcher has
// read up to: an event committed before the resume is replayed even if it has not been dispatched yet.
test("an event committed before a resume is replayed even if this instance has not dispatched it yet", async () => {
  const article = await publishedArticle(server, editor);
  const start = await postComment(server, article.id);
  await dispatchedPast(server, (await feedRowsOfComment(server.db, start.id))[0]!);
  const since = cursorOf((await feedRowsOfComment(server.db, start.id))[0]!);
  // From here on nothing wakes the dispatcher until the test does (no poll, no hint).
  await dispatcherIdle(server);

  // Committed, in the log, but no hint reached the dispatcher yet.
  const [row] = await server.db.query<{ id: number }>(
    `INSERT INTO comments (article_id, depth, author_name, email, body, status, created_at)
     VALUES ($1, 0, 'Unhinted', 'unhinted@example.com', 'Committed before the resume', 'APPROVED', now()) RETURNING id`,
    [dbId(article.id)],
  );
  await server.db.query("SELECT newsgraph_feed_append('COMMENT_PUBLIC', $1, $2)", [dbId(article.id), row!.id]);

  const stream = pool.client().subscribe(FeedCommentAddedDocument, { articleId: article.id, since });
  await listening(1);
  await server.services.feedDispatcher.wake();
  const [first] = await stream.take(1);
  expect(first!.commentAdded).toMatchObject({ comment: { id: toGlobalId("Comment", row!.id) }, replayed: true });
});
