// Two pages against a peer: `npm run bench:peer -- [options]`.
//
// Runs newsgraph (DataLoaders, no response cache) and PostGraphile 4 on the
// same seeded database, one after the other, with the same load generator and
// the same two pages:
//   front    the 20 newest published articles with their bylines, topics,
//            5 related articles (with their bylines) and the approved-comment count;
//   article  the 50 busiest articles in turn: body, byline with bios, topics,
//            5 related articles, the count, 50 top-level comments with their
//            first 20 replies and both totals.
// PostGraphile is fetched on demand into bench/.peer (git-ignored; it is not a
// dependency of newsgraph) and gets what its generated schema lacks for those
// pages as two computed columns, created for the run and dropped after it:
// articles_related (the same SQL as ArticleService.related) and
// articles_comment_count. Before measuring, both answers are compared: the same
// articles, bylines, topics, related articles, comments, replies and counts, in
// the same order. The bar (issue 16): newsgraph at least 1.5x PostGraphile's
// throughput on both pages, with p99 no worse.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import pg from "pg";
import {
  ARTICLE_PAGE,
  FRONT_PAGE,
  ROOT,
  SERVER_NODE_FLAGS,
  busiestArticles,
  failer,
  fmt,
  load,
  ms,
  runOptions,
  startNewsgraph,
  summary,
} from "./lib.mjs";

const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/newsgraph_bench";
const PEER_VERSION = "4.14.1";
const PEER_DIR = join(ROOT, "bench", ".peer");

const USAGE = `usage: npm run bench:peer -- [options]

  --duration S      seconds per measured run (default 10)
  --warmup S        seconds of warm-up before each measured run (default 2)
  --connections N   concurrent connections (default 10)
  --page P          front or article (repeatable; default both)
  --no-build        use dist/ as it is (default: npm run -s build first)
  --help

env: DATABASE_URL (default ${DEFAULT_DATABASE_URL}), seeded as for npm run bench.
PostGraphile ${PEER_VERSION} is installed into bench/.peer on first use (npm registry).`;

// The same page in PostGraphile's schema: its default inflection of the same tables.
const PEER_FRONT_PAGE = `query PeerFrontPage {
  allArticles(first: 20, condition: { status: "PUBLISHED" }, orderBy: [SORT_AT_DESC, ID_DESC]) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id slug title standfirst publishedAt wordCount
      articleAuthorsByArticleId(orderBy: POSITION_ASC) { nodes { authorByAuthorId { slug name } } }
      articleTopicsByArticleId { nodes { topicByTopicId { slug name } } }
      related(howMany: 5) {
        nodes { slug title articleAuthorsByArticleId(orderBy: POSITION_ASC) { nodes { authorByAuthorId { name } } } }
      }
      commentCount
    }
  }
}`;

// The article page in PostGraphile's schema: top-level comments are those with no parent, oldest first, as in newsgraph.
const PEER_ARTICLE_PAGE = `query PeerArticlePage($slug: String!) {
  articleBySlug(slug: $slug) {
    id slug title standfirst body publishedAt updatedAt wordCount commentsOpen
    articleAuthorsByArticleId(orderBy: POSITION_ASC) { nodes { authorByAuthorId { slug name bio avatarUrl } } }
    articleTopicsByArticleId { nodes { topicByTopicId { slug name } } }
    related(howMany: 5) {
      nodes { slug title publishedAt articleAuthorsByArticleId(orderBy: POSITION_ASC) { nodes { authorByAuthorId { name } } } }
    }
    commentCount
    commentsByArticleId(
      first: 50, condition: { status: "APPROVED", parentId: null }, orderBy: [CREATED_AT_ASC, ID_ASC]
    ) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id authorName website body createdAt
        commentsByParentId(first: 20, condition: { status: "APPROVED" }, orderBy: [CREATED_AT_ASC, ID_ASC]) {
          totalCount
          nodes { id authorName website body createdAt }
        }
      }
    }
  }
}`;

