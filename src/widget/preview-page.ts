import type { Services } from "../modules/services";
import { ArticleStatus } from "../modules/article/article.entity";
import { MAX_TOKEN_LENGTH } from "../modules/preview/preview-token";
import { PAGE_STYLE, afterArticle, demoCsp, escapeHtml, pageData } from "./widget-routes";

export interface PreviewPage {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/** The demo page of a preview link: `/preview/<token>` (what PREVIEW_URL points at by default). */
export const isPreviewPath = (pathname: string) => pathname.startsWith("/preview/");

const PREVIEW_STYLE = `
.preview-banner{position:sticky;top:0;z-index:10;background:#fff3cd;border-bottom:2px solid #b8860b;color:#5c4400;font:600 15px/1.4 system-ui,sans-serif;padding:.6rem 1.5rem}
.preview-banner strong{text-transform:uppercase;letter-spacing:.05em;margin-right:.5rem}
.standfirst{font-size:1.15rem;color:#444}
`;

/**
 * Never kept by a browser or a CDN (the link may be revoked any moment) and never indexed; the
 * referrer is already withheld everywhere (web-security.ts), so the token does not leak by a click.
 */
const HEADERS = {
  "cache-control": "private, no-store",
  "x-robots-tag": "noindex, nofollow",
  "content-security-policy": demoCsp(PREVIEW_STYLE),
};

const REASONS: Record<string, string> = {
  EXPIRED: "This preview link has expired.",
  REVOKED: "This preview link was revoked.",
  WITHDRAWN: "The article of this preview link was withdrawn.",
  INVALID: "This preview link is not valid.",
};

/**
 * The page a preview link opens: the article as readers will see it, server-rendered under a
 * "Preview" banner, with its byline, topics and related (published) articles; no comments or live
 * widget (a draft has neither). A bad link gets a page saying why: 404 for a text that is no token,
 * 403 for a forged, expired or revoked one.
 */
export async function previewPage(pathname: string, services: Services): Promise<PreviewPage | null> {
  const match = /^\/preview\/([^/]+)\/?$/.exec(pathname);
  if (!match) return null;
  const raw = match[1]!;
  if (raw.length > MAX_TOKEN_LENGTH) return refusal(404, REASONS.INVALID!);
  let result;
  try {
    result = await services.articlePreview.read(raw);
  } catch (error) {
    const ext = (error as { extensions?: { code?: string; reason?: string } }).extensions;
    if (ext?.code === "BAD_USER_INPUT") return refusal(404, REASONS.INVALID!);
    if (ext?.code === "FORBIDDEN") return refusal(403, REASONS[ext.reason ?? "INVALID"] ?? REASONS.INVALID!);
    throw error;
  }
  const { article, preview } = result;
  const [[text], { page }] = await Promise.all([
    services.article.texts([article.dbId]),
    pageData(services, article, false),
  ]);
  const state =
    article.status === ArticleStatus.PUBLISHED
      ? "This article is now published."
      : article.status === ArticleStatus.SCHEDULED && article.publishedAt
        ? `Scheduled for ${article.publishedAt.toISOString()}; not public yet.`
        : "A draft: not public yet.";
  const banner = `<div class="preview-banner" role="status" data-preview-status="${article.status}"><strong>Preview</strong>${escapeHtml(
    state,
  )} This link expires at <time datetime="${preview.expiresAt.toISOString()}">${preview.expiresAt.toISOString()}</time>.</div>`;
  const body = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>Preview: ${escapeHtml(article.title)} · newsgraph demo</title>
<style>${PAGE_STYLE}</style>
<style>${PREVIEW_STYLE}</style>
</head>
<body>
${banner}
<header class="masthead"><span>The Harbour Courier</span><span>newsgraph draft preview</span></header>
<div class="page">
<main>
<article>
<h1>${escapeHtml(article.title)}</h1>
${article.standfirst ? `<p class="standfirst">${escapeHtml(article.standfirst)}</p>` : ""}
<div class="article-body">${text?.bodyHtml ?? ""}</div>
</article>
${afterArticle(page)}
</main>
<aside></aside>
</div>
</body>
</html>
`;
  return { status: 200, body, headers: HEADERS };
}

function refusal(status: number, message: string): PreviewPage {
  return {
    status,
    headers: HEADERS,
    body: `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="robots" content="noindex, nofollow"><title>Preview unavailable · newsgraph demo</title><style>${PAGE_STYLE}</style></head>
<body>
<header class="masthead"><span>The Harbour Courier</span><span>newsgraph draft preview</span></header>
<main class="page"><div><h1>Preview unavailable</h1><p>${escapeHtml(message)}</p></div></main>
</body>
</html>
`,
  };
}
