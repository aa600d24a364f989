/**
 * Revisions and corrections over HTTP and graphql-ws: every published state
 * of an article is kept (publish, each edit of its text while live, the
 * scheduler), a correction note is public on the article and reaches
 * articleUpdated, a silent fix adds no note, and the history and diffs are
 * for editors and byline authors only. The clock is a ManualClock, so times
 * are exact.
 */
import "reflect-metadata";
import { ManualClock } from "../../src/shared/clock";
import { MAX_CORRECTION } from "../../src/modules/article/article-revision.service";
import { AddArticleRevisions1796400000004 } from "../../migrations/1796400000004-add-article-revisions";
import { demoArticles, demoCorrections } from "../../src/seed/demo-content";
import { parseGlobalId, toGlobalId } from "../../src/shared/node-id";
import { expectError, ok, unique } from "../factories/newsroom";
import { createArticle } from "../factories/content";
import {
  RevisionArticleDocument,
  RevisionArticleUpdatedDocument,
  RevisionCreateDocument,
  RevisionDiffDocument,
  RevisionFrontPageDocument,
  RevisionHistoryDocument,
  RevisionPublishDocument,
  RevisionUnpublishDocument,
  RevisionUpdateDocument,
  type RevisionHistoryQuery,
  type UpdateArticleInput,
} from "../generated/graphql";
import { ClientPool, waitForListeners } from "../support/feed-client";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

const clock = new ManualClock(new Date("2031-05-01T08:00:00.000Z"));
let server: TestServer;
let pool: ClientPool;
const tokens = {} as Record<"writer" | "otherWriter" | "editor", string>;

beforeAll(async () => {
  // No feed polling: the bus hint wakes the dispatcher, and the SQL counts see no background statements.
  server = await startTestServer({ feedPollMs: 0 }, { clock });
  pool = new ClientPool(() => server.url);
  tokens.writer = await server.token("rev-writer", "WRITER");
  tokens.otherWriter = await server.token("rev-other-writer", "WRITER");
  tokens.editor = await server.token("rev-editor", "EDITOR");
});
afterEach(() => pool.closeAll(server));
afterAll(() => server?.stop());

type Who = keyof typeof tokens | "anonymous";
const as = (who: Who) => (who === "anonymous" ? {} : { token: tokens[who] });

/** A published article with the writer in its byline, at the clock's time. */
async function published(body = "First version of the **story**.") {
  const created = ok(
    await server.request(
      RevisionCreateDocument,
      { input: { title: `Story ${unique("t")}`, standfirst: "What happened.", body, authorSlugs: ["rev-writer"] } },
      as("editor"),
    ),
  ).createArticle;
  return ok(await server.request(RevisionPublishDocument, { id: created.id }, as("editor"))).publishArticle;
}

const edit = (id: string, input: UpdateArticleInput, who: Who = "editor") =>
  server.request(RevisionUpdateDocument, { id, input }, as(who));

const history = async (articleId: string, who: Who = "editor", first = 100) =>
  ok(await server.request(RevisionHistoryDocument, { articleId, first }, as(who))).articleRevisions;

async function revisionRows(articleId: string) {
  const rows = await server.db.query<{ number: number; correction: string | null }>(
    "SELECT number, correction FROM article_revisions WHERE article_id = $1 ORDER BY number",
    [dbIdOf(articleId)],
  );
  return rows;
}

const dbIdOf = (id: string) => parseGlobalId(id)!.id;

