import type { Database } from "../../db/database";
import { FeedEventKind } from "../../db/outbox";
import { BadInputError, notFound } from "../../shared/errors";
import type { Article } from "../article/article.entity";
import { ArticleStatus } from "../article/article.entity";
import type { ArticleService } from "../article/article.service";
import { Role } from "../auth/role";
import { requireRole } from "../auth/require-role";
import type { Viewer } from "../auth/viewer";
import type { Comment } from "../comment/comment.entity";
import { CommentStatus } from "../comment/comment.entity";
import type { LiveEntry } from "../liveblog/live-entry.entity";
import type { FeedDispatcher, LoadedEvent } from "./feed-dispatcher";
import { canSeeArticle } from "./feed-dispatcher";
import { feedHasPositions, feedHead, readFeed } from "./feed-log";
import type { Position } from "./feed-position";
import { decodePosition, encodePosition, max } from "./feed-position";
import type { FeedSource } from "./feed-stream";
import { FeedStream } from "./feed-stream";
import { SharedPayload } from "./shared-execution";
import { SerialBatch } from "../../shared/serial-batch";
import { visibilityClass } from "../auth/viewer";

/** What a subscription yields: one event, with the cursor to resume after it. */
export interface FeedDelivery {
  cursor: string;
  replayed: boolean;
  kind: FeedEventKind;
  comment: Comment | null;
  commentId: number | null;
  article: Article | null;
  entry: LiveEntry | null;
  entryId: number | null;
}

/**
 * A live event's delivery: one object for every subscriber who receives it,
 * so their identical executions are shared (see shared-execution.ts).
 */
class LiveDelivery extends SharedPayload implements FeedDelivery {
  readonly replayed = false;
  readonly cursor: string;
  readonly kind: FeedEventKind;
  readonly comment: Comment | null;
  readonly commentId: number | null;
  readonly article: Article | null;
  readonly entry: LiveEntry | null;
  readonly entryId: number | null;
  constructor(event: LoadedEvent) {
    super();
    this.cursor = encodePosition(event.position);
    this.kind = event.kind;
    this.comment = event.comment;
    this.commentId = event.commentId;
    this.article = event.article;
    this.entry = event.entry;
    this.entryId = event.entryId;
  }
}

const LIVE_BLOG_KINDS = [
  FeedEventKind.LIVE_ENTRY_ADDED,
  FeedEventKind.LIVE_ENTRY_EDITED,
  FeedEventKind.LIVE_ENTRY_DELETED,
  FeedEventKind.LIVE_ENTRY_PINNED,
  FeedEventKind.LIVE_ENTRY_UNPINNED,
];

/**
 * For the streams of one article (liveBlog, commentThread): ARTICLE_UPDATED is listened to but
 * never delivered; when it leaves the article out of the subscriber's sight (unpublished, archived),
 * the stream ends with NOT_FOUND, as a new subscription would be refused. The client drops what it
 * shows; after a republication it resubscribes with its cursor and gets everything since.
 */
function articleStillVisible(viewer: Viewer | null, e: LoadedEvent): false {
  if (!canSeeArticle(viewer, e)) throw notFound("Article");
  return false;
}

const liveDeliveries = new WeakMap<LoadedEvent, FeedDelivery>();

interface StreamSpec {
  viewer: Viewer | null;
  kinds: FeedEventKind[];
  articleId?: number;
  since: Position | null;
  /** Whether this subscriber receives the event (visibility and filters). */
  accepts(event: LoadedEvent): boolean;
}

const REPLAY_BATCH = 500;

/**
 * The four subscriptions. Each stream is live from the dispatcher's position
 * at the moment of subscribing; with `since`, the events between the cursor
 * and that position are first replayed from the log while live events wait in
 * a buffer, so the seam has no gap and no duplicate.
 */
export class FeedService {
  private opening = 0;

