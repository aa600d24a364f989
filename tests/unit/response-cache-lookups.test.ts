/**
 * How often a request asks the response-cache store (src/cache/response-cache.ts): a miss found
 * before parsing (`answer`) is not looked up again by the plugin once Apollo runs the query, so a
 * miss costs one `get` (one Redis round trip with the Redis store), not two; a request that did not
 * go through `answer` (or asked for another key) is still looked up by the plugin.
 */
import { createHash } from "node:crypto";
import { buildSchema, parse } from "graphql";
import pino from "pino";
import type { CacheStore } from "../../src/cache/cache-store";
import { MemoryCacheStore } from "../../src/cache/cache-store";
import type { RawRequest } from "../../src/cache/response-cache";
import { responseCachePlugin } from "../../src/cache/response-cache";
import { Metrics } from "../../src/shared/metrics";
import { requestScope } from "../../src/shared/request-scope";

const schema = buildSchema("type Query { hello: String }");
const QUERY = "{ hello }";
const queryHash = (text: string) => createHash("sha256").update(text).digest("hex");

/** A memory store that counts its lookups. */
function countingStore(): CacheStore & { gets: string[] } {
  const inner = new MemoryCacheStore();
  const gets: string[] = [];
  return Object.assign(Object.create(inner) as MemoryCacheStore, {
    gets,
    get: (key: string) => (gets.push(key), inner.get(key)),
  });
}

function setUp() {
  const store = countingStore();
  const metrics = new Metrics({
    openSockets: () => 0,
    activeSubscriptions: () => 0,
    pool: () => ({ total: 0, idle: 0, waiting: 0 }),
    statements: () => 0,
  });
  const cache = responseCachePlugin({
    store,
    schema,
    metrics,
    logger: pino({ level: "silent" }),
    ttlSeconds: 60,
    enabled: true,
    checks: { limits: 1 },
  });
  const raw = (query: string): RawRequest => ({
    authorization: undefined,
    fresh: false,
    accept: undefined,
    query,
    operationName: undefined,
    variables: undefined,
    extensions: undefined,
  });
  /** What Apollo's pipeline does with the plugin for an anonymous query of `query`: the lookup hook. */
  async function pluginLookup(query: string) {
    const hooks = await cache.requestDidStart!({
      request: { query, variables: undefined, operationName: undefined, http: { headers: new Map() } },
    } as never);
    return (hooks as { responseForOperation: (r: unknown) => Promise<unknown> }).responseForOperation({
      operation: { operation: "query" },
      document: parse(query),
      operationName: null,
      queryHash: queryHash(query),
      contextValue: { startTagging: () => undefined },
    });
  }
  const misses = async () => (await metrics.cacheMisses.get()).values[0]?.value ?? 0;
  return { store, cache, raw, pluginLookup, misses };
}

const inRequest = <T>(fn: () => Promise<T>) => requestScope.run({ requestId: "r1" }, fn);

test("a miss before parsing is one lookup: the plugin does not ask the store again for that key", async () => {
  const { store, cache, raw, pluginLookup, misses } = setUp();
  await inRequest(async () => {
    expect(await cache.answer(raw(QUERY))).toBeNull();
    expect(await pluginLookup(QUERY)).toBeNull();
  });
  expect(store.gets).toHaveLength(1);
  expect(await misses()).toBe(1);
});

test("without a lookup before parsing, or for another key, the plugin looks up as before", async () => {
  const { store, cache, raw, pluginLookup } = setUp();
  await inRequest(() => pluginLookup(QUERY));
  expect(store.gets).toHaveLength(1);
  await inRequest(async () => {
    await cache.answer(raw("{ other: hello }"));
    await pluginLookup(QUERY);
  });
  expect(store.gets).toHaveLength(3);
  // Another request starts with a scope of its own: its plugin lookup is not skipped.
  await inRequest(() => cache.answer(raw(QUERY)));
  await inRequest(() => pluginLookup(QUERY));
  expect(store.gets).toHaveLength(5);
});