describe("revisions are written with the publication and every edit of a live article's text", () => {
  test("publishing writes revision 1 by the publisher; the article has no corrections", async () => {
    const a = await published();
    expect(a.corrections).toEqual([]);
    const h = await history(a.id);
    expect(h.totalCount).toBe(1);
    expect(h.nodes).toEqual([
      {
        number: 1,
        title: a.title,
        standfirst: "What happened.",
        body: "First version of the **story**.",
        correction: null,
        createdAt: clock.now().toISOString(),
        editor: { slug: "rev-editor" },
      },
    ]);
  });

  test("a correction is kept trimmed with its revision, shown on the article oldest first, to anonymous readers too", async () => {
    const a = await published();
    // Read anonymously first, so that a cached answer would show if the edit did not purge it.
    expect(
      ok(await server.request(RevisionArticleDocument, { slug: (await slugOf(a.id))! })).article!.corrections,
    ).toEqual([]);
    clock.advance(60_000);
    const firstAt = clock.now().toISOString();
    const first = ok(
      await edit(a.id, { body: "Second version of the story.", correction: "  We misnamed the harbour.  " }),
    ).updateArticle;
    expect(first.corrections).toEqual([{ text: "We misnamed the harbour.", createdAt: firstAt, revision: 2 }]);
    expect(first.updatedAt).toBe(firstAt);
    clock.advance(60_000);
    const secondAt = clock.now().toISOString();
    // A note alone (no text change) is a revision too: a clarification.
    ok(await edit(a.id, { correction: "The vote was on Tuesday." }));

    const read = ok(await server.request(RevisionArticleDocument, { slug: (await slugOf(a.id))! })).article!;
    expect(read.corrections).toEqual([
      { text: "We misnamed the harbour.", createdAt: firstAt, revision: 2 },
      { text: "The vote was on Tuesday.", createdAt: secondAt, revision: 3 },
    ]);
    const h = await history(a.id);
    expect(h.nodes.map((r) => [r.number, r.body, r.correction, r.editor?.slug])).toEqual([
      [3, "Second version of the story.", "The vote was on Tuesday.", "rev-editor"],
      [2, "Second version of the story.", "We misnamed the harbour.", "rev-editor"],
      [1, "First version of the **story**.", null, "rev-editor"],
    ]);
  });

  test("a silent fix keeps a revision without a note; edits that leave the text as it was keep none", async () => {
    const a = await published();
    ok(await edit(a.id, { body: "First version of the **story**, fixed typo." }));
    ok(await edit(a.id, { commentsOpen: false }));
    ok(await edit(a.id, { title: a.title, standfirst: "What happened." }));
    ok(await edit(a.id, { topicSlugs: ["climate"] }));
    const after = ok(await edit(a.id, { standfirst: null })).updateArticle;
    expect(after.corrections).toEqual([]);
    expect(await revisionRows(a.id)).toEqual([
      { number: 1, correction: null },
      { number: 2, correction: null },
      { number: 3, correction: null },
    ]);
    expect((await history(a.id)).nodes[0]!.standfirst).toBeNull();
  });

  test("unpublishing keeps the history; publishing again adds a revision only when the text changed", async () => {
    const a = await published();
    ok(await server.request(RevisionUnpublishDocument, { id: a.id }, as("editor")));
    ok(await server.request(RevisionPublishDocument, { id: a.id }, as("editor")));
    expect((await revisionRows(a.id)).map((r) => r.number)).toEqual([1]);
    ok(await server.request(RevisionUnpublishDocument, { id: a.id }, as("editor")));
    ok(await edit(a.id, { body: "Rewritten while it was down." }));
    expect((await revisionRows(a.id)).map((r) => r.number)).toEqual([1]);
    ok(await server.request(RevisionPublishDocument, { id: a.id }, as("editor")));
    const h = await history(a.id);
    expect(h.nodes.map((r) => [r.number, r.body])).toEqual([
      [2, "Rewritten while it was down."],
      [1, "First version of the **story**."],
    ]);
  });

  test("the scheduler's publication writes revision 1 with no editor", async () => {
    const created = ok(
      await server.request(
        RevisionCreateDocument,
        { input: { title: unique("Scheduled"), body: "Due." } },
        as("editor"),
      ),
    ).createArticle;
    const due = new Date(clock.now().getTime() + 3_600_000);
    ok(await server.request(RevisionPublishDocument, { id: created.id, at: due.toISOString() }, as("editor")));
    expect(await revisionRows(created.id)).toEqual([]);
    clock.set(due);
    expect(await server.services.articleEditor.publishDue()).toBe(1);
    const h = await history(created.id);
    expect(h.nodes.map((r) => [r.number, r.body, r.editor, r.createdAt])).toEqual([
      [1, "Due.", null, due.toISOString()],
    ]);
  });

  test("ten concurrent edits of one article get the numbers 2 to 11, once each; 9 -> 10 -> 11 pages in order", async () => {
    const a = await published();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => edit(a.id, { body: `Concurrent edit ${i}`, correction: `Note ${i}` })),
    );
    for (const r of results) ok(r);
    const rows = await revisionRows(a.id);
    expect(rows.map((r) => r.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(new Set(rows.slice(1).map((r) => r.correction)).size).toBe(10);
    // The last revision is the article's text now.
    const [latest] = (await history(a.id, "editor", 1)).nodes;
    const article = ok(await server.request(RevisionArticleDocument, { slug: (await slugOf(a.id))! }, as("editor")));
    expect(latest!.body).toBe(article.article!.body);
    expect(article.article!.corrections.map((c) => c.revision)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);

    // Pages of 4, newest first: 11..8, 7..4, 3..1, with the cursor crossing 10 -> 9.
    const seen: number[][] = [];
    let after: string | null | undefined = null;
    for (;;) {
      const page: RevisionHistoryQuery["articleRevisions"] = ok(
        await server.request(RevisionHistoryDocument, { articleId: a.id, first: 4, after }, as("editor")),
      ).articleRevisions;
      seen.push(page.nodes.map((r) => r.number));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual([
      [11, 10, 9, 8],
      [7, 6, 5, 4],
      [3, 2, 1],
    ]);
  });
});

async function slugOf(id: string): Promise<string | undefined> {
  const [row] = await server.db.query<{ slug: string }>("SELECT slug FROM articles WHERE id = $1", [dbIdOf(id)]);
  return row?.slug;
}

describe("bad corrections are refused and write nothing", () => {
  test("a correction on a draft names the field; the draft is unchanged", async () => {
    const d = ok(
      await server.request(
        RevisionCreateDocument,
        { input: { title: unique("Draft"), body: "Draft body." } },
        as("writer"),
      ),
    ).createArticle;
    expectError(await edit(d.id, { body: "Changed", correction: "Fixed" }, "writer"), "BAD_USER_INPUT", ["correction"]);
    expectError(await edit(d.id, { body: "Changed", correction: "Fixed" }, "editor"), "BAD_USER_INPUT", ["correction"]);
    const [row] = await server.db.query("SELECT body FROM articles WHERE id = $1", [dbIdOf(d.id)]);
    expect(row.body).toBe("Draft body.");
    expect(await revisionRows(d.id)).toEqual([]);
  });

  test("empty, too long and NUL notes are BAD_USER_INPUT; the longest allowed passes", async () => {
    const a = await published();
    for (const correction of ["", "   ", "x".repeat(MAX_CORRECTION + 1), "a\u0000b"]) {
      expectError(await edit(a.id, { body: "Should not land", correction }), "BAD_USER_INPUT", ["correction"]);
    }
    expectError(await edit(a.id, { title: "", correction: "" }), "BAD_USER_INPUT", ["title", "correction"]);
    expect(await revisionRows(a.id)).toEqual([{ number: 1, correction: null }]);
    const long = "y".repeat(MAX_CORRECTION);
    const done = ok(await edit(a.id, { correction: ` ${long} ` })).updateArticle;
    expect(done.corrections.map((c) => c.text)).toEqual([long]);
    expect(done.body).toBe("First version of the **story**.");
  });

  test("a writer cannot correct a published article (FORBIDDEN, as for any edit of it)", async () => {
    const a = await published();
    expectError(await edit(a.id, { correction: "Mine" }, "writer"), "FORBIDDEN");
    expect(await revisionRows(a.id)).toEqual([{ number: 1, correction: null }]);
  });
});

describe("history and diffs", () => {
  test("editors and byline writers read them; other writers FORBIDDEN, anonymous UNAUTHENTICATED", async () => {
    const a = await published();
    ok(await edit(a.id, { body: "Second." }));
    for (const who of ["editor", "writer"] as const) {
      expect((await history(a.id, who)).totalCount).toBe(2);
      const d = ok(await server.request(RevisionDiffDocument, { articleId: a.id, from: 1, to: 2 }, as(who)));
      expect(d.articleRevisionDiff.to).toBe(2);
    }
    for (const [who, code] of [
      ["otherWriter", "FORBIDDEN"],
      ["anonymous", "UNAUTHENTICATED"],
    ] as const) {
      const h = await server.request(RevisionHistoryDocument, { articleId: a.id }, as(who));
      expectError(h, code);
      expectError(await server.request(RevisionDiffDocument, { articleId: a.id, from: 1, to: 2 }, as(who)), code);
    }
  });

  test("another writer's draft and an unknown article are NOT_FOUND; a foreign id or cursor is BAD_USER_INPUT", async () => {
    const d = ok(
      await server.request(RevisionCreateDocument, { input: { title: unique("Hidden"), body: "x" } }, as("writer")),
    ).createArticle;
    const missing = toGlobalId("Article", 2_000_000_000);
    for (const articleId of [d.id, missing]) {
      expectError(await server.request(RevisionHistoryDocument, { articleId }, as("otherWriter")), "NOT_FOUND");
      expectError(
        await server.request(RevisionDiffDocument, { articleId, from: 1, to: 1 }, as("otherWriter")),
        "NOT_FOUND",
      );
    }
    expect((await history(d.id, "writer")).nodes).toEqual([]);
    const comment = toGlobalId("Comment", 1);
    expectError(await server.request(RevisionHistoryDocument, { articleId: comment }, as("editor")), "BAD_USER_INPUT", [
      "articleId",
    ]);
    expectError(
      await server.request(RevisionHistoryDocument, { articleId: d.id, after: "bm9wZQ" }, as("editor")),
      "BAD_USER_INPUT",
      ["after"],
    );
  });

  test("the diff per field, as chunks that spell both revisions", async () => {
    const a = await published("The barrier opens in 2027.\n\nCouncil officers agree.");
    ok(
      await edit(a.id, {
        title: `${a.title} (updated)`,
        standfirst: "What really happened.",
        body: "The barrier opens in 2028.\n\nCouncil officers agree.",
        correction: "The barrier opens in 2028, not 2027.",
      }),
    );
    const d = ok(
      await server.request(RevisionDiffDocument, { articleId: a.id, from: 1, to: 2 }, as("editor")),
    ).articleRevisionDiff;
    expect(d.body).toEqual([
      { kind: "UNCHANGED", text: "The barrier opens in " },
      { kind: "REMOVED", text: "2027" },
      { kind: "ADDED", text: "2028" },
      { kind: "UNCHANGED", text: ".\n\nCouncil officers agree." },
    ]);
    const spell = (chunks: { kind: string; text: string }[], skip: string) =>
      chunks
        .filter((c) => c.kind !== skip)
        .map((c) => c.text)
        .join("");
    expect([spell(d.title, "ADDED"), spell(d.title, "REMOVED")]).toEqual([a.title, `${a.title} (updated)`]);
    expect([spell(d.standfirst, "ADDED"), spell(d.standfirst, "REMOVED")]).toEqual([
      "What happened.",
      "What really happened.",
    ]);
    // Backwards, and a revision against itself.
    const back = ok(
      await server.request(RevisionDiffDocument, { articleId: a.id, from: 2, to: 1 }, as("editor")),
    ).articleRevisionDiff;
    expect(back.body.filter((c) => c.kind === "ADDED").map((c) => c.text)).toEqual(["2027"]);
    const same = ok(
      await server.request(RevisionDiffDocument, { articleId: a.id, from: 2, to: 2 }, as("editor")),
    ).articleRevisionDiff;
    expect(same.body).toEqual([{ kind: "UNCHANGED", text: "The barrier opens in 2028.\n\nCouncil officers agree." }]);
  });

  test("unknown revision numbers are BAD_USER_INPUT naming from, to or both", async () => {
    const a = await published();
    const diff = (from: number, to: number) =>
      server.request(RevisionDiffDocument, { articleId: a.id, from, to }, as("editor"));
    expectError(await diff(1, 2), "BAD_USER_INPUT", ["to"]);
    expectError(await diff(2, 1), "BAD_USER_INPUT", ["from"]);
    expectError(await diff(0, -1), "BAD_USER_INPUT", ["from", "to"]);
    const error = expectError(await diff(2_147_483_647, 3), "BAD_USER_INPUT", ["from", "to"]);
    expect(error.extensions!.fields.to).toContain("it has 1 to 1");
  });

  test("a body diff of 200,000 characters rewritten whole answers (coarser chunks past the time limit)", async () => {
    const words = (w: string) =>
      Array.from({ length: 20_000 }, (_, i) => `${w}${i % 10}`)
        .join(" ")
        .slice(0, 199_000);
    const a = await published(words("a"));
    ok(await edit(a.id, { body: words("b"), correction: "Rewritten." }));
    const d = ok(
      await server.request(RevisionDiffDocument, { articleId: a.id, from: 1, to: 2 }, as("editor")),
    ).articleRevisionDiff;
    const spell = (skip: string) =>
      d.body
        .filter((c) => c.kind !== skip)
        .map((c) => c.text)
        .join("");
    expect([spell("ADDED"), spell("REMOVED")]).toEqual([words("a"), words("b")]);
  });
});

describe("demo content and migration", () => {
  test("every published demo article has revision 1; the corrected one has its note and the diff of its fix", async () => {
    const [{ missing }] = await server.db.query<{ missing: number }>(
      `SELECT count(*)::int AS missing FROM articles a WHERE a.slug = ANY($1::text[])
         AND NOT EXISTS (SELECT 1 FROM article_revisions r WHERE r.article_id = a.id AND r.number = 1)`,
      [demoArticles.map((d) => d.slug)],
    );
    expect(missing).toBe(0);
    const demo = demoCorrections[0]!;
    const article = ok(await server.request(RevisionArticleDocument, { slug: demo.article })).article!;
    expect(article.corrections.map((c) => [c.text, c.revision])).toEqual([[demo.text, 2]]);
    const d = ok(
      await server.request(RevisionDiffDocument, { articleId: article.id, from: 1, to: 2 }, as("editor")),
    ).articleRevisionDiff;
    expect(d.body.filter((c) => c.kind !== "UNCHANGED").map((c) => [c.kind, c.text])).toEqual([
      ["REMOVED", "1986"],
      ["ADDED", "1968"],
    ]);
  });

  test("the migration gives every live or archived article a revision 1 and drafts none", async () => {
    const other = await startTestServer();
    try {
      const live = await createArticle(other.db, {});
      const archived = await createArticle(other.db, { status: "ARCHIVED" });
      const draft = await createArticle(other.db, { status: "DRAFT", publishedAt: null });
      const runner = other.db.dataSource.createQueryRunner();
      try {
        const migration = new AddArticleRevisions1796400000004();
        await migration.down(runner);
        await migration.up(runner);
      } finally {
        await runner.release();
      }
      const rows = await other.db.query<{ article_id: number; number: number; title: string }>(
        "SELECT article_id, number, title FROM article_revisions WHERE article_id = ANY($1::int[]) ORDER BY article_id",
        [[live.dbId, archived.dbId, draft.dbId]],
      );
      expect(rows.map((r) => [r.article_id, r.number])).toEqual([
        [live.dbId, 1],
        [archived.dbId, 1],
      ]);
      const [{ n }] = await other.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM articles a WHERE status = 'PUBLISHED' AND NOT EXISTS " +
          "(SELECT 1 FROM article_revisions r WHERE r.article_id = a.id)",
      );
      expect(n).toBe(0);
    } finally {
      await other.stop();
    }
  });
});

