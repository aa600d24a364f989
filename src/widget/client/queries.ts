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

const ARTICLE = "id slug title standfirst bodyHtml publishedAt updatedAt commentsOpen commentCount authors { name }";
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
