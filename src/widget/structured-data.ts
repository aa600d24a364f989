import type { Article } from "../modules/article/article.entity";
import type { Author } from "../modules/author/author.entity";
import type { LiveEntry } from "../modules/liveblog/live-entry.entity";
import type { Topic } from "../modules/topic/topic.entity";
import type { ArticleSeo } from "../modules/syndication/article-seo.types";
import type { FeedImage } from "../modules/syndication/lead-image";

/*
 * What an article page tells search engines: its schema.org structured data (a NewsArticle, or a
 * LiveBlogPosting with its latest entries), and the JSON data block that carries it.
 */

/** How many of the latest entries the page's LiveBlogPosting lists (liveBlogUpdate). */
export const LD_UPDATES = 10;

export interface PageData {
  article: Article;
  /** Canonical URL, meta title and description, Open Graph image (Article.seo). */
  seo: ArticleSeo;
  image: FeedImage | null;
  siteName: string;
  authors: Author[];
  topics: Topic[];
  related: Article[];
  /** The latest entries, newest first, with their bylines. */
  entries: { entry: LiveEntry; authors: Author[] }[];
}

/** The text of sanitised HTML (tags dropped, the entities it can hold decoded, white space collapsed). */
export function htmlText(html: string): string {
  const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };
  return html
    .replace(/<(br|\/p|\/li|\/h[1-6]|\/blockquote)\b[^>]*>/gi, " ")
    .replace(/<[^>]*>/g, "")
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === "#") {
        const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
      }
      return named[e.toLowerCase()] ?? m;
    })
    .replace(/\s+/g, " ")
    .trim();
}

/** A headline for an entry without a title: its first words, within the 110 characters search engines show. */
function firstWords(text: string, max = 110): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  return `${cut.slice(0, cut.lastIndexOf(" ") > 40 ? cut.lastIndexOf(" ") : cut.length)}…`;
}

const person = (a: Author) => ({ "@type": "Person", name: a.name });

/**
 * The page's structured data for search engines (schema.org): a LiveBlogPosting for an article that
 * is or was a live blog, with its latest entries as liveBlogUpdate; a NewsArticle otherwise.
 */
export function structuredData(page: PageData): Record<string, unknown> {
  const { article } = page;
  const base = {
    "@context": "https://schema.org",
    headline: article.title,
    ...(article.standfirst ? { description: article.standfirst } : {}),
    ...(article.publishedAt ? { datePublished: article.publishedAt.toISOString() } : {}),
    dateModified: article.updatedAt.toISOString(),
    author: page.authors.map(person),
    ...(page.topics.length ? { keywords: page.topics.map((t) => t.name).join(", ") } : {}),
    url: page.seo.canonicalUrl,
    mainEntityOfPage: { "@type": "WebPage", "@id": page.seo.canonicalUrl },
    ...(page.image ? { image: [page.image.url] } : {}),
    publisher: { "@type": "Organization", name: page.siteName },
  };
  if (article.liveSince === null) return { "@type": "NewsArticle", ...base };
  return {
    "@type": "LiveBlogPosting",
    ...base,
    coverageStartTime: article.liveSince.toISOString(),
    ...(article.liveUntil ? { coverageEndTime: article.liveUntil.toISOString() } : {}),
    liveBlogUpdate: page.entries.map(({ entry, authors }) => {
      const text = htmlText(entry.bodyHtml);
      return {
        "@type": "BlogPosting",
        headline: entry.title ?? firstWords(text),
        datePublished: entry.publishedAt.toISOString(),
        dateModified: (entry.editedAt ?? entry.publishedAt).toISOString(),
        articleBody: text,
        ...(authors.length ? { author: authors.map(person) } : {}),
      };
    }),
  };
}

/**
 * JSON for a <script> data block: `<`, `>` and `&` as \\u escapes (no `</script>` or `<!--` can end or
 * change the element), and U+2028/2029 too; JSON.parse reads back the same value.
 */
export const scriptJson = (value: unknown) =>
  JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
