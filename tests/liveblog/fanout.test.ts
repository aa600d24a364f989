/**
 * Shared execution for liveBlog and commentThread: the SQL statements one event costs are the
 * same for 1 and for 50 subscribers of one live blog (10 per socket, anonymous, each resolving
 * the entry or comment). Counted with server.db.sql.total (every statement the server sends)
 * with the poll timer off, so nothing else reads the database while a measurement runs: the
 * dispatch alone (an event appended without waking the dispatcher, then one wake), and each
 * write end to end (ADDED, EDITED, PINNED, DELETED; a comment ADDED and REMOVED).
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
} from "../generated/graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { toGlobalId } from "../../src/shared/node-id";
import type { Stream } from "../support/feed-client";
import { ClientPool, waitForListeners } from "../support/feed-client";
import { dbId, ok, postComment, publishedArticle } from "../support/feed-fixtures";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

let server: TestServer;
let pool: ClientPool;
let editor: string;
let articleId: string;

beforeAll(async () => {
  server = await startTestServer({ commentRateLimit: 100_000, feedPollMs: 600_000 });
  pool = new ClientPool(() => server.url);
  editor = await server.token("lb-fanout-editor", "EDITOR");
  articleId = (await publishedArticle(server, editor)).id;
  ok(await server.request(LiveStartDocument, { articleId }, { token: editor }));
});
afterAll(async () => {
  await pool?.closeAll();
  await server?.stop();
});

const PER_SOCKET = 10;

async function subscribers<R>(doc: TypedDocumentNode<R, { articleId: string }>, n: number): Promise<Stream<R>[]> {
  const streams: Stream<R>[] = [];
  for (let i = 0; i < n; i += PER_SOCKET) {
    const client = pool.client();
    for (let j = i; j < Math.min(n, i + PER_SOCKET); j++) streams.push(client.subscribe(doc, { articleId }));
  }
  await waitForListeners(server, n);
  return streams;
}

/** Statements from `act` until every stream has `count` values. */
async function statementsFor(streams: Stream<unknown>[], count: number, act: () => Promise<unknown>) {
  const before = server.db.sql.total;
  await act();
  await Promise.all(streams.map((s) => s.take(count, 60_000)));
  return server.db.sql.total - before;
}

async function measureLiveBlog(n: number) {
  const streams = await subscribers(LiveBlogStreamDocument, n);
  const [author] = await server.db.query<{ id: number }>("SELECT id FROM authors WHERE slug = 'lb-fanout-editor'");
  const [row] = await server.db.query<{ id: number }>(
    `INSERT INTO live_entries (article_id, body, body_html, author_ids, posted_by, published_at)
     VALUES ($1, 'Quiet entry', '<p>Quiet entry</p>', ARRAY[$2::int], $2, now()) RETURNING id`,
    [dbId(articleId), author!.id],
  );
  await server.db.query("SELECT newsgraph_feed_append('LIVE_ENTRY_ADDED', $1, NULL, $2)", [dbId(articleId), row!.id]);
  const quiet = toGlobalId("LiveEntry", row!.id);
  const counts: Record<string, number> = {};
  counts.dispatch = await statementsFor(streams, 1, () => server.services.feedDispatcher.wake());
  let entry = "";
  counts.added = await statementsFor(streams, 2, async () => {
    entry = ok(await server.request(LiveAddDocument, { input: { articleId, body: "Loud" } }, { token: editor }))
      .addLiveEntry.id;
  });
  counts.edited = await statementsFor(streams, 3, () =>
    server.request(LiveUpdateDocument, { id: entry, input: { body: "Loud, edited" } }, { token: editor }),
  );
  counts.pinned = await statementsFor(streams, 4, () =>
    server.request(LivePinDocument, { id: entry }, { token: editor }),
  );
  counts.deleted = await statementsFor(streams, 5, () =>
    server.request(LiveDeleteDocument, { id: entry }, { token: editor }),
  );
  for (const stream of streams) {
    expect(stream.values.map((v) => [v.liveBlog.kind, v.liveBlog.entryId, v.liveBlog.entry?.body ?? null])).toEqual([
      ["ADDED", quiet, "Quiet entry"],
      ["ADDED", entry, "Loud"],
      ["EDITED", entry, "Loud, edited"],
      ["PINNED", entry, "Loud, edited"],
      ["DELETED", entry, null],
    ]);
    expect(stream.errors).toEqual([]);
  }
  await server.db.query("UPDATE live_entries SET deleted_at = now() WHERE id = $1", [row!.id]);
  await pool.closeAll(server);
  return counts;
}

async function measureThread(n: number) {
  const streams = await subscribers(LiveCommentThreadDocument, n);
  const counts: Record<string, number> = {};
  let comment = "";
  counts.added = await statementsFor(streams, 1, async () => {
    comment = (await postComment(server, articleId, { authorName: "Fan-out reader" })).id;
  });
  counts.removed = await statementsFor(streams, 2, () =>
    server.request(FeedModerateCommentDocument, { id: comment, status: "REJECTED" }, { token: editor }),
  );
  for (const stream of streams) {
    expect(stream.values.map((v) => [v.commentThread.kind, v.commentThread.commentId])).toEqual([
      ["ADDED", comment],
      ["REMOVED", comment],
    ]);
  }
  await pool.closeAll(server);
  return counts;
}

test("a liveBlog event costs the same SQL statements for 1 subscriber as for 50", async () => {
  const one = await measureLiveBlog(1);
  const many = await measureLiveBlog(50);
  expect(one.dispatch).toBeGreaterThan(0);
  expect(many).toEqual(one);
}, 180_000);

test("a commentThread event costs the same SQL statements for 1 subscriber as for 50", async () => {
  const one = await measureThread(1);
  const many = await measureThread(50);
  expect(one.added).toBeGreaterThan(0);
  expect(many).toEqual(one);
}, 180_000);
