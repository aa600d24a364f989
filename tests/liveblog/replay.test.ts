/**
 * Both streams' replay after a disconnect, past every digit boundary and more than one read
 * batch (500): while a reader is away, 1,200 entries (or comments) are committed at once, then
 * some are edited, deleted, pinned (or rejected and marked spam). On resume with the last cursor
 * the reader receives exactly the events an independent model of the log computes (in commit
 * order, each once, compacted: events of an entry deleted since are left out except its
 * DELETED; ADDED of a comment withdrawn since is left out, its REMOVED is not), each with the
 * entry as it is now; then live events follow with no duplicate. Each test has a server and log
 * of its own, so event ids and entry ids cross 9->10, 99->100 and 999->1000.
 */
import {
  FeedModerateCommentDocument,
  LiveAddDocument,
  LiveBlogStreamDocument,
  LiveCommentThreadDocument,
  LiveDeleteDocument,
  LivePinDocument,
  LiveStartDocument,
  LiveUpdateDocument,
  type LiveBlogStreamSubscription,
  type LiveCommentThreadSubscription,
} from "../generated/graphql";
import { toGlobalId } from "../../src/shared/node-id";
import { ClientPool, waitFor, waitForListeners } from "../support/feed-client";
import {
  bulkPublicComments,
  compareCursors,
  dbId,
  logHead,
  ok,
  postComment,
  publishedArticle,
} from "../support/feed-fixtures";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

const COUNT = 1_200;

let server: TestServer;
let pool: ClientPool;
let editor: string;

beforeEach(async () => {
  server = await startTestServer({ commentRateLimit: 100_000, feedPollMs: 600_000 });
  pool = new ClientPool(() => server.url);
  editor = await server.token("replay-editor", "EDITOR");
});
afterEach(async () => {
  await pool?.closeAll(server);
  await server?.stop();
});

/** `count` entries with ADDED events, in body order, in one transaction (test data, as bulkPublicComments). */
async function bulkEntries(articleDbId: number, count: number): Promise<string[]> {
  const [author] = await server.db.query<{ id: number }>("SELECT id FROM authors WHERE slug = 'replay-editor'");
  await server.db.query(`DO $$
    DECLARE e integer;
    BEGIN
      FOR i IN 1..${count} LOOP
        INSERT INTO live_entries (article_id, title, body, body_html, author_ids, posted_by, published_at)
          VALUES (${articleDbId}, NULL, 'Bulk entry #' || lpad(i::text, 6, '0'), '<p>bulk</p>',
                  ARRAY[${author!.id}], ${author!.id}, now())
          RETURNING id INTO e;
        PERFORM newsgraph_feed_append('LIVE_ENTRY_ADDED', ${articleDbId}, NULL, e);
      END LOOP;
    END $$`);
  const rows = await server.db.query<{ id: number; body: string }>(
    "SELECT id, body FROM live_entries WHERE article_id = $1 AND body LIKE 'Bulk entry #%' ORDER BY id",
    [articleDbId],
  );
  expect(rows.map((r) => r.body)).toEqual(
    Array.from({ length: count }, (_, i) => `Bulk entry #${String(i + 1).padStart(6, "0")}`),
  );
  return rows.map((r) => toGlobalId("LiveEntry", r.id));
}

/** Waits until the server holds no feed listener (a terminated client's subscription is gone). */
const away = () =>
  waitFor(
    () => server.services.feedDispatcher.listenerCount === 0,
    () => "the server to drop the subscription",
  );

type Blog = LiveBlogStreamSubscription["liveBlog"];

