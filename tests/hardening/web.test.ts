/**
 * What a web server owes every response, on every kind of page: security
 * headers, a strict Content-Security-Policy on the HTML pages (scripts from
 * self only), CORS that a CDN cannot mix up (Vary: Origin) and a proper answer
 * to a refused preflight, 404 / 405 where a web server gives them (never a 500
 * for a NUL or an inherited property name), and /metrics only on its own port
 * when METRICS_PORT is set.
 */
import { createHash } from "node:crypto";
import { Agent, request as httpRequest } from "node:http";
import { ConfigError, loadConfig } from "../../src/config";
import { WIDGET_CSS } from "../../src/widget/client/widget-css";
import { buildWidget } from "../browser/browser";
import type { CapturedLogger } from "../support/hardening-helpers";
import { captureLogger, STACK_TRACE } from "../support/hardening-helpers";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

const SLUG = "ferry-fares-frozen-in-draft-budget";
const ALLOWED = "https://news.example";
const OTHER = "https://evil.example";
const HTML = "text/html,application/xhtml+xml,*/*;q=0.8";

let server: TestServer;
let log: CapturedLogger;
let port: number;
beforeAll(async () => {
  await buildWidget();
  log = captureLogger();
  server = await startTestServer({ corsOrigins: [ALLOWED], metricsPort: 0, logLevel: "info" }, { logger: log.logger });
  port = Number(new URL(server.url).port);
});
afterAll(() => server?.stop());

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request with the request-target sent exactly as given (no URL normalisation). */
function send(method: string, path: string, headers: Record<string, string> = {}, toPort = port): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port: toPort, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

const header = (a: Answer, name: string) => String(a.headers[name] ?? "");
const directives = (csp: string) =>
  new Map(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!, values]),
  );
const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;
const failedRequests = () => log.lines().filter((l) => l.msg === "request failed" || l.level >= 50);

/** Every kind of response the server gives: pages, assets, API, probes, errors. */
const KINDS: [string, string, Record<string, string>?][] = [
  ["GraphiQL page", "/graphql", { accept: HTML }],
  ["GraphiQL asset", "/graphiql/graphiql.js"],
  ["GraphiQL page script", "/graphiql/graphiql-page.js"],
  ["API GET", "/graphql?query=%7B__typename%7D", { accept: "application/json" }],
  ["demo page", `/live/${SLUG}`],
  ["demo 404 page", "/live/no-such-article"],
  ["widget script", "/widget/live-blog.js"],
  ["healthz", "/healthz"],
  ["readyz", "/readyz"],
  ["root redirect", "/"],
  ["unknown path", "/nope"],
  ["method not allowed", "/healthz"],
];

