/**
 * Fan-out that scales: the SQL statements one event costs do not grow with the
 * number of subscribers. Measured with server.db.sql.total (every statement the
 * server sends), for 1 and for 200 graphql-ws subscribers of one article, each
 * resolving nested fields (comment body, author name, the article's title).
 * The poll timer is off (FEED_POLL_MS very large), so nothing else reads the
 * database while a measurement runs.
 */
import { FeedCommentAddedDocument, type FeedCommentAddedSubscription } from "../generated/graphql";
import type { Stream } from "../support/feed-client";
import { ClientPool, waitForListeners } from "../support/feed-client";
import { dbId, postComment, publishedArticle, unique } from "../support/feed-fixtures";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

let server: TestServer;
let pool: ClientPool;
let editor: string;
let article: { id: string; title: string };

beforeAll(async () => {
  server = await startTestServer({ commentRateLimit: 100_000, feedPollMs: 600_000 });
  pool = new ClientPool(() => server.url);
  editor = await server.token("fanout-editor", "EDITOR");
  article = await publishedArticle(server, editor);
});
afterAll(async () => {
  await pool?.closeAll();
  await server?.stop();
});

const SUBSCRIPTIONS_PER_SOCKET = 20;

type Streams = Stream<FeedCommentAddedSubscription>[];

/** `n` anonymous subscribers of the article, 20 per socket, all listening once this resolves. */
async function subscribers(n: number): Promise<Streams> {
  const streams: Streams = [];
  for (let i = 0; i < n; i += SUBSCRIPTIONS_PER_SOCKET) {
    const client = pool.client();
    for (let j = i; j < Math.min(n, i + SUBSCRIPTIONS_PER_SOCKET); j++) {
      streams.push(client.subscribe(FeedCommentAddedDocument, { articleId: article.id }));
    }
  }
  await waitForListeners(server, n);
  return streams;
}

/** Statements from `act` until every stream has `count` events. */
async function statementsFor(streams: Streams, count: number, act: () => Promise<unknown>): Promise<number> {
  const before = server.db.sql.total;
  await act();
  await Promise.all(streams.map((s) => s.take(count, 60_000)));
  return server.db.sql.total - before;
}

/** Writes a public comment and its feed event without telling the dispatcher (no bus hint). */
async function quietComment(body: string): Promise<string> {
  const [row] = await server.db.query<{ id: number }>(
    `INSERT INTO comments (article_id, depth, author_name, email, body, status, created_at)
     VALUES ($1, 0, 'Quiet Writer', 'quiet@example.com', $2, 'APPROVED', now()) RETURNING id`,
    [dbId(article.id), body],
  );
  await server.db.query("SELECT newsgraph_feed_append('COMMENT_PUBLIC', $1, $2)", [dbId(article.id), row!.id]);
  return Buffer.from(`Comment:${row!.id}`).toString("base64url");
}

/** For n subscribers: statements of one dispatch (read, load, deliver, resolve) and of one addComment end to end. */
async function measure(n: number): Promise<{ dispatch: number; endToEnd: number }> {
  const streams = await subscribers(n);
  const body = `Quiet ${unique("q")}`;
  const quietId = await quietComment(body);
  const dispatch = await statementsFor(streams, 1, () => server.services.feedDispatcher.wake());
  let posted: { id: string; body: string } | undefined;
  const endToEnd = await statementsFor(streams, 2, async () => {
    posted = await postComment(server, article.id, { authorName: "Loud Writer" });
  });

  const onArticle = { id: article.id, title: article.title };
  for (const stream of streams) {
    expect(stream.values.map((v) => v.commentAdded.comment)).toEqual([
      { id: quietId, body, authorName: "Quiet Writer", status: "APPROVED", article: onArticle },
      { id: posted!.id, body: posted!.body, authorName: "Loud Writer", status: "APPROVED", article: onArticle },
    ]);
    expect(stream.errors).toEqual([]);
  }
  await pool.closeAll(server);
  return { dispatch, endToEnd };
}

test("one event costs the same SQL statements for 1 subscriber as for 200", async () => {
  const one = await measure(1);
  const many = await measure(200);
  // The dispatch reads the log, then loads the batch's comments, articles, topics and bylines once: 5.
  expect(one.dispatch).toBe(5);
  expect(many).toEqual(one);
}, 180_000);
