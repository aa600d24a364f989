/**
 * SIGTERM on the real entry point (`node dist/src/main.js`, built first): the
 * server stops accepting, lets an in-flight request finish, closes WebSockets
 * with 1001 and exits 0 within SHUTDOWN_GRACE_MS (plus a margin). Runs on the
 * mode's database: a fresh PostgreSQL database with DATABASE_URL, otherwise
 * an embedded one (DATA_DIR).
 */
import { spawn } from "node:child_process";
import { request as httpRequest } from "node:http";
import { print } from "graphql";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { HardeningArticlePublishedDocument } from "../generated/graphql";
import { rawRequest, rootUrl, sleep, waitFor, wsUrl } from "../support/hardening-helpers";
import type { ChildServer } from "../support/hardening-processes";
import { spawnMain } from "../support/hardening-processes";
import type { TestDatabase } from "../support/database";
import { createTestDatabase } from "../support/database";
import { buildDist } from "../support/build-once";

jest.setTimeout(240_000);

const GRACE_MS = 5000;
/** Exit must come this soon after SIGTERM: the grace period plus time to close the database. */
const EXIT_BOUND_MS = GRACE_MS + 10_000;

beforeAll(() => buildDist(), 300_000);

let database: TestDatabase | undefined;
let child: ChildServer | undefined;
afterEach(async () => {
  if (child && child.child.exitCode === null && child.child.signalCode === null) {
    child.child.kill("SIGKILL");
    await child.exited;
  }
  child = undefined;
  await database?.drop();
  database = undefined;
});

async function start(graceMs: number): Promise<ChildServer> {
  database = await createTestDatabase();
  child = await spawnMain({
    PORT: "0",
    HOST: "127.0.0.1",
    NODE_ENV: "production",
    LOG_LEVEL: "info",
    SEED_DEMO: "true",
    SCHEDULER_INTERVAL_MS: "0",
    SHUTDOWN_GRACE_MS: String(graceMs),
    ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : { DATA_DIR: database.dataDir }),
  });
  return child;
}

/**
 * A POST whose body arrives in two parts: the request is in flight (the server
 * is reading it) until finish() sends the rest. It says `Expect: 100-continue`,
 * so `accepted` resolves once the server has read its headers and begun the
 * request (Node answers 100 Continue as it emits "request"): from then on it is
 * in flight, without any sleep standing in for that. Resolves with status and body.
 */
function slowPost(url: string, query: string) {
  const body = Buffer.from(JSON.stringify({ query }));
  const half = Math.floor(body.length / 2);
  let finish!: () => void;
  let accept!: () => void;
  const accepted = new Promise<void>((resolve) => (accept = resolve));
  const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: "POST",
        agent: false,
        headers: {
          "content-type": "application/json",
          "content-length": body.length,
          accept: "application/json",
          expect: "100-continue",
        },
      },
      (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString("utf8")));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.on("continue", () => {
      req.write(body.subarray(0, half));
      accept();
    });
    req.flushHeaders();
    finish = () => req.end(body.subarray(half));
  });
  return { response, accepted, finish: () => finish() };
}

/** Whether a brand-new TCP connection to the server is refused. */
async function refusesNewConnections(url: string): Promise<boolean> {
  try {
    await rawRequest(rootUrl(url) + "/healthz", { timeoutMs: 2000 });
    return false;
  } catch (error) {
    return /ECONNREFUSED|ECONNRESET|socket hang up/.test(String(error));
  }
}

test("SIGTERM: stop accepting, finish the in-flight request, close sockets with 1001, exit 0 in time", async () => {
  const server = await start(GRACE_MS);
  expect((await rawRequest(rootUrl(server.url) + "/readyz")).status).toBe(200);

  // A live subscription.
  let closeCode: number | undefined;
  const client = createClient({
    url: wsUrl(server.url),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined, // the 1001 close is expected; it is asserted below
    on: { closed: (event) => (closeCode ??= (event as { code: number }).code) },
  });
  let subscriptionEnded: unknown;
  client.subscribe(
    { query: print(HardeningArticlePublishedDocument) },
    { next: () => undefined, error: (e) => (subscriptionEnded = e), complete: () => (subscriptionEnded = "complete") },
  );
  await waitFor(async () => {
    const metrics = (await rawRequest(rootUrl(server.url) + "/metrics")).text;
    return /^newsgraph_subscriptions_active [1-9]/m.test(metrics);
  }, "the subscription to be active");

  // A request in flight: headers and half its body sent.
  const slow = slowPost(server.url, "{ articles(first: 2) { nodes { slug } } }");
  await slow.accepted;

  const signalled = Date.now();
  server.child.kill("SIGTERM");

  await waitFor(() => closeCode !== undefined, "the WebSocket to be closed");
  expect(closeCode).toBe(1001);
  await waitFor(() => refusesNewConnections(server.url), "new connections to be refused", 10_000, 100);

  // The in-flight request is still served, after the server stopped accepting.
  slow.finish();
  const answer = await slow.response;
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.text).data.articles.nodes).toHaveLength(2);

  const exit = await Promise.race([
    server.exited,
    sleep(EXIT_BOUND_MS).then(() => ({ code: "still running", signal: null })),
  ]);
  const took = Date.now() - signalled;
  console.log(`SIGTERM: socket closed with ${closeCode}, exit ${JSON.stringify(exit)} after ${took} ms`);
  expect(exit).toEqual({ code: 0, signal: null });
  expect(server.lines.some((l) => l.msg === "shutting down" && l.signal === "SIGTERM")).toBe(true);
  // graphql-ws ends the subscription with the close event itself: the server went away (1001), not "complete".
  expect(subscriptionEnded).toMatchObject({ code: 1001 });
  await client.dispose();
});

