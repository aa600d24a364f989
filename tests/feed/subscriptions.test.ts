/**
 * The four subscriptions over a real graphql-ws client: what each delivers,
 * to whom, and what never reaches a reader (drafts, pending comments,
 * rolled-back writes). "Nothing else arrived" is proven with a sentinel: a
 * later event that must be the very next one the subscriber receives.
 */
import { Client } from "pg";
import { FeedEventKind, recordFeedEvent } from "../../src/db/outbox";
import { ManualClock } from "../../src/shared/clock";
import { toGlobalId } from "../../src/shared/node-id";
import {
  FeedAddCommentDocument,
  FeedArticlePublishedDocument,
  FeedArticleUpdatedDocument,
  FeedCommentAddedDocument,
  FeedModerateCommentDocument,
  FeedModerationQueueDocument,
  FeedPublishArticleDocument,
  FeedUnpublishArticleDocument,
  FeedUpdateArticleDocument,
  NodeDocument,
} from "../generated/graphql";
import { ClientPool, waitForListeners } from "../support/feed-client";
import {
  codes,
  commentInput,
  compareCursors,
  cursorOf,
  dbId,
  dispatchedPast,
  draftArticle,
  feedRowsOfComment,
  ok,
  positionOf,
  postComment,
  publishedArticle,
  unique,
} from "../support/feed-fixtures";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

const onPostgres = process.env.DATABASE_URL ? test : test.skip;

const clock = new ManualClock(new Date());
let server: TestServer;
let pool: ClientPool;
let editor: string;
let writer: string;

beforeAll(async () => {
  server = await startTestServer({ commentRateLimit: 100_000 }, { clock });
  pool = new ClientPool(() => server.url);
  editor = await server.token("feed-editor", "EDITOR");
  writer = await server.token("feed-writer", "WRITER");
});
afterEach(() => pool.closeAll(server));
afterAll(() => server?.stop());

/** Resolves once `n` more subscriptions than now are listening on the server. */
const listening = (n: number) => waitForListeners(server, server.services.feedDispatcher.listenerCount + n);

const feedEventCount = async () =>
  (await server.db.query<{ n: number }>("SELECT count(*)::int AS n FROM feed_events"))[0]!.n;

