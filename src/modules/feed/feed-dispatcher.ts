import type { Logger } from "pino";
import type { Loaders } from "../loaders";
import type { Database } from "../../db/database";
import type { RowMapper } from "../../db/sql";
import type { FeedEventKind } from "../../db/outbox";
import type { Bus } from "../../pubsub";
import { BusTopic } from "../../pubsub";
import { Article, ArticleStatus } from "../article/article.entity";
import type { Viewer } from "../auth/viewer";
import { isEditor, visibilityClass } from "../auth/viewer";
import { Comment, CommentStatus } from "../comment/comment.entity";
import { LiveEntry } from "../liveblog/live-entry.entity";
import type { FeedEventRow } from "./feed-log";
import { feedHead, readFeed } from "./feed-log";
import type { Position } from "./feed-position";

/** A feed event with its data, loaded once for every subscriber. */
export interface LoadedEvent extends FeedEventRow {
  /** Current state of the comment (null if it is gone). */
  comment: Comment | null;
  /** Current state of the article (null if it is gone). */
  article: Article | null;
  /** Current state of the live-blog entry (null if it is gone or deleted). */
  entry: LiveEntry | null;
  topicSlugs: string[];
  bylineIds: number[];
}

export interface FeedListener {
  kinds: ReadonlySet<FeedEventKind>;
  deliver(event: LoadedEvent): void;
}

const BATCH = 500;

/**
 * One per instance. Reads the feed log in order from where it left off whenever
 * the bus says something was written (on any instance), whenever the bus
 * reconnects, and on a timer in case a hint was lost; loads each batch's rows
 * once, and hands them to every listener. Database work per event does not
 * depend on how many subscribers there are.
 */
export class FeedDispatcher {
  private current: Position = { id: 0n };
  private readonly listeners = new Set<FeedListener>();
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private pruner: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  /** Loaders shared by every subscriber of one visibility class, renewed with each batch. */
  private shared = new Map<string, Loaders>();

  constructor(
    /** Makes a fresh set of per-viewer loaders (modules/loaders.ts). */
    private readonly makeLoaders: (viewer: Viewer | null) => Loaders,
    private readonly db: Database,
    private readonly rows: RowMapper,
    private readonly bus: Bus,
    private readonly logger: Logger,
    private readonly pollMs: number,
    private readonly retentionHours = 168,
  ) {}

  /** The last position handed to listeners: every later event will reach them live. */
  get position(): Position {
    return this.current;
  }

  async start(): Promise<void> {
    this.current = await feedHead(this.db);
    this.unsubscribe = this.bus.subscribe(BusTopic.FEED_EVENTS, () => this.wake());
    this.bus.onReconnect(() => this.wake());
    if (this.pollMs > 0) this.timer = setInterval(() => this.wake(), this.pollMs).unref();
    this.pruner = setInterval(() => void this.prune(), 3_600_000).unref();
  }

  /** Deletes events past retention; cursors that point at them are then refused as unknown. */
  async prune(): Promise<number> {
    try {
      const rows = await this.db.query(
        "DELETE FROM feed_events WHERE created_at < now() - make_interval(hours => $1) RETURNING id",
        [this.retentionHours],
      );
      return rows.length;
    } catch (error) {
      this.logger.warn({ err: error }, "feed pruning failed");
      return 0;
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.pruner);
    this.unsubscribe?.();
    await this.running;
  }

