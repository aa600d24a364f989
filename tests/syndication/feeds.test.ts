/**
 * RSS 2.0, Atom and JSON Feed 1.1 of the front page, a topic and an author: parsed with a real
 * feed parser (rss-parser) and checked for order, dates, canonical links, escaping of hostile
 * titles, visibility, and conditional GETs (ETag, Last-Modified, 304).
 */
import Parser from "rss-parser";
import { loadConfig } from "../../src/config";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";
import { createArticle, createAuthor, createTopic, hoursAgo } from "../factories/content";

const SITE = "https://news.example/edition";
const syndication = (over: Record<string, string> = {}) =>
  loadConfig({ SITE_URL: SITE, ARTICLE_URL_PATTERN: "/{yyyy}/{mm}/{slug}", SITE_NAME: "The Courier", ...over })
    .syndication;

let server: TestServer;
// Loosely typed: items carry content:encoded, author and the extension fields asked for.
type ParsedItem = Record<string, any>;
const parser: { parseString(xml: string): Promise<{ title?: string; items: ParsedItem[] }> } = new Parser({
  customFields: { item: ["dc:creator", "media:content"] },
});
const HOSTILE = `<script>alert("x")</script> & ]]> Fish \u0007& chips`;
const HOSTILE_CLEAN = `<script>alert("x")</script> & ]]> Fish & chips`;
let topic: { slug: string };
let author: { slug: string };
const topicArticles: { slug: string; publishedAt: Date }[] = [];

beforeAll(async () => {
  server = await startTestServer({ syndication: syndication() });
  topic = await createTopic(server.db, { name: "Harbour & <Docks>" });
  author = await createAuthor(server.db, { name: "Ann O'Hara" });
  // 11 articles in the topic (ids and dates past 9 -> 10), one hostile, plus hidden ones.
  for (let i = 0; i < 11; i++) {
    const publishedAt = hoursAgo(11 - i + 0.5);
    const a = await createArticle(server.db, {
      title: i === 10 ? HOSTILE : `Topic story ${i}`,
      standfirst: i === 10 ? "Standfirst <b>bold</b> & more" : `Standfirst ${i}`,
      body: `Body ${i}`,
      publishedAt,
      topics: [topic.slug],
      authors: [author.slug],
    });
    topicArticles.unshift({ slug: a.slug, publishedAt });
  }
  await createArticle(server.db, { title: "A draft", status: "DRAFT", topics: [topic.slug], authors: [author.slug] });
  // (created now: the factory would date its last edit at the publication time, a day ahead)
  await createArticle(server.db, {
    title: "Scheduled",
    status: "SCHEDULED",
    topics: [topic.slug],
    createdAt: new Date(),
  });
  await createArticle(server.db, { title: "Archived", status: "ARCHIVED", topics: [topic.slug] });
});
afterAll(() => server?.stop());

const base = () => server.url.replace(/\/graphql$/, "");
const get = (path: string, headers: Record<string, string> = {}, method = "GET") =>
  fetch(base() + path, { headers, method });
const canonical = (slug: string, at: Date) =>
  `${SITE}/${at.getUTCFullYear()}/${String(at.getUTCMonth() + 1).padStart(2, "0")}/${slug}`;

/** What an HTML reader shows for Atom's type="html" text. */
const htmlToText = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");

