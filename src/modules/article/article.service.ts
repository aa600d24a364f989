import type { Database } from "../../db/database";
import type { RowMapper } from "../../db/sql";
import { Params, groupBy, planRows } from "../../db/sql";
import { BadInputError, unauthenticated } from "../../shared/errors";
import type { Keyset, Page, PageRequest } from "../../shared/pagination";
import { cursorKind, toPage } from "../../shared/pagination";
import { hasNul } from "../../shared/validation";
import { roleNeeded } from "../auth/require-role";
import { Role } from "../auth/role";
import type { Viewer } from "../auth/viewer";
import { Author } from "../author/author.entity";
import { Topic } from "../topic/topic.entity";
import { Article, ArticleStatus } from "./article.entity";
import { visibleArticleSql } from "./article.visibility";
import { RELATED_WINDOW, SEARCH_WALK, SEARCH_WINDOW } from "./article.windows";

export interface ArticleFilterValues {
  topicSlugs?: string[] | null;
  authorSlug?: string | null;
  status?: ArticleStatus | null;
  publishedAfter?: Date | null;
  publishedBefore?: Date | null;
}

/** An article list: the sort key, then the id. */
export const ARTICLE_CURSOR = cursorKind("a", "timestamp", "id");
/** Search: the window's newest key (sort key and id), then the rank and id within it. */
export const SEARCH_CURSOR = cursorKind("s", "timestamp", "id", "rank", "id");
export const MAX_SEARCH_LENGTH = 200;

export interface ArticleText {
  body: string;
  bodyHtml: string;
}

export interface ArticleMeta {
  metaTitle: string | null;
  metaDescription: string | null;
}

interface SearchBound {
  key: [string, number];
  inclusive: boolean;
}

const keyOf = (a: Article) => [a.sortAt.toISOString(), a.dbId];

/** Read side of articles: lists, search, and the batched relations behind the loaders. */
export class ArticleService {
  constructor(
    private readonly db: Database,
    private readonly rows: RowMapper,
  ) {}

  private get cols(): string {
    return this.rows.columns(Article, "a");
  }

