// What a cache hit costs: `npm run bench:cache -- [options]` (see bench/README.md).
//
// The cached front page of newsgraph (RESPONSE_CACHE=true, in-memory store) against a bare
// Node.js HTTP server that answers every request with the same bytes and headers, both in this
// process one after the other, under the same load from bench/load.mjs (a child process). The
// issue-16 bar: newsgraph at least half the bare server's throughput.
import { createServer } from "node:http";
import { execFileSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { FRONT_PAGE, ROOT, failer, fmt, load, ms, runOptions, startNewsgraph, summary } from "./lib.mjs";

const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/newsgraph_bench";
const USAGE = `usage: npm run bench:cache -- [options]

  --duration S      seconds per measured run (default 10)
  --warmup S        seconds of warm-up before each measured run (default 2)
  --connections N   concurrent connections (default 10)
  --first N         articles on the front page (default 20)
  --no-build        use dist/ as it is (default: npm run -s build first)
  --help

env: DATABASE_URL (default ${DEFAULT_DATABASE_URL}), seeded as bench/README.md says`;

const fail = failer("bench:cache");
const { parsed, ...opts } = runOptions({ usage: USAGE, fail, extra: { first: { type: "string" } } });
const first = parsed.first === undefined ? 20 : Number(parsed.first);
if (!Number.isInteger(first) || first < 1 || first > 100) fail(`--first must be 1..100, got "${parsed.first}"`, 64);
if (opts.build) execFileSync("npm", ["run", "-s", "build"], { cwd: ROOT, stdio: "inherit" });

const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
const body = JSON.stringify({ query: FRONT_PAGE, operationName: "BenchFrontPage", variables: { first } });
const pool = [{ weight: 1, kind: "body", bodies: [body] }];

async function run(url) {
  const spec = { url, connections: opts.connections, pool };
  if (opts.warmup > 0) await load({ ...spec, durationSeconds: opts.warmup });
  return summary(await load({ ...spec, durationSeconds: opts.duration }));
}

// newsgraph, cached: the first request stores the entry, every later one is a hit.
const server = await startNewsgraph(databaseUrl, { RESPONSE_CACHE: "true", BENCH_DATALOADERS: "true" });
let answer;
let cached;
try {
  const post = () =>
    fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body,
    });
  await post();
  const res = await post();
  if (res.headers.get("x-cache") !== "HIT")
    fail(`the second front page request was not a cache HIT (${res.headers.get("x-cache")})`);
  answer = { text: await res.text(), headers: Object.fromEntries(res.headers) };
  if (!answer.text.startsWith('{"data":{')) fail(`the front page failed: ${answer.text.slice(0, 300)}`);
  cached = await run(server.url);
} finally {
  await server.stop();
}

// The baseline: the same bytes and headers from a bare node:http server.
const {
  date: _date,
  connection: _connection,
  "keep-alive": _keepAlive,
  "content-length": _length,
  ...headers
} = answer.headers;
const bare = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, headers);
    res.end(answer.text);
  });
});
await new Promise((resolve) => bare.listen(0, "127.0.0.1", resolve));
let baseline;
try {
  baseline = await run(`http://127.0.0.1:${bare.address().port}/graphql`);
} finally {
  await new Promise((resolve) => bare.close(resolve));
}

const row = (name, r) =>
  `| ${name.padEnd(28)} | ${fmt(r.rps).padStart(7)} | ${ms(r.p50).padStart(6)} | ${ms(r.p99).padStart(6)} | ${String(r.errors).padStart(6)} |`;
console.log(
  `\nbench:cache ${new Date().toISOString()}; node ${process.version}; ${cpus().length} cores; ` +
    `load average before ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}; ${opts.connections} connections, ${opts.duration} s; front page first=${first}, ` +
    `${fmt(Buffer.byteLength(answer.text))} bytes`,
);
console.log("| server                       |   req/s | p50 ms | p99 ms | errors |");
console.log("|------------------------------|--------:|-------:|-------:|-------:|");
console.log(row("newsgraph, cache hit", cached));
console.log(row("bare node:http, same bytes", baseline));
const ratio = cached.rps / baseline.rps;
console.log(
  `\ncached / bare = ${ratio.toFixed(2)} (bar: >= 0.50): ${ratio >= 0.5 ? "met" : "missed"}` +
    (cached.errors || baseline.errors ? "; errors seen, the figures do not count" : ""),
);
process.exit(cached.errors || baseline.errors ? 1 : 0);
