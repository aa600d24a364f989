/**
 * `npm run cli -- live demo`: the compiled CLI (built first) against a running test server over
 * HTTP, as a new user runs it next to `npm start`: it starts the live blog when needed, posts,
 * edits and deletes entries that then read back through GraphQL, stops cleanly on SIGINT, and
 * fails with one line (no stack) and a non-zero exit code.
 */
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { LiveDemoArticleDocument } from "../generated/graphql";
import { ok, publishedArticle } from "../support/feed-fixtures";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";
import { buildDist } from "../support/build-once";

const ROOT = join(__dirname, "..", "..");
const CLI = join(ROOT, "dist", "src", "cli", "index.js");
const TIMEOUT = 120_000;

let server: TestServer;
let editor: string;

beforeAll(async () => {
  await buildDist();
  server = await startTestServer();
  editor = await server.token("cli-live-editor", "EDITOR");
}, 240_000);
afterAll(() => server?.stop());

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function live(args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.NEWSGRAPH_TOKEN;
  Object.assign(childEnv, env);
  const child = spawn(process.execPath, [CLI, "live", "demo", ...args], { env: childEnv, cwd: ROOT });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exit };
}

const ids = (stdout: string, verb: string) =>
  [...stdout.matchAll(new RegExp(`^\\S+ ${verb} +(\\S+):`, "gm"))].map((m) => m[1]!);

const read = async (slug: string) =>
  ok(await server.request(LiveDemoArticleDocument, { slug }, { token: editor })).article!;

const noStack = (text: string) => expect(text).not.toMatch(/^\s+at /m);

test(
  "starts a blog that is not live, then posts, edits and deletes: what it printed is what GraphQL reads",
  async () => {
    const article = await publishedArticle(server, editor, { authorSlugs: ["maya-okafor", "declan-shore"] });
    const slug = article.slug;
    expect((await read(slug)).isLive).toBe(false);

    // --count 8: adds at 0 to 3, an edit at 4, adds at 5 and 6, a delete at 7.
    const run = live(["--article", slug, "--every", "0.2", "--count", "8", "--url", server.url, "--token", editor]);
    expect(await run.exit).toEqual({ code: 0, signal: null });
    const stdout = run.stdout();
    expect(stdout).toMatch(/^\S+ started the live blog/m);
    const added = ids(stdout, "added");
    const edited = ids(stdout, "edited");
    const deleted = ids(stdout, "deleted");
    expect([added.length, edited.length, deleted.length]).toEqual([6, 1, 1]);
    expect(stdout.trim().split("\n")).toHaveLength(9); // one line per action, and the start
    expect(run.stderr()).toContain("stopped after 8 action(s)");
    noStack(run.stderr());

    const blog = await read(slug);
    expect(blog.isLive).toBe(true);
    const shown = blog.liveEntries.nodes.map((e) => e.id);
    expect(new Set(shown)).toEqual(new Set(added.filter((id) => !deleted.includes(id))));
    expect(added).toEqual(expect.arrayContaining(deleted));
    const edit = blog.liveEntries.nodes.find((e) => e.id === edited[0])!;
    expect(edit.editedAt).not.toBeNull();
    expect(edit.body).toContain("updated with more detail");
    // Bylines taken from the article's authors.
    const bylines = new Set(blog.liveEntries.nodes.flatMap((e) => e.authors.map((a) => a.slug)));
    expect([...bylines].sort()).toEqual(["declan-shore", "maya-okafor"]);
  },
  TIMEOUT,
);

test(
  "SIGINT stops it cleanly between actions, with the token from NEWSGRAPH_TOKEN",
  async () => {
    const article = await publishedArticle(server, editor, {});
    const run = live(["--article", article.slug, "--every", "0.2", "--url", server.url], { NEWSGRAPH_TOKEN: editor });
    const deadline = Date.now() + 60_000;
    while (ids(run.stdout(), "added").length < 3 && Date.now() < deadline && run.child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(ids(run.stdout(), "added").length).toBeGreaterThanOrEqual(3);
    run.child.kill("SIGINT");
    expect(await run.exit).toEqual({ code: 0, signal: null });
    expect(run.stderr()).toMatch(/stopped after \d+ action\(s\)/);
    noStack(run.stderr());
    const blog = await read(article.slug);
    expect(blog.liveEntries.totalCount).toBe(ids(run.stdout(), "added").length - ids(run.stdout(), "deleted").length);
  },
  TIMEOUT,
);

describe("failures: one line on stderr, no stack, a non-zero exit code", () => {
  test(
    "an unknown --article",
    async () => {
      const run = live(["--article", "no-such-article", "--every", "0.2", "--url", server.url, "--token", editor]);
      expect(await run.exit).toEqual({ code: 65, signal: null });
      expect(run.stderr().trim().split("\n")).toEqual([expect.stringMatching(/^error: no article "no-such-article"/)]);
      expect(run.stdout()).toBe("");
    },
    TIMEOUT,
  );

  test(
    "a writer's token on an article that is not live says how to start it",
    async () => {
      const writer = await server.token("cli-live-writer", "WRITER");
      const article = await publishedArticle(server, editor, { authorSlugs: ["cli-live-writer"] });
      const run = live(["--article", article.slug, "--url", server.url, "--token", writer]);
      expect(await run.exit).toEqual({ code: 65, signal: null });
      expect(run.stderr().trim().split("\n")).toEqual([expect.stringMatching(/^error: .*not live.*EDITOR token/)]);
    },
    TIMEOUT,
  );

  test.each([
    [["--article", "x", "--every", "0", "--token", "t"], 64, /--every/],
    [["--article", "x", "--every", "soon", "--token", "t"], 64, /--every/],
    [["--article", "x"], 64, /needs a token/],
    [["--article", "x", "--token", "t", "--url", "http://127.0.0.1:9/graphql"], 69, /cannot reach/],
  ] as const)("%j exits %i", async (args, code, message) => {
    const run = live([...args]);
    expect((await run.exit).code).toBe(code);
    expect(run.stderr().split("\n")[0]).toMatch(message);
    noStack(run.stderr());
  });
});
