import { CreateContentSchema1795998985000 } from "./1795998985000-create-content-schema";
import { AddTokensAndFeedEvents1795999162000 } from "./1795999162000-add-tokens-and-feed-events";
import { AddCommentEmailIndex1795999468000 } from "./1795999468000-add-comment-email-index";
import { IndexCommentParents1796004608000 } from "./1796004608000-index-comment-parents";
import { MaintainPublishedCounts1796100000000 } from "./1796100000000-maintain-published-counts";
import { AddDeploymentId1796200000000 } from "./1796200000000-add-deployment-id";
import { AddCommentSenderKeys1796200000001 } from "./1796200000001-add-comment-sender-keys";
import { AddLiveBlogs1796300000000 } from "./1796300000000-add-live-blogs";
import { AddArticleSeo1796400000002 } from "./1796400000002-add-article-seo";
import { AddArticleRevisions1796400000004 } from "./1796400000004-add-article-revisions";
import { AddArticlePreviews1796400000003 } from "./1796400000003-add-article-previews";
import { AddImages1796400000000 } from "./1796400000000-add-images";
import { AddWebhooks1796400000001 } from "./1796400000001-add-webhooks";

/** Every migration, in order. TypeORM records each one it has run in typeorm_migrations. */
export const migrations = [
  CreateContentSchema1795998985000,
  AddTokensAndFeedEvents1795999162000,
  AddCommentEmailIndex1795999468000,
  IndexCommentParents1796004608000,
  MaintainPublishedCounts1796100000000,
  AddDeploymentId1796200000000,
  AddCommentSenderKeys1796200000001,
  AddLiveBlogs1796300000000,
  AddArticleSeo1796400000002,
  AddArticleRevisions1796400000004,
  AddArticlePreviews1796400000003,
  AddImages1796400000000,
  AddWebhooks1796400000001,
];
