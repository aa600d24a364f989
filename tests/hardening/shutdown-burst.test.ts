/**
 * SIGTERM in the middle of a burst of addComment, on the real entry point
 * (`node dist/src/main.js`, built first) and the mode's database: every
 * comment the database holds afterwards was answered to its client, and every
 * answer the server gave was written whole. A request either got its answer
 * or never reached the application (its connection refused or reset before
 * the server read it, so nothing of it was stored). Half the clients reuse
 * keep-alive connections: answers written after SIGTERM say
 * `Connection: close`.
 */
import { Agent, request as httpRequest } from "node:http";
import { randomBytes } from "node:crypto";
import { print } from "graphql";
import { Client } from "pg";
import { PGlite } from "@electric-sql/pglite";
import { HardeningAddCommentDocument } from "../generated/graphql";
import { postJson, waitFor } from "../support/hardening-helpers";
import type { ChildServer } from "../support/hardening-processes";
import { spawnMain } from "../support/hardening-processes";
import type { TestDatabase } from "../support/database";
import { createTestDatabase } from "../support/database";
import { buildDist } from "../support/build-once";

jest.setTimeout(300_000);

const CLIENTS = 24;
const PER_CLIENT = 12;

beforeAll(() => buildDist(), 300_000);

let database: TestDatabase | undefined;
let child: ChildServer | undefined;
afterAll(async () => {
  if (child && child.child.exitCode === null && child.child.signalCode === null) {
    child.child.kill("SIGKILL");
    await child.exited;
  }
  await database?.drop();
});

interface Outcome {
  body: string;
  /** The comment id answered, or the error the client got. */
  answered?: string;
  status?: number;
  connection?: string;
  error?: string;
  sentAfterSignal: boolean;
  keptAlive: boolean;
}

/**
 * One addComment POST; resolves with what the client saw, never rejects. With `gate`, half the body is
 * sent at once and the rest once the gate opens: the request is in flight, being read, until then.
 */
function addComment(
  url: string,
  agent: Agent | false,
  articleId: string,
  body: string,
  signalled: () => boolean,
  gate?: Promise<void>,
) {
  const payload = JSON.stringify({
    query: print(HardeningAddCommentDocument),
    variables: {
      input: { articleId, authorName: "Burst Reader", email: `burst.${body}@example.test`, body: `Burst ${body}` },
    },
  });
  const outcome: Outcome = { body, sentAfterSignal: signalled(), keptAlive: agent !== false };
  return new Promise<Outcome>((resolve) => {
    const req = httpRequest(
      url,
      {
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
      },
      (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString("utf8")));
        res.on("end", () => {
          outcome.status = res.statusCode;
          outcome.connection = String(res.headers.connection ?? "");
          try {
            outcome.answered = JSON.parse(text).data?.addComment?.comment?.id ?? `errors: ${text}`;
          } catch {
            outcome.error = `incomplete answer: ${text.slice(0, 200)}`;
          }
          resolve(outcome);
        });
        res.on("error", (e) => {
          outcome.error = `cut off mid-answer: ${String(e)}`;
          resolve(outcome);
        });
      },
    );
    req.on("error", (e: NodeJS.ErrnoException) => {
      outcome.error ??= e.code ?? String(e);
      resolve(outcome);
    });
    if (!gate) return void req.end(payload);
    const bytes = Buffer.from(payload);
    const half = Math.floor(bytes.length / 2);
    req.write(bytes.subarray(0, half));
    void gate.then(() => req.end(bytes.subarray(half)));
  });
}

/** Bodies of the burst's comments that the database holds. */
async function storedBodies(db: TestDatabase, tag: string): Promise<Set<string>> {
  const sql = "SELECT body FROM comments WHERE body LIKE $1";
  let rows: { body: string }[];
  if (db.databaseUrl) {
    const client = new Client({ connectionString: db.databaseUrl });
    await client.connect();
    rows = (await client.query(sql, [`Burst ${tag}%`])).rows;
    await client.end();
  } else {
    const pg = await PGlite.create(db.dataDir);
    rows = (await pg.query<{ body: string }>(sql, [`Burst ${tag}%`])).rows;
    await pg.close();
  }
  return new Set(rows.map((r) => r.body.replace(/^Burst /, "")));
}

