// The live-blog scenario of `npm run bench:feed -- --scenario live-blog`: one server process on
// PostgreSQL, N graphql-ws subscriptions to one live blog's liveBlog stream (many per socket,
// within WS_MAX_SUBSCRIPTIONS_PER_SOCKET, raised for the bench), and an editor who posts one entry
// per second with edits and deletions mixed in (every 2 s: add, edit an earlier entry, add, delete
// another earlier entry). Prints publish-to-delivery percentiles, deliveries made of expected (must
// be all), SQL statements per event with 1 subscriber and with N (must be equal), server RSS per
// subscriber.
//
// Each event is sent on its tick, and not before every subscriber has the previous one: so each
// dispatch reads one event, at 1 subscriber as at N, and the SQL counts are comparable.
import { execFile } from "node:child_process";
import { readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const WebSocket = require("ws");
const { Client } = require("pg");

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rssKb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]);
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/**
 * @param {{ N: number, durationS: number, perSocket: number, redisUrl?: string,
 *   startServer: (databaseUrl: string, env: Record<string, string>) => Promise<{ child: any, url: string }> }} o
 */
export async function runLiveBlog({ N, durationS, perSocket, redisUrl, startServer }) {
  const admin = process.env.PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const dbName = `newsgraph_lbbench_${process.pid}`;
  const adminSql = async (statement) => {
    const c = new Client({ connectionString: admin });
    await c.connect();
    await c.query(statement);
    await c.end();
  };
  await adminSql(`CREATE DATABASE ${dbName}`);
  const dbUrl = new URL(admin);
  dbUrl.pathname = `/${dbName}`;
  const databaseUrl = dbUrl.toString();
  const sockets = [];
  let server;
  try {
    server = await startServer(databaseUrl, {
      WS_MAX_SUBSCRIPTIONS_PER_SOCKET: String(perSocket),
      WS_MAX_SOCKETS_PER_ADDRESS: String(Math.ceil(N / perSocket) + 10),
      // No poll timer: nothing but the events reads the database while the SQL is counted.
      FEED_POLL_MS: "0",
    });
    const { child } = server;
    const cli = (args) =>
      new Promise((resolve, reject) =>
        execFile(
          process.execPath,
          ["dist/src/cli/index.js", ...args],
          { env: { ...process.env, DATABASE_URL: databaseUrl } },
          (error, stdout, stderr) =>
            error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout.trim()),
        ),
      );
    await cli(["author", "create", "--slug", "bench-live-editor", "--name", "Bench Live Editor"]);
    const token = await cli(["token", "create", "--author", "bench-live-editor", "--role", "EDITOR"]);
    const gql = async (query, variables) => {
      const res = await fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = await res.json();
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    const statements = async () => {
      const text = await (await fetch(server.url.replace("/graphql", "/metrics"))).text();
      return Number(/^newsgraph_db_statements_total (\d+)/m.exec(text)[1]);
    };
    const { articles } = await gql("{ articles(first: 1) { nodes { id } } }");
    const articleId = articles.nodes[0].id;
    await gql("mutation ($id: ID!) { startLiveBlog(articleId: $id) { isLive } }", { id: articleId });

    // Event keys: "A#i" (ADDED, body), "E#i" (EDITED, body), "D:<entryId>" (DELETED).
    const sent = new Map(); // key -> send time
    const received = new Map(); // key -> deliveries
    const latencies = [];
    const closes = new Map();
    let deliveries = 0;
    let errors = 0;
    const query =
      "subscription ($id: ID!) { liveBlog(articleId: $id) { cursor kind entryId entry { body isPinned } } }";
    const keyOf = (text) => {
      if (text.includes('"kind":"DELETED"')) return `D:${/"entryId":"([^"]+)"/.exec(text)[1]}`;
      const m = /"body":"([AE]#\d+)/.exec(text);
      return m ? m[1] : null;
    };
    /** A socket with `count` liveBlog subscriptions, resolved once all are sent. */
    const connect = (count) =>
      new Promise((resolve, reject) => {
        const socket = new WebSocket(server.url.replace(/^http/, "ws"), "graphql-transport-ws");
        sockets.push(socket);
        socket.on("open", () => socket.send('{"type":"connection_init"}'));
        socket.on("error", reject);
        socket.on("close", (code) => closes.set(code, (closes.get(code) ?? 0) + 1));
        socket.on("message", (data) => {
          const text = data.toString();
          if (text.includes('"connection_ack"')) {
            for (let i = 0; i < count; i++) {
              socket.send(
                JSON.stringify({ id: `s${i}`, type: "subscribe", payload: { query, variables: { id: articleId } } }),
              );
            }
            resolve();
            return;
          }
          if (text.includes('"ping"')) return socket.send('{"type":"pong"}');
          const key = text.includes('"next"') ? keyOf(text) : null;
          if (!key) {
            if (text.includes('"error"') || text.includes('"errors"')) {
              errors++;
              if (errors < 5) console.error("subscription error", text.slice(0, 300));
            }
            return;
          }
          const at = sent.get(key);
          if (at !== undefined) latencies.push(Date.now() - at);
          received.set(key, (received.get(key) ?? 0) + 1);
          deliveries++;
        });
      });
    const metrics = async () => {
      const text = await (await fetch(server.url.replace("/graphql", "/metrics"))).text();
      return (name) => Number(new RegExp(`^${name} (\\d+)`, "m").exec(text)?.[1]);
    };
    const waitActive = async (n) => {
      const deadline = Date.now() + 120_000;
      for (;;) {
        const active = (await metrics())("newsgraph_subscriptions_active");
        if (active >= n) return active;
        if (errors) throw new Error(`${errors} subscription errors`);
        if (Date.now() > deadline) throw new Error(`only ${active} of ${n} subscriptions active`);
        await sleep(20);
      }
    };

    const entries = []; // ids of entries added, in order
    let adds = 0;
    let edits = 0;
    const toEdit = [];
    const toDelete = [];
    /** One event of the 4-step cycle: add, edit, add, delete (entries at 1 per second at 2 ticks per second). */
    async function event(step) {
      if (step % 2 === 0 || (step % 4 === 1 && !toEdit.length) || (step % 4 === 3 && !toDelete.length)) {
        const key = `A#${adds++}`;
        sent.set(key, Date.now());
        const { addLiveEntry } = await gql(
          "mutation ($input: AddLiveEntryInput!) { addLiveEntry(input: $input) { id } }",
          { input: { articleId, body: `${key} A bench entry: the council votes on the budget.` } },
        );
        entries.push(addLiveEntry.id);
        // Alternate: odd entries get edited later, even ones deleted (never both: no compaction).
        (entries.length % 2 ? toEdit : toDelete).push(addLiveEntry.id);
        return key;
      }
      if (step % 4 === 1) {
        const key = `E#${edits++}`;
        sent.set(key, Date.now());
        await gql("mutation ($id: ID!, $b: String!) { updateLiveEntry(id: $id, input: { body: $b }) { id } }", {
          id: toEdit.shift(),
          b: `${key} Corrected figures.`,
        });
        return key;
      }
      const id = toDelete.shift();
      const key = `D:${id}`;
      sent.set(key, Date.now());
      await gql("mutation ($id: ID!) { deleteLiveEntry(id: $id) }", { id });
      return key;
    }
    /** `count` events on 500 ms ticks, each after every subscriber has the previous one; SQL statements per event. */
    async function phase(count, subscribers, firstStep) {
      const before = await statements();
      let previous = null;
      for (let i = 0; i < count; i++) {
        const due = Date.now() + 500;
        const deadline = Date.now() + 60_000;
        while (previous && (received.get(previous) ?? 0) < subscribers && Date.now() < deadline) await sleep(5);
        previous = await event(firstStep + i);
        await sleep(Math.max(0, due - Date.now()));
      }
      const deadline = Date.now() + 60_000;
      while ((received.get(previous) ?? 0) < subscribers && Date.now() < deadline) await sleep(20);
      return ((await statements()) - before) / count;
    }

    await sleep(500);
    const rssBefore = rssKb(child.pid);
    // Phase 1: one subscriber, two cycles (8 events).
    await connect(1);
    await waitActive(1);
    const sqlAtOne = await phase(8, 1, 0);
    const oneReceived = deliveries;
    const latencyAtOne = [...latencies].sort((a, b) => a - b);
    latencies.length = 0;

    // Phase 2: N subscribers in all (the first stays).
    const started = Date.now();
    // In steps of about 200 subscriptions, each step once the previous ones are active: every
    // subscribe checks the article's visibility in the database, and 10,000 at once would queue on the pool.
    let remaining = N - 1;
    let subscribed = 1;
    while (remaining > 0) {
      const step = [];
      for (let k = 0; k < Math.max(1, Math.floor(200 / perSocket)) && remaining > 0; k++) {
        const count = Math.min(perSocket, remaining);
        step.push(connect(count));
        remaining -= count;
        subscribed += count;
      }
      await Promise.all(step);
      await waitActive(subscribed);
      process.stderr.write(`\rsubscribed: ${subscribed}/${N}`);
    }
    process.stderr.write("\n");
    const active = await waitActive(N);
    const connectS = (Date.now() - started) / 1000;
    process.stderr.write(`live blog: ${sockets.length} sockets, ${active} subscriptions in ${connectS.toFixed(1)} s\n`);
    await sleep(Math.max(2000, N / 5));
    const rssIdle = rssKb(child.pid);
    const mainEvents = Math.round((durationS * 2) / 4) * 4; // whole cycles
    const keysBefore = sent.size;
    const sqlAtN = await phase(mainEvents, N, 8);
    const rssEnd = rssKb(child.pid);
    const expected = mainEvents * N;
    const got = deliveries - oneReceived;
    latencies.sort((a, b) => a - b);
    const result = {
      date: new Date().toISOString(),
      scenario: "live-blog",
      bus: redisUrl ? "redis" : "memory",
      subscribers: N,
      sockets: sockets.length,
      subscriptionsPerSocket: perSocket,
      connectSeconds: connectS,
      events: {
        sent: sent.size - keysBefore,
        adds: [...sent.keys()].slice(keysBefore).filter((k) => k.startsWith("A")).length,
        edits: [...sent.keys()].slice(keysBefore).filter((k) => k.startsWith("E")).length,
        deletes: [...sent.keys()].slice(keysBefore).filter((k) => k.startsWith("D")).length,
      },
      deliveriesExpected: expected,
      deliveriesReceived: got,
      allDelivered: got === expected,
      latencyMs: { p50: pct(latencies, 50), p95: pct(latencies, 95), p99: pct(latencies, 99), max: latencies.at(-1) },
      latencyAtOneSubscriberMs: { p50: pct(latencyAtOne, 50), max: latencyAtOne.at(-1) },
      sqlStatementsPerEvent: { atOne: sqlAtOne, atN: sqlAtN, equal: sqlAtOne === sqlAtN },
      serverRssMb: { before: rssBefore / 1024, idle: rssIdle / 1024, end: rssEnd / 1024 },
      rssKbPerSubscriber: (rssIdle - rssBefore) / N,
      subscriptionErrors: errors,
      socketsClosedEarly: Object.fromEntries(closes),
    };
    console.log(JSON.stringify(result, null, 2));
    mkdirSync("bench/results", { recursive: true });
    writeFileSync(`bench/results/feed-live-blog-${N}.json`, JSON.stringify(result, null, 2) + "\n");
    if (!result.allDelivered || !result.sqlStatementsPerEvent.equal || errors) process.exitCode = 1;
  } finally {
    for (const socket of sockets) socket.terminate();
    if (server) {
      server.child.kill("SIGTERM");
      await new Promise((r) => server.child.once("exit", r));
    }
    await adminSql(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  }
}