describe("commentAdded", () => {
  test("a comment posted approved reaches every subscriber of its article, with its data and cursor, once", async () => {
    const a = await publishedArticle(server, editor);
    const b = await publishedArticle(server, editor);
    const readerA1 = pool.client().subscribe(FeedCommentAddedDocument, { articleId: a.id });
    const readerA2 = pool.client().subscribe(FeedCommentAddedDocument, { articleId: a.id });
    const readerB = pool.client().subscribe(FeedCommentAddedDocument, { articleId: b.id });
    await listening(3);

    const c1 = await postComment(server, a.id, { authorName: "Ines Marlow", body: "First on A." });
    const c2 = await postComment(server, b.id, { body: "Only on B." });
    const c3 = await postComment(server, a.id, { body: "Second on A." });
    expect([c1.status, c2.status, c3.status]).toEqual(["APPROVED", "APPROVED", "APPROVED"]);

    const [e1, e3] = await readerA1.take(2);
    expect(e1!.commentAdded).toEqual({
      cursor: cursorOf((await feedRowsOfComment(server.db, c1.id))[0]!),
      replayed: false,
      comment: {
        id: c1.id,
        body: "First on A.",
        authorName: "Ines Marlow",
        status: "APPROVED",
        article: { id: a.id, title: a.title },
      },
    });
    expect(e3!.commentAdded.comment.id).toBe(c3.id);
    expect(e3!.commentAdded.comment.body).toBe("Second on A.");
    expect(compareCursors(e1!.commentAdded.cursor, e3!.commentAdded.cursor)).toBeLessThan(0);
    expect(await readerA2.take(2)).toEqual([e1, e3]);
    const [onB] = await readerB.take(1);
    expect(onB!.commentAdded.comment).toMatchObject({ id: c2.id, body: "Only on B.", article: { id: b.id } });

    // Nothing more (no duplicate, nothing of B on A): the next event each one gets is the sentinel.
    const sentinel = await postComment(server, a.id);
    await readerA1.take(3);
    expect(readerA1.values.map((v) => v.commentAdded.comment.id)).toEqual([c1.id, c3.id, sentinel.id]);
    expect(readerB.values).toHaveLength(1);
    expect(readerA1.errors).toEqual([]);
  });

  test("a comment held for moderation is not broadcast; it is once an editor approves it", async () => {
    const article = await publishedArticle(server, editor);
    const reader = pool.client().subscribe(FeedCommentAddedDocument, { articleId: article.id });
    const editorOnArticle = pool.client({ token: editor }).subscribe(FeedCommentAddedDocument, {
      articleId: article.id,
    });
    await listening(2);

    // A filled honeypot holds the comment (PENDING) even in post-moderation.
    const held = await postComment(server, article.id, { body: "Held back.", honeypot: "http://spam.example" });
    expect(held.status).toBe("PENDING");
    const visible = await postComment(server, article.id, { body: "Straight through." });
    expect((await reader.take(1))[0]!.commentAdded.comment.id).toBe(visible.id);
    // Editors subscribe to public comments too: a pending one is not one.
    expect((await editorOnArticle.take(1))[0]!.commentAdded.comment.id).toBe(visible.id);

    const approved = ok(
      await server.request(FeedModerateCommentDocument, { id: held.id, status: "APPROVED" }, { token: editor }),
    ).moderateComment;
    expect(approved.status).toBe("APPROVED");
    const [, late] = await reader.take(2);
    expect(late!.commentAdded).toMatchObject({
      replayed: false,
      comment: { id: held.id, body: "Held back.", status: "APPROVED" },
    });
    expect((await editorOnArticle.take(2))[1]!.commentAdded.comment.id).toBe(held.id);

    // Hiding a public comment and approving an already approved one emit no commentAdded.
    ok(await server.request(FeedModerateCommentDocument, { id: visible.id, status: "REJECTED" }, { token: editor }));
    ok(await server.request(FeedModerateCommentDocument, { id: held.id, status: "APPROVED" }, { token: editor }));
    const sentinel = await postComment(server, article.id);
    await reader.take(3);
    expect(reader.values.map((v) => v.commentAdded.comment.id)).toEqual([visible.id, held.id, sentinel.id]);
  });

  test("a refused write emits nothing: closed comments (FORBIDDEN) and invalid input (BAD_USER_INPUT)", async () => {
    const article = await publishedArticle(server, editor, { commentsOpen: false });
    const reader = pool.client().subscribe(FeedCommentAddedDocument, { articleId: article.id });
    await listening(1);
    const eventsBefore = await feedEventCount();

    const closed = await server.request(FeedAddCommentDocument, { input: commentInput(article.id) });
    expect(codes(closed)).toEqual(["FORBIDDEN"]);
    const invalid = await server.request(FeedAddCommentDocument, {
      input: commentInput(article.id, { email: "not-an-address" }),
    });
    expect(codes(invalid)).toEqual(["BAD_USER_INPUT"]);
    expect(Object.keys(invalid.errors![0]!.extensions!.fields)).toEqual(["email"]);
    expect(await feedEventCount()).toBe(eventsBefore);

    ok(
      await server.request(
        FeedUpdateArticleDocument,
        { id: article.id, input: { commentsOpen: true } },
        { token: editor },
      ),
    );
    const sentinel = await postComment(server, article.id);
    expect((await reader.take(1))[0]!.commentAdded.comment.id).toBe(sentinel.id);
  });

  test("a transaction that recorded an event and then rolled back emits nothing", async () => {
    const article = await publishedArticle(server, editor);
    const reader = pool.client().subscribe(FeedCommentAddedDocument, { articleId: article.id });
    await listening(1);
    const eventsBefore = await feedEventCount();

    let inserted = 0;
    await expect(
      server.db.transaction(async (tx) => {
        const [row] = await tx.query(
          `INSERT INTO comments (article_id, depth, author_name, email, body, status, created_at)
           VALUES ($1, 0, 'Ghost', 'ghost@example.com', 'Never committed', 'APPROVED', now()) RETURNING id`,
          [dbId(article.id)],
        );
        inserted = row.id;
        recordFeedEvent(tx, server.services.bus, FeedEventKind.COMMENT_PUBLIC, dbId(article.id), row.id);
        // Fails after the event is appended to the log, just before COMMIT.
        tx.beforeCommit(async () => {
          const [{ n }] = await tx.query("SELECT count(*)::int AS n FROM feed_events WHERE comment_id = $1", [row.id]);
          expect(n).toBe(1);
          throw new Error("abort after the event was recorded");
        });
        return row.id;
      }),
    ).rejects.toThrow("abort after the event was recorded");
    expect(inserted).toBeGreaterThan(0);
    expect(await feedEventCount()).toBe(eventsBefore);

    await server.services.feedDispatcher.wake();
    const sentinel = await postComment(server, article.id);
    const [first] = await reader.take(1);
    expect(first!.commentAdded.comment.id).toBe(sentinel.id);
    expect(first!.commentAdded.comment.id).not.toBe(toGlobalId("Comment", inserted));
  });

  onPostgres("an event is delivered only after its transaction committed, and its row is readable then", async () => {
    const article = await publishedArticle(server, editor);
    const reader = pool.client().subscribe(FeedCommentAddedDocument, { articleId: article.id });
    await listening(1);

    // A second connection writes a public comment and its event, and holds the transaction open.
    const writerConnection = new Client({ connectionString: server.config.databaseUrl });
    await writerConnection.connect();
    let commentId = 0;
    try {
      await writerConnection.query("BEGIN");
      const [row] = (
        await writerConnection.query(
          `INSERT INTO comments (article_id, depth, author_name, email, body, status, created_at)
           VALUES ($1, 0, 'Slow Writer', 'slow@example.com', 'Committed late', 'APPROVED', now()) RETURNING id`,
          [dbId(article.id)],
        )
      ).rows;
      commentId = row.id;
      // Appended the way the service does it, as the transaction's last step.
      const [event] = (
        await writerConnection.query("SELECT newsgraph_feed_append($1, $2, $3)::text AS id", [
          "COMMENT_PUBLIC",
          dbId(article.id),
          commentId,
        ])
      ).rows;
      // The dispatcher reads, but the uncommitted event is not there for it: it does not get past it.
      await server.services.feedDispatcher.wake();
      await server.services.feedDispatcher.wake();
      expect(server.services.feedDispatcher.position.id < positionOf(event).id).toBe(true);
      expect(reader.values).toEqual([]);
      await writerConnection.query("COMMIT");
    } finally {
      await writerConnection.query("ROLLBACK").catch(() => undefined);
      await writerConnection.end();
    }

    await server.services.feedDispatcher.wake();
    const [event] = await reader.take(1);
    const id = toGlobalId("Comment", commentId);
    expect(event!.commentAdded).toMatchObject({ replayed: false, comment: { id, body: "Committed late" } });
    // What the subscriber was told about can be read.
    const node = ok(await server.request(NodeDocument, { id })).node;
    expect(node).toMatchObject({ __typename: "Comment", id, body: "Committed late", commentStatus: "APPROVED" });
  });

  test("a draft's comments are NOT_FOUND for anonymous readers and writers outside its byline", async () => {
    const draft = await draftArticle(server, editor);
    const anonymous = pool.client().subscribe(FeedCommentAddedDocument, { articleId: draft.id });
    const otherWriter = pool.client({ token: writer }).subscribe(FeedCommentAddedDocument, { articleId: draft.id });
    const missing = pool.client().subscribe(FeedCommentAddedDocument, { articleId: toGlobalId("Article", 999_999) });
    for (const stream of [anonymous, otherWriter, missing]) {
      await stream.ended();
      expect(stream.errors.map((e) => [e.extensions?.code, e.path])).toEqual([["NOT_FOUND", ["commentAdded"]]]);
      expect(stream.values).toEqual([]);
    }
    const malformed = pool.client().subscribe(FeedCommentAddedDocument, { articleId: "nope" });
    await malformed.ended();
    expect(malformed.errors.map((e) => [e.extensions?.code, e.extensions?.fields])).toEqual([
      ["BAD_USER_INPUT", { articleId: expect.any(String) }],
    ]);
  });
});

