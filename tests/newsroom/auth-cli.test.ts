/**
 * API tokens end to end: issued, listed and revoked with the real CLI
 * (dist/src/cli/index.js, built first) against a database of this file's own,
 * then presented to the real server as "Authorization: Bearer <token>".
 *
 * In embedded mode PGlite allows one process per data directory, so the CLI
 * runs only while no server has the database open: the server is started on
 * it (startOn, which leaves the database in place when stopped) by the tests
 * that need it, and stopped by those that run the CLI.
 *
 * The fixture (AUTHOR with a writer, an editor and an admin token, issued
 * with the CLI before any test) is only read; the tests that issue or revoke
 * tokens do so for authors of their own, so every test passes in any order.
 */
import { createHash, randomBytes } from "node:crypto";
import { Role } from "../../src/modules/auth/role";
import type { NewsgraphServer } from "../../src/server";
import type { GraphQLClient } from "../factories/newsroom";
import { insertAuthor } from "../../src/modules/author/author-insert";
import { expectError, ok, runCli, startOn, unique } from "../factories/newsroom";
import { NewsroomArticlesDocument, NewsroomCreateArticleDocument, NewsroomViewerDocument } from "../generated/graphql";
import type { TestDatabase } from "../support/database";
import { createTestDatabase } from "../support/database";
import { buildDist } from "../support/build-once";

const TOKEN = /^ng_[A-Za-z0-9_-]{43}$/;
const AUTHOR = "cli-writer";
const ROLES = ["writer", "editor", "admin"] as const;
let db: TestDatabase;
let server: (NewsgraphServer & GraphQLClient) | undefined;
/** The fixture: AUTHOR's three tokens, issued with the CLI, and their ids as `token list` gives them. No test revokes them. */
const tokens = {} as Record<(typeof ROLES)[number], string>;
const ids = {} as Record<(typeof ROLES)[number], number>;
// Every CLI run starts a process (and, embedded, a PGlite instance): seconds each, much more on a busy
// machine. The runs are kept few and the CLI tests get generous timeouts.
const CLI_TIMEOUT = 240_000;

beforeAll(async () => {
  // The CLI is run as operators run it: compiled.
  await buildDist();
  db = await createTestDatabase();
}, 300_000);
beforeAll(async () => {
  const cli = async (args: string[]) => {
    const res = await runCli(db, args);
    if (res.code !== 0) throw new Error(`cli ${args.join(" ")}: exit ${res.code}: ${res.stderr}`);
    return res.stdout;
  };
  await cli(["author", "create", "--slug", AUTHOR, "--name", "Cli Writer"]);
  for (const role of ROLES) {
    tokens[role] = (
      await cli(["token", "create", "--author", AUTHOR, "--role", role, "--label", `${role} key`])
    ).trim();
  }
  const listed = (await cli(["token", "list", "--author", AUTHOR])).trim().split("\n");
  for (const [i, role] of ROLES.entries()) ids[role] = Number(listed[i]!.split("\t")[0]);
}, CLI_TIMEOUT);
afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

/** The server on the file's database, started unless it runs. */
async function serverUp(): Promise<NewsgraphServer & GraphQLClient> {
  server ??= await startOn(db);
  return server;
}

/** Stops the server: embedded, the CLI can open the database only while no server has it. */
async function serverDown(): Promise<void> {
  const running = server;
  server = undefined;
  await running?.stop();
}

/** An author of the calling test's own with tokens issued by the service (the server is started for it). */
async function authorWithTokens(roles: Role[]) {
  const s = await serverUp();
  const slug = unique("cli-reader");
  await insertAuthor(s.db, { slug, name: "Cli Reader" });
  const issued: string[] = [];
  for (const role of roles) issued.push(await s.services.auth.createToken(slug, role, `${role.toLowerCase()} key`));
  const rows = await s.db.query<{ id: number }>(
    "SELECT id FROM api_tokens WHERE author_id = (SELECT id FROM authors WHERE slug = $1) ORDER BY id",
    [slug],
  );
  return { slug, tokens: issued, ids: rows.map((r) => r.id) };
}

