/**
 * Feeds built from data alone (src/modules/syndication/feed-render.ts renderFeed): an article with no
 * byline and no topics is a valid item in every format. The feed package's JSON Feed writer throws on
 * an item whose author list is empty, which answered /feeds/feed.json with a 500 as soon as one such
 * article was among the newest (found by a randomized run of tests/syndication/lead-image.test.ts).
 */
import { loadConfig } from "../../src/config";
import { Article } from "../../src/modules/article/article.entity";
import { Author } from "../../src/modules/author/author.entity";
import type { FeedFormat } from "../../src/modules/syndication/feed-render";
import { renderFeed } from "../../src/modules/syndication/feed-render";
import type { FeedData, FeedItemData } from "../../src/modules/syndication/syndication.service";

const config = loadConfig({ SITE_URL: "https://news.example" }).syndication;
const at = new Date("2026-03-09T10:00:00.000Z");

function item(id: number, slug: string, authors: Author[]): FeedItemData {
  const article = Object.assign(new Article(), {
    dbId: id,
    slug,
    title: `Title ${id}`,
    standfirst: null,
    publishedAt: at,
    updatedAt: at,
  });
  return { article, authors, topics: [], bodyHtml: null, image: null };
}

const byline = [Object.assign(new Author(), { dbId: 1, slug: "maya-okafor", name: "Maya Okafor" })];
const data: FeedData = {
  scope: { kind: "front" },
  owner: null,
  items: [item(2, "no-byline", []), item(1, "with-byline", byline)],
  lastModified: at,
};

test("JSON Feed: an item without a byline has no authors; one with a byline keeps it", async () => {
  const feed = JSON.parse(await renderFeed(config, data, "json")) as {
    items: { url: string; authors?: { name: string }[] }[];
  };
  expect(feed.items.map((i) => i.url)).toEqual([
    "https://news.example/live/no-byline",
    "https://news.example/live/with-byline",
  ]);
  expect(feed.items[0]).not.toHaveProperty("authors");
  expect(feed.items[1]!.authors).toEqual([{ name: "Maya Okafor" }]);
});

test.each<[FeedFormat, RegExp]>([
  ["rss", /<item>[\s\S]*no-byline[\s\S]*<\/item>/],
  ["atom", /<entry>[\s\S]*no-byline[\s\S]*<\/entry>/],
])("%s: an item without a byline is written", async (format, shape) => {
  const text = await renderFeed(config, data, format);
  expect(text).toMatch(shape);
  expect(text.match(/Maya Okafor/g)).toHaveLength(1);
});
