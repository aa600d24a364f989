/**
 * addComment and moderateComment in post-moderation mode (the default): every
 * input rule, where comments are refused, reply nesting, each spam rule,
 * moderation by role, idempotent retries (also racing ones), and the
 * commenter's email never coming back out of the API in any form.
 *
 * Every request of this file goes through a recorder; a test scans all
 * recorded responses for every address the file submitted (after traffic of
 * its own, so that it has something to scan in any order), and afterAll scans
 * them once more when every test has run. The rate limit is
 * set high here (all requests come from 127.0.0.1); comment-limits.test.ts
 * tests it.
 */
import type { IntrospectionField, IntrospectionInputValue, IntrospectionQuery } from "graphql";
import { getIntrospectionQuery } from "graphql";
import { ManualClock } from "../../src/shared/clock";
import { parseGlobalId, toGlobalId } from "../../src/shared/node-id";
import { commentInput, expectError, ok, recording, unique, uniqueEmail } from "../factories/newsroom";
import {
  NewsroomAddCommentDocument,
  NewsroomArchiveArticleDocument,
  NewsroomArticleDocument,
  NewsroomCommentCountDocument,
  NewsroomCreateArticleDocument,
  NewsroomModerateCommentDocument,
  NewsroomNodeDocument,
  NewsroomPublishArticleDocument,
  NewsroomUpdateArticleDocument,
  type AddCommentInput,
  type CommentStatus,
  type CreateArticleInput,
} from "../generated/graphql";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

const DAY = 86_400_000;
const clock = new ManualClock(new Date());
let server: TestServer;
let recorder: ReturnType<typeof recording>;
let api: ReturnType<typeof recording>["client"];
const tokens = {} as Record<"writer" | "editor" | "admin", string>;

beforeAll(async () => {
  // trustProxy: one test speaks from another client address (X-Forwarded-For); the rest from 127.0.0.1.
  server = await startTestServer(
    { commentRateLimit: 1000, bannedWords: ["casino", "viagra"], trustProxy: true },
    { clock },
  );
  recorder = recording(server);
  api = recorder.client;
  tokens.writer = await server.token("priya-raman", "WRITER");
  tokens.editor = await server.token("maya-okafor", "EDITOR");
  tokens.admin = await server.token(unique("admin"), "ADMIN");
});
afterAll(async () => {
  try {
    // The scan of the last test below, once more over every response of the file: whatever order the
    // tests ran in, those that ran after that test were recorded too.
    if (recorder) expect(recorder.leaks()).toEqual([]);
  } finally {
    await server?.stop();
  }
});

/** A published article of this test's own (by the writer, published by the editor). */
async function article(input: Partial<CreateArticleInput> = {}) {
  const created = await api.request(
    NewsroomCreateArticleDocument,
    { input: { title: `Open thread ${unique("a")}`, body: "Tell us what you think.", ...input } },
    { token: tokens.writer },
  );
  const id = ok(created).createArticle.id;
  const res = await api.request(NewsroomPublishArticleDocument, { id }, { token: tokens.editor });
  return ok(res).publishArticle;
}

async function add(input: AddCommentInput, token?: string) {
  return api.request(NewsroomAddCommentDocument, { input }, { token });
}

async function added(input: AddCommentInput) {
  return ok(await add(input)).addComment.comment;
}

async function commentRows(): Promise<number> {
  const [{ n }] = await server.db.query<{ n: number }>("SELECT count(*)::int AS n FROM comments");
  return n;
}

const dbId = (globalId: string) => parseGlobalId(globalId)!.id;

async function thread(articleId: string, token?: string) {
  return ok(await api.request(NewsroomArticleDocument, { id: articleId }, { token })).article!;
}