describe("CLI", () => {
  beforeAll(serverDown, 60_000);

  test(
    "author create, then token create prints the token alone on stdout, one fresh token per call",
    async () => {
      const slug = unique("cli-author");
      const author = await runCli(db, ["author", "create", "--slug", slug, "--name", "Cli Author"]);
      expect(author).toMatchObject({ code: 0, stdout: `${slug}\n` });

      const made = {} as Record<"writer" | "editor", string>;
      for (const [role, arg] of [
        ["writer", "WRITER"],
        ["editor", "editor"], // roles are case-insensitive on the command line
      ] as const) {
        const res = await runCli(db, ["token", "create", "--author", slug, "--role", arg, "--label", `${role} key`]);
        expect(res.code).toBe(0);
        expect(res.stdout.endsWith("\n")).toBe(true);
        expect(res.stdout.split("\n")).toHaveLength(2);
        const token = res.stdout.trim();
        expect(token).toMatch(TOKEN);
        expect(res.stderr).not.toContain(token);
        made[role] = token;
      }
      expect(made.writer).not.toBe(made.editor);
    },
    CLI_TIMEOUT,
  );

  test(
    "token create refuses an unknown author in one line (exit 65) and a bad role with the usage (64); nothing on stdout",
    async () => {
      const unknown = await runCli(db, ["token", "create", "--author", "nobody-here", "--role", "WRITER"]);
      expect(unknown.code).toBe(65);
      expect(unknown.stdout).toBe("");
      expect(unknown.stderr.trim().split("\n")).toEqual([expect.stringContaining('author "nobody-here" not found')]);

      const badRole = await runCli(db, ["token", "create", "--author", AUTHOR, "--role", "OWNER"]);
      expect(badRole).toMatchObject({ code: 64, stdout: "" });
      expect(badRole.stderr).toContain("--role must be WRITER, EDITOR or ADMIN");
    },
    CLI_TIMEOUT,
  );

  test(
    "token list shows id, author, role, state and label, never a token",
    async () => {
      const res = await runCli(db, ["token", "list", "--author", AUTHOR]);
      expect(res.code).toBe(0);
      const lines = res.stdout.trim().split("\n");
      expect(lines).toHaveLength(3);
      const parsed = lines.map((l) => l.split("\t"));
      expect(parsed.map(([, slug, role, state, , label]) => [slug, role, state, label])).toEqual([
        [AUTHOR, "WRITER", "active", "writer key"],
        [AUTHOR, "EDITOR", "active", "editor key"],
        [AUTHOR, "ADMIN", "active", "admin key"],
      ]);
      for (const [id, , , , createdAt] of parsed) {
        expect(Number(id)).toBeGreaterThan(0);
        expect(new Date(createdAt!).toISOString()).toBe(createdAt);
      }
      // The ids the fixture read the same way, which the server's rows are checked against below.
      expect(parsed.map(([id]) => Number(id))).toEqual(ROLES.map((role) => ids[role]));
      for (const token of Object.values(tokens)) expect(res.stdout).not.toContain(token);
    },
    CLI_TIMEOUT,
  );
});

describe("the server with CLI-issued tokens", () => {
  beforeAll(serverUp, 120_000);

  test("tokens are stored only as their SHA-256", async () => {
    const rows = await server!.db.query(
      "SELECT * FROM api_tokens WHERE author_id = (SELECT id FROM authors WHERE slug = $1)",
      [AUTHOR],
    );
    expect(rows).toHaveLength(3);
    const dump = JSON.stringify(rows);
    for (const [role, token] of Object.entries(tokens)) {
      expect(dump).not.toContain(token);
      expect(dump).not.toContain(token.slice(3));
      const hash = createHash("sha256").update(token).digest("hex");
      const row = rows.find((r) => r.token_hash === hash);
      expect(row).toMatchObject({ role: role.toUpperCase(), revoked_at: null, label: `${role} key` });
      expect(row.id).toBe(ids[role as keyof typeof ids]);
    }
  });

  test.each(ROLES)("viewer answers the %s token's author and role", async (role) => {
    const res = await server!.request(NewsroomViewerDocument, undefined, { token: tokens[role] });
    expect(ok(res).viewer).toMatchObject({
      role: role.toUpperCase(),
      author: { slug: AUTHOR, name: "Cli Writer" },
    });
  });

  test("the scheme is case-insensitive", async () => {
    const res = await server!.request(NewsroomViewerDocument, undefined, {
      headers: { authorization: `bearer ${tokens.editor}` },
    });
    expect(ok(res).viewer!.role).toBe("EDITOR");
  });

  test("without a token, viewer is null and published content is readable", async () => {
    const res = await server!.request(NewsroomViewerDocument);
    expect(ok(res).viewer).toBeNull();
    expect(ok(await server!.request(NewsroomArticlesDocument, { first: 1 })).articles.totalCount).toBe(25);
  });

  test.each([
    ["an unknown token", () => `Bearer ng_${randomBytes(32).toString("base64url")}`],
    ["a token without the prefix", () => `Bearer ${randomBytes(32).toString("base64url")}`],
    [
      "a token with a character changed",
      () => `Bearer ${tokens.editor.slice(0, -1)}${tokens.editor.endsWith("A") ? "B" : "A"}`,
    ],
    ["another scheme", () => `Basic ${Buffer.from("cli-writer:secret").toString("base64")}`],
    ["a bare token", () => tokens.editor],
    ["an empty bearer", () => "Bearer "],
  ])("%s is UNAUTHENTICATED (401), never silently anonymous", async (_, header) => {
    for (const doc of [NewsroomViewerDocument, NewsroomArticlesDocument] as const) {
      const res = await server!.request(
        doc as typeof NewsroomViewerDocument,
        {},
        { headers: { authorization: header() } },
      );
      expect(res.status).toBe(401);
      expectError(res, "UNAUTHENTICATED");
      expect(res.data ?? null).toBeNull();
    }
  });

  test("a CLI token carries its role into mutations", async () => {
    const res = await server!.request(
      NewsroomCreateArticleDocument,
      { input: { title: "Written with a CLI token", body: "Hello." } },
      { token: tokens.writer },
    );
    expect(ok(res).createArticle).toMatchObject({ status: "DRAFT", authors: [{ slug: AUTHOR }] });
  });
});

