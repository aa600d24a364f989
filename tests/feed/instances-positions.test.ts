/**
 * Feed positions across instances (PostgreSQL only: PGlite serves one
 * process). 1,200 events are committed at once, crossing 9->10, 99->100 and
 * 999->1000 and more than two read batches; one hint through Redis must bring
 * every one of them, in order, to live subscribers on both instances, and a
 * subscriber that resumes on the other instance replays them in order. The
 * expected order is the comments' bodies, numbered as they were written.
 */
import { FeedCommentAddedDocument } from "../generated/graphql";
import { ClientPool } from "../support/feed-client";
import {
  bulkPublicComments,
  commentEventIds,
  cursorOf,
  feedRowsOfComment,
  httpRequester,
  logHead,
  postComment,
  queryable,
} from "../support/feed-fixtures";
import type { TwoInstances } from "../support/feed-processes";
import { startTwoInstances } from "../support/feed-processes";
import { toGlobalId } from "../../src/shared/node-id";

const describeOnPostgres = process.env.DATABASE_URL ? describe : describe.skip;
const COUNT = 1_200;

describeOnPostgres("feed positions across two instances through Redis", () => {
  let two: TwoInstances;
  let poolA: ClientPool;
  let poolB: ClientPool;

  beforeAll(async () => {
    two = await startTwoInstances();
    poolA = new ClientPool(() => two.a.url);
    poolB = new ClientPool(() => two.b.url);
  }, 300_000);
  afterAll(async () => {
    await poolA?.closeAll();
    await poolB?.closeAll();
    await two?.stop();
  }, 60_000);

  type Values = { commentAdded: { cursor: string; replayed: boolean; comment: { body: string } } }[];
  const bodies = (values: unknown[]) => (values as Values).map((v) => v.commentAdded.comment.body);

  test("one hint delivers 1,200 events on both instances once each, in order; a resume on the other replays them", async () => {
    const db = queryable(two.pg);
    const articleId = toGlobalId("Article", two.articleDbId);
    const apiA = httpRequester(() => two.a.url);
    expect(await logHead(db)).toBeLessThan(9n);

    // Surely live on both: each starts from the cursor of a fresh comment, and a probe after it reaches both.
    const start = await postComment(apiA, articleId, { body: "Starting point" });
    const since = cursorOf((await feedRowsOfComment(db, start.id))[0]!);
    const onA = poolA.client().subscribe(FeedCommentAddedDocument, { articleId, since });
    const onB = poolB.client().subscribe(FeedCommentAddedDocument, { articleId, since });
    const probe = await postComment(apiA, articleId, { body: "Probe" });
    await onA.take(1, 30_000);
    await onB.take(1, 30_000);
    const before = { a: onA.values.length, b: onB.values.length };
    expect(bodies(onA.values).at(-1)).toBe(probe.body);
    expect(bodies(onB.values).at(-1)).toBe(probe.body);

    const expected = await bulkPublicComments(db, two.articleDbId, COUNT, "across");
    expect(await logHead(db)).toBeGreaterThan(1_000n);
    // The bulk woke nobody; the hint of this comment (posted through A) wakes both dispatchers.
    const hint = await postComment(apiA, articleId, { body: "The hint" });
    await onA.take(before.a + COUNT + 1, 60_000);
    await onB.take(before.b + COUNT + 1, 60_000);
    expect(bodies(onA.values).slice(before.a)).toEqual([...expected, hint.body]);
    expect(bodies(onB.values).slice(before.b)).toEqual([...expected, hint.body]);

    const events = await commentEventIds(db, two.articleDbId);
    const first = events.findIndex((e) => e.body === expected[0]);
    const resumed = poolB.client().subscribe(FeedCommentAddedDocument, { articleId, since: cursorOf(events[first]!) });
    await resumed.take(COUNT, 60_000);
    expect(bodies(resumed.values)).toEqual([...expected.slice(1), hint.body]);
    expect((resumed.values as Values).map((v) => v.commentAdded.replayed)).toEqual([
      ...expected.slice(1).map(() => true),
      true,
    ]);
  }, 180_000);
});
