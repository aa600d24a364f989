/**
 * The entries of a live blog whose article is unpublished (or that are deleted) are hidden
 * through every path, from everyone who may not see the article: node(id), Article.liveEntries,
 * Article.pinnedEntry, the liveBlog and commentThread subscriptions (a new subscribe is refused,
 * a running one ends), and the response cache (an anonymous response cached with the entries is
 * not served again after the unpublish or the delete), on the memory store and on Redis.
 */
import {
  FeedPublishArticleDocument,
  FeedUnpublishArticleDocument,
  LiveAddDocument,
  LiveBlogPageDocument,
  LiveBlogStreamDocument,
  LiveCommentThreadDocument,
  LiveDeleteDocument,
  LiveEntryNodeDocument,
  LivePinDocument,
  LiveStartDocument,
} from "../generated/graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { ClientPool, waitForListeners } from "../support/feed-client";
import { codes, ok, publishedArticle } from "../support/feed-fixtures";
import type { GraphQLResult, TestServer } from "../support/server";
import { startTestServer } from "../support/server";
import { NO_RATE_LIMIT, PurgeWatch, STORES, unique, withForeignPurgeRetry, xCache } from "../cache/cache-helpers";

describe.each(STORES)("%s", (_store, overrides) => {
  let server: TestServer;
  let watch: PurgeWatch;
  let pool: ClientPool;
  let editor: string;
  let writer: string;
  let outsider: string;

  beforeAll(async () => {
    // No poll timer: a HIT must cost no statement, and nothing else sends one meanwhile.
    server = await startTestServer({ ...overrides, ...NO_RATE_LIMIT, feedPollMs: 0 });
    watch = new PurgeWatch(server);
    watch.track(server);
    pool = new ClientPool(() => server.url);
    editor = await server.token("vis-editor", "EDITOR");
    writer = await server.token("vis-writer", "WRITER");
    outsider = await server.token("vis-outsider", "WRITER");
  });
  afterEach(() => pool.closeAll(server));
  afterAll(async () => {
    await watch?.close();
    await server?.stop();
  });

  /** A live blog (byline: the writer) with two entries, the second pinned. */
  async function blog() {
    const article = await publishedArticle(server, editor, { authorSlugs: ["vis-writer"] });
    ok(await server.request(LiveStartDocument, { articleId: article.id }, { token: editor }));
    const add = async (body: string) =>
      ok(await server.request(LiveAddDocument, { input: { articleId: article.id, body } }, { token: writer }))
        .addLiveEntry.id;
    const first = await add("First entry");
    const pinned = await add("Pinned entry");
    ok(await server.request(LivePinDocument, { id: pinned }, { token: editor }));
    return { articleId: article.id, first, pinned };
  }

  /** Anonymous: a MISS that stores, then a HIT with the same data (retried only after a foreign purge on Redis). */
  async function cached<R, V>(doc: TypedDocumentNode<R, V>, vars: V): Promise<R> {
    let data!: R;
    let attempt = 0;
    await withForeignPurgeRetry(watch, async () => {
      const first = await server.request(doc, vars);
      if (attempt++ === 0) expect(xCache(first)).toBe("MISS");
      data = ok(first);
      const before = server.db.sql.total;
      const second: GraphQLResult<R> = await server.request(doc, vars);
      if (xCache(second) !== "HIT") return false;
      expect(server.db.sql.total).toBe(before);
      expect(second.data).toEqual(data);
      return true;
    });
    return data;
  }

  const pageDoc = () => unique(LiveBlogPageDocument);
  const nodeDoc = () => unique(LiveEntryNodeDocument);

  test("after an unpublish, no path shows the entries to readers, and no cached response is served", async () => {
    const b = await blog();
    const page = pageDoc();
    const node = nodeDoc();
    const pinnedNode = nodeDoc();
    const vars = { id: b.articleId, first: 50 };
    const shown = await cached(page, vars);
    expect(shown.article!.liveEntries.nodes.map((n) => n.id)).toEqual([b.pinned, b.first]);
    expect(shown.article!.pinnedEntry).toEqual({ id: b.pinned });
    expect((await cached(node, { id: b.first })).node).toMatchObject({ id: b.first, body: "First entry" });
    expect((await cached(pinnedNode, { id: b.pinned })).node).toMatchObject({ id: b.pinned });

    const running = pool.client().subscribe(LiveBlogStreamDocument, { articleId: b.articleId });
    const runningThread = pool.client().subscribe(LiveCommentThreadDocument, { articleId: b.articleId });
    await waitForListeners(server, 2);

    ok(await server.request(FeedUnpublishArticleDocument, { id: b.articleId }, { token: editor }));

    // The cache: each response is computed afresh (not the cached one) and shows nothing.
    for (const token of [undefined, outsider]) {
      const res = await server.request(page, vars, { token });
      expect(xCache(res)).not.toBe("HIT");
      expect(res.data?.article ?? null).toBeNull();
      for (const [doc, id] of [
        [node, b.first],
        [pinnedNode, b.pinned],
      ] as const) {
        const r = await server.request(doc, { id }, { token });
        expect(xCache(r)).not.toBe("HIT");
        expect(r.data?.node ?? null).toBeNull();
      }
      // And again (a second request could be served from a store that was refilled).
      expect((await server.request(page, vars, { token })).data?.article ?? null).toBeNull();
      expect((await server.request(node, { id: b.first }, { token })).data?.node ?? null).toBeNull();
    }

    // The running streams end with NOT_FOUND; new ones are refused.
    expect((await running.errored()).map((e) => e.extensions?.code)).toEqual(["NOT_FOUND"]);
    await running.ended();
    expect(running.values).toEqual([]);
    expect((await runningThread.errored()).map((e) => e.extensions?.code)).toEqual(["NOT_FOUND"]);
    await runningThread.ended();
    for (const token of [undefined, outsider]) {
      const client = pool.client(token ? { token } : {});
      const blogStream = client.subscribe(LiveBlogStreamDocument, { articleId: b.articleId });
      expect((await blogStream.errored()).map((e) => e.extensions?.code)).toEqual(["NOT_FOUND"]);
      const threadStream = client.subscribe(LiveCommentThreadDocument, { articleId: b.articleId });
      expect((await threadStream.errored()).map((e) => e.extensions?.code)).toEqual(["NOT_FOUND"]);
    }

    // Those who may see the draft still do: the editor and the byline writer.
    for (const token of [editor, writer]) {
      const seen = ok(await server.request(LiveBlogPageDocument, vars, { token })).article!;
      expect(seen.liveEntries.nodes.map((n) => n.id)).toEqual([b.pinned, b.first]);
      expect(seen.pinnedEntry).toEqual({ id: b.pinned });
      expect(ok(await server.request(LiveEntryNodeDocument, { id: b.first }, { token })).node).toMatchObject({
        id: b.first,
      });
    }

    // Published again, it shows again (the refusal was no cached answer either).
    ok(await server.request(FeedPublishArticleDocument, { id: b.articleId }, { token: editor }));
    const back = ok(await server.request(page, vars)).article!;
    expect(back.liveEntries.nodes.map((n) => n.id)).toEqual([b.pinned, b.first]);
  });

  test("after a delete, no path shows the entry, and no cached response with it is served", async () => {
    const b = await blog();
    const page = pageDoc();
    const node = nodeDoc();
    const vars = { id: b.articleId, first: 50 };
    expect((await cached(page, vars)).article!.pinnedEntry).toEqual({ id: b.pinned });
    expect((await cached(node, { id: b.pinned })).node).toMatchObject({ id: b.pinned });

    ok(await server.request(LiveDeleteDocument, { id: b.pinned }, { token: editor }));

    for (const token of [undefined, outsider, editor]) {
      const res = await server.request(page, vars, { token });
      expect(xCache(res)).not.toBe("HIT");
      const article = ok(res).article!;
      expect(article.pinnedEntry).toBeNull();
      expect(article.liveEntries.nodes.map((n) => n.id)).toEqual([b.first]);
      expect(article.liveEntries.totalCount).toBe(1);
      const n = await server.request(node, { id: b.pinned }, { token });
      expect(xCache(n)).not.toBe("HIT");
      expect(ok(n).node).toBeNull();
    }
    // Key events and other pages of the connection do not show it either.
    const keyEvents = ok(await server.request(LiveBlogPageDocument, { ...vars, keyEventsOnly: true }));
    expect(keyEvents.article!.liveEntries.nodes).toEqual([]);
    const firstPage = ok(await server.request(LiveBlogPageDocument, { id: b.articleId, first: 1 })).article!;
    expect(firstPage.liveEntries.nodes.map((n) => n.id)).toEqual([b.first]);
    expect(firstPage.liveEntries.pageInfo.hasNextPage).toBe(false);
    expect(codes(await server.request(LivePinDocument, { id: b.pinned }, { token: editor }))).toEqual(["NOT_FOUND"]);
  });
});