describe("accepted comments", () => {
  test("a valid comment on a published article is APPROVED at once and public, stored as submitted", async () => {
    const a = await article();
    const email = uniqueEmail("ada");
    clock.advance(1000);
    const c = await added({
      articleId: a.id,
      authorName: "  Ada Lovelace  ",
      email: `  ${email}  `,
      website: "  https://ada.example/notes  ",
      body: "<script>alert(1)</script> & <b>bold</b> claims need *evidence*.",
    });
    expect(c).toMatchObject({
      authorName: "Ada Lovelace",
      website: "https://ada.example/notes",
      body: "<script>alert(1)</script> & <b>bold</b> claims need *evidence*.",
      status: "APPROVED",
      createdAt: clock.now().toISOString(),
      parent: null,
      article: { id: a.id },
    });
    const [row] = await server.db.query("SELECT email, website FROM comments WHERE id = $1", [dbId(c.id)]);
    expect(row.email).toBe(email); // kept for moderation, trimmed

    const t = await thread(a.id);
    expect(t.commentCount).toBe(1);
    expect(t.comments.totalCount).toBe(1);
    expect(t.comments.nodes).toEqual([expect.objectContaining({ id: c.id, body: c.body, status: "APPROVED" })]);
    const node = ok(await api.request(NewsroomNodeDocument, { id: c.id })).node;
    expect(node).toMatchObject({ __typename: "Comment", id: c.id, commentStatus: "APPROVED" });
  });

  test("limits are inclusive: 80-character name, 254-character email, 5,000-character body; an empty website is none", async () => {
    const a = await article();
    const email = `${"x".repeat(254 - "@example.com".length)}@example.com`;
    expect(email).toHaveLength(254);
    const c = await added(
      commentInput(a.id, { authorName: "n".repeat(80), email, body: "b".repeat(5000), website: "" }),
    );
    expect(c).toMatchObject({ status: "APPROVED", website: null });
    expect(c.authorName).toHaveLength(80);
    expect(c.body).toHaveLength(5000);
    const plainHttp = await added(commentInput(a.id, { website: "http://plain.example/" }));
    expect(plainHttp.website).toBe("http://plain.example/");
  });

  test("comments from signed-in staff follow the same rules", async () => {
    const a = await article();
    const c = ok(await add(commentInput(a.id), tokens.writer)).addComment.comment;
    expect(c.status).toBe("APPROVED");
  });

  test("a reply to an approved comment is threaded under it, and counted", async () => {
    const a = await article();
    const top = await added(commentInput(a.id));
    const reply = await added(commentInput(a.id, { parentId: top.id, body: "Replying here." }));
    expect(reply).toMatchObject({ status: "APPROVED", parent: { id: top.id }, article: { id: a.id } });
    const t = await thread(a.id);
    expect(t.commentCount).toBe(2);
    expect(t.comments.totalCount).toBe(1);
    expect(t.comments.nodes[0]!.replies.nodes.map((r) => r.id)).toEqual([reply.id]);
    expect(t.comments.nodes[0]!.replies.totalCount).toBe(1);
  });

  test("replies nest five deep and no deeper: BAD_USER_INPUT naming parentId", async () => {
    const a = await article();
    const chain = [await added(commentInput(a.id, { body: "depth 0" }))];
    for (let depth = 1; depth <= 5; depth++) {
      chain.push(await added(commentInput(a.id, { parentId: chain[depth - 1]!.id, body: `depth ${depth}` })));
    }
    expect(chain.map((c) => c.status)).toEqual(Array(6).fill("APPROVED"));
    const before = await commentRows();
    const tooDeep = await add(commentInput(a.id, { parentId: chain[5]!.id, body: "depth 6" }));
    expectError(tooDeep, "BAD_USER_INPUT", ["parentId"]);
    expect(await commentRows()).toBe(before);
    expect((await thread(a.id)).commentCount).toBe(6);
    // Three levels down through the nested lists, as a client walks them.
    const walk = ok(await api.request(NewsroomCommentCountDocument, { id: a.id })).article!;
    expect(walk.comments.nodes[0]!.replies.nodes[0]!.replies.nodes[0]!.id).toBe(chain[2]!.id);
  });

  test("a parent must be an approved comment of the same article", async () => {
    const a = await article();
    const other = await article();
    const held = await added(commentInput(a.id, { honeypot: "http://bot.example" }));
    expect(held.status).toBe("PENDING");
    const rejected = await added(commentInput(a.id));
    ok(
      await api.request(
        NewsroomModerateCommentDocument,
        { id: rejected.id, status: "REJECTED" },
        { token: tokens.editor },
      ),
    );
    const elsewhere = await added(commentInput(other.id));
    const before = await commentRows();
    for (const parentId of [held.id, rejected.id, elsewhere.id, toGlobalId("Comment", 999_999)]) {
      expectError(await add(commentInput(a.id, { parentId })), "BAD_USER_INPUT", ["parentId"]);
    }
    expect(await commentRows()).toBe(before);
  });
});