describe("Article.corrections costs one statement per page", () => {
  test("the front page with corrections costs the same for 1, 5 and 50 articles", async () => {
    // 50 articles newer than any other test's, each with two corrections (and one without, between them).
    const ids: string[] = [];
    for (let i = 0; i < 51; i++) {
      const created = await createArticle(server.db, { publishedAt: new Date(Date.UTC(2040, 0, 1, 0, 51 - i)) });
      ids.push(created.id);
      if (i % 2) continue;
      await server.db.query(
        `INSERT INTO article_revisions (article_id, number, title, body, correction, created_at)
         SELECT $1, n, 't', 'b', CASE WHEN n > 1 THEN 'Note ' || n END, now() FROM generate_series(1, 3) n`,
        [created.dbId],
      );
    }
    const counts: number[] = [];
    for (const first of [1, 5, 50]) {
      const before = server.db.sql.total;
      const res = ok(await server.request(RevisionFrontPageDocument, { first }, as("editor")));
      counts.push(server.db.sql.total - before);
      expect(res.articles.nodes.map((n) => n.id)).toEqual(ids.slice(0, first));
      res.articles.nodes.forEach((n, i) =>
        expect(n.corrections.map((c) => c.text)).toEqual(i % 2 ? [] : ["Note 2", "Note 3"]),
      );
    }
    expect(counts).toEqual([counts[0], counts[0], counts[0]]);
  });
});

