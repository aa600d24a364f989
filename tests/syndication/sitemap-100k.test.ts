/**
 * The sitemaps of a 100,000-article archive: the page count and URL count, and memory. A page
 * streams in keyset batches, so the server's heap while it sends 50,000 URLs stays within a few
 * batches' worth, not the page's (measured after forced collections, not by timing).
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { XMLParser } from "fast-xml-parser";
import { loadConfig } from "../../src/config";
import { SITEMAP_BATCH } from "../../src/modules/syndication/syndication.service";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

jest.setTimeout(600_000);

const ARTICLES = 100_000;
const PAGE = 50_000;
let server: TestServer;
const xml = new XMLParser({ isArray: (name) => ["sitemap", "url"].includes(name) });

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

beforeAll(async () => {
  const syndication = loadConfig({ SITE_URL: "https://news.example", SITEMAP_PAGE_SIZE: String(PAGE) }).syndication;
  server = await startTestServer({ syndication, statementTimeoutMs: 0 });
  // Set-based: one statement per 25,000 rows, a minute apart going back from now.
  for (let from = 1; from <= ARTICLES; from += 25_000) {
    await server.db.query(
      `INSERT INTO articles (slug, title, body, body_html, status, published_at, created_at, updated_at, word_count)
       SELECT 'bulk-' || g, 'Bulk article ' || g, 'Body ' || g, '<p>Body ' || g || '</p>', 'PUBLISHED', t, t, t, 2
       FROM generate_series($1::int, $2::int) g, LATERAL (SELECT now() - g * interval '1 minute' AS t) d`,
      [from, Math.min(from + 24_999, ARTICLES)],
    );
  }
});
afterAll(() => server?.stop());

const get = (path: string) => fetch(server.url.replace(/\/graphql$/, "") + path);

test("the index and its pages cover the archive: page count and URL count", async () => {
  const [{ n, pages }] = await server.db.query<{ n: number; pages: number }>(
    `SELECT count(*)::int AS n, count(DISTINCT id / ${PAGE})::int AS pages FROM articles WHERE status = 'PUBLISHED'`,
  );
  expect(n).toBeGreaterThanOrEqual(ARTICLES);
  const index = xml.parse(await (await get("/sitemap.xml")).text());
  const locs: string[] = index.sitemapindex.sitemap.map((s: { loc: string }) => s.loc).slice(1);
  expect(locs).toHaveLength(pages);
  let urls = 0;
  for (const loc of locs) {
    const page = xml.parse(await (await get(new URL(loc).pathname)).text());
    expect(page.urlset.url.length).toBeLessThanOrEqual(PAGE);
    urls += page.urlset.url.length;
  }
  expect(urls).toBe(n);
});

test("the Google News sitemap stops at 1,000", async () => {
  const news = xml.parse(await (await get("/sitemaps/news.xml")).text());
  expect(news.urlset.url).toHaveLength(1000);
});

test("a page of 50,000 URLs streams in batches: the server's heap holds a few batches, not the page", async () => {
  const statements: string[] = [];
  let peak = -Infinity;
  let urls = 0;
  let bytes = 0;
  gc();
  const before = process.memoryUsage().heapUsed;
  await server.db.sql
    .capture(async () => {
      const res = await get("/sitemaps/articles-1.xml");
      const reader = res.body!.getReader();
      let tail = "";
      let chunks = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
        // Count URLs without keeping the text (the client is in this process too).
        const text = tail + Buffer.from(value).toString("utf8");
        urls += text.split("</url>").length - 1;
        tail = text.slice(text.lastIndexOf("</url>") + 6);
        if (++chunks % 16 === 0) {
          gc();
          peak = Math.max(peak, process.memoryUsage().heapUsed - before);
        }
      }
    })
    .then((s) => statements.push(...s));
  expect(urls).toBe(PAGE);
  const reads = statements.filter((s) => s.includes("FROM articles WHERE status = 'PUBLISHED' AND id >"));
  // One statement per batch (and one that finds the page's end), never the whole page at once.
  expect(reads.length).toBeGreaterThanOrEqual(PAGE / SITEMAP_BATCH);
  expect(reads.length).toBeLessThanOrEqual(PAGE / SITEMAP_BATCH + 1);
  // The page is ~4 MB of XML and 50,000 rows (~15 MB as objects); what stays alive is far less.
  expect(bytes).toBeGreaterThan(3_000_000);
  console.log(`sitemap page: ${bytes} bytes sent, peak retained heap growth ${(peak / 1e6).toFixed(1)} MB`);
  expect(peak).toBeLessThan(bytes / 2);
});