  /** Articles by id that the viewer may see, in the order of `ids` (null where missing or hidden). */
  async byIds(viewer: Viewer | null, ids: readonly number[]): Promise<(Article | null)[]> {
    const q = new Params();
    const rows = await this.db.query(
      `SELECT ${this.cols} FROM articles a WHERE a.id = ANY(${q.p(ids)}::int[]) AND ${visibleArticleSql(viewer, q)}`,
      q.values,
    );
    const byId = new Map(this.rows.hydrateAll(Article, rows).map((a) => [a.dbId, a]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  async bySlugs(viewer: Viewer | null, slugs: readonly string[]): Promise<(Article | null)[]> {
    const q = new Params();
    const rows = await this.db.query(
      `SELECT ${this.cols} FROM articles a WHERE a.slug = ANY(${q.p(slugs)}::text[]) AND ${visibleArticleSql(viewer, q)}`,
      q.values,
    );
    const bySlug = new Map(this.rows.hydrateAll(Article, rows).map((a) => [a.slug, a]));
    return slugs.map((s) => bySlug.get(s) ?? null);
  }

  /**
   * The `articles` list. Without a status filter it lists PUBLISHED articles (the
   * front page, for everyone); other statuses need a token, and writers see only
   * their own.
   */
  async list(
    viewer: Viewer | null,
    filter: ArticleFilterValues,
    newestFirst: boolean,
    page: PageRequest,
  ): Promise<Page<Article>> {
    const status = filter.status ?? ArticleStatus.PUBLISHED;
    if (filter.authorSlug != null && hasNul(filter.authorSlug))
      throw new BadInputError({ authorSlug: "must not contain NUL characters" });
    if (filter.topicSlugs?.some(hasNul)) {
      throw new BadInputError({ topicSlugs: "must not contain NUL characters" });
    }
    if (status !== ArticleStatus.PUBLISHED && !viewer) {
      throw unauthenticated(roleNeeded(Role.WRITER, `Listing ${status} articles`));
    }
    if (filter.publishedAfter && filter.publishedBefore && filter.publishedAfter >= filter.publishedBefore) {
      throw new BadInputError({ publishedBefore: "must be later than publishedAfter" });
    }
    const where = (q: Params): string[] => {
      const parts = [`a.status = ${q.p(status)}`];
      if (status !== ArticleStatus.PUBLISHED) parts.push(visibleArticleSql(viewer, q));
      if (filter.topicSlugs) {
        parts.push(
          `EXISTS (SELECT 1 FROM article_topics ft JOIN topics t ON t.id = ft.topic_id ` +
            `WHERE ft.article_id = a.id AND t.slug = ANY(${q.p(filter.topicSlugs)}::text[]))`,
        );
      }
      if (filter.authorSlug != null) {
        parts.push(
          `EXISTS (SELECT 1 FROM article_authors fa JOIN authors au ON au.id = fa.author_id ` +
            `WHERE fa.article_id = a.id AND au.slug = ${q.p(filter.authorSlug)})`,
        );
      }
      if (filter.publishedAfter) parts.push(`a.published_at > ${q.p(filter.publishedAfter)}`);
      if (filter.publishedBefore) parts.push(`a.published_at < ${q.p(filter.publishedBefore)}`);
      return parts;
    };

    const q = new Params();
    const conditions = where(q);
    const dir = newestFirst ? "DESC" : "ASC";
    if (page.after) {
      const [sortAt, id] = page.after as [string, number]; // ARTICLE_CURSOR's shape, checked when decoded
      conditions.push(`(a.sort_at, a.id) ${newestFirst ? "<" : ">"} (${q.p(sortAt)}::timestamptz, ${q.p(id)}::int)`);
    }
    const rows = await this.db.query(
      `SELECT ${this.cols} FROM articles a WHERE ${conditions.join(" AND ")} ` +
        `ORDER BY a.sort_at ${dir}, a.id ${dir} LIMIT ${q.p(page.first + 1)}`,
      q.values,
    );
    return toPage(this.rows.hydrateAll(Article, rows), page, ARTICLE_CURSOR, keyOf, async () => {
      const cq = new Params();
      const [{ n }] = await this.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM articles a WHERE ${where(cq).join(" AND ")}`,
        cq.values,
      );
      return n;
    });
  }

  /**
   * Full-text search over published articles, best match first within windows
   * of recency: the newest SEARCH_WINDOW matches are ranked (ts_rank_cd: title
   * over standfirst over body) and listed best first, then the next
   * SEARCH_WINDOW older matches, and so on; paging reaches every match. Ranking
   * every match before the LIMIT read the tsvector of each of them (250 ms for
   * a word in a quarter of 100,000 articles); a window reads at most
   * SEARCH_WINDOW of them plus the non-matching rows the newest-first walk
   * passes (PostgreSQL takes the GIN bitmap instead when the word is rare).
   * A cursor holds the window's newest key, then the rank and id within it.
   * totalCount is a separate count over the GIN index, run only when asked.
   */
  async search(text: string, page: PageRequest): Promise<Page<Article>> {
    const trimmed = text.trim();
    if (!trimmed) throw new BadInputError({ query: "must not be empty" });
    if (trimmed.length > MAX_SEARCH_LENGTH) {
      throw new BadInputError({ query: `must be at most ${MAX_SEARCH_LENGTH} characters` });
    }
    let bound: SearchBound | null = null;
    let after: [number, number] | null = null;
    if (page.after) {
      // Of SEARCH_CURSOR's shape: decodeCursor checked every key.
      const [sortAt, windowId, rank, id] = page.after as [string, number, number, number];
      bound = { key: [sortAt, windowId], inclusive: true };
      after = [rank, id];
    }
    const found: Article[] = [];
    const keys = new Map<number, Keyset>();
    for (;;) {
      const want = page.first + 1 - found.length;
      const rows = await this.searchWindow(trimmed, bound, after, want);
      const meta = rows[0]!; // one row even when the window is empty
      if (meta._n === 0) break;
      for (const row of rows) {
        if (row.id == null) continue;
        const article = this.rows.hydrate(Article, row);
        found.push(article);
        const start = (meta._start_at as Date).toISOString();
        keys.set(article.dbId, [start, meta._start_id as number, row._rank as number, article.dbId]);
      }
      if (found.length > page.first || (meta._n as number) < SEARCH_WINDOW) break;
      bound = { key: [(meta._end_at as Date).toISOString(), meta._end_id as number], inclusive: false };
      after = null;
    }
    return toPage(
      found,
      page,
      SEARCH_CURSOR,
      (a) => keys.get(a.dbId)!,
      async () => {
        const [{ n }] = await this.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM articles a WHERE a.status = 'PUBLISHED' ` +
            `AND a.search @@ websearch_to_tsquery('english', $1)`,
          [trimmed],
        );
        return n;
      },
      () => this.searchEstimate(trimmed),
    );
  }

  /**
   * How many published articles match, as PostgreSQL's planner estimates it (EXPLAIN: the statistics
   * of the search column, no row read), for "about 24,000 results".
   */
  private async searchEstimate(text: string): Promise<number> {
    const [row] = await this.db.query<Record<string, unknown>>(
      `EXPLAIN (FORMAT JSON) SELECT 1 FROM articles a WHERE a.status = 'PUBLISHED' ` +
        `AND a.search @@ websearch_to_tsquery('english', $1)`,
      [text],
    );
    return planRows(row?.["QUERY PLAN"]);
  }

  /**
   * One window of search matches: the SEARCH_WINDOW newest at or below `bound`,
   * ranked, those after `after` (rank, id) best first, up to `limit`. The first
   * row also carries the window's size and its newest and oldest keys.
   *
   * First the newest-first walk, which stops at the window's last match but
   * reads every row it passes (a tsvector each), so it passes at most
   * SEARCH_WALK rows. When that does not fill the window (a rare word, a phrase
   * of common words, the last window), the matches come from the GIN index
   * instead, which visits only candidate rows however old. Either way the
   * window is the same; planner estimates cannot make it scan the archive
   * (a quoted phrase of two common words took 5.4 s as a walk).
   */
  private async searchWindow(
    text: string,
    bound: SearchBound | null,
    after: [number, number] | null,
    limit: number,
  ): Promise<Record<string, unknown>[]> {
    const walk = await this.searchWindowBy("walk", text, bound, after, limit);
    if (walk[0]!._n === SEARCH_WINDOW) return walk;
    return this.searchWindowBy("index", text, bound, after, limit);
  }

  private searchWindowBy(
    how: "walk" | "index",
    text: string,
    bound: SearchBound | null,
    after: [number, number] | null,
    limit: number,
  ): Promise<Record<string, unknown>[]> {
    const q = new Params();
    const tsq = `websearch_to_tsquery('english', ${q.p(text)})`;
    const seek = bound
      ? `AND (a.sort_at, a.id) ${bound.inclusive ? "<=" : "<"} (${q.p(bound.key[0])}::timestamptz, ${q.p(bound.key[1])}::int)`
      : "";
    const skip = after ? `WHERE (w.rank, w.id) < (${q.p(after[0])}::real, ${q.p(after[1])}::int)` : "";
    // walk: the LIMIT below the filter bounds the walk (the filter cannot move under it).
    // index: MATERIALIZED, so every match comes first (the GIN bitmap), then the newest; never a walk.
    const [matches, candidates] =
      how === "walk"
        ? [
            "",
            `(SELECT a.id, a.sort_at FROM (SELECT a.id, a.sort_at, a.search FROM articles a ` +
              `WHERE a.status = 'PUBLISHED' ${seek} ORDER BY a.sort_at DESC, a.id DESC LIMIT ${SEARCH_WALK}) a ` +
              `WHERE a.search @@ ${tsq} ORDER BY a.sort_at DESC, a.id DESC LIMIT ${SEARCH_WINDOW})`,
          ]
        : [
            `m AS MATERIALIZED (SELECT a.id, a.sort_at FROM articles a ` +
              `WHERE a.status = 'PUBLISHED' AND a.search @@ ${tsq} ${seek}), `,
            `(SELECT m.id, m.sort_at FROM m ORDER BY m.sort_at DESC, m.id DESC LIMIT ${SEARCH_WINDOW})`,
          ];
    return this.db.query(
      `WITH ${matches}w AS MATERIALIZED (SELECT c.id, c.sort_at, ts_rank_cd(a.search, ${tsq}) AS rank ` +
        `FROM ${candidates} c JOIN articles a ON a.id = c.id), ` +
        `s AS (SELECT count(*)::int AS _n, ` +
        `(array_agg(w.sort_at ORDER BY w.sort_at DESC, w.id DESC))[1] AS _start_at, ` +
        `(array_agg(w.id ORDER BY w.sort_at DESC, w.id DESC))[1] AS _start_id, ` +
        `(array_agg(w.sort_at ORDER BY w.sort_at, w.id))[1] AS _end_at, ` +
        `(array_agg(w.id ORDER BY w.sort_at, w.id))[1] AS _end_id FROM w) ` +
        `SELECT s.*, p.* FROM s LEFT JOIN LATERAL (SELECT ${this.cols}, w.rank AS _rank FROM w ` +
        `JOIN articles a ON a.id = w.id ${skip} ORDER BY w.rank DESC, w.id DESC LIMIT ${q.p(limit)}) p ON true ` +
        `ORDER BY p._rank DESC, p.id DESC`,
      q.values,
    );
  }

  /**
   * One page of published articles for each of many topics (or authors), newest
   * first, in one statement: a LATERAL index range scan per key over the join
   * table's denormalised published_at, so a page 5,000 deep costs what page 1 costs.
   */
  async publishedByLink(
    link: "topic" | "author",
    keys: readonly number[],
    page: PageRequest,
    count: (key: number) => Promise<number>,
  ): Promise<Page<Article>[]> {
    const table = link === "topic" ? "article_topics" : "article_authors";
    const q = new Params();
    let seek = "";
    if (page.after) {
      const [sortAt, id] = page.after as [string, number]; // ARTICLE_CURSOR's shape, checked when decoded
      seek = `AND (l.published_at, l.article_id) < (${q.p(sortAt)}::timestamptz, ${q.p(id)}::int)`;
    }
    const rows = await this.db.query(
      `SELECT k.key AS _key, ${this.cols} FROM unnest(${q.p(keys)}::int[]) AS k(key) CROSS JOIN LATERAL (` +
        `SELECT l.article_id FROM ${table} l WHERE l.${link}_id = k.key AND l.published_at IS NOT NULL ${seek} ` +
        `ORDER BY l.published_at DESC, l.article_id DESC LIMIT ${q.p(page.first + 1)}) p ` +
        `JOIN articles a ON a.id = p.article_id ORDER BY k.key, a.sort_at DESC, a.id DESC`,
      q.values,
    );
    return groupBy(keys, rows, (r) => r._key as number).map((group, i) =>
      toPage(this.rows.hydrateAll(Article, group), page, ARTICLE_CURSOR, keyOf, () => count(keys[i]!)),
    );
  }

  /** How many published articles each topic (or author) has: the counter its join table's triggers keep. */
  async publishedCounts(link: "topic" | "author", keys: readonly number[]): Promise<number[]> {
    const table = link === "topic" ? "topics" : "authors";
    const rows = await this.db.query<{ key: number; n: number }>(
      `SELECT id AS key, published_article_count AS n FROM ${table} WHERE id = ANY($1::int[])`,
      [keys],
    );
    const byKey = new Map(rows.map((r) => [r.key, r.n]));
    return keys.map((k) => byKey.get(k) ?? 0);
  }

  /** The body (Markdown) and its HTML of many articles; visibility is the caller's (parent's) concern. */
  async texts(articleIds: readonly number[]): Promise<(ArticleText | null)[]> {
    const rows = await this.db.query<ArticleText & { id: number }>(
      `SELECT id, body, body_html AS "bodyHtml" FROM articles WHERE id = ANY($1::int[])`,
      [articleIds],
    );
    const byId = new Map(rows.map((r) => [r.id, { body: r.body, bodyHtml: r.bodyHtml }]));
    return articleIds.map((id) => byId.get(id) ?? null);
  }

  /** The meta title and description of many articles (null: not set); visibility is the caller's concern. */
  async metas(articleIds: readonly number[]): Promise<ArticleMeta[]> {
    const rows = await this.db.query<ArticleMeta & { id: number }>(
      `SELECT id, meta_title AS "metaTitle", meta_description AS "metaDescription" FROM articles WHERE id = ANY($1::int[])`,
      [articleIds],
    );
    const byId = new Map(rows.map((r) => [r.id, { metaTitle: r.metaTitle, metaDescription: r.metaDescription }]));
    return articleIds.map((id) => byId.get(id) ?? { metaTitle: null, metaDescription: null });
  }

  /** The bylines of many articles, in byline order. */
  async bylines(articleIds: readonly number[]): Promise<Author[][]> {
    const rows = await this.db.query(
      `SELECT l.article_id AS _key, ${this.rows.columns(Author, "au")} FROM article_authors l ` +
        `JOIN authors au ON au.id = l.author_id WHERE l.article_id = ANY($1::int[]) ORDER BY l.article_id, l.position`,
      [articleIds],
    );
    return groupBy(articleIds, rows, (r) => r._key as number).map((g) => this.rows.hydrateAll(Author, g));
  }

  /** The topics of many articles, by name. */
  async topics(articleIds: readonly number[]): Promise<Topic[][]> {
    const rows = await this.db.query(
      `SELECT l.article_id AS _key, ${this.rows.columns(Topic, "t")} FROM article_topics l ` +
        `JOIN topics t ON t.id = l.topic_id WHERE l.article_id = ANY($1::int[]) ORDER BY l.article_id, t.name, t.id`,
      [articleIds],
    );
    return groupBy(articleIds, rows, (r) => r._key as number).map((g) => this.rows.hydrateAll(Topic, g));
  }

  /**
   * Related articles of many articles in one statement. The candidates are the
   * RELATED_WINDOW newest published articles of each of the article's topics
   * (a backward index-only range scan per topic, however large the topic); they
   * rank by how many of those topic windows they are in, then newest first, and
   * never include the article itself. The window bounds the cost on skewed
   * topics (a topic of 30,000 articles costs what a topic of 50 costs) and keeps
   * the block current, as a news site wants.
   */
  async related(articleIds: readonly number[], first: number): Promise<Article[][]> {
    const rows = await this.db.query(
      `SELECT k.src AS _key, ${this.cols} FROM unnest($1::int[]) AS k(src) CROSS JOIN LATERAL (` +
        `SELECT c.article_id, count(*) AS shared, max(c.published_at) AS published_at ` +
        `FROM article_topics s CROSS JOIN LATERAL (` +
        `SELECT o.article_id, o.published_at FROM article_topics o ` +
        `WHERE o.topic_id = s.topic_id AND o.published_at IS NOT NULL AND o.article_id <> k.src ` +
        `ORDER BY o.published_at DESC, o.article_id DESC LIMIT $3) c ` +
        `WHERE s.article_id = k.src ` +
        `GROUP BY c.article_id ORDER BY shared DESC, published_at DESC, c.article_id DESC LIMIT $2) r ` +
        `JOIN articles a ON a.id = r.article_id ` +
        `ORDER BY k.src, r.shared DESC, r.published_at DESC, r.article_id DESC`,
      [articleIds, first, RELATED_WINDOW],
    );
    return groupBy(articleIds, rows, (r) => r._key as number).map((g) => this.rows.hydrateAll(Article, g));
  }
}