describe("bad input is BAD_USER_INPUT naming each field, and stores nothing", () => {
  const cases: [string, Partial<AddCommentInput>, string[]][] = [
    ["an empty name", { authorName: "" }, ["authorName"]],
    ["a blank name", { authorName: "  \t " }, ["authorName"]],
    ["an 81-character name", { authorName: "n".repeat(81) }, ["authorName"]],
    ["an empty email", { email: "" }, ["email"]],
    ["a blank email", { email: "   " }, ["email"]],
    ["an email without @", { email: "ada.example.com" }, ["email"]],
    ["an email without a domain dot", { email: "ada@localhost" }, ["email"]],
    ["an email with two @", { email: "ada@@example.com" }, ["email"]],
    ["an email with a space", { email: "ada lovelace@example.com" }, ["email"]],
    ["a 255-character email", { email: `${"x".repeat(255 - "@example.com".length)}@example.com` }, ["email"]],
    ["a javascript: website", { website: "javascript:alert(1)" }, ["website"]],
    ["an ftp website", { website: "ftp://files.example/x" }, ["website"]],
    ["a website without a scheme", { website: "ada.example" }, ["website"]],
    ["a data: website", { website: "data:text/html,<b>x</b>" }, ["website"]],
    ["an empty body", { body: "" }, ["body"]],
    ["a blank body", { body: " \n\n " }, ["body"]],
    ["a 5,001-character body", { body: "b".repeat(5001) }, ["body"]],
    ["a NUL in the body", { body: "nul\u0000here" }, ["body"]],
    ["a malformed article id", { articleId: "not-an-id" }, ["articleId"]],
    ["a topic id as article id", { articleId: toGlobalId("Topic", 1) }, ["articleId"]],
    ["a malformed parent id", { parentId: "nope" }, ["parentId"]],
    ["an article id as parent id", { parentId: toGlobalId("Article", 1) }, ["parentId"]],
    ["an empty idempotency key", { idempotencyKey: "" }, ["idempotencyKey"]],
    ["a 129-character idempotency key", { idempotencyKey: "k".repeat(129) }, ["idempotencyKey"]],
    [
      "everything wrong at once",
      { authorName: "", email: "nope", website: "ftp://x.example", body: "" },
      ["authorName", "email", "website", "body"],
    ],
  ];
  let articleId: string;
  beforeAll(async () => {
    articleId = (await article()).id;
  });

  test.each(cases)("%s", async (_, override, fields) => {
    const before = await commentRows();
    const res = await add(commentInput(articleId, override));
    const error = expectError(res, "BAD_USER_INPUT", fields);
    expect(res.data).toBeNull();
    expect(error.message).not.toMatch(/@/);
    expect(await commentRows()).toBe(before);
  });
});

describe("where comments are refused", () => {
  test("an unknown article is NOT_FOUND", async () => {
    expectError(await add(commentInput(toGlobalId("Article", 999_999))), "NOT_FOUND");
  });

  test("an article with commentsOpen=false is FORBIDDEN until an editor opens it", async () => {
    const seeded = ok(
      await api.request(NewsroomArticleDocument, { slug: "library-hours-budget-consultation" }),
    ).article!;
    expect(seeded.commentsOpen).toBe(false);
    const before = await commentRows();
    expectError(await add(commentInput(seeded.id)), "FORBIDDEN");
    expectError(await add(commentInput(seeded.id), tokens.editor), "FORBIDDEN");

    const closed = await article({ commentsOpen: false });
    expectError(await add(commentInput(closed.id)), "FORBIDDEN");
    expect(await commentRows()).toBe(before);
    ok(
      await api.request(
        NewsroomUpdateArticleDocument,
        { id: closed.id, input: { commentsOpen: true } },
        { token: tokens.editor },
      ),
    );
    expect((await added(commentInput(closed.id))).status).toBe("APPROVED");
  });

  test("unpublished articles take no comments: FORBIDDEN for those who can see them, NOT_FOUND for the rest", async () => {
    const create = async () =>
      ok(
        await api.request(
          NewsroomCreateArticleDocument,
          { input: { title: `Not live ${unique("n")}`, body: "Soon." } },
          { token: tokens.writer },
        ),
      ).createArticle.id;
    const draft = await create();
    const scheduled = await create();
    ok(
      await api.request(
        NewsroomPublishArticleDocument,
        { id: scheduled, at: new Date(clock.now().getTime() + DAY).toISOString() },
        { token: tokens.editor },
      ),
    );
    const archived = (await article()).id;
    ok(await api.request(NewsroomArchiveArticleDocument, { id: archived }, { token: tokens.editor }));

    const before = await commentRows();
    for (const id of [draft, scheduled, archived]) {
      // Readers must not learn that an unpublished article exists (it is hidden from them on every path).
      expectError(await add(commentInput(id)), "NOT_FOUND");
      // Its byline author and editors can see it, and are told why.
      expectError(await add(commentInput(id), tokens.writer), "FORBIDDEN");
      expectError(await add(commentInput(id), tokens.editor), "FORBIDDEN");
    }
    expect(await commentRows()).toBe(before);
  });
});

