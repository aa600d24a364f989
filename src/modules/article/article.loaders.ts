import type { LoaderOptions } from "../../shared/loaders";
import { argLoader, loader, pageLoader } from "../../shared/loaders";
import type { Viewer } from "../auth/viewer";
import type { LoaderServices } from "../loaders";

/** Per-request article loaders: every relation of Article is one statement per page, not per row. */
export function createArticleLoaders(services: LoaderServices, viewer: Viewer | null, options: LoaderOptions) {
  const { article } = services;
  const publishedCount = {
    topic: loader(options, (keys: readonly number[]) => article.publishedCounts("topic", keys)),
    author: loader(options, (keys: readonly number[]) => article.publishedCounts("author", keys)),
  };
  return {
    byId: loader(options, (ids: readonly number[]) => article.byIds(viewer, ids)),
    bySlug: loader(options, (slugs: readonly string[]) => article.bySlugs(viewer, slugs)),
    text: loader(options, (ids: readonly number[]) => article.texts(ids)),
    meta: loader(options, (ids: readonly number[]) => article.metas(ids)),
    byline: loader(options, (ids: readonly number[]) => article.bylines(ids)),
    topics: loader(options, (ids: readonly number[]) => article.topics(ids)),
    /** Each article's correction notes, oldest first (article-revision.service.ts). */
    corrections: loader(options, (ids: readonly number[]) => services.articleRevision.corrections(ids)),
    leadImage: loader(options, (ids: readonly number[]) => services.articleLeadImage.byArticleIds(ids)),
    related: argLoader(options, (ids: readonly number[], first: number) => article.related(ids, first)),
    publishedCount,
    byTopic: pageLoader(options, (keys, page) =>
      article.publishedByLink("topic", keys, page, (k) => publishedCount.topic.load(k)),
    ),
    byAuthor: pageLoader(options, (keys, page) =>
      article.publishedByLink("author", keys, page, (k) => publishedCount.author.load(k)),
    ),
  };
}

export type ArticleLoaders = ReturnType<typeof createArticleLoaders>;
