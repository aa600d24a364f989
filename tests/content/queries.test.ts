/**
 * Every query and field of the public read API, checked against the demo content.
 * This file inserts nothing, so the demo data is all there is.
 */
import { demoArticles, demoAuthors, demoTopics } from "../../src/seed/demo-content";
import { globalId } from "../factories/content";
import { expectError, ok } from "../factories/graphql";
import {
  ArticleByIdDocument,
  ArticleBySlugDocument,
  ArticleLookupDocument,
  ArticlePageDocument,
  AuthorPageDocument,
  AuthorsDocument,
  FrontPageDocument,
  NodeFullDocument,
  RelatedDefaultDocument,
  RelatedDocument,
  SearchDocument,
  TopicPageDocument,
  TopicsDocument,
  ViewerDocument,
} from "../generated/graphql";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const demo = (slug: string) => demoArticles.find((a) => a.slug === slug)!;
const newestFirst = [...demoArticles].sort((a, b) => a.hoursAgo - b.hoursAgo);
const byName = <T extends { name: string }>(xs: T[]) => [...xs].sort((a, b) => a.name.localeCompare(b.name));

/** Related articles by the contract: most shared topics, then newest; never itself, never unrelated. */
function expectedRelated(slug: string, first: number): string[] {
  const topics = new Set(demo(slug).topics);
  return newestFirst
    .filter((a) => a.slug !== slug)
    .map((a) => ({ slug: a.slug, shared: a.topics.filter((t) => topics.has(t)).length }))
    .filter((a) => a.shared > 0)
    .sort((a, b) => b.shared - a.shared) // stable: newest first within equal counts
    .slice(0, first)
    .map((a) => a.slug);
}

