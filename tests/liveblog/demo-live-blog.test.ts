/**
 * The demo newsroom's running live blog: seeded with the rest of the demo, readable through
 * GraphQL like any other, and rendered on its demo page /live/SLUG.
 */
import { LiveAddDocument, LiveDemoArticleDocument, LiveEndDocument, LiveStartDocument } from "../generated/graphql";
import { demoLiveBlogs } from "../../src/seed/demo-content";
import { ok, publishedArticle } from "../support/feed-fixtures";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

let server: TestServer;
let editor: string;
const demo = demoLiveBlogs[0]!;

beforeAll(async () => {
  server = await startTestServer();
  editor = await server.token("demo-ld-editor", "EDITOR");
});
afterAll(() => server?.stop());

const article = async (slug = demo.article) => ok(await server.request(LiveDemoArticleDocument, { slug })).article!;

describe("the demo live blog", () => {
  test("is live, with 25+ entries over the last hours, three key events and one pinned", async () => {
    const a = await article();
    expect(a.isLive).toBe(true);
    expect(a.liveUntil).toBeNull();
    expect(a.liveEntries.totalCount).toBe(demo.entries.length);
    expect(a.liveEntries.totalCount).toBeGreaterThanOrEqual(25);
    expect(a.keyEvents.nodes).toHaveLength(3);
    expect(a.pinnedEntry).not.toBeNull();
    expect(a.liveEntries.nodes.filter((e) => e.isPinned).map((e) => e.id)).toEqual([a.pinnedEntry!.id]);

    const times = a.liveEntries.nodes.map((e) => Date.parse(e.publishedAt));
    expect([...times].sort((x, y) => y - x)).toEqual(times);
    const now = Date.now();
    expect(now - times[0]!).toBeLessThan(30 * 60_000);
    expect(now - times.at(-1)!).toBeGreaterThan(2 * 3_600_000);
    expect(Date.parse(a.liveSince!)).toBeLessThanOrEqual(times.at(-1)!);

    // Bylines of demo authors, titles on some, bodies rendered like article bodies.
    const names = new Set(a.liveEntries.nodes.flatMap((e) => e.authors.map((x) => x.slug)));
    expect([...names].every((s) => ["maya-okafor", "priya-raman", "declan-shore", "tomas-lindqvist"].includes(s))).toBe(
      true,
    );
    expect(names.size).toBeGreaterThan(1);
    const titled = a.liveEntries.nodes.filter((e) => e.title !== null).length;
    expect(titled).toBeGreaterThan(3);
    expect(titled).toBeLessThan(a.liveEntries.nodes.length);
    expect(a.pinnedEntry!.bodyHtml).toContain("<li>");
    expect(a.pinnedEntry!.editedAt).not.toBeNull();
  });
});

/** The page's HTML and its one JSON-LD block, parsed. */
async function demoPage(slug: string) {
  const res = await fetch(new URL(`/live/${slug}`, server.url));
  expect(res.status).toBe(200);
  const html = await res.text();
  const blocks = [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  expect(blocks).toHaveLength(1);
  return { html, ld: JSON.parse(blocks[0]!), raw: blocks[0]! };
}

const text = (html: string) =>
  html
    .replace(/<[^>]*>/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/\s+/g, " ")
    .trim();

describe("the demo page /live/SLUG", () => {
  test("carries a LiveBlogPosting that matches GraphQL: headline, coverage, the latest 10 entries", async () => {
    const a = await article();
    const { ld } = await demoPage(a.slug);
    expect(ld["@context"]).toBe("https://schema.org");
    expect(ld["@type"]).toBe("LiveBlogPosting");
    expect(ld.headline).toBe(a.title);
    expect(ld.coverageStartTime).toBe(a.liveSince);
    expect(ld).not.toHaveProperty("coverageEndTime");
    expect(ld.author).toEqual(a.authors.map((x) => ({ "@type": "Person", name: x.name })));
    const latest = a.liveEntries.nodes.slice(0, 10);
    expect(ld.liveBlogUpdate).toHaveLength(10);
    ld.liveBlogUpdate.forEach((u: Record<string, any>, i: number) => {
      const e = latest[i]!;
      expect(u["@type"]).toBe("BlogPosting");
      expect(u.datePublished).toBe(e.publishedAt);
      expect(u.dateModified).toBe(e.editedAt ?? e.publishedAt);
      expect(u.articleBody).toBe(text(e.bodyHtml));
      expect(u.articleBody).not.toMatch(/[<>]/);
      if (e.title) expect(u.headline).toBe(e.title);
      else expect(u.articleBody.startsWith(u.headline.replace(/…$/, ""))).toBe(true);
      expect(u.headline.length).toBeLessThanOrEqual(110);
      expect(u.author).toEqual(e.authors.map((x) => ({ "@type": "Person", name: x.name })));
    });
  });

  test("an author box, the topic tags, related articles; the sidebar hides the article being read", async () => {
    const a = await article();
    const { html } = await demoPage(a.slug);
    const about = html.slice(html.indexOf('<section class="about"'), html.indexOf("</main>"));
    expect(about).not.toBe("");
    for (const author of a.authors) {
      expect(about).toContain(`<p class="author-name">${author.name}</p>`);
      expect(text(about)).toContain(author.bio!);
    }
    // No portrait in the demo data: initials.
    expect(about).toContain('<span class="avatar" aria-hidden="true">MO</span>');
    expect([...about.matchAll(/<ul class="tags"[^>]*>(.*?)<\/ul>/g)].map((m) => text(m[1]!))).toEqual([
      a.topics.map((t) => t.name).join(" "),
    ]);
    expect(about).toContain("<h2>Related articles</h2>");
    const links = [...about.matchAll(/<li><a href="\/live\/([^"]+)">/g)].map((m) => m[1]);
    expect(links).toEqual(a.relatedArticles.map((r) => r.slug));
    expect(links).not.toContain(a.slug);
    // The sidebar's topic widget is told which article to leave out (tests/browser/live-blog.test.ts shows it does).
    expect(html).toContain(`data-newsgraph-exclude="${a.slug}"`);
  });

  test("a title or entry with </script> stays inside the JSON; an ended blog has coverageEndTime", async () => {
    const title = 'Budget </script><script>alert(1)</script> <!-- & "quotes"';
    const created = await publishedArticle(server, editor, { title });
    ok(await server.request(LiveStartDocument, { articleId: created.id }, { token: editor }));
    // Markdown keeps raw HTML as text (as in article bodies): the entry's text holds the tags literally.
    const entry = { articleId: created.id, title: "A </script> title", body: "Body with </SCRIPT> and <b>tags</b>." };
    ok(await server.request(LiveAddDocument, { input: entry }, { token: editor }));
    const ended = ok(await server.request(LiveEndDocument, { articleId: created.id }, { token: editor })).endLiveBlog;

    const { ld, raw, html } = await demoPage(created.slug);
    expect(raw).not.toMatch(/</);
    expect(ld.headline).toBe(title);
    expect(ld.coverageEndTime).toBe(ended.liveUntil);
    expect(ld.liveBlogUpdate).toEqual([
      expect.objectContaining({ headline: "A </script> title", articleBody: entry.body }),
    ]);
    expect(html).not.toContain("<script>alert(1)");
  });

  test("an article that never was a live blog carries a NewsArticle", async () => {
    const { ld } = await demoPage("ferry-fares-frozen-in-draft-budget");
    expect(ld).toMatchObject({ "@type": "NewsArticle", headline: expect.stringContaining("Ferry fares") });
    expect(ld).not.toHaveProperty("liveBlogUpdate");
  });
});