test("SIGTERM mid-burst of addComment: every stored comment was answered, every answer arrived whole", async () => {
  database = await createTestDatabase();
  child = await spawnMain({
    PORT: "0",
    HOST: "127.0.0.1",
    NODE_ENV: "production",
    LOG_LEVEL: "info",
    SEED_DEMO: "true",
    SCHEDULER_INTERVAL_MS: "0",
    SHUTDOWN_GRACE_MS: "20000",
    COMMENT_RATE_LIMIT: "100000",
    ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : { DATA_DIR: database.dataDir }),
  });
  const server = child;
  const articles = await postJson(server.url, { query: "{ articles(first: 1) { nodes { id } } }" });
  const articleId: string = articles.json.data.articles.nodes[0].id;

  const tag = randomBytes(4).toString("hex");
  let signalled = false;
  const outcomes: Outcome[] = [];
  const keepAlive = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const clients = Array.from({ length: CLIENTS }, async (_, c) => {
    // Even clients keep their connection alive between requests; odd ones open one per request.
    const agent = c % 2 === 0 ? keepAlive : false;
    for (let i = 0; i < PER_CLIENT; i++) {
      const outcome = await addComment(server.url, agent, articleId, `${tag}-${c}-${i}`, () => signalled);
      outcomes.push(outcome);
      if (outcome.error) break; // refused or reset: the server is going away
    }
  });
  // Two requests held in flight across the signal (half their body sent): answers the server must
  // write after SIGTERM, whatever the timing of the burst.
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const heldAgent = new Agent({ keepAlive: true });
  const held = [0, 1].map((i) =>
    addComment(server.url, heldAgent, articleId, `${tag}-held-${i}`, () => signalled, gate),
  );
  // SIGTERM once the burst is well under way.
  await waitFor(
    () => outcomes.length >= (CLIENTS * PER_CLIENT) / 4,
    "a quarter of the burst to be answered",
    120_000,
    5,
  );
  server.child.kill("SIGTERM");
  // "After the signal" means after the server has acted on it (its log says so), not after kill() returned.
  await waitFor(
    () => server.lines.some((l) => l.msg === "shutting down"),
    "the server to log that it is shutting down",
    60_000,
    5,
  );
  signalled = true;
  release();
  const heldOutcomes = await Promise.all(held);
  await Promise.all(clients);
  keepAlive.destroy();
  heldAgent.destroy();
  const exit = await server.exited;
  expect(exit).toEqual({ code: 0, signal: null });

  const stored = await storedBodies(database, tag);
  const answered = outcomes.filter((o) => o.answered !== undefined);
  const failed = outcomes.filter((o) => o.error !== undefined);
  const histogram: Record<string, number> = {};
  for (const o of outcomes) {
    const key =
      o.error ??
      `${o.status}${o.sentAfterSignal ? " after SIGTERM" : ""}${o.connection === "close" ? " (Connection: close)" : ""}`;
    histogram[key] = (histogram[key] ?? 0) + 1;
  }
  console.log(`burst: ${outcomes.length} requests, ${stored.size} comments stored: ${JSON.stringify(histogram)}`);

  // Every answer is a stored comment, and every stored comment was answered to its client.
  expect(answered.filter((o) => !/^errors/.test(o.answered!) && !stored.has(o.body)).map((o) => o.body)).toEqual([]);
  expect(answered.map((o) => o.answered).filter((a) => /^errors/.test(a!))).toEqual([]);
  expect(failed.filter((o) => stored.has(o.body)).map((o) => `${o.body}: ${o.error}`)).toEqual([]);
  // Failures are refusals or resets before any answer: never an answer cut off or half written.
  expect(failed.filter((o) => !/^(ECONNREFUSED|ECONNRESET|EPIPE)$|socket hang up/.test(o.error!))).toEqual([]);
  // The held requests were answered whole after SIGTERM, stored, and told the client to close.
  expect(heldOutcomes.map((o) => [o.status, o.connection, o.error ?? null, stored.has(o.body)])).toEqual([
    [200, "close", null, true],
    [200, "close", null, true],
  ]);
  // Answers written after SIGTERM on kept-alive connections tell the client not to reuse them.
  const lateKeptAlive = answered.filter((o) => o.sentAfterSignal && o.keptAlive && o.connection !== "close");
  expect(lateKeptAlive.map((o) => o.body)).toEqual([]);
});