describe("spam rules hold a comment as PENDING in post moderation", () => {
  let articleId: string;
  beforeAll(async () => {
    articleId = (await article()).id;
  });

  test.each([
    ["more than 2 links", "See https://a.example/1 and http://b.example/2 and www.c.example too", "PENDING"],
    ["exactly 2 links", "See https://a.example/1 and www.b.example/2, nothing more", "APPROVED"],
    ["a banned word", "Best casino odds in town", "PENDING"],
    ["a banned word in capitals, with punctuation", "Cheap VIAGRA!", "PENDING"],
    ["no banned word", "The casual reader approves", "APPROVED"],
  ])("%s: %s", async (_, body, status) => {
    expect((await added(commentInput(articleId, { body }))).status).toBe(status);
  });

  test("a filled honeypot holds it; an empty one does not", async () => {
    expect((await added(commentInput(articleId, { honeypot: "I am a bot" }))).status).toBe("PENDING");
    expect((await added(commentInput(articleId, { honeypot: "" }))).status).toBe("APPROVED");
    expect((await added(commentInput(articleId, { honeypot: null }))).status).toBe("APPROVED");
  });

  test("the same body from the same sender within 24 hours is held, on any article, however the address is written", async () => {
    const other = (await article()).id;
    const email = uniqueEmail("repeat");
    const body = `Copy-paste campaign ${unique("b")}`;
    expect((await added(commentInput(articleId, { email, body }))).status).toBe("APPROVED");
    expect((await added(commentInput(articleId, { email, body }))).status).toBe("PENDING");
    expect((await added(commentInput(other, { email: email.toUpperCase(), body }))).status).toBe("PENDING");
    expect((await added(commentInput(other, { email: email.replace("@", "+again@"), body }))).status).toBe("PENDING");
    // Another address may say the same thing, and the same address something else.
    expect((await added(commentInput(articleId, { body }))).status).toBe("APPROVED");
    expect((await added(commentInput(articleId, { email, body: `${body}, again` }))).status).toBe("APPROVED");
    clock.advance(DAY - 1000);
    expect((await added(commentInput(articleId, { email, body }))).status).toBe("PENDING");
    clock.advance(DAY + 1000);
    expect((await added(commentInput(articleId, { email, body }))).status).toBe("APPROVED");
  });

  test("a prober copying a public comment learns nothing from a right or a wrong guess of its address", async () => {
    const email = uniqueEmail("victim");
    const body = `My own words ${unique("b")}`;
    expect((await added(commentInput((await article()).id, { email, body }))).status).toBe("APPROVED");
    // From another client address, on another article: the answers are the same (but for the new
    // comment's own id and time), and so is what the public thread then shows.
    const target = await article();
    const answer = async (guess: string) => {
      const res = await api.request(
        NewsroomAddCommentDocument,
        { input: commentInput(target.id, { email: guess, body }) },
        { headers: { "x-forwarded-for": "203.0.113.7" } },
      );
      const { id, createdAt: _, ...rest } = ok(res).addComment.comment;
      const visible = (await thread(target.id)).comments.nodes.some((n) => n.id === id);
      return { status: res.status, errors: res.errors, comment: rest, visible };
    };
    const right = await answer(email);
    const wrong = await answer(uniqueEmail("guess"));
    expect(wrong).toEqual(right);
    expect(right).toMatchObject({ comment: { status: "APPROVED" }, visible: true });
  });

  test("held comments are out of every public list and count, but an editor can reach them", async () => {
    const a = await article();
    const held = await added(commentInput(a.id, { body: "www.a.example www.b.example www.c.example" }));
    expect(held.status).toBe("PENDING");
    const t = await thread(a.id);
    expect([t.commentCount, t.comments.totalCount]).toEqual([0, 0]);
    expect(ok(await api.request(NewsroomNodeDocument, { id: held.id })).node).toBeNull();
    expect(ok(await api.request(NewsroomNodeDocument, { id: held.id }, { token: tokens.writer })).node).toBeNull();
    const forEditor = ok(await api.request(NewsroomNodeDocument, { id: held.id }, { token: tokens.editor })).node;
    expect(forEditor).toMatchObject({ id: held.id, commentStatus: "PENDING" });
  });
});

