/**
 * graphql-ws protocol hygiene, one close code at a time, with raw `ws`
 * sockets speaking graphql-transport-ws by hand: the init timeout (4408), a
 * bad token (4403), keep-alive pings that drop dead peers, the frame size
 * limit (1009), the slow-consumer limit (1013, the others keep flowing) and
 * shutdown (1001).
 */
import pino from "pino";
import { Writable } from "node:stream";
import {
  FeedCommentAddedDocument,
  FeedCommentAddedHeavyDocument,
  FeedModerationQueueDocument,
} from "../generated/graphql";
import { ClientPool, waitFor, waitForListeners } from "../support/feed-client";
import { postComment, publishedArticle, unique } from "../support/feed-fixtures";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

/** A pino logger that keeps every line, so tests can see what the server logged. */
function capturingLogger(level: string) {
  const lines: { level: number; msg: string; [key: string]: unknown }[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level }, stream), lines };
}

describe("connection, authentication, keep-alive and frame size", () => {
  let server: TestServer;
  let pool: ClientPool;
  let editor: string;
  let writer: string;

  beforeAll(async () => {
    server = await startTestServer({
      commentRateLimit: 100_000,
      wsInitTimeoutMs: 300,
      wsKeepAliveMs: 300,
      wsMaxPayloadBytes: 1024,
    });
    pool = new ClientPool(() => server.url);
    editor = await server.token("protocol-editor", "EDITOR");
    writer = await server.token("protocol-writer", "WRITER");
  });
  afterEach(() => pool.closeAll(server));
  afterAll(() => server?.stop());

  test("a socket that never sends connection_init is closed with 4408", async () => {
    const raw = await pool.raw();
    expect(raw.socket.protocol).toBe("graphql-transport-ws");
    expect(await raw.closedWithin()).toEqual({ code: 4408, reason: "Connection initialisation timeout" });
    expect(raw.frames).toEqual([]);
  });

  test("a bad token in connection_init is closed with 4403; a good one is acknowledged", async () => {
    for (const authorization of ["Bearer ng_not-a-real-token", "Basic dXNlcjpwYXNz", `Bearer ${editor}x`]) {
      const raw = await pool.raw();
      raw.send({ type: "connection_init", payload: { authorization } });
      expect((await raw.closedWithin()).code).toBe(4403);
      expect(raw.frames).toEqual([]);
    }
    const good = await pool.raw();
    await good.init(editor);
    expect(good.frames).toEqual([{ type: "connection_ack" }]);
    const anonymous = await pool.raw();
    await anonymous.init();
    expect(anonymous.frames).toEqual([{ type: "connection_ack" }]);
  });

  test("a revoked token is refused with 4403", async () => {
    const token = await server.token("protocol-revoked", "EDITOR");
    const [row] = await server.db.query<{ id: number }>(
      "SELECT t.id FROM api_tokens t JOIN authors a ON a.id = t.author_id WHERE a.slug = 'protocol-revoked'",
    );
    expect(await server.services.auth.revokeToken(row!.id)).toBe(true);
    const raw = await pool.raw();
    raw.send({ type: "connection_init", payload: { authorization: `Bearer ${token}` } });
    expect((await raw.closedWithin()).code).toBe(4403);
  });

  test("moderationQueue without an editor token is an error, not a stream", async () => {
    const raw = await pool.raw();
    await raw.init(writer);
    raw.subscribe("q", FeedModerationQueueDocument, {});
    const next = await raw.frame((f) => f.id === "q" && f.type === "next", "the error of the subscription");
    expect(next.payload.data ?? null).toBeNull();
    expect(next.payload.errors.map((e: any) => [e.extensions.code, e.path])).toEqual([
      ["FORBIDDEN", ["moderationQueue"]],
    ]);
    await raw.frame((f) => f.id === "q" && f.type === "complete", "complete");

    const anonymous = await pool.raw();
    await anonymous.init();
    anonymous.subscribe("q", FeedModerationQueueDocument, {});
    const refused = await anonymous.frame((f) => f.id === "q" && f.type === "next", "the error");
    expect(refused.payload.errors.map((e: any) => e.extensions.code)).toEqual(["UNAUTHENTICATED"]);

    const editorSocket = await pool.raw();
    await editorSocket.init(editor);
    editorSocket.subscribe("q", FeedModerationQueueDocument, {});
    await waitForListeners(server, 1);
    expect(editorSocket.frames).toEqual([{ type: "connection_ack" }]);
  });

  test("moderationQueue's role gate is at the schema edge: a refused subscribe never reaches the feed service", async () => {
    const opened = jest.spyOn(server.services.feed, "moderationQueue");
    try {
      for (const token of [writer, undefined]) {
        const raw = await pool.raw();
        await raw.init(token);
        raw.subscribe("q", FeedModerationQueueDocument, {});
        const next = await raw.frame((f) => f.id === "q" && f.type === "next", "the refusal");
        expect(next.payload.errors.map((e: any) => e.message)).toEqual(["This needs the EDITOR role or better"]);
        await raw.frame((f) => f.id === "q" && f.type === "complete", "complete");
      }
      expect(opened).not.toHaveBeenCalled();
      const editorSocket = await pool.raw();
      await editorSocket.init(editor);
      editorSocket.subscribe("q", FeedModerationQueueDocument, {});
      await waitForListeners(server, 1);
      expect(opened).toHaveBeenCalledTimes(1);
    } finally {
      opened.mockRestore();
    }
  });

  test("an invalid operation is refused with an error message carrying its code", async () => {
    const raw = await pool.raw();
    await raw.init();
    raw.send({ type: "subscribe", id: "v", payload: { query: "subscription { commentAdded { cursor } }" } });
    raw.send({ type: "subscribe", id: "p", payload: { query: "subscription {" } });
    const invalid = await raw.frame((f) => f.id === "v" && f.type === "error", "the validation error");
    expect(invalid.payload.map((e: any) => e.extensions.code)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    const unparsable = await raw.frame((f) => f.id === "p" && f.type === "error", "the parse error");
    expect(unparsable.payload.map((e: any) => e.extensions.code)).toEqual(["GRAPHQL_PARSE_FAILED"]);
    expect(raw.socket.readyState).toBe(raw.socket.OPEN);
  });

  test("keep-alive pings drop a peer that stops answering them; a live peer stays", async () => {
    const article = await publishedArticle(server, editor);
    const healthy = await pool.raw();
    let pings = 0;
    healthy.socket.on("ping", () => (pings += 1));
    await healthy.init();
    healthy.subscribe("s", FeedCommentAddedDocument, { articleId: article.id });
    const dead = await pool.raw({ autoPong: false });
    await dead.init();
    dead.subscribe("s", FeedCommentAddedDocument, { articleId: article.id });
    await waitForListeners(server, 2);
    expect(server.openSockets).toBe(2);

    const closed = await dead.closedWithin();
    expect(closed.code).toBe(1006);
    await waitFor(
      () => server.openSockets === 1 && server.services.feedDispatcher.listenerCount === 1,
      () => `one socket and one listener left (sockets ${server.openSockets})`,
    );
    // The healthy socket answered every ping so far and still gets events.
    await waitFor(
      () => pings >= 4,
      () => `4 pings (got ${pings})`,
    );
    expect(healthy.socket.readyState).toBe(healthy.socket.OPEN);
    const comment = await postComment(server, article.id);
    const next = await healthy.frame((f) => f.type === "next", "the comment");
    expect(next.payload.data.commentAdded.comment.id).toBe(comment.id);
  });

  test("a frame larger than wsMaxPayloadBytes closes the socket with 1009; the server keeps serving", async () => {
    const raw = await pool.raw();
    await raw.init();
    const query = `subscription { commentAdded(articleId: "x") { cursor } } # ${"x".repeat(1100)}`;
    raw.send({ type: "subscribe", id: "big", payload: { query } });
    expect((await raw.closedWithin()).code).toBe(1009);
    await waitFor(
      () => server.openSockets === 0,
      () => `no open socket (have ${server.openSockets})`,
    );

    // Just under the limit is fine.
    const article = await publishedArticle(server, editor);
    const small = await pool.raw();
    await small.init();
    const padding = " ".repeat(700);
    small.send({
      type: "subscribe",
      id: "ok",
      payload: {
        query: `subscription($a: ID!) { commentAdded(articleId: $a) { comment { id } } }${padding}`,
        variables: { a: article.id },
      },
    });
    await waitForListeners(server, 1);
    const comment = await postComment(server, article.id);
    const next = await small.frame((f) => f.id === "ok" && f.type === "next", "the comment");
    expect(next.payload).toEqual({ data: { commentAdded: { comment: { id: comment.id } } } });
  });
});

describe("slow consumers", () => {
  let server: TestServer;
  let pool: ClientPool;
  let editor: string;
  const captured = capturingLogger("warn");

  beforeAll(async () => {
    server = await startTestServer(
      // Keep-alive long enough that the paused client is not dropped as dead first.
      { commentRateLimit: 100_000, wsMaxBufferedBytes: 1024, wsKeepAliveMs: 600_000 },
      { logger: captured.logger },
    );
    pool = new ClientPool(() => server.url);
    editor = await server.token("slow-editor", "EDITOR");
  });
  afterEach(() => pool.closeAll(server));
  afterAll(() => server?.stop());

  /**
   * A raw client with `subscriptions` heavy subscriptions on one socket stops
   * reading (its TCP socket is paused) while comments are posted, up to
   * `maxComments` of them (300 kB each: 100 are several times what the kernel's
   * socket buffers held before the server noticed in the two-subscription
   * case), until the server logs that it closes a slow consumer. A normal client on
   * the same article must get every event throughout.
   */
  async function slowConsumer(subscriptions: number, maxComments: number) {
    // About 300 kB of JSON per event: the article's body twice.
    const body = Array.from({ length: 1500 }, (_, i) => `Paragraph ${i} of the live blog, with an update.`).join(
      "\n\n",
    );
    const article = await publishedArticle(server, editor, { body });
    const slow = await pool.raw();
    await slow.init();
    for (let i = 0; i < subscriptions; i++) {
      slow.subscribe(`heavy-${i}`, FeedCommentAddedHeavyDocument, { articleId: article.id });
    }
    const normal = pool.client().subscribe(FeedCommentAddedHeavyDocument, { articleId: article.id });
    await waitForListeners(server, subscriptions + 1);
    expect(server.openSockets).toBe(2);

    const tcp = (slow.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    const closesBefore = captured.lines.filter((l) => l.msg === "closing a slow websocket consumer").length;
    const slowClosed = () =>
      captured.lines.filter((l) => l.msg === "closing a slow websocket consumer").length > closesBefore;
    const posted: string[] = [];
    tcp.pause();
    try {
      while (!slowClosed() && posted.length < maxComments) {
        posted.push((await postComment(server, article.id, { body: `Update ${unique("u")}` })).id);
        await normal.take(posted.length, 20_000);
      }
      // One more once the server has begun closing the slow socket: it cannot go out on that socket,
      // however much of the earlier ones the kernel and the socket's buffer still hand over on resume.
      if (slowClosed()) {
        posted.push((await postComment(server, article.id, { body: `After the close ${unique("u")}` })).id);
        await normal.take(posted.length, 20_000);
      }
    } finally {
      tcp.resume();
    }
    return { slow, normal, posted, slowClosed: slowClosed(), article };
  }

  test("a socket that stops reading is closed with 1013 while another subscriber gets every event", async () => {
    // Two subscriptions on the slow socket: see the next test for why this matters.
    const { slow, normal, posted, slowClosed, article } = await slowConsumer(2, 150);
    expect(slowClosed).toBe(true);
    expect(await slow.closedWithin()).toEqual({
      code: 1013,
      reason: "Slow consumer: reconnect and resume with since",
    });
    expect(slow.nexts("heavy-0").length).toBeLessThan(posted.length);

    // The normal subscriber got every event, in order, and keeps getting them.
    await waitFor(
      () => server.openSockets === 1,
      () => `only the normal socket open (have ${server.openSockets})`,
    );
    const after = await postComment(server, article.id);
    await normal.take(posted.length + 1);
    expect(normal.values.map((v) => v.commentAdded.comment.id)).toEqual([...posted, after.id]);
  }, 120_000);

  // graphql-ws checks nothing while a single subscription waits for its previous message to drain;
  // the server's periodic sweep of buffered bytes must still find and close this socket.
  test("a socket with a single subscription that stops reading is closed with 1013", async () => {
    const { slow, slowClosed } = await slowConsumer(1, 100);
    expect(slowClosed).toBe(true);
    expect((await slow.closedWithin()).code).toBe(1013);
  }, 120_000);
});

describe("shutdown", () => {
  test("stopping the server closes every socket with 1001 (Going Away)", async () => {
    const server = await startTestServer({ commentRateLimit: 100_000 });
    const pool = new ClientPool(() => server.url);
    let stopped = false;
    try {
      const editor = await server.token("shutdown-editor", "EDITOR");
      const article = await publishedArticle(server, editor);
      const raw = await pool.raw();
      await raw.init();
      raw.subscribe("s", FeedCommentAddedDocument, { articleId: article.id });
      const idle = await pool.raw();
      await idle.init(editor);
      const client = pool.client();
      const stream = client.subscribe(FeedCommentAddedDocument, { articleId: article.id });
      await waitForListeners(server, 2);
      expect(server.openSockets).toBe(3);

      stopped = true;
      await server.stop();
      expect((await raw.closedWithin()).code).toBe(1001);
      expect((await idle.closedWithin()).code).toBe(1001);
      await stream.ended();
      expect(client.closes.map((c) => c.code)).toEqual([1001]);
      expect((stream.failure as { code: number }).code).toBe(1001);
    } finally {
      await pool.closeAll();
      if (!stopped) await server.stop();
    }
  });
});
