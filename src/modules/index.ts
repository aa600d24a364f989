import { Article } from "./article/article.entity";
import { ArticleAuthor, ArticleTopic } from "./article/article-links.entity";
import { ArticleRevision } from "./article/article-revision.entity";
import { ArticleCorrectionsResolver, ArticleRevisionResolver } from "./article/article-revision.resolver";
import { ArticleResolver } from "./article/article.resolver";
import { ArticleEditorResolver } from "./article/article-editor.resolver";
import { AuthorArticlesResolver, TopicArticlesResolver } from "./article/article-lists.resolver";
import { ApiToken } from "./auth/api-token.entity";
import { ViewerResolver } from "./auth/viewer.resolver";
import { Author } from "./author/author.entity";
import { AuthorResolver } from "./author/author.resolver";
import { ArticleCommentsResolver } from "./comment/article-comments.resolver";
import { Comment } from "./comment/comment.entity";
import { CommentResolver } from "./comment/comment.resolver";
import { CommentWriteResolver } from "./comment/comment-write.resolver";
import { LiveEntry } from "./liveblog/live-entry.entity";
import { ArticleLiveBlogResolver, LiveBlogWriteResolver, LiveEntryResolver } from "./liveblog/live-blog.resolver";
import { NodeResolver } from "./node.resolver";
import { ArticlePreview } from "./preview/article-preview.entity";
import { ArticlePreviewResolver } from "./preview/article-preview.resolver";
import { ArticlePublishedResolver } from "./feed/article-published.resolver";
import { ArticleUpdatedResolver } from "./feed/article-updated.resolver";
import { CommentAddedResolver } from "./feed/comment-added.resolver";
import { ModerationQueueResolver } from "./feed/moderation-queue.resolver";
import { CommentThreadResolver } from "./feed/comment-thread.resolver";
import { FeedCursorResolver } from "./feed/feed-cursor.resolver";
import { LiveBlogSubscriptionResolver } from "./feed/live-blog.resolver";
import { ModerationResolver } from "./comment/moderation.resolver";
import { ArticleSeoResolver } from "./syndication/article-seo.resolver";
import { Topic } from "./topic/topic.entity";
import { ArticleLeadImage } from "./article/article-lead-image.entity";
import { ArticleLeadImageResolver } from "./article/article-lead-image.resolver";
import { Image } from "./image/image.entity";
import { ImageResolver } from "./image/image.resolver";
import { TopicResolver } from "./topic/topic.resolver";
import { WebhookResolver } from "./webhook/webhook.resolver";

/** Every TypeORM entity, for the data source. */
export const entities = [
  ApiToken,
  Article,
  ArticleAuthor,
  ArticleTopic,
  ArticleRevision,
  Author,
  Comment,
  LiveEntry,
  Topic,
  ArticlePreview,
  Image,
  ArticleLeadImage,
];

/** Every type-graphql resolver, for the schema. */
export const resolvers = [
  ArticleResolver,
  ArticleEditorResolver,
  ArticleCorrectionsResolver,
  ArticleRevisionResolver,
  ArticleCommentsResolver,
  ArticleSeoResolver,
  AuthorResolver,
  AuthorArticlesResolver,
  CommentResolver,
  CommentWriteResolver,
  ArticleLiveBlogResolver,
  LiveEntryResolver,
  LiveBlogWriteResolver,
  NodeResolver,
  CommentAddedResolver,
  ArticlePublishedResolver,
  ArticleUpdatedResolver,
  ModerationQueueResolver,
  ModerationResolver,
  CommentThreadResolver,
  LiveBlogSubscriptionResolver,
  FeedCursorResolver,
  TopicResolver,
  TopicArticlesResolver,
  ViewerResolver,
  ArticlePreviewResolver,
  ImageResolver,
  ArticleLeadImageResolver,
  WebhookResolver,
] as const;
