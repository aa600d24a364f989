/** SITE_URL and ARTICLE_URL_PATTERN: validated at start, and the URLs built from them. */
import { ConfigError, loadConfig } from "../../src/config";
import { articleUrl } from "../../src/modules/syndication/syndication.urls";

const at = new Date("2026-01-09T23:59:00.000Z");
const url = (env: Record<string, string>, slug = "fish-and-chips") =>
  articleUrl(loadConfig(env).syndication, { dbId: 1234, slug, publishedAt: at });

test("defaults: the demo page on this server", () => {
  expect(url({})).toBe("http://localhost:4000/live/fish-and-chips");
});

test("a path under SITE_URL (a prefix kept, a trailing slash dropped), or an absolute pattern", () => {
  expect(url({ SITE_URL: "https://news.example/edition/", ARTICLE_URL_PATTERN: "/{yyyy}/{mm}/{dd}/{slug}" })).toBe(
    "https://news.example/edition/2026/01/09/fish-and-chips",
  );
  expect(url({ ARTICLE_URL_PATTERN: "https://www.example.org/a/{id}-{slug}.html" })).toBe(
    "https://www.example.org/a/1234-fish-and-chips.html",
  );
});

test.each([
  [{ SITE_URL: "ftp://news.example" }, "SITE_URL"],
  [{ SITE_URL: "https://news.example/?x=1" }, "SITE_URL"],
  [{ SITE_URL: "news.example" }, "SITE_URL"],
  [{ ARTICLE_URL_PATTERN: "/{yyyy}/{mm}" }, "ARTICLE_URL_PATTERN"],
  [{ ARTICLE_URL_PATTERN: "/{slug}/{hh}" }, "ARTICLE_URL_PATTERN"],
  [{ ARTICLE_URL_PATTERN: "articles/{slug}" }, "ARTICLE_URL_PATTERN"],
  [{ SITE_LANGUAGE: "English" }, "SITE_LANGUAGE"],
  [{ FEED_CONTENT: "excerpt" }, "FEED_CONTENT"],
  [{ FEED_SIZE: "101" }, "FEED_SIZE"],
  [{ SITEMAP_PAGE_SIZE: "50001" }, "SITEMAP_PAGE_SIZE"],
])("%j is refused naming %s", (env, name) => {
  expect(() => loadConfig(env)).toThrow(ConfigError);
  expect(() => loadConfig(env)).toThrow(name);
});