test("liveBlog: 1,200 entries added while away, then edits, deletions and pins, replay exactly, then live", async () => {
  const article = await publishedArticle(server, editor);
  ok(await server.request(LiveStartDocument, { articleId: article.id }, { token: editor }));
  expect(await logHead(server.db)).toBeLessThan(9n);

  const first = pool.client();
  const stream = first.subscribe(LiveBlogStreamDocument, { articleId: article.id });
  await waitForListeners(server, 1);
  const seen = ok(
    await server.request(LiveAddDocument, { input: { articleId: article.id, body: "Seen" } }, { token: editor }),
  ).addLiveEntry;
  const [last] = (await stream.take(1)).map((v) => v.liveBlog);
  expect(last!.entryId).toBe(seen.id);
  first.terminate();
  await away();

  // The model: [kind, entry] in commit order; the entries' bodies now (undefined: deleted).
  const log: [string, string][] = [];
  const body = new Map<string, string | undefined>();
  const ids = await bulkEntries(dbId(article.id), COUNT);
  ids.forEach((id, i) => {
    log.push(["ADDED", id]);
    body.set(id, `Bulk entry #${String(i + 1).padStart(6, "0")}`);
  });
  body.set(seen.id, "Seen");
  const e = (n: number) => ids[n - 1]!;
  const edit = async (id: string, text: string) => {
    ok(await server.request(LiveUpdateDocument, { id, input: { body: text } }, { token: editor }));
    log.push(["EDITED", id]);
    body.set(id, text);
  };
  const del = async (id: string) => {
    ok(await server.request(LiveDeleteDocument, { id }, { token: editor }));
    log.push(["DELETED", id]);
    body.set(id, undefined);
  };
  const pin = async (id: string, unpins?: string) => {
    ok(await server.request(LivePinDocument, { id }, { token: editor }));
    if (unpins) log.push(["UNPINNED", unpins]);
    log.push(["PINNED", id]);
  };
  await edit(seen.id, "Seen, then edited while away");
  await edit(e(3), "Three, edited");
  await edit(e(150), "One hundred and fifty, edited");
  await del(e(9));
  await del(e(10));
  await del(e(100));
  await edit(e(501), "Edited, then deleted");
  await del(e(501));
  await pin(e(1000));
  await pin(e(1100), e(1000));
  await edit(e(1000), "Unpinned, then edited");
  await del(e(700));

  // Compaction: every event of an entry deleted since is left out, except its DELETED.
  const expected = log.filter(([kind, id]) => kind === "DELETED" || body.get(id) !== undefined);
  expect(expected.length).toBeGreaterThan(1_000);

  const resumed = pool.client().subscribe(LiveBlogStreamDocument, { articleId: article.id, since: last!.cursor });
  const replay: Blog[] = (await resumed.take(expected.length, 60_000)).map((v) => v.liveBlog);
  expect(replay.map((r) => [r.kind, r.entryId])).toEqual(expected);
  expect(replay.every((r) => r.replayed)).toBe(true);
  for (const r of replay) {
    if (r.kind === "DELETED") expect(r.entry).toBeNull();
    else expect(r.entry).toMatchObject({ id: r.entryId, body: body.get(r.entryId) });
  }
  expect(replay.find((r) => r.kind === "PINNED" && r.entryId === e(1100))!.entry!.isPinned).toBe(true);
  // Cursors strictly increase: the order is the log's.
  for (let i = 1; i < replay.length; i++)
    expect(compareCursors(replay[i - 1]!.cursor, replay[i]!.cursor)).toBeLessThan(0);
  expect(compareCursors(last!.cursor, replay[0]!.cursor)).toBeLessThan(0);

  await waitForListeners(server, 1);
  const live = ok(
    await server.request(LiveAddDocument, { input: { articleId: article.id, body: "Live" } }, { token: editor }),
  ).addLiveEntry;
  const all = (await resumed.take(expected.length + 1)).map((v) => v.liveBlog);
  expect([all.at(-1)!.kind, all.at(-1)!.entryId, all.at(-1)!.replayed]).toEqual(["ADDED", live.id, false]);
  // No duplicate: a later event is the next value, nothing came in between.
  ok(await server.request(LiveDeleteDocument, { id: live.id }, { token: editor }));
  const more = (await resumed.take(expected.length + 2)).map((v) => v.liveBlog);
  expect(more.slice(expected.length).map((v) => [v.kind, v.entryId])).toEqual([
    ["ADDED", live.id],
    ["DELETED", live.id],
  ]);
  expect(new Set(more.map((v) => v.cursor)).size).toBe(more.length);
}, 180_000);