// ArticleService.related and CommentService.approvedTotals, as computed columns.
const COMPUTED_COLUMNS = `
CREATE OR REPLACE FUNCTION public.articles_related(a public.articles, how_many int)
RETURNS SETOF public.articles LANGUAGE sql STABLE AS $$
  SELECT x.* FROM (
    SELECT c.article_id, count(*) AS shared, max(c.published_at) AS published_at
    FROM article_topics s CROSS JOIN LATERAL (
      SELECT o.article_id, o.published_at FROM article_topics o
      WHERE o.topic_id = s.topic_id AND o.published_at IS NOT NULL AND o.article_id <> a.id
      ORDER BY o.published_at DESC, o.article_id DESC LIMIT 50) c
    WHERE s.article_id = a.id
    GROUP BY c.article_id ORDER BY shared DESC, published_at DESC, c.article_id DESC LIMIT how_many) r
  JOIN public.articles x ON x.id = r.article_id
  ORDER BY r.shared DESC, r.published_at DESC, r.article_id DESC
$$;
CREATE OR REPLACE FUNCTION public.articles_comment_count(a public.articles)
RETURNS int LANGUAGE sql STABLE AS $$
  SELECT count(*)::int FROM public.comments WHERE article_id = a.id AND status = 'APPROVED'
$$;`;
const DROP_COMPUTED_COLUMNS = `
DROP FUNCTION IF EXISTS public.articles_related(public.articles, int);
DROP FUNCTION IF EXISTS public.articles_comment_count(public.articles);`;

const fail = failer("bench:peer");

/** PostGraphile's CLI, installed into bench/.peer at PEER_VERSION if it is not there yet. */
function peerCli() {
  const manifest = join(PEER_DIR, "node_modules", "postgraphile", "package.json");
  const installed = existsSync(manifest) ? JSON.parse(readFileSync(manifest, "utf8")).version : null;
  if (installed !== PEER_VERSION) {
    console.error(`bench:peer: installing postgraphile@${PEER_VERSION} into bench/.peer ...`);
    mkdirSync(PEER_DIR, { recursive: true });
    writeFileSync(join(PEER_DIR, "package.json"), '{ "private": true }\n');
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", `postgraphile@${PEER_VERSION}`], {
      cwd: PEER_DIR,
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
  return join(PEER_DIR, "node_modules", "postgraphile", "cli.js");
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

async function post(url, query, variables = {}) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (res.status !== 200 || body.errors) throw new Error(`${url}: ${res.status} ${JSON.stringify(body).slice(0, 400)}`);
  return body.data;
}

/** Starts PostGraphile (same pool size as newsgraph's default, no query log, no mutations) and waits for it. */
async function startPeer(databaseUrl) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      // The same V8 tuning as newsgraph's server: the two differ in their code, not in their runtime's settings.
      ...SERVER_NODE_FLAGS,
      peerCli(),
      ...["--connection", databaseUrl, "--schema", "public", "--host", "127.0.0.1", "--port", String(port)],
      ...["--max-pool-size", "10", "--disable-query-log", "--disable-default-mutations"],
    ],
    { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, NODE_ENV: "production" } },
  );
  const url = `http://127.0.0.1:${port}/graphql`;
  const exited = new Promise((r) => child.once("exit", (code) => r(code)));
  for (let i = 0; i < 300; i++) {
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r(undefined), 100))]);
    if (code !== undefined) fail(`PostGraphile exited with ${code} before it answered`);
    try {
      await post(url, "{ __typename }");
      return { url, stop: () => (child.kill("SIGTERM"), exited) };
    } catch {
      // not listening yet
    }
  }
  child.kill("SIGKILL");
  fail("PostGraphile did not answer within 30 s");
}

/** Both front pages reduced to the same shape, for comparing the answers. */
const fromNewsgraph = (d) =>
  d.articles.nodes.map((a) => ({
    slug: a.slug,
    authors: a.authors.map((x) => x.slug),
    topics: a.topics.map((t) => t.slug).sort(),
    related: a.relatedArticles.map((r) => [r.slug, r.authors.map((x) => x.name)]),
    comments: a.commentCount,
  }));
const fromPeer = (d) =>
  d.allArticles.nodes.map((a) => ({
    slug: a.slug,
    authors: a.articleAuthorsByArticleId.nodes.map((x) => x.authorByAuthorId.slug),
    topics: a.articleTopicsByArticleId.nodes.map((t) => t.topicByTopicId.slug).sort(),
    related: a.related.nodes.map((r) => [
      r.slug,
      r.articleAuthorsByArticleId.nodes.map((x) => x.authorByAuthorId.name),
    ]),
    comments: a.commentCount,
  }));

