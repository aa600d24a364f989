/**
 * Benchmark data: a large, realistic and deterministic newsroom for load tests
 * and query plans (`npm run cli -- seed --bench --articles 100000 --comments 1000000`).
 *
 * What it makes, all from a seeded RNG (the same seed and sizes give the same
 * slugs, titles, bodies, bylines, tags and comment threads; only the timestamps
 * move with the clock, as they are laid out backwards from "now"):
 *  - authors and topics (300 each by default), slugs prefixed "bench-";
 *  - articles over ~3 years, ids in publication order, ~96% PUBLISHED and the
 *    rest DRAFT, SCHEDULED (due within 30 days) or ARCHIVED; Markdown bodies of
 *    ~300-1200 words (paragraphs, some headings, lists and quotes) drawn from the
 *    word lists in bench-text.ts, with each article repeating its topics'
 *    keywords so full-text search hits with varied relevance;
 *  - 1-3 authors and 1-4 topics per article; topics are picked with Zipf-like
 *    weights, so a few are huge and most are small;
 *  - comments on PUBLISHED articles (a heavy-tailed number per article), ~30%
 *    of them replies up to depth 3, each after its article (and its parent),
 *    ~95% APPROVED and the rest PENDING, REJECTED or SPAM; ids in creation order.
 *
 * Idempotency: everything is written in ONE transaction, so the data is there
 * entirely or not at all. A run that finds bench authors or topics (slug
 * "bench-...") prints "bench data already present" and changes nothing, whatever
 * sizes it was given. To reseed, remove the bench rows first; on a database
 * holding nothing else, `TRUNCATE comments, article_topics, article_authors,
 * articles, topics, authors CASCADE` is quickest (a DELETE of a million comments
 * is slow). The tables written are locked against other writers for the
 * duration of the load; when a table gets more rows than it had, its secondary
 * indexes are rebuilt at the end (see dropIndexes) and readers wait too.
 *
 * Speed: rows go in as large multi-row INSERTs over unnest() arrays, which work
 * the same on PostgreSQL and on embedded PGlite (whose socket server cannot do
 * COPY FROM STDIN); the next batch is generated while the database stores the
 * previous one. Ids are reserved from the sequences up front so that links and
 * replies can refer to rows before they are written. Secondary indexes are built
 * once after the load rather than row by row, and the link tables' published_at
 * triggers are off during it (the seeder sets the column itself). What remains
 * is mostly PostgreSQL computing articles.search (to_tsvector over every body).
 */
import type { Database } from "../../src/db/database";
import {
  ARTICLE_STATUS,
  BENCH_PREFIX,
  COMMENT_STATUS,
  DAY,
  Rng,
  SPAN,
  STATUS_PUBLISHED,
  S_COMMENT_TEXT,
  hashString,
} from "./bench-random";
import { Commenters, commentBody, makeAuthors, makeTopics, planArticles, planComments } from "./bench-catalog";
import { articleKeywords, articleText } from "./bench-prose";
import type { PgClient } from "./bench-sql";
import { BatchInsert, Progress, dropIndexes, iso, reserveIds } from "./bench-sql";

export interface BenchOptions {
  articles: number;
  comments: number;
  authors: number;
  topics: number;
  /** Any string; the same seed gives the same content. */
  seed: string;
  /** The reference time everything is laid out from; now by default. */
  now?: Date;
  /** Show a progress bar on stderr (rate and ETA). */
  progress?: boolean;
}

export const BENCH_DEFAULTS = {
  articles: 100_000,
  comments: 1_000_000,
  authors: 300,
  topics: 300,
  seed: "newsgraph",
} as const;

export interface BenchResult {
  /** "present": bench data was there already and nothing was written. */
  status: "seeded" | "present";
  authors: number;
  topics: number;
  articles: number;
  articleAuthors: number;
  articleTopics: number;
  comments: number;
  elapsedMs: number;
}

/** The slug prefix of every bench author, topic and article. */
export { BENCH_PREFIX };

function validate(o: BenchOptions): void {
  for (const key of ["articles", "comments", "authors", "topics"] as const) {
    const v = o[key];
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`--${key} must be a whole number >= 0, got ${v}`);
  }
  if (o.articles > 0 && (o.authors < 1 || o.topics < 1)) {
    throw new RangeError("articles need at least one author and one topic");
  }
  if (o.comments > 0 && o.articles < 1) throw new RangeError("comments need at least one article");
}

