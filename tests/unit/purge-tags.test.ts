/**
 * What each write purges from the response cache (src/cache/cache-tags.ts),
 * written out tag by tag: the entity, its slug answers, the lists and search
 * that may hold it, and its comment threads.
 */
import {
  articleEdited,
  articleVisibilityChanged,
  commentVisibilityChanged,
  liveBlogChanged,
  noPurge,
  purgeTagsFor,
  Tags,
} from "../../src/cache/cache-tags";

test("the tags, as strings", () => {
  expect(Tags.entity("Article", 7)).toBe("Article:7");
  expect(Tags.slug("a-slug")).toBe("slug:a-slug");
  expect(Tags.comments(7)).toBe("comments:7");
  expect([Tags.articleLists, Tags.search, Tags.authors, Tags.topics]).toEqual([
    "articles",
    "search",
    "authors",
    "topics",
  ]);
});

test("an article going live or down: itself, its slug, every list, search, its comments and its live blog", () => {
  expect(articleVisibilityChanged(7, "a-slug")).toEqual([
    "Article:7",
    "slug:a-slug",
    "articles",
    "search",
    "comments:7",
    "live:7",
  ]);
});

test("a published article edited: itself, each slug it had or has, search; the lists only when its links changed", () => {
  expect(articleEdited(7, ["old-slug", "new-slug"], false)).toEqual([
    "Article:7",
    "slug:old-slug",
    "slug:new-slug",
    "search",
  ]);
  expect(articleEdited(7, ["a-slug"], true)).toEqual(["Article:7", "slug:a-slug", "search", "articles"]);
  expect(articleEdited(7, [], false)).toEqual(["Article:7", "search"]);
});

test("a comment becoming public or not: its thread and itself", () => {
  expect(commentVisibilityChanged(7, 9)).toEqual(["comments:7", "Comment:9"]);
});

test("a live-blog entry changing: the blog's lists and the entry", () => {
  expect(liveBlogChanged(7, 11)).toEqual(["live:7", "LiveEntry:11"]);
});

test("a feed event from another instance purges what the write purged there", () => {
  expect(purgeTagsFor({ articleId: 7, commentId: 9, entryId: null, article: null })).toEqual(
    commentVisibilityChanged(7, 9),
  );
  expect(purgeTagsFor({ articleId: 7, commentId: 9, entryId: null, article: { slug: "a-slug" } })).toEqual([
    "comments:7",
    "Comment:9",
  ]);
  expect(purgeTagsFor({ articleId: 7, commentId: null, entryId: 11, article: { slug: "a-slug" } })).toEqual(
    liveBlogChanged(7, 11),
  );
  expect(purgeTagsFor({ articleId: 7, commentId: null, entryId: null, article: { slug: "a-slug" } })).toEqual(
    articleVisibilityChanged(7, "a-slug"),
  );
  // An article event whose article is gone (deleted since): everything but a slug.
  expect(purgeTagsFor({ articleId: 7, commentId: null, entryId: null, article: null })).toEqual([
    "Article:7",
    "articles",
    "search",
    "comments:7",
    "live:7",
  ]);
});

test("noPurge purges nothing and resolves", async () => {
  await expect(noPurge.purge(["Article:7"])).resolves.toBeUndefined();
});
