// The load generator: one autocannon run, in a process of its own so that the
// server's process (bench/run.mjs) holds the server alone. Reads a JSON spec
// from the file named by argv[2] and prints one JSON result line on stdout.
//
// spec: { url, connections, durationSeconds, pool: [{ weight, kind: "body" | "comment", bodies | articleIds }] }
// Each request picks an entry of the pool by weight, then a body of it at random;
// "comment" entries build a fresh addComment body each time (unique text and email).
import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import autocannon from "autocannon";

const spec = JSON.parse(readFileSync(process.argv[2], "utf8"));
const url = new URL(spec.url);

const ADD_COMMENT = `mutation BenchAddComment($input: AddCommentInput!) {
  addComment(input: $input) { comment { id status } }
}`;
const RUN = randomBytes(4).toString("hex");
let comments = 0;

const total = spec.pool.reduce((sum, entry) => sum + entry.weight, 0);
const pick = (list) => list[Math.floor(Math.random() * list.length)];

function nextBody() {
  let r = Math.random() * total;
  let entry = spec.pool[spec.pool.length - 1];
  for (const e of spec.pool) {
    if ((r -= e.weight) < 0) {
      entry = e;
      break;
    }
  }
  if (entry.kind === "body") return pick(entry.bodies);
  comments += 1;
  return JSON.stringify({
    query: ADD_COMMENT,
    operationName: "BenchAddComment",
    variables: {
      input: {
        articleId: pick(entry.articleIds),
        authorName: "Load Tester",
        email: `bench-load-${RUN}-${comments}@example.invalid`,
        body: `Benchmark comment ${RUN}-${comments}: a fair point about the ferry timetable.`,
      },
    },
  });
}

// Latencies of every response, for exact percentiles (autocannon's own summary has no p95).
let latencies = new Float64Array(1 << 16);
let count = 0;
let graphqlErrors = 0;
let emptyData = 0;
let firstProblem = null;

const instance = autocannon({
  url: url.origin,
  connections: spec.connections,
  duration: spec.durationSeconds,
  timeout: 10,
  requests: [
    {
      method: "POST",
      path: url.pathname,
      headers: { "content-type": "application/json", accept: "application/json" },
      setupRequest: (req) => ({ ...req, body: nextBody() }),
      // Every body is checked: a 200 that carries GraphQL errors is an error too.
      onResponse: (status, body) => {
        if (status < 200 || status > 299) {
          firstProblem ??= `HTTP ${status}: ${String(body).slice(0, 300)}`;
          return;
        }
        // Keys are never escaped in JSON, string values always are: "errors":[ can only be the errors key.
        if (body.includes('"errors":[')) {
          graphqlErrors += 1;
          firstProblem ??= String(body).slice(0, 300);
        } else if (!body.startsWith('{"data":{')) {
          emptyData += 1;
          firstProblem ??= `no data: ${String(body).slice(0, 300)}`;
        }
      },
    },
  ],
});

instance.on("response", (_client, _status, _bytes, responseTime) => {
  if (count === latencies.length) {
    const bigger = new Float64Array(latencies.length * 2);
    bigger.set(latencies);
    latencies = bigger;
  }
  latencies[count++] = responseTime;
});

const result = await instance;
const sorted = latencies.subarray(0, count).sort();
const pct = (p) => (count ? sorted[Math.min(count - 1, Math.ceil((p / 100) * count) - 1)] : null);

process.stdout.write(
  JSON.stringify({
    requests: result.requests.total,
    responses: count,
    durationSeconds: result.duration,
    rps: count / result.duration,
    latencyMs: {
      p50: pct(50),
      p95: pct(95),
      p99: pct(99),
      max: count ? sorted[count - 1] : null,
      mean: result.latency.mean,
    },
    non2xx: result.non2xx,
    socketErrors: result.errors,
    timeouts: result.timeouts,
    graphqlErrors,
    emptyData,
    comments,
    firstProblem,
    throughputMBps: result.throughput.average / 1e6,
  }) + "\n",
);
