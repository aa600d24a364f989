import type { Database, Queryable, Tx } from "../../db/database";
import type { RowMapper } from "../../db/sql";
import { Params } from "../../db/sql";
import type { Bus } from "../../pubsub";
import type { Purger } from "../../cache/cache-tags";
import { articleEdited, liveBlogChanged, noPurge } from "../../cache/cache-tags";
import type { Clock } from "../../shared/clock";
import { BadInputError, conflict, forbidden, notFound } from "../../shared/errors";
import { expectGlobalId } from "../../shared/node-id";
import { InputErrors, hasNul, unstorableText } from "../../shared/validation";
import { FeedEventKind, recordFeedEvent } from "../../db/outbox";
import { Role } from "../auth/role";
import { requireRole } from "../auth/require-role";
import type { Viewer } from "../auth/viewer";
import { isEditor } from "../auth/viewer";
import { Article, ArticleStatus } from "../article/article.entity";
import { renderBody } from "../article/article.render";
import { visibleArticleSql } from "../article/article.visibility";
import { LiveEntry } from "./live-entry.entity";
import type { AddLiveEntryInput, UpdateLiveEntryInput } from "./live-blog.inputs";

export const MAX_ENTRY_TITLE = 200;
export const MAX_ENTRY_BODY = 20_000;
export const MAX_ENTRY_AUTHORS = 20;
export const MAX_ENTRY_IDEMPOTENCY_KEY = 128;

interface EntryDraft {
  articleId: number;
  title: string | null;
  body: string;
  isKeyEvent: boolean;
  authorSlugs: string[] | null;
  key: string | null;
}

/** The article row a live-blog write locks, with whether the caller is in its byline. */
interface LockedArticle {
  article: Article;
  inByline: boolean;
}

/**
 * The newsroom's side of live blogs. Who may do what:
 * - EDITOR or ADMIN start and end a live blog (a PUBLISHED article);
 * - the article's byline authors and EDITOR+ post entries while it is live, and pin or unpin them;
 * - a writer edits and deletes only the entries they posted; EDITOR+ any.
 * Every change is one transaction that records its feed events (in order) and purges the cache
 * after commit; a refused write leaves nothing behind.
 */
export class LiveBlogWriteService {
  constructor(
    private readonly db: Database,
    private readonly rows: RowMapper,
    private readonly bus: Bus,
    private readonly clock: Clock,
    private readonly cache: Purger = noPurge,
  ) {}

  /** EDITOR or ADMIN: a published article becomes a live blog (again, if it had ended: liveSince is kept). */
  async start(viewer: Viewer | null, articleId: number): Promise<Article> {
    const caller = requireRole(viewer, Role.EDITOR);
    return this.db.transaction(async (tx) => {
      const { article } = await this.lockArticle(tx, caller, articleId, "UPDATE");
      if (article.status !== ArticleStatus.PUBLISHED) throw forbidden("Only a published article can go live");
      if (article.isLive) return article;
      await tx.query(
        "UPDATE articles SET live_since = COALESCE(live_since, $1), live_until = NULL, updated_at = $1 WHERE id = $2",
        [this.clock.now(), articleId],
      );
      return this.articleChanged(tx, article);
    });
  }

  /** EDITOR or ADMIN: live coverage ends; entries stay readable, no new ones are accepted. */
  async end(viewer: Viewer | null, articleId: number): Promise<Article> {
    const caller = requireRole(viewer, Role.EDITOR);
    return this.db.transaction(async (tx) => {
      const { article } = await this.lockArticle(tx, caller, articleId, "UPDATE");
      if (article.liveSince === null) throw forbidden("This article is not a live blog");
      if (!article.isLive) return article;
      await tx.query("UPDATE articles SET live_until = $1, updated_at = $1 WHERE id = $2", [
        this.clock.now(),
        articleId,
      ]);
      return this.articleChanged(tx, article);
    });
  }

