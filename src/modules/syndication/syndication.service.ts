import type { SyndicationConfig } from "../../config";
import type { Database } from "../../db/database";
import { Params } from "../../db/sql";
import type { Clock } from "../../shared/clock";
import type { Article } from "../article/article.entity";
import type { ArticleService } from "../article/article.service";
import type { Author } from "../author/author.entity";
import type { AuthorService } from "../author/author.service";
import type { Topic } from "../topic/topic.entity";
import type { TopicService } from "../topic/topic.service";
import type { FeedImage } from "./lead-image";
import { feedImageOf } from "./lead-image";
import type { Image } from "../image/image.entity";
import type { ImageUrls } from "../image/image-urls";

/** Where feeds read lead images: the article's lead image (batched) and the image URLs. */
export interface LeadImageSource {
  byArticleIds(ids: readonly number[]): Promise<(Image | null)[]>;
  readonly urls: ImageUrls;
}

/** Whose feed: the front page, one topic, one author. */
export type FeedScope = { kind: "front" } | { kind: "topic"; slug: string } | { kind: "author"; slug: string };

export interface FeedItemData {
  article: Article;
  authors: Author[];
  topics: Topic[];
  /** The rendered body (FEED_CONTENT=full), else null. */
  bodyHtml: string | null;
  image: FeedImage | null;
}

export interface FeedData {
  scope: FeedScope;
  /** The topic or author of a scoped feed. */
  owner: { name: string; description: string | null } | null;
  items: FeedItemData[];
  /** The newest change to any article: the feeds' Last-Modified. */
  lastModified: Date | null;
}

/** A sitemap page's row: what a <url> needs. */
export interface SitemapRow {
  dbId: number;
  slug: string;
  publishedAt: Date;
  updatedAt: Date;
}

export interface NewsRow extends SitemapRow {
  title: string;
}

/** Rows per statement while a sitemap page streams: what the server holds at once. */
export const SITEMAP_BATCH = 1000;
/** Google News takes the articles of the last 48 hours, at most 1,000 per sitemap. */
export const NEWS_WINDOW_HOURS = 48;
export const NEWS_MAX = 1000;

/**
 * Read side of syndication: the published articles of a feed with their bylines, topics and
 * bodies (a fixed number of statements per feed), and the sitemaps' keyset batches.
 */
export class SyndicationService {
  constructor(
    private readonly db: Database,
    private readonly articles: ArticleService,
    private readonly topics: TopicService,
    private readonly authors: AuthorService,
    private readonly clock: Clock,
    readonly config: SyndicationConfig,
    private readonly images: LeadImageSource,
  ) {}

  /** A feed's content, or null when its topic or author does not exist. Published articles only. */
  async feed(scope: FeedScope): Promise<FeedData | null> {
    const first = this.config.feedSize;
    let owner: FeedData["owner"] = null;
    let list: Article[];
    if (scope.kind === "front") {
      list = (await this.articles.list(null, {}, true, { first, after: null })).nodes;
    } else {
      let found: { dbId: number; name: string; about: string | null } | null = null;
      if (scope.kind === "topic") {
        const [topic] = await this.topics.bySlugs([scope.slug]);
        if (topic) found = { dbId: topic.dbId, name: topic.name, about: topic.description };
      } else {
        const [author] = await this.authors.bySlugs([scope.slug]);
        if (author) found = { dbId: author.dbId, name: author.name, about: author.bio };
      }
      if (!found) return null;
      owner = { name: found.name, description: found.about };
      const [page] = await this.articles.publishedByLink(scope.kind, [found.dbId], { first, after: null }, () =>
        Promise.resolve(0),
      );
      list = page!.nodes;
    }
    const ids = list.map((a) => a.dbId);
    const [bylines, topics, texts, lastModified] = await Promise.all([
      this.articles.bylines(ids),
      this.articles.topics(ids),
      this.config.feedContent === "full" ? this.articles.texts(ids) : Promise.resolve(ids.map(() => null)),
      this.lastModified(),
    ]);
    const images = await this.leadImages(list);
    return {
      scope,
      owner,
      lastModified,
      items: list.map((article, i) => ({
        article,
        authors: bylines[i]!,
        topics: topics[i]!,
        bodyHtml: texts[i]?.bodyHtml ?? null,
        image: images[i]!,
      })),
    };
  }