describe("article", () => {
  test("by slug returns every field with the demo values", async () => {
    const src = demo("ferry-fares-frozen-in-draft-budget");
    const a = ok(await server.request(ArticleBySlugDocument, { slug: src.slug })).article!;
    expect(a).toMatchObject({ slug: src.slug, title: src.title, standfirst: src.standfirst, body: src.body });
    expect(a.status).toBe("PUBLISHED");
    expect(a.commentsOpen).toBe(true);
    expect(a.authors.map((x) => x.slug)).toEqual(["maya-okafor", "declan-shore"]); // byline order
    expect(a.authors.map((x) => x.name)).toEqual(["Maya Okafor", "Declan Shore"]);
    expect(a.topics.map((t) => t.slug).sort()).toEqual(["city-hall", "transport"]);
    expect(a.commentCount).toBe(4);
    const hoursOld = (Date.now() - Date.parse(a.publishedAt!)) / 3_600_000;
    expect(hoursOld).toBeGreaterThan(2.9);
    expect(hoursOld).toBeLessThan(3.5);
    expect(Number.isNaN(Date.parse(a.updatedAt))).toBe(false);
    expect(a.wordCount).toBeGreaterThan(150);
    expect(a.wordCount).toBeLessThan(400);
    expect(a.readingTimeMinutes).toBe(Math.max(1, Math.ceil(a.wordCount / 230)));
  });

  test("bodyHtml is rendered, sanitised HTML", async () => {
    const a = ok(await server.request(ArticleBySlugDocument, { slug: "ferry-fares-frozen-in-draft-budget" })).article!;
    expect(a.bodyHtml).toContain("<p>");
    expect(a.bodyHtml).toMatch(/<h2>Where the money comes from<\/h2>/);
    expect(a.bodyHtml).toMatch(/<li>a 15% rise in on-street parking charges/);
    expect(a.bodyHtml).toContain("<em>an election budget</em>");
    expect(a.bodyHtml).toMatch(/<a href="https:\/\/example\.org\/port-averne\/budget-consultation"[^>]*>/);
    expect(a.bodyHtml).not.toMatch(/<script|<iframe|\son\w+=/i);
    expect(a.bodyHtml).not.toContain("## ");
  });

  test("by id gives the same article as by slug; the global id is opaque and round-trips", async () => {
    const bySlug = ok(await server.request(ArticleBySlugDocument, { slug: "harbour-flood-barrier-delayed-again" }));
    const id = bySlug.article!.id;
    expect(id).not.toMatch(/^\d+$/);
    const byId = ok(await server.request(ArticleByIdDocument, { id }));
    expect(byId.article).toEqual(bySlug.article);
  });

  test("unknown slug or id is null", async () => {
    expect(ok(await server.request(ArticleLookupDocument, { slug: "no-such-article" })).article).toBeNull();
    expect(ok(await server.request(ArticleLookupDocument, { id: globalId("Article", 999_999) })).article).toBeNull();
  });

  test("neither or both of id and slug, or an id of another type, is BAD_USER_INPUT", async () => {
    expectError(await server.request(ArticleLookupDocument, {}), "BAD_USER_INPUT");
    const { article } = ok(
      await server.request(ArticleLookupDocument, { slug: "harbour-flood-barrier-delayed-again" }),
    );
    expectError(
      await server.request(ArticleLookupDocument, { id: article!.id, slug: article!.slug }),
      "BAD_USER_INPUT",
    );
    const author = ok(await server.request(AuthorPageDocument, { slug: "maya-okafor", first: 1 })).author!;
    expectError(await server.request(ArticleLookupDocument, { id: author.id }), "BAD_USER_INPUT", "id");
    expectError(await server.request(ArticleLookupDocument, { id: "%%%" }), "BAD_USER_INPUT", "id");
  });

  test("commentCount counts every approved comment, replies included, for every article", async () => {
    const { articles } = ok(await server.request(FrontPageDocument, { first: 100 }));
    expect(articles.nodes).toHaveLength(demoArticles.length);
    for (const a of articles.nodes) expect([a.slug, a.commentCount]).toEqual([a.slug, demo(a.slug).comments.length]);
    const closed = articles.nodes.filter((a) => !a.commentsOpen).map((a) => a.slug);
    expect(closed.sort()).toEqual(["harbour-road-cycle-lane-approved", "library-hours-budget-consultation"]);
    // The schema's contract: reading time at 230 words a minute, rounded up, at least 1; of the stored word count.
    const words = new Map(
      (await server.db.query<{ slug: string; word_count: number }>("SELECT slug, word_count FROM articles")).map(
        (r) => [r.slug, r.word_count],
      ),
    );
    for (const a of articles.nodes) {
      expect([a.slug, a.wordCount, a.readingTimeMinutes]).toEqual([
        a.slug,
        words.get(a.slug),
        Math.max(1, Math.ceil(words.get(a.slug)! / 230)),
      ]);
    }
  });

  test("comments are top-level only, oldest first; replies nest under their parent", async () => {
    const res = await server.request(ArticlePageDocument, { slug: "mayoral-election-debate-housing-dominates" });
    const a = ok(res).article!;
    const { comments } = a;
    expect(comments.totalCount).toBe(3);
    expect(comments.nodes.map((c) => c.authorName)).toEqual(["Fiona Quayle", "Sam Ibekwe", "Alice Penrose"]);
    const times = comments.nodes.map((c) => Date.parse(c.createdAt));
    expect(times).toEqual([...times].sort((x, y) => x - y));
    for (const c of comments.nodes) {
      expect(c.parent).toBeNull();
      expect(c.article.id).toBe(a.id);
      expect(c.status).toBe("APPROVED");
    }
    const [first, second] = comments.nodes;
    expect(first!.replies.totalCount).toBe(1);
    const reply = first!.replies.nodes[0]!;
    expect(reply).toMatchObject({ authorName: "Darren Hext", parent: { id: first!.id }, article: { id: a.id } });
    expect(reply.replies.nodes.map((r) => [r.authorName, r.parent?.id])).toEqual([["Fiona Quayle", reply.id]]);
    expect(second!.replies.totalCount).toBe(0);
    // Plain text as submitted: the markup in this comment is returned verbatim, never interpreted.
    expect(second!.body).toBe(demo(a.slug).comments.find((c) => c.key === "c4")!.body);
    expect(second!.website).toBe("http://example.org/sam");
  });
});

