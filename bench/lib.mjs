// What bench/run.mjs and bench/peer.mjs share: the load generator in a child
// process, the newsgraph server started in this process, number formats.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

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

/** Imports a module of the built server (dist/). */
export const dist = (p) => import(pathToFileURL(join(ROOT, "dist", p)).href);

/**
 * Starts newsgraph from dist/ in this process, on a free port, with the bench's
 * settings: no demo seed, no Redis, no rate limit, no background statements
 * (the scheduler and the feed poller would add to SQL/req), errors left to the
 * bench to count and show. `overrides` are the configuration's own settings.
 */
export async function startNewsgraph(databaseUrl, overrides = {}) {
  await import("reflect-metadata");
  const { createServer } = await dist("src/server.js");
  const { loadConfig } = await dist("src/config.js");
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

export const fmt = (n, digits = 0) =>
  n === null || n === undefined
    ? "-"
    : n.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const ms = (n) =>
  n === null || n === undefined ? "-" : n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0);
