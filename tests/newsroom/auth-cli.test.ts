/**
 * API tokens end to end: issued, listed and revoked with the real CLI
 * (dist/src/cli/index.js, built first) against a database of this file's own,
 * then presented to the real server as "Authorization: Bearer <token>".
 *
 * In embedded mode PGlite allows one process per data directory, so the CLI
 * runs only while no server has the database open: the server is started on
 * it (startOn, which leaves the database in place when stopped) after the
 * tokens are made, stopped for the revocation, and started again.
 */
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { Role } from "../../src/modules/auth/role";
import type { NewsgraphServer } from "../../src/server";
import type { GraphQLClient } from "../factories/newsroom";
import { expectError, ok, runCli, startOn } from "../factories/newsroom";
import { NewsroomArticlesDocument, NewsroomCreateArticleDocument, NewsroomViewerDocument } from "../generated/graphql";
import type { TestDatabase } from "../support/database";
import { createTestDatabase } from "../support/database";

const TOKEN = /^ng_[A-Za-z0-9_-]{43}$/;
let db: TestDatabase;
let server: (NewsgraphServer & GraphQLClient) | undefined;
const tokens = {} as Record<"writer" | "editor" | "admin", string>;
const ids = {} as Record<"writer" | "editor", number>;
// Every CLI run starts a process (and, embedded, a PGlite instance): seconds each, much more on a busy
// machine. The runs are kept few and the CLI tests get generous timeouts.
const CLI_TIMEOUT = 240_000;

beforeAll(async () => {
  // The CLI is run as operators run it: compiled.
  await promisify(execFile)("npm", ["run", "-s", "build"], { cwd: `${__dirname}/../..`, timeout: 170_000 });
  db = await createTestDatabase();
}, 180_000);
afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

async function restart() {
  await server?.stop();
  server = await startOn(db);
}

describe("CLI", () => {
  test(
    "author create, then token create prints the token alone on stdout, one fresh token per call",
    async () => {
      const author = await runCli(db, ["author", "create", "--slug", "cli-writer", "--name", "Cli Writer"]);
      expect(author).toMatchObject({ code: 0, stdout: "cli-writer\n" });

      for (const [role, arg] of [
        ["writer", "WRITER"],
        ["editor", "editor"], // roles are case-insensitive on the command line
      ] as const) {
        const res = await runCli(db, [
          "token",
          "create",
          "--author",
          "cli-writer",
          "--role",
          arg,
          "--label",
          `${role} key`,
        ]);
        expect(res.code).toBe(0);
        expect(res.stdout.endsWith("\n")).toBe(true);
        expect(res.stdout.split("\n")).toHaveLength(2);
        const token = res.stdout.trim();
        expect(token).toMatch(TOKEN);
        expect(res.stderr).not.toContain(token);
        tokens[role] = token;
      }
      expect(tokens.writer).not.toBe(tokens.editor);
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

      const badRole = await runCli(db, ["token", "create", "--author", "cli-writer", "--role", "OWNER"]);
      expect(badRole).toMatchObject({ code: 64, stdout: "" });
      expect(badRole.stderr).toContain("--role must be WRITER, EDITOR or ADMIN");
    },
    CLI_TIMEOUT,
  );

  test(
    "token list shows id, author, role, state and label, never a token",
    async () => {
      const res = await runCli(db, ["token", "list", "--author", "cli-writer"]);
      expect(res.code).toBe(0);
      const lines = res.stdout.trim().split("\n");
      expect(lines).toHaveLength(2);
      const parsed = lines.map((l) => l.split("\t"));
      expect(parsed.map(([, slug, role, state, , label]) => [slug, role, state, label])).toEqual([
        ["cli-writer", "WRITER", "active", "writer key"],
        ["cli-writer", "EDITOR", "active", "editor key"],
      ]);
      for (const [id, , , , createdAt] of parsed) {
        expect(Number(id)).toBeGreaterThan(0);
        expect(new Date(createdAt!).toISOString()).toBe(createdAt);
      }
      [ids.writer, ids.editor] = parsed.map(([id]) => Number(id));
      for (const token of Object.values(tokens)) expect(res.stdout).not.toContain(token);
    },
    CLI_TIMEOUT,
  );
});