describe("the front page", () => {
  test("RSS 2.0: the newest published articles, in order, with canonical links and dates", async () => {
    const res = await get("/feeds/rss.xml");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/rss+xml; charset=utf-8");
    const feed = await parser.parseString(await res.text());
    const expected = await server.db.query<{ slug: string; published_at: Date; updated_at: Date }>(
      "SELECT slug, published_at, updated_at FROM articles WHERE status = 'PUBLISHED' ORDER BY sort_at DESC, id DESC LIMIT 20",
    );
    expect(feed.title).toBe("The Courier");
    expect(feed.items).toHaveLength(20);
    expect(feed.items.map((i) => i.link)).toEqual(expected.map((r) => canonical(r.slug, r.published_at)));
    // RSS dates have a resolution of a second.
    expect(feed.items.map((i) => i.isoDate)).toEqual(
      expected.map((r) => new Date(Math.floor(r.published_at.getTime() / 1000) * 1000).toISOString()),
    );
    const [newest] = await server.db.query<{ body_html: string }>("SELECT body_html FROM articles WHERE slug = $1", [
      expected[0]!.slug,
    ]);
    expect(feed.items[0]!["content:encoded"]).toBe(newest!.body_html);
  });

  test("Atom: the same items, published and updated dates, authors and categories", async () => {
    const res = await get("/feeds/atom.xml");
    expect(res.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    const text = await res.text();
    const feed = await parser.parseString(text);
    const rss = await parser.parseString(await (await get("/feeds/rss.xml")).text());
    expect(feed.items.map((i) => i.link)).toEqual(rss.items.map((i) => i.link));
    const [newest] = await server.db.query<{ published_at: Date; updated_at: Date }>(
      "SELECT published_at, updated_at FROM articles WHERE status = 'PUBLISHED' ORDER BY sort_at DESC, id DESC LIMIT 1",
    );
    expect(feed.items[0]!.isoDate).toBe(newest!.published_at.toISOString());
    expect(text).toContain(`<link rel="self" href="${SITE}/feeds/atom.xml"/>`);
    expect(text).toContain(`<published>${newest!.published_at.toISOString()}</published>`);
    const topicFeed = await parser.parseString(await (await get(`/feeds/topics/${topic.slug}/atom.xml`)).text());
    expect(topicFeed.items[0]!.author).toBe("Ann O'Hara");
    expect(topicFeed.items[0]!.isoDate).toBe(topicArticles[0]!.publishedAt.toISOString());
  });

  test("JSON Feed 1.1: version, required fields and RFC 3339 dates", async () => {
    const res = await get("/feeds/feed.json");
    expect(res.headers.get("content-type")).toBe("application/feed+json; charset=utf-8");
    const feed = JSON.parse(await res.text());
    expect(feed.version).toBe("https://jsonfeed.org/version/1.1");
    expect(feed).toMatchObject({ title: "The Courier", home_page_url: `${SITE}/`, language: "en" });
    expect(feed.feed_url).toBe(`${SITE}/feeds/feed.json`);
    expect(feed.items).toHaveLength(20);
    for (const item of feed.items) {
      expect(typeof item.id).toBe("string");
      expect(typeof item.url).toBe("string");
      expect(typeof (item.content_html ?? item.content_text)).toBe("string");
      expect(item.date_published).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      expect(Array.isArray(item.authors)).toBe(true);
      expect(item.author).toBeUndefined();
    }
    const dates = feed.items.map((i: { date_published: string }) => i.date_published);
    expect([...dates].sort().reverse()).toEqual(dates);
  });
});

describe("topic and author feeds", () => {
  test("a topic's feed holds its published articles only, newest first", async () => {
    for (const file of ["rss.xml", "atom.xml"]) {
      const feed = await parser.parseString(await (await get(`/feeds/topics/${topic.slug}/${file}`)).text());
      expect(feed.items.map((i) => i.link)).toEqual(topicArticles.map((a) => canonical(a.slug, a.publishedAt)));
      expect(feed.title).toBe("Harbour & <Docks> · The Courier");
    }
    const json = JSON.parse(await (await get(`/feeds/topics/${topic.slug}/feed.json`)).text());
    expect(json.items.map((i: { url: string }) => i.url)).toEqual(
      topicArticles.map((a) => canonical(a.slug, a.publishedAt)),
    );
    expect(json.items[0].tags).toEqual(["Harbour & <Docks>"]);
  });

  test("an author's feed, with the byline as dc:creator in RSS", async () => {
    const feed = await parser.parseString(await (await get(`/feeds/authors/${author.slug}/rss.xml`)).text());
    expect(feed.items).toHaveLength(11);
    expect(feed.items[0]!["dc:creator"]).toBe("Ann O'Hara");
  });

  test("hostile titles stay text in every format, and the XML stays parseable", async () => {
    const rss = await parser.parseString(await (await get(`/feeds/topics/${topic.slug}/rss.xml`)).text());
    expect(rss.items[0]!.title).toBe(HOSTILE_CLEAN);
    expect(htmlToText(rss.items[0]!.content!)).toContain("Standfirst <b>bold</b> & more");
    expect(rss.items[0]!.content).not.toContain("<b>");
    const atomText = await (await get(`/feeds/topics/${topic.slug}/atom.xml`)).text();
    const atom = await parser.parseString(atomText);
    expect(htmlToText(atom.items[0]!.title!)).toBe(HOSTILE_CLEAN);
    expect(atom.items[0]!.title).not.toContain("<script>");
    const json = JSON.parse(await (await get(`/feeds/topics/${topic.slug}/feed.json`)).text());
    expect(json.items[0].title).toBe(HOSTILE);
    expect(json.items[0].summary).toBe("Standfirst <b>bold</b> & more");
  });

  test("an unknown topic or author is 404; other paths under /feeds/ too", async () => {
    for (const path of [
      "/feeds/topics/no-such-topic/rss.xml",
      "/feeds/authors/no-such-author/feed.json",
      "/feeds/topics/Bad%20Slug/rss.xml",
      "/feeds/rss.html",
      "/feeds/topics/x/y/rss.xml",
    ]) {
      const res = await get(path);
      expect([path, res.status]).toEqual([path, 404]);
      const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]!.extensions.code).toBe("NOT_FOUND");
    }
  });

  test("GET and HEAD only", async () => {
    const post = await get("/feeds/rss.xml", {}, "POST");
    expect([post.status, post.headers.get("allow")]).toEqual([405, "GET, HEAD"]);
    const head = await get("/feeds/rss.xml", {}, "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers.get("etag")).toBeTruthy();
    expect(await head.text()).toBe("");
  });
});

