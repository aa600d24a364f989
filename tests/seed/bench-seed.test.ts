/**
 * The benchmark seeder (bench/seed/bench.ts) on a small scale: exact counts, a
 * second run that changes nothing, determinism, the shape of the data (bylines,
 * tags, threads, denormalised published_at) and bodies rendered as renderBody
 * would render them. Runs in both database modes.
 */
import "reflect-metadata";
import { Database } from "../../src/db/database";
import { createLogger } from "../../src/logger";
import { entities } from "../../src/modules";
import { renderBody } from "../../src/modules/article/article.render";
import type { BenchOptions } from "../../bench/seed/bench";
import { internals, seedBench } from "../../bench/seed/bench";
import { migrations } from "../../migrations";
import type { TestDatabase } from "../support/database";
import { createTestDatabase } from "../support/database";

const SIZES = { articles: 200, comments: 2000, authors: 20, topics: 15 };
const NOW = new Date("2031-06-15T12:00:00.000Z");
const OPTIONS: BenchOptions = { ...SIZES, seed: "bench-test", now: NOW };
const BENCH = "bench-%";

jest.setTimeout(180_000);

let testDb: TestDatabase;
let db: Database;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = await Database.open({
    databaseUrl: testDb.databaseUrl,
    dataDir: testDb.dataDir,
    poolSize: 2,
    statementTimeoutMs: 0,
    entities,
    migrations,
    logger: createLogger("warn"),
  });
  await db.migrate();
});

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

async function one<T = Record<string, number>>(sql: string, params: unknown[] = []): Promise<T> {
  const [row] = await db.query<T>(sql, params);
  return row!;
}

async function counts() {
  return one<{ authors: number; topics: number; articles: number; comments: number; tags: number; bylines: number }>(
    `SELECT (SELECT count(*)::int FROM authors WHERE slug LIKE $1) AS authors,
            (SELECT count(*)::int FROM topics WHERE slug LIKE $1) AS topics,
            (SELECT count(*)::int FROM articles WHERE slug LIKE $1) AS articles,
            (SELECT count(*)::int FROM comments c JOIN articles a ON a.id = c.article_id WHERE a.slug LIKE $1) AS comments,
            (SELECT count(*)::int FROM article_topics) AS tags,
            (SELECT count(*)::int FROM article_authors) AS bylines`,
    [BENCH],
  );
}

/** Everything that should be the same for the same seed, keyed by slug (ids are not compared). */
async function snapshot() {
  const articles = await db.query(
    `SELECT md5(string_agg(concat_ws('|', slug, title, standfirst, md5(body), md5(body_html), status,
              published_at, created_at, updated_at, comments_open, word_count), ',' ORDER BY slug)) AS digest,
            min(slug) FILTER (WHERE id = (SELECT min(id) FROM articles WHERE slug LIKE $1)) AS first_slug,
            min(title) FILTER (WHERE id = (SELECT min(id) FROM articles WHERE slug LIKE $1)) AS first_title
       FROM articles WHERE slug LIKE $1`,
    [BENCH],
  );
  const topics = await db.query(
    `SELECT t.slug, count(*)::int AS articles FROM topics t JOIN article_topics at ON at.topic_id = t.id
      WHERE t.slug LIKE $1 GROUP BY t.slug ORDER BY t.slug`,
    [BENCH],
  );
  const links = await one(
    `SELECT md5(string_agg(concat_ws('|', a.slug, u.slug, aa.position), ',' ORDER BY a.slug, aa.position)) AS bylines,
            (SELECT md5(string_agg(concat_ws('|', a2.slug, t.slug), ',' ORDER BY a2.slug, t.slug))
               FROM article_topics at JOIN articles a2 ON a2.id = at.article_id JOIN topics t ON t.id = at.topic_id) AS tags
       FROM article_authors aa JOIN articles a ON a.id = aa.article_id JOIN authors u ON u.id = aa.author_id`,
  );
  // Comment threads, described without ids: position in creation order, and the parent's position.
  const comments = await one(
    `WITH c AS (SELECT c.*, row_number() OVER (ORDER BY c.id) AS n FROM comments c)
     SELECT md5(string_agg(concat_ws('|', a.slug, p.n, c.depth, c.author_name, c.email, c.website, c.body, c.status,
              c.created_at), ',' ORDER BY c.n)) AS digest
       FROM c JOIN articles a ON a.id = c.article_id LEFT JOIN c p ON p.id = c.parent_id`,
  );
  return { articles: articles[0], topics, links, comments };
}