describe("moderateComment", () => {
  test("anonymous callers are UNAUTHENTICATED and writers FORBIDDEN, even on their own article", async () => {
    const a = await article();
    const held = await added(commentInput(a.id, { honeypot: "x" }));
    expectError(
      await api.request(NewsroomModerateCommentDocument, { id: held.id, status: "APPROVED" }),
      "UNAUTHENTICATED",
    );
    expectError(
      await api.request(NewsroomModerateCommentDocument, { id: held.id, status: "APPROVED" }, { token: tokens.writer }),
      "FORBIDDEN",
    );
    const [row] = await server.db.query("SELECT status FROM comments WHERE id = $1", [dbId(held.id)]);
    expect(row.status).toBe("PENDING");
  });

  test("editors and admins move a comment between every status; counts and lists follow", async () => {
    const a = await article();
    const top = await added(commentInput(a.id));
    const c = await added(commentInput(a.id, { parentId: top.id, honeypot: "x" }));
    expect(c.status).toBe("PENDING");
    const steps: [CommentStatus, "editor" | "admin", number][] = [
      ["APPROVED", "editor", 2],
      ["REJECTED", "editor", 1],
      ["APPROVED", "admin", 2],
      ["SPAM", "admin", 1],
      ["PENDING", "editor", 1],
      ["APPROVED", "admin", 2],
      ["APPROVED", "editor", 2], // already approved: no change
    ];
    for (const [status, who, count] of steps) {
      const res = await api.request(NewsroomModerateCommentDocument, { id: c.id, status }, { token: tokens[who] });
      expect(ok(res).moderateComment).toMatchObject({ id: c.id, status, parent: { id: top.id } });
      const t = await thread(a.id);
      expect(t.commentCount).toBe(count);
      const replies = t.comments.nodes[0]!.replies;
      expect(replies.totalCount).toBe(count - 1);
      expect(replies.nodes.map((r) => r.id)).toEqual(status === "APPROVED" ? [c.id] : []);
      const [row] = await server.db.query("SELECT status FROM comments WHERE id = $1", [dbId(c.id)]);
      expect(row.status).toBe(status);
    }
  });

  test("rejecting a top-level comment takes it out of the thread and the count", async () => {
    const a = await article();
    const first = await added(commentInput(a.id));
    const second = await added(commentInput(a.id));
    ok(await api.request(NewsroomModerateCommentDocument, { id: first.id, status: "SPAM" }, { token: tokens.editor }));
    const t = await thread(a.id);
    expect(t.comments.nodes.map((n) => n.id)).toEqual([second.id]);
    expect(t.commentCount).toBe(1);
    expect(ok(await api.request(NewsroomNodeDocument, { id: first.id })).node).toBeNull();
  });

  test("unknown ids are NOT_FOUND; malformed or foreign ids and unknown statuses are BAD_USER_INPUT", async () => {
    const opts = { token: tokens.editor };
    expectError(
      await api.request(
        NewsroomModerateCommentDocument,
        { id: toGlobalId("Comment", 999_999), status: "APPROVED" },
        opts,
      ),
      "NOT_FOUND",
    );
    for (const id of ["garbage", toGlobalId("Article", 1)]) {
      expectError(
        await api.request(NewsroomModerateCommentDocument, { id, status: "APPROVED" }, opts),
        "BAD_USER_INPUT",
        ["id"],
      );
    }
    const res = await api.request(
      NewsroomModerateCommentDocument,
      { id: toGlobalId("Comment", 1), status: "DELETED" as CommentStatus },
      opts,
    );
    expectError(res, "BAD_USER_INPUT");
  });
});