  listen(listener: FeedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Reads and delivers everything new; coalesces calls that arrive while a read is running. */
  wake(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.wake();
      }
    });
    return this.running;
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        const rows = await readFeed(this.db, this.current, null, {}, BATCH);
        if (!rows.length) return;
        // With no listener there is nothing to load, and nobody can join before the rows are passed
        // (no await in between). Otherwise load every row: a listener that joins during the load
        // starts from the position it saw, which these rows are past, so it must get them too.
        const events = this.listeners.size ? await this.load(rows) : [];
        this.shared = new Map();
        for (const event of events) {
          for (const l of this.listeners) if (l.kinds.has(event.kind)) this.safeDeliver(l, event);
          this.current = event.position;
        }
        this.current = rows[rows.length - 1]!.position;
        if (rows.length < BATCH) return;
      }
    } catch (error) {
      this.logger.warn({ err: error }, "feed read failed; will retry");
    }
  }

  private safeDeliver(listener: FeedListener, event: LoadedEvent): void {
    try {
      listener.deliver(event);
    } catch (error) {
      this.logger.error({ err: error }, "feed listener failed");
    }
  }

  /** Loads the data of a batch of events: a fixed number of statements, whatever the batch size. */
  async load(rows: FeedEventRow[]): Promise<LoadedEvent[]> {
    const commentIds = [...new Set(rows.flatMap((r) => (r.commentId === null ? [] : [r.commentId])))];
    const articleIds = [...new Set(rows.map((r) => r.articleId))];
    const entryIds = [...new Set(rows.flatMap((r) => (r.entryId === null ? [] : [r.entryId])))];
    const [comments, articles, topics, bylines, entries] = await Promise.all([
      commentIds.length
        ? this.db.query(`SELECT ${this.rows.columns(Comment, "c")} FROM comments c WHERE c.id = ANY($1::int[])`, [
            commentIds,
          ])
        : [],
      this.db.query(`SELECT ${this.rows.columns(Article, "a")} FROM articles a WHERE a.id = ANY($1::int[])`, [
        articleIds,
      ]),
      this.db.query<{ article_id: number; slug: string }>(
        "SELECT l.article_id, t.slug FROM article_topics l JOIN topics t ON t.id = l.topic_id WHERE l.article_id = ANY($1::int[])",
        [articleIds],
      ),
      this.db.query<{ article_id: number; author_id: number }>(
        "SELECT article_id, author_id FROM article_authors WHERE article_id = ANY($1::int[])",
        [articleIds],
      ),
      entryIds.length
        ? this.db.query(
            `SELECT ${this.rows.columns(LiveEntry, "l")} FROM live_entries l ` +
              "WHERE l.id = ANY($1::int[]) AND l.deleted_at IS NULL",
            [entryIds],
          )
        : [],
    ]);
    const entryById = new Map(this.rows.hydrateAll(LiveEntry, entries).map((e) => [e.dbId, e]));
    const commentById = new Map(this.rows.hydrateAll(Comment, comments).map((c) => [c.dbId, c]));
    const articleById = new Map(this.rows.hydrateAll(Article, articles).map((a) => [a.dbId, a]));
    return rows.map((r) => ({
      ...r,
      comment: r.commentId === null ? null : (commentById.get(r.commentId) ?? null),
      article: articleById.get(r.articleId) ?? null,
      entry: r.entryId === null ? null : (entryById.get(r.entryId) ?? null),
      topicSlugs: topics.filter((t) => t.article_id === r.articleId).map((t) => t.slug),
      bylineIds: bylines.filter((b) => b.article_id === r.articleId).map((b) => b.author_id),
    }));
  }

  /**
   * Loaders shared by all subscribers who see the same things (anonymous
   * readers, editors, or one writer), primed with the current batch's rows
   * they may see: resolving 10,000 subscribers' payloads costs what one costs.
   */
  sharedLoaders(viewer: Viewer | null, event?: LoadedEvent): Loaders {
    const key = visibilityClass(viewer);
    let loaders = this.shared.get(key);
    if (!loaders) {
      loaders = this.makeLoaders(viewer);
      this.shared.set(key, loaders);
    }
    if (event) {
      if (event.article && canSeeArticle(viewer, event)) loaders.article.byId.prime(event.article.dbId, event.article);
      if (event.comment && (isEditor(viewer) || event.comment.status === CommentStatus.APPROVED)) {
        loaders.comment.byId.prime(event.comment.dbId, event.comment);
      }
      if (event.entry && canSeeArticle(viewer, event)) loaders.liveEntry.byId.prime(event.entry.dbId, event.entry);
    }
    return loaders;
  }
}

/** Whether the viewer may see the event's article as it is now. */
export function canSeeArticle(viewer: Viewer | null, event: LoadedEvent): boolean {
  if (!event.article) return false;
  if (event.article.status === ArticleStatus.PUBLISHED) return true;
  return viewer !== null && (isEditor(viewer) || event.bylineIds.includes(viewer.authorId));
}