  // A burst of subscribes (a reconnect storm: thousands of widgets at once) reads the log's end, the
  // cursors and the articles' visibility in at most one statement of each at a time, not one per
  // subscriber: a pool of ten would otherwise time out. Each answer comes from a read begun after
  // the subscriber asked (after it listened, for the log's end), so the seam's invariant holds.
  private readonly heads = new SerialBatch<null, Position>(async (keys) => {
    const head = await feedHead(this.db);
    return keys.map(() => head);
  });
  private readonly positions = new SerialBatch<Position, boolean>(
    (ps) => feedHasPositions(this.db, ps),
    (p) => p.id.toString(),
  );
  private readonly visibility = new Map<string, SerialBatch<number, Article | null>>();

  /**
   * Subscriptions that listen but have not yet read where the log ends: events
   * committed until then count as their past. Zero means every open
   * subscription receives every event committed from now on.
   */
  get openingCount(): number {
    return this.opening;
  }

  constructor(
    private readonly db: Database,
    private readonly dispatcher: FeedDispatcher,
    private readonly articles: ArticleService,
    private readonly delivered: (replayed: boolean) => void = () => undefined,
  ) {}

  async commentAdded(viewer: Viewer | null, articleId: number, since: string | null) {
    const article = (await this.articleVisibleTo(viewer, articleId)).dbId;
    return this.open({
      viewer,
      kinds: [FeedEventKind.COMMENT_PUBLIC],
      articleId: article,
      since: await this.position(since),
      accepts: (e) => e.comment?.status === CommentStatus.APPROVED && canSeeArticle(viewer, e),
    });
  }

  /**
   * Every change to one live blog, in order. An event is delivered with its entry as it is now;
   * events of an entry deleted since are left out except the DELETED itself (a reader who was away
   * for an edit and then the deletion gets the deletion alone).
   */
  async liveBlog(viewer: Viewer | null, articleId: number, since: string | null) {
    await this.articleVisibleTo(viewer, articleId);
    return this.open({
      viewer,
      kinds: [...LIVE_BLOG_KINDS, FeedEventKind.ARTICLE_UPDATED],
      articleId,
      since: await this.position(since),
      accepts: (e) =>
        e.kind === FeedEventKind.ARTICLE_UPDATED
          ? articleStillVisible(viewer, e)
          : canSeeArticle(viewer, e) && (e.kind === FeedEventKind.LIVE_ENTRY_DELETED || e.entry !== null),
    });
  }

  /**
   * One article's public thread: comments becoming public (delivered while they still are) and
   * comments withdrawn (always delivered, so a reader who was away removes what they saw).
   */
  async commentThread(viewer: Viewer | null, articleId: number, since: string | null) {
    await this.articleVisibleTo(viewer, articleId);
    return this.open({
      viewer,
      kinds: [FeedEventKind.COMMENT_PUBLIC, FeedEventKind.COMMENT_HIDDEN, FeedEventKind.ARTICLE_UPDATED],
      articleId,
      since: await this.position(since),
      accepts: (e) => {
        if (e.kind === FeedEventKind.ARTICLE_UPDATED) return articleStillVisible(viewer, e);
        if (!canSeeArticle(viewer, e)) return false;
        return e.kind === FeedEventKind.COMMENT_HIDDEN || e.comment?.status === CommentStatus.APPROVED;
      },
    });
  }

  async articlePublished(viewer: Viewer | null, topicSlugs: string[] | null, since: string | null) {
    const topics = topicSlugs ? new Set(topicSlugs) : null;
    return this.open({
      viewer,
      kinds: [FeedEventKind.ARTICLE_PUBLISHED],
      since: await this.position(since),
      accepts: (e) =>
        e.article?.status === ArticleStatus.PUBLISHED && (!topics || e.topicSlugs.some((s) => topics.has(s))),
    });
  }

  async articleUpdated(viewer: Viewer | null, articleId: number) {
    await this.articleVisibleTo(viewer, articleId);
    return this.open({
      viewer,
      kinds: [FeedEventKind.ARTICLE_UPDATED],
      articleId,
      since: null,
      accepts: (e) => canSeeArticle(viewer, e),
    });
  }