/** Loads the benchmark data set (see the top of this file). */
export async function seedBench(db: Database, options: BenchOptions): Promise<BenchResult> {
  validate(options);
  const started = Date.now();
  const now = (options.now ?? new Date()).getTime();
  const seed = hashString(options.seed);
  const progress = new Progress(options.progress ?? false);
  const result: BenchResult = {
    status: "seeded",
    authors: 0,
    topics: 0,
    articles: 0,
    articleAuthors: 0,
    articleTopics: 0,
    comments: 0,
    elapsedMs: 0,
  };

  const runner = db.dataSource.createQueryRunner();
  await runner.connect();
  const client = (runner as unknown as { databaseConnection: PgClient }).databaseConnection;
  try {
    await client.query("BEGIN");
    try {
      // Writers wait for us (and we for them); a second seeder finds our data once we commit.
      await client.query(
        "LOCK TABLE authors, topics, articles, article_authors, article_topics, comments IN SHARE ROW EXCLUSIVE MODE",
      );
      const [present] = (
        await client.query(
          `SELECT EXISTS (SELECT 1 FROM authors WHERE slug LIKE $1) OR EXISTS (SELECT 1 FROM topics WHERE slug LIKE $1) AS present`,
          [`${BENCH_PREFIX}%`],
        )
      ).rows;
      if (present.present) {
        await client.query("ROLLBACK");
        result.status = "present";
        result.elapsedMs = Date.now() - started;
        return result;
      }
      await client.query("SET LOCAL maintenance_work_mem = '512MB'");
      // lz4 compresses the TOASTed bodies several times faster than pglz, where the server has it.
      const [toast] = (await client.query("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'"))
        .rows;
      if (String(toast?.enumvals).includes("lz4")) await client.query("SET LOCAL default_toast_compression = 'lz4'");
      // The link tables' published_at triggers cost a lookup per row; load() sets the column itself.
      // ALTER TABLE is transactional: nobody else ever sees them disabled.
      const triggers = (
        await client.query(
          `SELECT tgrelid::regclass::text AS "table", quote_ident(tgname) AS name FROM pg_trigger
            WHERE tgname IN ('article_authors_published_at', 'article_topics_published_at') AND tgenabled <> 'D'`,
        )
      ).rows as { table: string; name: string }[];
      for (const t of triggers) await client.query(`ALTER TABLE ${t.table} DISABLE TRIGGER ${t.name}`);
      const deferred = await dropIndexes(client, [
        ["articles", options.articles],
        ["article_authors", options.articles],
        ["article_topics", options.articles],
        ["comments", options.comments],
      ]);

      await load(client, options, seed, now, progress, result);

      if (deferred.length) {
        progress.phase("indexes", deferred.length);
        for (const definition of deferred) {
          await client.query(definition);
          progress.add(1);
        }
        progress.finish();
      }
      for (const t of triggers) await client.query(`ALTER TABLE ${t.table} ENABLE TRIGGER ${t.name}`);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    }
    // VACUUM, not only ANALYZE: it sets the visibility map, without which every
    // index-only scan (counts of a topic's articles, the related-article windows)
    // visits the heap, and autovacuum may be off or hours away.
    progress.note("vacuum analyze ...");
    await client.query("VACUUM (ANALYZE) authors, topics, articles, article_authors, article_topics, comments");
  } finally {
    await runner.release();
  }
  result.elapsedMs = Date.now() - started;
  return result;
}

