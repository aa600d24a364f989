import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { pageCsp } from "../http/web-security";
import type { Services } from "../modules/services";
import { WIDGET_CSS } from "./client/widget-css";
import type { Article } from "../modules/article/article.entity";
import { articleSeo } from "../modules/syndication/article-seo";
import type { Image } from "../modules/image/image.entity";
import { ImageFormat } from "../modules/image/image-urls";
import type { PageData } from "./structured-data";
import { LD_UPDATES, scriptJson, structuredData } from "./structured-data";

export interface WidgetResponse {
  status: number;
  type: string;
  body: string | Buffer;
  cacheControl?: string;
  /** The Content-Security-Policy of an HTML page (other responses keep the default one). */
  csp?: string;
  /** The bundle is fetched by other origins' pages (the newsroom's site), even ones that send COEP. */
  crossOrigin?: boolean;
}

/**
 * Where scripts/build-widget.mjs puts the bundle: dist/widget/ at the project
 * root, seen from src/widget (ts-node, jest) or from dist/src/widget (built).
 */
const DIST_CANDIDATES = [join(__dirname, "../../dist/widget"), join(__dirname, "../../widget")];

// A Map, so that no path can find an inherited property.
const ASSETS = new Map([
  ["/widget/live-blog.js", { file: "live-blog.js", type: "text/javascript; charset=utf-8" }],
  ["/widget/live-blog.js.map", { file: "live-blog.js.map", type: "application/json; charset=utf-8" }],
  // The resumable-subscription client module (an ES module; src/widget/client/resumable.ts).
  ["/widget/resumable.js", { file: "resumable.js", type: "text/javascript; charset=utf-8" }],
  ["/widget/resumable.js.map", { file: "resumable.js.map", type: "application/json; charset=utf-8" }],
]);

/** Whether a path is one of the widget's routes (which answer GET and HEAD only). */
export const isWidgetPath = (pathname: string) => pathname.startsWith("/widget/") || pathname.startsWith("/live/");

const cache = new Map<string, { mtimeMs: number; body: Buffer }>();

/** The built file, re-read only when it changed on disk (a rebuild needs no restart). */
async function builtFile(name: string): Promise<Buffer | null> {
  for (const dir of DIST_CANDIDATES) {
    const file = join(dir, name);
    let mtimeMs: number;
    try {
      mtimeMs = (await stat(file)).mtimeMs;
    } catch {
      continue;
    }
    const hit = cache.get(file);
    if (hit && hit.mtimeMs === mtimeMs) return hit.body;
    const body = await readFile(file);
    cache.set(file, { mtimeMs, body });
    return body;
  }
  return null;
}

/**
 * The live-blog widget's routes: the bundle (/widget/live-blog.js) and a demo
 * article page embedding it (/live/SLUG). Null for any other path.
 */
export async function widgetRoute(pathname: string, services: Services): Promise<WidgetResponse | null> {
  const asset = ASSETS.get(pathname);
  if (asset) {
    const body = await builtFile(asset.file);
    if (!body) {
      return {
        status: 404,
        type: "text/plain; charset=utf-8",
        body: "The live-blog widget is not built: run `npm run build:widget`.\n",
        cacheControl: "no-store",
      };
    }
    // Short-lived: the URL is stable (embedded in other sites' pages), so a new build must reach them soon.
    return { status: 200, type: asset.type, body, cacheControl: "public, max-age=300", crossOrigin: true };
  }

  const match = /^\/live\/([^/]+)\/?$/.exec(pathname);
  if (!match) return null;
  let slug: string;
  try {
    slug = decodeURIComponent(match[1]!);
  } catch {
    return notFound();
  }
  // A control character (a NUL would reach PostgreSQL as an error) is in no slug.
  if (slug.length > 200 || /[\u0000-\u001f\u007f]/.test(slug)) return notFound();
  const [article] = await services.article.bySlugs(null, [slug]);
  if (!article) return notFound();
  const { page, leadImage } = await pageData(services, article, true);
  return {
    status: 200,
    type: "text/html; charset=utf-8",
    body: demoPage(page, page.topics[0] ?? null, leadImage ? leadFigure(leadImage, services) : ""),
    cacheControl: "no-cache",
    csp: demoCsp(),
  };
}

/**
 * What an article page shows (the demo page, the preview page): byline, topics, related articles,
 * SEO fields, the lead image (read once: the page's figure and its Open Graph image), and with
 * `withEntries` the live blog's latest entries with their bylines.
 */