describe("articlePublished", () => {
  test("articles reach subscribers as they go live, filtered by topicSlugs; drafts and their edits never do", async () => {
    const everything = pool.client().subscribe(FeedArticlePublishedDocument, {});
    const climate = pool.client().subscribe(FeedArticlePublishedDocument, { topicSlugs: ["climate"] });
    const sportOrScience = pool.client().subscribe(FeedArticlePublishedDocument, { topicSlugs: ["sport", "science"] });
    await listening(3);

    // A draft and an edit of it: nobody hears of them.
    const draft = await draftArticle(server, editor, { topicSlugs: ["climate"] });
    ok(
      await server.request(
        FeedUpdateArticleDocument,
        { id: draft.id, input: { title: "Still a draft" } },
        { token: editor },
      ),
    );

    const a1 = await publishedArticle(server, editor, { topicSlugs: ["climate"] });
    const a2 = await publishedArticle(server, editor, { topicSlugs: ["sport"] });
    const a3 = await publishedArticle(server, editor, { topicSlugs: [] });
    const a4 = await publishedArticle(server, editor, { topicSlugs: ["housing", "climate"] });

    const all = await everything.take(4);
    expect(all.map((v) => v.articlePublished.article.id)).toEqual([a1.id, a2.id, a3.id, a4.id]);
    expect(all[0]!.articlePublished).toEqual({
      cursor: expect.any(String),
      replayed: false,
      article: { id: a1.id, slug: a1.slug, title: a1.title, status: "PUBLISHED", topics: [{ slug: "climate" }] },
    });
    expect((await climate.take(2)).map((v) => v.articlePublished.article.id)).toEqual([a1.id, a4.id]);
    expect((await sportOrScience.take(1)).map((v) => v.articlePublished.article.id)).toEqual([a2.id]);
    // The same event has the same cursor for everyone.
    expect(climate.values[1]!.articlePublished.cursor).toBe(all[3]!.articlePublished.cursor);

    // Publishing again what is already live emits nothing; the sentinel is next for everyone.
    ok(await server.request(FeedPublishArticleDocument, { id: a1.id }, { token: editor }));
    const sentinel = await publishedArticle(server, editor, { topicSlugs: ["science", "climate"] });
    await everything.take(5);
    await climate.take(3);
    await sportOrScience.take(2);
    expect(everything.values.map((v) => v.articlePublished.article.id)).toEqual([
      a1.id,
      a2.id,
      a3.id,
      a4.id,
      sentinel.id,
    ]);
    expect(climate.values.map((v) => v.articlePublished.article.id)).toEqual([a1.id, a4.id, sentinel.id]);
    expect(sportOrScience.values.map((v) => v.articlePublished.article.id)).toEqual([a2.id, sentinel.id]);
  });

  test("a scheduled article emits articlePublished when it goes live, not when it is scheduled", async () => {
    const topic = ["culture"];
    const stream = pool.client().subscribe(FeedArticlePublishedDocument, { topicSlugs: topic });
    await listening(1);

    const article = await draftArticle(server, editor, { topicSlugs: topic });
    const at = new Date(clock.now().getTime() + 3_600_000).toISOString();
    const scheduled = ok(
      await server.request(FeedPublishArticleDocument, { id: article.id, at }, { token: editor }),
    ).publishArticle;
    expect(scheduled).toEqual({ id: article.id, status: "SCHEDULED", publishedAt: at });
    expect(await server.services.scheduler.runDue()).toBe(0);

    clock.advance(3_600_000);
    expect(await server.services.scheduler.runDue()).toBe(1);
    const [live] = await stream.take(1);
    expect(live!.articlePublished).toMatchObject({
      replayed: false,
      article: { id: article.id, status: "PUBLISHED", topics: [{ slug: "culture" }] },
    });

    expect(await server.services.scheduler.runDue()).toBe(0);
    const sentinel = await publishedArticle(server, editor, { topicSlugs: topic });
    await stream.take(2);
    expect(stream.values.map((v) => v.articlePublished.article.id)).toEqual([article.id, sentinel.id]);
  });
});

