// HTTP benchmark of newsgraph: `npm run bench -- [options]` (see bench/README.md).
//
// The server runs in this process (built from dist/), so that its SQL statement
// counter can be read, and its RSS is this process's; the load comes from
// autocannon in a child process (bench/load.mjs), one scenario at a time, over
// loopback. Every scenario runs against three server configurations:
//   dataloaders  DataLoaders on, response cache off (the baseline)
//   n+1          DataLoaders off (BENCH_DATALOADERS=false), cache off
//   cached       DataLoaders on, response cache on (RESPONSE_CACHE=true, in memory)
// and, with --replica URL, a fourth:
//   replica      as dataloaders, with anonymous reads on the read replica(s) (DATABASE_READ_URL)
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import pg from "pg";
import {
  ARTICLE_PAGE,
  FRONT_PAGE,
  ROOT,
  busiestArticles,
  dist,
  failer,
  fmt,
  load,
  ms,
  runOptions,
  startNewsgraph,
  summary,
} from "./lib.mjs";
const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/newsgraph_bench";
const MIN_ARTICLES = 1000;
const SEED_COMMAND = "npm run cli -- seed --bench --articles 100000 --comments 1000000";
const DEEP = 5000;
const SEARCH_TERMS = ["election", "budget", "flood", "ferry", "housing"];
const SCENARIOS = ["front", "article", "topic-first", "topic-deep", "search", "search-about", "search-page", "mixed"];
const VARIANTS = [
  { name: "dataloaders", env: { RESPONSE_CACHE: "false", BENCH_DATALOADERS: "true" } },
  { name: "n+1", env: { RESPONSE_CACHE: "false", BENCH_DATALOADERS: "false" } },
  { name: "cached", env: { RESPONSE_CACHE: "true", BENCH_DATALOADERS: "true" } },
];

const USAGE = `usage: npm run bench -- [options]

  --duration S      seconds per measured run (default 10; --quick: 2)
  --warmup S        seconds of warm-up before each measured run (default 2; --quick: 0.5)
  --connections N   concurrent connections (default 10)
  --scenario NAME   only this scenario (repeatable): ${SCENARIOS.join(", ")}
  --variant NAME    only this server configuration (repeatable): ${VARIANTS.map((v) => v.name).join(", ")}
  --replica URL     a streaming replica of DATABASE_URL's server (repeatable): adds the "replica"
                    configuration, dataloaders with DATABASE_READ_URL=URL[,URL...]
  --quick           short runs, for a CI smoke test
  --no-build        use dist/ as it is (default: npm run -s build first)
  --help

env: DATABASE_URL (default ${DEFAULT_DATABASE_URL}), seeded with
  ${SEED_COMMAND}`;

// ---------------------------------------------------------------- options

function options() {
  const { parsed, ...run } = runOptions({
    usage: USAGE,
    fail,
    extra: {
      scenario: { type: "string", multiple: true },
      variant: { type: "string", multiple: true },
      replica: { type: "string", multiple: true },
      quick: { type: "boolean" },
    },
    defaults: (p) => (p.quick ? { duration: 2, warmup: 0.5 } : { duration: 10, warmup: 2 }),
  });
  const scenarios = (parsed.scenario ?? SCENARIOS).flatMap((s) => s.split(","));
  for (const s of scenarios) if (!SCENARIOS.includes(s)) fail(`unknown scenario "${s}" (${SCENARIOS.join(", ")})`, 64);
  const replicas = (parsed.replica ?? []).flatMap((s) => s.split(",")).filter(Boolean);
  const known = replicas.length
    ? [
        ...VARIANTS,
        {
          name: "replica",
          env: { RESPONSE_CACHE: "false", BENCH_DATALOADERS: "true", DATABASE_READ_URL: replicas.join(",") },
        },
      ]
    : VARIANTS;
  const variants = (parsed.variant ?? known.map((v) => v.name)).flatMap((s) => s.split(","));
  for (const v of variants) {
    if (!known.some((x) => x.name === v)) {
      const hint = v === "replica" ? " (give --replica URL)" : "";
      fail(`unknown variant "${v}" (${known.map((x) => x.name).join(", ")})${hint}`, 64);
    }
  }
  return {
    ...run,
    scenarios,
    variants: known.filter((v) => variants.includes(v.name)),
    quick: Boolean(parsed.quick),
  };
}