async function indexes(): Promise<string[]> {
  const rows = await db.query<{ definition: string }>(
    `SELECT pg_get_indexdef(indexrelid) AS definition FROM pg_index
      WHERE indrelid IN ('articles'::regclass, 'comments'::regclass, 'article_topics'::regclass,
                         'article_authors'::regclass, 'authors'::regclass, 'topics'::regclass)
      ORDER BY 1`,
  );
  return rows.map((r) => r.definition);
}

let indexesBefore: string[];
let seeded: Awaited<ReturnType<typeof seedBench>>;
let first: Awaited<ReturnType<typeof snapshot>>;

// The seed runs once, before any test (each test reads what it made, in whatever order they run).
beforeAll(async () => {
  indexesBefore = await indexes();
  seeded = await seedBench(db, OPTIONS);
  first = await snapshot();
});

test("seeds exactly what was asked, and a second run changes nothing", async () => {
  expect(indexesBefore.some((d) => d.includes("USING gin"))).toBe(true);
  const result = seeded;
  expect(result).toMatchObject({ status: "seeded", ...SIZES });
  const after = await counts();
  expect(after).toMatchObject(SIZES);
  expect(after.tags).toBe(result.articleTopics);
  expect(after.bylines).toBe(result.articleAuthors);
  expect(await snapshot()).toEqual(first);

  // Whatever it is asked the second time: bench data is there, so nothing happens.
  const again = await seedBench(db, OPTIONS);
  expect(again.status).toBe("present");
  expect(await seedBench(db, { ...OPTIONS, articles: 300, seed: "other" })).toMatchObject({ status: "present" });
  expect(await counts()).toEqual(after);
  expect(await snapshot()).toEqual(first);
});

test("indexes, triggers and sequences are as they were", async () => {
  // Secondary indexes are dropped for the load and rebuilt before the commit.
  expect(await indexes()).toEqual(indexesBefore);
  const triggers = await db.query<{ name: string; enabled: string }>(
    `SELECT tgname AS name, tgenabled AS enabled FROM pg_trigger
      WHERE tgname IN ('article_topics_published_at', 'article_authors_published_at') ORDER BY 1`,
  );
  expect(triggers).toEqual([
    { name: "article_authors_published_at", enabled: "O" },
    { name: "article_topics_published_at", enabled: "O" },
  ]);
  // Ids were reserved from the sequences: ordinary inserts carry on after them.
  const [{ id }] = await db.query<{ id: number }>(
    "INSERT INTO topics (slug, name) VALUES ('after-bench', 'After') RETURNING id",
  );
  const { max } = await one<{ max: number }>("SELECT max(id)::int AS max FROM topics WHERE slug LIKE $1", [BENCH]);
  expect(id).toBeGreaterThan(max);
  await db.query("DELETE FROM topics WHERE slug = 'after-bench'");
});

test("the same seed gives the same data; another seed other data", async () => {
  const { planArticles, articleText, articleKeywords, makeTopics, hashString } = internals;
  const seed = hashString(OPTIONS.seed);
  const topics = makeTopics(SIZES.topics, seed);
  const plan = planArticles(SIZES.articles, seed, SIZES.topics, SIZES.authors, NOW.getTime());
  const { keywords, places } = articleKeywords(plan, 0, topics);
  const text = articleText(0, seed, keywords, places);
  expect(first.articles).toMatchObject({ first_slug: text.slug, first_title: text.title });
  expect(text.slug).toMatch(/^bench-[a-z0-9-]+-1$/);

  // Topic distribution as planned, and skewed: the first (broadest) topic is the biggest.
  const planned = new Map<string, number>();
  for (let k = 0; k < plan.topicStart[plan.count]!; k++) {
    const slug = topics[plan.topicIdx[k]!]!.slug;
    planned.set(slug, (planned.get(slug) ?? 0) + 1);
  }
  expect(first.topics).toEqual([...planned].map(([slug, articles]) => ({ slug, articles })).sort(bySlug));
  const sizes = first.topics.map((t: { articles: number }) => t.articles).sort((a: number, b: number) => b - a);
  expect(planned.get(topics[0]!.slug)).toBe(sizes[0]);
  expect(sizes[0]).toBeGreaterThan(3 * sizes[sizes.length - 1]);

  const other = hashString("another seed");
  const otherPlan = planArticles(SIZES.articles, other, SIZES.topics, SIZES.authors, NOW.getTime());
  const o = articleKeywords(otherPlan, 0, makeTopics(SIZES.topics, other));
  expect(articleText(0, other, o.keywords, o.places).slug).not.toBe(text.slug);

  // Wipe it all and seed again: the very same rows (ids aside).
  await db.query("TRUNCATE comments, article_topics, article_authors, articles, topics, authors CASCADE");
  expect(await seedBench(db, OPTIONS)).toMatchObject({ status: "seeded", ...SIZES });
  expect(await snapshot()).toEqual(first);
});

