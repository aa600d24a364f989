/**
 * Exact invalidation: once a write has committed (and before its mutation answers),
 * no cached response that it changed is served again: the very next anonymous
 * request is a MISS with the new data, and the one after is a HIT again. Writes
 * that change nothing a cached response shows leave it a HIT. Every suite runs
 * against the in-process store and the shared Redis one.
 */
import { randomBytes } from "node:crypto";
import { print } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { ManualClock } from "../../src/shared/clock";
import { createArticle, createComment, createTopic, hoursAgo } from "../factories/content";
import {
  CacheAddCommentDocument,
  CacheArticleDocument,
  CacheArticleListDocument,
  CacheArticleTitleDocument,
  CacheCreateArticleDocument,
  CacheFrontPageDocument,
  CacheModerateCommentDocument,
  CacheNodeDocument,
  CachePublishArticleDocument,
  CacheSearchDocument,
  CacheTopicDocument,
  CacheUnpublishArticleDocument,
  CacheUpdateArticleDocument,
  type CacheAddCommentMutationVariables,
} from "../generated/graphql";
import type { TestServer, GraphQLResult } from "../support/server";
import { startTestServer } from "../support/server";
import type { Config } from "../../src/config";
import { dataOf, NO_RATE_LIMIT, PurgeWatch, STORES, unique, withForeignPurgeRetry, xCache } from "./cache-helpers";

/** A word no article contains: for searches whose answer only this file's writes change. */
const word = () => "zq" + [...randomBytes(8)].map((b) => String.fromCharCode(97 + (b % 26))).join("");

/** What each suite needs around its server. */
function harness(overrides: Partial<Config>, clock?: ManualClock) {
  const h = {} as {
    server: TestServer;
    watch: PurgeWatch;
    editor: string;
  };
  beforeAll(async () => {
    h.server = await startTestServer({ ...overrides, ...NO_RATE_LIMIT, feedPollMs: 0 }, clock ? { clock } : {});
    h.watch = new PurgeWatch(h.server);
    h.watch.track(h.server);
    h.editor = await h.server.token("cache-invalidation-editor", "EDITOR");
  });
  afterAll(async () => {
    await h.watch?.close();
    await h.server?.stop();
  });

  /** Per entry: the shared store's purge counter before the request that stored it. */
  const storedAt = new Map<string, number>();
  const entryKey = (doc: TypedDocumentNode<any, any>, vars: unknown) => print(doc) + JSON.stringify(vars);

  /** The first request must be a MISS; the next one (or, after another run's purge on the shared Redis, a later one) a HIT with the same data. */
  async function missThenHit<R, V>(doc: TypedDocumentNode<R, V>, vars: V): Promise<R> {
    const first = await h.server.request(doc, vars);
    expect(xCache(first)).toBe("MISS");
    const data = dataOf(first);
    await hit(doc, vars, data);
    return data;
  }

  /** The next request is a HIT (sending one more to store it first after a foreign purge) with `data`. */
  async function hit<R, V>(doc: TypedDocumentNode<R, V>, vars: V, data?: R): Promise<R> {
    let res!: GraphQLResult<R>;
    let attempt = 0;
    await withForeignPurgeRetry(h.watch, async () => {
      if (attempt++ > 0) await h.server.request(doc, vars);
      const before = h.server.db.sql.total;
      res = await h.server.request(doc, vars);
      if (xCache(res) !== "HIT") return false;
      expect(h.server.db.sql.total).toBe(before);
      return true;
    });
    if (data !== undefined) expect(res.data).toEqual(data);
    // The entry that answered was stored by the request before: note the purge counter before that one.
    storedAt.set(entryKey(doc, vars), h.watch.beforePreviousRequest ?? 0);
    return dataOf(res);
  }

  /**
   * After writes that must not have purged it: a HIT with the same data. A MISS is
   * tolerated only on the shared Redis when purges other than this test's own
   * (`own` since `since`, or since the entry was stored if earlier) happened, since
   * another run's purge may name our tags.
   */
  async function stillCached<R, V>(doc: TypedDocumentNode<R, V>, vars: V, data: R, since: number, own: number) {
    const res = await h.server.request(doc, vars);
    expect(res.data).toEqual(data);
    if (xCache(res) === "HIT") return;
    const purges = (await h.watch.epoch()) - Math.min(since, storedAt.get(entryKey(doc, vars)) ?? since);
    if (!(h.watch.shared && purges > own)) {
      throw new Error(`a write that changed nothing it shows purged a cached response (${purges} purge(s))`);
    }
  }

  async function publishNew(title: string, topicSlugs: string[] = ["transport"]) {
    const created = await h.server.request(
      CacheCreateArticleDocument,
      { input: { title, body: `${title}. The story in full.`, topicSlugs, authorSlugs: ["maya-okafor"] } },
      { token: h.editor },
    );
    const draft = dataOf(created).createArticle;
    const published = await h.server.request(CachePublishArticleDocument, { id: draft.id }, { token: h.editor });
    expect(dataOf(published).publishArticle.status).toBe("PUBLISHED");
    return draft;
  }

  let comments = 0;
  async function comment(articleId: string, extra: Partial<CacheAddCommentMutationVariables["input"]> = {}) {
    comments += 1;
    const body = `Comment ${comments} ${randomBytes(4).toString("hex")}`;
    const res = await h.server.request(CacheAddCommentDocument, {
      input: { articleId, authorName: "Reader", email: `reader${comments}@example.com`, body, ...extra },
    });
    return dataOf(res).addComment.comment;
  }

  async function moderate(id: string, status: "APPROVED" | "REJECTED" | "PENDING" | "SPAM") {
    const res = await h.server.request(CacheModerateCommentDocument, { id, status }, { token: h.editor });
    expect(dataOf(res).moderateComment.status).toBe(status);
  }

  return { h, missThenHit, hit, stillCached, publishNew, comment, moderate };
}