  async moderationQueue(viewer: Viewer | null, since: string | null) {
    requireRole(viewer, Role.EDITOR);
    return this.open({
      viewer,
      kinds: [FeedEventKind.COMMENT_PENDING],
      since: await this.position(since),
      accepts: (e) => e.comment?.status === CommentStatus.PENDING,
    });
  }

  /** The cursor of the newest event: `since` for a stream that must follow a read made after it (null: no event yet). */
  async headCursor(): Promise<string | null> {
    const head = max(await feedHead(this.db), this.dispatcher.position);
    return head.id === 0n ? null : encodePosition(head);
  }

  /** A stream (see feed-stream.ts for its states and the seam's invariant) over this service's log. */
  private async open(spec: StreamSpec): Promise<AsyncIterableIterator<FeedDelivery>> {
    let pending = true; // counted in `opening` until it goes live or closes
    const settle = () => {
      if (pending) {
        pending = false;
        this.opening--;
      }
    };
    this.opening++;
    const source: FeedSource<FeedDelivery> = {
      listen: (listener) => this.dispatcher.listen(listener),
      end: async () => max(await this.heads.get(null), this.dispatcher.position),
      replay: (since, upTo, push, stopped) => this.replay(spec, since, upTo, push, stopped),
    };
    // A stream that fails to open has entered "closed" before open() rejects, so it is settled too.
    const stream = await FeedStream.open(source, {
      kinds: new Set(spec.kinds),
      since: spec.since,
      live: (event) => this.liveDelivery(spec, event),
      onState: (state) => (state === "live" || state === "closed" ? settle() : undefined),
      sent: (replayed) => this.delivered(replayed),
    });
    return stream.iterator;
  }

  /** The one delivery object of a live event for every subscriber who receives it (null: not this one). */
  private liveDelivery(spec: StreamSpec, event: LoadedEvent): FeedDelivery | null {
    if (spec.articleId !== undefined && event.articleId !== spec.articleId) return null;
    if (!spec.accepts(event)) return null;
    this.dispatcher.sharedLoaders(spec.viewer, event);
    let delivery = liveDeliveries.get(event);
    if (!delivery) {
      delivery = new LiveDelivery(event);
      liveDeliveries.set(event, delivery);
    }
    return delivery;
  }

  /** Pushes the events in (since, upTo] that the subscriber accepts, in log order. */
  private async replay(
    spec: StreamSpec,
    since: Position,
    upTo: Position,
    push: (delivery: FeedDelivery) => void,
    stopped: () => boolean,
  ) {
    let after = since;
    while (!stopped()) {
      const rows = await readFeed(this.db, after, upTo, { kinds: spec.kinds, articleId: spec.articleId }, REPLAY_BATCH);
      if (!rows.length) return;
      for (const event of await this.dispatcher.load(rows)) {
        if (spec.accepts(event)) push(this.delivery(event, true));
      }
      after = rows[rows.length - 1]!.position;
      if (rows.length < REPLAY_BATCH) return;
    }
  }

  private delivery(event: LoadedEvent, replayed: boolean): FeedDelivery {
    return {
      cursor: encodePosition(event.position),
      replayed,
      kind: event.kind,
      comment: event.comment,
      commentId: event.commentId,
      article: event.article,
      entry: event.entry,
      entryId: event.entryId,
    };
  }

  private async position(cursor: string | null): Promise<Position | null> {
    if (cursor === null) return null;
    const p = decodePosition(cursor);
    if (!(await this.positions.get(p))) throw new BadInputError({ since: "unknown feed cursor" });
    return p;
  }

  private async articleVisibleTo(viewer: Viewer | null, articleId: number): Promise<Article> {
    // Everyone of one visibility class sees the same articles, so their checks can share a read.
    const cls = visibilityClass(viewer);
    let batch = this.visibility.get(cls);
    if (!batch) {
      batch = new SerialBatch((ids) => this.articles.byIds(viewer, ids));
      // One per writer at most; a writer's batch is cheap and dropped with the service.
      this.visibility.set(cls, batch);
    }
    const article = await batch.get(articleId);
    if (!article) throw notFound("Article");
    return article;
  }
}
