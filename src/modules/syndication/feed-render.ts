import type * as FeedModule from "feed" with { "resolution-mode": "import" };
import type { Feed as FeedClass, Item } from "feed" with { "resolution-mode": "import" };
import type { SyndicationConfig } from "../../config";
import type { FeedData, FeedItemData, FeedScope } from "./syndication.service";
import { articleUrl, siteUrl } from "./syndication.urls";

export type FeedFormat = "rss" | "atom" | "json";

export const FEED_FILES: Record<FeedFormat, string> = { rss: "rss.xml", atom: "atom.xml", json: "feed.json" };
export const FEED_TYPES: Record<FeedFormat, string> = {
  rss: "application/rss+xml; charset=utf-8",
  atom: "application/atom+xml; charset=utf-8",
  json: "application/feed+json; charset=utf-8",
};

// The feed package is an ES module; this project compiles to CommonJS, so it is loaded once, lazily.
let feedModule: Promise<typeof FeedModule> | undefined;
const loadFeed = () => (feedModule ??= import("feed"));

/** Text as HTML (Atom's type="html" titles, RSS descriptions): a hostile `<script>` stays text. */
export const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c as "&" | "<" | ">" | '"' | "'"],
  );

/**
 * What XML 1.0 cannot hold: C0 controls other than tab and newlines, U+FFFE/FFFF and lone
 * surrogates. A title with one of them would make the whole feed unparseable, so they are dropped.
 */
export const xmlSafe = (s: string) =>
  s.replace(
    /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    "",
  );

/** The path of a feed of a scope: /feeds/rss.xml, /feeds/topics/SLUG/atom.xml, ... */
export function feedPath(scope: FeedScope, format: FeedFormat): string {
  const file = FEED_FILES[format];
  if (scope.kind === "front") return `/feeds/${file}`;
  return `/feeds/${scope.kind === "topic" ? "topics" : "authors"}/${encodeURIComponent(scope.slug)}/${file}`;
}

/**
 * One feed in one format, built with the `feed` package (RSS 2.0, Atom 1.0) or as JSON Feed 1.1
 * from its JSON Feed output. Deterministic for the same data (no "now" in it), so the body's hash
 * is a sound ETag. Items newest first; dates are publication (pubDate, published, date_published)
 * and last edit (updated, date_modified).
 */
export async function renderFeed(config: SyndicationConfig, data: FeedData, format: FeedFormat): Promise<string> {
  const { Feed } = await loadFeed();
  const xml = format !== "json";
  const text = (s: string) => (xml ? xmlSafe(s) : s);
  const title = data.owner ? `${data.owner.name} · ${config.siteName}` : config.siteName;
  const description = data.owner?.description ?? `The latest articles from ${config.siteName}`;
  const newest = data.items.reduce<Date | null>(
    (max, i) => (max === null || i.article.updatedAt > max ? i.article.updatedAt : max),
    null,
  );
  const links = {
    rss: siteUrl(config, feedPath(data.scope, "rss")),
    atom: siteUrl(config, feedPath(data.scope, "atom")),
    json: siteUrl(config, feedPath(data.scope, "json")),
  };
  const feed: FeedClass = new Feed({
    id: links[format],
    title: text(title),
    description: text(description),
    link: config.siteUrl + "/",
    language: config.siteLanguage,
    updated: newest ?? data.lastModified ?? new Date(0),
    generator: "newsgraph",
    feedLinks: links,
    copyright: text(`© ${config.siteName}`),
  });
  for (const item of data.items) feed.addItem(feedItem(config, item, format, text));
  if (format === "rss") return feed.rss2();
  if (format === "atom") return feed.atom1();
  return jsonFeed11(feed.json1(), data.items, config);
}

function feedItem(
  config: SyndicationConfig,
  data: FeedItemData,
  format: FeedFormat,
  text: (s: string) => string,
): Item {
  const { article, image } = data;
  const url = articleUrl(config, article);
  const standfirst = article.standfirst ? text(article.standfirst) : null;
  // Atom says type="html" on titles and both formats read descriptions as HTML: escape the text.
  const item: Item = {
    title: format === "atom" ? escapeHtml(text(article.title)) : text(article.title),
    id: url,
    link: url,
    date: article.updatedAt,
    published: article.publishedAt ?? article.updatedAt,
    ...(standfirst ? { description: format === "json" ? standfirst : escapeHtml(standfirst) } : {}),
    ...(data.bodyHtml !== null ? { content: text(data.bodyHtml) } : {}),
    category: data.topics.map((t) => ({ name: text(t.name), term: t.slug })),
  };
  // An article without a byline has no author element (the feed package's JSON Feed writer fails on an empty list).
  if (format !== "rss" && data.authors.length) item.author = data.authors.map((a) => ({ name: text(a.name) }));
  // RSS <author> must be an email address; the byline goes into dc:creator instead.
  const extensions: NonNullable<Item["extensions"]> = [];
  if (format === "rss" && data.authors.length) {
    extensions.push({
      name: "dc:creator",
      objects: { _attributes: { "xmlns:dc": DC }, _text: data.authors.map((a) => text(a.name)).join(", ") },
    });
  }
  if (image) {
    item.enclosure = { url: image.url, type: image.type, length: image.length ?? 0 };
    if (format === "rss") {
      extensions.push({
        name: "media:content",
        objects: {
          _attributes: {
            "xmlns:media": MEDIA,
            url: image.url,
            type: image.type,
            medium: "image",
            ...(image.width ? { width: image.width } : {}),
            ...(image.height ? { height: image.height } : {}),
          },
        },
      });
    }
    if (format === "json") item.image = image.url;
  }
  if (extensions.length) item.extensions = extensions;
  return item;
}

const DC = "http://purl.org/dc/elements/1.1/";
const MEDIA = "http://search.yahoo.com/mrss/";

/**
 * The feed package writes JSON Feed 1 (one `author`); 1.1 has `authors` and `language`. The
 * summary is the standfirst as text, and the package's dc/media extension keys are not there.
 */
function jsonFeed11(json: string, items: FeedItemData[], config: SyndicationConfig): string {
  const feed = JSON.parse(json) as Record<string, unknown> & { items: Record<string, unknown>[] };
  feed.version = "https://jsonfeed.org/version/1.1";
  feed.language = config.siteLanguage;
  delete feed.author;
  feed.authors = [{ name: config.siteName, url: config.siteUrl + "/" }];
  feed.items.forEach((entry, i) => {
    const data = items[i]!;
    delete entry.author;
    if (data.authors.length) entry.authors = data.authors.map((a) => ({ name: a.name }));
    entry.tags = data.topics.map((t) => t.name);
    if (data.image) entry.image = data.image.url;
    if (data.bodyHtml === null) {
      delete entry.content_html;
      entry.content_text = data.article.standfirst ?? data.article.title;
    }
    if (data.article.standfirst) entry.summary = data.article.standfirst;
  });
  return JSON.stringify(feed, null, 2);
}
