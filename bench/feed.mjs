#!/usr/bin/env node
// Live-feed benchmark: one server process on PostgreSQL (and Redis with --redis),
// N graphql-ws subscribers to one article's commentAdded, comments posted at a
// steady rate. Prints subscribers connected, events sent, deliveries received
// (must equal sent x N), publish-to-delivery latency percentiles, SQL statements
// per event, and server RSS per idle subscriber.
//
//   npm run bench:feed -- [--subscribers 2000] [--events 30] [--rate 2] [--redis]
//   npm run bench:feed -- --scenario live-blog [--subscribers 10000] [--duration 30] [--per-socket 100]
//
// The live-blog scenario (bench/feed-liveblog.mjs): N subscriptions to one live blog's liveBlog
// stream, an entry per second with edits and deletions mixed in.
//
// It creates a scratch database on the PostgreSQL server of PG_ADMIN_URL
// (default postgres://postgres@127.0.0.1:5432/postgres) and drops it at the end.
import { spawn } from "node:child_process";
import { readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import { runLiveBlog } from "./feed-liveblog.mjs";
import { SERVER_NODE_FLAGS } from "./lib.mjs";

const require = createRequire(import.meta.url);
const WebSocket = require("ws");
const { Client } = require("pg");

const { values: args } = parseArgs({
  options: {
    scenario: { type: "string", default: "comments" },
    subscribers: { type: "string" },
    duration: { type: "string", default: "30" },
    "per-socket": { type: "string", default: "100" },
    events: { type: "string", default: "30" },
    rate: { type: "string", default: "2" },
    redis: { type: "boolean", default: false },
  },
});
const N = Number(args.subscribers ?? (args.scenario === "live-blog" ? 10_000 : 2000));
const EVENTS = Number(args.events);
const RATE = Number(args.rate);
const admin = process.env.PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const redisUrl = args.redis ? (process.env.REDIS_URL ?? "redis://127.0.0.1:6379") : undefined;
const dbName = `newsgraph_feedbench_${process.pid}`;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rssKb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]);
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function sql(statement) {
  const c = new Client({ connectionString: admin });
  await c.connect();
  await c.query(statement);
  await c.end();
}

