/**
 * Anonymous readers see published articles and approved comments only, through
 * every path. Hidden rows are inserted next to the demo content, sharing its
 * topics, authors and words, and an editor's token proves they are really there.
 */
import type { Created, CreatedComment } from "../factories/content";
import { createArticle, createComment, globalId, hoursAgo, idBySlug } from "../factories/content";
import { expectError, ok, walk } from "../factories/graphql";
import {
  ArticleBySlugDocument,
  ArticleCommentsDocument,
  ArticleIdsDocument,
  ArticleLookupDocument,
  AuthorArticleSlugsDocument,
  CommentRepliesDocument,
  NodeFullDocument,
  RelatedDocument,
  SearchFullDocument,
  TopicArticleSlugsDocument,
  TopicsDocument,
} from "../generated/graphql";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

let server: TestServer;
let editorToken: string;
let writerToken: string;
const hidden: Record<"DRAFT" | "SCHEDULED" | "ARCHIVED", Created> = {} as never;
let control: Created;
const HOST = "heatwave-warning-hottest-week-on-record"; // climate + science, Tomás Lindqvist
const hiddenComments: CreatedComment[] = [];
let approvedOnDraft: CreatedComment;
let approvedOnArchived: CreatedComment;
let hostFirstComment: { dbId: number; id: string };

beforeAll(async () => {
  server = await startTestServer();
  const db = server.db;
  editorToken = await server.token("maya-okafor", "EDITOR");
  writerToken = await server.token("priya-raman", "WRITER");
  // Each hidden article would be the newest, most related and best-matching one if it leaked.
  const shared = {
    topics: ["climate", "science"],
    authors: ["tomas-lindqvist"],
    title: "Quixplor heatwave: temperatures soar",
    body: "Quixplor quixplor heatwave heatwave temperatures.",
  };
  hidden.DRAFT = await createArticle(db, { ...shared, status: "DRAFT", createdAt: hoursAgo(0.01) });
  hidden.SCHEDULED = await createArticle(db, { ...shared, status: "SCHEDULED", publishedAt: hoursAgo(-48) });
  // Archived the way an unpublish does it: published first, then its status changed.
  hidden.ARCHIVED = await createArticle(db, { ...shared, status: "PUBLISHED", publishedAt: hoursAgo(0.02) });
  approvedOnArchived = await createComment(db, { articleId: hidden.ARCHIVED.dbId, body: "approved, on an archive" });
  await db.query("UPDATE articles SET status = 'ARCHIVED' WHERE id = $1", [hidden.ARCHIVED.dbId]);
  // A published twin, older than the demo articles, so searches and lists are not vacuous.
  control = await createArticle(db, { ...shared, title: "Quixplor archive piece", publishedAt: hoursAgo(2000) });

  const hostId = await idBySlug(db, "articles", HOST);
  const [first] = await db.query<{ id: number }>(
    "SELECT id FROM comments WHERE article_id = $1 AND parent_id IS NULL ORDER BY created_at, id LIMIT 1",
    [hostId],
  );
  hostFirstComment = { dbId: first!.id, id: globalId("Comment", first!.id) };
  for (const status of ["PENDING", "REJECTED", "SPAM"] as const) {
    hiddenComments.push(await createComment(db, { articleId: hostId, status, body: `hidden ${status} top-level` }));
    hiddenComments.push(
      await createComment(db, { articleId: hostId, parentId: first!.id, status, body: `hidden ${status} reply` }),
    );
  }
  approvedOnDraft = await createComment(db, { articleId: hidden.DRAFT.dbId, body: "approved, on a draft" });
});
afterAll(() => server?.stop());

const hiddenSlugs = () => Object.values(hidden).map((a) => a.slug);
const statuses = ["DRAFT", "SCHEDULED", "ARCHIVED"] as const;

test("the hidden rows exist: an editor sees them", async () => {
  for (const status of statuses) {
    const res = ok(await server.request(ArticleBySlugDocument, { slug: hidden[status].slug }, { token: editorToken }));
    expect(res.article).toMatchObject({ slug: hidden[status].slug, status });
  }
  for (const c of hiddenComments) {
    const res = ok(await server.request(NodeFullDocument, { id: c.id }, { token: editorToken }));
    expect(res.node).toMatchObject({ __typename: "Comment", body: c.body });
  }
  const drafts = ok(
    await server.request(ArticleIdsDocument, { first: 100, filter: { status: "DRAFT" } }, { token: editorToken }),
  );
  expect(drafts.articles.nodes.map((n) => n.slug)).toContain(hidden.DRAFT.slug);
});

describe.each(statuses)("a %s article, anonymously", (status) => {
  test("is null by slug, by id and by node", async () => {
    const a = hidden[status];
    expect(ok(await server.request(ArticleLookupDocument, { slug: a.slug })).article).toBeNull();
    expect(ok(await server.request(ArticleLookupDocument, { id: a.id })).article).toBeNull();
    expect(ok(await server.request(NodeFullDocument, { id: a.id })).node).toBeNull();
  });

  test("cannot be listed by status: UNAUTHENTICATED", async () => {
    const res = await server.request(ArticleIdsDocument, { filter: { status } });
    expectError(res, "UNAUTHENTICATED");
    expect(res.data?.articles ?? null).toBeNull();
  });
});

test("a writer sees only their own drafts, not others'", async () => {
  const res = ok(await server.request(ArticleLookupDocument, { slug: hidden.DRAFT.slug }, { token: writerToken }));
  expect(res.article).toBeNull();
  const drafts = ok(
    await server.request(ArticleIdsDocument, { first: 100, filter: { status: "DRAFT" } }, { token: writerToken }),
  );
  expect(drafts.articles.nodes.map((n) => n.slug)).not.toContain(hidden.DRAFT.slug);
});

