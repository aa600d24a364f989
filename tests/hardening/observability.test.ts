/**
 * Errors, logs, health and metrics of a production-mode server: unexpected
 * errors are masked as INTERNAL_SERVER_ERROR with a request id whose log line
 * holds the detail (HTTP and WebSocket); every request logs one structured
 * JSON line; /healthz, /readyz and /metrics answer as operations expect.
 */
import { print } from "graphql";
import { Role } from "../../src/modules/auth/role";
import {
  FrontPageDocument,
  HardeningArticlePublishedDocument,
  HardeningCreateArticleDocument,
  HardeningPublishArticleDocument,
  HardeningSearchDocument,
} from "../generated/graphql";
import type { CapturedLogger } from "../support/hardening-helpers";
import {
  captureLogger,
  linesWith,
  postJson,
  rawRequest,
  rootUrl,
  SQL_TEXT,
  STACK_TRACE,
  waitFor,
  wsErrors,
  wsOperation,
  wsUrl,
} from "../support/hardening-helpers";
import { freePort } from "../support/hardening-processes";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";
import { createClient } from "graphql-ws";
import WebSocket from "ws";

let server: TestServer;
let log: CapturedLogger;
let editor: string;
const SECRET = "secret SQL detail: SELECT password_hash FROM api_tokens WHERE id = 42";

beforeAll(async () => {
  log = captureLogger("info");
  server = await startTestServer({ production: true, logLevel: "info" }, { logger: log.logger });
  editor = await server.token("hardening-editor", Role.EDITOR);
});
afterAll(() => server?.stop());

/** Replaces one service method for the duration of fn. */
async function withBroken<T>(target: any, method: string, error: unknown, fn: () => Promise<T>): Promise<T> {
  const original = target[method];
  target[method] = async () => {
    throw error;
  };
  try {
    return await fn();
  } finally {
    target[method] = original;
  }
}

