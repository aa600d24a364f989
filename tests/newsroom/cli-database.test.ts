/**
 * The CLI (dist/src/cli/index.js) and the server (dist/src/main.js) as real
 * processes, built first, on the mode's database.
 *
 * Embedded: PGlite serves one process, so a data directory is locked for its
 * holder (newsgraph.lock: pid and start time). A CLI write while the server
 * runs is refused with one line and exit code 75, never reported as done and
 * then lost; a server starting on a directory the CLI holds is refused the
 * same way; a stale lock (dead pid, or a pid now used by another process)
 * blocks nobody. With PostgreSQL the CLI's write reaches the running server.
 *
 * Either mode: a DATABASE_URL naming a database that does not exist, a port
 * nobody listens on, or an unknown user gives one line saying what is wrong
 * and how to fix it, exit code 69, no stack.
 */
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NewsroomViewerDocument } from "../generated/graphql";
import type { CliResult } from "../factories/newsroom";
import { runCli } from "../factories/newsroom";
import type { TestDatabase } from "../support/database";
import { createTestDatabase } from "../support/database";
import { postJson } from "../support/hardening-helpers";
import type { ChildServer } from "../support/hardening-processes";
import { freePort, spawnMain } from "../support/hardening-processes";
import { print } from "graphql";
import { buildDist } from "../support/build-once";

jest.setTimeout(240_000);
const ROOT = join(__dirname, "../..");
const STACK = /^\s+at /m;

beforeAll(() => buildDist(), 300_000);

let db: TestDatabase;
let server: ChildServer | undefined;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await stopServer();
});
afterAll(async () => {
  await db?.drop();
});

const embedded = () => !db.databaseUrl;
/** The lock exists only for an embedded data directory. */
const embeddedTest = process.env.DATABASE_URL ? test.skip : test;

async function startServer(): Promise<ChildServer> {
  server = await spawnMain({
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "info",
    SEED_DEMO: "false",
    SCHEDULER_INTERVAL_MS: "0",
    ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : { DATA_DIR: db.dataDir }),
  });
  return server;
}

async function stopServer(): Promise<void> {
  if (!server) return;
  const { child, exited } = server;
  server = undefined;
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  expect(await exited).toEqual({ code: 0, signal: null });
}

async function viewerOf(url: string, token: string): Promise<unknown> {
  const res = await postJson(url, { query: print(NewsroomViewerDocument) }, { token });
  return res.json?.data?.viewer ?? res.json?.errors?.[0]?.extensions?.code;
}