// Each test revokes tokens of an author of its own, so the fixture's stay active for the tests above.
describe("revocation", () => {
  test(
    "token revoke stops the token at once; revoking it twice is one line of error, exit code 65",
    async () => {
      const own = await authorWithTokens([Role.WRITER, Role.EDITOR, Role.ADMIN]);
      await serverDown();

      const res = await runCli(db, ["token", "revoke", "--id", String(own.ids[0])]);
      expect(res).toMatchObject({ code: 0, stdout: "" });
      expect(res.stderr).toContain(`token ${own.ids[0]} revoked`);
      const again = await runCli(db, ["token", "revoke", "--id", String(own.ids[0])]);
      expect(again.code).toBe(65);
      expect(again.stderr.trim().split("\n")).toEqual([
        expect.stringContaining(`no active token with id ${own.ids[0]}`),
      ]);

      const list = await runCli(db, ["token", "list", "--author", own.slug]);
      const states = list.stdout
        .trim()
        .split("\n")
        .map((l) => l.split("\t")[3]);
      expect(states[0]).toMatch(/^revoked \d{4}-\d\d-\d\dT/);
      expect(states.slice(1)).toEqual(["active", "active"]);
    },
    CLI_TIMEOUT,
  );

  test(
    "a revoked token is UNAUTHENTICATED (401) everywhere; the others still work",
    async () => {
      const own = await authorWithTokens([Role.WRITER, Role.EDITOR]);
      const [writer, editor] = own.tokens as [string, string];
      // Revoked with the CLI, then the server started again (embedded, the CLI needs the database to itself).
      await serverDown();
      expect(await runCli(db, ["token", "revoke", "--id", String(own.ids[0])])).toMatchObject({ code: 0 });
      const s = await serverUp();

      for (const doc of [NewsroomViewerDocument, NewsroomArticlesDocument] as const) {
        const res = await s.request(doc as typeof NewsroomViewerDocument, {}, { token: writer });
        expect(res.status).toBe(401);
        expectError(res, "UNAUTHENTICATED");
      }
      const mutation = await s.request(
        NewsroomCreateArticleDocument,
        { input: { title: "After revocation", body: "No." } },
        { token: writer },
      );
      expectError(mutation, "UNAUTHENTICATED");
      expect(ok(await s.request(NewsroomViewerDocument, undefined, { token: editor })).viewer!.role).toBe("EDITOR");
    },
    CLI_TIMEOUT,
  );

  test("revoking through the service takes effect on the next request, without a restart", async () => {
    const own = await authorWithTokens([Role.ADMIN]);
    const s = await serverUp();
    const res = await s.request(NewsroomViewerDocument, undefined, { token: own.tokens[0] });
    expect(ok(res).viewer!.role).toBe("ADMIN");
    expect(await s.services.auth.revokeToken(own.ids[0]!)).toBe(true);
    const after = await s.request(NewsroomViewerDocument, undefined, { token: own.tokens[0] });
    expect(after.status).toBe(401);
    expectError(after, "UNAUTHENTICATED");
  }, 120_000);
});

describe("seed --demo", () => {
  test(
    "prints an EDITOR token alone on stdout that works on the server; seeding again adds nothing and prints none",
    async () => {
      const fresh = await createTestDatabase();
      let demo: (NewsgraphServer & GraphQLClient) | undefined;
      try {
        const first = await runCli(fresh, ["seed", "--demo"]);
        expect(first.code).toBe(0);
        expect(first.stdout.trim()).toMatch(TOKEN);
        expect(first.stdout.trim().split("\n")).toHaveLength(1);
        const again = await runCli(fresh, ["seed", "--demo"]);
        expect(again).toMatchObject({ code: 0, stdout: "" });
        expect(again.stderr).toContain("token create");

        demo = await startOn(fresh, { seedDemo: false });
        const res = await demo.request(NewsroomViewerDocument, undefined, { token: first.stdout.trim() });
        expect(ok(res).viewer).toMatchObject({ role: "EDITOR", author: { slug: "demo-editor" } });
      } finally {
        await demo?.stop();
        await fresh.drop();
      }
    },
    CLI_TIMEOUT,
  );
});