const fail = failer("bench");

// ---------------------------------------------------------------- the database

/** Checks the database is a seeded benchmark database and reads what the scenarios need. */
async function fixtures(databaseUrl) {
  const name = new URL(databaseUrl).pathname.slice(1);
  if (/^newsgraph_test_/.test(name)) fail(`refusing to load a test database (${name})`);
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
  } catch (error) {
    fail(
      `cannot connect to ${redact(databaseUrl)}: ${error.message}\nCreate and seed it with:\n  ${seedHint(databaseUrl)}`,
    );
  }
  try {
    const [{ exists }] = (await client.query("SELECT to_regclass('public.articles') IS NOT NULL AS exists")).rows;
    const published = exists
      ? Number((await client.query("SELECT count(*) AS n FROM articles WHERE status = 'PUBLISHED'")).rows[0].n)
      : 0;
    if (published < MIN_ARTICLES) {
      fail(
        `${redact(databaseUrl)} has ${published} published article(s); the benchmark needs at least ${MIN_ARTICLES}.\n` +
          `Seed it first:\n  ${seedHint(databaseUrl)}`,
      );
    }
    const counts = (
      await client.query(
        `SELECT (SELECT count(*) FROM articles)::int AS articles, (SELECT count(*) FROM comments)::int AS comments,
              (SELECT count(*) FROM topics)::int AS topics, (SELECT count(*) FROM authors)::int AS authors`,
      )
    ).rows[0];

    // The biggest topic, and the cursor of its DEEP-th article (newest first), or as deep as it goes.
    const [topic] = (
      await client.query(
        `SELECT t.id, t.slug, count(*)::int AS n FROM article_topics l JOIN topics t ON t.id = l.topic_id
       WHERE l.published_at IS NOT NULL GROUP BY t.id, t.slug ORDER BY n DESC, t.id LIMIT 1`,
      )
    ).rows;
    const depth = Math.max(1, Math.min(DEEP, topic.n - 20));
    const [deep] = (
      await client.query(
        `SELECT l.published_at, l.article_id FROM article_topics l
       WHERE l.topic_id = $1 AND l.published_at IS NOT NULL
       ORDER BY l.published_at DESC, l.article_id DESC OFFSET $2 LIMIT 2`,
        [topic.id, depth - 1],
      )
    ).rows;
    const next = (
      await client.query(
        `SELECT a.slug FROM article_topics l JOIN articles a ON a.id = l.article_id
       WHERE l.topic_id = $1 AND l.published_at IS NOT NULL
       ORDER BY l.published_at DESC, l.article_id DESC OFFSET $2 LIMIT 1`,
        [topic.id, depth],
      )
    ).rows[0]?.slug;
    const cursor = Buffer.from(JSON.stringify(["a", deep.published_at.toISOString(), deep.article_id])).toString(
      "base64url",
    );

    const busy = await busiestArticles(client);
    if (!busy.length) fail("no published article has comments: seed comments too (--comments)");
    return { name, counts, published, topic, depth, cursor, deepFirstSlug: next, busy };
  } finally {
    await client.end();
  }
}

const redact = (url) => url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
const seedHint = (url) =>
  `createdb ${new URL(url).pathname.slice(1)}  # if needed\n  DATABASE_URL=${redact(url)} ${SEED_COMMAND}`;

