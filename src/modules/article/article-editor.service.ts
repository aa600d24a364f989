import type { Database, Queryable, Tx } from "../../db/database";
import type { RowMapper } from "../../db/sql";
import type { Bus } from "../../pubsub";
import type { Purger } from "../../cache/cache-tags";
import { articleEdited, articleVisibilityChanged, noPurge } from "../../cache/cache-tags";
import type { Clock } from "../../shared/clock";
import { BadInputError, forbidden, notFound } from "../../shared/errors";
import { InputErrors, hasNul, isSlug, slugify, unstorableText } from "../../shared/validation";
import { Role } from "../auth/role";
import { requireRole } from "../auth/require-role";
import type { Viewer } from "../auth/viewer";
import { isEditor } from "../auth/viewer";
import { FeedEventKind, recordFeedEvent } from "../../db/outbox";
import { Article, ArticleStatus } from "./article.entity";
import { renderBody } from "./article.render";
import { freeSlug, requestedSlug, slugTaken } from "./article.slugs";
import { MAX_CORRECTION, recordRevisions } from "./article-revision.service";
import type { CreateArticleInput, UpdateArticleInput } from "./article-write.inputs";
import { ArticleLeadImageService } from "./article-lead-image.service";

export const MAX_TITLE = 300;
export const MAX_STANDFIRST = 1000;
export const MAX_BODY = 200_000;
/** Search engines show about 60 characters of a title and 160 of a description; these leave room. */
export const MAX_META_TITLE = 120;
export const MAX_META_DESCRIPTION = 320;
const MAX_SLUG_ATTEMPTS = 5;

const isUniqueViolation = (error: unknown, constraint?: string) =>
  (error as { code?: string }).code === "23505" &&
  (constraint === undefined || String((error as { constraint?: string }).constraint).includes(constraint));

/**
 * The editorial workflow: drafts, edits, publishing (now or scheduled),
 * unpublishing and archiving, with the newsroom's rules on who may do what.
 * Every change that readers can observe is recorded in the feed log in the
 * same transaction.
 */
export class ArticleEditorService {
  constructor(
    private readonly db: Database,
    private readonly rows: RowMapper,
    private readonly bus: Bus,
    private readonly clock: Clock,
    private readonly cache: Purger = noPurge,
    private readonly leadImages = new ArticleLeadImageService(db, rows),
  ) {}