describe("the server with CLI-issued tokens", () => {
  beforeAll(async () => {
    await restart();
    // An admin token for the role checks, issued by the service (the CLI path is covered above).
    tokens.admin = await server!.services.auth.createToken("cli-writer", Role.ADMIN, "admin key");
  }, 120_000);

  test("tokens are stored only as their SHA-256", async () => {
    const rows = await server!.db.query("SELECT * FROM api_tokens WHERE label LIKE '% key'");
    expect(rows).toHaveLength(3);
    const dump = JSON.stringify(rows);
    for (const [role, token] of Object.entries(tokens)) {
      expect(dump).not.toContain(token);
      expect(dump).not.toContain(token.slice(3));
      const hash = createHash("sha256").update(token).digest("hex");
      const row = rows.find((r) => r.token_hash === hash);
      expect(row).toMatchObject({ role: role.toUpperCase(), revoked_at: null });
      if (role !== "admin") expect(row.id).toBe(ids[role as keyof typeof ids]);
    }
  });

  test.each(["writer", "editor", "admin"] as const)("viewer answers the %s token's author and role", async (role) => {
    const res = await server!.request(NewsroomViewerDocument, undefined, { token: tokens[role] });
    expect(ok(res).viewer).toMatchObject({
      role: role.toUpperCase(),
      author: { slug: "cli-writer", name: "Cli Writer" },
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
    expect(ok(res).createArticle).toMatchObject({ status: "DRAFT", authors: [{ slug: "cli-writer" }] });
  });
});

describe("revocation", () => {
  test(
    "token revoke stops the token at once; revoking it twice is one line of error, exit code 65",
    async () => {
      await server?.stop();
      server = undefined;

      const res = await runCli(db, ["token", "revoke", "--id", String(ids.writer)]);
      expect(res).toMatchObject({ code: 0, stdout: "" });
      expect(res.stderr).toContain(`token ${ids.writer} revoked`);
      const again = await runCli(db, ["token", "revoke", "--id", String(ids.writer)]);
      expect(again.code).toBe(65);
      expect(again.stderr.trim().split("\n")).toEqual([
        expect.stringContaining(`no active token with id ${ids.writer}`),
      ]);

      const list = await runCli(db, ["token", "list", "--author", "cli-writer"]);
      const states = list.stdout
        .trim()
        .split("\n")
        .map((l) => l.split("\t")[3]);
      expect(states[0]).toMatch(/^revoked \d{4}-\d\d-\d\dT/);
      expect(states.slice(1)).toEqual(["active", "active"]);
    },
    CLI_TIMEOUT,
  );

  test("a revoked token is UNAUTHENTICATED (401) everywhere; the others still work", async () => {
    await restart();
    for (const doc of [NewsroomViewerDocument, NewsroomArticlesDocument] as const) {
      const res = await server!.request(doc as typeof NewsroomViewerDocument, {}, { token: tokens.writer });
      expect(res.status).toBe(401);
      expectError(res, "UNAUTHENTICATED");
    }
    const mutation = await server!.request(
      NewsroomCreateArticleDocument,
      { input: { title: "After revocation", body: "No." } },
      { token: tokens.writer },
    );
    expectError(mutation, "UNAUTHENTICATED");
    expect(ok(await server!.request(NewsroomViewerDocument, undefined, { token: tokens.editor })).viewer!.role).toBe(
      "EDITOR",
    );
  }, 120_000);

  test("revoking through the service takes effect on the next request, without a restart", async () => {
    const res = await server!.request(NewsroomViewerDocument, undefined, { token: tokens.admin });
    expect(ok(res).viewer!.role).toBe("ADMIN");
    const [{ id }] = await server!.db.query("SELECT id FROM api_tokens WHERE label = 'admin key'");
    expect(await server!.services.auth.revokeToken(id)).toBe(true);
    const after = await server!.request(NewsroomViewerDocument, undefined, { token: tokens.admin });
    expect(after.status).toBe(401);
    expectError(after, "UNAUTHENTICATED");
  });
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