/** Removes what the mixed scenario wrote, so every run starts from the seeded data. */
async function cleanUp(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query(
      "DELETE FROM comments WHERE email LIKE 'bench-load-%@example.invalid' RETURNING id",
    );
    if (rows.length) {
      await client.query("DELETE FROM feed_events WHERE comment_id = ANY($1::int[])", [rows.map((r) => r.id)]);
    }
    await client.query("COMMIT");
    return rows.length;
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------- the scenarios

const TOPIC_PAGE = `query BenchTopicPage($slug: String!, $first: Int, $after: String) {
  topic(slug: $slug) {
    id slug name description articleCount
    articles(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id slug title standfirst publishedAt
        authors { slug name }
        topics { slug name }
      }
    }
  }
}`;

/** One search page of 20, with the count field given (or none); the three search scenarios differ only in it. */
const searchQuery = (name, count) => `query ${name}($query: String!) {
  search(query: $query, first: 20) {
${count ? `    ${count}\n` : ""}    pageInfo { hasNextPage endCursor }
    nodes { id slug title standfirst publishedAt authors { name } }
  }
}`;

const SEARCH = searchQuery("BenchSearch", "totalCount");
// The same ranked page without the exact number of matches, which for a common
// word means visiting every matching row: the figures side by side show what
// each costs.
const SEARCH_PAGE = searchQuery("BenchSearchPage", null);
// The count a results page shows ("about 24,000 results"): the planner's estimate,
// which reads no matching row.
const SEARCH_ABOUT = searchQuery("BenchSearchAbout", "estimatedTotalCount");

const body = (query, variables) => JSON.stringify({ query, variables });

/** What each scenario sends: a weighted pool of request bodies (and, for mixed, comments). */
function scenarios(f, toGlobalId) {
  const front = [body(FRONT_PAGE, { first: 20 })];
  const article = f.busy.map((a) => body(ARTICLE_PAGE, { slug: a.slug }));
  const topicFirst = [body(TOPIC_PAGE, { slug: f.topic.slug, first: 20 })];
  const topicDeep = [body(TOPIC_PAGE, { slug: f.topic.slug, first: 20, after: f.cursor })];
  const search = SEARCH_TERMS.map((query) => body(SEARCH, { query }));
  const searchPage = SEARCH_TERMS.map((query) => body(SEARCH_PAGE, { query }));
  const searchAbout = SEARCH_TERMS.map((query) => body(SEARCH_ABOUT, { query }));
  const bodies = (weight, list) => ({ weight, kind: "body", bodies: list });
  return {
    front: {
      label: "front page: articles(first: 20) + authors, topics, related(5), commentCount",
      pool: [bodies(1, front)],
    },
    article: {
      label: `article page: ${f.busy.length} busiest articles, comments(first: 50) + replies`,
      pool: [bodies(1, article)],
    },
    "topic-first": {
      label: `topic "${f.topic.slug}" (${f.topic.n} articles), first page`,
      pool: [bodies(1, topicFirst)],
    },
    "topic-deep": {
      label: `topic "${f.topic.slug}", page ${f.depth.toLocaleString("en")} items deep`,
      pool: [bodies(1, topicDeep)],
    },
    search: { label: `search: ${SEARCH_TERMS.join(", ")} (first: 20, totalCount)`, pool: [bodies(1, search)] },
    "search-about": {
      label: `search: the same terms (first: 20), with estimatedTotalCount`,
      pool: [bodies(1, searchAbout)],
    },
    "search-page": {
      label: `search: the same terms (first: 20), without totalCount`,
      pool: [bodies(1, searchPage)],
    },
    mixed: {
      label: "95% reads (all of the above), 5% addComment",
      pool: [
        bodies(20, front),
        bodies(30, article),
        bodies(15, topicFirst),
        bodies(10, topicDeep),
        bodies(20, search),
        { weight: 5, kind: "comment", articleIds: f.busy.map((a) => toGlobalId("Article", a.id)) },
      ],
    },
  };
}

// ---------------------------------------------------------------- measuring

/** Sends each distinct body once and checks the answer: no errors, real data, the same in every configuration. */
async function sampleCheck(url, scenario, f, reference) {
  const problems = [];
  for (const entry of scenario.pool) {
    if (entry.kind !== "body") continue;
    for (const b of entry.bodies) {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: b });
      const json = await res.json();
      const vars = JSON.parse(b).variables;
      if (res.status !== 200 || json.errors) {
        problems.push(
          `HTTP ${res.status} ${JSON.stringify(json.errors ?? json).slice(0, 300)} for ${JSON.stringify(vars)}`,
        );
        continue;
      }
      const d = json.data;
      const nodes = d.articles?.nodes ?? d.topic?.articles?.nodes ?? d.search?.nodes;
      if (d.article === null || d.topic === null || (nodes && nodes.length === 0)) {
        problems.push(`empty answer for ${JSON.stringify(vars)}`);
      }
      if (vars.after && f.deepFirstSlug && nodes?.[0]?.slug !== f.deepFirstSlug) {
        problems.push(`deep topic page starts at ${nodes?.[0]?.slug}, expected ${f.deepFirstSlug}`);
      }
      const key = createHash("sha256").update(b).digest("hex");
      if (reference.has(key)) {
        const where = firstDifference(reference.get(key), d);
        if (where)
          problems.push(`answer differs from the first configuration's at ${where} for ${JSON.stringify(vars)}`);
      } else reference.set(key, d);
    }
  }
  return problems;
}

