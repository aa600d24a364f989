/**
 * Article.seo (canonical URL from the URL pattern, meta title and description with their
 * defaults and limits, the Open Graph image) and the demo page's head: canonical link, Open
 * Graph and Twitter tags, NewsArticle JSON-LD.
 */
import { loadConfig } from "../../src/config";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";
import { createArticle } from "../factories/content";

const SITE = "https://news.example";
let server: TestServer;
let editor: string;

beforeAll(async () => {
  const syndication = loadConfig({
    SITE_URL: SITE,
    ARTICLE_URL_PATTERN: "/{yyyy}/{mm}/{dd}/{slug}-{id}",
    SITE_NAME: "The Courier",
  }).syndication;
  server = await startTestServer({ syndication });
  editor = await server.token("seo-editor", "EDITOR");
});
afterAll(() => server?.stop());

const SEO = "seo { canonicalUrl metaTitle metaDescription ogImage }";
const gql = async (query: string, variables: Record<string, unknown> = {}, token?: string) =>
  (await server.post({ query, variables }, { token })).json;
const create = (input: Record<string, unknown>) =>
  gql(`mutation($in: CreateArticleInput!) { createArticle(input: $in) { id slug ${SEO} } }`, { in: input }, editor);
const update = (id: string, input: Record<string, unknown>) =>
  gql(
    `mutation($id: ID!, $in: UpdateArticleInput!) { updateArticle(id: $id, input: $in) { ${SEO} } }`,
    { id, in: input },
    editor,
  );
const articleCount = async () => (await server.db.query("SELECT count(*)::int AS n FROM articles"))[0].n as number;

test("defaults: the canonical URL from the pattern, the headline and standfirst, no image yet", async () => {
  const at = new Date("2026-03-04T23:30:00.000Z");
  const a = await createArticle(server.db, {
    title: "Bridge reopens",
    standfirst: "After two years.",
    publishedAt: at,
  });
  const { data } = await gql(`query($slug: String!) { article(slug: $slug) { ${SEO} } }`, { slug: a.slug });
  expect(data.article.seo).toEqual({
    canonicalUrl: `${SITE}/2026/03/04/${a.slug}-${a.dbId}`,
    metaTitle: "Bridge reopens",
    metaDescription: "After two years.",
    ogImage: null,
  });
});

test("metaTitle and metaDescription are set on create, changed and cleared on update", async () => {
  const created = await create({
    title: "Council agrees budget",
    standfirst: "A long night.",
    body: "Text.",
    metaTitle: "  Budget agreed: what it means for you  ",
    metaDescription: "Fares frozen, rents capped.",
  });
  expect(created.errors).toBeUndefined();
  const { id } = created.data.createArticle;
  expect(created.data.createArticle.seo).toMatchObject({
    metaTitle: "Budget agreed: what it means for you",
    metaDescription: "Fares frozen, rents capped.",
  });
  expect((await update(id, { metaTitle: "Budget: the details" })).data.updateArticle.seo).toMatchObject({
    metaTitle: "Budget: the details",
    metaDescription: "Fares frozen, rents capped.",
  });
  const cleared = await update(id, { metaTitle: null, metaDescription: "" });
  expect(cleared.data.updateArticle.seo).toMatchObject({
    metaTitle: "Council agrees budget",
    metaDescription: "A long night.",
  });
});

test("too long is BAD_USER_INPUT naming the field, and writes nothing", async () => {
  const before = await articleCount();
  const res = await create({ title: "T", body: "B", metaTitle: "x".repeat(121), metaDescription: "y".repeat(321) });
  expect(res.errors[0].extensions.code).toBe("BAD_USER_INPUT");
  expect(Object.keys(res.errors[0].extensions.fields).sort()).toEqual(["metaDescription", "metaTitle"]);
  expect(await articleCount()).toBe(before);
  // At the limit it is accepted.
  const ok = await create({ title: "T", body: "B", metaTitle: "x".repeat(120), metaDescription: "y".repeat(320) });
  expect(ok.errors).toBeUndefined();
  const { id } = ok.data.createArticle;
  const bad = await update(id, { metaDescription: "z".repeat(321), title: "New title" });
  expect(bad.errors[0].extensions.fields).toHaveProperty("metaDescription");
  const [row] = await server.db.query("SELECT title, meta_description FROM articles WHERE slug = $1", [
    ok.data.createArticle.slug,
  ]);
  expect(row).toEqual({ title: "T", meta_description: "y".repeat(320) });
});

test("the demo page: canonical link, Open Graph and Twitter tags, NewsArticle JSON-LD, escaped", async () => {
  const hostile = `</script><script>alert(1)</script> "Fish" & chips`;
  const a = await createArticle(server.db, {
    title: "Ferry strike ends",
    standfirst: "Crossings resume.",
    publishedAt: new Date("2026-05-06T07:00:00.000Z"),
  });
  await server.db.query("UPDATE articles SET meta_title = $1 WHERE id = $2", [hostile, a.dbId]);
  const res = await fetch(new URL(`/live/${a.slug}`, server.url));
  const html = await res.text();
  const canonical = `${SITE}/2026/05/06/${a.slug}-${a.dbId}`;
  const escaped = "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &quot;Fish&quot; &amp; chips";
  expect(html).toContain(`<link rel="canonical" href="${canonical}">`);
  expect(html).toContain(`<meta property="og:url" content="${canonical}">`);
  expect(html).toContain(`<meta property="og:title" content="${escaped}">`);
  expect(html).toContain(`<meta name="twitter:title" content="${escaped}">`);
  expect(html).toContain(`<meta property="og:description" content="Crossings resume.">`);
  expect(html).toContain(`<meta name="description" content="Crossings resume.">`);
  expect(html).toContain(`<meta name="twitter:card" content="summary">`);
  expect(html).toContain(`<meta property="og:site_name" content="The Courier">`);
  expect(html).not.toContain("og:image");
  expect(html).not.toContain("<script>alert");
  const [raw] = [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  const ld = JSON.parse(raw!);
  expect(ld).toMatchObject({
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    headline: "Ferry strike ends",
    description: "Crossings resume.",
    datePublished: "2026-05-06T07:00:00.000Z",
    url: canonical,
    mainEntityOfPage: { "@type": "WebPage", "@id": canonical },
    publisher: { "@type": "Organization", name: "The Courier" },
  });
});
