import { articleUrl, siteUrl } from "./syndication.urls";
import type { SyndicationService } from "./syndication.service";
import { xmlSafe } from "./feed-render";

/** Writes a chunk, waiting while the client's buffer is full; false when the client has gone. */
export type ChunkWriter = (chunk: string) => Promise<boolean>;

/** Text and attribute values in XML: the five specials escaped, characters XML cannot hold dropped. */
export const xmlText = (s: string) =>
  xmlSafe(s).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c as "&" | "<" | ">" | '"' | "'"],
  );

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';
const SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9";

export const sitemapPagePath = (page: number) => `/sitemaps/articles-${page}.xml`;

/** /sitemap.xml: the article pages (id ranges holding published articles) and the news sitemap. */
export async function streamSitemapIndex(service: SyndicationService, write: ChunkWriter): Promise<void> {
  const { config } = service;
  const pages = await service.sitemapPages();
  let out = `${HEAD}<sitemapindex xmlns="${SITEMAP_NS}">\n`;
  out += `<sitemap><loc>${xmlText(siteUrl(config, "/sitemaps/news.xml"))}</loc></sitemap>\n`;
  for (const p of pages) {
    out +=
      `<sitemap><loc>${xmlText(siteUrl(config, sitemapPagePath(p.page)))}</loc>` +
      `<lastmod>${p.lastModified.toISOString()}</lastmod></sitemap>\n`;
  }
  await write(out + "</sitemapindex>\n");
}

/**
 * One page of the archive: at most SITEMAP_PAGE_SIZE URLs, written batch by batch as rows are read.
 * `start` runs before the first byte (the status line): a page with no articles sends nothing.
 */
export async function streamSitemapPage(
  service: SyndicationService,
  page: number,
  write: ChunkWriter,
  start: () => void,
): Promise<number> {
  const { config } = service;
  let first = true;
  const count = await service.sitemapPage(page, async (rows) => {
    let out = "";
    if (first) {
      first = false;
      start();
      out = `${HEAD}<urlset xmlns="${SITEMAP_NS}">\n`;
    }
    for (const r of rows) {
      out += `<url><loc>${xmlText(articleUrl(config, r))}</loc><lastmod>${r.updatedAt.toISOString()}</lastmod></url>\n`;
    }
    return write(out);
  });
  if (!first) await write("</urlset>\n");
  return count;
}

/** /sitemaps/news.xml: Google News, the last 48 hours (at most 1,000 articles). */
export async function streamNewsSitemap(service: SyndicationService, write: ChunkWriter): Promise<void> {
  const { config } = service;
  const rows = await service.recentNews();
  let out = `${HEAD}<urlset xmlns="${SITEMAP_NS}" xmlns:news="${NEWS_NS}">\n`;
  const publication =
    `<news:publication><news:name>${xmlText(config.siteName)}</news:name>` +
    `<news:language>${xmlText(config.siteLanguage)}</news:language></news:publication>`;
  for (const r of rows) {
    out +=
      `<url><loc>${xmlText(articleUrl(config, r))}</loc><news:news>${publication}` +
      `<news:publication_date>${r.publishedAt.toISOString()}</news:publication_date>` +
      `<news:title>${xmlText(r.title)}</news:title></news:news></url>\n`;
  }
  await write(out + "</urlset>\n");
}