  /** Posts an entry; a retry with the same idempotency key returns the first entry and stores nothing. */
  async add(viewer: Viewer | null, input: AddLiveEntryInput): Promise<LiveEntry> {
    const caller = requireRole(viewer, Role.WRITER);
    const d = this.validateAdd(input);
    const existing = d.key === null ? null : await this.byKey(this.db, caller, d);
    if (existing) return existing;
    return this.db.transaction(async (tx) => {
      // FOR SHARE: endLiveBlog and unpublishing (FOR UPDATE) wait for this post, or it for them.
      const { article, inByline } = await this.lockArticle(tx, caller, d.articleId, "SHARE");
      if (!isEditor(caller) && !inByline) throw forbidden("Only the article's byline and editors post entries");
      if (article.status !== ArticleStatus.PUBLISHED) throw forbidden("The article is not published");
      if (!article.isLive) throw forbidden("The article is not live: startLiveBlog first");
      const authorIds = await this.bylineIds(tx, caller, d.authorSlugs);
      const { html } = renderBody(d.body);
      const inserted = await tx.query(
        `INSERT INTO live_entries (article_id, title, body, body_html, author_ids, posted_by, is_key_event,
           published_at, idempotency_key)
         VALUES ($1, $2, $3, $4, $5::int[], $6, $7, $8, $9)
         ON CONFLICT (article_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
         RETURNING id`,
        [d.articleId, d.title, d.body, html, authorIds, caller.authorId, d.isKeyEvent, this.clock.now(), d.key],
      );
      // A racing retry with the same key committed first: answer as it did.
      if (!inserted.length) return (await this.byKey(tx, caller, d))!;
      const id: number = inserted[0].id;
      this.entryChanged(tx, FeedEventKind.LIVE_ENTRY_ADDED, d.articleId, id);
      return this.load(tx, id);
    });
  }

  /** Edits an entry in place (it keeps its place: publishedAt never changes). */
  async update(viewer: Viewer | null, globalId: string, input: UpdateLiveEntryInput): Promise<LiveEntry> {
    const caller = requireRole(viewer, Role.WRITER);
    const errors = new InputErrors();
    // The id is checked with the fields, so that every problem is named at once.
    let id = 0;
    try {
      id = expectGlobalId("LiveEntry", globalId, "id");
    } catch {
      errors.add("id", "not a valid LiveEntry id");
    }
    for (const field of ["body", "isKeyEvent", "authorSlugs"] as const) {
      if (input[field] === null) errors.add(field, "cannot be null; leave it out to keep it");
    }
    const title = input.title === undefined ? undefined : this.checkTitle(errors, input.title);
    if (input.body != null) this.checkBody(errors, input.body);
    if (input.authorSlugs != null) this.checkSlugs(errors, input.authorSlugs);
    errors.throwIfAny();
    return this.db.transaction(async (tx) => {
      const entry = await this.lockOwnEntry(tx, caller, id);
      const sets: string[] = [];
      const params: unknown[] = [];
      const set = (column: string, value: unknown, cast = "") => {
        params.push(value);
        sets.push(`${column} = $${params.length}${cast}`);
      };
      if (title !== undefined && title !== entry.title) set("title", title);
      if (input.body != null && input.body !== entry.body) {
        set("body", input.body);
        set("body_html", renderBody(input.body).html);
      }
      if (input.isKeyEvent != null && input.isKeyEvent !== entry.isKeyEvent) set("is_key_event", input.isKeyEvent);
      if (input.authorSlugs != null) {
        const ids = await this.bylineIds(tx, caller, input.authorSlugs);
        if (ids.join() !== entry.authorIds.join()) set("author_ids", ids, "::int[]");
      }
      if (!sets.length) return entry; // nothing changed: no event, no "Updated" mark
      set("edited_at", this.clock.now());
      params.push(id);
      await tx.query(`UPDATE live_entries SET ${sets.join(", ")} WHERE id = $${params.length}`, params);
      this.entryChanged(tx, FeedEventKind.LIVE_ENTRY_EDITED, entry.articleId, id);
      return this.load(tx, id);
    });
  }

  /** Deletes an entry: gone from every read; its content is erased, its id stays for the feed. */
  async delete(viewer: Viewer | null, id: number): Promise<number> {
    const caller = requireRole(viewer, Role.WRITER);
    return this.db.transaction(async (tx) => {
      const entry = await this.lockOwnEntry(tx, caller, id);
      await tx.query(
        `UPDATE live_entries SET deleted_at = $1, is_pinned = false, title = NULL, body = '', body_html = ''
         WHERE id = $2`,
        [this.clock.now(), id],
      );
      this.entryChanged(tx, FeedEventKind.LIVE_ENTRY_DELETED, entry.articleId, id);
      return id;
    });
  }

  /**
   * Pins the entry and unpins any other of the same live blog, in one transaction: the article's
   * row lock makes concurrent pins take turns, so each sees the other's result, and the
   * UNPINNED and PINNED events are recorded in that order.
   */
  async pin(viewer: Viewer | null, id: number): Promise<LiveEntry> {
    const caller = requireRole(viewer, Role.WRITER);
    return this.db.transaction(async (tx) => {
      const entry = await this.lockEntryForPinning(tx, caller, id);
      if (entry.isPinned) return entry;
      const unpinned = await tx.query<{ id: number }>(
        "UPDATE live_entries SET is_pinned = false WHERE article_id = $1 AND is_pinned RETURNING id",
        [entry.articleId],
      );
      for (const { id: other } of unpinned) {
        this.entryChanged(tx, FeedEventKind.LIVE_ENTRY_UNPINNED, entry.articleId, other);
      }
      await tx.query("UPDATE live_entries SET is_pinned = true WHERE id = $1", [id]);
      this.entryChanged(tx, FeedEventKind.LIVE_ENTRY_PINNED, entry.articleId, id);
      return this.load(tx, id);
    });
  }