describe.each(STORES)("response cache, %s: exact invalidation", (_name, store) => {
  const clock = new ManualClock(new Date());
  const { h, missThenHit, hit, stillCached, publishNew, comment, moderate } = harness(store, clock);

  test("a newly published article is on the very next anonymous front page, topic page and search (MISS, then HIT)", async () => {
    const front = unique(CacheFrontPageDocument);
    const topic = unique(CacheTopicDocument);
    const search = unique(CacheSearchDocument);
    const term = word();
    const before = await missThenHit(front, { first: 20 });
    const transport = await missThenHit(topic, { slug: "transport", first: 20 });
    expect((await missThenHit(search, { query: term })).search.totalCount).toBe(0);

    const article = await publishNew(`Night ferry returns to the Inner Sound ${term}`);

    const after = await missThenHit(front, { first: 20 });
    expect(after.articles.nodes[0]!.slug).toBe(article.slug);
    expect(after.articles.totalCount).toBe(before.articles.totalCount + 1);
    const ids = (d: typeof before) => d.articles.nodes.map((n) => n.id);
    expect(ids(after).slice(1)).toEqual(ids(before).slice(0, 19));

    const topicAfter = await missThenHit(topic, { slug: "transport", first: 20 });
    expect(topicAfter.topic!.articles.nodes[0]!.slug).toBe(article.slug);
    expect(topicAfter.topic!.articleCount).toBe(transport.topic!.articleCount + 1);

    const found = await missThenHit(search, { query: term });
    expect(found.search.nodes.map((n) => n.slug)).toEqual([article.slug]);
  });

  test("an edited title shows at once in article(slug), node(id), the lists and searches that hold it; other pages stay cached", async () => {
    const term = word();
    const article = await publishNew(`Harbour toll review opens ${term}`);
    // A topic and an article that the edit does not touch.
    const quietTopic = await createTopic(h.server.db, { name: "Cache quiet topic" });
    const quiet = await createArticle(h.server.db, { topics: [quietTopic.slug], publishedAt: hoursAgo(30_000) });

    const page = unique(CacheArticleDocument);
    const title = unique(CacheArticleTitleDocument);
    const node = unique(CacheNodeDocument);
    const front = unique(CacheFrontPageDocument);
    const topic = unique(CacheTopicDocument);
    const search = unique(CacheSearchDocument);
    const quietPage = unique(CacheTopicDocument);
    const quietTitle = unique(CacheArticleTitleDocument);
    await missThenHit(page, { slug: article.slug });
    await missThenHit(title, { slug: article.slug });
    await missThenHit(node, { id: article.id });
    await missThenHit(front, { first: 20 });
    await missThenHit(topic, { slug: "transport", first: 20 });
    await missThenHit(search, { query: term });
    const quietTopicData = await missThenHit(quietPage, { slug: quietTopic.slug, first: 20 });
    const quietData = await missThenHit(quietTitle, { slug: quiet.slug });

    const since = await h.watch.epoch();
    const edited = await h.server.request(
      CacheUpdateArticleDocument,
      { id: article.id, input: { title: `Harbour toll review postponed ${term}` } },
      { token: h.editor },
    );
    expect(dataOf(edited).updateArticle.title).toBe(`Harbour toll review postponed ${term}`);
    const newTitle = `Harbour toll review postponed ${term}`;

    expect((await missThenHit(page, { slug: article.slug })).article!.title).toBe(newTitle);
    expect((await missThenHit(title, { slug: article.slug })).article!.title).toBe(newTitle);
    expect((await missThenHit(node, { id: article.id })).node).toMatchObject({ id: article.id, title: newTitle });
    const frontNodes = (await missThenHit(front, { first: 20 })).articles.nodes;
    expect(frontNodes.find((n) => n.id === article.id)!.title).toBe(newTitle);
    // It is also someone's related article on the front page: those show the new title too.
    for (const n of frontNodes) {
      for (const r of n.relatedArticles) if (r.id === article.id) expect(r.title).toBe(newTitle);
    }
    const topicNodes = (await missThenHit(topic, { slug: "transport", first: 20 })).topic!.articles.nodes;
    expect(topicNodes.find((n) => n.id === article.id)!.title).toBe(newTitle);
    expect((await missThenHit(search, { query: term })).search.nodes.map((n) => n.title)).toEqual([newTitle]);

    // A title edit changes no list's membership: a topic page without the article, and another article, stay HITs.
    await stillCached(quietPage, { slug: quietTopic.slug, first: 20 }, quietTopicData, since, 1);
    await stillCached(quietTitle, { slug: quiet.slug }, quietData, since, 1);
  });

  test("a new slug: the old one answers null at once, the new one the article", async () => {
    const article = await publishNew("Quay market moves indoors for winter");
    const doc = unique(CacheArticleTitleDocument);
    const newSlug = `${article.slug}-indoors`;
    await missThenHit(doc, { slug: article.slug });
    expect((await missThenHit(doc, { slug: newSlug })).article).toBeNull();
    await h.server.request(
      CacheUpdateArticleDocument,
      { id: article.id, input: { slug: newSlug } },
      { token: h.editor },
    );
    expect((await missThenHit(doc, { slug: article.slug })).article).toBeNull();
    expect((await missThenHit(doc, { slug: newSlug })).article!.id).toBe(article.id);
  });

  test("an unpublished article is gone at once from cached lists, searches, article(slug) and node(id)", async () => {
    const term = word();
    const article = await publishNew(`Ferry timetable leak ${term}`);
    const front = unique(CacheFrontPageDocument);
    const topic = unique(CacheTopicDocument);
    const search = unique(CacheSearchDocument);
    const page = unique(CacheArticleDocument);
    const node = unique(CacheNodeDocument);
    const before = await missThenHit(front, { first: 20 });
    expect(before.articles.nodes[0]!.id).toBe(article.id);
    await missThenHit(topic, { slug: "transport", first: 20 });
    expect((await missThenHit(search, { query: term })).search.totalCount).toBe(1);
    expect((await missThenHit(page, { slug: article.slug })).article!.id).toBe(article.id);
    expect((await missThenHit(node, { id: article.id })).node).not.toBeNull();

    const res = await h.server.request(CacheUnpublishArticleDocument, { id: article.id }, { token: h.editor });
    expect(dataOf(res).unpublishArticle.status).toBe("DRAFT");

    const after = await missThenHit(front, { first: 20 });
    expect(after.articles.nodes.map((n) => n.id)).not.toContain(article.id);
    expect(after.articles.totalCount).toBe(before.articles.totalCount - 1);
    for (const n of after.articles.nodes) expect(n.relatedArticles.map((r) => r.id)).not.toContain(article.id);
    const topicAfter = await missThenHit(topic, { slug: "transport", first: 20 });
    expect(topicAfter.topic!.articles.nodes.map((n) => n.id)).not.toContain(article.id);
    expect((await missThenHit(search, { query: term })).search.totalCount).toBe(0);
    expect((await missThenHit(page, { slug: article.slug })).article).toBeNull();
    expect((await missThenHit(node, { id: article.id })).node).toBeNull();
  });

  test("article(slug) and node(id) cached as null for a draft answer the article as soon as it is published", async () => {
    const created = await h.server.request(
      CacheCreateArticleDocument,
      { input: { title: "Council publishes harbour audit", body: "The audit, in full.", topicSlugs: ["city-hall"] } },
      { token: h.editor },
    );
    const draft = dataOf(created).createArticle;
    const page = unique(CacheArticleDocument);
    const node = unique(CacheNodeDocument);
    const missing = await missThenHit(page, { slug: draft.slug });
    expect(missing.article).toBeNull();
    const noNode = await missThenHit(node, { id: draft.id });
    expect(noNode.node).toBeNull();

    // Editing a draft changes nothing anonymous readers see: still cached.
    const since = await h.watch.epoch();
    await h.server.request(
      CacheUpdateArticleDocument,
      { id: draft.id, input: { title: "Council publishes audit" } },
      {
        token: h.editor,
      },
    );
    await stillCached(page, { slug: draft.slug }, missing, since, 0);
    await stillCached(node, { id: draft.id }, noNode, since, 0);

    await h.server.request(CachePublishArticleDocument, { id: draft.id }, { token: h.editor });
    const live = await missThenHit(page, { slug: draft.slug });
    expect(live.article).toMatchObject({ id: draft.id, title: "Council publishes audit", status: "PUBLISHED" });
    expect((await missThenHit(node, { id: draft.id })).node).toMatchObject({ id: draft.id });
  });

  test("scheduled publishing: nothing changes when it is scheduled; the scheduler's run purges like a publish", async () => {
    const term = word();
    const created = await h.server.request(
      CacheCreateArticleDocument,
      { input: { title: `Sea wall works begin ${term}`, body: "Works.", topicSlugs: ["climate"] } },
      { token: h.editor },
    );
    const draft = dataOf(created).createArticle;
    const front = unique(CacheFrontPageDocument);
    const page = unique(CacheArticleTitleDocument);
    const search = unique(CacheSearchDocument);
    const frontBefore = await missThenHit(front, { first: 20 });
    const missing = await missThenHit(page, { slug: draft.slug });
    expect(missing.article).toBeNull();
    await missThenHit(search, { query: term });

    const since = await h.watch.epoch();
    const at = new Date(clock.now().getTime() + 3_600_000).toISOString();
    const scheduled = await h.server.request(CachePublishArticleDocument, { id: draft.id, at }, { token: h.editor });
    expect(dataOf(scheduled).publishArticle.status).toBe("SCHEDULED");
    await stillCached(front, { first: 20 }, frontBefore, since, 0);
    await stillCached(page, { slug: draft.slug }, missing, since, 0);

    clock.advance(30 * 60_000);
    expect(await h.server.services.scheduler.runDue()).toBe(0);
    await stillCached(page, { slug: draft.slug }, missing, since, 0);

    clock.advance(31 * 60_000);
    expect(await h.server.services.scheduler.runDue()).toBe(1);
    const frontAfter = await missThenHit(front, { first: 20 });
    expect(frontAfter.articles.nodes[0]!.id).toBe(draft.id);
    expect(frontAfter.articles.totalCount).toBe(frontBefore.articles.totalCount + 1);
    expect((await missThenHit(page, { slug: draft.slug })).article!.id).toBe(draft.id);
    expect((await missThenHit(search, { query: term })).search.nodes.map((n) => n.id)).toEqual([draft.id]);
  });

  test("a comment made public (post moderation) refreshes that article's cached comments and counts at once, and nothing else", async () => {
    const a = await publishNew("Lifeboat crew honoured");
    const b = await publishNew("Lighthouse keeper retires");
    const pageA = unique(CacheArticleDocument);
    const pageB = unique(CacheArticleDocument);
    const front = unique(CacheFrontPageDocument);
    const list = unique(CacheArticleListDocument);
    const beforeA = await missThenHit(pageA, { slug: a.slug });
    expect(beforeA.article!.commentCount).toBe(0);
    const dataB = await missThenHit(pageB, { slug: b.slug });
    await missThenHit(front, { first: 20 });
    const listData = await missThenHit(list, { first: 20 });

    const since = await h.watch.epoch();
    const posted = await comment(a.id);
    expect(posted.status).toBe("APPROVED");

    const afterA = await missThenHit(pageA, { slug: a.slug });
    expect(afterA.article!.commentCount).toBe(1);
    expect(afterA.article!.comments.totalCount).toBe(1);
    expect(afterA.article!.comments.nodes.map((c) => c.body)).toEqual([posted.body]);
    // The front page shows comment counts: it is refreshed too.
    const frontAfter = await missThenHit(front, { first: 20 });
    expect(frontAfter.articles.nodes.find((n) => n.id === a.id)!.commentCount).toBe(1);
    // Exact: another article's page, and a list without counts, are still HITs.
    await stillCached(pageB, { slug: b.slug }, dataB, since, 1);
    await stillCached(list, { first: 20 }, listData, since, 1);

    // A reply: the thread shows it at once.
    const reply = await comment(a.id, { parentId: posted.id });
    const withReply = await missThenHit(pageA, { slug: a.slug });
    expect(withReply.article!.commentCount).toBe(2);
    expect(withReply.article!.comments.nodes[0]!.replies.nodes.map((r) => r.body)).toEqual([reply.body]);
  });

  test("a held comment changes nothing; approved it appears at once; rejected it disappears at once", async () => {
    const article = await publishNew("Rowing regatta moved to Sunday");
    const page = unique(CacheArticleDocument);
    const node = unique(CacheNodeDocument);
    const visible = await comment(article.id);
    const empty = await missThenHit(page, { slug: article.slug });
    expect(empty.article!.commentCount).toBe(1);

    // The honeypot holds it for moderation (PENDING): readers see no change, so nothing is purged.
    const since = await h.watch.epoch();
    const held = await comment(article.id, { honeypot: "http://spam.example" });
    expect(held.status).toBe("PENDING");
    await stillCached(page, { slug: article.slug }, empty, since, 0);
    expect((await missThenHit(node, { id: held.id })).node).toBeNull();

    await moderate(held.id, "APPROVED");
    const approved = await missThenHit(page, { slug: article.slug });
    expect(approved.article!.commentCount).toBe(2);
    expect(approved.article!.comments.nodes.map((c) => c.id)).toEqual([visible.id, held.id]);
    expect((await missThenHit(node, { id: held.id })).node).toMatchObject({ id: held.id, body: held.body });

    await moderate(held.id, "REJECTED");
    const rejected = await missThenHit(page, { slug: article.slug });
    expect(rejected.article!.commentCount).toBe(1);
    expect(rejected.article!.comments.nodes.map((c) => c.id)).toEqual([visible.id]);
    expect((await missThenHit(node, { id: held.id })).node).toBeNull();

    // Rejecting a comment that was visible from the start works the same.
    await moderate(visible.id, "SPAM");
    const none = await missThenHit(page, { slug: article.slug });
    expect(none.article!.commentCount).toBe(0);
    expect(none.article!.comments.nodes).toEqual([]);
  });

  test("a reply that becomes public refreshes its thread even when only replies were cached", async () => {
    const article = await createArticle(h.server.db, { topics: ["sport"], publishedAt: hoursAgo(2) });
    const top = await createComment(h.server.db, { articleId: article.dbId });
    const page = unique(CacheArticleDocument);
    await missThenHit(page, { slug: article.slug });
    const reply = await comment(article.id, { parentId: top.id });
    const after = await missThenHit(page, { slug: article.slug });
    expect(after.article!.comments.nodes[0]!.replies.nodes.map((r) => r.id)).toEqual([reply.id]);
  });

  test("a comment looked up by id goes with its article: unpublished, node(id) of the comment is null at once; republished, back at once", async () => {
    const article = await publishNew("Pier repairs finished early");
    const posted = await comment(article.id);
    const node = unique(CacheNodeDocument);
    expect((await missThenHit(node, { id: posted.id })).node).toMatchObject({ id: posted.id, body: posted.body });

    await h.server.request(CacheUnpublishArticleDocument, { id: article.id }, { token: h.editor });
    // Uncached, the comment of a hidden article is not visible to anonymous callers.
    const uncached = await h.server.request(CacheNodeDocument, { id: posted.id });
    expect(dataOf(uncached).node).toBeNull();
    const cached = await h.server.request(node, { id: posted.id });
    expect(dataOf(cached).node).toBeNull();
    expect(xCache(cached)).toBe("MISS");

    await h.server.request(CachePublishArticleDocument, { id: article.id }, { token: h.editor });
    const back = await h.server.request(node, { id: posted.id });
    expect(dataOf(back).node).toMatchObject({ id: posted.id });
    expect(xCache(back)).toBe("MISS");
  });

  void hit;
});