const bySlug = (a: { slug: string }, b: { slug: string }) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0);

test("every article has 1-3 authors in order and 1-4 topics", async () => {
  const row = await one(
    `SELECT count(*) FILTER (WHERE authors = 0 OR topics = 0)::int AS orphans,
            max(authors)::int AS max_authors, max(topics)::int AS max_topics,
            count(*) FILTER (WHERE positions <> authors * (authors - 1) / 2)::int AS bad_positions
       FROM (SELECT a.id,
                    (SELECT count(*) FROM article_authors x WHERE x.article_id = a.id) AS authors,
                    (SELECT coalesce(sum(position), 0) FROM article_authors x WHERE x.article_id = a.id) AS positions,
                    (SELECT count(*) FROM article_topics x WHERE x.article_id = a.id) AS topics
               FROM articles a WHERE a.slug LIKE $1) s`,
    [BENCH],
  );
  expect(row).toEqual({ orphans: 0, max_authors: 3, max_topics: 4, bad_positions: 0 });
});

test("article_topics and article_authors carry published_at exactly while the article is PUBLISHED", async () => {
  for (const table of ["article_topics", "article_authors"]) {
    const row = await one(
      `SELECT count(*) FILTER (WHERE l.published_at IS DISTINCT FROM
                 CASE WHEN a.status = 'PUBLISHED' THEN a.published_at END)::int AS wrong,
              count(*) FILTER (WHERE l.published_at IS NOT NULL)::int AS set,
              count(*) FILTER (WHERE l.published_at IS NULL)::int AS unset
         FROM ${table} l JOIN articles a ON a.id = l.article_id`,
    );
    expect(row.wrong).toBe(0);
    expect(row.set).toBeGreaterThan(0);
    expect(row.unset).toBeGreaterThan(0);
  }
});

test("topic and author published counters equal the join tables' counts after the bulk load", async () => {
  for (const [owners, links, key] of [
    ["topics", "article_topics", "topic_id"],
    ["authors", "article_authors", "author_id"],
  ]) {
    const row = await one<{ wrong: number; counted: number }>(
      `SELECT count(*) FILTER (WHERE o.published_article_count <> coalesce(c.n, 0))::int AS wrong,
              coalesce(sum(o.published_article_count), 0)::int AS counted
         FROM ${owners} o LEFT JOIN (
           SELECT ${key} AS id, count(*)::int AS n FROM ${links} WHERE published_at IS NOT NULL GROUP BY ${key}) c
         ON c.id = o.id`,
    );
    expect(row.wrong).toBe(0);
    expect(row.counted).toBeGreaterThan(0);
  }
});

test("statuses and times: mostly PUBLISHED over ~3 years, some DRAFT or SCHEDULED", async () => {
  const rows = await db.query<{ status: string; n: number; nulls: number; min: Date; max: Date }>(
    `SELECT status, count(*)::int AS n, count(*) FILTER (WHERE published_at IS NULL)::int AS nulls,
            min(published_at) AS min, max(published_at) AS max
       FROM articles WHERE slug LIKE $1 GROUP BY status`,
    [BENCH],
  );
  const by = Object.fromEntries(rows.map((r) => [r.status, r]));
  expect(by.PUBLISHED!.n).toBeGreaterThan(0.9 * SIZES.articles);
  expect(by.PUBLISHED!.nulls).toBe(0);
  expect(by.DRAFT!.nulls).toBe(by.DRAFT!.n);
  const nonPublished = SIZES.articles - by.PUBLISHED!.n;
  expect(nonPublished).toBeGreaterThan(0);
  expect(nonPublished).toBeLessThan(0.1 * SIZES.articles);
  const years = (by.PUBLISHED!.max.getTime() - by.PUBLISHED!.min.getTime()) / (365 * 86_400_000);
  expect(years).toBeGreaterThan(2.8);
  expect(by.PUBLISHED!.max.getTime()).toBeLessThan(NOW.getTime());
  if (by.SCHEDULED) expect(by.SCHEDULED.min.getTime()).toBeGreaterThan(NOW.getTime());
});

