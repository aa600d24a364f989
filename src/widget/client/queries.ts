/**
 * The widget's operations, against the public contract (shared/contract.graphql).
 * Thread queries stay well inside the server's depth (12) and cost (50,000)
 * limits: two levels of replies come with the page (100 comments, 10 replies
 * each, 5 replies to those); deeper or further replies load on demand ("Show
 * more replies").
 */

export interface Connection<T> {
  totalCount: number;
  pageInfo?: { hasNextPage: boolean; endCursor: string | null };
  nodes?: T[];
}

export interface CommentData {
  id: string;
  authorName: string;
  website: string | null;
  body: string;
  createdAt: string;
  status?: "PENDING" | "APPROVED" | "REJECTED" | "SPAM";
  parent?: { id: string; authorName?: string } | null;
  replies?: Connection<CommentData>;
}

export interface ArticleData {
  id: string;
  slug: string;
  title: string;
  standfirst: string | null;
  bodyHtml: string;
  publishedAt: string | null;
  updatedAt: string;
  commentsOpen: boolean;
  commentCount: number;
  authors: { name: string }[];
  comments?: Connection<CommentData>;
  /** Live-blog state: a blog is live, or was (liveSince set) and has ended (liveUntil). */
  isLive?: boolean;
  liveSince?: string | null;
  liveUntil?: string | null;
  /** Correction notes, oldest first. */
  corrections?: { text: string; createdAt: string }[];
  leadImage?: LeadImageData | null;
}

/** The picture at the top of an article; URLs may be root-relative (resolved against the endpoint). */
export interface LeadImageData {
  src: string;
  srcset: string;
  width: number;
  height: number;
  alt: string | null;
  caption: string | null;
  credit: string | null;
}

export interface ArticleCard {
  id: string;
  slug: string;
  title: string;
  standfirst: string | null;
  publishedAt: string | null;
  authors: { name: string }[];
}

const COMMENT = "id authorName website body createdAt";
const PAGE = "totalCount pageInfo { hasNextPage endCursor }";
const replies = (first: number, inner: string) => `replies(first: ${first}) { ${PAGE} nodes { ${COMMENT} ${inner} } }`;
/** Two levels of replies below a comment; of the third only how many there are. */
const REPLY_TREE = replies(10, replies(5, "replies(first: 1) { totalCount }"));
const THREAD = `${PAGE} nodes { ${COMMENT} ${REPLY_TREE} }`;

const ARTICLE =
  "id slug title standfirst bodyHtml publishedAt updatedAt commentsOpen commentCount isLive liveSince liveUntil authors { name } " +
  "corrections { text createdAt } " +
  "leadImage { src: url(width: 960) srcset width height alt caption credit }";
const CARD = "id slug title standfirst publishedAt authors { name }";

export const ARTICLE_QUERY = `query NewsgraphWidgetArticle($slug: String!) {
  article(slug: $slug) { ${ARTICLE} comments(first: 100) { ${THREAD} } }
}`;

export const ARTICLE_REFRESH = `query NewsgraphWidgetArticleRefresh($id: ID!) { article(id: $id) { ${ARTICLE} } }`;

export const COMMENTS_PAGE = `query NewsgraphWidgetComments($id: ID!, $after: String) {
  article(id: $id) { id comments(first: 100, after: $after) { ${THREAD} } }
}`;

export const REPLIES_PAGE = `query NewsgraphWidgetReplies($id: ID!, $after: String) {
  node(id: $id) { ... on Comment { id replies(first: 20, after: $after) { ${PAGE} nodes { ${COMMENT} ${replies(5, "replies(first: 1) { totalCount }")} } } } }
}`;

export const COMMENT_ADDED = `subscription NewsgraphWidgetCommentAdded($articleId: ID!, $since: String) {
  commentAdded(articleId: $articleId, since: $since) { cursor replayed comment { ${COMMENT} status parent { id authorName } } }
}`;

