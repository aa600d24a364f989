import type { Database } from "../../db/database";
import type { RowMapper } from "../../db/sql";
import { Params, groupBy } from "../../db/sql";
import type { Page, PageRequest } from "../../shared/pagination";
import { cursorKind, toPage } from "../../shared/pagination";
import type { Viewer } from "../auth/viewer";
import { isEditor } from "../auth/viewer";
import { visibleArticleSql } from "../article/article.visibility";
import { Comment } from "./comment.entity";

/** A comment thread: created_at, then the id. */
export const COMMENT_CURSOR = cursorKind("c", "timestamp", "id");
const keyOf = (c: Comment) => [c.createdAt.toISOString(), c.dbId];

/** The moderation queue: oldest first (created_at, then the id). */
export const PENDING_CURSOR = cursorKind("q", "timestamp", "id");

/** Read side of comments: by id, threads and replies (approved only, oldest first). */
export class CommentService {
  constructor(
    private readonly db: Database,
    private readonly rows: RowMapper,
  ) {}

  private get cols(): string {
    return this.rows.columns(Comment, "c");
  }

  /**
   * Comments the viewer may see: editors see every comment; everyone else sees
   * approved comments of articles they may see.
   */
  async byIds(viewer: Viewer | null, ids: readonly number[]): Promise<(Comment | null)[]> {
    const q = new Params();
    const visible = isEditor(viewer) ? "TRUE" : `c.status = 'APPROVED' AND ${visibleArticleSql(viewer, q)}`;
    const rows = await this.db.query(
      `SELECT ${this.cols} FROM comments c JOIN articles a ON a.id = c.article_id ` +
        `WHERE c.id = ANY(${q.p(ids)}::int[]) AND ${visible}`,
      q.values,
    );
    const byId = new Map(this.rows.hydrateAll(Comment, rows).map((c) => [c.dbId, c]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /**
   * One page of approved comments under each key, oldest first, in one statement.
   * `under` is "article" for top-level comments of articles, "parent" for replies.
   */
  async approvedPages(
    under: "article" | "parent",
    keys: readonly number[],
    page: PageRequest,
    count: (key: number) => Promise<number>,
  ): Promise<Page<Comment>[]> {
    const q = new Params();
    const scope = under === "article" ? "c.article_id = k.key AND c.parent_id IS NULL" : "c.parent_id = k.key";
    let seek = "";
    if (page.after) {
      const [createdAt, id] = page.after as [string, number]; // COMMENT_CURSOR's shape, checked when decoded
      seek = `AND (c.created_at, c.id) > (${q.p(createdAt)}::timestamptz, ${q.p(id)}::int)`;
    }
    const rows = await this.db.query(
      `SELECT k.key AS _key, p.* FROM unnest(${q.p(keys)}::int[]) AS k(key) CROSS JOIN LATERAL (` +
        `SELECT ${this.cols} FROM comments c WHERE ${scope} AND c.status = 'APPROVED' ${seek} ` +
        `ORDER BY c.created_at, c.id LIMIT ${q.p(page.first + 1)}) p ORDER BY k.key, p.created_at, p.id`,
      q.values,
    );
    return groupBy(keys, rows, (r) => r._key as number).map((group, i) =>
      toPage(this.rows.hydrateAll(Comment, group), page, COMMENT_CURSOR, keyOf, () => count(keys[i]!)),
    );
  }

  /** A page of the comments awaiting moderation (PENDING), oldest first; of one article, or of all. */
  async pending(articleId: number | null, page: PageRequest): Promise<Page<Comment>> {
    const q = new Params();
    const where = ["c.status = 'PENDING'"];
    if (articleId !== null) where.push(`c.article_id = ${q.p(articleId)}`);
    const filter = where.join(" AND ");
    const countValues = [...q.values];
    if (page.after) {
      const [createdAt, id] = page.after as [string, number]; // PENDING_CURSOR's shape, checked when decoded
      where.push(`(c.created_at, c.id) > (${q.p(createdAt)}::timestamptz, ${q.p(id)}::int)`);
    }
    const rows = await this.db.query(
      `SELECT ${this.cols} FROM comments c WHERE ${where.join(" AND ")} ` +
        `ORDER BY c.created_at, c.id LIMIT ${q.p(page.first + 1)}`,
      q.values,
    );
    return toPage(this.rows.hydrateAll(Comment, rows), page, PENDING_CURSOR, keyOf, async () => {
      const [row] = await this.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM comments c WHERE ${filter}`,
        countValues,
      );
      return row!.n;
    });
  }

  /** Approved comments directly under each key (top-level of an article, or replies to a comment). */
  async approvedCounts(under: "article" | "parent", keys: readonly number[]): Promise<number[]> {
    const scope = under === "article" ? "article_id" : "parent_id";
    const topLevel = under === "article" ? "AND parent_id IS NULL" : "";
    const rows = await this.db.query<{ key: number; n: number }>(
      `SELECT ${scope} AS key, count(*)::int AS n FROM comments ` +
        `WHERE ${scope} = ANY($1::int[]) AND status = 'APPROVED' ${topLevel} GROUP BY ${scope}`,
      [keys],
    );
    const byKey = new Map(rows.map((r) => [r.key, r.n]));
    return keys.map((k) => byKey.get(k) ?? 0);
  }

  /** Approved comments (replies included) of many articles. */
  async approvedTotals(articleIds: readonly number[]): Promise<number[]> {
    const rows = await this.db.query<{ key: number; n: number }>(
      `SELECT article_id AS key, count(*)::int AS n FROM comments ` +
        `WHERE article_id = ANY($1::int[]) AND status = 'APPROVED' GROUP BY article_id`,
      [articleIds],
    );
    const byKey = new Map(rows.map((r) => [r.key, r.n]));
    return articleIds.map((k) => byKey.get(k) ?? 0);
  }
}
