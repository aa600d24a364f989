/**
 * The comment rate limit counted in Redis (REDIS_URL), with a limit that
 * bites: the request past it is RATE_LIMITED, concurrent requests cannot
 * overrun it, the counters are Redis's (under the deployment's namespace),
 * and X-Forwarded-For moves a client to another budget only with TRUST_PROXY.
 */
import Redis from "ioredis";
import type { Config } from "../../src/config";
import { codes, commentInput } from "../support/feed-fixtures";
import { FeedAddCommentDocument } from "../generated/graphql";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";
import { REDIS_URL } from "../cache/cache-helpers";

const LIMIT = 3;
let server: TestServer | undefined;
let redis: Redis;

beforeAll(() => {
  redis = new Redis(REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 1 });
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
});
afterAll(() => redis?.quit());

/** A server of its own (its own database, so its own Redis namespace and budgets). */
async function start(overrides: Partial<Config> = {}) {
  server = await startTestServer({
    redisUrl: REDIS_URL,
    commentRateLimit: LIMIT,
    commentRateWindowSeconds: 600,
    responseCache: false,
    ...overrides,
  });
  const { articles } = (await server.post({ query: "{ articles(first: 1) { nodes { id } } }" }, {})).json.data as {
    articles: { nodes: { id: string }[] };
  };
  return articles.nodes[0]!.id;
}

/** One addComment with a fresh email (so only the per-address budget counts); its error codes. */
async function send(articleId: string, headers: Record<string, string> = {}) {
  const res = await server!.request(FeedAddCommentDocument, { input: commentInput(articleId) }, { headers });
  return { codes: codes(res), retryAfter: res.errors?.[0]?.extensions?.retryAfterSeconds };
}

test("the request past the limit is RATE_LIMITED with retryAfterSeconds, and the count is kept in Redis", async () => {
  const articleId = await start();
  const results = [];
  let ttlAfterRefusal = NaN;
  for (let i = 0; i < LIMIT + 2; i++) {
    results.push(await send(articleId));
    if (i === LIMIT) ttlAfterRefusal = await redis.pttl((await redis.keys(`${server!.redisNamespace}rate:*:ip:*`))[0]!);
  }
  expect(results.map((r) => r.codes)).toEqual([[], [], [], ["RATE_LIMITED"], ["RATE_LIMITED"]]);
  // The counters are Redis's: the address's window (charged 5 times) and the three addresses that got through
  // (a request refused for its IP never charges its email). Each lives as long as the window.
  const prefix = `${server!.redisNamespace}rate:comment:`;
  const keys = (await redis.keys(`${server!.redisNamespace}rate:*`)).sort();
  const counts = await Promise.all(keys.map((k) => redis.get(k)));
  expect(keys.map((k, i) => `${k.slice(prefix.length).replace(/:.*/, "")}=${counts[i]}`).sort()).toEqual([
    "email=1",
    "email=1",
    "email=1",
    `ip=${LIMIT + 2}`,
  ]);
  const ttls = await Promise.all(keys.map((k) => redis.pttl(k)));
  expect(ttls.filter((ttl) => !(ttl > 0 && ttl <= 600_000))).toEqual([]);
  // retryAfterSeconds is what was left of the address's window in Redis: its TTL read just after the answer,
  // rounded up (or one more, had a second boundary passed in between), never more than the window.
  const left = Math.ceil(ttlAfterRefusal / 1000);
  expect(results[LIMIT]!.retryAfter).toBeGreaterThanOrEqual(left);
  expect(results[LIMIT]!.retryAfter).toBeLessThanOrEqual(Math.min(600, left + 1));
});

test("ten at once cannot overrun the limit: exactly LIMIT succeed, the rest are RATE_LIMITED", async () => {
  const articleId = await start();
  const results = await Promise.all(Array.from({ length: 10 }, () => send(articleId)));
  expect(results.filter((r) => r.codes.length === 0)).toHaveLength(LIMIT);
  expect(results.filter((r) => r.codes.join() === "RATE_LIMITED")).toHaveLength(10 - LIMIT);
});

test("without TRUST_PROXY, X-Forwarded-For is ignored: a forged address does not get a new budget", async () => {
  const articleId = await start({ trustProxy: false });
  for (let i = 0; i < LIMIT; i++) expect((await send(articleId)).codes).toEqual([]);
  expect((await send(articleId, { "x-forwarded-for": "203.0.113.7" })).codes).toEqual(["RATE_LIMITED"]);
  expect((await send(articleId, { "x-forwarded-for": "198.51.100.9, 10.0.0.1" })).codes).toEqual(["RATE_LIMITED"]);
});

test("with TRUST_PROXY, each forwarded client address has a budget of its own", async () => {
  const articleId = await start({ trustProxy: true });
  const a = { "x-forwarded-for": "203.0.113.7" };
  const b = { "x-forwarded-for": "198.51.100.9, 10.0.0.1" };
  for (let i = 0; i < LIMIT; i++) expect((await send(articleId, a)).codes).toEqual([]);
  expect((await send(articleId, a)).codes).toEqual(["RATE_LIMITED"]);
  expect((await send(articleId, b)).codes).toEqual([]);
});
