/**
 * Racing idempotent posts: retries with one idempotencyKey store one entry and record one ADDED
 * event, whoever wins; racing posts of different content under one key store exactly one of them
 * and the others are CONFLICT; a retry after the entry was deleted is NOT_FOUND and stores nothing;
 * a key is unique per article, not across articles.
 */
import { LiveAddDocument, LiveDeleteDocument, LiveStartDocument } from "../generated/graphql";
import { codes, dbId, ok, publishedArticle, unique } from "../support/feed-fixtures";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

let server: TestServer;
let editor: string;

beforeAll(async () => {
  server = await startTestServer({ commentRateLimit: 100_000 });
  editor = await server.token("idem-editor", "EDITOR");
});
afterAll(() => server?.stop());

async function blog() {
  const article = await publishedArticle(server, editor);
  ok(await server.request(LiveStartDocument, { articleId: article.id }, { token: editor }));
  return article.id;
}

const add = (articleId: string, body: string, idempotencyKey: string) =>
  server.request(LiveAddDocument, { input: { articleId, body, idempotencyKey } }, { token: editor });

async function stored(articleId: string) {
  const [row] = await server.db.query<{ entries: number; events: number }>(
    `SELECT (SELECT count(*)::int FROM live_entries WHERE article_id = $1) AS entries,
            (SELECT count(*)::int FROM feed_events WHERE article_id = $1 AND kind = 'LIVE_ENTRY_ADDED') AS events`,
    [dbId(articleId)],
  );
  return row!;
}

test("16 racing retries with one key store one entry and one ADDED event, and all answer it", async () => {
  const articleId = await blog();
  const key = unique("race");
  const results = await Promise.all(Array.from({ length: 16 }, () => add(articleId, "Exactly once", key)));
  const entries = results.map((r) => ok(r).addLiveEntry);
  expect(new Set(entries.map((e) => e.id)).size).toBe(1);
  expect(new Set(entries.map((e) => JSON.stringify(e))).size).toBe(1);
  expect(await stored(articleId)).toEqual({ entries: 1, events: 1 });
  // A later retry too.
  expect(ok(await add(articleId, "Exactly once", key)).addLiveEntry.id).toBe(entries[0]!.id);
  expect(await stored(articleId)).toEqual({ entries: 1, events: 1 });
});

test("racing posts of different content under one key: exactly one is stored, the others are CONFLICT", async () => {
  const articleId = await blog();
  const key = unique("conflict");
  const results = await Promise.all(Array.from({ length: 8 }, (_, i) => add(articleId, `Variant ${i}`, key)));
  const winners = results.filter((r) => !r.errors?.length);
  expect(winners).toHaveLength(1);
  for (const r of results.filter((x) => x.errors?.length)) {
    expect(codes(r)).toEqual(["CONFLICT"]);
    expect(Object.keys(r.errors![0]!.extensions!.fields)).toEqual(["idempotencyKey"]);
  }
  const [row] = await server.db.query<{ body: string }>("SELECT body FROM live_entries WHERE article_id = $1", [
    dbId(articleId),
  ]);
  expect(row!.body).toBe(winners[0]!.data!.addLiveEntry.body);
  expect(await stored(articleId)).toEqual({ entries: 1, events: 1 });
});

test("a retry after the entry was deleted is NOT_FOUND and stores nothing; keys are per article", async () => {
  const articleId = await blog();
  const key = unique("deleted");
  const entry = ok(await add(articleId, "Soon deleted", key)).addLiveEntry;
  ok(await server.request(LiveDeleteDocument, { id: entry.id }, { token: editor }));
  const before = await stored(articleId);
  expect(codes(await add(articleId, "Soon deleted", key))).toEqual(["NOT_FOUND"]);
  expect(await stored(articleId)).toEqual(before);

  const other = await blog();
  const elsewhere = ok(await add(other, "Soon deleted", key)).addLiveEntry;
  expect(elsewhere.id).not.toBe(entry.id);
  expect(await stored(other)).toEqual({ entries: 1, events: 1 });
});
