/**
 * Who may do what, for every live-blog mutation and every role: anonymous, a WRITER in the
 * article's byline, a WRITER not in it, an EDITOR and an ADMIN. An allowed call does what it
 * says; a refused one answers the exact code and leaves the database as it was (the live blog's
 * article and entry rows, byte for byte, and the number of feed_events and live_entries rows).
 */
import {
  LiveAddDocument,
  LiveDeleteDocument,
  LiveEndDocument,
  LivePinDocument,
  LiveStartDocument,
  LiveUnpinDocument,
  LiveUpdateDocument,
} from "../generated/graphql";
import { codes, dbId, ok, publishedArticle } from "../support/feed-fixtures";
import type { GraphQLResult, TestServer } from "../support/server";
import { startTestServer } from "../support/server";

let server: TestServer;
const tokens: Record<Role, string | undefined> = {} as never;

type Role = "anonymous" | "writerInByline" | "writerNotInByline" | "editor" | "admin";
const ROLES: Role[] = ["anonymous", "writerInByline", "writerNotInByline", "editor", "admin"];

beforeAll(async () => {
  server = await startTestServer({ commentRateLimit: 100_000 });
  tokens.anonymous = undefined;
  tokens.writerInByline = await server.token("roles-writer-in", "WRITER");
  tokens.writerNotInByline = await server.token("roles-writer-out", "WRITER");
  tokens.editor = await server.token("roles-editor", "EDITOR");
  tokens.admin = await server.token("roles-admin", "ADMIN");
});
afterAll(() => server?.stop());

interface Blog {
  articleId: string;
  /** An entry posted by the editor (not the writer's own). */
  editorsEntry: string;
  /** An entry posted by the byline writer. */
  writersEntry: string;
  /** A pinned entry (the editor's). */
  pinned: string;
}

/** A live blog with the byline writer, an entry of each poster and the editor's entry pinned. */
async function blog(): Promise<Blog> {
  const article = await publishedArticle(server, tokens.editor!, { authorSlugs: ["roles-writer-in"] });
  ok(await server.request(LiveStartDocument, { articleId: article.id }, { token: tokens.editor }));
  const add = async (token: string, body: string) =>
    ok(await server.request(LiveAddDocument, { input: { articleId: article.id, body } }, { token })).addLiveEntry.id;
  const editorsEntry = await add(tokens.editor!, "The editor's entry");
  const writersEntry = await add(tokens.writerInByline!, "The writer's entry");
  const pinned = await add(tokens.editor!, "The pinned entry");
  ok(await server.request(LivePinDocument, { id: pinned }, { token: tokens.editor }));
  return { articleId: article.id, editorsEntry, writersEntry, pinned };
}

/** Everything a live-blog write could change. */
async function snapshot(articleId: string) {
  const [row] = await server.db.query<{ events: number; entries: number; article: string; rows: string | null }>(
    `SELECT (SELECT count(*)::int FROM feed_events) AS events,
            (SELECT count(*)::int FROM live_entries) AS entries,
            (SELECT row_to_json(a)::text FROM articles a WHERE a.id = $1) AS article,
            (SELECT json_agg(l ORDER BY l.id)::text FROM live_entries l WHERE l.article_id = $1) AS rows`,
    [dbId(articleId)],
  );
  return row!;
}

/** An entry's stored row (or undefined). */
async function entryRow(id: string) {
  const [row] = await server.db.query<{
    body: string;
    is_pinned: boolean;
    deleted_at: Date | null;
    edited_at: Date | null;
  }>("SELECT body, is_pinned, deleted_at, edited_at FROM live_entries WHERE id = $1", [dbId(id)]);
  return row;
}

const articleRow = async (id: string) =>
  (
    await server.db.query<{ live_since: Date | null; live_until: Date | null }>(
      "SELECT live_since, live_until FROM articles WHERE id = $1",
      [dbId(id)],
    )
  )[0]!;

/** One mutation: how to call it on a blog, who may, and what an allowed call must have done. */
interface Case {
  name: string;
  allowed: Role[];
  /** The code for a role that is refused (anonymous is always UNAUTHENTICATED). */
  refusedCode: string;
  /** Brings the blog into the state the call changes. */
  setup?(b: Blog): Promise<void>;
  call(b: Blog, token: string | undefined): Promise<GraphQLResult<unknown>>;
  /** Called after an allowed call, with its data. */
  check(b: Blog, data: any): Promise<void>;
}

