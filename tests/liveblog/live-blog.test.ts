/**
 * The live blog, end to end over HTTP and WebSockets on the mode's database:
 * starting and ending, posting, editing, deleting, pinning, who may do each,
 * bad input, and the liveBlog and commentThread streams with replay of edits,
 * deletions and removals after a disconnect.
 */
import {
  FeedModerateCommentDocument,
  FeedUnpublishArticleDocument,
  LiveAddDocument,
  LiveBlogPageDocument,
  LiveBlogStreamDocument,
  LiveCommentThreadDocument,
  LiveDeleteDocument,
  LiveEndDocument,
  LiveEntryNodeDocument,
  LiveFeedCursorDocument,
  LivePinDocument,
  LiveStartDocument,
  LiveUnpinDocument,
  LiveUpdateDocument,
} from "../generated/graphql";
import type { LiveBlogStreamSubscription, LiveCommentThreadSubscription } from "../generated/graphql";
import { ClientPool, waitFor, waitForListeners } from "../support/feed-client";
import { codes, ok, postComment, publishedArticle, unique } from "../support/feed-fixtures";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

let server: TestServer;
let pool: ClientPool;
let editor: string;
let writer: string;
let otherWriter: string;

beforeAll(async () => {
  server = await startTestServer({ commentRateLimit: 100_000 });
  pool = new ClientPool(() => server.url);
  editor = await server.token("live-editor", "EDITOR");
  writer = await server.token("live-writer", "WRITER");
  otherWriter = await server.token("live-other-writer", "WRITER");
});
afterEach(() => pool.closeAll(server));
afterAll(() => server?.stop());

/** A published article with the writer in its byline, made live. */
async function liveBlog(byline = ["live-writer"]) {
  const article = await publishedArticle(server, editor, { authorSlugs: byline });
  const started = ok(await server.request(LiveStartDocument, { articleId: article.id }, { token: editor }));
  expect(started.startLiveBlog.isLive).toBe(true);
  return article;
}

const add = (token: string, articleId: string, body: string, extra: Record<string, unknown> = {}) =>
  server.request(LiveAddDocument, { input: { articleId, body, ...extra } }, { token });

const page = async (id: string, token?: string, extra: Record<string, unknown> = {}) =>
  (await server.request(LiveBlogPageDocument, { id, first: 100, ...extra }, { token })).data?.article ?? null;

const feedCursor = async () => ok(await server.request(LiveFeedCursorDocument, {})).feedCursor;

describe("start and end", () => {
  test("an editor starts and ends; entries stay readable after the end and no new ones are accepted", async () => {
    const article = await liveBlog();
    const entry = ok(await add(writer, article.id, "First entry")).addLiveEntry;
    const ended = ok(await server.request(LiveEndDocument, { articleId: article.id }, { token: editor })).endLiveBlog;
    expect(ended.isLive).toBe(false);
    expect(ended.liveUntil).not.toBeNull();
    expect((await page(article.id))!.liveEntries.nodes.map((n) => n.id)).toEqual([entry.id]);
    expect(codes(await add(editor, article.id, "Too late"))).toEqual(["FORBIDDEN"]);
    expect((await page(article.id))!.liveEntries.totalCount).toBe(1);
  });

  test("only an editor starts or ends; a draft cannot go live", async () => {
    const article = await publishedArticle(server, editor, { authorSlugs: ["live-writer"] });
    expect(codes(await server.request(LiveStartDocument, { articleId: article.id }, { token: writer }))).toEqual([
      "FORBIDDEN",
    ]);
    expect(codes(await server.request(LiveStartDocument, { articleId: article.id }))).toEqual(["UNAUTHENTICATED"]);
    ok(await server.request(FeedUnpublishArticleDocument, { id: article.id }, { token: editor }));
    expect(codes(await server.request(LiveStartDocument, { articleId: article.id }, { token: editor }))).toEqual([
      "FORBIDDEN",
    ]);
    expect((await page(article.id, editor))!.isLive).toBe(false);
  });
});