async function load(
  client: PgClient,
  options: BenchOptions,
  seed: number,
  now: number,
  progress: Progress,
  result: BenchResult,
): Promise<void> {
  const topics = makeTopics(options.topics, seed);
  const authors = makeAuthors(options.authors, seed, topics);
  const plan = planArticles(options.articles, seed, options.topics, options.authors, now);

  const authorBase = await reserveIds(client, "authors", authors.length);
  const topicBase = await reserveIds(client, "topics", topics.length);
  const articleBase = await reserveIds(client, "articles", plan.count);
  const commentBase = await reserveIds(client, "comments", options.comments);

  const authorRows = new BatchInsert(
    client,
    "authors",
    [
      ["id", "int4"],
      ["slug", "text"],
      ["name", "text"],
      ["bio", "text"],
      ["avatar_url", "text"],
      ["created_at", "timestamptz"],
    ],
    4 << 20,
  );
  for (const [i, a] of authors.entries()) {
    await authorRows.add([authorBase + i, a.slug, a.name, a.bio, a.avatarUrl, iso(now - SPAN - DAY)]);
  }
  await authorRows.end();
  result.authors = authors.length;

  const topicRows = new BatchInsert(
    client,
    "topics",
    [
      ["id", "int4"],
      ["slug", "text"],
      ["name", "text"],
      ["description", "text"],
    ],
    4 << 20,
  );
  for (const [i, t] of topics.entries()) await topicRows.add([topicBase + i, t.slug, t.name, t.description]);
  await topicRows.end();
  result.topics = topics.length;
  progress.note(`seed --bench: ${authors.length} authors, ${topics.length} topics`);

  progress.phase("articles", plan.count);
  const articleRows = new BatchInsert(
    client,
    "articles",
    [
      ["id", "int4"],
      ["slug", "text"],
      ["title", "text"],
      ["standfirst", "text"],
      ["body", "text"],
      ["body_html", "text"],
      ["status", "text"],
      ["published_at", "timestamptz"],
      ["created_at", "timestamptz"],
      ["updated_at", "timestamptz"],
      ["comments_open", "bool"],
      ["word_count", "int4"],
    ],
    4 << 20,
    (n) => progress.add(n),
  );
  for (let i = 0; i < plan.count; i++) {
    const { keywords, places } = articleKeywords(plan, i, topics);
    const a = articleText(i, seed, keywords, places);
    await articleRows.add([
      articleBase + i,
      a.slug,
      a.title,
      a.standfirst,
      a.body,
      a.html,
      ARTICLE_STATUS[plan.status[i]!],
      iso(plan.publishedAt[i]!),
      iso(plan.createdAt[i]!),
      iso(plan.updatedAt[i]!),
      plan.commentsOpen[i] === 1,
      a.wordCount,
    ]);
  }
  await articleRows.end();
  progress.finish();
  result.articles = plan.count;

  // The link tables' BEFORE INSERT triggers are disabled for this transaction (see seedBench):
  // published_at is set here as they would, the article's when it is PUBLISHED, else NULL.
  const linkPublishedAt = (i: number) => (plan.status[i] === STATUS_PUBLISHED ? iso(plan.publishedAt[i]!) : null);
  const links = plan.topicStart[plan.count]! + plan.authorStart[plan.count]!;
  progress.phase("bylines & tags", links);
  const bylines = new BatchInsert(
    client,
    "article_authors",
    [
      ["article_id", "int4"],
      ["author_id", "int4"],
      ["position", "int2"],
      ["published_at", "timestamptz"],
    ],
    1 << 20,
    (n) => progress.add(n),
  );
  for (let i = 0; i < plan.count; i++) {
    for (let k = plan.authorStart[i]!; k < plan.authorStart[i + 1]!; k++) {
      await bylines.add([
        articleBase + i,
        authorBase + plan.authorIdx[k]!,
        k - plan.authorStart[i]!,
        linkPublishedAt(i),
      ]);
    }
  }
  await bylines.end();
  result.articleAuthors = bylines.rows;
  const tags = new BatchInsert(
    client,
    "article_topics",
    [
      ["article_id", "int4"],
      ["topic_id", "int4"],
      ["published_at", "timestamptz"],
    ],
    1 << 20,
    (n) => progress.add(n),
  );
  for (let i = 0; i < plan.count; i++) {
    for (let k = plan.topicStart[i]!; k < plan.topicStart[i + 1]!; k++) {
      await tags.add([articleBase + i, topicBase + plan.topicIdx[k]!, linkPublishedAt(i)]);
    }
  }
  await tags.end();
  result.articleTopics = tags.rows;
  progress.finish();

  if (!options.comments) return;
  progress.note("planning comments ...");
  const cp = planComments(options.comments, seed, plan, now);
  const commenters = new Commenters(Math.max(50, Math.round(options.comments / 20)));
  const keywordCache = new Map<number, { keywords: string[]; places: string[] }>();
  progress.phase("comments", cp.count);
  const commentRows = new BatchInsert(
    client,
    "comments",
    [
      ["id", "int4"],
      ["article_id", "int4"],
      ["parent_id", "int4"],
      ["depth", "int2"],
      ["author_name", "text"],
      ["email", "text"],
      ["website", "text"],
      ["body", "text"],
      ["status", "text"],
      ["created_at", "timestamptz"],
    ],
    2 << 20,
    (n) => progress.add(n),
  );
  for (let pos = 0; pos < cp.count; pos++) {
    const k = cp.order[pos]!;
    const a = cp.article[k]!;
    let kw = keywordCache.get(a);
    if (!kw) {
      if (keywordCache.size > 10_000) keywordCache.clear();
      kw = articleKeywords(plan, a, topics);
      keywordCache.set(a, kw);
    }
    const rng = new Rng(seed, S_COMMENT_TEXT, k);
    const who = commenters.identity(rng);
    const parent = cp.parent[k]!;
    await commentRows.add([
      commentBase + pos,
      articleBase + a,
      parent < 0 ? null : commentBase + cp.rank[parent]!,
      cp.depth[k]!,
      who.name,
      who.email,
      who.website,
      commentBody(rng, parent >= 0, cp.status[k] === 3, kw.keywords, kw.places),
      COMMENT_STATUS[cp.status[k]!],
      iso(cp.createdAt[k]!),
    ]);
  }
  await commentRows.end();
  progress.finish();
  result.comments = cp.count;
}

/** Exposed for tests: the text of article `index` under `seed`, without a database. */
export const internals = { articleText, hashString, makeTopics, planArticles, articleKeywords };