describe("articleUpdated", () => {
  test("edits of a live article reach its subscribers; a take-down reaches editors only", async () => {
    const article = await publishedArticle(server, editor);
    const other = await publishedArticle(server, editor);
    const reader = pool.client().subscribe(FeedArticleUpdatedDocument, { articleId: article.id });
    const editorStream = pool.client({ token: editor }).subscribe(FeedArticleUpdatedDocument, {
      articleId: article.id,
    });
    await listening(2);

    const edit = (id: string, input: { title?: string; standfirst?: string }) =>
      server.request(FeedUpdateArticleDocument, { id, input }, { token: editor }).then(ok);
    await edit(article.id, { title: "Correction: the ferry is on time" });
    await edit(other.id, { title: "Another story's edit" });
    await edit(article.id, { standfirst: "Live: updated every hour" });

    expect(await reader.take(2)).toEqual([
      {
        articleUpdated: {
          id: article.id,
          title: "Correction: the ferry is on time",
          standfirst: null,
          status: "PUBLISHED",
        },
      },
      {
        articleUpdated: {
          id: article.id,
          title: "Correction: the ferry is on time",
          standfirst: "Live: updated every hour",
          status: "PUBLISHED",
        },
      },
    ]);

    // Taken down: readers no longer see the article, editors see it as a draft.
    ok(await server.request(FeedUnpublishArticleDocument, { id: article.id }, { token: editor }));
    const [, , takenDown] = await editorStream.take(3);
    expect(takenDown!.articleUpdated).toMatchObject({ id: article.id, status: "DRAFT" });
    // Edits of the draft are not broadcast at all (nobody, not even editors).
    await edit(article.id, { title: "Rewritten while offline" });

    ok(await server.request(FeedPublishArticleDocument, { id: article.id }, { token: editor }));
    await edit(article.id, { title: "Back, with a fix" });
    await reader.take(3);
    await editorStream.take(4);
    expect(reader.values.map((v) => [v.articleUpdated.title, v.articleUpdated.status])).toEqual([
      ["Correction: the ferry is on time", "PUBLISHED"],
      ["Correction: the ferry is on time", "PUBLISHED"],
      ["Back, with a fix", "PUBLISHED"],
    ]);
    expect(editorStream.values.map((v) => [v.articleUpdated.title, v.articleUpdated.status])).toEqual([
      ["Correction: the ferry is on time", "PUBLISHED"],
      ["Correction: the ferry is on time", "PUBLISHED"],
      ["Correction: the ferry is on time", "DRAFT"],
      ["Back, with a fix", "PUBLISHED"],
    ]);
  });

  test("subscribing to a draft is NOT_FOUND for anonymous readers", async () => {
    const draft = await draftArticle(server, editor);
    const stream = pool.client().subscribe(FeedArticleUpdatedDocument, { articleId: draft.id });
    await stream.ended();
    expect(codes(stream)).toEqual(["NOT_FOUND"]);
    expect(stream.values).toEqual([]);
  });
});

