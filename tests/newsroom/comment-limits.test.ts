/**
 * Pre-moderation and the comment rate limit, on a server configured with
 * COMMENT_MODERATION=pre, a limit of 3 comments per 60 s, and TRUST_PROXY on,
 * so that each test can speak from client addresses of its own through
 * X-Forwarded-For. The clock is a ManualClock: windows pass without sleeping.
 * Every response is scanned for the submitted addresses, as in
 * comments.test.ts: by a test (after traffic of its own) and after the last test.
 */
import { ConfigError, loadConfig } from "../../src/config";
import { ManualClock } from "../../src/shared/clock";
import { commentInput, expectError, ok, recording, unique, uniqueEmail } from "../factories/newsroom";
import {
  NewsroomAddCommentDocument,
  NewsroomArticleDocument,
  NewsroomCreateArticleDocument,
  NewsroomModerateCommentDocument,
  NewsroomPublishArticleDocument,
  type AddCommentInput,
} from "../generated/graphql";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

const LIMIT = 3;
const WINDOW_SECONDS = 60;
const clock = new ManualClock(new Date());
let server: TestServer;
let recorder: ReturnType<typeof recording>;
let api: ReturnType<typeof recording>["client"];
let editor: string;
let articleId: string;

let ipSequence = 0;
/** A client address no other test of this file uses. */
const freshIp = () => `198.51.100.${++ipSequence}`;

beforeAll(async () => {
  server = await startTestServer(
    {
      commentModeration: "pre",
      commentRateLimit: LIMIT,
      commentRateWindowSeconds: WINDOW_SECONDS,
      trustProxy: true,
    },
    { clock },
  );
  recorder = recording(server);
  api = recorder.client;
  editor = await server.token("maya-okafor", "EDITOR");
  articleId = await newArticle();
});
afterAll(async () => {
  try {
    // The last test's scan once more, over the responses of every test (also those that ran after it).
    if (recorder) expect(recorder.leaks()).toEqual([]);
  } finally {
    await server?.stop();
  }
});

async function newArticle(): Promise<string> {
  const created = await api.request(
    NewsroomCreateArticleDocument,
    { input: { title: `Moderated ${unique("a")}`, body: "Have your say." } },
    { token: editor },
  );
  const id = ok(created).createArticle.id;
  ok(await api.request(NewsroomPublishArticleDocument, { id }, { token: editor }));
  return id;
}

const add = (input: AddCommentInput, ip: string, token?: string) =>
  api.request(NewsroomAddCommentDocument, { input }, { token, headers: { "x-forwarded-for": `${ip}, 10.0.0.1` } });

async function rows(): Promise<number> {
  const [{ n }] = await server.db.query<{ n: number }>("SELECT count(*)::int AS n FROM comments");
  return n;
}

function expectRateLimited(res: Awaited<ReturnType<typeof add>>, retryAfterSeconds: number) {
  const error = expectError(res, "RATE_LIMITED");
  expect(res.status).toBe(200);
  expect(error.extensions!.retryAfterSeconds).toBe(retryAfterSeconds);
  expect(res.data).toBeNull();
}

describe("configuration", () => {
  test("defaults: post moderation, 5 comments per 60 s, no banned words", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ commentModeration: "post", commentRateLimit: 5, commentRateWindowSeconds: 60 });
    expect(config.bannedWords).toEqual([]);
  });

  test("COMMENT_* variables are parsed, and bad values refused", () => {
    const config = loadConfig({
      COMMENT_MODERATION: "pre",
      COMMENT_RATE_LIMIT: "2",
      COMMENT_RATE_WINDOW_SECONDS: "30",
      COMMENT_BANNED_WORDS: " Casino, spam ,,",
    });
    expect(config).toMatchObject({ commentModeration: "pre", commentRateLimit: 2, commentRateWindowSeconds: 30 });
    expect(config.bannedWords).toEqual(["casino", "spam"]);
    expect(() => loadConfig({ COMMENT_MODERATION: "later" })).toThrow(ConfigError);
    expect(() => loadConfig({ COMMENT_RATE_LIMIT: "0" })).toThrow(ConfigError);
    expect(() => loadConfig({ COMMENT_RATE_WINDOW_SECONDS: "soon" })).toThrow(ConfigError);
  });
});