describe("idempotent retries", () => {
  test("a retry with the same key returns the first comment and stores nothing new", async () => {
    const a = await article();
    const input = commentInput(a.id, { idempotencyKey: unique("key") });
    const first = await added(input);
    clock.advance(5000);
    const before = await commentRows();
    const retry = await added({ ...input });
    expect(retry).toEqual(first);
    expect(await commentRows()).toBe(before);
    // The retry is not "the same body again" for the spam rule: it stays APPROVED.
    expect(retry.status).toBe("APPROVED");
    expect((await thread(a.id)).commentCount).toBe(1);
  });

  test.each([
    ["body", { body: "Something else entirely." }],
    ["name", { authorName: "Someone Else" }],
    ["website", { website: "https://else.example" }],
  ] as const)("the same key with a different %s is CONFLICT, and stores nothing", async (_, change) => {
    const a = await article();
    const input = commentInput(a.id, { idempotencyKey: unique("key") });
    const first = await added(input);
    const before = await commentRows();
    const error = expectError(await add({ ...input, ...change }), "CONFLICT");
    expect(error.message).not.toMatch(/@/);
    expect(await commentRows()).toBe(before);
    expect((await thread(a.id)).comments.nodes.map((n) => n.id)).toEqual([first.id]);
  });

  test("the same key and content with another address answers exactly as with the right one", async () => {
    const a = await article();
    const input = commentInput(a.id, { idempotencyKey: unique("key") });
    const first = await added(input);
    const before = await commentRows();
    const answer = async (email: string) => {
      const res = await add({ ...input, email });
      return { status: res.status, data: res.data, errors: res.errors };
    };
    const right = await answer(input.email);
    const wrong = await answer(uniqueEmail("guess"));
    expect(wrong).toEqual(right);
    expect(right.data!.addComment.comment).toEqual(first);
    expect(await commentRows()).toBe(before);
  });

  test("racing identical retries store exactly one comment and all answer with it", async () => {
    const a = await article();
    const key = unique("race");
    const input = commentInput(a.id, { idempotencyKey: key });
    const results = await Promise.all(Array.from({ length: 10 }, () => add({ ...input })));
    const comments = results.map((r) => ok(r).addComment.comment);
    expect(new Set(comments.map((c) => c.id)).size).toBe(1);
    expect(comments.map((c) => c.status)).toEqual(Array(10).fill("APPROVED"));
    const rows = await server.db.query("SELECT id FROM comments WHERE idempotency_key = $1", [key]);
    expect(rows).toHaveLength(1);
    expect(toGlobalId("Comment", rows[0].id)).toBe(comments[0]!.id);
    expect((await thread(a.id)).commentCount).toBe(1);
  });

  test("racing requests with one key and different bodies: one stores, the others are CONFLICT", async () => {
    const a = await article();
    const key = unique("race");
    const base = commentInput(a.id, { idempotencyKey: key });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => add({ ...base, body: `Variant number ${i}` })),
    );
    const winners = results.filter((r) => !r.errors);
    expect(winners).toHaveLength(1);
    for (const r of results.filter((x) => x.errors)) expectError(r, "CONFLICT");
    const rows = await server.db.query("SELECT id, body FROM comments WHERE idempotency_key = $1", [key]);
    expect(rows).toHaveLength(1);
    expect(rows[0].body).toBe(winners[0]!.data!.addComment.comment.body);
  });
});