describe("entries", () => {
  test("byline writers and editors post; newest first; an edit never moves an entry and sets editedAt", async () => {
    const article = await liveBlog();
    const a = ok(await add(writer, article.id, "**One**", { title: "  First  " })).addLiveEntry;
    const b = ok(
      await add(editor, article.id, "Two", { isKeyEvent: true, authorSlugs: ["live-writer", "live-editor"] }),
    ).addLiveEntry;
    expect(a.title).toBe("First");
    expect(a.bodyHtml).toContain("<strong>One</strong>");
    expect(a.authors.map((x) => x.slug)).toEqual(["live-writer"]);
    expect(b.authors.map((x) => x.slug)).toEqual(["live-writer", "live-editor"]);
    expect(codes(await add(otherWriter, article.id, "Not in the byline"))).toEqual(["FORBIDDEN"]);

    const edited = ok(
      await server.request(LiveUpdateDocument, { id: a.id, input: { body: "One, corrected" } }, { token: writer }),
    ).updateLiveEntry;
    expect(edited.editedAt).not.toBeNull();
    expect(edited.publishedAt).toBe(a.publishedAt);
    const read = await page(article.id);
    expect(read!.liveEntries.nodes.map((n) => [n.id, n.body])).toEqual([
      [b.id, "Two"],
      [a.id, "One, corrected"],
    ]);
    const keyEvents = await page(article.id, undefined, { keyEventsOnly: true });
    expect(keyEvents!.liveEntries.nodes.map((n) => n.id)).toEqual([b.id]);
  });

  test("a writer edits and deletes only their own entries; editors any", async () => {
    const article = await liveBlog(["live-writer", "live-other-writer"]);
    const mine = ok(await add(writer, article.id, "Mine")).addLiveEntry;
    const theirs = ok(await add(otherWriter, article.id, "Theirs")).addLiveEntry;
    expect(
      codes(await server.request(LiveUpdateDocument, { id: theirs.id, input: { body: "x" } }, { token: writer })),
    ).toEqual(["FORBIDDEN"]);
    expect(codes(await server.request(LiveDeleteDocument, { id: theirs.id }, { token: writer }))).toEqual([
      "FORBIDDEN",
    ]);
    expect(ok(await server.request(LiveDeleteDocument, { id: mine.id }, { token: writer })).deleteLiveEntry).toBe(
      mine.id,
    );
    expect(ok(await server.request(LiveDeleteDocument, { id: theirs.id }, { token: editor })).deleteLiveEntry).toBe(
      theirs.id,
    );
    expect((await page(article.id))!.liveEntries.totalCount).toBe(0);
    expect((await server.request(LiveEntryNodeDocument, { id: mine.id })).data?.node).toBeNull();
    expect(codes(await server.request(LiveDeleteDocument, { id: mine.id }, { token: editor }))).toEqual(["NOT_FOUND"]);
    expect(
      codes(await server.request(LiveUpdateDocument, { id: mine.id, input: { body: "back" } }, { token: editor })),
    ).toEqual(["NOT_FOUND"]);
  });

  test("bad input is BAD_USER_INPUT naming each field, and stores nothing", async () => {
    const article = await liveBlog();
    const cases: [Record<string, unknown>, string[]][] = [
      [{ body: "   " }, ["body"]],
      [{ body: "x".repeat(20_001) }, ["body"]],
      [{ body: "a\u0000b" }, ["body"]],
      [{ body: "ok", title: "t".repeat(201) }, ["title"]],
      [{ body: "ok", authorSlugs: ["no-such-author"] }, ["authorSlugs"]],
      [{ body: "ok", authorSlugs: [] }, ["authorSlugs"]],
      [{ body: "", title: "\u0000" }, ["title", "body"]],
    ];
    for (const [input, fields] of cases) {
      const res = await server.request(
        LiveAddDocument,
        { input: { articleId: article.id, ...input } as never },
        { token: editor },
      );
      expect(codes(res)).toEqual(["BAD_USER_INPUT"]);
      expect(Object.keys(res.errors![0]!.extensions!.fields).sort()).toEqual([...fields].sort());
    }
    expect((await page(article.id))!.liveEntries.totalCount).toBe(0);
    const notArticle = await server.request(
      LiveAddDocument,
      { input: { articleId: "bm9wZQ", body: "x" } },
      { token: editor },
    );
    expect(codes(notArticle)).toEqual(["BAD_USER_INPUT"]);
  });

  test("racing retries with one idempotency key store one entry; a different entry with the key is CONFLICT", async () => {
    const article = await liveBlog();
    const key = unique("key");
    const results = await Promise.all(
      Array.from({ length: 8 }, () => add(writer, article.id, "Once only", { idempotencyKey: key })),
    );
    const ids = new Set(results.map((r) => ok(r).addLiveEntry.id));
    expect(ids.size).toBe(1);
    expect((await page(article.id))!.liveEntries.totalCount).toBe(1);
    expect(codes(await add(writer, article.id, "Something else", { idempotencyKey: key }))).toEqual(["CONFLICT"]);
  });

  test("two editors pinning at once leave exactly one pinned entry", async () => {
    const article = await liveBlog();
    const entries = [];
    for (let i = 0; i < 6; i++) entries.push(ok(await add(editor, article.id, `Pin candidate ${i}`)).addLiveEntry);
    const second = await server.token("live-editor-2", "EDITOR");
    await Promise.all(
      entries.map((e, i) => server.request(LivePinDocument, { id: e.id }, { token: i % 2 ? editor : second })),
    );
    const rows = await server.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM live_entries WHERE article_id = $1 AND is_pinned",
      [Number(Buffer.from(article.id, "base64url").toString().split(":")[1])],
    );
    expect(rows[0]!.n).toBe(1);
    const read = await page(article.id);
    expect(read!.pinnedEntry).not.toBeNull();
    expect(read!.liveEntries.nodes.filter((n) => n.isPinned).map((n) => n.id)).toEqual([read!.pinnedEntry!.id]);
    ok(await server.request(LiveUnpinDocument, { id: read!.pinnedEntry!.id }, { token: editor }));
    expect((await page(article.id))!.pinnedEntry).toBeNull();
  });

  test("an unpublished live blog's entries are hidden from readers through node and liveEntries", async () => {
    const article = await liveBlog();
    const entry = ok(await add(writer, article.id, "Soon hidden")).addLiveEntry;
    ok(await server.request(FeedUnpublishArticleDocument, { id: article.id }, { token: editor }));
    expect(await page(article.id)).toBeNull();
    expect((await server.request(LiveEntryNodeDocument, { id: entry.id })).data?.node).toBeNull();
    expect(
      (await server.request(LiveEntryNodeDocument, { id: entry.id }, { token: otherWriter })).data?.node,
    ).toBeNull();
    expect((await page(article.id, editor))!.liveEntries.totalCount).toBe(1);
    expect(codes(await add(editor, article.id, "Posting to a draft"))).toEqual(["FORBIDDEN"]);
  });
});

