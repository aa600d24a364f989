import type { Queryable } from "../../db/database";

export interface NewAuthor {
  slug: string;
  name: string;
  bio?: string | null;
  avatarUrl?: string | null;
}

/**
 * Adds an author unless one has the slug already (the demo seed, the CLI, the
 * embedded demo editor and the tests all add authors this one way). Answers the
 * new author's id, or null when the slug was taken and nothing was written.
 */
export async function insertAuthor(conn: Queryable, author: NewAuthor): Promise<number | null> {
  const [row] = await conn.query<{ id: number }>(
    "INSERT INTO authors (slug, name, bio, avatar_url) VALUES ($1, $2, $3, $4) ON CONFLICT (slug) DO NOTHING RETURNING id",
    [author.slug, author.name, author.bio ?? null, author.avatarUrl ?? null],
  );
  return row?.id ?? null;
}