type Thread = LiveCommentThreadSubscription["commentThread"];

test("commentThread: 1,200 comments approved while away, then rejections and spam, replay exactly, then live", async () => {
  const article = await publishedArticle(server, editor);
  expect(await logHead(server.db)).toBeLessThan(9n);

  const first = pool.client();
  const stream = first.subscribe(LiveCommentThreadDocument, { articleId: article.id });
  await waitForListeners(server, 1);
  const seen = await postComment(server, article.id, { body: "Seen comment" });
  const [last] = (await stream.take(1)).map((v) => v.commentThread);
  expect(last!.commentId).toBe(seen.id);
  first.terminate();
  await away();

  const label = "Thread bulk";
  const bodies = await bulkPublicComments(server.db, dbId(article.id), COUNT, label);
  const rows = await server.db.query<{ id: number; body: string }>(
    "SELECT id, body FROM comments WHERE article_id = $1 AND body LIKE 'Thread bulk #%' ORDER BY id",
    [dbId(article.id)],
  );
  expect(rows.map((r) => r.body)).toEqual(bodies);
  const ids = rows.map((r) => toGlobalId("Comment", r.id));
  const log: [string, string][] = ids.map((id) => ["ADDED", id]);
  const withdrawn = new Set<string>();
  const text = new Map(rows.map((r) => [toGlobalId("Comment", r.id), r.body]));
  const c = (n: number) => ids[n - 1]!;
  const withdraw = async (id: string, status: "REJECTED" | "SPAM") => {
    ok(await server.request(FeedModerateCommentDocument, { id, status }, { token: editor }));
    log.push(["REMOVED", id]);
    withdrawn.add(id);
  };
  await withdraw(seen.id, "REJECTED");
  await withdraw(c(9), "REJECTED");
  await withdraw(c(10), "SPAM");
  await withdraw(c(100), "REJECTED");
  await withdraw(c(501), "SPAM");
  await withdraw(c(1_000), "REJECTED");
  const added = await postComment(server, article.id, { body: "Added while away" });
  log.push(["ADDED", added.id]);
  text.set(added.id, "Added while away");

  // An ADDED of a comment withdrawn since is left out; every REMOVED is delivered.
  const expected = log.filter(([kind, id]) => kind === "REMOVED" || !withdrawn.has(id));
  const resumed = pool.client().subscribe(LiveCommentThreadDocument, { articleId: article.id, since: last!.cursor });
  const replay: Thread[] = (await resumed.take(expected.length, 60_000)).map((v) => v.commentThread);
  expect(replay.map((r) => [r.kind, r.commentId])).toEqual(expected);
  expect(replay.every((r) => r.replayed)).toBe(true);
  for (const r of replay) {
    if (r.kind === "REMOVED") expect(r.comment).toBeNull();
    else expect(r.comment).toEqual({ id: r.commentId, body: text.get(r.commentId), status: "APPROVED" });
  }
  for (let i = 1; i < replay.length; i++)
    expect(compareCursors(replay[i - 1]!.cursor, replay[i]!.cursor)).toBeLessThan(0);

  await waitForListeners(server, 1);
  const live = await postComment(server, article.id, { body: "Live comment" });
  // Delivered before it is rejected (else the ADDED of a comment withdrawn by then is left out).
  await resumed.take(expected.length + 1);
  ok(await server.request(FeedModerateCommentDocument, { id: live.id, status: "REJECTED" }, { token: editor }));
  const all = (await resumed.take(expected.length + 2)).map((v) => v.commentThread);
  expect(all.slice(expected.length).map((v) => [v.kind, v.commentId, v.replayed])).toEqual([
    ["ADDED", live.id, false],
    ["REMOVED", live.id, false],
  ]);
  expect(new Set(all.map((v) => v.cursor)).size).toBe(all.length);
}, 180_000);