describe("pre-moderation", () => {
  test("every comment waits as PENDING, staff's included, until an editor approves it", async () => {
    const a = await newArticle();
    const ip = freshIp();
    const first = ok(await add(commentInput(a, { body: "Clean and polite." }), ip)).addComment.comment;
    const staff = ok(await add(commentInput(a), ip, editor)).addComment.comment;
    expect([first.status, staff.status]).toEqual(["PENDING", "PENDING"]);
    let thread = ok(await api.request(NewsroomArticleDocument, { id: a })).article!;
    expect([thread.commentCount, thread.comments.totalCount]).toEqual([0, 0]);

    // Not approved yet, so not something to reply to.
    expectError(await add(commentInput(a, { parentId: first.id }), ip), "BAD_USER_INPUT", ["parentId"]);

    const approved = await api.request(
      NewsroomModerateCommentDocument,
      { id: first.id, status: "APPROVED" },
      { token: editor },
    );
    expect(ok(approved).moderateComment.status).toBe("APPROVED");
    thread = ok(await api.request(NewsroomArticleDocument, { id: a })).article!;
    expect(thread.commentCount).toBe(1);
    expect(thread.comments.nodes.map((c) => c.id)).toEqual([first.id]);

    const reply = ok(await add(commentInput(a, { parentId: first.id }), freshIp())).addComment.comment;
    expect(reply).toMatchObject({ status: "PENDING", parent: { id: first.id } });
    expect(ok(await api.request(NewsroomArticleDocument, { id: a })).article!.commentCount).toBe(1);
  });
});

describe("rate limit", () => {
  test(`at most ${LIMIT} comments per client address per window; the window passes and it resets`, async () => {
    const ip = freshIp();
    for (let i = 0; i < LIMIT; i++) ok(await add(commentInput(articleId), ip));
    const before = await rows();
    const refused = await add(commentInput(articleId), ip);
    expectRateLimited(refused, WINDOW_SECONDS);
    expect(refused.errors![0]!.message).not.toMatch(/@/);
    expect(await rows()).toBe(before);

    // Another address is not affected.
    ok(await add(commentInput(articleId), freshIp()));

    clock.advance(45_000);
    expectRateLimited(await add(commentInput(articleId), ip), 15);
    clock.advance(15_000);
    const again = ok(await add(commentInput(articleId), ip)).addComment.comment;
    expect(again.status).toBe("PENDING");
  });

  test(`at most ${LIMIT} comments per email per window, whatever the address and letter case`, async () => {
    clock.advance(WINDOW_SECONDS * 1000);
    const email = uniqueEmail("busy");
    ok(await add(commentInput(articleId, { email }), freshIp()));
    ok(await add(commentInput(articleId, { email: email.toUpperCase() }), freshIp()));
    ok(await add(commentInput(articleId, { email }), freshIp()));
    const before = await rows();
    expectRateLimited(await add(commentInput(articleId, { email }), freshIp()), WINDOW_SECONDS);
    expectRateLimited(
      await add(commentInput(articleId, { email: ` ${email.toUpperCase()} ` }), freshIp()),
      WINDOW_SECONDS,
    );
    expect(await rows()).toBe(before);
    // Other people keep commenting.
    ok(await add(commentInput(articleId), freshIp()));
    clock.advance(WINDOW_SECONDS * 1000);
    ok(await add(commentInput(articleId, { email }), freshIp()));
  });

  test("the per-email limit counts plus-tags, letter case and full-width forms as one commenter", async () => {
    clock.advance(WINDOW_SECONDS * 1000);
    const local = unique("tagged").replace(/-/g, "");
    const fullWidth = [...local].map((c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0)).join("");
    const forms = [`${local}+1@example.com`, `${local.toUpperCase()}+2@Example.COM`, `${fullWidth}@example.com`];
    for (const email of forms) ok(await add(commentInput(articleId, { email }), freshIp()));
    expectRateLimited(
      await add(commentInput(articleId, { email: `${local}+3@example.com` }), freshIp()),
      WINDOW_SECONDS,
    );
    expectRateLimited(await add(commentInput(articleId, { email: `${local}@example.com` }), freshIp()), WINDOW_SECONDS);
    // Stored as given, for the moderators.
    const stored = await server.db.query<{ email: string }>("SELECT email FROM comments WHERE email = ANY($1)", [
      forms,
    ]);
    expect(stored.map((r) => r.email).sort()).toEqual([...forms].sort());
    // Dots are kept: another address, another commenter.
    ok(await add(commentInput(articleId, { email: `${local.slice(0, 3)}.${local.slice(3)}@example.com` }), freshIp()));
  });

  test("a refused comment resent with its key is refused again: of 15 sends, each refused one resent, the limit's are stored", async () => {
    const ip = freshIp();
    const before = await rows();
    let refused = 0;
    for (let i = 0; i < 15; i++) {
      const input = commentInput(articleId, { idempotencyKey: unique("resend") });
      const res = await add(input, ip);
      if (!res.errors) continue;
      refused++;
      expectRateLimited(res, WINDOW_SECONDS);
      expectRateLimited(await add({ ...input }, ip), WINDOW_SECONDS);
    }
    expect(refused).toBe(15 - LIMIT);
    expect(await rows()).toBe(before + LIMIT);
  });

  test("the limit holds under concurrency: of 8 simultaneous comments from one address, 3 are stored", async () => {
    const ip = freshIp();
    const before = await rows();
    const results = await Promise.all(Array.from({ length: 8 }, () => add(commentInput(articleId), ip)));
    const stored = results.filter((r) => !r.errors);
    expect(stored).toHaveLength(LIMIT);
    for (const r of results.filter((x) => x.errors)) expectRateLimited(r, WINDOW_SECONDS);
    expect(await rows()).toBe(before + LIMIT);
  });

  test("a retry with an idempotency key is answered from the first comment, even with the limit used up", async () => {
    const ip = freshIp();
    const input = commentInput(articleId, { idempotencyKey: unique("key") });
    const first = ok(await add(input, ip)).addComment.comment;
    for (let i = 1; i < LIMIT; i++) ok(await add(commentInput(articleId), ip));
    expectRateLimited(await add(commentInput(articleId), ip), WINDOW_SECONDS);
    const before = await rows();
    const retry = ok(await add({ ...input }, ip)).addComment.comment;
    expect(retry).toEqual(first);
    expect(await rows()).toBe(before);
  });

  test("racing retries that arrive with one slot left all answer with the first comment", async () => {
    const ip = freshIp();
    for (let i = 1; i < LIMIT; i++) ok(await add(commentInput(articleId), ip));
    const input = commentInput(articleId, { idempotencyKey: unique("last-slot") });
    const results = await Promise.all([0, 1, 2, 3].map(() => add({ ...input }, ip)));
    expect(results.map((r) => r.errors?.[0]?.extensions?.code ?? "ok")).toEqual(["ok", "ok", "ok", "ok"]);
    expect(new Set(results.map((r) => r.data!.addComment.comment.id)).size).toBe(1);
  });

  test("racing identical retries under pre-moderation store one PENDING comment", async () => {
    const key = unique("race");
    const input = commentInput(articleId, { idempotencyKey: key });
    const results = await Promise.all([0, 1].map(() => add({ ...input }, freshIp())));
    const comments = results.map((r) => ok(r).addComment.comment);
    expect(comments[0]).toEqual(comments[1]);
    expect(comments[0]!.status).toBe("PENDING");
    const stored = await server.db.query("SELECT status FROM comments WHERE idempotency_key = $1", [key]);
    expect(stored).toEqual([{ status: "PENDING" }]);
  });
});

