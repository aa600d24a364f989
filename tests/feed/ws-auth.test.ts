/**
 * Tokens on open WebSockets: a socket is authenticated at connection_init, and
 * a token revoked (or given another role) after that must stop working on it
 * too. Three ways, each pinned with the others kept out of the way: the check
 * before each operation, the revocation's bus message, and the periodic
 * re-check. Role errors read the same on both transports.
 */
import {
  FeedModerateCommentDocument,
  FeedModerationQueueDocument,
  NewsroomArticleDocument,
  NewsroomArticlesDocument,
  NewsroomCreateArticleDocument,
  ViewerDocument,
} from "../generated/graphql";
import type { RawConnection } from "../support/feed-client";
import { ClientPool, waitFor, waitForListeners } from "../support/feed-client";
import { ok, postComment } from "../support/feed-fixtures";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";
import { toGlobalId } from "../../src/shared/node-id";

/** A server, a pool of sockets, and helpers around its tokens. */
function setUp(recheckMs: number) {
  const env = {} as { server: TestServer; pool: ClientPool; articleId: string };
  beforeAll(async () => {
    env.server = await startTestServer({
      commentRateLimit: 100_000,
      commentModeration: "pre",
      wsTokenRecheckMs: recheckMs,
    });
    env.pool = new ClientPool(() => env.server.url);
    const [row] = await env.server.db.query<{ id: number }>(
      "SELECT id FROM articles WHERE status = 'PUBLISHED' AND comments_open ORDER BY id LIMIT 1",
    );
    env.articleId = toGlobalId("Article", row!.id);
  });
  afterEach(() => env.pool.closeAll(env.server));
  afterAll(() => env.server?.stop());
  return env;
}

let slugs = 0;
/** A new author with a token of `role`; returns the token and its id. */
async function tokenOf(server: TestServer, role: "WRITER" | "EDITOR") {
  slugs += 1;
  const slug = `ws-auth-${role.toLowerCase()}-${slugs}`;
  const token = await server.token(slug, role);
  const [row] = await server.db.query<{ id: number }>(
    "SELECT t.id FROM api_tokens t JOIN authors a ON a.id = t.author_id WHERE a.slug = $1",
    [slug],
  );
  return { token, id: row!.id };
}

/** Revokes in the database only: no bus message, as a revocation made outside the service would. */
const revokeQuietly = (server: TestServer, id: number) =>
  server.db.query("UPDATE api_tokens SET revoked_at = now() WHERE id = $1", [id]);

async function openSocket(pool: ClientPool, token: string): Promise<RawConnection> {
  const raw = await pool.raw();
  await raw.init(token);
  // The channel works: an operation answers before the token changes.
  raw.subscribe("viewer", ViewerDocument, {});
  await raw.frame((f) => f.id === "viewer" && f.type === "complete", "the viewer query to complete");
  return raw;
}