  /** WRITER or better; the article starts as a DRAFT with the caller in the byline unless given one. */
  async create(viewer: Viewer | null, input: CreateArticleInput): Promise<Article> {
    const caller = requireRole(viewer, Role.WRITER);
    const errors = new InputErrors();
    const title = errors.text(input.title, "title", 1, MAX_TITLE);
    const standfirst = input.standfirst == null ? null : errors.text(input.standfirst, "standfirst", 0, MAX_STANDFIRST);
    const metaTitle = input.metaTitle == null ? null : errors.text(input.metaTitle, "metaTitle", 0, MAX_META_TITLE);
    const metaDescription =
      input.metaDescription == null
        ? null
        : errors.text(input.metaDescription, "metaDescription", 0, MAX_META_DESCRIPTION);
    this.checkBody(errors, input.body);
    if (input.slug != null) errors.check(isSlug(input.slug), "slug", "must be lowercase words joined by hyphens");
    const leadImage = this.leadImages.check(errors, input.leadImage);
    errors.throwIfAny();

    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction(async (tx) => {
          const authorIds = await this.bylineIds(tx, caller, input.authorSlugs ?? null);
          const topicIds = await this.topicIds(tx, input.topicSlugs ?? []);
          const slug =
            input.slug != null ? await requestedSlug(tx, caller, input.slug, null) : await freeSlug(tx, slugify(title));
          const { html, wordCount } = renderBody(input.body);
          const now = this.clock.now();
          const [row] = await tx.query(
            `INSERT INTO articles (slug, title, standfirst, body, body_html, status, comments_open, word_count,
               created_at, updated_at, meta_title, meta_description)
             VALUES ($1, $2, $3, $4, $5, 'DRAFT', $6, $7, $8, $8, $9, $10) RETURNING id`,
            [
              slug,
              title,
              standfirst || null,
              input.body,
              html,
              input.commentsOpen ?? true,
              wordCount,
              now,
              metaTitle || null,
              metaDescription || null,
            ],
          );
          await this.replaceLinks(tx, row.id, authorIds, topicIds);
          if (leadImage) await this.leadImages.write(tx, row.id, leadImage);
          return this.load(tx, row.id);
        });
      } catch (error) {
        if (!isUniqueViolation(error, "UQ_")) throw error;
        // The slug raced another writer's (seen on the next attempt as taken, or given the next free one).
        if (attempt >= MAX_SLUG_ATTEMPTS) throw input.slug != null ? slugTaken(input.slug) : error;
      }
    }
  }

  /** Writers may edit their own drafts; editors and admins any article. */
  async update(viewer: Viewer | null, id: number, input: UpdateArticleInput): Promise<Article> {
    const caller = requireRole(viewer, Role.WRITER);
    const errors = new InputErrors();
    for (const field of ["title", "slug", "body", "topicSlugs", "authorSlugs", "commentsOpen"] as const) {
      if (input[field] === null) errors.add(field, "cannot be null; leave it out to keep it");
    }
    const title = input.title == null ? undefined : errors.text(input.title, "title", 1, MAX_TITLE);
    const standfirst =
      input.standfirst == null ? input.standfirst : errors.text(input.standfirst, "standfirst", 0, MAX_STANDFIRST);
    const metaTitle =
      input.metaTitle == null ? input.metaTitle : errors.text(input.metaTitle, "metaTitle", 0, MAX_META_TITLE);
    const metaDescription =
      input.metaDescription == null
        ? input.metaDescription
        : errors.text(input.metaDescription, "metaDescription", 0, MAX_META_DESCRIPTION);
    if (input.body != null) this.checkBody(errors, input.body);
    if (input.slug != null) errors.check(isSlug(input.slug), "slug", "must be lowercase words joined by hyphens");
    const correction = input.correction == null ? null : errors.text(input.correction, "correction", 1, MAX_CORRECTION);
    const leadImage = this.leadImages.check(errors, input.leadImage);
    errors.throwIfAny();

    try {
      return await this.db.transaction(async (tx) => {
        const current = await this.lockVisible(tx, caller, id);
        if (!isEditor(caller) && current.status !== ArticleStatus.DRAFT) {
          throw forbidden("Writers may edit only their own drafts");
        }
        if (correction !== null && current.status !== ArticleStatus.PUBLISHED) {
          throw new BadInputError({
            correction: `only a published article carries corrections (this one is ${current.status})`,
          });
        }
        const now = this.clock.now();
        const sets: string[] = [];
        const params: unknown[] = [];
        const set = (column: string, value: unknown) => {
          params.push(value);
          sets.push(`${column} = $${params.length}`);
        };
        if (title !== undefined) set("title", title);
        if (input.slug != null) set("slug", await requestedSlug(tx, caller, input.slug, id));
        if (standfirst !== undefined) set("standfirst", standfirst || null);
        if (metaTitle !== undefined) set("meta_title", metaTitle || null);
        if (metaDescription !== undefined) set("meta_description", metaDescription || null);
        if (input.body != null) {
          const { html, wordCount } = renderBody(input.body);
          set("body", input.body);
          set("body_html", html);
          set("word_count", wordCount);
        }
        if (input.commentsOpen != null) set("comments_open", input.commentsOpen);
        set("updated_at", now);
        params.push(id);
        await tx.query(`UPDATE articles SET ${sets.join(", ")} WHERE id = $${params.length}`, params);

        if (input.authorSlugs != null || input.topicSlugs != null) {
          const authorIds = input.authorSlugs != null ? await this.bylineIds(tx, caller, input.authorSlugs) : null;
          const topicIds = input.topicSlugs != null ? await this.topicIds(tx, input.topicSlugs) : null;
          await this.replaceLinks(tx, id, authorIds, topicIds);
        }
        if (leadImage !== undefined) await this.leadImages.write(tx, id, leadImage);
        const updated = await this.load(tx, id);
        if (current.status === ArticleStatus.PUBLISHED) {
          await recordRevisions(tx, [id], caller.authorId, correction, now);
          this.record(tx, FeedEventKind.ARTICLE_UPDATED, id);
          const linksChanged = input.authorSlugs != null || input.topicSlugs != null;
          this.purgeAfter(tx, articleEdited(id, [current.slug, updated.slug], linksChanged));
        }
        return updated;
      });
    } catch (error) {
      if (isUniqueViolation(error, "UQ_")) throw slugTaken(input.slug!);
      throw error;
    }
  }

  /** EDITOR or ADMIN. `at` in the future schedules it; otherwise it goes live now (or backdated to `at`). */
  async publish(viewer: Viewer | null, id: number, at: Date | null): Promise<Article> {
    const caller = requireRole(viewer, Role.EDITOR);
    return this.db.transaction(async (tx) => {
      const current = await this.lockVisible(tx, caller, id);
      const now = this.clock.now();
      const scheduled = at !== null && at > now;
      if (current.status === ArticleStatus.PUBLISHED) {
        if (scheduled) throw new BadInputError({ at: "the article is already live; unpublish it first" });
        return current;
      }
      const [{ body }] = await tx.query<{ body: string }>("SELECT body FROM articles WHERE id = $1", [id]);
      if (!body.trim()) throw new BadInputError({ body: "must not be empty to publish" });
      const status = scheduled ? ArticleStatus.SCHEDULED : ArticleStatus.PUBLISHED;
      await tx.query("UPDATE articles SET status = $1, published_at = $2, updated_at = $3 WHERE id = $4", [
        status,
        at ?? now,
        now,
        id,
      ]);
      if (!scheduled) {
        await recordRevisions(tx, [id], caller.authorId, null, now);
        this.record(tx, FeedEventKind.ARTICLE_PUBLISHED, id);
        this.purgeAfter(tx, articleVisibilityChanged(id, current.slug));
      }
      return this.load(tx, id);
    });
  }

  /** EDITOR or ADMIN: back to DRAFT (also cancels a schedule). */
  unpublish(viewer: Viewer | null, id: number): Promise<Article> {
    return this.moveTo(viewer, id, ArticleStatus.DRAFT);
  }

  /** EDITOR or ADMIN: out of every list and page, kept for the record. */
  archive(viewer: Viewer | null, id: number): Promise<Article> {
    return this.moveTo(viewer, id, ArticleStatus.ARCHIVED);
  }

  private moveTo(viewer: Viewer | null, id: number, status: ArticleStatus.DRAFT | ArticleStatus.ARCHIVED) {
    const caller = requireRole(viewer, Role.EDITOR);
    return this.db.transaction(async (tx) => {
      const current = await this.lockVisible(tx, caller, id);
      if (current.status === status) return current;
      const publishedAt = status === ArticleStatus.DRAFT ? null : current.publishedAt;
      await tx.query("UPDATE articles SET status = $1, published_at = $2, updated_at = $3 WHERE id = $4", [
        status,
        publishedAt,
        this.clock.now(),
        id,
      ]);
      if (current.status === ArticleStatus.PUBLISHED) {
        this.record(tx, FeedEventKind.ARTICLE_UPDATED, id);
        this.purgeAfter(tx, articleVisibilityChanged(id, current.slug));
      }
      return this.load(tx, id);
    });
  }

  /**
   * Puts every SCHEDULED article whose time has come live. Safe to run on
   * several instances at once: the UPDATE claims each row exactly once.
   */
  async publishDue(): Promise<number> {
    return this.db.transaction(async (tx) => {
      const now = this.clock.now();
      const due: { id: number; slug: string }[] = await tx.query(
        `UPDATE articles SET status = 'PUBLISHED', updated_at = $1
         WHERE status = 'SCHEDULED' AND published_at <= $1 RETURNING id, slug`,
        [now],
      );
      await recordRevisions(
        tx,
        due.map((d) => d.id),
        null,
        null,
        now,
      );
      for (const { id, slug } of due.sort((a, b) => a.id - b.id)) {
        this.record(tx, FeedEventKind.ARTICLE_PUBLISHED, id);
        this.purgeAfter(tx, articleVisibilityChanged(id, slug));
      }
      return due.length;
    });
  }

  /** When the next scheduled article is due, if any. */
  async nextDue(): Promise<Date | null> {
    const [row] = await this.db.query<{ at: Date | null }>(
      "SELECT min(published_at) AS at FROM articles WHERE status = 'SCHEDULED'",
    );
    return row?.at ?? null;
  }

  private checkBody(errors: InputErrors, body: string): void {
    if (body.length > MAX_BODY) errors.add("body", `must be at most ${MAX_BODY.toLocaleString("en")} characters`);
    else if (unstorableText(body)) errors.add("body", unstorableText(body)!);
  }

  /** Cached responses that the write changes go once it has committed, before the mutation answers. */
  private purgeAfter(tx: Tx, tags: string[]): void {
    tx.afterCommit(() => this.cache.purge(tags));
  }

  private record(tx: Tx, kind: FeedEventKind, articleId: number): void {
    recordFeedEvent(tx, this.bus, kind, articleId);
  }

  /** The article as written, body included (lists and loaders leave the body out). */
  private async load(conn: Queryable, id: number): Promise<Article> {
    const [row] = await conn.query(
      `SELECT ${this.rows.columns(Article, "a")}, a.body, a.body_html FROM articles a WHERE a.id = $1`,
      [id],
    );
    const article = this.rows.hydrate(Article, row);
    article.body = row.body;
    article.bodyHtml = row.body_html;
    return article;
  }

  /** Locks the article for the rest of the transaction; NOT_FOUND when the caller may not see it. */
  private async lockVisible(conn: Queryable, viewer: Viewer, id: number): Promise<Article> {
    const [row] = await conn.query(
      `SELECT ${this.rows.columns(Article, "a")},
         EXISTS (SELECT 1 FROM article_authors l WHERE l.article_id = a.id AND l.author_id = $2) AS in_byline
       FROM articles a WHERE a.id = $1 FOR UPDATE`,
      [id, viewer.authorId],
    );
    if (!row || (!isEditor(viewer) && row.status !== ArticleStatus.PUBLISHED && !row.in_byline)) {
      throw notFound("Article");
    }
    if (!isEditor(viewer) && !row.in_byline) throw forbidden("Writers may edit only their own drafts");
    return this.rows.hydrate(Article, row);
  }

  /** Author ids for a byline (the caller by default). Writers must stay in their own bylines. */
  private async bylineIds(conn: Queryable, caller: Viewer, slugs: string[] | null): Promise<number[]> {
    if (slugs === null) return [caller.authorId];
    const errors = new InputErrors();
    errors.check(slugs.length > 0, "authorSlugs", "needs at least one author");
    errors.check(new Set(slugs).size === slugs.length, "authorSlugs", "lists an author twice");
    errors.throwIfAny();
    const ids = await this.idsBySlug(conn, "authors", "authorSlugs", "author", slugs);
    if (!isEditor(caller) && !ids.includes(caller.authorId)) {
      throw new BadInputError({ authorSlugs: "must include you (only editors may write bylines for others)" });
    }
    return ids;
  }

  private async topicIds(conn: Queryable, slugs: string[]): Promise<number[]> {
    return this.idsBySlug(conn, "topics", "topicSlugs", "topic", [...new Set(slugs)]);
  }

  private async idsBySlug(conn: Queryable, table: string, field: string, what: string, slugs: string[]) {
    if (!slugs.length) return [];
    const nul = slugs.filter(hasNul);
    if (nul.length) throw new BadInputError({ [field]: `unknown ${what}: a slug with a NUL character` });
    const rows: { id: number; slug: string }[] = await conn.query(
      `SELECT id, slug FROM ${table} WHERE slug = ANY($1::text[])`,
      [slugs],
    );
    const bySlug = new Map(rows.map((r) => [r.slug, r.id]));
    const unknown = slugs.filter((s) => !bySlug.has(s));
    if (unknown.length) throw new BadInputError({ [field]: `unknown ${what}: ${unknown.join(", ")}` });
    return slugs.map((s) => bySlug.get(s)!);
  }

  private async replaceLinks(conn: Queryable, id: number, authorIds: number[] | null, topicIds: number[] | null) {
    if (authorIds) {
      await conn.query("DELETE FROM article_authors WHERE article_id = $1", [id]);
      await conn.query(
        `INSERT INTO article_authors (article_id, author_id, position)
         SELECT $1, author_id, position - 1 FROM unnest($2::int[]) WITH ORDINALITY AS b(author_id, position)`,
        [id, authorIds],
      );
    }
    if (topicIds) {
      await conn.query("DELETE FROM article_topics WHERE article_id = $1", [id]);
      await conn.query("INSERT INTO article_topics (article_id, topic_id) SELECT $1, unnest($2::int[])", [
        id,
        topicIds,
      ]);
    }
  }
}
