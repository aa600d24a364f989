import type { LoaderOptions } from "../../shared/loaders";
import { loader, pageLoader } from "../../shared/loaders";
import type { Viewer } from "../auth/viewer";
import type { LoaderServices } from "../loaders";

export function createCommentLoaders(services: LoaderServices, viewer: Viewer | null, options: LoaderOptions) {
  const { comment } = services;
  const count = {
    article: loader(options, (keys: readonly number[]) => comment.approvedCounts("article", keys)),
    parent: loader(options, (keys: readonly number[]) => comment.approvedCounts("parent", keys)),
  };
  return {
    byId: loader(options, (ids: readonly number[]) => comment.byIds(viewer, ids)),
    /** Top-level approved comments of articles. */
    thread: pageLoader(options, (keys, page) =>
      comment.approvedPages("article", keys, page, (k) => count.article.load(k)),
    ),
    replies: pageLoader(options, (keys, page) =>
      comment.approvedPages("parent", keys, page, (k) => count.parent.load(k)),
    ),
    /** Approved comments of articles, replies included: Article.commentCount. */
    totalByArticle: loader(options, (ids: readonly number[]) => comment.approvedTotals(ids)),
  };
}

export type CommentLoaders = ReturnType<typeof createCommentLoaders>;
