/**
 * The published-article counters on topics and authors (articleCount, and the
 * totalCount of their article lists) are kept by triggers on the join tables.
 * After every kind of write that moves an article into or out of a list, each
 * counter must equal a fresh count of the join table.
 */
import { ManualClock } from "../../src/shared/clock";
import type { Viewer } from "../../src/modules/auth/viewer";
import { createArticle, createTopic } from "../factories/content";
import { ok } from "../factories/graphql";
import { NewsroomTopicDocument } from "../generated/graphql";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

const clock = new ManualClock(new Date("2031-05-01T09:00:00.000Z"));
let server: TestServer;
let editor: Viewer;

beforeAll(async () => {
  server = await startTestServer({ responseCache: false }, { clock });
  editor = (await server.services.auth.authenticate(`Bearer ${await server.token("maya-okafor", "EDITOR")}`))!;
});
afterAll(() => server?.stop());

/** Every counter next to the true count, for the rows whose counter is wrong (none, when all is well). */
async function wrongCounters(): Promise<unknown[]> {
  return server.db.query(
    `SELECT 'topic' AS kind, o.slug, o.published_article_count AS counter, count(l.topic_id)::int AS actual
       FROM topics o LEFT JOIN article_topics l ON l.topic_id = o.id AND l.published_at IS NOT NULL
      GROUP BY o.id HAVING o.published_article_count <> count(l.topic_id)
     UNION ALL
     SELECT 'author', o.slug, o.published_article_count, count(l.author_id)::int
       FROM authors o LEFT JOIN article_authors l ON l.author_id = o.id AND l.published_at IS NOT NULL
      GROUP BY o.id HAVING o.published_article_count <> count(l.author_id)`,
  );
}

async function counter(kind: "topics" | "authors", slug: string): Promise<number> {
  const [row] = await server.db.query<{ n: number }>(
    `SELECT published_article_count AS n FROM ${kind} WHERE slug = $1`,
    [slug],
  );
  return row!.n;
}

test("the demo content starts with true counters", async () => {
  expect(await wrongCounters()).toEqual([]);
  const sport = ok(await server.request(NewsroomTopicDocument, { slug: "sport" })).topic!;
  const [{ n }] = await server.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM article_topics l JOIN topics t ON t.id = l.topic_id
      WHERE t.slug = 'sport' AND l.published_at IS NOT NULL`,
  );
  expect(sport.articleCount).toBe(n);
});

test("publish, re-tag, re-byline, unpublish, archive, schedule and delete keep every counter true", async () => {
  const editorService = server.services.articleEditor;
  const before = {
    sport: await counter("topics", "sport"),
    culture: await counter("topics", "culture"),
    climate: await counter("topics", "climate"),
    maya: await counter("authors", "maya-okafor"),
    priya: await counter("authors", "priya-raman"),
  };
  const a = await editorService.create(editor, {
    title: "Counters under test",
    body: "Body.",
    topicSlugs: ["sport", "culture"],
    authorSlugs: ["maya-okafor"],
  });
  expect(await counter("topics", "sport")).toBe(before.sport); // a draft counts nowhere
  expect(await wrongCounters()).toEqual([]);

  await editorService.publish(editor, a.dbId, null);
  expect(await counter("topics", "sport")).toBe(before.sport + 1);
  expect(await counter("topics", "culture")).toBe(before.culture + 1);
  expect(await counter("authors", "maya-okafor")).toBe(before.maya + 1);
  expect(await wrongCounters()).toEqual([]);

  await editorService.update(editor, a.dbId, { topicSlugs: ["culture", "climate"], authorSlugs: ["priya-raman"] });
  expect(await counter("topics", "sport")).toBe(before.sport);
  expect(await counter("topics", "climate")).toBe(before.climate + 1);
  expect(await counter("authors", "maya-okafor")).toBe(before.maya);
  expect(await counter("authors", "priya-raman")).toBe(before.priya + 1);
  expect(await wrongCounters()).toEqual([]);

  await editorService.unpublish(editor, a.dbId);
  expect(await counter("topics", "culture")).toBe(before.culture);
  expect(await wrongCounters()).toEqual([]);

  await editorService.publish(editor, a.dbId, null);
  await editorService.archive(editor, a.dbId);
  expect(await counter("topics", "climate")).toBe(before.climate);
  expect(await wrongCounters()).toEqual([]);

  const scheduled = await editorService.create(editor, { title: "Later", body: "Body.", topicSlugs: ["sport"] });
  await editorService.publish(editor, scheduled.dbId, new Date(clock.now().getTime() + 3_600_000));
  expect(await counter("topics", "sport")).toBe(before.sport); // scheduled is not published yet
  clock.advance(2 * 3_600_000);
  expect(await editorService.publishDue()).toBe(1);
  expect(await counter("topics", "sport")).toBe(before.sport + 1);
  expect(await wrongCounters()).toEqual([]);

  await server.db.query("DELETE FROM articles WHERE id = $1", [scheduled.dbId]); // links go by cascade
  expect(await counter("topics", "sport")).toBe(before.sport);
  expect(await wrongCounters()).toEqual([]);
});

test("concurrent re-tagging with crossing topics neither deadlocks nor miscounts", async () => {
  const topics: string[] = [];
  for (let i = 0; i < 4; i++) topics.push((await createTopic(server.db)).slug);
  const ids: number[] = [];
  for (let i = 0; i < 6; i++) ids.push((await createArticle(server.db, { topics: [topics[i % 4]!] })).dbId);
  const orders = [topics, [...topics].reverse(), [topics[2]!, topics[0]!, topics[3]!, topics[1]!]];
  await Promise.all(
    Array.from({ length: 18 }, (_, i) =>
      server.services.articleEditor.update(editor, ids[i % ids.length]!, {
        topicSlugs: orders[i % orders.length]!.slice(0, 2 + (i % 3)),
      }),
    ),
  );
  expect(await wrongCounters()).toEqual([]);
  const total = await server.db.query<{ n: number }>(
    `SELECT sum(published_article_count)::int AS n FROM topics WHERE slug = ANY($1::text[])`,
    [topics],
  );
  const [{ n: links }] = await server.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM article_topics WHERE article_id = ANY($1::int[])`,
    [ids],
  );
  expect(total[0]!.n).toBe(links);
});