describe("the token is checked again before each operation", () => {
  // No re-check within the test: only the per-operation check can notice.
  const env = setUp(600_000);

  test("revoked after connection_init: the next mutation closes the socket with 4403 and does not run", async () => {
    const { server, pool, articleId } = env;
    const editor = await tokenOf(server, "EDITOR");
    const raw = await openSocket(pool, editor.token);
    expect(raw.frames.find((f) => f.id === "viewer" && f.type === "next")!.payload.data.viewer.role).toBe("EDITOR");
    const pending = await postComment(server, articleId);
    expect(pending.status).toBe("PENDING");

    await revokeQuietly(server, editor.id);
    raw.subscribe("moderate", FeedModerateCommentDocument, { id: pending.id, status: "APPROVED" });
    expect(await raw.closedWithin()).toEqual({ code: 4403, reason: "Token revoked" });
    expect(raw.frames.filter((f) => f.id === "moderate")).toEqual([]);
    const [row] = await server.db.query<{ status: string }>("SELECT status FROM comments WHERE body = $1", [
      pending.body,
    ]);
    expect(row!.status).toBe("PENDING");
  });

  test("revoked after connection_init: a writer's draft is no longer read over the socket", async () => {
    const { server, pool } = env;
    const writer = await tokenOf(server, "WRITER");
    const draft = ok(
      await server.request(
        NewsroomCreateArticleDocument,
        { input: { title: "A draft for the socket", body: "Not yet." } },
        { token: writer.token },
      ),
    ).createArticle;
    const raw = await openSocket(pool, writer.token);
    raw.subscribe("before", NewsroomArticleDocument, { id: draft.id });
    const before = await raw.frame((f) => f.id === "before" && f.type === "next", "the draft");
    expect(before.payload.data.article).toMatchObject({ id: draft.id, status: "DRAFT" });

    await revokeQuietly(server, writer.id);
    raw.subscribe("after", NewsroomArticleDocument, { id: draft.id });
    expect((await raw.closedWithin()).code).toBe(4403);
    expect(raw.frames.filter((f) => f.id === "after")).toEqual([]);
  });

  test("a role lowered after connection_init: the next subscribe closes the socket with 4403", async () => {
    const { server, pool } = env;
    const editor = await tokenOf(server, "EDITOR");
    const raw = await openSocket(pool, editor.token);
    await server.db.query("UPDATE api_tokens SET role = 'WRITER' WHERE id = $1", [editor.id]);
    raw.subscribe("queue", FeedModerationQueueDocument, {});
    expect(await raw.closedWithin()).toEqual({ code: 4403, reason: "Token role changed: reconnect" });
    expect(server.services.feedDispatcher.listenerCount).toBe(0);
  });

  test("a token check that fails (the database, not the token) refuses the operation and keeps the socket", async () => {
    const { server, pool } = env;
    const editor = await tokenOf(server, "EDITOR");
    const raw = await openSocket(pool, editor.token);
    const auth = server.services.auth;
    const liveRoles = auth.liveRoles;
    auth.liveRoles = () => Promise.reject(Object.assign(new Error("Connection terminated"), { code: "57P01" }));
    try {
      raw.subscribe("failed", ViewerDocument, {});
      const failed = await raw.frame((f) => f.id === "failed" && f.type === "error", "the refusal");
      expect(failed.payload.map((e: any) => [e.message, e.extensions.code])).toEqual([
        ["Internal server error", "INTERNAL_SERVER_ERROR"],
      ]);
    } finally {
      auth.liveRoles = liveRoles;
    }
    raw.subscribe("again", ViewerDocument, {});
    const again = await raw.frame((f) => f.id === "again" && f.type === "next", "the viewer");
    expect(again.payload.data.viewer.role).toBe("EDITOR");
  });

  test("role errors have one wording, anonymous or below the role, over HTTP and WebSocket", async () => {
    const { server, pool, articleId } = env;
    const writer = await tokenOf(server, "WRITER");
    const pending = await postComment(server, articleId);
    const http = async (token?: string) =>
      (await server.request(FeedModerateCommentDocument, { id: pending.id, status: "APPROVED" }, { token })).errors!;
    const ws = async (token?: string) => {
      const raw = await pool.raw();
      await raw.init(token);
      raw.subscribe("q", FeedModerationQueueDocument, {});
      return (await raw.frame((f) => f.id === "q" && f.type === "next", "the refusal")).payload.errors;
    };
    const seen = [await http(), await http(writer.token), await ws(), await ws(writer.token)].map((errors) =>
      errors.map((e: any) => [e.extensions.code, e.message]),
    );
    const message = "This needs the EDITOR role or better";
    expect(seen).toEqual([
      [["UNAUTHENTICATED", message]],
      [["FORBIDDEN", message]],
      [["UNAUTHENTICATED", message]],
      [["FORBIDDEN", message]],
    ]);
    const drafts = await server.request(NewsroomArticlesDocument, { filter: { status: "DRAFT" } });
    expect(drafts.errors!.map((e) => [e.extensions!.code, e.message])).toEqual([
      ["UNAUTHENTICATED", "Listing DRAFT articles needs the WRITER role or better"],
    ]);
  });
});

describe("a revocation through the service closes the token's open sockets at once", () => {
  // No re-check within the test: only the revocation's bus message can close the socket.
  const env = setUp(600_000);

  test("4403 for the revoked token's sockets, their moderationQueue stops; another token's keeps flowing", async () => {
    const { server, pool, articleId } = env;
    const revoked = await tokenOf(server, "EDITOR");
    const kept = await tokenOf(server, "EDITOR");
    const sockets = [await openSocket(pool, revoked.token), await openSocket(pool, revoked.token)];
    const other = await openSocket(pool, kept.token);
    for (const raw of [...sockets, other]) raw.subscribe("queue", FeedModerationQueueDocument, {});
    await waitForListeners(server, 3);

    expect(await server.services.auth.revokeToken(revoked.id)).toBe(true);
    for (const raw of sockets) expect(await raw.closedWithin()).toEqual({ code: 4403, reason: "Token revoked" });
    await waitFor(
      () => server.services.feedDispatcher.listenerCount === 1,
      () => `one listener left (have ${server.services.feedDispatcher.listenerCount})`,
    );
    const pending = await postComment(server, articleId);
    const next = await other.frame((f) => f.id === "queue" && f.type === "next", "the pending comment");
    expect(next.payload.data.moderationQueue.id).toBe(pending.id);
    for (const raw of sockets) expect(raw.frames.filter((f) => f.id === "queue")).toEqual([]);
  });
});

describe("the periodic re-check closes sockets whose token changed without a message", () => {
  const env = setUp(200);

  test("revoked in the database only: the idle socket is closed with 4403 and its subscription stops", async () => {
    const { server, pool } = env;
    const editor = await tokenOf(server, "EDITOR");
    const raw = await openSocket(pool, editor.token);
    raw.subscribe("queue", FeedModerationQueueDocument, {});
    await waitForListeners(server, 1);
    await revokeQuietly(server, editor.id);
    expect(await raw.closedWithin()).toEqual({ code: 4403, reason: "Token revoked" });
    await waitFor(
      () => server.services.feedDispatcher.listenerCount === 0,
      () => `no listener left (have ${server.services.feedDispatcher.listenerCount})`,
    );
  });
});
