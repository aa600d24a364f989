import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { pageCsp } from "../http/web-security";
import type { Services } from "../modules/services";
import { WIDGET_CSS } from "./client/widget-css";

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
  // The article's first topic by name, as Article.topics lists them.
  const [[topic]] = await services.article.topics([article.dbId]);
  return {
    status: 200,
    type: "text/html; charset=utf-8",
    body: demoPage({ slug: article.slug, title: article.title, standfirst: article.standfirst }, topic ?? null),
    cacheControl: "no-cache",
    csp: DEMO_CSP,
  };
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c as "&" | "<" | ">" | '"' | "'"],
  );

const PAGE_STYLE = `
body{margin:0;font:17px/1.6 Georgia,"Times New Roman",serif;color:#1a1a1a;background:#fff}
.masthead{border-bottom:3px double #1a1a1a;padding:.75rem 1.5rem;display:flex;align-items:baseline;gap:1rem}
.masthead a{font:700 1.6rem/1 Georgia,serif;color:inherit;text-decoration:none}
.masthead span{font:13px/1.4 system-ui,sans-serif;color:#666}
.page{display:grid;grid-template-columns:minmax(0,46rem) minmax(0,18rem);gap:3rem;padding:1.5rem;max-width:70rem;margin:0 auto}
aside{font-size:15px;border-top:2px solid #1a1a1a;padding-top:.5rem}
footer{font:13px/1.5 system-ui,sans-serif;color:#666;border-top:1px solid #ddd;padding:1rem 1.5rem;max-width:70rem;margin:2rem auto 0}
code{font-size:12px;background:#f3f3f3;padding:.1rem .3rem}
@media (max-width:800px){.page{grid-template-columns:1fr}}
`;

/** The demo pages' policy: the page's own style and the widget's injected one, by hash; the widget script. */
const DEMO_CSP = pageCsp([PAGE_STYLE, WIDGET_CSS]);

function demoPage(
  article: { slug: string; title: string; standfirst: string | null },
  topic: { slug: string; name: string } | null,
): string {
  const slug = escapeHtml(article.slug);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(article.title)} · newsgraph live demo</title>
${article.standfirst ? `<meta name="description" content="${escapeHtml(article.standfirst)}">` : ""}
<style>${PAGE_STYLE}</style>
</head>
<body>
<header class="masthead"><a href="/live/${encodeURIComponent(article.slug)}">The Harbour Courier</a><span>newsgraph live-blog widget demo</span></header>
<div class="page">
<main>
<div data-newsgraph-article="${slug}"><noscript><h1>${escapeHtml(article.title)}</h1><p>Comments need JavaScript.</p></noscript></div>
</main>
${topic ? `<aside><div data-newsgraph-topic="${escapeHtml(topic.slug)}"></div></aside>` : "<aside></aside>"}
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