describe("the commenter's email never leaves the server", () => {
  test("no output field, argument or description mentions email; the only email is AddCommentInput.email", async () => {
    const res = await api.post({ query: getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }) });
    expect(res.status).toBe(200);
    const schema = (res.json.data as IntrospectionQuery).__schema;
    const mentions = (s: string | null | undefined) => /e-?mail|gravatar/i.test(s ?? "");
    const found: string[] = [];
    for (const type of schema.types) {
      if (type.name.startsWith("__")) continue;
      if (mentions(type.name)) found.push(type.name);
      if (mentions(type.description)) found.push(`${type.name} (description)`);
      const fields: readonly (IntrospectionField | IntrospectionInputValue)[] =
        type.kind === "OBJECT" || type.kind === "INTERFACE"
          ? type.fields
          : type.kind === "INPUT_OBJECT"
            ? type.inputFields
            : [];
      for (const field of fields) {
        const where = `${type.name}.${field.name}`;
        if (mentions(field.name)) found.push(where);
        if (mentions(field.description)) found.push(`${where} (description)`);
        for (const arg of "args" in field ? field.args : []) {
          if (mentions(arg.name) || mentions(arg.description)) found.push(`${where}(${arg.name})`);
        }
      }
      for (const value of type.kind === "ENUM" ? type.enumValues : []) {
        if (mentions(value.name) || mentions(value.description)) found.push(`${type.name}.${value.name}`);
      }
    }
    expect(found).toContain("AddCommentInput.email");
    expect(found.filter((f) => !f.startsWith("AddCommentInput.email"))).toEqual([]);
    const input = schema.types.find((t) => t.name === "AddCommentInput")!;
    expect(input.kind).toBe("INPUT_OBJECT");
    // Nothing that could carry a derived form of it either.
    const comment = schema.types.find((t) => t.name === "Comment")!;
    const names = comment.kind === "OBJECT" ? comment.fields.map((f) => f.name) : [];
    expect(names).toEqual(expect.arrayContaining(["id", "authorName", "body", "website", "status"]));
    expect(names.filter((n) => /hash|avatar|contact|address/i.test(n))).toEqual([]);
  });

  test("editors reading comments through every path see no address either", async () => {
    const a = await article();
    const email = uniqueEmail("private");
    const top = await added(commentInput(a.id, { email, idempotencyKey: unique("k") }));
    const reply = await added(commentInput(a.id, { email, parentId: top.id, honeypot: "bot" }));
    for (const token of [undefined, tokens.writer, tokens.editor, tokens.admin]) {
      await api.request(NewsroomArticleDocument, { id: a.id }, { token });
      await api.request(NewsroomNodeDocument, { id: top.id }, { token });
      await api.request(NewsroomNodeDocument, { id: reply.id }, { token });
    }
    await api.request(NewsroomModerateCommentDocument, { id: reply.id, status: "APPROVED" }, { token: tokens.admin });
    await api.request(NewsroomCommentCountDocument, { id: a.id }, { token: tokens.editor });
    // A raw query asking for an email field is refused without echoing anything.
    const res = await api.post(
      { query: `{ node(id: "${top.id}") { ... on Comment { email } } }` },
      { token: tokens.admin },
    );
    expect(res.status).toBe(400);
    expect(res.json.errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  // the error formatter stops echoing input values.
  test("a malformed addComment request does not echo the email in its error", async () => {
    const a = await article();
    const email = uniqueEmail("echo");
    const res = await server.post({
      query: "mutation ($input: AddCommentInput!) { addComment(input: $input) { comment { id } } }",
      variables: { input: { articleId: a.id, authorName: "Echo", email } }, // body missing
    });
    expect(res.json.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(JSON.stringify(res.json)).not.toContain(email);
  });

  test("no response of this file contains any submitted address, hashed or not", async () => {
    // Traffic of this test's own through every path an address goes in by or a comment comes out of
    // (accepted, retried with another address, conflicting, held, refused, moderated, read by every
    // role), so the scan has enough to look at whichever tests ran before it. It scans those tests'
    // responses too; afterAll scans the whole file's once more.
    const a = await article();
    for (let i = 0; i < 22; i++) {
      const input = commentInput(a.id, { email: uniqueEmail("probe"), idempotencyKey: unique("probe") });
      const top = await added(input);
      expect(await added({ ...input, email: uniqueEmail("probe-guess") })).toEqual(top);
      expectError(await add({ ...input, body: `${input.body} (edited)` }), "CONFLICT");
      const held = await added(
        commentInput(a.id, { email: uniqueEmail("probe"), parentId: top.id, honeypot: "http://bot.example" }),
      );
      expect(held.status).toBe("PENDING");
      expectError(await add(commentInput(a.id, { email: uniqueEmail("probe"), body: "" })), "BAD_USER_INPUT", ["body"]);
      ok(
        await api.request(
          NewsroomModerateCommentDocument,
          { id: held.id, status: "APPROVED" },
          { token: tokens.editor },
        ),
      );
      for (const token of [undefined, tokens.writer, tokens.editor, tokens.admin]) {
        expect(ok(await api.request(NewsroomNodeDocument, { id: held.id }, { token })).node).toMatchObject({
          id: held.id,
        });
      }
      expect((await thread(a.id)).commentCount).toBe(2 * (i + 1));
    }

    const submitted = [...recorder.submitted];
    expect(submitted.length).toBeGreaterThan(80);
    expect(recorder.responses.length).toBeGreaterThan(200);
    expect(recorder.leaks()).toEqual([]);
  });
});
