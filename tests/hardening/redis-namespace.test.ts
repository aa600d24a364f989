/**
 * Two deployments (two servers on two databases, as staging and production
 * would be) on one Redis: each keeps its cached responses, bus messages and
 * rate-limit counters under its own namespace (REDIS_PREFIX plus an id stored
 * in its database), so neither sees the other's. Two instances of the same
 * deployment (one database; PostgreSQL only, PGlite serves one process)
 * still share all three.
 */
import { print } from "graphql";
import { ConfigError, loadConfig } from "../../src/config";
import { createLogger } from "../../src/logger";
import { BusTopic } from "../../src/pubsub";
import type { BusMessage } from "../../src/pubsub";
import type { NewsgraphServer } from "../../src/server";
import { createServer } from "../../src/server";
import { toGlobalId } from "../../src/shared/node-id";
import { CacheArticleListDocument, HardeningAddCommentDocument } from "../generated/graphql";
import { REDIS_URL, unique, xCache } from "../cache/cache-helpers";
import { codes, commentInput } from "../support/feed-fixtures";
import { waitFor } from "../support/hardening-helpers";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

const RATE_LIMIT = 3;
const onPostgres = Boolean(process.env.DATABASE_URL);

describe("two deployments on one Redis", () => {
  let a: TestServer;
  let b: TestServer;
  /** A second instance of deployment A: same database (PostgreSQL only). */
  let a2: NewsgraphServer | undefined;
  // trustProxy: each test comments from a client address of its own (X-Forwarded-For), so the
  // rate-limit counters one test fills do not refuse another's comments.
  const overrides = { redisUrl: REDIS_URL, feedPollMs: 0, commentRateLimit: RATE_LIMIT, trustProxy: true };
  let addresses = 0;
  const freshAddress = () => `203.0.113.${++addresses}`;

  beforeAll(async () => {
    a = await startTestServer(overrides);
    b = await startTestServer(overrides);
    if (onPostgres) {
      a2 = await createServer(loadConfig({}, { ...a.config }), { logger: createLogger("silent") });
      await a2.start();
    }
  }, 120_000);
  afterAll(async () => {
    await a2?.stop();
    await a?.stop();
    await b?.stop();
  });

  const articleOf = async (server: NewsgraphServer) => {
    const [row] = await server.db.query(
      "SELECT id FROM articles WHERE status = 'PUBLISHED' AND comments_open ORDER BY id LIMIT 1",
    );
    return toGlobalId("Article", row.id);
  };
  /** One GraphQL POST to any of the servers (a2 is not a TestServer). */
  const send = async (
    server: NewsgraphServer,
    query: string,
    variables: Record<string, unknown>,
    headers: Record<string, string> = {},
  ) => {
    const res = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { ...((await res.json()) as { data?: any; errors?: any[] }), cache: res.headers.get("x-cache") };
  };
  /** An anonymous comment from client address `from` on an article of `to`'s database. */
  const post = async (server: NewsgraphServer, from: string, to: NewsgraphServer = server) =>
    send(
      server,
      print(HardeningAddCommentDocument),
      { input: commentInput(await articleOf(to)) },
      { "x-forwarded-for": from },
    );

  test("each deployment has its own namespace; instances of one deployment share it", async () => {
    expect(a.redisNamespace).toMatch(/^newsgraph:[0-9a-f]{16}:$/);
    expect(b.redisNamespace).toMatch(/^newsgraph:[0-9a-f]{16}:$/);
    expect(b.redisNamespace).not.toBe(a.redisNamespace);
    if (a2) expect(a2.redisNamespace).toBe(a.redisNamespace);
  });

  test("a response cached by A is not served by B (and is by A's other instance)", async () => {
    const doc = unique(CacheArticleListDocument);
    expect(xCache(await a.request(doc, { first: 2 }))).toBe("MISS");
    expect(xCache(await a.request(doc, { first: 2 }))).toBe("HIT");
    const onB = await b.request(doc, { first: 2 });
    expect([onB.status, onB.errors, xCache(onB)]).toEqual([200, undefined, "MISS"]);
    expect(xCache(await b.request(doc, { first: 2 }))).toBe("HIT");
    if (a2) expect((await send(a2, print(doc), { first: 2 })).cache).toBe("HIT");
  });

  test("a bus message of A does not reach B (B's own does; A's other instance gets A's)", async () => {
    const heard = (server: NewsgraphServer) => {
      const messages: BusMessage[] = [];
      server.services.bus.subscribe(BusTopic.FEED_EVENTS, (m) => messages.push(m));
      return messages;
    };
    const [onA, onB, onA2] = [heard(a), heard(b), a2 ? heard(a2) : []];
    const from = freshAddress();
    expect((await post(a, from)).errors).toBeUndefined();
    await waitFor(() => onA.length === 1, "A to hear its own event");
    // B's own event, published after A's: once B has it, A's would have arrived before it.
    expect((await post(b, from)).errors).toBeUndefined();
    await waitFor(() => onB.length > 0, "B to hear its own event");
    const [bRow] = await b.db.query("SELECT max(id)::text AS id FROM feed_events");
    expect(onB).toEqual([{ eventId: bRow.id }]);
    expect(onA).toHaveLength(1);
    if (a2) await waitFor(() => onA2.length === 1, "A's other instance to hear A's event");
  });

  test("rate-limit counters are separate (and shared by A's instances)", async () => {
    const from = freshAddress();
    let refusedAfter = 0;
    for (let i = 1; i <= RATE_LIMIT + 1 && !refusedAfter; i++) {
      const res = await post(a, from);
      if (codes(res).includes("RATE_LIMITED")) refusedAfter = i;
      else expect(res.errors).toBeUndefined();
    }
    expect(refusedAfter).toBe(RATE_LIMIT + 1); // the address is this test's own: all of its limit was left
    // The same address on B: B's counter for it is its own.
    const onB = await post(b, from);
    expect([onB.errors, onB.data?.addComment.comment.status]).toEqual([undefined, "APPROVED"]);
    if (a2) expect(codes(await post(a2, from, a))).toEqual(["RATE_LIMITED"]);
  });
});

test("REDIS_PREFIX: `newsgraph:` by default, any safe prefix, and a clear error otherwise", () => {
  expect(loadConfig({}).redisPrefix).toBe("newsgraph:");
  expect(loadConfig({ REDIS_PREFIX: "site-b:" }).redisPrefix).toBe("site-b:");
  expect(() => loadConfig({ REDIS_PREFIX: "site b*" })).toThrow(ConfigError);
});
