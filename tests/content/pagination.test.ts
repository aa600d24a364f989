/**
 * Relay connections with keyset cursors: page-size bounds, cursor validation,
 * complete walks of every list, ties, empty lists and inserts between pages.
 */
import { demoArticles } from "../../src/seed/demo-content";
import type { CreatedComment } from "../factories/content";
import { createArticle, createComment, createTopic, hoursAgo, publishedSlugs } from "../factories/content";
import { expectError, ok, unique, walk } from "../factories/graphql";
import type { ArticleIdsQueryVariables } from "../generated/graphql";
import {
  ArticleCommentsDocument,
  ArticleIdsDocument,
  AuthorArticleSlugsDocument,
  AuthorsDocument,
  CommentRepliesDocument,
  SearchFullDocument,
  TopicArticleSlugsDocument,
  TopicListDocument,
} from "../generated/graphql";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

let server: TestServer;
// Factories write straight to the database, past the writes that purge the response cache.
beforeAll(async () => {
  server = await startTestServer({ responseCache: false });
});

/**
 * The tests that add rows (ties, an empty topic, inserts between pages) do so on a second server of
 * their own, opened by the first of them to run: `server` keeps exactly the demo content, which the
 * other tests compare with. Each of them looks only at its own rows or at where they go.
 */
let writes: Promise<TestServer> | undefined;
const writable = () => (writes ??= startTestServer({ responseCache: false }));

afterAll(async () => {
  const second = writes;
  writes = undefined;
  await Promise.all([
    server?.stop(),
    second?.then(
      (s) => s.stop(),
      () => undefined,
    ),
  ]);
});

const newestFirst = [...demoArticles].sort((a, b) => a.hoursAgo - b.hoursAgo).map((a) => a.slug);
const THREAD = "electric-ferry-trial-inner-sound"; // 3 top-level comments, nested replies

const articlePage = async (vars: ArticleIdsQueryVariables, on: TestServer = server) =>
  ok(await on.request(ArticleIdsDocument, vars)).articles;
const slugsOf = (conn: { edges: { node: { slug: string } }[] }) => conn.edges.map((e) => e.node.slug);

