import type { SyndicationConfig } from "../../config";

/** What an article URL is built from (an Article has all of it). */
export interface UrlParts {
  dbId: number;
  slug: string;
  publishedAt: Date | null;
  createdAt?: Date;
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * The public (canonical) URL of an article from ARTICLE_URL_PATTERN: a path is put under SITE_URL;
 * the date placeholders are the publication date in UTC (creation date before publication).
 */
export function articleUrl(config: SyndicationConfig, a: UrlParts): string {
  const date = a.publishedAt ?? a.createdAt ?? new Date(0);
  const values: Record<string, string> = {
    yyyy: String(date.getUTCFullYear()),
    mm: pad(date.getUTCMonth() + 1),
    dd: pad(date.getUTCDate()),
    slug: encodeURIComponent(a.slug),
    id: String(a.dbId),
  };
  const path = config.articleUrlPattern.replace(/\{(yyyy|mm|dd|slug|id)\}/g, (_, k: string) => values[k]!);
  return path.startsWith("/") ? config.siteUrl + path : path;
}

/** A URL on this service (feeds, sitemaps), under SITE_URL. */
export const siteUrl = (config: SyndicationConfig, path: string) => config.siteUrl + path;
