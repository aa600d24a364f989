/**
 * Test data written straight to the database, for setting up read-side tests.
 * Rows get unique slugs per process; every helper returns the database id and
 * the global (GraphQL) id of what it inserted.
 */
import type { Database } from "../../src/db/database";
import { insertAuthor } from "../../src/modules/author/author-insert";
import type { NodeType } from "../../src/shared/node-id";
import { toGlobalId } from "../../src/shared/node-id";

type Db = Pick<Database, "query">;

export type ArticleStatusValue = "DRAFT" | "SCHEDULED" | "PUBLISHED" | "ARCHIVED";
export type CommentStatusValue = "PENDING" | "APPROVED" | "REJECTED" | "SPAM";

export interface Created {
  dbId: number;
  id: string;
  slug: string;
}

let sequence = 0;
/** A slug nobody else in this process has used. */
export function uniqueSlug(prefix: string): string {
  sequence += 1;
  return `${prefix}-${process.pid}-${sequence}`;
}

export const globalId = (type: NodeType, dbId: number) => toGlobalId(type, dbId);

export const hoursAgo = (hours: number, from = new Date()) => new Date(from.getTime() - hours * 3_600_000);

export async function createAuthor(
  db: Db,
  spec: { slug?: string; name?: string; bio?: string | null; avatarUrl?: string | null } = {},
): Promise<Created> {
  const slug = spec.slug ?? uniqueSlug("author");
  const dbId = await insertAuthor(db, { ...spec, slug, name: spec.name ?? `Author ${slug}` });
  if (dbId === null) throw new Error(`an author has the slug ${slug} already`);
  return { dbId, id: globalId("Author", dbId), slug };
}

export async function createTopic(
  db: Db,
  spec: { slug?: string; name?: string; description?: string | null } = {},
): Promise<Created> {
  const slug = spec.slug ?? uniqueSlug("topic");
  const [row] = await db.query<{ id: number }>(
    "INSERT INTO topics (slug, name, description) VALUES ($1, $2, $3) RETURNING id",
    [slug, spec.name ?? `Topic ${slug}`, spec.description ?? null],
  );
  return { dbId: row!.id, id: globalId("Topic", row!.id), slug };
}

export interface ArticleSpec {
  slug?: string;
  title?: string;
  standfirst?: string | null;
  /** Markdown source; bodyHtml is a simple <p> wrapper of it (the renderer is not involved). */
  body?: string;
  status?: ArticleStatusValue;
  /** Defaults: an hour ago when PUBLISHED or ARCHIVED, a day ahead when SCHEDULED, null for drafts. */
  publishedAt?: Date | null;
  createdAt?: Date;
  /** Topic slugs. */
  topics?: string[];
  /** Author slugs, in byline order. */
  authors?: string[];
  commentsOpen?: boolean;
  wordCount?: number;
}

export async function createArticle(db: Db, spec: ArticleSpec = {}): Promise<Created> {
  const slug = spec.slug ?? uniqueSlug("article");
  const status = spec.status ?? "PUBLISHED";
  const body = spec.body ?? `Body of ${slug}.`;
  const publishedAt =
    spec.publishedAt !== undefined
      ? spec.publishedAt
      : status === "SCHEDULED"
        ? hoursAgo(-24)
        : status === "DRAFT"
          ? null
          : hoursAgo(1);
  const createdAt = spec.createdAt ?? publishedAt ?? new Date();
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO articles (slug, title, standfirst, body, body_html, status, published_at, created_at, updated_at,
       comments_open, word_count)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10) RETURNING id`,
    [
      slug,
      spec.title ?? `Title of ${slug}`,
      spec.standfirst === undefined ? null : spec.standfirst,
      body,
      `<p>${body.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")}</p>\n`,
      status,
      publishedAt,
      createdAt,
      spec.commentsOpen ?? true,
      spec.wordCount ?? body.split(/\s+/).filter(Boolean).length,
    ],
  );
  const articleId = row!.id;
  for (const [position, authorSlug] of (spec.authors ?? []).entries()) {
    const rows = await db.query(
      `INSERT INTO article_authors (article_id, author_id, position)
       SELECT $1, id, $3 FROM authors WHERE slug = $2 RETURNING author_id`,
      [articleId, authorSlug, position],
    );
    if (!rows.length) throw new Error(`createArticle: no author ${authorSlug}`);
  }
  for (const topicSlug of spec.topics ?? []) {
    const rows = await db.query(
      "INSERT INTO article_topics (article_id, topic_id) SELECT $1, id FROM topics WHERE slug = $2 RETURNING topic_id",
      [articleId, topicSlug],
    );
    if (!rows.length) throw new Error(`createArticle: no topic ${topicSlug}`);
  }
  return { dbId: articleId, id: globalId("Article", articleId), slug };
}

export interface CommentSpec {
  articleId: number;
  parentId?: number | null;
  status?: CommentStatusValue;
  authorName?: string;
  email?: string;
  website?: string | null;
  body?: string;
  createdAt?: Date;
}

export interface CreatedComment {
  dbId: number;
  id: string;
  body: string;
}

export async function createComment(db: Db, spec: CommentSpec): Promise<CreatedComment> {
  sequence += 1;
  const body = spec.body ?? `Comment ${sequence}`;
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO comments (article_id, parent_id, depth, author_name, email, website, body, status, created_at)
     VALUES ($1, $2, COALESCE((SELECT depth + 1 FROM comments WHERE id = $2), 0), $3, $4, $5, $6, $7, $8)
     RETURNING id`,
    [
      spec.articleId,
      spec.parentId ?? null,
      spec.authorName ?? `Commenter ${sequence}`,
      spec.email ?? `commenter${sequence}@example.com`,
      spec.website ?? null,
      body,
      spec.status ?? "APPROVED",
      spec.createdAt ?? new Date(),
    ],
  );
  return { dbId: row!.id, id: globalId("Comment", row!.id), body };
}

/** The database id of a row by slug (authors, topics, articles). */
export async function idBySlug(db: Db, table: "authors" | "topics" | "articles", slug: string): Promise<number> {
  const rows = await db.query<{ id: number }>(`SELECT id FROM ${table} WHERE slug = $1`, [slug]);
  if (!rows[0]) throw new Error(`no ${table} row with slug ${slug}`);
  return rows[0].id;
}

/** Slugs of all published articles, newest first: the oracle for list walks. */
export async function publishedSlugs(db: Db): Promise<string[]> {
  const rows = await db.query<{ slug: string }>(
    "SELECT slug FROM articles WHERE status = 'PUBLISHED' ORDER BY sort_at DESC, id DESC",
  );
  return rows.map((r) => r.slug);
}
