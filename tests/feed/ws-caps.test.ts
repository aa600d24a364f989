/**
 * Caps on what one client may hold open: operations per socket
 * (WS_MAX_SUBSCRIPTIONS_PER_SOCKET, refused with an error message for that
 * subscribe id) and sockets per client address (WS_MAX_SOCKETS_PER_ADDRESS,
 * closed with 4429), each tried at the cap, at the cap + 1, and after room was
 * freed. Addresses come from X-Forwarded-For here (TRUST_PROXY).
 */
import { FeedCommentAddedDocument } from "../generated/graphql";
import type { RawConnection } from "../support/feed-client";
import { ClientPool, waitFor, waitForListeners } from "../support/feed-client";
import { postComment } from "../support/feed-fixtures";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";
import { toGlobalId } from "../../src/shared/node-id";

const CAP = 3;
let server: TestServer;
let pool: ClientPool;
let articleId: string;

beforeAll(async () => {
  server = await startTestServer({
    commentRateLimit: 100_000,
    trustProxy: true,
    wsMaxSubscriptionsPerSocket: CAP,
    wsMaxSocketsPerAddress: CAP,
  });
  pool = new ClientPool(() => server.url);
  const [row] = await server.db.query<{ id: number }>(
    "SELECT id FROM articles WHERE status = 'PUBLISHED' AND comments_open ORDER BY id LIMIT 1",
  );
  articleId = toGlobalId("Article", row!.id);
});
afterEach(() => pool.closeAll(server));
afterAll(() => server?.stop());

const from = (address: string) => pool.raw({ headers: { "x-forwarded-for": address } });

/** Ids of the subscriptions on `raw` that received the comment posted now. */
async function receivers(raw: RawConnection, ids: string[]): Promise<string[]> {
  const comment = await postComment(server, articleId);
  const got = (id: string) =>
    raw.frames.some((f) => f.id === id && f.type === "next" && f.payload.data?.commentAdded.comment.id === comment.id);
  await waitFor(
    () => ids.every(got),
    () => `the comment on ${ids.join(", ")}; frames ${JSON.stringify(raw.frames).slice(-600)}`,
  );
  return ids.filter(got);
}

describe("operations per socket", () => {
  test("at the cap all run; one more is refused for its id; completing one frees room", async () => {
    const raw = await from("10.0.0.1");
    await raw.init();
    for (const id of ["s1", "s2", "s3"]) raw.subscribe(id, FeedCommentAddedDocument, { articleId });
    await waitForListeners(server, CAP);
    raw.subscribe("s4", FeedCommentAddedDocument, { articleId });
    const refused = await raw.frame((f) => f.id === "s4" && f.type === "error", "the refusal of s4");
    expect(refused.payload).toEqual([
      {
        message: `At most ${CAP} operations at once on one socket: complete one before starting another`,
        extensions: { code: "RATE_LIMITED", limit: CAP },
      },
    ]);
    expect(raw.socket.readyState).toBe(raw.socket.OPEN);
    expect(await receivers(raw, ["s1", "s2", "s3"])).toEqual(["s1", "s2", "s3"]);

    const complete = async (id: string) => {
      raw.send({ type: "complete", id });
      await waitFor(
        () => server.services.feedDispatcher.listenerCount === CAP - 1,
        () => `${CAP - 1} listeners (have ${server.services.feedDispatcher.listenerCount})`,
      );
    };
    // Room again, for a new id and for the refused one.
    await complete("s1");
    raw.subscribe("s5", FeedCommentAddedDocument, { articleId });
    await waitForListeners(server, CAP);
    await complete("s2");
    raw.subscribe("s4", FeedCommentAddedDocument, { articleId });
    await waitForListeners(server, CAP);
    expect(await receivers(raw, ["s3", "s4", "s5"])).toEqual(["s3", "s4", "s5"]);
    expect(raw.frames.filter((f) => f.type === "error")).toHaveLength(1);
  });

  test("a burst of subscribes sent at once: exactly the cap runs, the rest are refused", async () => {
    const raw = await from("10.0.0.2");
    await raw.init();
    const ids = Array.from({ length: 10 }, (_, i) => `b${i}`);
    for (const id of ids) raw.subscribe(id, FeedCommentAddedDocument, { articleId });
    await waitFor(
      () => raw.frames.filter((f) => f.type === "error").length === ids.length - CAP,
      () => `${ids.length - CAP} refusals; frames ${JSON.stringify(raw.frames).slice(-600)}`,
    );
    await waitForListeners(server, CAP);
    const refused = raw.frames.filter((f) => f.type === "error").map((f) => f.id!);
    const running = ids.filter((id) => !refused.includes(id));
    expect(running).toHaveLength(CAP);
    expect(await receivers(raw, running)).toEqual(running);
    expect(server.services.feedDispatcher.listenerCount).toBe(CAP);
  });
});

describe("sockets per address", () => {
  test("at the cap all are acknowledged; one more is closed with 4429; closing one frees room", async () => {
    const sockets = [await from("10.0.1.1"), await from("10.0.1.1"), await from("10.0.1.1")];
    for (const raw of sockets) await raw.init();
    const over = await from("10.0.1.1");
    expect(await over.closedWithin()).toEqual({ code: 4429, reason: "Too many sockets from this address" });
    expect(over.frames).toEqual([]);
    // Another address has room of its own.
    const elsewhere = await from("10.0.1.2");
    await elsewhere.init();

    sockets[0]!.terminate();
    await waitFor(
      () => server.openSockets === CAP,
      () => `${CAP} open sockets (have ${server.openSockets})`,
    );
    const again = await from("10.0.1.1");
    await again.init();
    expect(again.frames).toEqual([{ type: "connection_ack" }]);
    expect(sockets.slice(1).every((raw) => raw.socket.readyState === raw.socket.OPEN)).toBe(true);
  });
});
