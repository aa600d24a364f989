import type { Logger } from "pino";
import type { Database, Queryable } from "../db/database";
import type { AuthService } from "../modules/auth/auth.service";
import { Role } from "../modules/auth/role";
import { renderBody } from "../modules/article/article.render";
import { insertAuthor } from "../modules/author/author-insert";
import type { ImageStorage } from "../modules/image/image-storage";
import type { DemoArticle } from "./demo-content.types";
import { demoArticles, demoAuthors, demoCorrections, demoLiveBlogs, demoTopics } from "./demo-content";
import { seedDemoImages } from "./demo-images";

export interface SeedOptions {
  /** Skip when the database already has articles (first start of the server). */
  onlyIfEmpty?: boolean;
  logger?: Logger;
  /** Reference time for "hours ago"; now by default. */
  now?: Date;
  /** Where the demo articles' lead images go (generated with sharp); none without it. */
  imageStorage?: ImageStorage;
}

/**
 * Loads the demo newsroom. Idempotent: authors, topics and articles are keyed by
 * slug, and an article that exists already (with its comments) is left alone,
 * so loading twice changes nothing. A demo live blog's article is live since its publication and
 * its entries are inserted with it (straight into live_entries, rendered like article bodies).
 */
export async function seedDemo(db: Database, options: SeedOptions = {}): Promise<{ articles: number }> {
  if (options.onlyIfEmpty) {
    const [{ any }] = await db.query<{ any: boolean }>("SELECT EXISTS (SELECT 1 FROM articles) AS any");
    if (any) return { articles: 0 };
  }
  const now = options.now ?? new Date();
  let inserted = 0;
  const pictured: Parameters<typeof seedDemoImages>[2] = [];
  await db.transaction(async (conn) => {
    for (const a of demoAuthors) {
      await insertAuthor(conn, a);
    }
    for (const t of demoTopics) {
      await conn.query(
        "INSERT INTO topics (slug, name, description) VALUES ($1, $2, $3) ON CONFLICT (slug) DO NOTHING",
        [t.slug, t.name, t.description],
      );
    }
    const ids = async (table: string, slugs: string[]) => {
      const rows: { id: number; slug: string }[] = await conn.query(
        `SELECT id, slug FROM ${table} WHERE slug = ANY($1::text[])`,
        [slugs],
      );
      return new Map(rows.map((r) => [r.slug, r.id]));
    };
    const authorIds = await ids(
      "authors",
      demoAuthors.map((a) => a.slug),
    );
    const topicIds = await ids(
      "topics",
      demoTopics.map((t) => t.slug),
    );

    for (const article of demoArticles) {
      const publishedAt = new Date(now.getTime() - article.hoursAgo * 3_600_000);
      const { html, wordCount } = renderBody(article.body);
      const rows: { id: number }[] = await conn.query(
        `INSERT INTO articles (slug, title, standfirst, body, body_html, status, published_at, created_at, updated_at,
           comments_open, word_count)
         VALUES ($1, $2, $3, $4, $5, 'PUBLISHED', $6, $6, $6, $7, $8) ON CONFLICT (slug) DO NOTHING RETURNING id`,
        [
          article.slug,
          article.title,
          article.standfirst,
          article.body,
          html,
          publishedAt,
          article.commentsOpen ?? true,
          wordCount,
        ],
      );
      if (!rows.length) continue;
      inserted++;
      const articleId = rows[0]!.id;
      const topic = demoTopics.find((t) => t.slug === article.topics[0]);
      pictured.push({ id: articleId, title: article.title, topic: topic?.slug, topicName: topic?.name });
      for (const [position, slug] of article.authors.entries()) {
        await conn.query("INSERT INTO article_authors (article_id, author_id, position) VALUES ($1, $2, $3)", [
          articleId,
          authorIds.get(slug),
          position,
        ]);
      }
      for (const slug of article.topics) {
        await conn.query("INSERT INTO article_topics (article_id, topic_id) VALUES ($1, $2)", [
          articleId,
          topicIds.get(slug),
        ]);
      }
      const commentIds = new Map<string, { id: number; depth: number }>();
      for (const c of article.comments) {
        const parent = c.replyTo ? commentIds.get(c.replyTo) : undefined;
        const depth = parent ? parent.depth + 1 : 0;
        const [row] = await conn.query(
          `INSERT INTO comments (article_id, parent_id, depth, author_name, email, website, body, status, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 'APPROVED', $8) RETURNING id`,
          [
            articleId,
            parent?.id ?? null,
            depth,
            c.authorName,
            c.email,
            c.website ?? null,
            c.body,
            new Date(publishedAt.getTime() + c.minutesAfter * 60_000),
          ],
        );
        commentIds.set(c.key, { id: row.id, depth });
      }
      await seedRevisions(conn, articleId, article, publishedAt, authorIds);
      const live = demoLiveBlogs.find((l) => l.article === article.slug);
      if (live) {
        await conn.query("UPDATE articles SET live_since = $1 WHERE id = $2", [publishedAt, articleId]);
        const at = (minutes: number) => new Date(publishedAt.getTime() + minutes * 60_000);
        for (const e of live.entries) {
          const byline = e.authors.map((slug) => authorIds.get(slug)!);
          await conn.query(
            `INSERT INTO live_entries (article_id, title, body, body_html, author_ids, posted_by, is_key_event,
               is_pinned, published_at, edited_at)
             VALUES ($1, $2, $3, $4, $5::int[], $6, $7, $8, $9, $10)`,
            [
              articleId,
              e.title ?? null,
              e.body,
              renderBody(e.body).html,
              byline,
              byline[0],
              e.keyEvent ?? false,
              e.pinned ?? false,
              at(e.minutesAfter),
              e.editedMinutesAfter === undefined ? null : at(e.editedMinutesAfter),
            ],
          );
        }
      }
    }
    if (options.imageStorage && pictured.length) {
      await seedDemoImages(conn, options.imageStorage, pictured, authorIds.get(demoAuthors[0]!.slug)!);
    }
  });
  options.logger?.info({ articles: inserted }, "demo content loaded");
  return { articles: inserted };
}