test("SIGTERM with a request that never finishes: the process still exits within the grace period", async () => {
  const server = await start(2000);
  const stuck = slowPost(server.url, "{ __typename }");
  const outcome = stuck.response.then(
    (r) => `answered ${r.status}`,
    (e: unknown) => `cut off: ${String(e)}`,
  );
  await stuck.accepted;
  const signalled = Date.now();
  server.child.kill("SIGTERM");
  const exit = await Promise.race([server.exited, sleep(2000 + 10_000).then(() => ({ code: "still running" }))]);
  const request = await outcome;
  console.log(
    `SIGTERM with a stuck request: exit ${JSON.stringify(exit)} after ${Date.now() - signalled} ms; the request was ${request}`,
  );
  // src/http/drain.ts: at SHUTDOWN_GRACE_MS the stuck connection is destroyed, and the stop goes on to a clean
  // exit 0. (main.ts's last resort, exit 1 at the grace period + 1 s, is for a stop that hangs: not this one.)
  expect(exit).toEqual({ code: 0, signal: null });
  expect(request).toMatch(/^cut off: .*(socket hang up|ECONNRESET)/);
  expect(server.lines.filter((l) => l.msg === "shutdown grace period over; exiting")).toEqual([]);
});

// The HTTP drain period follows SHUTDOWN_GRACE_MS (Apollo's default would cut requests off at 10 s).
test("SHUTDOWN_GRACE_MS above 10 s lets an in-flight request of 12 s finish", async () => {
  const server = await start(20_000);
  const slow = slowPost(server.url, "{ __typename }");
  const outcome = slow.response.then(
    (r) => `answered ${r.status}`,
    (e: unknown) => `cut off: ${String(e)}`,
  );
  await slow.accepted;
  server.child.kill("SIGTERM");
  // The 12 s are counted from the moment the server says it is shutting down (and no longer accepts).
  await waitFor(() => server.lines.some((l) => l.msg === "shutting down"), "the server to begin its shutdown");
  await waitFor(() => refusesNewConnections(server.url), "new connections to be refused", 10_000, 100);
  await sleep(12_000);
  slow.finish();
  const answer = await outcome;
  console.log(`SHUTDOWN_GRACE_MS=20000, a request finishing 12 s after SIGTERM: ${answer}`);
  expect(answer).toBe("answered 200");
  expect((await server.exited).code).toBe(0);
});

test("SIGTERM while the server is still starting: a graceful stop (exit 0), never death by the signal", async () => {
  database = await createTestDatabase();
  const root = `${__dirname}/../..`;
  const proc = spawn(
    process.execPath,
    ["--import", `${__dirname}/../support/preload/hold-listen.mjs`, `${root}/dist/src/main.js`],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "/tmp",
        PORT: "0",
        HOST: "127.0.0.1",
        LOG_LEVEL: "info",
        SEED_DEMO: "false",
        SCHEDULER_INTERVAL_MS: "0",
        ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : { DATA_DIR: database.dataDir }),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  proc.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once("exit", (code, signal) => resolve({ code, signal })),
  );
  // The server is in start(): listen() is held, so it has not said it is ready.
  await new Promise<void>((resolve, reject) => {
    proc.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
      if (stderr.includes("hold-listen: waiting")) resolve();
    });
    void exited.then(() => reject(new Error(`exited before it reached listen: ${stderr}`)));
  });
  expect(stdout).not.toContain("newsgraph ready");
  proc.kill("SIGTERM");
  expect(await exited).toEqual({ code: 0, signal: null });
  expect(stdout).toContain('"msg":"shutting down"');
  expect(stdout).not.toContain("newsgraph ready");
});