test("no response of this file contains any submitted address, hashed or not", async () => {
  // Traffic of this test's own (held, refused by the address limit and by the email limit, approved,
  // read), so the scan has enough to look at whichever tests ran before it; it scans theirs too.
  const a = await newArticle();
  for (let i = 0; i < 5; i++) {
    const ip = freshIp();
    const held = [];
    for (let n = 0; n < LIMIT; n++) held.push(ok(await add(commentInput(a), ip)).addComment.comment);
    expect(held.map((c) => c.status)).toEqual(Array(LIMIT).fill("PENDING"));
    expectRateLimited(await add(commentInput(a), ip), WINDOW_SECONDS);
    const email = uniqueEmail("probe");
    for (let n = 0; n < LIMIT; n++) ok(await add(commentInput(a, { email }), freshIp()));
    expectRateLimited(await add(commentInput(a, { email: email.toUpperCase() }), freshIp()), WINDOW_SECONDS);
    ok(await api.request(NewsroomModerateCommentDocument, { id: held[0]!.id, status: "APPROVED" }, { token: editor }));
    expect(ok(await api.request(NewsroomArticleDocument, { id: a })).article!.commentCount).toBe(i + 1);
  }

  const submitted = [...recorder.submitted].filter((e) => e.includes("@"));
  expect(submitted.length).toBeGreaterThan(20);
  expect(recorder.leaks()).toEqual([]);
});
