/**
 * Related articles on topics larger than the candidate window: candidates are
 * the RELATED_WINDOW newest published articles of each of the article's topics,
 * ranked by how many of those windows they are in, then newest.
 */
import { RELATED_WINDOW } from "../../src/modules/article/article.windows";
import { createArticle, createTopic, hoursAgo } from "../factories/content";
import { ok } from "../factories/graphql";
import { RelatedDocument } from "../generated/graphql";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

let server: TestServer;
// Factories write straight to the database, past the writes that purge the response cache.
beforeAll(async () => {
  server = await startTestServer({ responseCache: false });
});
afterAll(() => server?.stop());

const related = async (slug: string, first: number) =>
  ok(await server.request(RelatedDocument, { slug, first })).article!.relatedArticles.map((r) => r.slug);

test("an article in several topic windows ranks first; one in none is not a candidate", async () => {
  const db = server.db;
  const [t, u] = [await createTopic(db), await createTopic(db)];
  const both = [t.slug, u.slug];
  // Shares both topics but is older than each topic's window: not a candidate.
  const old = await createArticle(db, { topics: both, publishedAt: hoursAgo(500) });
  // RELATED_WINDOW newer articles in each topic push `old` out of both windows.
  const tOnly: string[] = [];
  const uOnly: string[] = [];
  for (let i = 0; i < RELATED_WINDOW; i++) {
    tOnly.push((await createArticle(db, { topics: [t.slug], publishedAt: hoursAgo(400 - i) })).slug);
    uOnly.push((await createArticle(db, { topics: [u.slug], publishedAt: hoursAgo(300 - i) })).slug);
  }
  // Shares both and is inside both windows: first, though older than most.
  const recentBoth = await createArticle(db, { topics: both, publishedAt: hoursAgo(260) });
  const source = await createArticle(db, { topics: both, publishedAt: hoursAgo(1) });

  const got = await related(source.slug, 20);
  expect(got[0]).toBe(recentBoth.slug);
  expect(got).not.toContain(old.slug);
  expect(got).not.toContain(source.slug);
  // Then one-topic matches, newest first: the newest u-only articles, then t-only.
  const newestFirst = [...uOnly].reverse().concat([...tOnly].reverse());
  expect(got.slice(1)).toEqual(newestFirst.slice(0, 19));

  // Inside small topics' windows, an old article is found and shares the most.
  const [s1, s2] = [await createTopic(db), await createTopic(db)];
  const oldSmall = await createArticle(db, { topics: [s1.slug, s2.slug], publishedAt: hoursAgo(900) });
  const source2 = await createArticle(db, { topics: [s1.slug, s2.slug, t.slug], publishedAt: hoursAgo(2) });
  const got2 = await related(source2.slug, 3);
  expect(got2[0]).toBe(oldSmall.slug);
  expect(got2.slice(1)).toEqual([source.slug, recentBoth.slug]); // then t's newest
});