function startServer(databaseUrl, extraEnv = {}) {
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "info",
    SEED_DEMO: "true",
    COMMENT_RATE_LIMIT: "1000000",
    RESPONSE_CACHE: "false",
    SCHEDULER_INTERVAL_MS: "0",
    // Every subscriber connects from this one address.
    WS_MAX_SOCKETS_PER_ADDRESS: String(N + 10),
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    ...extraEnv,
  };
  delete env.DATA_DIR;
  // SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server alone.
  const nodeArgs = (process.env.SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...nodeArgs, "dist/src/main.js"], {
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let buffer = "";
    child.stdout.on("data", (chunk) => {
      buffer += chunk;
      const lines = buffer.split("\n");
      buffer = lines.pop();
      for (const line of lines) {
        try {
          const entry = JSON.parse(line);
          if (entry.url) resolve({ child, url: entry.url });
          if (entry.level >= 40) console.error("server:", line.slice(0, 500));
        } catch {
          if (line.trim()) console.error("server:", line.slice(0, 500));
        }
      }
    });
    child.on("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
}

async function gql(url, query, variables) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function statements(url) {
  const text = await (await fetch(url.replace("/graphql", "/metrics"))).text();
  return Number(/^newsgraph_db_statements_total (\d+)/m.exec(text)[1]);
}

async function main() {
  await sql(`CREATE DATABASE ${dbName}`);
  const url = new URL(admin);
  url.pathname = `/${dbName}`;
  let server;
  const clients = [];
  try {
    server = await startServer(url.toString());
    const { child } = server;
    const wsUrl = server.url.replace(/^http/, "ws");
    const { articles } = await gql(server.url, "{ articles(first: 1) { nodes { id title } } }");
    const articleId = articles.nodes[0].id;
    await sleep(500);
    const rssBefore = rssKb(child.pid);

    const sent = new Map(); // event index -> send time
    const closes = new Map(); // close code -> count
    const latencies = [];
    let deliveries = 0;
    let connected = 0;
    const query = "subscription ($id: ID!) { commentAdded(articleId: $id) { cursor comment { body authorName } } }";
    const started = Date.now();
    // A lean graphql-transport-ws client (raw ws, no JSON parse per message): on this 2-core
    // machine the subscribers share the CPU with the server, so the client must cost little.
    const subscribeMessage = JSON.stringify({
      id: "1",
      type: "subscribe",
      payload: { query, variables: { id: articleId } },
    });
    const connect = () =>
      new Promise((resolve, reject) => {
        const socket = new WebSocket(wsUrl, "graphql-transport-ws");
        clients.push(socket);
        socket.on("open", () => socket.send('{"type":"connection_init"}'));
        socket.on("error", reject);
        socket.on("close", (code) => closes.set(code, (closes.get(code) ?? 0) + 1));
        socket.on("message", (data) => {
          const text = data.toString();
          if (text.includes('"connection_ack"')) {
            socket.send(subscribeMessage);
            resolve();
            return;
          }
          if (text.includes('"ping"')) return socket.send('{"type":"pong"}');
          const match = /#(\d+)"/.exec(text);
          if (!match) {
            if (text.includes('"error"')) console.error("subscription error", text.slice(0, 300));
            return;
          }
          const at = sent.get(Number(match[1]));
          if (at !== undefined) latencies.push(Date.now() - at);
          deliveries++;
        });
      });
    for (let i = 0; i < N; i += 200) {
      await Promise.all(Array.from({ length: Math.min(200, N - i) }, connect));
      connected = clients.length;
      process.stderr.write(`\rconnecting: ${connected}/${N}`);
    }
    process.stderr.write(`\rconnected ${connected} subscribers in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    // Let every subscribe reach the server and the heap settle before measuring idle memory.
    await sleep(Math.max(2000, N / 2));
    const rssIdle = rssKb(child.pid);
    const gauges = await (await fetch(server.url.replace("/graphql", "/metrics"))).text();
    const gauge = (name) => Number(new RegExp(`^${name} (\\d+)`, "m").exec(gauges)?.[1]);
    const active = gauge("newsgraph_subscriptions_active");
    const sockets = gauge("newsgraph_websocket_connections");
    process.stderr.write(`server: ${sockets} sockets, ${active} active subscriptions\n`);

    const statementsBefore = await statements(server.url);
    const interval = 1000 / RATE;
    for (let i = 0; i < EVENTS; i++) {
      const due = Date.now() + interval;
      sent.set(i, Date.now());
      await gql(
        server.url,
        'mutation ($id: ID!, $b: String!) { addComment(input: { articleId: $id, authorName: "Bench", email: "bench@example.com", body: $b }) { comment { status } } }',
        { id: articleId, b: `Benchmark comment #${i}` },
      );
      await sleep(Math.max(0, due - Date.now()));
    }
    const expected = EVENTS * N;
    const deadline = Date.now() + 60_000;
    while (deliveries < expected && Date.now() < deadline) await sleep(100);
    const statementsAfter = await statements(server.url);
    const after = await (await fetch(server.url.replace("/graphql", "/metrics"))).text();
    process.stderr.write(
      after
        .split("\n")
        .filter((l) => /feed_events_delivered|subscriptions_active|websocket_conn|graphql_errors/.test(l))
        .join("\n") + "\n",
    );
    const rssEnd = rssKb(child.pid);

    latencies.sort((a, b) => a - b);
    const result = {
      date: new Date().toISOString(),
      bus: redisUrl ? "redis" : "memory",
      subscribersConnected: connected,
      eventsSent: EVENTS,
      deliveriesExpected: expected,
      deliveriesReceived: deliveries,
      allDelivered: deliveries === expected,
      latencyMs: { p50: pct(latencies, 50), p95: pct(latencies, 95), p99: pct(latencies, 99), max: latencies.at(-1) },
      sqlStatementsPerEvent: (statementsAfter - statementsBefore) / EVENTS,
      serverRssMb: { before: rssBefore / 1024, idle: rssIdle / 1024, end: rssEnd / 1024 },
      rssKbPerIdleSubscriber: (rssIdle - rssBefore) / N,
      socketsClosedEarly: Object.fromEntries(closes),
      serverSocketsWhenIdle: sockets,
      serverSubscriptionsWhenIdle: active,
    };
    console.log(JSON.stringify(result, null, 2));
    mkdirSync("bench/results", { recursive: true });
    writeFileSync(`bench/results/feed-${N}.json`, JSON.stringify(result, null, 2) + "\n");
    if (!result.allDelivered) process.exitCode = 1;
  } finally {
    for (const socket of clients) socket.terminate();
    if (server) {
      server.child.kill("SIGTERM");
      await new Promise((r) => server.child.once("exit", r));
    }
    await sql(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  }
}

const run =
  args.scenario === "live-blog"
    ? () =>
        runLiveBlog({
          N,
          durationS: Number(args.duration),
          perSocket: Number(args["per-socket"]),
          redisUrl,
          startServer,
        })
    : args.scenario === "comments"
      ? main
      : () => Promise.reject(new Error(`unknown scenario ${args.scenario}: comments or live-blog`));

run().catch((error) => {
  console.error(error);
  process.exit(1);
});
