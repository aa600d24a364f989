import { randomBytes } from "node:crypto";
import type { PreviewConfig } from "../../config";
import type { Database, Queryable } from "../../db/database";
import type { RowMapper } from "../../db/sql";
import { Params } from "../../db/sql";
import type { Clock } from "../../shared/clock";
import { AppError, BadInputError, conflict, forbidden, notFound } from "../../shared/errors";
import { Role } from "../auth/role";
import { requireRole } from "../auth/require-role";
import type { Viewer } from "../auth/viewer";
import { isEditor } from "../auth/viewer";
import { Article, ArticleStatus } from "../article/article.entity";
import { visibleArticleSql } from "../article/article.visibility";
import { ArticlePreview } from "./article-preview.entity";
import { checkPreviewToken, newPreviewToken, sameHash } from "./preview-token";

/** Live (unexpired, unrevoked) preview links one article may have at a time; one more is CONFLICT. */
export const MAX_LIVE_PREVIEWS = 20;
/** The shortest expiresIn, in seconds. */
export const MIN_PREVIEW_TTL_SECONDS = 60;

/** Why a preview token opens nothing (extensions.reason of its FORBIDDEN). */
export type PreviewRefusal = "INVALID" | "EXPIRED" | "REVOKED" | "WITHDRAWN";

const refused = (reason: PreviewRefusal, message: string) => new AppError("FORBIDDEN", message, { reason });

export interface CreatedPreview {
  preview: ArticlePreview;
  token: string;
  url: string;
}

/**
 * Draft previews: signed, expiring, revocable links that let anyone who holds one read one DRAFT or
 * SCHEDULED article. Who may make, list and revoke them: EDITOR+ for any article, a writer for an
 * article in their byline (the live blog's rule); anonymous callers are UNAUTHENTICATED. Reading one
 * (`read`) needs no viewer and unlocks that article alone: everything else is read as the caller.
 */
export class ArticlePreviewService {
  private secret: Promise<Buffer> | undefined;

  constructor(
    private readonly db: Database,
    private readonly rows: RowMapper,
    private readonly clock: Clock,
    private readonly config: PreviewConfig,
  ) {}

  /** A new link; `expiresIn` in seconds (default PREVIEW_DEFAULT_TTL_SECONDS, at most PREVIEW_MAX_TTL_SECONDS). */
  async create(viewer: Viewer | null, articleId: number, expiresIn: number | null): Promise<CreatedPreview> {
    const caller = requireRole(viewer, Role.WRITER);
    const { maxTtlSeconds, defaultTtlSeconds } = this.config;
    const ttl = expiresIn ?? defaultTtlSeconds;
    if (!Number.isInteger(ttl) || ttl < MIN_PREVIEW_TTL_SECONDS || ttl > maxTtlSeconds) {
      throw new BadInputError({
        expiresIn: `must be between ${MIN_PREVIEW_TTL_SECONDS} and ${maxTtlSeconds} seconds`,
      });
    }
    const secret = await this.key();
    return this.db.transaction(async (tx) => {
      // FOR UPDATE: two creations for one article take turns, so the live count holds.
      const article = await this.allowedArticle(tx, caller, articleId, "FOR UPDATE OF a");
      if (article.status !== ArticleStatus.DRAFT && article.status !== ArticleStatus.SCHEDULED) {
        throw new BadInputError({
          articleId: `is ${article.status}: only DRAFT and SCHEDULED articles have previews`,
        });
      }
      const now = this.clock.now();
      const [{ live }] = await tx.query<{ live: number }>(
        `SELECT count(*)::int AS live FROM article_previews
         WHERE article_id = $1 AND revoked_at IS NULL AND expires_at > $2`,
        [articleId, now],
      );
      if (live >= MAX_LIVE_PREVIEWS) {
        throw conflict(`This article has ${MAX_LIVE_PREVIEWS} live preview links: revoke one first`);
      }
      const { token, hash } = newPreviewToken(secret);
      const [row] = await tx.query(
        `INSERT INTO article_previews (article_id, token_hash, created_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING ${this.rows.columns(ArticlePreview, "article_previews")}`,
        [articleId, hash, caller.authorId, now, new Date(now.getTime() + ttl * 1000)],
      );
      const preview = this.rows.hydrate(ArticlePreview, row);
      return { preview, token, url: this.config.urlPattern.replace("{token}", token) };
    });
  }

  /** Revokes a link at once (idempotent: a revoked one is returned as it is). */
  async revoke(viewer: Viewer | null, previewId: number): Promise<ArticlePreview> {
    const caller = requireRole(viewer, Role.WRITER);
    return this.db.transaction(async (tx) => {
      const [ref] = await tx.query<{ article_id: number }>(
        "SELECT article_id FROM article_previews WHERE id = $1 FOR UPDATE",
        [previewId],
      );
      if (!ref) throw notFound("ArticlePreview");
      await this.allowedArticle(tx, caller, ref.article_id, "", "ArticlePreview");
      const [row] = await tx.query(
        `UPDATE article_previews SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1
         RETURNING ${this.rows.columns(ArticlePreview, "article_previews")}`,
        [previewId, this.clock.now()],
      );
      return this.rows.hydrate(ArticlePreview, row);
    });
  }