/** A separate process that takes the data directory's lock as the CLI does, and holds it until killed. */
async function holdAsCli(dataDir: string): Promise<ChildProcess> {
  const script =
    `const { lockDataDir } = require(${JSON.stringify(join(ROOT, "dist/src/db/data-dir-lock.js"))});` +
    `lockDataDir(${JSON.stringify(dataDir)}, "cli"); console.log("held"); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "pipe"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (c: Buffer) => String(c).includes("held") && resolve());
    child.once("exit", (code) => reject(new Error(`lock holder exited with ${code}`)));
  });
  return child;
}

const oneLine = (res: CliResult) => {
  expect(res.stderr.trim().split("\n")).toHaveLength(1);
  expect(res.stderr).not.toMatch(STACK);
};

describe("the CLI while the server runs", () => {
  test("a write either reaches the running server (PostgreSQL) or is refused in one line (embedded)", async () => {
    const running = await startServer();
    const author = await runCli(db, ["author", "create", "--slug", "cli-while-running", "--name", "While Running"]);
    const token = await runCli(db, ["token", "create", "--author", "cli-while-running", "--role", "EDITOR"]);
    if (embedded()) {
      for (const res of [author, token]) {
        expect(res).toMatchObject({ code: 75, stdout: "" });
        oneLine(res);
        expect(res.stderr).toMatch(
          new RegExp(
            `^error: the embedded database in .* is open in the newsgraph server \\(pid ${running.child.pid}\\).*stop the server first`,
          ),
        );
      }
      // Nothing was written behind the server's back: it does not know the author.
      const authors = await postJson(running.url, { query: `{ author(slug: "cli-while-running") { slug } }` });
      expect(authors.json.data).toEqual({ author: null });
    } else {
      expect(author).toMatchObject({ code: 0, stdout: "cli-while-running\n" });
      expect(token.code).toBe(0);
      expect(await viewerOf(running.url, token.stdout.trim())).toMatchObject({ role: "EDITOR" });
    }
  });

  test("once the server is stopped the CLI's writes go through, and the restarted server has them", async () => {
    const author = await runCli(db, ["author", "create", "--slug", "cli-after-stop", "--name", "After Stop"]);
    expect(author).toMatchObject({ code: 0, stdout: "cli-after-stop\n" });
    const token = await runCli(db, ["token", "create", "--author", "cli-after-stop", "--role", "WRITER"]);
    expect(token.code).toBe(0);
    const running = await startServer();
    expect(await viewerOf(running.url, token.stdout.trim())).toMatchObject({ role: "WRITER" });
    if (embedded()) expect(existsSync(join(db.dataDir, "newsgraph.lock"))).toBe(true);
    await stopServer();
    if (embedded()) expect(existsSync(join(db.dataDir, "newsgraph.lock"))).toBe(false);
  });
});

describe("the embedded data directory's lock", () => {
  embeddedTest("a server starting on a data directory the CLI holds is refused in one line, exit code 75", async () => {
    const holder = await holdAsCli(db.dataDir);
    try {
      const failed = await startServer().then(
        () => "started",
        (error: Error) => error.message,
      );
      expect(failed).toMatch(
        new RegExp(
          `exited with 75 before it was ready: newsgraph: the embedded database in .* is open in newsgraph cli \\(pid ${holder.pid}\\)`,
        ),
      );
      expect(failed.trim().split("\n")).toHaveLength(1);
    } finally {
      holder.kill("SIGKILL");
    }
  });

  embeddedTest(
    "a stale lock (its holder killed, or its pid now another process's) blocks neither CLI nor server",
    async () => {
      // Killed while holding the lock: the file stays behind with a dead pid.
      const holder = await holdAsCli(db.dataDir);
      const exited = new Promise((r) => holder.once("exit", r));
      holder.kill("SIGKILL");
      await exited;
      const lockFile = join(db.dataDir, "newsgraph.lock");
      expect(JSON.parse(readFileSync(lockFile, "utf8"))).toMatchObject({ pid: holder.pid, owner: "cli" });
      const list = await runCli(db, ["token", "list"]);
      expect(list.code).toBe(0);

      // A lock naming a live process (this one) that started at another time: a reused pid.
      writeFileSync(lockFile, JSON.stringify({ pid: process.pid, owner: "server", started: "1" }));
      const running = await startServer();
      expect(JSON.parse(readFileSync(lockFile, "utf8"))).toMatchObject({ pid: running.child.pid, owner: "server" });
    },
  );
});

describe("a DATABASE_URL that cannot be used", () => {
  const cli = (url: string) =>
    runCli({ databaseUrl: url, dataDir: "memory://", drop: async () => {} }, ["token", "list"]);

  test("a database that does not exist: one line with the createdb command, exit code 69", async () => {
    const url = new URL(process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
    url.pathname = "/newsgraph_no_such_database";
    const res = await cli(url.toString());
    expect(res).toMatchObject({ code: 69, stdout: "" });
    oneLine(res);
    expect(res.stderr).toBe(
      `error: database "newsgraph_no_such_database" does not exist on ${url.hostname}:${url.port || 5432}: ` +
        `create it with \`createdb -h ${url.hostname} -p ${url.port || 5432} -U postgres newsgraph_no_such_database\`, or fix DATABASE_URL\n`,
    );
  });

  test("nobody listening on the port: one line, exit code 69", async () => {
    const port = await freePort();
    const res = await cli(`postgres://postgres:secret-pw@127.0.0.1:${port}/newsgraph`);
    expect(res).toMatchObject({ code: 69, stdout: "" });
    oneLine(res);
    expect(res.stderr).toMatch(
      /^error: cannot connect to PostgreSQL on 127\.0\.0\.1:\d+ \(connection refused\): start it/,
    );
    expect(res.stderr).not.toContain("secret-pw");
  });

  test("an unknown user: one line, exit code 69", async () => {
    const url = new URL(process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
    url.username = "newsgraph_no_such_role";
    const res = await cli(url.toString());
    expect(res).toMatchObject({ code: 69, stdout: "" });
    oneLine(res);
    expect(res.stderr).toMatch(
      /^error: PostgreSQL on .* refused user "newsgraph_no_such_role" \(role .* does not exist\)/,
    );
  });

  test("the server on a database that does not exist: one line, exit code 69", async () => {
    const url = new URL(process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
    url.pathname = "/newsgraph_no_such_database";
    const failed = await spawnMain({ PORT: "0", HOST: "127.0.0.1", DATABASE_URL: url.toString() }).catch(
      (error: Error) => error.message,
    );
    expect(failed).toMatch(
      /exited with 69 before it was ready: newsgraph: database "newsgraph_no_such_database" does not exist/,
    );
    expect(failed).not.toMatch(STACK);
  });
});
