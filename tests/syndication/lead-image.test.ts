/**
 * Feeds, Article.seo.ogImage, the demo page's Open Graph tags and its NewsArticle JSON-LD all
 * carry the article's lead image (src/modules/syndication/lead-image.ts feedImageOf): its JPEG
 * rendition at up to 1280 px, absolute under SITE_URL when image URLs are root-relative, with
 * its true size and alt; an article without one has none anywhere. The URL it gives is served.
 */
import Parser from "rss-parser";
import { loadConfig } from "../../src/config";
import { createArticle } from "../factories/content";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

const SITE = "http://127.0.0.1";
let server: TestServer;
let root: string;
const parser = new Parser({ customFields: { item: ["media:content"] } });

beforeAll(async () => {
  server = await startTestServer({ syndication: loadConfig({ SITE_URL: SITE }).syndication });
  root = server.url.replace(/\/graphql$/, "");
});
afterAll(async () => {
  await server?.stop();
});

async function gql(query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(server.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const json = (await res.json()) as { data?: any; errors?: unknown[] };
  expect(json.errors).toBeUndefined();
  return json.data;
}

const LEAD = "id slug seo { ogImage } leadImage { key: url(width: 1280, format: JPEG) width height alt }";

test("the front page feeds carry each article's lead image; the URL is served as a JPEG", async () => {
  const data = await gql(`{ articles(first: 20) { nodes { ${LEAD} } } }`);
  const withImage = data.articles.nodes.filter((a: any) => a.leadImage);
  expect(withImage.length).toBeGreaterThan(0);

  const rss = await parser.parseString(await (await fetch(`${root}/feeds/rss.xml`)).text());
  for (const article of withImage) {
    const item = rss.items.find((i) => i.link?.endsWith(`/${article.slug}`));
    if (!item) continue; // the feed holds FEED_SIZE items
    const expected = new URL(article.leadImage.key, `${SITE}/`).toString();
    expect(item.enclosure).toMatchObject({ url: expected, type: "image/jpeg" });
    expect(article.seo.ogImage).toBe(expected);
  }
  const json = (await (await fetch(`${root}/feeds/feed.json`)).json()) as { items: { url: string; image?: string }[] };
  const first = withImage[0];
  expect(json.items.find((i) => i.url.endsWith(`/${first.slug}`))?.image).toBe(first.seo.ogImage);

  // The enclosure's path is this server's rendition route.
  const path = new URL(first.seo.ogImage).pathname;
  const image = await fetch(`${root}${path}`);
  expect(image.status).toBe(200);
  expect(image.headers.get("content-type")).toBe("image/jpeg");
});

test("the demo page's og:image and JSON-LD image are the lead image; an article without one has neither", async () => {
  const data = await gql(`{ articles(first: 20) { nodes { ${LEAD} isLive } } }`);
  const article = data.articles.nodes.find((a: any) => a.leadImage && !a.isLive);
  const html = await (await fetch(`${root}/live/${article.slug}`)).text();
  expect(html).toContain(`<meta property="og:image" content="${article.seo.ogImage}">`);
  expect(html).toContain(`<meta name="twitter:card" content="summary_large_image">`);
  const ld = JSON.parse(html.match(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/)![1]!);
  expect(ld.image).toEqual([article.seo.ogImage]);

  const bare = await createArticle(server.db, { title: "No picture today" });
  const none = await gql(`query($slug: String!) { article(slug: $slug) { ${LEAD} } }`, { slug: bare.slug });
  expect(none.article.leadImage).toBeNull();
  expect(none.article.seo.ogImage).toBeNull();
  const page = await (await fetch(`${root}/live/${bare.slug}`)).text();
  expect(page).not.toContain('property="og:image"');
  const rss = await parser.parseString(await (await fetch(`${root}/feeds/rss.xml`)).text());
  const item = rss.items.find((i) => i.link?.endsWith(`/${bare.slug}`));
  expect(item).toBeDefined();
  expect(item!.enclosure).toBeUndefined();
});