test("comments: threads within an article, depth = parent + 1 (at most 3), after the article", async () => {
  const row = await one(
    `SELECT count(*)::int AS total,
            count(*) FILTER (WHERE c.parent_id IS NOT NULL)::int AS replies,
            count(*) FILTER (WHERE c.parent_id IS NOT NULL AND (p.article_id <> c.article_id OR c.depth <> p.depth + 1))::int
              AS bad_replies,
            count(*) FILTER (WHERE c.parent_id IS NULL AND c.depth <> 0)::int AS bad_top,
            count(*) FILTER (WHERE c.parent_id IS NOT NULL AND c.created_at < p.created_at)::int AS before_parent,
            count(*) FILTER (WHERE c.created_at <= a.published_at OR a.published_at IS NULL)::int AS before_article,
            count(*) FILTER (WHERE a.status <> 'PUBLISHED')::int AS on_unpublished,
            max(c.depth)::int AS max_depth,
            count(*) FILTER (WHERE c.status = 'APPROVED')::int AS approved,
            count(*) FILTER (WHERE c.status NOT IN ('APPROVED', 'PENDING', 'REJECTED', 'SPAM'))::int AS bad_status,
            count(*) FILTER (WHERE c.created_at > $1)::int AS future,
            count(DISTINCT c.article_id)::int AS articles
       FROM comments c JOIN articles a ON a.id = c.article_id LEFT JOIN comments p ON p.id = c.parent_id`,
    [NOW],
  );
  expect(row).toMatchObject({
    total: SIZES.comments,
    bad_replies: 0,
    bad_top: 0,
    before_parent: 0,
    before_article: 0,
    on_unpublished: 0,
    max_depth: 3,
    bad_status: 0,
    future: 0,
  });
  expect(row.replies / row.total).toBeGreaterThan(0.2);
  expect(row.replies / row.total).toBeLessThan(0.4);
  expect(row.approved / row.total).toBeGreaterThan(0.92);
  expect(row.approved / row.total).toBeLessThan(0.98);
  expect(row.articles).toBeGreaterThan(SIZES.articles / 2);
  // Ids follow creation time, as they would in a live system.
  const { inversions } = await one<{ inversions: number }>(
    `SELECT count(*)::int AS inversions FROM (SELECT created_at < lag(created_at) OVER (ORDER BY id) AS inv FROM comments) s
      WHERE inv`,
  );
  expect(inversions).toBe(0);
});

test("bodies: Markdown of realistic length, body_html and word_count as renderBody makes them", async () => {
  const rows = await db.query<{ body: string; body_html: string; word_count: number }>(
    `SELECT body, body_html, word_count FROM articles WHERE slug LIKE $1 ORDER BY id`,
    [BENCH],
  );
  for (const row of rows) {
    const { html, wordCount } = renderBody(row.body);
    expect(row.body_html).toBe(html);
    expect(row.word_count).toBe(wordCount);
    expect(row.word_count).toBeGreaterThanOrEqual(300);
    expect(row.word_count).toBeLessThan(1400);
    expect(row.body.split("\n\n").length).toBeGreaterThanOrEqual(3);
  }
  expect(rows.some((r) => r.body.includes("\n## "))).toBe(true);
  expect(rows.some((r) => r.body.includes("\n- "))).toBe(true);
});

test("search terms hit with skewed frequency", async () => {
  const hits = async (term: string) =>
    (
      await one<{ n: number }>(
        "SELECT count(*)::int AS n FROM articles WHERE slug LIKE $1 AND search @@ plainto_tsquery('english', $2)",
        [BENCH, term],
      )
    ).n;
  const words = ["election", "budget", "flood", "ferry", "housing", "festival"];
  const counts = await Promise.all(words.map(hits));
  for (const n of counts) {
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(SIZES.articles);
  }
  expect(Math.max(...counts)).toBeGreaterThan(2 * Math.min(...counts));
  // Relevance varies: ranks are spread, not all equal.
  const ranks = await db.query<{ rank: number }>(
    `SELECT ts_rank(search, plainto_tsquery('english', 'housing')) AS rank FROM articles
      WHERE slug LIKE $1 AND search @@ plainto_tsquery('english', 'housing')`,
    [BENCH],
  );
  expect(new Set(ranks.map((r) => r.rank.toFixed(3))).size).toBeGreaterThan(5);
});