describe("articleUpdated delivers corrections", () => {
  test("a correction arrives with the update; a silent fix arrives with no new note", async () => {
    const a = await published();
    const reader = pool.client().subscribe(RevisionArticleUpdatedDocument, { articleId: a.id });
    await waitForListeners(server, 1);
    clock.advance(1000);
    const at = clock.now().toISOString();
    ok(await edit(a.id, { body: "Corrected body.", correction: "An earlier version gave the wrong date." }));
    ok(await edit(a.id, { body: "Corrected body, typo fixed." }));
    const note = { text: "An earlier version gave the wrong date.", createdAt: at, revision: 2 };
    expect(await reader.take(2)).toEqual([
      { articleUpdated: { id: a.id, title: a.title, corrections: [note] } },
      { articleUpdated: { id: a.id, title: a.title, corrections: [note] } },
    ]);
  });

  test("delivering a correction costs the same statements for 1 subscriber and 10", async () => {
    const counts: number[] = [];
    for (const n of [1, 10]) {
      const a = await published();
      const streams = Array.from({ length: n }, () =>
        pool.client().subscribe(RevisionArticleUpdatedDocument, { articleId: a.id }),
      );
      await waitForListeners(server, n);
      const before = server.db.sql.total;
      ok(await edit(a.id, { correction: `Note for ${n}` }));
      for (const stream of streams) {
        const [value] = await stream.take(1);
        expect(value!.articleUpdated.corrections.map((c) => c.text)).toEqual([`Note for ${n}`]);
      }
      counts.push(server.db.sql.total - before);
      await pool.closeAll(server);
    }
    expect(counts[1]).toBe(counts[0]);
  });
});