  async unpin(viewer: Viewer | null, id: number): Promise<LiveEntry> {
    const caller = requireRole(viewer, Role.WRITER);
    return this.db.transaction(async (tx) => {
      const entry = await this.lockEntryForPinning(tx, caller, id);
      if (!entry.isPinned) return entry;
      await tx.query("UPDATE live_entries SET is_pinned = false WHERE id = $1", [id]);
      this.entryChanged(tx, FeedEventKind.LIVE_ENTRY_UNPINNED, entry.articleId, id);
      return this.load(tx, id);
    });
  }

  private validateAdd(input: AddLiveEntryInput): EntryDraft {
    const errors = new InputErrors();
    let articleId = 0;
    try {
      articleId = expectGlobalId("Article", input.articleId, "articleId");
    } catch {
      errors.add("articleId", "is not an article id");
    }
    const title = this.checkTitle(errors, input.title ?? null);
    this.checkBody(errors, input.body);
    if (input.authorSlugs != null) this.checkSlugs(errors, input.authorSlugs);
    const key = input.idempotencyKey ?? null;
    if (key !== null) {
      const ok = key.length >= 1 && key.length <= MAX_ENTRY_IDEMPOTENCY_KEY && !unstorableText(key);
      errors.check(
        ok,
        "idempotencyKey",
        `must be 1 to ${MAX_ENTRY_IDEMPOTENCY_KEY} characters of valid text, without NUL`,
      );
    }
    errors.throwIfAny();
    return {
      articleId,
      title,
      body: input.body,
      isKeyEvent: input.isKeyEvent ?? false,
      authorSlugs: input.authorSlugs ?? null,
      key,
    };
  }

  /** A title is trimmed; empty (or null) means none. */
  private checkTitle(errors: InputErrors, title: string | null): string | null {
    if (title === null) return null;
    const trimmed = errors.text(title, "title", 0, MAX_ENTRY_TITLE);
    return trimmed || null;
  }

  private checkBody(errors: InputErrors, body: string): void {
    const unstorable = unstorableText(body);
    if (unstorable) errors.add("body", unstorable);
    else if (!body.trim()) errors.add("body", "must not be empty");
    else if (body.length > MAX_ENTRY_BODY) {
      errors.add("body", `must be at most ${MAX_ENTRY_BODY.toLocaleString("en")} characters`);
    }
  }

  private checkSlugs(errors: InputErrors, slugs: string[]): void {
    errors.check(slugs.length > 0, "authorSlugs", "needs at least one author");
    errors.check(slugs.length <= MAX_ENTRY_AUTHORS, "authorSlugs", `at most ${MAX_ENTRY_AUTHORS} authors`);
    errors.check(new Set(slugs).size === slugs.length, "authorSlugs", "lists an author twice");
    errors.check(!slugs.some(hasNul), "authorSlugs", "unknown author: a slug with a NUL character");
  }

  /** Author ids in byline order; the caller when no byline is given. Unknown slugs are BAD_USER_INPUT. */
  private async bylineIds(conn: Queryable, caller: Viewer, slugs: string[] | null): Promise<number[]> {
    if (slugs === null) return [caller.authorId];
    const rows = await conn.query<{ id: number; slug: string }>("SELECT id, slug FROM authors WHERE slug = ANY($1)", [
      slugs,
    ]);
    const bySlug = new Map(rows.map((r) => [r.slug, r.id]));
    const unknown = slugs.filter((s) => !bySlug.has(s));
    if (unknown.length) throw new BadInputError({ authorSlugs: `unknown author: ${unknown.join(", ")}` });
    return slugs.map((s) => bySlug.get(s)!);
  }