/** A comment as both servers give it (ids differ: global ids against node ids; instants differ in notation). */
const comment = (c) => [c.authorName, c.website, c.body, new Date(c.createdAt).toISOString()];

/** Both article pages reduced to the same shape. */
const articleFromNewsgraph = ({ article: a }) => ({
  slug: a.slug,
  text: [a.title, a.standfirst, a.body, a.wordCount, a.commentsOpen],
  at: [a.publishedAt, a.updatedAt].map((t) => new Date(t).toISOString()),
  authors: a.authors.map((x) => [x.slug, x.name, x.bio, x.avatarUrl]),
  topics: a.topics.map((t) => t.slug).sort(),
  related: a.relatedArticles.map((r) => [r.slug, r.title, r.authors.map((x) => x.name)]),
  count: a.commentCount,
  thread: [a.comments.totalCount, a.comments.pageInfo.hasNextPage],
  comments: a.comments.nodes.map((c) => [...comment(c), c.replies.totalCount, c.replies.nodes.map(comment)]),
});
const articleFromPeer = ({ articleBySlug: a }) => ({
  slug: a.slug,
  text: [a.title, a.standfirst, a.body, a.wordCount, a.commentsOpen],
  at: [a.publishedAt, a.updatedAt].map((t) => new Date(t).toISOString()),
  authors: a.articleAuthorsByArticleId.nodes.map(({ authorByAuthorId: x }) => [x.slug, x.name, x.bio, x.avatarUrl]),
  topics: a.articleTopicsByArticleId.nodes.map((t) => t.topicByTopicId.slug).sort(),
  related: a.related.nodes.map((r) => [
    r.slug,
    r.title,
    r.articleAuthorsByArticleId.nodes.map((x) => x.authorByAuthorId.name),
  ]),
  count: a.commentCount,
  thread: [a.commentsByArticleId.totalCount, a.commentsByArticleId.pageInfo.hasNextPage],
  comments: a.commentsByArticleId.nodes.map((c) => [
    ...comment(c),
    c.commentsByParentId.totalCount,
    c.commentsByParentId.nodes.map(comment),
  ]),
});

/**
 * The pages compared: each with newsgraph's and the peer's request bodies (the same data asked for) and the
 * reductions that must agree. The article page cycles through the busiest articles, the same list for both.
 */
function pages(slugs) {
  return {
    front: {
      label: "front page",
      ours: [{ query: FRONT_PAGE, variables: { first: 20 } }],
      theirs: [{ query: PEER_FRONT_PAGE, variables: {} }],
      oursShape: fromNewsgraph,
      theirsShape: fromPeer,
    },
    article: {
      label: `article page (${slugs.length} busiest articles)`,
      ours: slugs.map((slug) => ({ query: ARTICLE_PAGE, variables: { slug } })),
      theirs: slugs.map((slug) => ({ query: PEER_ARTICLE_PAGE, variables: { slug } })),
      oursShape: articleFromNewsgraph,
      theirsShape: articleFromPeer,
    },
  };
}

async function measure(url, bodies, opts) {
  const spec = { url, connections: opts.connections, pool: [{ weight: 1, kind: "body", bodies }] };
  if (opts.warmup > 0) await load({ ...spec, durationSeconds: opts.warmup });
  const r = await load({ ...spec, durationSeconds: opts.duration });
  return { ...summary(r), first: r.firstProblem };
}

const PAGES = ["front", "article"];
/** Issue 16's bar: newsgraph's throughput at least this multiple of PostGraphile's, on every page, p99 no worse. */
const BAR = 1.5;