describe("relatedArticles", () => {
  test.each(demoArticles.map((a) => a.slug))("%s: most shared topics, then newest, never itself", async (slug) => {
    const res = ok(await server.request(RelatedDocument, { slug, first: 20 }));
    const related = res.article!.relatedArticles;
    expect(related.map((r) => r.slug)).toEqual(expectedRelated(slug, 20));
    expect(related.map((r) => r.slug)).not.toContain(slug);
    for (const r of related) expect(r.status).toBe("PUBLISHED");
  });

  test("default is 5 and first is respected", async () => {
    const slug = "electric-ferry-trial-inner-sound";
    const def = ok(await server.request(RelatedDefaultDocument, { slug })).article!.relatedArticles;
    expect(def.map((r) => r.slug)).toEqual(expectedRelated(slug, 5));
    expect(def).toHaveLength(5);
    const two = ok(await server.request(RelatedDocument, { slug, first: 2 })).article!.relatedArticles;
    expect(two.map((r) => r.slug)).toEqual(expectedRelated(slug, 2));
    expect(ok(await server.request(RelatedDocument, { slug, first: 0 })).article!.relatedArticles).toEqual([]);
    expectError(await server.request(RelatedDocument, { slug, first: -1 }), "BAD_USER_INPUT", "first");
  });
});

describe("node", () => {
  test("resolves an article, an author, a topic and a comment by global id", async () => {
    const page = ok(await server.request(ArticlePageDocument, { slug: "averne-rovers-clinch-promotion" })).article!;
    const article = ok(await server.request(NodeFullDocument, { id: page.id })).node!;
    expect(article).toMatchObject({ __typename: "Article", id: page.id, slug: page.slug, commentCount: 4 });

    const authorId = page.authors[0]!.id;
    const author = ok(await server.request(NodeFullDocument, { id: authorId })).node!;
    const declan = demoAuthors.find((a) => a.slug === "declan-shore")!;
    expect(author).toMatchObject({ __typename: "Author", id: authorId, slug: declan.slug, name: declan.name });
    expect(author).toMatchObject({ bio: declan.bio, avatarUrl: null });

    const topicId = page.topics[0]!.id;
    const topic = ok(await server.request(NodeFullDocument, { id: topicId })).node!;
    const sport = demoTopics.find((t) => t.slug === "sport")!;
    expect(topic).toMatchObject({ __typename: "Topic", id: topicId, slug: "sport", description: sport.description });
    expect(topic).toMatchObject({ articleCount: demoArticles.filter((a) => a.topics.includes("sport")).length });

    // c2 -> c3 -> c4: a reply in the middle of a thread, with its article, parent and replies.
    const c2 = page.comments.nodes[1]!;
    const c3 = c2.replies.nodes[0]!;
    const comment = ok(await server.request(NodeFullDocument, { id: c3.id })).node!;
    if (comment.__typename !== "Comment") throw new Error(`expected a Comment, got ${comment.__typename}`);
    expect(comment).toMatchObject({ id: c3.id, authorName: c3.authorName, body: c3.body, commentStatus: "APPROVED" });
    expect(comment.article).toEqual({ id: page.id, slug: page.slug });
    expect(comment.parent).toEqual({ id: c2.id, body: c2.body });
    expect(comment.replies.totalCount).toBe(1);
    expect(comment.replies.nodes[0]!.parent).toEqual({ id: c3.id });
  });

  test("an id that does not exist is null, for each type", async () => {
    for (const type of ["Article", "Author", "Topic", "Comment"] as const) {
      expect(ok(await server.request(NodeFullDocument, { id: globalId(type, 987_654) })).node).toBeNull();
    }
  });

  test("a malformed id is BAD_USER_INPUT", async () => {
    const malformed = ["", "not an id", "123", Buffer.from("Widget:1").toString("base64url"), "QXJ0aWNsZTphYmM"];
    for (const id of malformed) expectError(await server.request(NodeFullDocument, { id }), "BAD_USER_INPUT", "id");
  });
});

