/**
 * The sitemap index, its pages (id ranges of SITEMAP_PAGE_SIZE, published articles only) and the
 * Google News sitemap (the last 48 hours), parsed with fast-xml-parser.
 */
import { XMLParser } from "fast-xml-parser";
import { loadConfig } from "../../src/config";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";
import { createArticle, hoursAgo } from "../factories/content";

const SITE = "https://news.example";
let server: TestServer;
const xml = new XMLParser({ ignoreAttributes: false, isArray: (name) => ["sitemap", "url"].includes(name) });
const HOSTILE = `Fish & chips <script>alert(1)</script> ]]> "quoted" \u0001`;

beforeAll(async () => {
  const syndication = loadConfig({
    SITE_URL: SITE,
    SITEMAP_PAGE_SIZE: "100",
    SITE_NAME: "The Courier & Co",
  }).syndication;
  server = await startTestServer({ syndication });
  // Enough articles that ids run past 99 -> 100 and 199 -> 200: three or more pages of 100.
  for (let i = 0; i < 190; i++) {
    await createArticle(server.db, { title: i === 0 ? HOSTILE : `Story ${i}`, publishedAt: hoursAgo(30 + i) });
  }
  await createArticle(server.db, { title: "Hidden draft", status: "DRAFT" });
  await createArticle(server.db, { title: "Archived", status: "ARCHIVED", publishedAt: hoursAgo(2) });
  await createArticle(server.db, { title: "Old news", publishedAt: hoursAgo(49) });
});
afterAll(() => server?.stop());

const get = (path: string, method = "GET") => fetch(server.url.replace(/\/graphql$/, "") + path, { method });
const published = () =>
  server.db.query<{ id: number; slug: string; title: string; published_at: Date }>(
    "SELECT id, slug, title, published_at FROM articles WHERE status = 'PUBLISHED' ORDER BY id",
  );

test("the index lists the news sitemap and one page per id range that holds published articles", async () => {
  const res = await get("/sitemap.xml");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/xml; charset=utf-8");
  const doc = xml.parse(await res.text());
  const locs: string[] = doc.sitemapindex.sitemap.map((s: { loc: string }) => s.loc);
  const pages = [...new Set((await published()).map((r) => Math.floor(r.id / 100)))];
  expect(pages.length).toBeGreaterThanOrEqual(3);
  expect(locs).toEqual([`${SITE}/sitemaps/news.xml`, ...pages.map((p) => `${SITE}/sitemaps/articles-${p}.xml`)]);
  for (const s of doc.sitemapindex.sitemap.slice(1)) expect(new Date(s.lastmod).getTime()).not.toBeNaN();
});

test("the pages hold every published article once, at most SITEMAP_PAGE_SIZE each, with lastmod", async () => {
  const doc = xml.parse(await (await get("/sitemap.xml")).text());
  const seen: string[] = [];
  for (const s of doc.sitemapindex.sitemap.slice(1)) {
    const res = await get(new URL(s.loc).pathname);
    expect(res.status).toBe(200);
    const page = xml.parse(await res.text());
    expect(page.urlset["@_xmlns"]).toBe("http://www.sitemaps.org/schemas/sitemap/0.9");
    expect(page.urlset.url.length).toBeLessThanOrEqual(100);
    for (const u of page.urlset.url) {
      expect(new Date(u.lastmod).toISOString()).toBe(u.lastmod);
      seen.push(u.loc);
    }
  }
  const expected = (await published()).map((r) => `${SITE}/live/${r.slug}`);
  expect(seen).toEqual(expected);
});

test("an empty or unknown page is 404; HEAD sends no body; POST is 405", async () => {
  expect((await get("/sitemaps/articles-999.xml")).status).toBe(404);
  expect((await get("/sitemaps/other.xml")).status).toBe(404);
  const head = await get("/sitemaps/articles-1.xml", "HEAD");
  expect([head.status, await head.text()]).toEqual([200, ""]);
  expect((await get("/sitemap.xml", "POST")).status).toBe(405);
});

test("the Google News sitemap: published in the last 48 hours, newest first, with publication and title", async () => {
  const text = await (await get("/sitemaps/news.xml")).text();
  const doc = xml.parse(text);
  expect(doc.urlset["@_xmlns:news"]).toBe("http://www.google.com/schemas/sitemap-news/0.9");
  const since = Date.now() - 48 * 3_600_000;
  const expected = (await published())
    .filter((r) => r.published_at.getTime() > since)
    .sort((a, b) => b.published_at.getTime() - a.published_at.getTime() || b.id - a.id);
  expect(expected.length).toBeGreaterThan(10);
  expect(doc.urlset.url.map((u: { loc: string }) => u.loc)).toEqual(expected.map((r) => `${SITE}/live/${r.slug}`));
  for (const [i, u] of doc.urlset.url.entries()) {
    const news = u["news:news"];
    expect(news["news:publication"]).toEqual({ "news:name": "The Courier & Co", "news:language": "en" });
    expect(news["news:publication_date"]).toBe(expected[i]!.published_at.toISOString());
  }
  // The hostile title comes back as the text it was (less the control character XML cannot hold).
  const titles = doc.urlset.url.map((u: { "news:news": { "news:title": string } }) => u["news:news"]["news:title"]);
  expect(titles).toContain(HOSTILE.replace(" \u0001", ""));
  expect(titles).not.toContain("Old news");
  expect(titles).not.toContain("Archived");
  expect(text).not.toContain("<script>");
});