async function main() {
  const { parsed, ...opts } = runOptions({ usage: USAGE, fail, extra: { page: { type: "string", multiple: true } } });
  const chosen = (parsed.page ?? PAGES).flatMap((s) => s.split(","));
  for (const s of chosen) if (!PAGES.includes(s)) fail(`unknown page "${s}" (${PAGES.join(", ")})`, 64);
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  if (opts.build) {
    console.error("bench:peer: building (npm run -s build) ...");
    execFileSync("npm", ["run", "-s", "build"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  }
  peerCli();
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect().catch((error) => fail(`cannot connect to the bench database: ${error.message}`));
  const [{ n }] = (await admin.query("SELECT count(*)::int AS n FROM articles WHERE status = 'PUBLISHED'")).rows;
  if (n < 1000) fail(`the bench database has ${n} published articles; seed it first (see bench/README.md)`);
  const busy = await busiestArticles(admin);
  if (chosen.includes("article") && !busy.length) fail("no published article has comments: seed comments too");
  const all = pages(busy.map((a) => a.slug));
  const run = chosen.map((name) => ({ name, ...all[name] }));

  console.log(
    `bench:peer: ${run.map((r) => r.label).join(", ")}; newsgraph vs PostGraphile ${PEER_VERSION} ` +
      `(both with node ${SERVER_NODE_FLAGS.join(" ") || "defaults"}), ` +
      `${fmt(n)} published articles; ${opts.duration} s per run after ${opts.warmup} s warm-up, ` +
      `${opts.connections} connections; machine: ${cpus().length} CPU(s), load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`,
  );
  const rows = [];
  await admin.query(COMPUTED_COLUMNS);
  try {
    // Each server starts once and serves every page in turn; the answers are kept for the comparison.
    const expected = new Map();
    const newsgraph = await startNewsgraph(databaseUrl, { RESPONSE_CACHE: "false", BENCH_DATALOADERS: "true" });
    try {
      for (const page of run) {
        const answers = [];
        for (const b of page.ours) answers.push(page.oursShape(await post(newsgraph.url, b.query, b.variables)));
        expected.set(page.name, answers);
        const bodies = page.ours.map((b) => JSON.stringify(b));
        rows.push({
          page: page.name,
          server: "newsgraph (DataLoaders)",
          ...(await measure(newsgraph.url, bodies, opts)),
        });
      }
    } finally {
      await newsgraph.stop();
    }
    const peer = await startPeer(databaseUrl);
    try {
      for (const page of run) {
        const want = expected.get(page.name);
        for (const [i, b] of page.theirs.entries()) {
          const got = page.theirsShape(await post(peer.url, b.query, b.variables));
          if (JSON.stringify(got) !== JSON.stringify(want[i])) {
            const of = page.name === "front" ? got[0] : got;
            const ours = page.name === "front" ? want[i][0] : want[i];
            fail(
              `the two ${page.label}s differ (${JSON.stringify(b.variables)}):\n` +
                `  newsgraph: ${JSON.stringify(ours).slice(0, 600)}\n  peer:      ${JSON.stringify(of).slice(0, 600)}`,
            );
          }
        }
        const bodies = page.theirs.map((b) => JSON.stringify(b));
        rows.push({
          page: page.name,
          server: `PostGraphile ${PEER_VERSION}`,
          ...(await measure(peer.url, bodies, opts)),
        });
      }
    } finally {
      await peer.stop();
    }
  } finally {
    await admin.query(DROP_COMPUTED_COLUMNS);
    await admin.end();
  }

  console.log(
    "the two answers agree on every page (articles, bylines, topics, related articles, comments, replies, counts)\n",
  );
  const width = Math.max(...rows.map((r) => r.server.length));
  console.log(`${"page".padEnd(8)}${"server".padEnd(width)}  req/s  p50 ms  p95 ms  p99 ms  errors`);
  for (const r of rows) {
    console.log(
      `${r.page.padEnd(8)}${r.server.padEnd(width)}  ${fmt(r.rps).padStart(5)}  ${ms(r.p50).padStart(6)}  ` +
        `${ms(r.p95).padStart(6)}  ${ms(r.p99).padStart(6)}  ${String(r.errors).padStart(6)}`,
    );
    if (r.errors) console.log(`  first error: ${r.first}`);
  }
  console.log("");
  for (const page of run) {
    const [ours, theirs] = rows.filter((r) => r.page === page.name);
    const ratio = ours.rps / theirs.rps;
    const met = ratio >= BAR && ours.p99 <= theirs.p99;
    console.log(
      `${page.label}: newsgraph ${ratio.toFixed(2)}x PostGraphile's throughput, p99 ${ms(ours.p99)} vs ` +
        `${ms(theirs.p99)} ms (bar: >= ${BAR}x, p99 no worse): ${met ? "met" : "missed"}`,
    );
  }
  if (rows.some((r) => r.errors)) process.exitCode = 1;
}

main().catch((error) => {
  console.error("bench:peer failed:", error);
  process.exit(1);
});