/** The path of the first difference between two JSON values, or null. */
function firstDifference(a, b, path = "data") {
  if (a === b) return null;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return `${path} (${JSON.stringify(a)?.slice(0, 80)} vs ${JSON.stringify(b)?.slice(0, 80)})`;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const where = firstDifference(a[k], b[k], `${path}.${k}`);
    if (where) return where;
  }
  return null;
}

/** One autocannon run in a child process; resolves with its JSON result. */
async function requestsServed(server) {
  const metric = await server.metrics.requests.get();
  return metric.values.reduce((sum, v) => sum + v.value, 0);
}

/** Resolves once the server has answered nothing new and sent no SQL for 300 ms. */
async function settle(server) {
  let last = "";
  for (;;) {
    const now = `${await requestsServed(server)}/${server.db.sql.total}`;
    if (now === last) return;
    last = now;
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Warm-up, then the measured run, with the server's SQL statements and RSS around it. */
async function measure(server, scenario, opts) {
  const spec = { url: server.url, connections: opts.connections, pool: scenario.pool };
  if (opts.warmup > 0) await load({ ...spec, durationSeconds: opts.warmup });
  await settle(server);
  const statementsBefore = server.db.sql.total;
  const servedBefore = await requestsServed(server);
  let rssPeak = process.memoryUsage.rss();
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 100);
  let result;
  try {
    result = await load({ ...spec, durationSeconds: opts.duration });
  } finally {
    clearInterval(sampler);
  }
  // Requests the server accepted but had not answered when the load stopped still count: wait for them.
  await settle(server);
  const served = (await requestsServed(server)) - servedBefore;
  const statements = server.db.sql.total - statementsBefore;
  return {
    ...summary(result),
    errorDetail: {
      non2xx: result.non2xx,
      socket: result.socketErrors,
      timeouts: result.timeouts,
      graphql: result.graphqlErrors,
      noData: result.emptyData,
      first: result.firstProblem,
    },
    responses: result.responses,
    served,
    sqlPerRequest: served ? statements / served : null,
    rssMB: rssPeak / 2 ** 20,
    comments: result.comments,
  };
}

// ---------------------------------------------------------------- printing

function table(rows) {
  const head = ["scenario", "variant", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "SQL/req", "RSS MB"];
  const body = rows.map((r) => [
    r.scenario,
    r.variant,
    fmt(r.rps),
    ms(r.p50),
    ms(r.p95),
    ms(r.p99),
    fmt(r.errors),
    r.sqlPerRequest === null ? "-" : r.sqlPerRequest.toFixed(2),
    fmt(r.rssMB),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

function ratios(rows) {
  const get = (scenario, variant) => rows.find((r) => r.scenario === scenario && r.variant === variant);
  const out = [];
  const ratio = (a, b) => (a && b && b > 0 ? a / b : null);
  for (const s of SCENARIOS) {
    const base = get(s, "dataloaders");
    const n1 = get(s, "n+1");
    const cached = get(s, "cached");
    const replica = get(s, "replica");
    if (base && replica) {
      out.push({
        name: `${s}: with read replica vs primary alone throughput`,
        value: ratio(replica.rps, base.rps),
        unit: "x",
        detail:
          `${fmt(replica.rps)} vs ${fmt(base.rps)} req/s; p99 ${ms(replica.p99)} vs ${ms(base.p99)} ms; ` +
          `${replica.replicaShare === undefined ? "?" : Math.round(replica.replicaShare * 100)}% of statements on replicas`,
      });
    }
    if (base && n1) {
      out.push({
        name: `${s}: DataLoaders vs N+1 throughput`,
        value: ratio(base.rps, n1.rps),
        unit: "x",
        target: s === "front" ? ">= 5x" : null,
        met: s === "front" ? ratio(base.rps, n1.rps) >= 5 : null,
        detail: `${fmt(base.rps)} vs ${fmt(n1.rps)} req/s; SQL/req ${base.sqlPerRequest?.toFixed(2)} vs ${n1.sqlPerRequest?.toFixed(2)}`,
      });
    }
    if (base && cached) {
      out.push({
        name: `${s}: cached vs uncached throughput`,
        value: ratio(cached.rps, base.rps),
        unit: "x",
        target: s === "mixed" ? null : ">= 5x",
        met: s === "mixed" ? null : ratio(cached.rps, base.rps) >= 5,
        detail: `${fmt(cached.rps)} vs ${fmt(base.rps)} req/s`,
      });
    }
  }
  for (const variant of VARIANTS.map((v) => v.name)) {
    const first = get("topic-first", variant);
    const deep = get("topic-deep", variant);
    if (first && deep) {
      const value = ratio(deep.p50, first.p50);
      out.push({
        name: `topic page deep vs first, p50 latency (${variant})`,
        value,
        unit: "x",
        target: variant === "dataloaders" ? "<= 1.5x" : null,
        met: variant === "dataloaders" ? value <= 1.5 : null,
        detail: `p50 ${ms(deep.p50)} vs ${ms(first.p50)} ms; p99 ${ms(deep.p99)} vs ${ms(first.p99)} ms`,
      });
    }
  }
  // The target is a page with a count a user can show: the estimate; the exact count is reported beside it.
  const about = get("search-about", "dataloaders");
  if (about) {
    out.push({
      name: "search p99 latency, estimatedTotalCount (uncached)",
      value: about.p99,
      unit: "ms",
      target: "< 50 ms",
      met: about.p99 < 50,
      detail: `p50 ${ms(about.p50)}, p95 ${ms(about.p95)} ms`,
    });
  }
  const search = get("search", "dataloaders");
  if (search) {
    out.push({
      name: "search p99 latency, exact totalCount (uncached)",
      value: search.p99,
      unit: "ms",
      target: null,
      met: null,
      detail: `p50 ${ms(search.p50)}, p95 ${ms(search.p95)} ms`,
    });
  }
  const errors = rows.reduce((sum, r) => sum + r.errors, 0);
  out.push({ name: "errors, all runs", value: errors, unit: "", target: "0", met: errors === 0, detail: "" });
  return out;
}

function printRatios(list) {
  const width = Math.max(...list.map((r) => r.name.length));
  return list
    .map((r) => {
      const value =
        r.value === null
          ? "-"
          : r.unit === "x"
            ? `${r.value.toFixed(1)}x`
            : r.unit === "ms"
              ? `${ms(r.value)} ms`
              : String(r.value);
      const verdict = r.target ? `  target ${r.target}: ${r.met ? "met" : "MISSED"}` : "";
      return `${r.name.padEnd(width)}  ${value.padStart(8)}${verdict}${r.detail ? `  (${r.detail})` : ""}`;
    })
    .join("\n");
}

// ---------------------------------------------------------------- main

async function main() {
  const opts = options();
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const f = await fixtures(databaseUrl);

  if (opts.build) {
    console.error("bench: building (npm run -s build) ...");
    execFileSync("npm", ["run", "-s", "build"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  }
  const { toGlobalId } = await dist("src/shared/node-id.js");

  const all = scenarios(f, toGlobalId);
  console.log(
    `newsgraph bench: ${f.name} (${fmt(f.counts.articles)} articles, ${fmt(f.published)} published, ` +
      `${fmt(f.counts.comments)} comments, ${f.counts.topics} topics, ${f.counts.authors} authors)`,
  );
  console.log(
    `${opts.duration} s per run after ${opts.warmup} s warm-up, ${opts.connections} connections, ` +
      `node ${process.version}, autocannon in a child process; server RSS = this process (server alone)`,
  );
  const loadAtStart = loadavg();
  console.log(
    `machine: ${cpus().length} CPU(s), load average ${loadAtStart.map((l) => l.toFixed(1)).join(" ")} at start`,
  );
  for (const s of opts.scenarios) console.log(`  ${s.padEnd(12)} ${all[s].label}`);
  if (f.depth < DEEP)
    console.log(`  note: the biggest topic has ${f.topic.n} articles; the deep page is ${f.depth} deep`);
  console.log("");

  const rows = [];
  const problems = [];
  const reference = new Map();
  await cleanUp(databaseUrl);
  for (const variant of opts.variants) {
    const server = await startNewsgraph(databaseUrl, variant.env);
    try {
      for (const name of opts.scenarios) {
        const scenario = all[name];
        const found = await sampleCheck(server.url, scenario, f, reference);
        for (const p of found) problems.push(`${name}/${variant.name}: ${p}`);
        const onReplicas = () => (server.db.replicas?.replicas ?? []).reduce((n, x) => n + x.sql.total, 0);
        const [allBefore, replicasBefore] = [server.db.sql.total, onReplicas()];
        const r = await measure(server, scenario, opts);
        const sent = server.db.sql.total - allBefore;
        const row = { scenario: name, variant: variant.name, ...r };
        // Warm-up included: the share of statements the replicas answered (the rest went to the primary).
        if (server.db.replicas) row.replicaShare = sent ? (onReplicas() - replicasBefore) / sent : 0;
        rows.push(row);
        console.log(
          `${name.padEnd(12)} ${variant.name.padEnd(12)} ${fmt(r.rps).padStart(7)} req/s  ` +
            `p50 ${ms(r.p50)}  p95 ${ms(r.p95)}  p99 ${ms(r.p99)} ms  errors ${r.errors}  ` +
            `SQL/req ${r.sqlPerRequest === null ? "-" : r.sqlPerRequest.toFixed(2)}  RSS ${fmt(r.rssMB)} MB` +
            (r.comments ? `  (${r.comments} comments posted)` : ""),
        );
        if (r.errors) console.log(`    errors: ${JSON.stringify(r.errorDetail)}`);
        if (name === "mixed") await cleanUp(databaseUrl);
      }
    } finally {
      await server.stop();
    }
  }

  const summary = ratios(rows);
  console.log(`\n${table(rows)}\n\n${printRatios(summary)}`);
  if (problems.length) console.log(`\nsample checks found problems:\n  ${problems.join("\n  ")}`);
  console.log("\nPostGraphile peer comparison: npm run bench:peer (front page, same database).");

  const resultsDir = join(ROOT, "bench", "results");
  mkdirSync(resultsDir, { recursive: true });
  const report = {
    at: new Date().toISOString(),
    database: { name: f.name, ...f.counts, published: f.published },
    options: { duration: opts.duration, warmup: opts.warmup, connections: opts.connections, quick: opts.quick },
    node: process.version,
    machine: { cpus: cpus().length, loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadavg() },
    fixtures: {
      topic: f.topic.slug,
      topicArticles: f.topic.n,
      deepOffset: f.depth,
      articlePages: f.busy.length,
      searchTerms: SEARCH_TERMS,
    },
    scenarios: Object.fromEntries(opts.scenarios.map((s) => [s, all[s].label])),
    runs: rows,
    ratios: summary,
    sampleCheckProblems: problems,
  };
  const file = join(resultsDir, "last.json");
  let text = JSON.stringify(report, null, 2) + "\n";
  try {
    // Formatted as the repository's Prettier config would, so that `prettier --check .` stays quiet.
    const prettier = await import("prettier");
    text = await prettier.format(text, { ...(await prettier.resolveConfig(file)), filepath: file });
  } catch {
    // Prettier is a devDependency: without it the JSON is written as it is.
  }
  writeFileSync(file, text);
  console.log(`\nwritten: bench/results/last.json`);
  // Performance targets are reported, not asserted; errors mean the numbers cannot be trusted.
  const errors = rows.reduce((sum, r) => sum + r.errors, 0);
  if (errors || problems.length) process.exitCode = 1;
}

main().catch((error) => {
  console.error("bench failed:", error);
  process.exit(1);
});