test("articles lists published articles only, in every order and filter", async () => {
  for (const orderBy of ["NEWEST_FIRST", "OLDEST_FIRST"] as const) {
    for (const filter of [undefined, { status: "PUBLISHED" as const }, { topicSlugs: ["climate"] }]) {
      const nodes = await walk(async (after) => {
        const res = ok(await server.request(ArticleIdsDocument, { first: 7, after, orderBy, filter }));
        return { nodes: res.articles.edges.map((e) => e.node), pageInfo: res.articles.pageInfo };
      });
      expect(nodes.map((n) => n.slug)).toContain(control.slug);
      for (const s of hiddenSlugs()) expect(nodes.map((n) => n.slug)).not.toContain(s);
      for (const n of nodes) expect(n.status).toBe("PUBLISHED");
    }
  }
  const { articles } = ok(await server.request(ArticleIdsDocument, { first: 0 }));
  const [{ n }] = await server.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM articles WHERE status = 'PUBLISHED'",
  );
  expect(articles.totalCount).toBe(n);
});

test("search returns published matches only", async () => {
  const { search } = ok(await server.request(SearchFullDocument, { query: "quixplor", first: 100 }));
  expect(search.edges.map((e) => e.node.slug)).toEqual([control.slug]);
  expect(search.totalCount).toBe(1);
});

test("relatedArticles never include hidden articles", async () => {
  for (const slug of [HOST, "sea-level-rising-faster-at-harbour", control.slug]) {
    const { article } = ok(await server.request(RelatedDocument, { slug, first: 20 }));
    const related = article!.relatedArticles.map((r) => r.slug);
    expect(related.length).toBeGreaterThan(0);
    for (const s of hiddenSlugs()) expect(related).not.toContain(s);
    for (const r of article!.relatedArticles) expect(r.status).toBe("PUBLISHED");
  }
});

test("topic articles and articleCount count published articles only", async () => {
  for (const slug of ["climate", "science"]) {
    const nodes = await walk(async (after) => {
      const res = ok(await server.request(TopicArticleSlugsDocument, { slug, first: 4, after }));
      return res.topic!.articles;
    });
    const { topic } = ok(await server.request(TopicArticleSlugsDocument, { slug, first: 0 }));
    const slugs = nodes.map((n) => n.slug);
    expect(slugs).toContain(control.slug);
    for (const s of hiddenSlugs()) expect(slugs).not.toContain(s);
    expect(topic!.articleCount).toBe(slugs.length);
    expect(topic!.articles.totalCount).toBe(slugs.length);
  }
  const { topics } = ok(await server.request(TopicsDocument, { first: 100 }));
  const climate = topics.nodes.find((t) => t.slug === "climate")!;
  expect(climate.articles.nodes[0]!.slug).toBe(HOST);
  for (const t of topics.nodes) for (const n of t.articles.nodes) expect(hiddenSlugs()).not.toContain(n.slug);
});

test("author articles list published articles only", async () => {
  const nodes = await walk(async (after) => {
    const res = ok(await server.request(AuthorArticleSlugsDocument, { slug: "tomas-lindqvist", first: 3, after }));
    return res.author!.articles;
  });
  const slugs = nodes.map((n) => n.slug);
  expect(slugs).toContain(control.slug);
  for (const s of hiddenSlugs()) expect(slugs).not.toContain(s);
  const { author } = ok(await server.request(AuthorArticleSlugsDocument, { slug: "tomas-lindqvist", first: 0 }));
  expect(author!.articles.totalCount).toBe(slugs.length);
  const node = ok(
    await server.request(NodeFullDocument, {
      id: globalId("Author", await idBySlug(server.db, "authors", "tomas-lindqvist")),
    }),
  ).node!;
  if (node.__typename !== "Author") throw new Error("expected an Author");
  expect(node.articles.nodes.map((n) => n.slug)).toEqual(slugs);
});

test("comments, replies and commentCount show approved comments only", async () => {
  const { article } = ok(await server.request(ArticleCommentsDocument, { slug: HOST, first: 100 }));
  expect(article!.commentCount).toBe(3); // the demo's approved comments
  expect(article!.comments.totalCount).toBe(2);
  const bodies = article!.comments.nodes.flatMap((c) => [c.body, ...c.replies.nodes.map((r) => r.body)]);
  expect(bodies).toHaveLength(3);
  for (const c of hiddenComments) expect(bodies).not.toContain(c.body);
  for (const c of article!.comments.nodes) expect(c.status).toBe("APPROVED");

  const first = article!.comments.nodes.find((c) => c.id === hostFirstComment.id)!;
  expect(first.replies.totalCount).toBe(0);
  const replies = ok(await server.request(CommentRepliesDocument, { id: hostFirstComment.id, first: 100 })).node!;
  if (!("replies" in replies)) throw new Error("expected a Comment");
  expect(replies.replies.nodes).toEqual([]);
  expect(replies.replies.totalCount).toBe(0);
});

test("hidden comments, and approved comments of hidden articles, are null through node", async () => {
  for (const c of [...hiddenComments, approvedOnDraft, approvedOnArchived]) {
    expect(ok(await server.request(NodeFullDocument, { id: c.id })).node).toBeNull();
  }
  // The editor does see the approved comment, and its draft article.
  const res = ok(await server.request(NodeFullDocument, { id: approvedOnDraft.id }, { token: editorToken })).node!;
  expect(res).toMatchObject({ __typename: "Comment", article: { slug: hidden.DRAFT.slug } });
});