describe("masking of unexpected errors", () => {
  test("HTTP: INTERNAL_SERVER_ERROR with a request id; the log line with that id holds the detail", async () => {
    const res = await withBroken(server.services.article, "search", new Error(SECRET), () =>
      postJson(server.url, { query: print(HardeningSearchDocument), variables: { query: "mars" } }),
    );
    expect(res.status).toBe(200);
    expect(res.json.data).toBeNull();
    expect(res.json.errors).toEqual([
      {
        message: "Internal server error",
        locations: expect.any(Array),
        path: ["search"],
        extensions: { code: "INTERNAL_SERVER_ERROR", requestId: expect.any(String) },
      },
    ]);
    expect(res.text).not.toMatch(/secret|password|SELECT/i);
    expect(res.text).not.toMatch(STACK_TRACE);
    const requestId = res.json.errors[0].extensions.requestId;
    expect(res.headers["x-request-id"]).toBe(requestId);

    const lines = linesWith(log.lines(), requestId);
    const detail = lines.find((l) => l.msg === "unexpected error");
    expect(detail).toMatchObject({
      level: 50,
      requestId,
      err: { message: SECRET, stack: expect.stringMatching(/at /) },
    });
    const request = lines.find((l) => l.msg === "request");
    expect(request).toMatchObject({ requestId, operationName: "HardeningSearch", status: 200, path: "/graphql" });
  });

  test("HTTP: a thrown non-Error value and a driver-like error object are masked the same way", async () => {
    const driverError = Object.assign(new Error('relation "secret_table" does not exist'), {
      code: "42P01",
      query: "SELECT * FROM secret_table",
    });
    for (const thrown of ["secret string", driverError, { secret: true }]) {
      const res = await withBroken(server.services.article, "search", thrown, () =>
        postJson(server.url, { query: '{ search(query: "x") { totalCount } }' }),
      );
      expect(res.json.errors?.[0]?.extensions?.code).toBe("INTERNAL_SERVER_ERROR");
      expect(res.text).not.toMatch(/secret/i);
      expect(res.text).not.toMatch(SQL_TEXT);
    }
  });

  test("HTTP: a failure while authenticating (the context) is masked too, with the request id", async () => {
    const res = await withBroken(server.services.auth, "authenticate", new Error(SECRET), () =>
      postJson(server.url, { query: "{ viewer { role } }" }, { token: editor }),
    );
    expect(res.status).toBe(500); // the service could not serve it (the operation never ran): no data, a 5xx
    expect(res.json.errors).toHaveLength(1);
    expect(res.json.errors[0].extensions).toEqual({ code: "INTERNAL_SERVER_ERROR", requestId: expect.any(String) });
    expect(res.text).not.toMatch(/secret|SELECT/i);
    const lines = linesWith(log.lines(), res.json.errors[0].extensions.requestId);
    expect(lines.some((l) => JSON.stringify(l).includes(SECRET))).toBe(true);
  });

  test("a client's X-Request-Id is kept when it is sane and replaced when it is not", async () => {
    const sane = await postJson(
      server.url,
      { query: "{ __typename }" },
      { headers: { "x-request-id": "trace-abc.123" } },
    );
    expect(sane.headers["x-request-id"]).toBe("trace-abc.123");
    expect(linesWith(log.lines(), "trace-abc.123").some((l) => l.msg === "request")).toBe(true);
    for (const bad of ["has spaces", "x".repeat(65), '"}{"injected":1']) {
      const res = await postJson(server.url, { query: "{ __typename }" }, { headers: { "x-request-id": bad } });
      expect(res.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  test("WebSocket: the same masking, with the connection's id in the error and in the log line", async () => {
    const result = await withBroken(server.services.article, "search", new Error(SECRET), () =>
      wsOperation(server.url, { query: '{ search(query: "mars") { totalCount } }' }),
    );
    const errors = wsErrors(result);
    expect(errors).toEqual([
      expect.objectContaining({
        message: "Internal server error",
        extensions: { code: "INTERNAL_SERVER_ERROR", requestId: expect.any(String) },
      }),
    ]);
    expect(JSON.stringify(result)).not.toMatch(/secret|SELECT/i);
    const detail = linesWith(log.lines(), errors[0].extensions.requestId).find((l) => l.msg === "unexpected error");
    expect(detail?.err?.message).toBe(SECRET);
  });

  test("client errors keep their message and code, without stack or http extensions", async () => {
    const res = await postJson(server.url, { query: "{ articles(first: -1) { totalCount } }" });
    expect(res.json.errors).toEqual([
      expect.objectContaining({
        message: "first: must be 0 or more",
        extensions: { code: "BAD_USER_INPUT", fields: { first: "must be 0 or more" } },
      }),
    ]);
  });
});

describe("structured logs", () => {
  test("one JSON line per request: request id, operation name, duration, status, method, path", async () => {
    const res = await server.request(FrontPageDocument, { first: 3 }, { headers: { "x-request-id": "front-page-1" } });
    expect(res.status).toBe(200);
    const bad = await postJson(
      server.url,
      { query: "query Broken { articles(" },
      { headers: { "x-request-id": "broken-1" } },
    );
    expect(bad.status).toBe(400);
    await rawRequest(rootUrl(server.url) + "/healthz", { headers: { "x-request-id": "health-1" } });

    const byId = (id: string) => log.lines().filter((l) => l.requestId === id && l.msg === "request");
    await waitFor(() => byId("health-1").length === 1, "the healthz log line");
    expect(byId("front-page-1")).toEqual([
      expect.objectContaining({
        level: 30,
        time: expect.any(Number),
        requestId: "front-page-1",
        method: "POST",
        path: "/graphql",
        operationName: "FrontPage",
        status: 200,
        durationMs: expect.any(Number),
      }),
    ]);
    expect(byId("broken-1")).toEqual([expect.objectContaining({ status: 400, path: "/graphql" })]);
    expect(byId("health-1")).toEqual([expect.objectContaining({ status: 200, path: "/healthz", method: "GET" })]);
    // Logs never carry the Authorization header or a token.
    expect(log.text()).not.toContain(editor);
  });
});

describe("health", () => {
  test("/healthz is 200 while the process lives; /readyz is 200 with the database up", async () => {
    const health = await rawRequest(rootUrl(server.url) + "/healthz");
    expect([health.status, health.json, health.headers["cache-control"]]).toEqual([200, { status: "ok" }, "no-store"]);
    const ready = await rawRequest(rootUrl(server.url) + "/readyz");
    expect([ready.status, ready.json]).toEqual([200, { status: "ready", database: "up" }]);
    expect(ready.headers["cache-control"]).toBe("no-store");
  });

  test("with REDIS_URL pointing at a dead port, /readyz is 200 with redis: degraded, the gauge 0 (and queries work)", async () => {
    const port = await freePort();
    const withDeadRedis = await startTestServer({ redisUrl: `redis://127.0.0.1:${port}` });
    try {
      // The instance serves on its fallbacks: a 503 would drop every instance sharing that Redis.
      const ready = await rawRequest(rootUrl(withDeadRedis.url) + "/readyz");
      expect([ready.status, ready.json]).toEqual([200, { status: "ready", database: "up", redis: "degraded" }]);
      const gauge = samples((await rawRequest(rootUrl(withDeadRedis.url) + "/metrics")).text).filter(
        (s) => s.name === "newsgraph_redis_up",
      );
      expect(gauge.map((s) => s.value)).toEqual([0]);
      const health = await rawRequest(rootUrl(withDeadRedis.url) + "/healthz");
      expect(health.status).toBe(200);
      const res = await postJson(withDeadRedis.url, { query: "{ articles(first: 1) { totalCount } }" });
      expect([res.status, res.json.errors]).toEqual([200, undefined]);
    } finally {
      await withDeadRedis.stop();
    }
  });
});

/** Parses Prometheus text into samples. */
function samples(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  return text
    .split("\n")
    .filter((l) => l && !l.startsWith("#"))
    .map((line) => {
      const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)/.exec(line)!;
      const labels: Record<string, string> = {};
      for (const [, k, v] of (m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[k!] = v!;
      return { name: m[1]!, labels, value: Number(m[3]) };
    });
}

describe("metrics", () => {
  const metrics = async (on: TestServer = server) => {
    const res = await rawRequest(rootUrl(on.url) + "/metrics");
    expect(res.status).toBe(200);
    expect(String(res.headers["content-type"])).toMatch(/^text\/plain; version=0\.0\.4/);
    return { text: res.text, all: samples(res.text) };
  };
  const value = (all: ReturnType<typeof samples>, name: string, labels: Record<string, string> = {}) =>
    all
      .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
      .reduce((sum, s) => sum + s.value, 0);

  test("requests and latency by operation, errors by code, sockets, subscriptions, events, cache, pool", async () => {
    // Counters grow over the file; what this test's own traffic adds is exact. No socket is open before it.
    await waitFor(
      async () => value((await metrics()).all, "newsgraph_websocket_connections") === 0,
      "the sockets of earlier tests to be closed",
    );
    const { all: before } = await metrics();
    const added = (all: ReturnType<typeof samples>, name: string, labels: Record<string, string> = {}) =>
      value(all, name, labels) - value(before, name, labels);

    // Traffic: a named query (twice: a cache miss, then a hit), a bad input, a masked error.
    for (let i = 0; i < 2; i++) expect((await server.request(FrontPageDocument, { first: 2 })).status).toBe(200);
    await postJson(server.url, { query: "query BadInput { articles(first: -5) { totalCount } }" });
    const masked = await withBroken(server.services.article, "search", new Error(SECRET), () =>
      postJson(server.url, { query: 'query Masked { search(query: "metrics") { totalCount } }' }),
    );
    expect(masked.json.errors.map((e: any) => e.extensions.code)).toEqual(["INTERNAL_SERVER_ERROR"]);

    // A live subscription, and an article published to it.
    const client = createClient({
      url: wsUrl(server.url),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: {},
    });
    const events: unknown[] = [];
    const stop = client.subscribe(
      { query: print(HardeningArticlePublishedDocument) },
      { next: (v) => events.push(v), error: () => undefined, complete: () => undefined },
    );
    try {
      await waitFor(() => server.services.feedDispatcher.listenerCount >= 1, "the subscription to be set up");
      const during = await metrics();
      expect(value(during.all, "newsgraph_websocket_connections")).toBe(1);
      expect(value(during.all, "newsgraph_subscriptions_active")).toBe(1);

      const created = await server.request(
        HardeningCreateArticleDocument,
        { input: { title: "Metrics article", body: "Counted." } },
        { token: editor },
      );
      await server.request(HardeningPublishArticleDocument, { id: created.data!.createArticle.id }, { token: editor });
      await waitFor(() => events.length >= 1, "the published article to be delivered");
    } finally {
      stop();
      await client.dispose();
    }

    const { text, all } = await metrics();
    expect(added(all, "newsgraph_http_requests_total", { operation: "FrontPage", status: "200" })).toBe(2);
    expect(added(all, "newsgraph_http_requests_total", { operation: "BadInput" })).toBe(1);
    expect(added(all, "newsgraph_http_requests_total", { operation: "Masked", status: "200" })).toBe(1);
    expect(added(all, "newsgraph_http_request_duration_seconds_count", { operation: "FrontPage" })).toBe(2);
    expect(all.some((s) => s.name === "newsgraph_http_request_duration_seconds_bucket" && s.labels.le === "0.1")).toBe(
      true,
    );
    expect(added(all, "newsgraph_graphql_errors_total", { code: "BAD_USER_INPUT" })).toBe(1);
    expect(added(all, "newsgraph_graphql_errors_total", { code: "INTERNAL_SERVER_ERROR" })).toBe(1);
    // One article published, one subscriber: one delivery, live.
    expect(added(all, "newsgraph_feed_events_delivered_total", { replayed: "false" })).toBe(1);
    expect(added(all, "newsgraph_feed_events_delivered_total")).toBe(1);
    // The front page twice: a miss, then a hit; the bad input and the masked search ran (and failed): misses.
    expect(added(all, "newsgraph_cache_hits_total")).toBe(1);
    expect(added(all, "newsgraph_cache_misses_total")).toBe(3);
    for (const state of ["total", "idle", "waiting"]) {
      expect(all.some((s) => s.name === "newsgraph_db_pool_connections" && s.labels.state === state)).toBe(true);
    }
    expect(text).toMatch(/^# TYPE newsgraph_process_resident_memory_bytes gauge$/m);
    console.log(
      "metrics after traffic:\n" +
        all
          .filter((s) =>
            /^newsgraph_(http_requests|graphql_errors|websocket|subscriptions|feed|cache|db_pool)/.test(s.name),
          )
          .map((s) => `  ${s.name}${JSON.stringify(s.labels)} ${s.value}`)
          .join("\n"),
    );

    // Sockets and subscriptions go back down once the client has gone.
    await waitFor(async () => {
      const after = (await metrics()).all;
      return (
        value(after, "newsgraph_websocket_connections") === 0 && value(after, "newsgraph_subscriptions_active") === 0
      );
    }, "the socket and subscription gauges to drop to 0");
  });

  test("operation-name labels stay bounded whatever names clients send", async () => {
    // A server of its own: filling the file server's 200 names would turn the other tests' names into "other".
    const own = await startTestServer({ production: true });
    try {
      await Promise.all(
        Array.from({ length: 260 }, (_, i) => postJson(own.url, { query: `query Op${i}x { __typename }` })),
      );
      await postJson(own.url, { query: "query { __typename }", operationName: "not a valid name!" });
      const { all } = await metrics(own);
      const operations = new Set(
        all.filter((s) => s.name === "newsgraph_http_requests_total").map((s) => s.labels.operation),
      );
      // At most 200 names are kept (the first that came); the rest count as "other", and a name that is not a
      // GraphQL name as "anonymous". Past 200 names that is exactly 202 labels.
      expect(operations.size).toBe(202);
      expect([operations.has("other"), operations.has("anonymous")]).toEqual([true, true]);
    } finally {
      await own.stop();
    }
  });
});