describe("conditional GET", () => {
  test("If-None-Match and If-Modified-Since answer 304; a change answers 200 with a new ETag", async () => {
    // A topic of its own: the change below must not reach the other tests' feeds, whatever their order.
    const own = await createTopic(server.db, { name: "Conditional" });
    const byline = await createAuthor(server.db, { name: "Con Ditional" });
    const articles: { slug: string; publishedAt: Date }[] = [];
    for (let i = 0; i < 3; i++) {
      const publishedAt = hoursAgo(3 - i);
      const { slug } = await createArticle(server.db, { publishedAt, topics: [own.slug], authors: [byline.slug] });
      articles.unshift({ slug, publishedAt });
    }
    const path = `/feeds/topics/${own.slug}/atom.xml`;
    const first = await get(path);
    const etag = first.headers.get("etag")!;
    const lastModified = first.headers.get("last-modified")!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(new Date(lastModified).getTime()).not.toBeNaN();
    expect(first.headers.get("cache-control")).toBe("public, max-age=60");

    const again = await get(path, { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("etag")).toBe(etag);
    expect((await get(path, { "if-none-match": `"other", W/${etag}` })).status).toBe(304);
    expect((await get(path, { "if-modified-since": lastModified })).status).toBe(304);
    expect((await get(path, { "if-none-match": '"other"' })).status).toBe(200);
    // If-None-Match wins over If-Modified-Since.
    expect((await get(path, { "if-none-match": '"other"', "if-modified-since": lastModified })).status).toBe(200);

    // Unpublishing the newest article: the feed changes, and Last-Modified moves on (never back).
    await server.db.query(
      "UPDATE articles SET status = 'DRAFT', published_at = NULL, updated_at = now() + interval '2 seconds' WHERE slug = $1",
      [articles[0]!.slug],
    );
    const changed = await get(path, { "if-none-match": etag, "if-modified-since": lastModified });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
    expect(new Date(changed.headers.get("last-modified")!) > new Date(lastModified)).toBe(true);
    expect((await get(path, { "if-modified-since": lastModified })).status).toBe(200);
    const feed = await parser.parseString(await changed.text());
    expect(feed.items.map((i) => i.link)).toEqual(articles.slice(1).map((a) => canonical(a.slug, a.publishedAt)));
  });
});

describe("FEED_CONTENT=summary", () => {
  let summary: TestServer;
  beforeAll(async () => {
    summary = await startTestServer({ syndication: syndication({ FEED_CONTENT: "summary", FEED_SIZE: "5" }) });
  });
  afterAll(() => summary?.stop());

  test("items carry the standfirst only, FEED_SIZE of them", async () => {
    const root = summary.url.replace(/\/graphql$/, "");
    const rssText = await (await fetch(`${root}/feeds/rss.xml`)).text();
    expect(rssText).not.toContain("content:encoded");
    const rss = await parser.parseString(rssText);
    expect(rss.items).toHaveLength(5);
    const atomText = await (await fetch(`${root}/feeds/atom.xml`)).text();
    expect(atomText).not.toContain("<content");
    expect(atomText).toContain("<summary");
    const json = JSON.parse(await (await fetch(`${root}/feeds/feed.json`)).text());
    expect(json.items).toHaveLength(5);
    for (const item of json.items) {
      expect(item.content_html).toBeUndefined();
      expect(typeof item.content_text).toBe("string");
    }
  });
});