describe("security headers", () => {
  test.each(KINDS)("%s: nosniff, referrer policy, no framing", async (_kind, path, headers = {}) => {
    const res = await send(_kind === "method not allowed" ? "PUT" : "GET", path, headers);
    expect(res.status).toBeLessThan(500);
    expect(header(res, "x-content-type-options")).toBe("nosniff");
    expect(header(res, "referrer-policy")).toBe("no-referrer");
    expect(header(res, "x-frame-options")).toBe("DENY");
    expect(directives(header(res, "content-security-policy")).get("frame-ancestors")).toEqual(["'none'"]);
  });

  test("a POST to /graphql carries them too", async () => {
    const res = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
  });

  test.each([
    ["GraphiQL", "/graphql", { accept: HTML }],
    ["demo page", `/live/${SLUG}`, {}],
    ["demo 404 page", "/live/no-such-article", {}],
  ])("%s: scripts from self only, no inline script; inline styles by hash", async (_k, path, headers) => {
    const res = await send("GET", path, headers);
    expect(header(res, "content-type")).toMatch(/^text\/html/);
    const csp = directives(header(res, "content-security-policy"));
    expect(csp.get("default-src")).toEqual(["'none'"]);
    expect(csp.get("script-src")).toEqual(["'self'"]);
    expect(csp.get("object-src") ?? csp.get("default-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'none'"]);
    for (const [, attrs, content] of res.body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
      // A script element either loads a file from this origin or is data (which never runs).
      if (content!.trim()) expect(attrs).toMatch(/type="application\/(ld\+)?json"/);
      else expect(attrs).toMatch(/src="\/[^/]/);
    }
    expect(res.body).not.toMatch(/\son\w+=/i);
    const styles = [...res.body.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
    // GraphiQL's libraries compute inline styles at run time (see src/graphiql.ts): any inline style.
    if (path === "/graphql") expect(csp.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
    else for (const style of styles) expect(csp.get("style-src")).toContain(sha256(style));
  });

  test("the demo page's CSP allows the widget's own stylesheet (by hash) and nothing inline besides", async () => {
    const res = await send("GET", `/live/${SLUG}`);
    const styleSrc = directives(header(res, "content-security-policy")).get("style-src")!;
    expect(styleSrc).not.toContain("'unsafe-inline'");
    const js = await (await fetch(new URL("/widget/live-blog.js", server.url))).text();
    expect(js).toContain(JSON.stringify(WIDGET_CSS).slice(1, 40));
    expect(styleSrc).toContain(sha256(WIDGET_CSS));
  });

  test("the widget script can be embedded by another origin's page", async () => {
    const res = await send("GET", "/widget/live-blog.js", { origin: OTHER, "sec-fetch-mode": "no-cors" });
    expect(res.status).toBe(200);
    expect(header(res, "content-type")).toMatch(/^text\/javascript/);
    // Cross-Origin-Resource-Policy: cross-origin, so even a newsroom page with COEP may load it.
    expect(header(res, "cross-origin-resource-policy")).toBe("cross-origin");
  });
});

describe("CORS with a list of origins", () => {
  const query = "/graphql?query=%7Barticles(first%3A1)%7Bnodes%7Bslug%7D%7D%7D";

  test.each([
    ["no Origin", {}],
    ["an allowed Origin", { origin: ALLOWED }],
    ["another Origin", { origin: OTHER }],
  ])("a cacheable GET with %s says Vary: Origin", async (_k, headers: Record<string, string>) => {
    const res = await send("GET", query, { accept: "application/json", ...headers });
    expect(res.status).toBe(200);
    expect(header(res, "cache-control")).toMatch(/public/);
    expect(
      header(res, "vary")
        .toLowerCase()
        .split(/\s*,\s*/),
    ).toContain("origin");
    expect(header(res, "access-control-allow-origin")).toBe(headers.origin === ALLOWED ? ALLOWED : "");
  });

  test("a preflight from an allowed origin is 204 with the allow headers", async () => {
    const res = await send("OPTIONS", "/graphql", {
      origin: ALLOWED,
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type",
    });
    expect(res.status).toBe(204);
    expect(header(res, "access-control-allow-origin")).toBe(ALLOWED);
    expect(header(res, "access-control-allow-methods")).toMatch(/POST/);
    expect(header(res, "vary")).toMatch(/Origin/);
  });

  test("a preflight from another origin is 403 without any allow header", async () => {
    const res = await send("OPTIONS", "/graphql", {
      origin: OTHER,
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type",
    });
    expect(res.status).toBe(403);
    expect(Object.keys(res.headers).filter((h) => h.startsWith("access-control-"))).toEqual([]);
    expect(header(res, "vary")).toMatch(/Origin/);
  });

  test("OPTIONS without Origin lists the methods", async () => {
    const res = await send("OPTIONS", "/graphql");
    expect(res.status).toBe(204);
    expect(header(res, "allow")).toBe("GET, HEAD, POST, OPTIONS");
  });
});

describe("paths a lookup must not trip over", () => {
  test.each([
    `/live/${SLUG}%00`,
    "/live/%00",
    "/live/a%01b",
    "/graphiql/__proto__",
    "/graphiql/constructor",
    "/graphiql/toString",
    "/graphiql/hasOwnProperty",
    "/widget/__proto__",
  ])("%s is 404, and nothing is logged as failed", async (path) => {
    const before = failedRequests().length;
    const res = await send("GET", path);
    expect([path, res.status]).toEqual([path, 404]);
    expect(res.body).not.toMatch(STACK_TRACE);
    expect(failedRequests().length).toBe(before);
  });

  test.each(["//evil.example/graphiql/graphiql.js", "//evil.example/healthz", "//healthz", "/graphiql//graphiql.js"])(
    "%s is not served as another path (404)",
    async (path) => {
      const res = await send("GET", path);
      expect([path, res.status]).toEqual([path, 404]);
    },
  );

  test("an absolute-form request-target is served by its path; a garbled one is 400", async () => {
    expect((await send("GET", `http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const before = failedRequests().length;
    for (const path of ["*", "http://[", "//["]) {
      const res = await send("GET", path);
      expect([path, res.status]).toEqual([path, path === "//[" ? 404 : 400]);
    }
    expect(failedRequests().length).toBe(before);
  });
});

describe("methods", () => {
  const pages = [
    `/live/${SLUG}`,
    "/graphiql/graphiql.js",
    "/graphiql/graphiql-page.js",
    "/widget/live-blog.js",
    "/healthz",
    "/readyz",
    "/",
  ];

  test.each(pages.flatMap((p) => ["PUT", "DELETE", "TRACE", "POST", "PATCH"].map((m) => [m, p])))(
    "%s %s is 405 with Allow: GET, HEAD",
    async (method, path) => {
      const res = await send(method, path);
      expect([method, path, res.status]).toEqual([method, path, 405]);
      expect(header(res, "allow")).toBe("GET, HEAD");
    },
  );

  test.each(["PUT", "DELETE", "PATCH", "TRACE"])("%s /graphql is 405 with Allow", async (method) => {
    const res = await send(method, "/graphql", { accept: "application/json" });
    expect(res.status).toBe(405);
    expect(header(res, "allow")).toBe("GET, HEAD, POST, OPTIONS");
  });

  test.each([
    [`/live/${SLUG}`, {}, /^text\/html/],
    ["/graphiql/graphiql.css", {}, /^text\/css/],
    ["/widget/live-blog.js", {}, /^text\/javascript/],
    ["/healthz", {}, /^application\/json/],
    ["/graphql", { accept: HTML }, /^text\/html/],
  ])("HEAD %s answers like GET, without a body", async (path, headers, type) => {
    const res = await send("HEAD", path, headers);
    expect(res.status).toBe(200);
    expect(header(res, "content-type")).toMatch(type);
    expect(res.body).toBe("");
  });
});

describe("kept-alive connections", () => {
  test("HTTP_KEEP_ALIVE_TIMEOUT_MS is read from the environment: 65 s unless set", () => {
    expect(loadConfig({}).keepAliveTimeoutMs).toBe(65_000);
    expect(loadConfig({ HTTP_KEEP_ALIVE_TIMEOUT_MS: "120000" }).keepAliveTimeoutMs).toBe(120_000);
    expect(() => loadConfig({ HTTP_KEEP_ALIVE_TIMEOUT_MS: "5s" })).toThrow(/HTTP_KEEP_ALIVE_TIMEOUT_MS/);
    expect(() => loadConfig({ HTTP_KEEP_ALIVE_TIMEOUT_MS: "10" })).toThrow(ConfigError);
  });

  test("an idle connection outlives a load balancer's 60 s, and the server says so; requests reuse it", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    const get = () =>
      new Promise<Record<string, string | string[] | undefined>>((resolve, reject) => {
        const req = httpRequest({ host: "127.0.0.1", port, path: "/healthz", agent }, (res) => {
          sockets.add(res.socket);
          res.resume();
          res.on("end", () => resolve(res.headers));
        });
        req.on("error", reject);
        req.end();
      });
    try {
      const first = await get();
      expect(first.connection).toBe("keep-alive");
      expect(first["keep-alive"]).toBe("timeout=65");
      await get();
      expect(sockets.size).toBe(1);
    } finally {
      agent.destroy();
    }
  });
});

describe("METRICS_PORT", () => {
  test("is read from the environment, with METRICS_HOST defaulting to HOST", () => {
    expect(loadConfig({}).metricsPort).toBeUndefined();
    const set = loadConfig({ METRICS_PORT: "9464", HOST: "10.0.0.7" });
    expect([set.metricsPort, set.metricsHost]).toEqual([9464, "10.0.0.7"]);
    expect(loadConfig({ METRICS_PORT: "9464", METRICS_HOST: "127.0.0.1" }).metricsHost).toBe("127.0.0.1");
    expect(() => loadConfig({ METRICS_PORT: "metrics" })).toThrow(ConfigError);
    expect(() => loadConfig({ METRICS_PORT: "70000" })).toThrow(/METRICS_PORT/);
  });

  test("/metrics is served on its own port only", async () => {
    const metricsPort = Number(new URL(server.metricsUrl!).port);
    expect(metricsPort).toBeGreaterThan(0);
    expect(metricsPort).not.toBe(port);

    const metrics = await send("GET", "/metrics", {}, metricsPort);
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/^# HELP newsgraph_http_requests_total/m);
    expect(header(metrics, "x-content-type-options")).toBe("nosniff");

    expect((await send("GET", "/metrics")).status).toBe(404);
    // The metrics port serves nothing else.
    for (const path of ["/graphql", "/healthz", `/live/${SLUG}`]) {
      expect([path, (await send("GET", path, {}, metricsPort)).status]).toEqual([path, 404]);
    }
    expect((await send("POST", "/metrics", {}, metricsPort)).status).toBe(405);
  });
});

describe("with the defaults (CORS_ORIGINS=*, no METRICS_PORT)", () => {
  let plain: TestServer;
  let plainPort: number;
  beforeAll(async () => {
    plain = await startTestServer();
    plainPort = Number(new URL(plain.url).port);
  });
  afterAll(() => plain?.stop());

  test("every /graphql answer allows any origin, so one cached copy serves every site", async () => {
    for (const headers of [{}, { origin: OTHER }] as Record<string, string>[]) {
      const res = await send(
        "GET",
        "/graphql?query=%7B__typename%7D",
        { accept: "application/json", ...headers },
        plainPort,
      );
      expect(res.status).toBe(200);
      expect(header(res, "access-control-allow-origin")).toBe("*");
    }
    const preflight = await send(
      "OPTIONS",
      "/graphql",
      { origin: OTHER, "access-control-request-method": "POST" },
      plainPort,
    );
    expect(preflight.status).toBe(204);
    expect(header(preflight, "access-control-allow-origin")).toBe("*");
  });

  test("/metrics is on the main port", async () => {
    expect(plain.metricsUrl).toBeUndefined();
    const res = await send("GET", "/metrics", {}, plainPort);
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/^# HELP newsgraph_http_requests_total/m);
  });
});