describe("moderationQueue", () => {
  test("editors get comments as they enter the queue; writers are FORBIDDEN, anonymous UNAUTHENTICATED", async () => {
    const article = await publishedArticle(server, editor);
    const queue = pool.client({ token: editor }).subscribe(FeedModerationQueueDocument, {});
    const reader = pool.client().subscribe(FeedCommentAddedDocument, { articleId: article.id });
    await listening(2);
    const byWriter = pool.client({ token: writer }).subscribe(FeedModerationQueueDocument, {});
    const byAnonymous = pool.client().subscribe(FeedModerationQueueDocument, {});
    await byWriter.ended();
    await byAnonymous.ended();
    expect(codes(byWriter)).toEqual(["FORBIDDEN"]);
    expect(codes(byAnonymous)).toEqual(["UNAUTHENTICATED"]);

    const held = await postComment(server, article.id, {
      authorName: "Bot",
      body: "Held by the honeypot",
      honeypot: "filled",
    });
    const public1 = await postComment(server, article.id);
    const [entry] = await queue.take(1);
    expect(entry).toEqual({
      moderationQueue: {
        id: held.id,
        body: "Held by the honeypot",
        authorName: "Bot",
        status: "PENDING",
        article: { id: article.id },
      },
    });
    // Readers never see it while it waits; the approved comment is the first thing they get.
    expect((await reader.take(1))[0]!.commentAdded.comment.id).toBe(public1.id);

    // Approving it does not put it in the queue again; sending it back to PENDING does.
    ok(await server.request(FeedModerateCommentDocument, { id: held.id, status: "APPROVED" }, { token: editor }));
    ok(await server.request(FeedModerateCommentDocument, { id: held.id, status: "PENDING" }, { token: editor }));
    await queue.take(2);
    expect(queue.values.map((v) => [v.moderationQueue.id, v.moderationQueue.status])).toEqual([
      [held.id, "PENDING"],
      [held.id, "PENDING"],
    ]);
  });

  test("with pre-moderation every comment waits in the queue and reaches readers once approved", async () => {
    const pre = await startTestServer({ commentModeration: "pre", commentRateLimit: 100_000 });
    const prePool = new ClientPool(() => pre.url);
    try {
      const preEditor = await pre.token("pre-editor", "EDITOR");
      const article = await publishedArticle(pre, preEditor);
      const queue = prePool.client({ token: preEditor }).subscribe(FeedModerationQueueDocument, {});
      const reader = prePool.client().subscribe(FeedCommentAddedDocument, { articleId: article.id });
      await waitForListeners(pre, 2);

      const first = await postComment(pre, article.id, { body: `First ${unique("pre")}` });
      const second = await postComment(pre, article.id, { body: `Second ${unique("pre")}` });
      expect([first.status, second.status]).toEqual(["PENDING", "PENDING"]);
      expect((await queue.take(2)).map((v) => [v.moderationQueue.id, v.moderationQueue.body])).toEqual([
        [first.id, first.body],
        [second.id, second.body],
      ]);

      ok(await pre.request(FeedModerateCommentDocument, { id: second.id, status: "APPROVED" }, { token: preEditor }));
      const [approved] = await reader.take(1);
      expect(approved!.commentAdded).toMatchObject({
        replayed: false,
        comment: { id: second.id, body: second.body, status: "APPROVED" },
      });
      ok(await pre.request(FeedModerateCommentDocument, { id: first.id, status: "APPROVED" }, { token: preEditor }));
      await reader.take(2);
      expect(reader.values.map((v) => v.commentAdded.comment.id)).toEqual([second.id, first.id]);
      expect(queue.values).toHaveLength(2);
    } finally {
      await prePool.closeAll();
      await pre.stop();
    }
  });
});