const CASES: Case[] = [
  {
    name: "startLiveBlog",
    allowed: ["editor", "admin"],
    refusedCode: "FORBIDDEN",
    // An ended blog, so that starting changes something.
    async setup(b) {
      ok(await server.request(LiveEndDocument, { articleId: b.articleId }, { token: tokens.editor }));
    },
    call: (b, token) => server.request(LiveStartDocument, { articleId: b.articleId }, { token }),
    async check(b, data) {
      expect(data.startLiveBlog.isLive).toBe(true);
      expect((await articleRow(b.articleId)).live_until).toBeNull();
    },
  },
  {
    name: "endLiveBlog",
    allowed: ["editor", "admin"],
    refusedCode: "FORBIDDEN",
    call: (b, token) => server.request(LiveEndDocument, { articleId: b.articleId }, { token }),
    async check(b, data) {
      expect(data.endLiveBlog.isLive).toBe(false);
      expect((await articleRow(b.articleId)).live_until).not.toBeNull();
    },
  },
  {
    name: "addLiveEntry",
    allowed: ["writerInByline", "editor", "admin"],
    refusedCode: "FORBIDDEN",
    call: (b, token) =>
      server.request(LiveAddDocument, { input: { articleId: b.articleId, body: "A new entry" } }, { token }),
    async check(_b, data) {
      expect((await entryRow(data.addLiveEntry.id))!.body).toBe("A new entry");
    },
  },
  {
    name: "updateLiveEntry of an entry the caller did not post",
    allowed: ["editor", "admin"],
    refusedCode: "FORBIDDEN",
    call: (b, token) =>
      server.request(LiveUpdateDocument, { id: b.editorsEntry, input: { body: "Edited" } }, { token }),
    async check(b, data) {
      expect(data.updateLiveEntry.body).toBe("Edited");
      const row = await entryRow(b.editorsEntry);
      expect(row!.body).toBe("Edited");
      expect(row!.edited_at).not.toBeNull();
    },
  },
  {
    name: "updateLiveEntry of the byline writer's own entry",
    allowed: ["writerInByline", "editor", "admin"],
    refusedCode: "FORBIDDEN",
    call: (b, token) =>
      server.request(LiveUpdateDocument, { id: b.writersEntry, input: { body: "Edited" } }, { token }),
    async check(b) {
      expect((await entryRow(b.writersEntry))!.body).toBe("Edited");
    },
  },
  {
    name: "deleteLiveEntry of an entry the caller did not post",
    allowed: ["editor", "admin"],
    refusedCode: "FORBIDDEN",
    call: (b, token) => server.request(LiveDeleteDocument, { id: b.editorsEntry }, { token }),
    async check(b, data) {
      expect(data.deleteLiveEntry).toBe(b.editorsEntry);
      const row = await entryRow(b.editorsEntry);
      expect(row!.deleted_at).not.toBeNull();
      expect(row!.body).toBe("");
    },
  },
  {
    name: "deleteLiveEntry of the byline writer's own entry",
    allowed: ["writerInByline", "editor", "admin"],
    refusedCode: "FORBIDDEN",
    call: (b, token) => server.request(LiveDeleteDocument, { id: b.writersEntry }, { token }),
    async check(b) {
      expect((await entryRow(b.writersEntry))!.deleted_at).not.toBeNull();
    },
  },
  {
    name: "pinLiveEntry",
    allowed: ["writerInByline", "editor", "admin"],
    refusedCode: "FORBIDDEN",
    call: (b, token) => server.request(LivePinDocument, { id: b.writersEntry }, { token }),
    async check(b, data) {
      expect(data.pinLiveEntry).toEqual({ id: b.writersEntry, isPinned: true });
      expect((await entryRow(b.writersEntry))!.is_pinned).toBe(true);
      expect((await entryRow(b.pinned))!.is_pinned).toBe(false);
    },
  },
  {
    name: "unpinLiveEntry",
    allowed: ["writerInByline", "editor", "admin"],
    refusedCode: "FORBIDDEN",
    call: (b, token) => server.request(LiveUnpinDocument, { id: b.pinned }, { token }),
    async check(b, data) {
      expect(data.unpinLiveEntry).toEqual({ id: b.pinned, isPinned: false });
      expect((await entryRow(b.pinned))!.is_pinned).toBe(false);
    },
  },
];

describe.each(CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
  test.each(ROLES)("as %s", async (role) => {
    const b = await blog();
    await c.setup?.(b);
    const before = await snapshot(b.articleId);
    const res = await c.call(b, tokens[role]);
    if (c.allowed.includes(role)) {
      const data = ok(res);
      await c.check(b, data);
      expect(await snapshot(b.articleId)).not.toEqual(before);
    } else {
      expect(codes(res)).toEqual([role === "anonymous" ? "UNAUTHENTICATED" : c.refusedCode]);
      expect(res.data ?? null).toBeNull();
      expect(await snapshot(b.articleId)).toEqual(before);
    }
  });
});
