import type { Logger } from "pino";
import type { Config } from "../config";
import type { Database } from "../db/database";
import { RowMapper } from "../db/sql";
import type { Bus } from "../pubsub";
import type { Clock } from "../shared/clock";
import type { RateLimiter } from "../shared/rate-limiter";
import type { Metrics } from "../shared/metrics";
import type { Purger } from "../cache/cache-tags";
import { ArticleEditorService } from "./article/article-editor.service";
import { ArticleRevisionService } from "./article/article-revision.service";
import { ArticleScheduler } from "./article/article.scheduler";
import { ArticleService } from "./article/article.service";
import { AuthService } from "./auth/auth.service";
import { AuthorService } from "./author/author.service";
import { CommentWriteService } from "./comment/comment-write.service";
import { CommentService } from "./comment/comment.service";
import { LiveBlogWriteService } from "./liveblog/live-blog-write.service";
import { LiveEntryService } from "./liveblog/live-entry.service";
import { ArticlePreviewService } from "./preview/article-preview.service";
import { TopicService } from "./topic/topic.service";
import { FeedDispatcher } from "./feed/feed-dispatcher";
import { FeedService } from "./feed/feed.service";
import { SyndicationService } from "./syndication/syndication.service";
import { createLoaders } from "./loaders";
import { ArticleLeadImageService } from "./article/article-lead-image.service";
import { ImageService } from "./image/image.service";
import type { ImageStorage } from "./image/image-storage";
import { createImageStorage } from "./image/create-image-storage";
import { WebhookService } from "./webhook/webhook.service";
import { WebhookWorker } from "./webhook/webhook-worker";

export interface ServiceDeps {
  config: Config;
  db: Database;
  bus: Bus;
  clock: Clock;
  limiter: RateLimiter;
  logger: Logger;
  metrics: Metrics;
  cache: Purger;
  /** Tests may pass a storage of their own; by default IMAGE_STORAGE picks one. */
  imageStorage?: ImageStorage;
}

/** The application-wide services: one set per server, shared by all requests. */
export interface Services {
  db: Database;
  bus: Bus;
  clock: Clock;
  rows: RowMapper;
  article: ArticleService;
  articleEditor: ArticleEditorService;
  articleRevision: ArticleRevisionService;
  scheduler: ArticleScheduler;
  auth: AuthService;
  author: AuthorService;
  topic: TopicService;
  comment: CommentService;
  commentWrite: CommentWriteService;
  liveEntry: LiveEntryService;
  liveBlogWrite: LiveBlogWriteService;
  feedDispatcher: FeedDispatcher;
  feed: FeedService;
  syndication: SyndicationService;
  articlePreview: ArticlePreviewService;
  image: ImageService;
  articleLeadImage: ArticleLeadImageService;
  webhook: WebhookService;
  webhookWorker: WebhookWorker;
}

export function createServices(deps: ServiceDeps): Services {
  const { config, db, bus, clock, limiter, logger, metrics, cache } = deps;
  const rows = new RowMapper(db.dataSource);
  const articleLeadImage = new ArticleLeadImageService(db, rows);
  const image = new ImageService(
    db,
    rows,
    deps.imageStorage ?? createImageStorage(config.images),
    config.images,
    logger,
  );
  const articleEditor = new ArticleEditorService(db, rows, bus, clock, cache, articleLeadImage);
  // What loaders read through: made first, so the feed's shared loaders need nothing built after them.
  const readers = {
    article: new ArticleService(db, rows),
    articleRevision: new ArticleRevisionService(db, rows),
    author: new AuthorService(db, rows),
    topic: new TopicService(db, rows),
    comment: new CommentService(db, rows),
    liveEntry: new LiveEntryService(db, rows),
    articleLeadImage,
    image,
  };
  const feedDispatcher = new FeedDispatcher(
    (viewer) => createLoaders(readers, viewer, { batch: true }),
    db,
    rows,
    bus,
    logger,
    config.feedPollMs,
    config.feedRetentionHours,
  );
  const webhookWorker = new WebhookWorker(db, bus, clock, config.webhooks, logger, config.feedRetentionHours);
  return {
    webhookWorker,
    webhook: new WebhookService(db, config.webhooks, clock, () => webhookWorker.wake()),
    db,
    bus,
    clock,
    rows,
    ...readers,
    feedDispatcher,
    feed: new FeedService(db, feedDispatcher, readers.article, (replayed) =>
      metrics.eventsDelivered.inc({ replayed: String(replayed) }),
    ),
    articleEditor,
    syndication: new SyndicationService(db, readers.article, readers.topic, readers.author, clock, config.syndication, {
      byArticleIds: (ids) => articleLeadImage.byArticleIds(ids),
      urls: image.urls,
    }),
    scheduler: new ArticleScheduler(articleEditor, clock, config.schedulerIntervalMs, logger),
    auth: new AuthService(db, bus),
    liveBlogWrite: new LiveBlogWriteService(db, rows, bus, clock, cache),
    articlePreview: new ArticlePreviewService(db, rows, clock, config.preview),
    commentWrite: new CommentWriteService(
      db,
      rows,
      bus,
      clock,
      limiter,
      {
        moderation: config.commentModeration,
        rateLimit: config.commentRateLimit,
        rateWindowSeconds: config.commentRateWindowSeconds,
        bannedWords: config.bannedWords,
        maxLinks: 2,
      },
      cache,
    ),
  };
}
