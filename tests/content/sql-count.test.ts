/**
 * No N+1: the number of SQL statements a request costs does not grow with the
 * number of rows it returns. Counted as server.db.sql.total around one request;
 * requests here run one at a time, and the server runs with no background
 * statements (feed polling and the scheduler off) and no response cache (a hit
 * would cost nothing), so the difference is exactly what resolving it costs.
 */
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { demoAuthors, demoTopics } from "../../src/seed/demo-content";
import type { Created } from "../factories/content";
import { createArticle, createComment, globalId, hoursAgo } from "../factories/content";
import { ok } from "../factories/graphql";
import { ArticleThreadDocument, FrontPageDocument, TopicsDocument } from "../generated/graphql";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

let server: TestServer;
let quiet: Created; // one comment, one reply, one reply to that
let busy: Created; // 30 comments, each with 2 replies, each with a reply

beforeAll(async () => {
  server = await startTestServer({ responseCache: false, feedPollMs: 0, schedulerIntervalMs: 0 });
  const db = server.db;
  // 60 more published articles (87 in all, with the two below), with varied topics and bylines, older than the demo.
  for (let i = 0; i < 60; i++) {
    await createArticle(db, {
      publishedAt: hoursAgo(700 + i),
      topics: [demoTopics[i % 8]!.slug, demoTopics[(i * 3 + 1) % 8]!.slug],
      authors: [demoAuthors[i % 4]!.slug, demoAuthors[(i + 1) % 4]!.slug],
    });
  }
  const thread = async (article: Created, top: number, replies: number) => {
    for (let i = 0; i < top; i++) {
      const c = await createComment(db, { articleId: article.dbId, createdAt: hoursAgo(50 - i * 0.1) });
      for (let j = 0; j < replies; j++) {
        const r = await createComment(db, { articleId: article.dbId, parentId: c.dbId, createdAt: hoursAgo(40) });
        await createComment(db, { articleId: article.dbId, parentId: r.dbId, createdAt: hoursAgo(30) });
      }
    }
  };
  quiet = await createArticle(db, { topics: ["climate"], authors: ["maya-okafor"], publishedAt: hoursAgo(5000) });
  await thread(quiet, 1, 1);
  busy = await createArticle(db, { topics: ["climate"], authors: ["maya-okafor"], publishedAt: hoursAgo(5001) });
  await thread(busy, 30, 2);
});
afterAll(() => server?.stop());

/** Runs one request and returns its data and the statements it sent. */
async function measure<R, V>(doc: TypedDocumentNode<R, V>, variables: V): Promise<{ data: R; statements: number }> {
  const before = server.db.sql.total;
  const res = await server.request(doc, variables);
  const statements = server.db.sql.total - before;
  return { data: ok(res), statements };
}

/** Every article's byline (author names in byline order) and topic slugs, as the database holds them. */
async function relationsInDatabase() {
  const rows = await server.db.query<{ id: number; authors: string[]; topics: string[] }>(
    `SELECT a.id,
            ARRAY(SELECT au.name FROM article_authors x JOIN authors au ON au.id = x.author_id
                   WHERE x.article_id = a.id ORDER BY x.position) AS authors,
            ARRAY(SELECT t.slug FROM article_topics x JOIN topics t ON t.id = x.topic_id
                   WHERE x.article_id = a.id ORDER BY t.slug) AS topics
       FROM articles a`,
  );
  return new Map(rows.map((r) => [globalId("Article", r.id), { authors: r.authors, topics: r.topics }]));
}

test("the front page costs 7 statements for 1, 5 and 50 articles, as README says (6 for all 86)", async () => {
  const stored = await relationsInDatabase();
  const counts: number[] = [];
  for (const first of [1, 5, 50, 100]) {
    const { data, statements } = await measure(FrontPageDocument, { first });
    const nodes = data.articles.nodes;
    expect(nodes).toHaveLength(Math.min(first, 87));
    // The relations really were resolved, for every article: each exactly as stored.
    for (const a of nodes) {
      expect([a.slug, a.authors.map((x) => x.name), a.topics.map((t) => t.slug).sort()]).toEqual([
        a.slug,
        stored.get(a.id)!.authors,
        stored.get(a.id)!.topics,
      ]);
      expect(a.relatedArticles).toHaveLength(5);
      for (const r of a.relatedArticles) {
        expect([r.id, r.authors.map((x) => x.name)]).toEqual([r.id, stored.get(r.id)!.authors]);
      }
    }
    counts.push(statements);
  }
  // README, "Reads on a large archive": a front page with bylines, topics, related articles and comment counts is 7.
  // With every article on the page, the related articles' bylines are already loaded: one fewer is sent.
  expect(counts).toEqual([7, 7, 7, 6]);
});

test("the second page costs what the first costs", async () => {
  const first = await measure(FrontPageDocument, { first: 20 });
  const second = await measure(FrontPageDocument, { first: 20, after: first.data.articles.pageInfo.endCursor });
  expect(second.data.articles.nodes).toHaveLength(20);
  expect(second.statements).toBe(first.statements);
});

test("topics with nested articles and articleCount cost the same for 1, 3 and 8 topics", async () => {
  const counts: number[] = [];
  for (const first of [1, 3, 8]) {
    const { data, statements } = await measure(TopicsDocument, { first });
    expect(data.topics.nodes).toHaveLength(first);
    for (const t of data.topics.nodes) {
      expect(t.articleCount).toBeGreaterThan(2);
      expect(t.articles.nodes).toHaveLength(2);
    }
    counts.push(statements);
  }
  expect(counts).toEqual([counts[0], counts[0], counts[0]]);
});

test("an article page with comments and nested replies costs the same for 1 comment and 30", async () => {
  const vars = { first: 30, repliesFirst: 5 };
  const small = await measure(ArticleThreadDocument, { slug: quiet.slug, ...vars });
  const large = await measure(ArticleThreadDocument, { slug: busy.slug, ...vars });
  const threads = (d: typeof small.data) => d.article!.comments.nodes;
  expect(threads(small.data)).toHaveLength(1);
  expect(threads(large.data)).toHaveLength(30);
  for (const c of [...threads(small.data), ...threads(large.data)]) {
    expect(c.replies.totalCount).toBe(c.replies.nodes.length);
    for (const r of c.replies.nodes) expect(r.replies.nodes).toHaveLength(1);
  }
  for (const c of threads(large.data)) expect(c.replies.nodes).toHaveLength(2);
  expect(large.data.article!.commentCount).toBe(150);
  expect(small.data.article!.commentCount).toBe(3);
  expect(large.statements).toBe(small.statements);
});
