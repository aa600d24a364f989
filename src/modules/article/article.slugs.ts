import type { Queryable } from "../../db/database";
import { Params } from "../../db/sql";
import { conflict } from "../../shared/errors";
import type { Viewer } from "../auth/viewer";
import { visibleArticleSql } from "./article.visibility";

/** The slug itself when free, else the first free "slug-N" (`self`'s own slug counts as free). */
export async function freeSlug(conn: Queryable, base: string, self: number | null = null): Promise<string> {
  const rows: { slug: string }[] = await conn.query(
    "SELECT slug FROM articles WHERE (slug = $1 OR slug LIKE $2) AND id IS DISTINCT FROM $3::int",
    [base, `${base}-%`, self],
  );
  const taken = new Set(rows.map((r) => r.slug));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * The slug an article asked for by name gets (`self`: the article being renamed).
 * Taken by an article the caller can see: CONFLICT, as they can see why. Taken by
 * one they may not see (another writer's draft or scheduled piece): no word of it,
 * the first free "slug-N" instead, as for a generated slug; the answer shows the
 * slug used.
 */
export async function requestedSlug(
  conn: Queryable,
  viewer: Viewer,
  slug: string,
  self: number | null,
): Promise<string> {
  const q = new Params();
  const [holder] = await conn.query<{ visible: boolean }>(
    `SELECT ${visibleArticleSql(viewer, q)} AS visible FROM articles a
     WHERE a.slug = ${q.p(slug)} AND a.id IS DISTINCT FROM ${q.p(self)}::int`,
    q.values,
  );
  if (!holder) return slug;
  if (holder.visible) throw slugTaken(slug);
  return freeSlug(conn, slug, self);
}

export const slugTaken = (slug: string) => conflict(`The slug "${slug}" is taken`, { slug: "is taken" });
