import type { NodeType } from "../shared/node-id";

/**
 * Tags that cached responses carry and writes purge. An entity tag marks a
 * response that included the entity; a list tag marks one whose membership a
 * write can change.
 */
export const Tags = {
  entity: (type: NodeType, id: number) => `${type}:${id}`,
  /** article(slug:) answers, including "not found", which publishing changes. */
  slug: (slug: string) => `slug:${slug}`,
  /** Every list or count of articles: front page, filters, topic and author pages, related articles. */
  articleLists: "articles",
  search: "search",
  /** Comment threads, replies and counts of one article. */
  comments: (articleId: number) => `comments:${articleId}`,
  /** An article's live-blog entries, key events and pinned entry. */
  liveBlog: (articleId: number) => `live:${articleId}`,
  authors: "authors",
  topics: "topics",
} as const;

/** What readers of an article's lists see change when it goes live or is taken down. */
export function articleVisibilityChanged(id: number, slug: string): string[] {
  // Its comments are visible only with it, so their lookups go too.
  return [
    Tags.entity("Article", id),
    Tags.slug(slug),
    Tags.articleLists,
    Tags.search,
    Tags.comments(id),
    Tags.liveBlog(id),
  ];
}

/** A published article was edited; its lists change only when its topics or byline did. */
export function articleEdited(id: number, slugs: string[], linksChanged: boolean): string[] {
  return [
    Tags.entity("Article", id),
    ...slugs.map(Tags.slug),
    Tags.search,
    ...(linksChanged ? [Tags.articleLists] : []),
  ];
}

/** A comment became public, or stopped being public. */
export function commentVisibilityChanged(articleId: number, commentId: number): string[] {
  return [Tags.comments(articleId), Tags.entity("Comment", commentId)];
}

/** A live-blog entry was added, edited, deleted, pinned or unpinned. */
export function liveBlogChanged(articleId: number, entryId: number): string[] {
  return [Tags.liveBlog(articleId), Tags.entity("LiveEntry", entryId)];
}

/** Purges cached responses; writes call it after their commit. */
export interface Purger {
  purge(tags: string[]): Promise<void>;
}

export const noPurge: Purger = { purge: async () => undefined };

/** The tags a feed event from another instance purges (for instances with a memory cache). */
export function purgeTagsFor(event: {
  articleId: number;
  commentId: number | null;
  entryId: number | null;
  article: { slug: string } | null;
}): string[] {
  if (event.commentId !== null) return commentVisibilityChanged(event.articleId, event.commentId);
  if (event.entryId !== null) return liveBlogChanged(event.articleId, event.entryId);
  const slugs = event.article ? [Tags.slug(event.article.slug)] : [];
  return [
    Tags.entity("Article", event.articleId),
    ...slugs,
    Tags.articleLists,
    Tags.search,
    Tags.comments(event.articleId),
    Tags.liveBlog(event.articleId),
  ];
}
