import type { Database, Queryable } from "../../db/database";
import type { RowMapper } from "../../db/sql";
import { Params, groupBy } from "../../db/sql";
import { BadInputError, forbidden, notFound } from "../../shared/errors";
import type { Page, PageRequest } from "../../shared/pagination";
import { cursorKind, toPage } from "../../shared/pagination";
import { Role } from "../auth/role";
import { requireRole } from "../auth/require-role";
import type { Viewer } from "../auth/viewer";
import { isEditor } from "../auth/viewer";
import { ArticleRevision } from "./article-revision.entity";
import { diffText } from "./article-revision.diff";
import type { ArticleRevisionDiff, Correction } from "./article-revision.types";
import { visibleArticleSql } from "./article.visibility";

export const REVISION_CURSOR = cursorKind("rev", "id");
export const MAX_CORRECTION = 1000;
const INT4_MAX = 2_147_483_647;

/**
 * Writes the article's current title, standfirst and body as its next
 * revision, in the caller's transaction, for each article whose text differs
 * from its latest revision (or that has none), or for all of them when a
 * correction note is given. One statement for any number of articles. The
 * caller holds each article's row lock (publishing and editing take it), so
 * two writers never pick the same number; the unique index is the second wall.
 * Returns the numbers written, by article id.
 */
export async function recordRevisions(
  tx: Queryable,
  articleIds: readonly number[],
  editorId: number | null,
  correction: string | null,
  at: Date,
): Promise<Map<number, number>> {
  if (!articleIds.length) return new Map();
  const rows = await tx.query<{ article_id: number; number: number }>(
    `INSERT INTO article_revisions (article_id, number, title, standfirst, body, editor_id, correction, created_at)
     SELECT a.id, COALESCE(last.number, 0) + 1, a.title, a.standfirst, a.body, $2, $3, $4
     FROM articles a
     LEFT JOIN LATERAL (SELECT r.number, r.title, r.standfirst, r.body FROM article_revisions r
                        WHERE r.article_id = a.id ORDER BY r.number DESC LIMIT 1) last ON TRUE
     WHERE a.id = ANY($1::int[])
       AND ($3::text IS NOT NULL OR last.number IS NULL OR last.title <> a.title
            OR last.standfirst IS DISTINCT FROM a.standfirst OR last.body <> a.body)
     RETURNING article_id, number`,
    [articleIds, editorId, correction, at],
  );
  return new Map(rows.map((r) => [r.article_id, r.number]));
}

/**
 * The read side of revisions: corrections (public with their article) and
 * the history and diffs, which only editors and the article's byline authors read.
 */
export class ArticleRevisionService {
  constructor(
    private readonly db: Database,
    private readonly rows: RowMapper,
  ) {}

  /** Each article's correction notes, oldest first: one statement for any number of articles. */
  async corrections(articleIds: readonly number[]): Promise<Correction[][]> {
    const rows = await this.db.query<{ article_id: number; number: number; correction: string; created_at: Date }>(
      `SELECT article_id, number, correction, created_at FROM article_revisions
       WHERE article_id = ANY($1::int[]) AND correction IS NOT NULL ORDER BY article_id, number`,
      [articleIds],
    );
    return groupBy(articleIds, rows, (r) => r.article_id).map((group) =>
      group.map((r) => ({ text: r.correction, createdAt: r.created_at, revision: r.number })),
    );
  }

  /** A page of the article's revisions, newest first. */
  async history(viewer: Viewer | null, articleId: number, page: PageRequest): Promise<Page<ArticleRevision>> {
    await this.checkReader(viewer, articleId);
    const q = new Params();
    const seek = page.after ? `AND r.number < ${q.p(page.after[0])}` : "";
    const rows = await this.db.query(
      `SELECT ${this.rows.columns(ArticleRevision, "r")} FROM article_revisions r
       WHERE r.article_id = ${q.p(articleId)} ${seek} ORDER BY r.number DESC LIMIT ${q.p(page.first + 1)}`,
      q.values,
    );
    return toPage(
      this.rows.hydrateAll(ArticleRevision, rows),
      page,
      REVISION_CURSOR,
      (r) => [r.number],
      async () => {
        const [{ n }] = await this.db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM article_revisions WHERE article_id = $1",
          [articleId],
        );
        return n;
      },
    );
  }

  /** How the article changed from revision `from` to revision `to` (either order; equal gives no change). */
  async diff(viewer: Viewer | null, articleId: number, from: number, to: number): Promise<ArticleRevisionDiff> {
    const bad: Record<string, string> = {};
    for (const [field, n] of [["from", from] as const, ["to", to] as const]) {
      if (!Number.isInteger(n) || n < 1 || n > INT4_MAX) bad[field] = "must be a revision number (1 or more)";
    }
    if (Object.keys(bad).length) throw new BadInputError(bad);
    await this.checkReader(viewer, articleId);
    // One row even when neither number exists, so that the error can say which numbers do.
    const rows = await this.db.query(
      `SELECT m.latest, ${this.rows.columns(ArticleRevision, "r")}
       FROM (SELECT max(number) AS latest FROM article_revisions WHERE article_id = $1) m
       LEFT JOIN article_revisions r ON r.article_id = $1 AND r.number = ANY($2::int[])`,
      [articleId, [from, to]],
    );
    const found = rows.filter((r) => r.id !== null);
    const byNumber = new Map(this.rows.hydrateAll(ArticleRevision, found).map((r) => [r.number, r]));
    const latest: number | null = rows[0]?.latest ?? null;
    const has = latest === null ? "it has none" : `it has 1 to ${latest}`;
    for (const [field, n] of [["from", from] as const, ["to", to] as const]) {
      if (!byNumber.has(n)) bad[field] = `no revision ${n} of this article (${has})`;
    }
    if (Object.keys(bad).length) throw new BadInputError(bad);
    const a = byNumber.get(from)!;
    const b = byNumber.get(to)!;
    return {
      from,
      to,
      title: diffText(a.title, b.title),
      standfirst: diffText(a.standfirst ?? "", b.standfirst ?? ""),
      body: diffText(a.body, b.body),
    };
  }

  /** Editors and admins read any article's history, writers only that of articles in their byline. */
  private async checkReader(viewer: Viewer | null, articleId: number): Promise<void> {
    const caller = requireRole(viewer, Role.WRITER);
    const q = new Params();
    const [row] = await this.db.query<{ in_byline: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM article_authors l WHERE l.article_id = a.id AND l.author_id = ${q.p(caller.authorId)})
         AS in_byline
       FROM articles a WHERE a.id = ${q.p(articleId)} AND ${visibleArticleSql(caller, q)}`,
      q.values,
    );
    if (!row) throw notFound("Article");
    if (!isEditor(caller) && !row.in_byline) {
      throw forbidden("Only editors and the article's byline authors may read its revisions");
    }
  }
}