  /**
   * The entry stored under this draft's key, if any. CONFLICT when the key was used for other
   * content; NOT_FOUND when that entry has since been deleted (a retry stores nothing new).
   */
  private async byKey(conn: Queryable, caller: Viewer, d: EntryDraft): Promise<LiveEntry | null> {
    const [row] = await conn.query(
      `SELECT ${this.rows.columns(LiveEntry, "l")} FROM live_entries l WHERE l.article_id = $1 AND l.idempotency_key = $2`,
      [d.articleId, d.key],
    );
    if (!row) return null;
    if (row.deleted_at !== null) throw notFound("LiveEntry");
    const entry = this.rows.hydrate(LiveEntry, row);
    const same = entry.body === d.body && entry.title === d.title && entry.isKeyEvent === d.isKeyEvent;
    if (!same || entry.postedBy !== caller.authorId) {
      throw conflict("This idempotencyKey was used for a different entry", { idempotencyKey: "reused" });
    }
    return entry;
  }

  /** Locks the article (FOR UPDATE or FOR SHARE); NOT_FOUND when the caller may not see it. */
  private async lockArticle(
    conn: Queryable,
    caller: Viewer,
    id: number,
    mode: "UPDATE" | "SHARE",
  ): Promise<LockedArticle> {
    const q = new Params();
    const [row] = await conn.query(
      `SELECT ${this.rows.columns(Article, "a")},
         EXISTS (SELECT 1 FROM article_authors l WHERE l.article_id = a.id AND l.author_id = ${q.p(caller.authorId)})
           AS in_byline
       FROM articles a WHERE a.id = ${q.p(id)} AND ${visibleArticleSql(caller, q)} FOR ${mode} OF a`,
      q.values,
    );
    if (!row) throw notFound("Article");
    return { article: this.rows.hydrate(Article, row), inByline: row.in_byline };
  }

  /** The entry, locked, that the caller may edit or delete: their own, or any for editors. */
  private async lockOwnEntry(tx: Tx, caller: Viewer, id: number): Promise<LiveEntry> {
    const entry = await this.lockEntry(tx, caller, id);
    if (!isEditor(caller) && entry.postedBy !== caller.authorId) {
      throw forbidden("Writers may edit and delete only their own entries");
    }
    return entry;
  }

  /** For pinning: the article is locked first (so pins of one blog take turns), then the entry. */
  private async lockEntryForPinning(tx: Tx, caller: Viewer, id: number): Promise<LiveEntry> {
    const [ref] = await tx.query<{ article_id: number }>(
      "SELECT article_id FROM live_entries WHERE id = $1 AND deleted_at IS NULL",
      [id],
    );
    if (!ref) throw notFound("LiveEntry");
    const { inByline } = await this.lockArticle(tx, caller, ref.article_id, "UPDATE").catch((error) => {
      throw (error as { extensions?: { code?: string } }).extensions?.code === "NOT_FOUND"
        ? notFound("LiveEntry")
        : error;
    });
    if (!isEditor(caller) && !inByline) throw forbidden("Only the article's byline and editors pin entries");
    return this.lockEntry(tx, caller, id);
  }

  /** Locks a live entry the caller may see; NOT_FOUND when deleted, unknown, or its article is hidden. */
  private async lockEntry(conn: Queryable, caller: Viewer, id: number): Promise<LiveEntry> {
    const q = new Params();
    const [row] = await conn.query(
      `SELECT ${this.rows.columns(LiveEntry, "l")} FROM live_entries l JOIN articles a ON a.id = l.article_id
       WHERE l.id = ${q.p(id)} AND l.deleted_at IS NULL AND ${visibleArticleSql(caller, q)} FOR UPDATE OF l`,
      q.values,
    );
    if (!row) throw notFound("LiveEntry");
    return this.rows.hydrate(LiveEntry, row);
  }

  private entryChanged(tx: Tx, kind: FeedEventKind, articleId: number, entryId: number): void {
    recordFeedEvent(tx, this.bus, kind, articleId, null, entryId);
    tx.afterCommit(() => this.cache.purge(liveBlogChanged(articleId, entryId)));
  }

  /** Records ARTICLE_UPDATED (articleUpdated reaches the widget) and reloads the article. */
  private async articleChanged(tx: Tx, before: Article): Promise<Article> {
    recordFeedEvent(tx, this.bus, FeedEventKind.ARTICLE_UPDATED, before.dbId);
    tx.afterCommit(() => this.cache.purge(articleEdited(before.dbId, [before.slug], false)));
    const [row] = await tx.query(`SELECT ${this.rows.columns(Article, "a")} FROM articles a WHERE a.id = $1`, [
      before.dbId,
    ]);
    return this.rows.hydrate(Article, row);
  }

  private async load(conn: Queryable, id: number): Promise<LiveEntry> {
    const [row] = await conn.query(`SELECT ${this.rows.columns(LiveEntry, "l")} FROM live_entries l WHERE l.id = $1`, [
      id,
    ]);
    return this.rows.hydrate(LiveEntry, row);
  }
}