const events = (values: LiveBlogStreamSubscription[]) => values.map((v) => v.liveBlog);

describe("the liveBlog stream", () => {
  test("delivers ADDED, EDITED, PINNED, UNPINNED and DELETED live, in commit order", async () => {
    const article = await liveBlog();
    const stream = pool.client().subscribe(LiveBlogStreamDocument, { articleId: article.id });
    await waitForListeners(server, 1);
    const a = ok(await add(writer, article.id, "A")).addLiveEntry;
    const b = ok(await add(writer, article.id, "B")).addLiveEntry;
    ok(await server.request(LiveUpdateDocument, { id: a.id, input: { body: "A2" } }, { token: writer }));
    ok(await server.request(LivePinDocument, { id: a.id }, { token: editor }));
    ok(await server.request(LivePinDocument, { id: b.id }, { token: editor }));
    ok(await server.request(LiveDeleteDocument, { id: b.id }, { token: editor }));
    const got = events(await stream.take(7));
    expect(got.map((e) => [e.kind, e.entryId])).toEqual([
      ["ADDED", a.id],
      ["ADDED", b.id],
      ["EDITED", a.id],
      ["PINNED", a.id],
      ["UNPINNED", a.id],
      ["PINNED", b.id],
      ["DELETED", b.id],
    ]);
    expect(got.every((e) => !e.replayed)).toBe(true);
    expect(got[6]!.entry).toBeNull();
    // Entries are delivered as they are now: b was deleted before its events were read only if batched late.
    expect(got[2]!.entry!.body).toBe("A2");
  });

  test("a reader away for an add, an edit and a delete gets them on resume, then live; each once", async () => {
    const article = await liveBlog();
    const kept = ok(await add(writer, article.id, "Kept")).addLiveEntry;
    const first = pool.client();
    const stream = first.subscribe(LiveBlogStreamDocument, { articleId: article.id });
    await waitForListeners(server, 1);
    const doomed = ok(await add(writer, article.id, "Doomed")).addLiveEntry;
    const [seen] = events(await stream.take(1));
    expect(seen!.entryId).toBe(doomed.id);
    first.terminate();
    await waitFor(
      () => server.services.feedDispatcher.listenerCount === 0,
      () => "the server to drop the subscription",
    );

    const added = ok(await add(writer, article.id, "Added while away")).addLiveEntry;
    ok(
      await server.request(
        LiveUpdateDocument,
        { id: kept.id, input: { title: "Edited while away" } },
        { token: writer },
      ),
    );
    ok(
      await server.request(
        LiveUpdateDocument,
        { id: doomed.id, input: { body: "Edited, then deleted" } },
        { token: writer },
      ),
    );
    ok(await server.request(LiveDeleteDocument, { id: doomed.id }, { token: writer }));

    const resumed = pool.client().subscribe(LiveBlogStreamDocument, { articleId: article.id, since: seen!.cursor });
    const replay = events(await resumed.take(3));
    // The edit of the entry deleted since is compacted away: its DELETED alone is replayed.
    expect(replay.map((e) => [e.kind, e.entryId, e.replayed])).toEqual([
      ["ADDED", added.id, true],
      ["EDITED", kept.id, true],
      ["DELETED", doomed.id, true],
    ]);
    expect(replay[1]!.entry!.title).toBe("Edited while away");
    await waitForListeners(server, 1);
    const live = ok(await add(writer, article.id, "Live again")).addLiveEntry;
    const next = events(await resumed.take(4))[3]!;
    expect([next.kind, next.entryId, next.replayed]).toEqual(["ADDED", live.id, false]);
    await new Promise((r) => setTimeout(r, 200));
    expect(resumed.values).toHaveLength(4);
  });

  test("feedCursor, read before the page, lets a stream start where the read ended", async () => {
    const article = await liveBlog();
    ok(await add(writer, article.id, "Before the read"));
    const cursor = await feedCursor();
    expect(typeof cursor).toBe("string");
    const after = ok(await add(writer, article.id, "After the read")).addLiveEntry;
    const stream = pool.client().subscribe(LiveBlogStreamDocument, { articleId: article.id, since: cursor });
    const [first] = events(await stream.take(1));
    expect([first!.kind, first!.entryId, first!.replayed]).toEqual(["ADDED", after.id, true]);
  });

  test("unpublishing ends the stream of a reader who may no longer see the article, with NOT_FOUND", async () => {
    const article = await liveBlog();
    const reader = pool.client().subscribe(LiveBlogStreamDocument, { articleId: article.id });
    const editorStream = pool.client({ token: editor }).subscribe(LiveBlogStreamDocument, { articleId: article.id });
    await waitForListeners(server, 2);
    ok(await server.request(FeedUnpublishArticleDocument, { id: article.id }, { token: editor }));
    const errors = await reader.errored();
    expect(errors.map((e) => e.extensions?.code)).toEqual(["NOT_FOUND"]);
    await reader.ended();
    expect(reader.values).toEqual([]);
    // The editor still sees the article: their stream goes on, and receives an edit made meanwhile.
    const [entry] = (await page(article.id, editor))!.liveEntries.nodes;
    expect(entry).toBeUndefined();
    expect(editorStream.errors).toEqual([]);
    expect(editorStream.completed).toBe(false);
  });

  test("subscribing to an article the caller may not see is NOT_FOUND", async () => {
    const article = await publishedArticle(server, editor);
    ok(await server.request(FeedUnpublishArticleDocument, { id: article.id }, { token: editor }));
    const stream = pool.client().subscribe(LiveBlogStreamDocument, { articleId: article.id });
    expect((await stream.errored()).map((e) => e.extensions?.code)).toEqual(["NOT_FOUND"]);
  });
});

