import { Database } from "../../db/database";
import { BadInputError, notFound } from "../../shared/errors";
import { PushQueue } from "../../shared/push-queue";
import { Article, ArticleStatus } from "../article/article.entity";
import { ArticleService } from "../article/article.service";
import { Role } from "../auth/role";
import { requireRole } from "../auth/require-role";
import { Viewer } from "../auth/viewer";
import { Comment, CommentStatus } from "../comment/comment.entity";
import { FeedDispatcher, LoadedEvent, canSeeArticle } from "./feed-dispatcher";
import { FeedEventKind, feedHasPosition, feedHead, readFeed } from "./feed-log";
import { Position, compare, decodePosition, encodePosition, max } from "./feed-position";

/** What a subscription yields: one event, with the cursor to resume after it. */
export interface FeedDelivery {
  cursor: string;
  replayed: boolean;
  comment: Comment | null;
  article: Article | null;
  /** On live deliveries, which are one object per event for every subscriber: their shared execution results. */
  results?: Map<string, Promise<unknown>>;
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

  async moderationQueue(viewer: Viewer | null) {
    requireRole(viewer, Role.EDITOR);
    return this.open({
      viewer,
      kinds: [FeedEventKind.COMMENT_PENDING],
      since: null,
      accepts: (e) => e.comment?.status === CommentStatus.PENDING,
    });
  }

  /**
   * Listens first, then reads the end of the log: every event after that end
   * reaches the listener live, everything up to it is the past (replayed from
   * the log when `since` asks for it, otherwise not sent). Live events wait in
   * `held` until the past has been sent.
   */
  private async open(spec: StreamSpec): Promise<AsyncIterableIterator<FeedDelivery>> {
    const kinds = new Set(spec.kinds);
    let floor: Position | null = null;
    let replaying = true;
    const held: { event: LoadedEvent; delivery: FeedDelivery }[] = [];
    this.opening++;
    let opened = false;
    const settle = () => {
      if (!opened) {
        opened = true;
        this.opening--;
      }
    };
    const queue = new PushQueue<FeedDelivery>(() => {
      settle();
      unlisten();
    });
    const unlisten = this.dispatcher.listen({
      kinds,
      deliver: (event) => {
        if (floor !== null && compare(event.position, floor) <= 0) return;
        if (spec.articleId !== undefined && event.articleId !== spec.articleId) return;
        if (!spec.accepts(event)) return;
        this.dispatcher.sharedLoaders(spec.viewer, event);
        let delivery = liveDeliveries.get(event);
        if (!delivery) {
          delivery = { ...this.delivery(event, false), results: new Map() };
          liveDeliveries.set(event, delivery);
        }
        if (replaying) held.push({ event, delivery });
        else {
          this.delivered(false);
          queue.push(delivery);
        }
      },
    });
    try {
      const end = max(await feedHead(this.db), this.dispatcher.position);
      floor = spec.since ? max(spec.since, end) : end;
    } catch (error) {
      settle();
      unlisten();
      throw error;
    }
    const goLive = () => {
      replaying = false;
      settle();
      for (const { event, delivery } of held.splice(0)) {
        if (compare(event.position, floor!) <= 0) continue;
        this.delivered(false);
        queue.push(delivery);
      }
    };
    if (spec.since) this.replay(spec, spec.since, floor, queue).then(goLive, (error) => queue.fail(error));
    else goLive();
    return queue;
  }

  /** Pushes the events in (since, upTo] that the subscriber accepts, in log order. */
  private async replay(spec: StreamSpec, since: Position, upTo: Position, queue: PushQueue<FeedDelivery>) {
    let after = since;
    while (!queue.closed) {
      const rows = await readFeed(this.db, after, upTo, { kinds: spec.kinds, articleId: spec.articleId }, REPLAY_BATCH);
      if (!rows.length) return;
      for (const event of await this.dispatcher.load(rows)) {
        if (spec.accepts(event)) {
          this.delivered(true);
          queue.push(this.delivery(event, true));
        }
      }
      after = rows[rows.length - 1]!.position;
      if (rows.length < REPLAY_BATCH) return;
    }
  }

  private delivery(event: LoadedEvent, replayed: boolean): FeedDelivery {
    return { cursor: encodePosition(event.position), replayed, comment: event.comment, article: event.article };
  }

  private async position(cursor: string | null): Promise<Position | null> {
    if (cursor === null) return null;
    const p = decodePosition(cursor);
    if (!(await feedHasPosition(this.db, p))) throw new BadInputError({ since: "unknown feed cursor" });
    return p;
  }

  private async articleVisibleTo(viewer: Viewer | null, articleId: number): Promise<Article> {
    const [article] = await this.articles.byIds(viewer, [articleId]);
    if (!article) throw notFound("Article");
    return article;
  }
}
