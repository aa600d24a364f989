import type { Database } from "../../db/database";
import type { RowMapper } from "../../db/sql";
import { Params, groupBy } from "../../db/sql";
import type { Page, PageRequest } from "../../shared/pagination";
import { cursorKind, toPage } from "../../shared/pagination";
import type { Viewer } from "../auth/viewer";
import { visibleArticleSql } from "../article/article.visibility";
import { LiveEntry } from "./live-entry.entity";

/** A live blog's entries: first publication, newest first, then the id. */
export const LIVE_ENTRY_CURSOR = cursorKind("le", "timestamp", "id");
const keyOf = (e: LiveEntry) => [e.publishedAt.toISOString(), e.dbId];

/**
 * Read side of live blogs. Deleted entries are in no result. Lists and the
 * pinned entry are read under an article the caller has already been allowed
 * to see; a lookup by id checks the article itself.
 */
export class LiveEntryService {
  constructor(
    private readonly db: Database,
    private readonly rows: RowMapper,
  ) {}

  private get cols(): string {
    return this.rows.columns(LiveEntry, "l");
  }

  /** Entries by id that the viewer may see (those of articles they may see). */
  async byIds(viewer: Viewer | null, ids: readonly number[]): Promise<(LiveEntry | null)[]> {
    const q = new Params();
    const rows = await this.db.query(
      `SELECT ${this.cols} FROM live_entries l JOIN articles a ON a.id = l.article_id ` +
        `WHERE l.id = ANY(${q.p(ids)}::int[]) AND l.deleted_at IS NULL AND ${visibleArticleSql(viewer, q)}`,
      q.values,
    );
    const byId = new Map(this.rows.hydrateAll(LiveEntry, rows).map((e) => [e.dbId, e]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** One page of each article's entries, newest first, in one statement. */
  async pages(
    articleIds: readonly number[],
    page: PageRequest,
    keyEventsOnly: boolean,
    count: (articleId: number) => Promise<number>,
  ): Promise<Page<LiveEntry>[]> {
    const q = new Params();
    let seek = "";
    if (page.after) {
      const [publishedAt, id] = page.after as [string, number]; // LIVE_ENTRY_CURSOR's shape, checked when decoded
      seek = `AND (l.published_at, l.id) < (${q.p(publishedAt)}::timestamptz, ${q.p(id)}::int)`;
    }
    const keyEvents = keyEventsOnly ? "AND l.is_key_event" : "";
    const rows = await this.db.query(
      `SELECT k.key AS _key, p.* FROM unnest(${q.p(articleIds)}::int[]) AS k(key) CROSS JOIN LATERAL (` +
        `SELECT ${this.cols} FROM live_entries l WHERE l.article_id = k.key AND l.deleted_at IS NULL ${keyEvents} ` +
        `${seek} ORDER BY l.published_at DESC, l.id DESC LIMIT ${q.p(page.first + 1)}) p ` +
        `ORDER BY k.key, p.published_at DESC, p.id DESC`,
      q.values,
    );
    return groupBy(articleIds, rows, (r) => r._key as number).map((group, i) =>
      toPage(this.rows.hydrateAll(LiveEntry, group), page, LIVE_ENTRY_CURSOR, keyOf, () => count(articleIds[i]!)),
    );
  }

  /** How many entries (or key events) each article's live blog has. */
  async counts(articleIds: readonly number[], keyEventsOnly: boolean): Promise<number[]> {
    const rows = await this.db.query<{ key: number; n: number }>(
      `SELECT article_id AS key, count(*)::int AS n FROM live_entries ` +
        `WHERE article_id = ANY($1::int[]) AND deleted_at IS NULL ${keyEventsOnly ? "AND is_key_event" : ""} ` +
        `GROUP BY article_id`,
      [articleIds],
    );
    const byKey = new Map(rows.map((r) => [r.key, r.n]));
    return articleIds.map((k) => byKey.get(k) ?? 0);
  }

  /** The pinned entry of each article, if any. */
  async pinned(articleIds: readonly number[]): Promise<(LiveEntry | null)[]> {
    const rows = await this.db.query(
      `SELECT ${this.cols} FROM live_entries l ` +
        `WHERE l.article_id = ANY($1::int[]) AND l.is_pinned AND l.deleted_at IS NULL`,
      [articleIds],
    );
    const byArticle = new Map(this.rows.hydrateAll(LiveEntry, rows).map((e) => [e.articleId, e]));
    return articleIds.map((id) => byArticle.get(id) ?? null);
  }
}