describe("page size", () => {
  test("first defaults to 20", async () => {
    const conn = await articlePage({});
    expect(slugsOf(conn)).toEqual(newestFirst.slice(0, 20));
    expect(conn.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(conn.totalCount).toBe(25);
  });

  test("first: 0 gives no edges but still counts and knows there is more", async () => {
    const conn = await articlePage({ first: 0 });
    expect(conn.edges).toEqual([]);
    expect(conn.nodes).toEqual([]);
    expect(conn.pageInfo).toMatchObject({ hasNextPage: true, startCursor: null, endCursor: null });
    expect(conn.totalCount).toBe(25);
  });

  test("first: 100 is allowed", async () => {
    const conn = await articlePage({ first: 100 });
    expect(slugsOf(conn)).toEqual(newestFirst);
    expect(conn.pageInfo.hasNextPage).toBe(false);
    expect(conn.pageInfo.startCursor).toBe(conn.edges[0]!.cursor);
    expect(conn.pageInfo.endCursor).toBe(conn.edges[24]!.cursor);
  });

  test.each([101, 1000, -1])("first: %i is BAD_USER_INPUT naming first, on every connection", async (first) => {
    const threadComment = (await articleComments(1)).nodes[0]!;
    const responses = [
      await server.request(ArticleIdsDocument, { first }),
      await server.request(SearchFullDocument, { query: "ferry", first }),
      await server.request(AuthorsDocument, { first }),
      await server.request(TopicListDocument, { first }),
      await server.request(TopicArticleSlugsDocument, { slug: "climate", first }),
      await server.request(AuthorArticleSlugsDocument, { slug: "maya-okafor", first }),
      await server.request(ArticleCommentsDocument, { slug: THREAD, first }),
      await server.request(CommentRepliesDocument, { id: threadComment.id, first }),
    ];
    for (const res of responses) {
      expectError(res, "BAD_USER_INPUT", "first");
      expect(res.errors![0]!.extensions!.fields.first).toEqual(expect.any(String));
    }
  });
});

async function articleComments(first: number, after?: string | null) {
  return ok(await server.request(ArticleCommentsDocument, { slug: THREAD, first, after })).article!.comments;
}
const articleCommentsRaw = (after: string) =>
  server.request(ArticleCommentsDocument, { slug: THREAD, first: 1, after });

describe("cursors", () => {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

  test("malformed cursors are BAD_USER_INPUT naming after", async () => {
    const malformed = ["!!!", "abc", "", b64(["a"]), b64(["a", "not a date", 1]), b64({ a: 1 }), "x".repeat(600)];
    for (const after of malformed) {
      expectError(await server.request(ArticleIdsDocument, { after }), "BAD_USER_INPUT", "after");
      expectError(await server.request(SearchFullDocument, { query: "ferry", after }), "BAD_USER_INPUT", "after");
      expectError(await server.request(AuthorsDocument, { after }), "BAD_USER_INPUT", "after");
      expectError(await articleCommentsRaw(after), "BAD_USER_INPUT", "after");
    }
  });

  test("a cursor from another kind of list is BAD_USER_INPUT", async () => {
    const article = (await articlePage({ first: 1 })).edges[0]!.cursor;
    const author = ok(await server.request(AuthorsDocument, { first: 1 })).authors.edges[0]!.cursor;
    const topic = ok(await server.request(TopicListDocument, { first: 1 })).topics.edges[0]!.cursor;
    const search = ok(await server.request(SearchFullDocument, { query: "ferry", first: 1 })).search.edges[0]!.cursor;
    const comment = (await articleComments(1)).edges[0]!.cursor;

    for (const after of [author, topic, search, comment]) {
      expectError(await server.request(ArticleIdsDocument, { after }), "BAD_USER_INPUT", "after");
      expectError(await server.request(TopicArticleSlugsDocument, { slug: "climate", after }), "BAD_USER_INPUT");
    }
    for (const after of [article, author, topic, comment]) {
      expectError(await server.request(SearchFullDocument, { query: "ferry", after }), "BAD_USER_INPUT", "after");
    }
    for (const after of [article, topic, search, comment]) {
      expectError(await server.request(AuthorsDocument, { after }), "BAD_USER_INPUT", "after");
    }
    for (const after of [article, author, search, comment]) {
      expectError(await server.request(TopicListDocument, { after }), "BAD_USER_INPUT", "after");
    }
    for (const after of [article, author, topic, search]) {
      expectError(await articleCommentsRaw(after), "BAD_USER_INPUT", "after");
    }
  });
});

describe("walking every list page by page gives the full list once, in order", () => {
  test.each([1, 5, 24, 25, 26])("articles, %i per page, both orders", async (first) => {
    const all = await publishedSlugs(server.db);
    expect(all).toEqual(newestFirst);
    for (const orderBy of ["NEWEST_FIRST", "OLDEST_FIRST"] as const) {
      let pages = 0;
      const edges = await walk(async (after) => {
        const conn = await articlePage({ first, after, orderBy });
        expect(conn.pageInfo.hasPreviousPage).toBe(after !== null);
        expect(conn.totalCount).toBe(25);
        pages++;
        return { nodes: conn.edges, pageInfo: conn.pageInfo };
      });
      const slugs = edges.map((e) => e.node.slug);
      expect(slugs).toEqual(orderBy === "NEWEST_FIRST" ? all : [...all].reverse());
      expect(unique(edges.map((e) => e.cursor))).toBe(true);
      expect(pages).toBe(Math.max(1, Math.ceil(25 / first)));
    }
  });

  test("topic articles, author articles, comments, authors and topics", async () => {
    const climate = await walk(async (after) => {
      const res = ok(await server.request(TopicArticleSlugsDocument, { slug: "climate", first: 3, after }));
      return res.topic!.articles;
    });
    expect(climate.map((a) => a.slug)).toEqual(
      newestFirst.filter((s) => demoArticles.find((a) => a.slug === s)!.topics.includes("climate")),
    );

    const declan = await walk(async (after) => {
      const res = ok(await server.request(AuthorArticleSlugsDocument, { slug: "declan-shore", first: 2, after }));
      return res.author!.articles;
    });
    expect(declan.map((a) => a.slug)).toEqual(
      newestFirst.filter((s) => demoArticles.find((a) => a.slug === s)!.authors.includes("declan-shore")),
    );

    const comments = await walk((after) => articleComments(1, after));
    expect(comments.map((c) => c.authorName)).toEqual((await articleComments(100)).nodes.map((c) => c.authorName));
    expect(comments).toHaveLength(3);

    const authors = await walk(async (after) => {
      const res = ok(await server.request(AuthorsDocument, { first: 1, after }));
      return { nodes: res.authors.edges.map((e) => e.node.slug), pageInfo: res.authors.pageInfo };
    });
    const authorRows = await server.db.query<{ slug: string }>("SELECT slug FROM authors ORDER BY name, id");
    expect(authors).toEqual(authorRows.map((r) => r.slug));

    const topics = await walk(async (after) => {
      const res = ok(await server.request(TopicListDocument, { first: 3, after }));
      return { nodes: res.topics.edges.map((e) => e.node.name), pageInfo: res.topics.pageInfo };
    });
    expect(topics).toEqual(["Business", "City Hall", "Climate", "Culture", "Housing", "Science", "Sport", "Transport"]);
  });

  test("rows with equal sort keys are neither skipped nor repeated", async () => {
    const server = await writable();
    const topic = await createTopic(server.db, { name: "Zz ties" });
    const at = hoursAgo(5000);
    const tied: string[] = [];
    for (let i = 0; i < 5; i++) {
      tied.push((await createArticle(server.db, { topics: [topic.slug], publishedAt: at })).slug);
    }
    const byTopic = await walk(async (after) => {
      const res = ok(await server.request(TopicArticleSlugsDocument, { slug: topic.slug, first: 2, after }));
      return res.topic!.articles;
    });
    expect(byTopic.map((a) => a.slug)).toEqual([...tied].reverse()); // equal time: newest id first
    const filtered = await walk(async (after) => {
      const conn = await articlePage(
        {
          first: 2,
          after,
          filter: { topicSlugs: [topic.slug] },
          orderBy: "OLDEST_FIRST",
        },
        server,
      );
      return { nodes: slugsOf(conn), pageInfo: conn.pageInfo };
    });
    expect(filtered).toEqual(tied);

    const article = await createArticle(server.db, { publishedAt: hoursAgo(5000) });
    const when = hoursAgo(1);
    const top: CreatedComment[] = [];
    for (let i = 0; i < 5; i++) top.push(await createComment(server.db, { articleId: article.dbId, createdAt: when }));
    const replies: CreatedComment[] = [];
    for (let i = 0; i < 5; i++) {
      replies.push(
        await createComment(server.db, { articleId: article.dbId, parentId: top[0]!.dbId, createdAt: when }),
      );
    }
    const comments = await walk(async (after) => {
      const res = ok(await server.request(ArticleCommentsDocument, { slug: article.slug, first: 2, after }));
      return res.article!.comments;
    });
    expect(comments.map((c) => c.id)).toEqual(top.map((c) => c.id));
    const replyWalk = await walk(async (after) => {
      const res = ok(await server.request(CommentRepliesDocument, { id: top[0]!.id, first: 2, after })).node!;
      if (!("replies" in res)) throw new Error("expected a Comment");
      expect(res.replies.totalCount).toBe(5);
      return res.replies;
    });
    expect(replyWalk.map((c) => c.id)).toEqual(replies.map((c) => c.id));
  });
});

describe("empty lists", () => {
  test("have no edges, no cursors, no next page and a zero count", async () => {
    const server = await writable();
    const topic = await createTopic(server.db);
    const empty = { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null };
    const res = ok(await server.request(TopicArticleSlugsDocument, { slug: topic.slug }));
    expect(res.topic).toMatchObject({ articleCount: 0, articles: { totalCount: 0, nodes: [], pageInfo: empty } });
    const filtered = await articlePage({ filter: { topicSlugs: [topic.slug, "no-such-topic"] } }, server);
    expect(filtered).toMatchObject({ totalCount: 0, edges: [], nodes: [], pageInfo: empty });
    const search = ok(await server.request(SearchFullDocument, { query: "xylophonequark" })).search;
    expect(search).toMatchObject({ totalCount: 0, edges: [], pageInfo: empty });
    const noComments = ok(
      await server.request(ArticleCommentsDocument, { slug: "sea-level-rising-faster-at-harbour" }),
    );
    expect(noComments.article!.comments).toMatchObject({ totalCount: 0, nodes: [], pageInfo: empty });
    const lastPage = await articlePage({ first: 100 }, server);
    const afterLast = await articlePage({ after: lastPage.pageInfo.endCursor }, server);
    expect(afterLast).toMatchObject({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });
});

test("inserts between pages: no duplicate, no skipped row", async () => {
  const server = await writable();
  const before = await publishedSlugs(server.db);
  const page1 = await articlePage({ first: 5 }, server);
  expect(slugsOf(page1)).toEqual(before.slice(0, 5));

  const times = new Map(
    (await server.db.query<{ slug: string; published_at: Date }>("SELECT slug, published_at FROM articles")).map(
      (r) => [r.slug, r.published_at.getTime()],
    ),
  );
  const newer = await createArticle(server.db, { publishedAt: new Date(times.get(before[0]!)! + 60_000) });
  // Between the 6th and 7th rows: after page 1's cursor, inside page 2's range.
  const middle = (times.get(before[5]!)! + times.get(before[6]!)!) / 2;
  const older = await createArticle(server.db, { publishedAt: new Date(middle) });

  const rest = await walk(async (after) => {
    const conn = await articlePage({ first: 5, after: after ?? page1.pageInfo.endCursor }, server);
    return { nodes: slugsOf(conn), pageInfo: conn.pageInfo };
  });
  const seen = [...slugsOf(page1), ...rest];
  expect(unique(seen)).toBe(true);
  expect(seen).not.toContain(newer.slug); // newer than the cursor: it belongs to page 1 now
  expect(seen.filter((s) => s !== older.slug)).toEqual(before); // every pre-existing row, in order
  expect(seen.indexOf(older.slug)).toBe(6);
  const after = await publishedSlugs(server.db);
  expect(after.filter((s) => s !== newer.slug)).toEqual(seen);
  expect((await articlePage({ first: 0 }, server)).totalCount).toBe(before.length + 2);
});
