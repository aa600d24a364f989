import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SyndicationService } from "./syndication.service";
import type { FeedFormat } from "./feed-render";
import { FEED_TYPES, renderFeed } from "./feed-render";
import { streamNewsSitemap, streamSitemapIndex, streamSitemapPage } from "./sitemap";

const FORMATS: Record<string, FeedFormat> = { "rss.xml": "rss", "atom.xml": "atom", "feed.json": "json" };
const FEED_CACHE = "public, max-age=60";
const SITEMAP_CACHE = "public, max-age=300";
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

type Match =
  | { kind: "feed"; scope: Parameters<SyndicationService["feed"]>[0]; format: FeedFormat }
  | { kind: "index" }
  | { kind: "page"; page: number }
  | { kind: "news" }
  | { kind: "unknown" };

/** Which syndication route a path is, or null when it is none of them (another route's). */
function match(pathname: string): Match | null {
  if (pathname === "/sitemap.xml") return { kind: "index" };
  if (pathname === "/sitemaps/news.xml") return { kind: "news" };
  const page = /^\/sitemaps\/articles-(\d{1,9})\.xml$/.exec(pathname);
  if (page) return { kind: "page", page: Number(page[1]) };
  if (pathname.startsWith("/sitemaps/")) return { kind: "unknown" };
  if (!pathname.startsWith("/feeds/")) return null;
  const parts = pathname.slice("/feeds/".length).split("/");
  const format = FORMATS[parts[parts.length - 1]!];
  if (!format) return { kind: "unknown" };
  if (parts.length === 1) return { kind: "feed", scope: { kind: "front" }, format };
  if (parts.length === 3 && (parts[0] === "topics" || parts[0] === "authors") && SLUG.test(parts[1]!)) {
    const kind = parts[0] === "topics" ? "topic" : "author";
    return { kind: "feed", scope: { kind, slug: parts[1]! }, format };
  }
  return { kind: "unknown" };
}

/** An error the way every other route answers one (JSON, code, the request's id). */
function sendError(res: ServerResponse, status: number, code: string, message: string, headers = {}) {
  const requestId = res.getHeader("x-request-id");
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code, requestId } }] }));
}

/**
 * RSS, Atom and JSON Feed under /feeds/, the sitemap index and pages, and the Google News
 * sitemap. Answers GET and HEAD; returns false for paths that are not its own.
 */
export async function syndicationRoute(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  service: SyndicationService,
): Promise<boolean> {
  const route = match(pathname);
  if (!route) return false;
  if (route.kind === "unknown") {
    sendError(res, 404, "NOT_FOUND", "Not found");
    return true;
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    req.resume();
    sendError(res, 405, "BAD_REQUEST", `${req.method} is not allowed here; use GET, HEAD`, { allow: "GET, HEAD" });
    return true;
  }
  if (route.kind === "feed") {
    const data = await service.feed(route.scope);
    if (!data) {
      sendError(res, 404, "NOT_FOUND", `No ${route.scope.kind} with that slug`);
      return true;
    }
    const body = await renderFeed(service.config, data, route.format);
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;
    const headers: Record<string, string> = { etag, "cache-control": FEED_CACHE };
    if (data.lastModified) headers["last-modified"] = data.lastModified.toUTCString();
    if (notModified(req, etag, data.lastModified)) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    res.writeHead(200, { ...headers, "content-type": FEED_TYPES[route.format] });
    res.end(body);
    return true;
  }
  const writer = streamWriter(req, res);
  if (route.kind === "index") {
    res.writeHead(200, { "content-type": XML, "cache-control": SITEMAP_CACHE });
    await streamSitemapIndex(service, writer);
  } else if (route.kind === "news") {
    res.writeHead(200, { "content-type": XML, "cache-control": SITEMAP_CACHE });
    await streamNewsSitemap(service, writer);
  } else {
    // The first batch decides between 200 and 404 before anything is sent.
    let started = false;
    const count = await streamSitemapPage(service, route.page, writer, () => {
      started = true;
      res.writeHead(200, { "content-type": XML, "cache-control": SITEMAP_CACHE });
    });
    if (!started && count === 0) {
      sendError(res, 404, "NOT_FOUND", "No such sitemap page");
      return true;
    }
  }
  res.end();
  return true;
}

const XML = "application/xml; charset=utf-8";

/**
 * res.write that waits for 'drain' when the socket's buffer is full, so the stream's memory stays
 * bounded; false once the client has gone (or for HEAD): the reading stops.
 */
function streamWriter(req: IncomingMessage, res: ServerResponse) {
  return async (chunk: string): Promise<boolean> => {
    if (req.method === "HEAD" || res.destroyed) return false;
    if (res.write(chunk)) return true;
    await new Promise<void>((resolve) => {
      const done = () => {
        res.off("drain", done);
        res.off("close", done);
        resolve();
      };
      res.on("drain", done);
      res.on("close", done);
    });
    return !res.destroyed;
  };
}

/**
 * RFC 9110: If-None-Match wins over If-Modified-Since; a weak comparison of entity tags, "*"
 * matches any. Dates have a resolution of one second in HTTP.
 */
export function notModified(req: IncomingMessage, etag: string, lastModified: Date | null): boolean {
  const inm = req.headers["if-none-match"];
  if (inm !== undefined) {
    return inm
      .split(",")
      .map((t) => t.trim().replace(/^W\//, ""))
      .some((t) => t === "*" || t === etag);
  }
  const ims = req.headers["if-modified-since"];
  if (ims === undefined || lastModified === null) return false;
  const since = Date.parse(ims);
  return Number.isFinite(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
}
