// What bench/run.mjs and bench/peer.mjs share: the load generator in a child
// process, the newsgraph server started in this process, number formats.
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * The Node.js flags the server ships with: those of `npm start` (package.json), which the Dockerfile's CMD
 * repeats (tests/unit/docker.test.ts). A bench measures the server as it runs in production: a server it
 * spawns gets them, and one it runs in its own process needs them on the bench's command line (package.json's
 * bench scripts pass them; startNewsgraph says so when they are missing).
 */
export const SERVER_NODE_FLAGS = (() => {
  const start = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts.start.split(/\s+/);
  return start.slice(1, start.indexOf("dist/src/main.js"));
})();

/** The front page as a web client asks for it (bench/run.mjs "front"; bench/peer.mjs). */
export const FRONT_PAGE = `query BenchFrontPage($first: Int) {
  articles(first: $first) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id slug title standfirst publishedAt readingTimeMinutes
      authors { slug name }
      topics { slug name }
      relatedArticles(first: 5) { slug title authors { name } }
      commentCount
    }
  }
}`;

/** The article page the benches load: body, byline with bios, topics, related, 50 comments with their replies. */
export const ARTICLE_PAGE = `query BenchArticlePage($slug: String!) {
  article(slug: $slug) {
    id slug title standfirst body publishedAt updatedAt wordCount commentsOpen
    authors { slug name bio avatarUrl }
    topics { slug name }
    relatedArticles(first: 5) { slug title publishedAt authors { name } }
    commentCount
    comments(first: 50) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id authorName website body createdAt
        replies(first: 20) {
          totalCount
          nodes { id authorName website body createdAt }
        }
      }
    }
  }
}`;

/** Published, open articles with the most top-level approved comments (up to 50): the article pages the benches load. */
export async function busiestArticles(client) {
  const { rows } = await client.query(
    `SELECT a.id, a.slug, c.n FROM (
       SELECT article_id, count(*)::int AS n FROM comments WHERE status = 'APPROVED' AND parent_id IS NULL
       GROUP BY article_id ORDER BY n DESC LIMIT 200) c
     JOIN articles a ON a.id = c.article_id
     WHERE a.status = 'PUBLISHED' AND a.comments_open ORDER BY c.n DESC, a.id LIMIT 50`,
  );
  return rows;
}

/** Imports a module of the built server (dist/). */
export const dist = (p) => import(pathToFileURL(join(ROOT, "dist", p)).href);

/**
 * Starts newsgraph from dist/ in this process, on a free port, with the bench's
 * settings: no demo seed, no Redis, no rate limit, no background statements
 * (the scheduler and the feed poller would add to SQL/req), errors left to the
 * bench to count and show. `overrides` are the configuration's own settings.
 */
export async function startNewsgraph(databaseUrl, overrides = {}) {
  const missing = SERVER_NODE_FLAGS.filter((f) => !process.execArgv.includes(f));
  if (missing.length) {
    console.error(
      `bench: this process lacks npm start's ${missing.join(" ")}: the server runs untuned (use npm run bench*)`,
    );
  }
  await import("reflect-metadata");
  const { createServer } = await dist("src/server.js");
  const { loadConfig } = await dist("src/config/index.js");
  const { createLogger } = await dist("src/logger.js");
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    ...overrides,
    LOG_LEVEL: process.env.LOG_LEVEL || "fatal",
    SEED_DEMO: "false",
    REDIS_URL: "",
    COMMENT_RATE_LIMIT: "1000000000",
    SCHEDULER_INTERVAL_MS: "0",
    FEED_POLL_MS: "0",
    WEBHOOK_POLL_MS: "0",
  };
  const config = loadConfig(env, { port: 0, host: "127.0.0.1" });
  const server = await createServer(config, { logger: createLogger(config.logLevel, "newsgraph-bench") });
  await server.start();
  return server;
}

/** One autocannon run in bench/load.mjs (a child process); resolves to its JSON result. */
export function load(spec) {
  const dir = mkdtempSync(join(tmpdir(), "newsgraph-bench-"));
  const file = join(dir, "spec.json");
  writeFileSync(file, JSON.stringify(spec));
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(ROOT, "bench", "load.mjs"), file], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0) return reject(new Error(`load generator exited with ${code}`));
      try {
        resolvePromise(JSON.parse(out.trim().split("\n").pop()));
      } catch {
        reject(new Error(`load generator printed no result: ${out.slice(0, 300)}`));
      }
    });
  });
}

/** Throughput, latency percentiles and every kind of error of one load result. */
export function summary(result) {
  return {
    rps: result.rps,
    p50: result.latencyMs.p50,
    p95: result.latencyMs.p95,
    p99: result.latencyMs.p99,
    errors: result.non2xx + result.socketErrors + result.timeouts + result.graphqlErrors + result.emptyData,
  };
}

export const fmt = (n, digits = 0) =>
  n === null || n === undefined
    ? "-"
    : n.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const ms = (n) =>
  n === null || n === undefined ? "-" : n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0);

/** Exits with `message` (prefixed with the command's name) and `code`. */
export function failer(command) {
  return (message, code = 1) => {
    console.error(`${command}: ${message}`);
    process.exit(code);
  };
}

/**
 * Parses the command line: the run options every bench takes (--duration,
 * --warmup, --connections, --no-build, --help) and `extra` ones. `--help`
 * prints `usage` and exits 0; a bad option exits 64. `defaults` gives the
 * duration and warm-up when the options do not.
 */
export function runOptions({ usage, fail, extra = {}, defaults = { duration: 10, warmup: 2 } }) {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        duration: { type: "string" },
        warmup: { type: "string" },
        connections: { type: "string" },
        "no-build": { type: "boolean" },
        help: { type: "boolean" },
        ...extra,
      },
    }).values;
  } catch (error) {
    fail(`${error.message}\n\n${usage}`, 64);
  }
  if (parsed.help) {
    console.log(usage);
    process.exit(0);
  }
  const number = (name, fallback, min) => {
    const raw = parsed[name];
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min) fail(`--${name} must be a number >= ${min}, got "${raw}"`, 64);
    return value;
  };
  const resolvedDefaults = typeof defaults === "function" ? defaults(parsed) : defaults;
  return {
    parsed,
    duration: number("duration", resolvedDefaults.duration, 1),
    warmup: number("warmup", resolvedDefaults.warmup, 0),
    connections: Math.round(number("connections", 10, 1)),
    build: !parsed["no-build"],
  };
}