export async function pageData(
  services: Services,
  article: Article,
  withEntries: boolean,
): Promise<{ page: PageData; leadImage: Image | null }> {
  const id = article.dbId;
  const [[topics], [authors], [related], entries, [meta], [leadImage]] = await Promise.all([
    services.article.topics([id]),
    services.article.bylines([id]),
    services.article.related([id], 5),
    !withEntries || article.liveSince === null
      ? Promise.resolve([])
      : services.liveEntry
          .pages([id], { first: LD_UPDATES, after: null }, false, async () => 0)
          .then(([p]) => p!.nodes),
    services.article.metas([id]),
    services.articleLeadImage.byArticleIds([id]),
  ]);
  const entryAuthorIds = [...new Set(entries.flatMap((e) => e.authorIds))];
  const entryAuthors = new Map(
    (await services.author.byIds(entryAuthorIds)).filter((a) => a !== null).map((a) => [a.dbId, a]),
  );
  const image = leadImage ? services.syndication.feedImage(leadImage) : null;
  const page: PageData = {
    article,
    seo: articleSeo(services.syndication.config, article, meta!, image),
    image,
    siteName: services.syndication.config.siteName,
    authors: authors!,
    topics: topics!,
    related: related!,
    entries: entries.map((e) => ({
      entry: e,
      authors: e.authorIds.map((a) => entryAuthors.get(a)).filter((a) => a !== undefined),
    })),
  };
  return { page, leadImage: leadImage ?? null };
}

export const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c as "&" | "<" | ">" | '"' | "'"],
  );

export const PAGE_STYLE = `
body{margin:0;font:17px/1.6 Georgia,"Times New Roman",serif;color:#1a1a1a;background:#fff}
.masthead{border-bottom:3px double #1a1a1a;padding:.75rem 1.5rem;display:flex;align-items:baseline;gap:1rem}
.masthead a{font:700 1.6rem/1 Georgia,serif;color:inherit;text-decoration:none}
.masthead span{font:13px/1.4 system-ui,sans-serif;color:#666}
.page{display:grid;grid-template-columns:minmax(0,46rem) minmax(0,18rem);gap:3rem;padding:1.5rem;max-width:70rem;margin:0 auto}
aside{font-size:15px;border-top:2px solid #1a1a1a;padding-top:.5rem}
footer{font:13px/1.5 system-ui,sans-serif;color:#666;border-top:1px solid #ddd;padding:1rem 1.5rem;max-width:70rem;margin:2rem auto 0}
code{font-size:12px;background:#f3f3f3;padding:.1rem .3rem}
.about{font:15px/1.5 system-ui,sans-serif;border-top:1px solid #ddd;margin-top:2rem;padding-top:1rem}
.author{display:flex;gap:.9rem;align-items:flex-start;margin-bottom:1rem}
.avatar{flex:none;width:56px;height:56px;border-radius:50%;object-fit:cover;background:#1f3a5f;color:#fff;display:inline-flex;align-items:center;justify-content:center;font-weight:700;font-size:18px}
.author p{margin:0}.author-name{font-weight:700}.author-bio{color:#444}
.tags{list-style:none;padding:0;margin:0 0 1rem;display:flex;flex-wrap:wrap;gap:.4rem}
.tags li{background:#eef2f7;border-radius:1rem;padding:.1rem .7rem;font-size:13px}
.related h2{font:700 1.1rem/1.3 Georgia,serif;margin:.5rem 0}
.related ul{padding-left:1.1rem}.related li{margin-bottom:.5rem}.related li p{margin:0;color:#555;font-size:14px}
@media (max-width:800px){.page{grid-template-columns:1fr}}
`;

/**
 * The demo pages' policy: the page's own style and the widget's injected one, by hash, with any style
 * of the page's own; the widget script; authors' portraits from any https: address.
 */
export const demoCsp = (...extraStyles: string[]) =>
  pageCsp([PAGE_STYLE, WIDGET_CSS, ...extraStyles.filter(Boolean)]).replace(
    "img-src 'self' data:",
    "img-src 'self' data: https:",
  );
const DEMO_CSP = demoCsp();

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => [...w][0]!.toUpperCase())
    .slice(0, 2)
    .join("");

const pageUrl = (slug: string) => `/live/${encodeURIComponent(slug)}`;

/** Under the article: who wrote it (portrait or initials, name, bio), its topics, related articles. */
export function afterArticle(page: PageData): string {
  const box = page.authors
    .map((a) => {
      const portrait =
        a.avatarUrl && /^https?:\/\//i.test(a.avatarUrl)
          ? `<img class="avatar" src="${escapeHtml(a.avatarUrl)}" alt="" width="56" height="56">`
          : `<span class="avatar" aria-hidden="true">${escapeHtml(initials(a.name))}</span>`;
      return `<div class="author">${portrait}<div><p class="author-name">${escapeHtml(a.name)}</p>${
        a.bio ? `<p class="author-bio">${escapeHtml(a.bio)}</p>` : ""
      }</div></div>`;
    })
    .join("\n");
  const tags = page.topics.length
    ? `<ul class="tags" aria-label="Topics">${page.topics.map((t) => `<li>${escapeHtml(t.name)}</li>`).join("")}</ul>`
    : "";
  const related = page.related.length
    ? `<section class="related"><h2>Related articles</h2><ul>${page.related
        .map(
          (r) =>
            `<li><a href="${pageUrl(r.slug)}">${escapeHtml(r.title)}</a>${
              r.standfirst ? `<p>${escapeHtml(r.standfirst)}</p>` : ""
            }</li>`,
        )
        .join("")}</ul></section>`
    : "";
  return `<section class="about" aria-label="About this article">
${box ? `<div class="authors">${box}</div>` : ""}
${tags}
${related}
</section>`;
}