describe("cursors", () => {
  test("a malformed or unknown cursor is BAD_USER_INPUT naming since", async () => {
    const article = await publishedArticle(server, editor);
    const unknown = Buffer.from("e:999999999:999999999").toString("base64url");
    for (const since of ["%%%", "bm90LWEtY3Vyc29y", unknown, ""]) {
      for (const stream of [
        pool.client().subscribe(FeedCommentAddedDocument, { articleId: article.id, since }),
        pool.client().subscribe(FeedArticlePublishedDocument, { since }),
      ]) {
        await stream.ended();
        expect(stream.errors.map((e) => [e.extensions?.code, Object.keys(e.extensions?.fields ?? {})])).toEqual([
          ["BAD_USER_INPUT", ["since"]],
        ]);
        expect(stream.values).toEqual([]);
      }
    }
  });

  test("without a cursor a subscription is live only: nothing from before it started", async () => {
    const article = await publishedArticle(server, editor);
    await postComment(server, article.id);
    const earlier = await postComment(server, article.id);
    await dispatchedPast(server, (await feedRowsOfComment(server.db, earlier.id))[0]!);
    const stream = pool.client().subscribe(FeedCommentAddedDocument, { articleId: article.id });
    await listening(1);
    const fresh = await postComment(server, article.id);
    const [first] = await stream.take(1);
    expect(first!.commentAdded).toMatchObject({ replayed: false, comment: { id: fresh.id } });
  });
});