/**
 * The article's revision 1 as it went live, and for a corrected demo article
 * (corrections.json) revision 2 with its note: its first text is the current
 * one with each correction's replacements undone.
 */
async function seedRevisions(
  conn: Queryable,
  articleId: number,
  article: DemoArticle,
  publishedAt: Date,
  authorIds: Map<string, number>,
): Promise<void> {
  const insert = (
    n: number,
    text: Pick<DemoArticle, "title" | "standfirst" | "body">,
    editor: number | null,
    note: string | null,
    at: Date,
  ) =>
    conn.query(
      `INSERT INTO article_revisions (article_id, number, title, standfirst, body, editor_id, correction, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [articleId, n, text.title, text.standfirst, text.body, editor, note, at],
    );
  const byline = authorIds.get(article.authors[0]!) ?? null;
  const correction = demoCorrections.find((c) => c.article === article.slug);
  if (!correction) {
    await insert(1, article, byline, null, publishedAt);
    return;
  }
  const first = { title: article.title, standfirst: article.standfirst, body: article.body };
  for (const w of correction.was) {
    if (!first[w.field].includes(w.now)) throw new Error(`corrections.json: ${article.slug} has no "${w.now}"`);
    first[w.field] = first[w.field].replace(w.now, w.was);
  }
  const correctedAt = new Date(publishedAt.getTime() + correction.hoursAfter * 3_600_000);
  await insert(1, first, byline, null, publishedAt);
  await insert(2, article, authorIds.get(correction.editor) ?? null, correction.text, correctedAt);
  await conn.query("UPDATE articles SET updated_at = $1 WHERE id = $2", [correctedAt, articleId]);
}

/** The demo newsroom's editor (created when missing) and a new EDITOR token for it. */
export async function createDemoEditor(db: Database, auth: AuthService): Promise<string> {
  await insertAuthor(db, { slug: "demo-editor", name: "Demo Editor", bio: "Created for trying newsgraph out." });
  return auth.createToken("demo-editor", Role.EDITOR, "demo");
}
