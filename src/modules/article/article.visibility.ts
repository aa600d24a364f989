import type { Params } from "../../db/sql";
import type { Viewer } from "../auth/viewer";
import { isEditor } from "../auth/viewer";

/**
 * The one definition of who may see an article, as SQL over alias `a`: anonymous
 * readers see PUBLISHED articles; byline authors also their own drafts and
 * scheduled pieces; editors and admins everything. Every read path uses it.
 */
export function visibleArticleSql(viewer: Viewer | null, q: Params, alias = "a"): string {
  if (!viewer) return `${alias}.status = 'PUBLISHED'`;
  if (isEditor(viewer)) return "TRUE";
  return (
    `(${alias}.status = 'PUBLISHED' OR EXISTS (SELECT 1 FROM article_authors vis ` +
    `WHERE vis.article_id = ${alias}.id AND vis.author_id = ${q.p(viewer.authorId)}))`
  );
}