type ThreadEvent = LiveCommentThreadSubscription["commentThread"];
const thread = (values: LiveCommentThreadSubscription[]): ThreadEvent[] => values.map((v) => v.commentThread);

describe("the commentThread stream", () => {
  test("a rejected comment is REMOVED live, and replayed as REMOVED to a reader who was away", async () => {
    const article = await liveBlog();
    const first = pool.client();
    const stream = first.subscribe(LiveCommentThreadDocument, { articleId: article.id });
    await waitForListeners(server, 1);
    const c1 = await postComment(server, article.id, { body: "First comment" });
    const c2 = await postComment(server, article.id, { body: "Second comment" });
    ok(await server.request(FeedModerateCommentDocument, { id: c1.id, status: "REJECTED" }, { token: editor }));
    const got = thread(await stream.take(3));
    expect(got.map((e) => [e.kind, e.commentId])).toEqual([
      ["ADDED", c1.id],
      ["ADDED", c2.id],
      ["REMOVED", c1.id],
    ]);
    expect(got[2]!.comment).toBeNull();
    first.terminate();
    await waitFor(
      () => server.services.feedDispatcher.listenerCount === 0,
      () => "the server to drop the subscription",
    );
    ok(await server.request(FeedModerateCommentDocument, { id: c2.id, status: "SPAM" }, { token: editor }));
    const c3 = await postComment(server, article.id, { body: "Third comment" });
    const resumed = pool
      .client()
      .subscribe(LiveCommentThreadDocument, { articleId: article.id, since: got[2]!.cursor });
    const replay = thread(await resumed.take(2));
    expect(replay.map((e) => [e.kind, e.commentId, e.replayed])).toEqual([
      ["REMOVED", c2.id, true],
      ["ADDED", c3.id, true],
    ]);
  });
});