export const ARTICLE_UPDATED = `subscription NewsgraphWidgetArticleUpdated($articleId: ID!) {
  articleUpdated(articleId: $articleId) { ${ARTICLE} }
}`;

export const ADD_COMMENT = `mutation NewsgraphWidgetAddComment($input: AddCommentInput!) {
  addComment(input: $input) { comment { ${COMMENT} status parent { id authorName } } }
}`;

export const TOPIC_QUERY = `query NewsgraphWidgetTopic($slug: String!) {
  topic(slug: $slug) { id slug name description articles(first: 20) { nodes { ${CARD} } } }
}`;

export const ARTICLE_PUBLISHED = `subscription NewsgraphWidgetArticlePublished($topicSlugs: [String!], $since: String) {
  articlePublished(topicSlugs: $topicSlugs, since: $since) { cursor replayed article { ${CARD} } }
}`;

export interface CommentEventData {
  commentAdded: { cursor: string; replayed: boolean; comment: CommentData };
}

export interface ArticleEventData {
  articlePublished: { cursor: string; replayed: boolean; article: ArticleCard };
}

/** Where the feed stands: read before the page's data, then subscribe with it as `since` (no gap). */
export const FEED_CURSOR = `query NewsgraphWidgetFeedCursor { feedCursor }`;

export interface LiveEntryData {
  id: string;
  title: string | null;
  bodyHtml: string;
  isKeyEvent: boolean;
  isPinned: boolean;
  publishedAt: string;
  editedAt: string | null;
  authors: { name: string }[];
}

export type LiveBlogEventKind = "ADDED" | "EDITED" | "DELETED" | "PINNED" | "UNPINNED";

export interface LiveBlogEventData {
  liveBlog: {
    cursor: string;
    replayed: boolean;
    kind: LiveBlogEventKind;
    entryId: string;
    entry: LiveEntryData | null;
  };
}

export interface CommentThreadEventData {
  commentThread: {
    cursor: string;
    replayed: boolean;
    kind: "ADDED" | "REMOVED";
    commentId: string;
    comment: CommentData | null;
  };
}

export interface LivePageData {
  id: string;
  isLive: boolean;
  liveSince: string | null;
  liveUntil: string | null;
  pinnedEntry: LiveEntryData | null;
  liveEntries: Connection<LiveEntryData>;
  keyEvents: { nodes: LiveEntryData[] };
}

const ENTRY = "id title bodyHtml isKeyEvent isPinned publishedAt editedAt authors { name }";
/** A page of the live blog's entries (newest first). */
export const LIVE_PAGE_SIZE = 20;
const ENTRIES = `${PAGE} nodes { ${ENTRY} }`;

export const LIVE_PAGE = `query NewsgraphWidgetLiveBlog($id: ID!) {
  article(id: $id) {
    id isLive liveSince liveUntil pinnedEntry { ${ENTRY} }
    liveEntries(first: ${LIVE_PAGE_SIZE}) { ${ENTRIES} }
    keyEvents: liveEntries(first: 100, keyEventsOnly: true) { nodes { ${ENTRY} } }
  }
}`;

export const LIVE_OLDER = `query NewsgraphWidgetLiveBlogOlder($id: ID!, $after: String) {
  article(id: $id) { id liveEntries(first: ${LIVE_PAGE_SIZE}, after: $after) { ${ENTRIES} } }
}`;

export const LIVE_BLOG = `subscription NewsgraphWidgetLiveBlog($articleId: ID!, $since: String) {
  liveBlog(articleId: $articleId, since: $since) { cursor replayed kind entryId entry { ${ENTRY} } }
}`;

export const COMMENT_THREAD = `subscription NewsgraphWidgetCommentThread($articleId: ID!, $since: String) {
  commentThread(articleId: $articleId, since: $since) { cursor replayed kind commentId comment { ${COMMENT} status parent { id authorName } } }
}`;