describe.each(STORES)("response cache, %s: pre-moderation", (_name, store) => {
  const { h, missThenHit, stillCached, publishNew, comment, moderate } = harness({
    ...store,
    commentModeration: "pre",
  });

  test("a submitted comment changes nothing until it is approved; then it shows at once; rejected, it goes at once", async () => {
    const article = await publishNew("Tram consultation extended");
    const page = unique(CacheArticleDocument);
    const front = unique(CacheFrontPageDocument);
    const empty = await missThenHit(page, { slug: article.slug });
    const frontBefore = await missThenHit(front, { first: 20 });

    const since = await h.watch.epoch();
    const pending = await comment(article.id);
    expect(pending.status).toBe("PENDING");
    await stillCached(page, { slug: article.slug }, empty, since, 0);
    await stillCached(front, { first: 20 }, frontBefore, since, 0);

    await moderate(pending.id, "APPROVED");
    const approved = await missThenHit(page, { slug: article.slug });
    expect(approved.article!.commentCount).toBe(1);
    expect(approved.article!.comments.nodes.map((c) => c.body)).toEqual([pending.body]);
    expect(
      (await missThenHit(front, { first: 20 })).articles.nodes.find((n) => n.id === article.id)!.commentCount,
    ).toBe(1);

    await moderate(pending.id, "REJECTED");
    const rejected = await missThenHit(page, { slug: article.slug });
    expect(rejected.article!.commentCount).toBe(0);
    expect(rejected.article!.comments.nodes).toEqual([]);
  });
});