describe("authors and topics", () => {
  test("author by slug, with its byline articles newest first; unknown slug is null", async () => {
    const res = ok(await server.request(AuthorPageDocument, { slug: "priya-raman", first: 100 })).author!;
    const src = demoAuthors.find((a) => a.slug === "priya-raman")!;
    expect(res).toMatchObject({ slug: src.slug, name: src.name, bio: src.bio, avatarUrl: null });
    const expected = newestFirst.filter((a) => a.authors.includes("priya-raman")).map((a) => a.slug);
    expect(res.articles.nodes.map((a) => a.slug)).toEqual(expected);
    expect(res.articles.totalCount).toBe(expected.length);
    for (const a of res.articles.nodes) expect(a.authors.map((x) => x.slug)).toContain("priya-raman");
    expect(ok(await server.request(AuthorPageDocument, { slug: "nobody" })).author).toBeNull();
  });

  test("authors lists everyone by name", async () => {
    // Embedded demo mode may add a "Demo Editor" to the four demo authors.
    const rows = await server.db.query<{ slug: string }>("SELECT slug FROM authors ORDER BY name, id");
    const { authors } = ok(await server.request(AuthorsDocument, {}));
    const slugs = authors.edges.map((e) => e.node.slug);
    expect(slugs).toEqual(rows.map((r) => r.slug));
    expect(slugs.filter((s) => demoAuthors.some((a) => a.slug === s))).toEqual(byName(demoAuthors).map((a) => a.slug));
    expect(authors.totalCount).toBe(rows.length);
    expect(authors.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    expect(authors.pageInfo.endCursor).toBe(authors.edges[rows.length - 1]!.cursor);
  });

  test("topic by slug, with articleCount and its articles newest first; unknown slug is null", async () => {
    const t = ok(await server.request(TopicPageDocument, { slug: "climate", first: 100 })).topic!;
    const src = demoTopics.find((x) => x.slug === "climate")!;
    expect(t).toMatchObject({ slug: "climate", name: src.name, description: src.description });
    const expected = newestFirst.filter((a) => a.topics.includes("climate")).map((a) => a.slug);
    expect(t.articles.nodes.map((a) => a.slug)).toEqual(expected);
    expect(t.articleCount).toBe(expected.length);
    expect(t.articles.totalCount).toBe(expected.length);
    expect(ok(await server.request(TopicPageDocument, { slug: "nothing" })).topic).toBeNull();
  });

  test("topics lists all by name, each with articleCount and its newest articles", async () => {
    const { topics } = ok(await server.request(TopicsDocument, {}));
    expect(topics.nodes.map((t) => t.name)).toEqual(byName(demoTopics).map((t) => t.name));
    expect(topics.totalCount).toBe(8);
    for (const t of topics.nodes) {
      const tagged = newestFirst.filter((a) => a.topics.includes(t.slug)).map((a) => a.slug);
      expect([t.slug, t.articleCount]).toEqual([t.slug, tagged.length]);
      expect(t.articles.nodes.map((a) => a.slug)).toEqual(tagged.slice(0, 2));
    }
  });
});

describe("articles, search and viewer", () => {
  test("articles lists published articles newest first, 20 by default", async () => {
    const { articles } = ok(await server.request(FrontPageDocument, {}));
    expect(articles.nodes.map((a) => a.slug)).toEqual(newestFirst.slice(0, 20).map((a) => a.slug));
    expect(articles.totalCount).toBe(25);
    expect(articles.pageInfo.hasNextPage).toBe(true);
    expect(articles.edges.map((e) => e.node.id)).toEqual(articles.nodes.map((a) => a.id));
    expect(articles.pageInfo.startCursor).toBe(articles.edges[0]!.cursor);
    expect(articles.pageInfo.endCursor).toBe(articles.edges[19]!.cursor);
  });

  test("search finds the best match first", async () => {
    const { search } = ok(await server.request(SearchDocument, { query: "flood barrier" }));
    expect(search.nodes[0]!.slug).toBe("harbour-flood-barrier-delayed-again");
    expect(search.totalCount).toBe(search.nodes.length);
    for (const n of search.nodes) expect(demoArticles.map((a) => a.slug)).toContain(n.slug);
  });

  test("viewer is null for anonymous callers, the token's author and role otherwise", async () => {
    expect(ok(await server.request(ViewerDocument)).viewer).toBeNull();
    const token = await server.token("priya-raman", "WRITER");
    const { viewer } = ok(await server.request(ViewerDocument, {}, { token }));
    expect(viewer).toMatchObject({ role: "WRITER", author: { slug: "priya-raman", name: "Priya Raman" } });
    expectError(await server.request(ViewerDocument, {}, { token: "ng_not-a-real-token" }), "UNAUTHENTICATED");
  });
});
