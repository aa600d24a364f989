/**
 * Feed positions past every digit boundary and every read batch. The log is
 * read in batches of 500 (live and replay); event ids are bigints that travel
 * as text. These tests write 1,200 events at once (more than two batches,
 * ids crossing 9->10, 99->100 and 999->1000) and check what subscribers
 * receive against an order the test computes itself: the comments' bodies are
 * numbered in the order they were written, and that is the only order allowed.
 */
import { FeedCommentAddedDocument } from "../generated/graphql";
import { ClientPool, waitForListeners } from "../support/feed-client";
import {
  bulkPublicComments,
  commentEventIds,
  cursorOf,
  dbId,
  logHead,
  postComment,
  publishedArticle,
  unique,
} from "../support/feed-fixtures";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

const COUNT = 1_200;

let server: TestServer;
let pool: ClientPool;
let editor: string;

// A server (and log) of each test's own, so that every test's ids cross the boundaries it names, in any order.
beforeEach(async () => {
  // No poll timer: the dispatcher reads when a write wakes it, or when a test does.
  server = await startTestServer({ commentRateLimit: 100_000, feedPollMs: 600_000 });
  pool = new ClientPool(() => server.url);
  editor = await server.token("positions-editor", "EDITOR");
});
afterEach(async () => {
  await pool?.closeAll(server);
  await server?.stop();
});

type Values = { commentAdded: { cursor: string; replayed: boolean; comment: { body: string } } }[];
const bodies = (values: Values) => values.map((v) => v.commentAdded.comment.body);

/** A published article with COUNT bulk comments; their bodies in write order, and their event ids. */
async function articleWithBulkComments() {
  const article = await publishedArticle(server, editor);
  const label = unique("bulk").replace(/[^A-Za-z0-9-]/g, "");
  const expected = await bulkPublicComments(server.db, dbId(article.id), COUNT, label);
  const events = await commentEventIds(server.db, dbId(article.id));
  expect(events.map((e) => e.body)).toEqual(expected);
  return { article, expected, events };
}

test("live subscribers receive 1,200 events committed at once exactly once each, in commit order", async () => {
  // The premise: this file's log is young enough that the batch crosses 9->10, 99->100 and 999->1000.
  const article = await publishedArticle(server, editor);
  const head = await logHead(server.db);
  expect(head).toBeLessThan(9n);

  const streams = [pool.client(), pool.client()].map((c) =>
    c.subscribe(FeedCommentAddedDocument, { articleId: article.id }),
  );
  await waitForListeners(server, 2);
  const label = unique("live").replace(/[^A-Za-z0-9-]/g, "");
  const expected = await bulkPublicComments(server.db, dbId(article.id), COUNT, label);
  expect(await logHead(server.db)).toBeGreaterThan(1_000n);
  // One wake: the dispatcher must read all of it, 500 at a time, without a hint per event.
  await server.services.feedDispatcher.wake();

  const sentinel = await postComment(server, article.id, { body: "After the bulk" });
  for (const stream of streams) {
    await stream.take(COUNT + 1);
    expect(bodies(stream.values as Values)).toEqual([...expected, sentinel.body]);
    expect((stream.values as Values).every((v) => !v.commentAdded.replayed)).toBe(true);
    expect(new Set((stream.values as Values).map((v) => v.commentAdded.cursor)).size).toBe(COUNT + 1);
  }
});

test("resuming from a cursor at any digit boundary replays exactly the events after it, in order, then goes live", async () => {
  const { article, expected, events } = await articleWithBulkComments();
  const ids = events.map((e) => BigInt(e.id));
  // Start just before and at each boundary the batch crosses, at a read-batch edge, and at the first event.
  const wanted = [8n, 9n, 10n, 98n, 99n, 100n, 998n, 999n, 1_000n];
  const starts = [0, ...wanted.map((id) => ids.indexOf(id)).filter((i) => i >= 0), 499, 500, COUNT - 2];
  expect(starts.length).toBeGreaterThanOrEqual(9); // most boundaries fall inside this article's events

  for (const start of [...new Set(starts)]) {
    const stream = pool
      .client()
      .subscribe(FeedCommentAddedDocument, { articleId: article.id, since: cursorOf(events[start]!) });
    const missed = expected.slice(start + 1);
    await stream.take(missed.length);
    await waitForListeners(server, 1);
    const live = await postComment(server, article.id, { body: `Live after ${start}` });
    await stream.take(missed.length + 1);
    const values = stream.values as Values;
    expect(bodies(values)).toEqual([...missed, live.body]);
    expect(values.map((v) => v.commentAdded.replayed)).toEqual([...missed.map(() => true), false]);
    await pool.closeAll(server);
    expected.push(live.body);
  }
});

test("positions far past 32 and 53 bits keep their order on the live path and on replay", async () => {
  const article = await publishedArticle(server, editor);
  const expected: string[] = [];
  // Jump the id sequence to just below 10^4, 2^31, 2^53 (where a JS number stops being exact) and 10^18.
  for (const below of [10_000n, 2n ** 31n, 2n ** 53n, 10n ** 18n]) {
    await server.db.query("SELECT setval(pg_get_serial_sequence('feed_events', 'id'), $1::bigint)", [
      (below - 5n).toString(),
    ]);
    expected.push(
      ...(await bulkPublicComments(server.db, dbId(article.id), 10, unique("far").replace(/[^A-Za-z0-9-]/g, ""))),
    );
  }
  const events = await commentEventIds(server.db, dbId(article.id));
  expect(events.map((e) => e.body)).toEqual(expected);
  expect(BigInt(events[events.length - 1]!.id)).toBeGreaterThan(10n ** 18n);

  // Replay from the first event: everything after it, in order.
  const replay = pool
    .client()
    .subscribe(FeedCommentAddedDocument, { articleId: article.id, since: cursorOf(events[0]!) });
  await replay.take(expected.length - 1);
  expect(bodies(replay.values as Values)).toEqual(expected.slice(1));

  // Live: a subscriber present while ten more cross 10^18 + 5 -> ... gets them in order, and the cursors resume.
  const live = pool.client().subscribe(FeedCommentAddedDocument, { articleId: article.id });
  await waitForListeners(server, 2);
  const more = await bulkPublicComments(
    server.db,
    dbId(article.id),
    10,
    unique("farlive").replace(/[^A-Za-z0-9-]/g, ""),
  );
  await server.services.feedDispatcher.wake();
  await live.take(10);
  expect(bodies(live.values as Values)).toEqual(more);
  const resumed = pool.client().subscribe(FeedCommentAddedDocument, {
    articleId: article.id,
    since: (live.values as Values)[4]!.commentAdded.cursor,
  });
  await resumed.take(5);
  expect(bodies(resumed.values as Values)).toEqual(more.slice(5));
});