/** The canonical link, description, Open Graph and Twitter card tags of an article page. */
export function socialMeta(page: PageData): string {
  const { seo, image, article } = page;
  const tags: [string, string, string][] = [
    ["property", "og:type", "article"],
    ["property", "og:site_name", page.siteName],
    ["property", "og:title", seo.metaTitle],
    ["property", "og:url", seo.canonicalUrl],
  ];
  if (seo.metaDescription) tags.push(["property", "og:description", seo.metaDescription]);
  if (article.publishedAt) tags.push(["property", "article:published_time", article.publishedAt.toISOString()]);
  tags.push(["property", "article:modified_time", article.updatedAt.toISOString()]);
  if (image) {
    tags.push(["property", "og:image", image.url], ["property", "og:image:type", image.type]);
    if (image.width) tags.push(["property", "og:image:width", String(image.width)]);
    if (image.height) tags.push(["property", "og:image:height", String(image.height)]);
    if (image.alt) tags.push(["property", "og:image:alt", image.alt]);
  }
  tags.push(["name", "twitter:card", image ? "summary_large_image" : "summary"]);
  tags.push(["name", "twitter:title", seo.metaTitle]);
  if (seo.metaDescription) tags.push(["name", "twitter:description", seo.metaDescription]);
  if (image) tags.push(["name", "twitter:image", image.url]);
  return [
    `<link rel="canonical" href="${escapeHtml(seo.canonicalUrl)}">`,
    ...(seo.metaDescription ? [`<meta name="description" content="${escapeHtml(seo.metaDescription)}">`] : []),
    ...tags.map(([attr, key, value]) => `<meta ${attr}="${key}" content="${escapeHtml(value)}">`),
  ].join("\n");
}

/** The lead image for readers without JavaScript (the widget shows it otherwise), with srcset and sizes. */
function leadFigure(image: Image, services: Services): string {
  const urls = services.image.urls;
  const caption = [image.caption, image.credit].filter(Boolean).join(" · ");
  return `<figure><img src="${escapeHtml(urls.rendition(image.key, 960, ImageFormat.JPEG))}" srcset="${escapeHtml(
    urls.srcset(image, ImageFormat.WEBP),
  )}" sizes="(max-width: 46rem) 100vw, 46rem" width="${image.width}" height="${image.height}" alt="${escapeHtml(
    image.alt ?? "",
  )}">${caption ? `<figcaption>${escapeHtml(caption)}</figcaption>` : ""}</figure>`;
}

function demoPage(page: PageData, topic: { slug: string; name: string } | null, lead = ""): string {
  const { article } = page;
  const slug = escapeHtml(article.slug);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(article.title)} · newsgraph live demo</title>
${socialMeta(page)}
<style>${PAGE_STYLE}</style>
<script type="application/ld+json">${scriptJson(structuredData(page))}</script>
</head>
<body>
<header class="masthead"><a href="${pageUrl(article.slug)}">The Harbour Courier</a><span>newsgraph live-blog widget demo</span></header>
<div class="page">
<main>
<div data-newsgraph-article="${slug}"><noscript><h1>${escapeHtml(article.title)}</h1>${lead}<p>Comments need JavaScript.</p></noscript></div>
${afterArticle(page)}
</main>
${topic ? `<aside><div data-newsgraph-topic="${escapeHtml(topic.slug)}" data-newsgraph-exclude="${escapeHtml(article.slug)}"></div></aside>` : "<aside></aside>"}
</div>
<footer>Embedded with <code>&lt;div data-newsgraph-article="${slug}"&gt;&lt;/div&gt;</code> and <code>&lt;script src="/widget/live-blog.js" async&gt;&lt;/script&gt;</code>.</footer>
<script src="/widget/live-blog.js" async></script>
</body>
</html>
`;
}

function notFound(): WidgetResponse {
  return {
    status: 404,
    type: "text/html; charset=utf-8",
    body: `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Not found · newsgraph live demo</title><style>${PAGE_STYLE}</style></head>
<body>
<header class="masthead"><a href="/graphql">The Harbour Courier</a><span>newsgraph live-blog widget demo</span></header>
<main class="page"><div><h1>Page not found</h1><p>There is no published article at this address.</p></div></main>
</body>
</html>
`,
    cacheControl: "no-store",
    csp: DEMO_CSP,
  };
}
