import type { LoaderOptions } from "../shared/loaders";
import type { Viewer } from "./auth/viewer";
import { createArticleLoaders } from "./article/article.loaders";
import { createAuthorLoaders } from "./author/author.loaders";
import { createCommentLoaders } from "./comment/comment.loaders";
import { createLiveEntryLoaders } from "./liveblog/live-entry.loaders";
import { createTopicLoaders } from "./topic/topic.loaders";
import { createImageLoaders } from "./image/image.loaders";
import type { Services } from "./services";

/** The read services that loaders batch into: all a set of loaders needs, so it can be made before the rest. */
export type LoaderServices = Pick<
  Services,
  "article" | "articleLeadImage" | "articleRevision" | "author" | "topic" | "comment" | "image" | "liveEntry"
>;

/**
 * One viewer's loaders. A request's context makes a set per request; the feed
 * dispatcher makes one per visibility class and feed batch, shared by every
 * subscriber in it.
 */
export function createLoaders(services: LoaderServices, viewer: Viewer | null, options: LoaderOptions) {
  return {
    article: createArticleLoaders(services, viewer, options),
    author: createAuthorLoaders(services, options),
    topic: createTopicLoaders(services, options),
    comment: createCommentLoaders(services, viewer, options),
    liveEntry: createLiveEntryLoaders(services, viewer, options),
    image: createImageLoaders(services, options),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