  /** An article's live links, newest first (at most MAX_LIVE_PREVIEWS). */
  async live(viewer: Viewer | null, articleId: number): Promise<ArticlePreview[]> {
    const caller = requireRole(viewer, Role.WRITER);
    await this.allowedArticle(this.db, caller, articleId, "");
    const rows = await this.db.query(
      `SELECT ${this.rows.columns(ArticlePreview, "p")} FROM article_previews p
       WHERE p.article_id = $1 AND p.revoked_at IS NULL AND p.expires_at > $2
       ORDER BY p.created_at DESC, p.id DESC LIMIT ${MAX_LIVE_PREVIEWS}`,
      [articleId, this.clock.now()],
    );
    return this.rows.hydrateAll(ArticlePreview, rows);
  }

  /**
   * The article a token opens, whatever its status, read now (never from a cache). A text that is not
   * a token is BAD_USER_INPUT; a forged, unknown, expired or revoked one, or one whose article was
   * archived, FORBIDDEN with extensions.reason. A link whose article has since been published still
   * opens it (the article is public now; the link is merely unnecessary).
   */
  async read(token: string): Promise<{ article: Article; preview: ArticlePreview }> {
    const check = checkPreviewToken(await this.key(), token);
    if (check.kind === "malformed") throw new BadInputError({ token: "is not a preview token" });
    if (check.kind === "forged") throw refused("INVALID", "This preview link is not valid");
    const [row] = await this.db.query(
      `SELECT ${this.rows.columns(Article, "a")}, ${this.rows
        .columns(ArticlePreview, "p")
        .replace(/p\.(\w+)/g, "p.$1 AS p_$1")}
       FROM article_previews p JOIN articles a ON a.id = p.article_id WHERE p.token_hash = $1`,
      [check.hash],
    );
    // Signed by us, yet unknown: its article was deleted, or the row belongs to another database.
    if (!row || !sameHash(row.p_token_hash, check.hash)) throw refused("INVALID", "This preview link is not valid");
    const preview = this.rows.hydrate(
      ArticlePreview,
      Object.fromEntries(Object.entries(row).flatMap(([k, v]) => (k.startsWith("p_") ? [[k.slice(2), v]] : []))),
    );
    if (preview.revokedAt !== null) throw refused("REVOKED", "This preview link was revoked");
    if (preview.expiresAt.getTime() <= this.clock.now().getTime()) {
      throw refused("EXPIRED", `This preview link expired at ${preview.expiresAt.toISOString()}`);
    }
    const article = this.rows.hydrate(Article, row);
    if (article.status === ArticleStatus.ARCHIVED) {
      throw refused("WITHDRAWN", "The article of this preview link was withdrawn");
    }
    return { article, preview };
  }

  /**
   * The article, if the caller may see it (else NOT_FOUND, as every write path answers) and is an editor
   * or in its byline (else FORBIDDEN).
   */
  private async allowedArticle(
    conn: Queryable,
    caller: Viewer,
    id: number,
    lock: string,
    what = "Article",
  ): Promise<Article> {
    const q = new Params();
    const [row] = await conn.query(
      `SELECT ${this.rows.columns(Article, "a")},
         EXISTS (SELECT 1 FROM article_authors l WHERE l.article_id = a.id AND l.author_id = ${q.p(caller.authorId)})
           AS in_byline
       FROM articles a WHERE a.id = ${q.p(id)} AND ${visibleArticleSql(caller, q)} ${lock}`,
      q.values,
    );
    if (!row) throw notFound(what);
    if (!isEditor(caller) && !row.in_byline)
      throw forbidden("Only the article's byline and editors manage its previews");
    return this.rows.hydrate(Article, row);
  }

  /**
   * The HMAC key: PREVIEW_SECRET, or the one kept in the database, made by the first instance that
   * needs it (every later one, and every restart, reads the same).
   */
  private key(): Promise<Buffer> {
    if (this.config.secret !== undefined) return Promise.resolve(Buffer.from(this.config.secret, "utf8"));
    this.secret ??= (async () => {
      await this.db.query(`INSERT INTO preview_secret (secret) VALUES ($1) ON CONFLICT (singleton) DO NOTHING`, [
        randomBytes(32).toString("base64url"),
      ]);
      const [row] = await this.db.query<{ secret: string }>("SELECT secret FROM preview_secret");
      return Buffer.from(row!.secret, "utf8");
    })().catch((error: unknown) => {
      // Not kept: the next request tries again (the database may be back).
      this.secret = undefined;
      throw error;
    });
    return this.secret;
  }
}
