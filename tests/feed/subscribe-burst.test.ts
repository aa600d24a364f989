/**
 * A reconnect storm: a thousand subscriptions opened at once, half with a
 * `since` cursor, on a pool of two connections. Each subscribe needs the
 * article's visibility, the log's end and (with since) the cursor's
 * existence; read one statement per subscriber, that is 2,500 statements
 * queued on two connections. They are read for many subscribers at a time
 * (src/shared/serial-batch.ts), so the checks cost a few dozen statements
 * (each replay still reads the log from its own cursor), and every
 * subscription then receives the next event exactly once.
 */
import { FeedCommentAddedDocument } from "../generated/graphql";
import type { FeedCommentAddedSubscription } from "../generated/graphql";
import type { Stream } from "../support/feed-client";
import { ClientPool, waitForListeners } from "../support/feed-client";
import { postComment, publishedArticle } from "../support/feed-fixtures";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

jest.setTimeout(180_000);

let server: TestServer;
let pool: ClientPool;

beforeAll(async () => {
  server = await startTestServer({ commentRateLimit: 100_000, dbPoolSize: 2, feedPollMs: 0 });
  pool = new ClientPool(() => server.url);
});
afterAll(async () => {
  await pool.closeAll(server);
  await server?.stop();
});

const SOCKETS = 10;
const PER_SOCKET = 100;

test("1,000 subscribes at once cost a bounded number of statements, and each gets the next event once", async () => {
  const editor = await server.token("burst-editor", "EDITOR");
  const article = await publishedArticle(server, editor);
  const seed = await postComment(server, article.id, { body: "Before the storm" });
  // The cursor of that comment's event: what a reconnecting widget would send.
  const [row] = await server.db.query<{ id: string }>(
    "SELECT e.id::text AS id FROM feed_events e WHERE e.comment_id = $1",
    [Number(Buffer.from(seed.id, "base64url").toString().split(":")[1])],
  );
  const since = Buffer.from(`e:${row!.id}`).toString("base64url");

  const streams: Stream<FeedCommentAddedSubscription>[] = [];
  const statements = await server.db.sql.capture(async () => {
    for (let s = 0; s < SOCKETS; s++) {
      const client = pool.client();
      for (let i = 0; i < PER_SOCKET; i++) {
        const withSince = i % 2 === 0;
        streams.push(
          client.subscribe(FeedCommentAddedDocument, { articleId: article.id, ...(withSince ? { since } : {}) }),
        );
      }
    }
    await waitForListeners(server, SOCKETS * PER_SOCKET);
  });
  const burst = statements.length;
  const kinds: Record<string, number> = {};
  for (const s of statements) kinds[s.slice(0, 60)] = (kinds[s.slice(0, 60)] ?? 0) + 1;
  console.log(`subscribe burst: ${SOCKETS * PER_SOCKET} subscriptions, ${burst} statements: ${JSON.stringify(kinds)}`);
  // A replay reads the log from its own cursor: one statement for each subscriber with since (its
  // past is empty here), nothing more. The checks, one statement per subscriber and check, would be
  // 2,500; batched, each read serves many subscribers.
  const replays = statements.filter((q) => q.startsWith("SELECT e.id::text AS position")).length;
  expect(replays).toBe((SOCKETS * PER_SOCKET) / 2);
  expect(burst - replays).toBeLessThan(100);
  expect(streams.filter((s) => s.errors.length || s.failure !== undefined)).toEqual([]);

  const next = await postComment(server, article.id, { body: "After the storm" });
  await Promise.all(streams.map((s) => s.take(1, 60_000)));
  for (const stream of streams) {
    expect(stream.values.map((v) => v.commentAdded.comment.id)).toEqual([next.id]);
  }
});