  /** Lead images of many articles, in one read; null for an article without one. */
  async leadImages(articles: readonly Article[]): Promise<(FeedImage | null)[]> {
    if (articles.length === 0) return [];
    const images = await this.images.byArticleIds(articles.map((a) => a.dbId));
    return images.map((image) => (image ? this.feedImage(image) : null));
  }

  /** A lead image as feeds and link previews show it (its JPEG rendition, absolute URL). */
  feedImage(image: Image): FeedImage {
    return feedImageOf(image, this.images.urls, this.config.siteUrl);
  }

  /**
   * The newest updated_at of any article (every edit and status change sets it): read from an
   * index, and it never goes back, also when an article leaves a feed by being unpublished.
   */
  async lastModified(): Promise<Date | null> {
    const [row] = await this.db.query<{ at: Date | null }>("SELECT max(updated_at) AS at FROM articles");
    return row?.at ?? null;
  }

  /**
   * The sitemap index: the id ranges [k·size, (k+1)·size) that hold published articles, with the
   * newest change in each. One row per page; the pages' URLs stay put as the archive grows.
   */
  async sitemapPages(): Promise<{ page: number; lastModified: Date }[]> {
    const size = this.config.sitemapPageSize;
    const rows = await this.db.query<{ page: number; at: Date }>(
      `SELECT (id / $1)::int AS page, max(updated_at) AS at FROM articles WHERE status = 'PUBLISHED' ` +
        `GROUP BY 1 ORDER BY 1`,
      [size],
    );
    return rows.map((r) => ({ page: r.page, lastModified: r.at }));
  }

  /**
   * The published articles of one sitemap page, in keyset batches by id (never OFFSET), so a page of
   * 50,000 URLs holds SITEMAP_BATCH rows in memory at a time. `onBatch` may wait (backpressure), and
   * stops the reading by answering false (the client went away).
   */
  async sitemapPage(page: number, onBatch: (rows: SitemapRow[]) => Promise<boolean>): Promise<number> {
    const size = this.config.sitemapPageSize;
    const end = (page + 1) * size;
    let after = page * size - 1;
    let total = 0;
    for (;;) {
      const rows = await this.db.query<SitemapRow>(
        `SELECT id AS "dbId", slug, published_at AS "publishedAt", updated_at AS "updatedAt" FROM articles ` +
          `WHERE status = 'PUBLISHED' AND id > $1 AND id < $2 ORDER BY id LIMIT $3`,
        [after, end, SITEMAP_BATCH],
      );
      if (!rows.length) return total;
      total += rows.length;
      if (!(await onBatch(rows)) || rows.length < SITEMAP_BATCH) return total;
      after = rows[rows.length - 1]!.dbId;
    }
  }

  /** Published in the last 48 hours, newest first, at most 1,000: the Google News sitemap. */
  async recentNews(): Promise<NewsRow[]> {
    const q = new Params();
    const since = new Date(this.clock.now().getTime() - NEWS_WINDOW_HOURS * 3_600_000);
    return this.db.query<NewsRow>(
      `SELECT id AS "dbId", slug, title, published_at AS "publishedAt", updated_at AS "updatedAt" FROM articles a ` +
        `WHERE a.status = 'PUBLISHED' AND a.published_at > ${q.p(since)} ` +
        `ORDER BY a.sort_at DESC, a.id DESC LIMIT ${q.p(NEWS_MAX)}`,
      q.values,
    );
  }
}
