/**
 * The preview secret: without PREVIEW_SECRET it is made once and kept in the database, so a link
 * outlives a restart and works on every instance of the deployment (on PostgreSQL, two at once);
 * with PREVIEW_SECRET set, links signed under another secret open nothing (changing it voids every
 * link), and going back to the stored secret makes the old links work again.
 */
import { loadConfig } from "../../src/config";
import { insertAuthor } from "../../src/modules/author/author-insert";
import type { NewsgraphServer } from "../../src/server";
import type { GraphQLClient } from "../factories/newsroom";
import { expectError, ok, startOn } from "../factories/newsroom";
import { NewsroomCreateArticleDocument, PreviewCreateDocument, PreviewTitleDocument } from "../generated/graphql";
import type { TestDatabase } from "../support/database";
import { createTestDatabase } from "../support/database";

type Instance = NewsgraphServer & GraphQLClient;
const DEFAULTS = loadConfig({}).preview;

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

async function makePreview(server: Instance): Promise<string> {
  await insertAuthor(server.db, { slug: "secret-editor", name: "Secret Editor" });
  const editor = await server.services.auth.createToken("secret-editor", "EDITOR" as never);
  const a = ok(
    await server.request(NewsroomCreateArticleDocument, { input: { title: "Kept", body: "Body." } }, { token: editor }),
  ).createArticle;
  return ok(await server.request(PreviewCreateDocument, { articleId: a.id }, { token: editor })).createArticlePreview
    .token;
}

const opens = async (server: Instance, token: string) => {
  const res = await server.request(PreviewTitleDocument, { token });
  if (res.errors) return expectError(res, "FORBIDDEN").extensions?.reason as string;
  return "OPENS";
};

test("the stored secret survives a restart; PREVIEW_SECRET replaces it while set", async () => {
  let server = await startOn(db);
  let stored: string;
  try {
    stored = await makePreview(server);
    expect(await opens(server, stored)).toBe("OPENS");
    expect(await server.db.query("SELECT count(*)::int AS n FROM preview_secret")).toEqual([{ n: 1 }]);
  } finally {
    await server.stop();
  }

  server = await startOn(db);
  try {
    expect(await opens(server, stored)).toBe("OPENS");
    expect(await server.db.query("SELECT count(*)::int AS n FROM preview_secret")).toEqual([{ n: 1 }]);
  } finally {
    await server.stop();
  }

  let configured: string;
  server = await startOn(db, { preview: { ...DEFAULTS, secret: "k".repeat(40) } });
  try {
    expect(await opens(server, stored)).toBe("INVALID");
    configured = await makePreview(server);
    expect(await opens(server, configured)).toBe("OPENS");
  } finally {
    await server.stop();
  }

  server = await startOn(db);
  try {
    expect(await opens(server, stored)).toBe("OPENS");
    expect(await opens(server, configured)).toBe("INVALID");
  } finally {
    await server.stop();
  }
});

// PGlite serves one process, so two instances at once need PostgreSQL.
(process.env.DATABASE_URL ? test : test.skip)(
  "two instances agree on one secret: both make their first link at once, and each opens the other's",
  async () => {
    const fresh = await createTestDatabase();
    // One after the other: the first migrates and seeds (the secret is made on first use, not at start).
    const a = await startOn(fresh);
    const b = await startOn(fresh).catch(async (error: unknown) => {
      await a.stop();
      throw error;
    });
    try {
      // Both make their first link at the same moment, each racing to store the secret.
      const [fromA, fromB] = await Promise.all([makePreview(a), makePreview(b)]);
      expect(await opens(b, fromA)).toBe("OPENS");
      expect(await opens(a, fromB)).toBe("OPENS");
      expect(await a.db.query("SELECT count(*)::int AS n FROM preview_secret")).toEqual([{ n: 1 }]);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await fresh.drop();
    }
  },
);

test("a PREVIEW_SECRET shorter than 32 characters, a default past the maximum or a PREVIEW_URL without {token} is refused", () => {
  expect(() => loadConfig({ PREVIEW_SECRET: "short" })).toThrow(/PREVIEW_SECRET must be at least 32/);
  expect(() => loadConfig({ PREVIEW_DEFAULT_TTL_SECONDS: "7200", PREVIEW_MAX_TTL_SECONDS: "3600" })).toThrow(
    /must not exceed PREVIEW_MAX_TTL_SECONDS/,
  );
  expect(() => loadConfig({ PREVIEW_URL: "https://news.example/preview" })).toThrow(/must contain \{token\}/);
  expect(loadConfig({ PREVIEW_MAX_TTL_SECONDS: "3600" }).preview).toMatchObject({
    defaultTtlSeconds: 3600,
    maxTtlSeconds: 3600,
  });
  expect(loadConfig({}).preview).toEqual({
    secret: undefined,
    defaultTtlSeconds: 7 * 86_400,
    maxTtlSeconds: 30 * 86_400,
    urlPattern: "/preview/{token}",
  });
});
