/**
 * Property-based fuzzing (fast-check) of the write path, as the newsroom uses it: an EDITOR and a WRITER
 * token send the article, live-blog, moderation and comment mutations over real HTTP, with every field
 * drawn from valid values (RTL and zero-width marks, emoji, combining marks, the longest allowed text,
 * past dates) or hostile ones (NUL, lone surrogates, text past the limits, wrong JSON types, variables
 * nested deep, forged ids, impossible dates).
 *
 * The oracle, per operation:
 * - the answer is data or typed client errors: never a 5xx, never INTERNAL_SERVER_ERROR, always a code;
 * - an operation with a hostile value is refused, and a refused operation wrote nothing (every table,
 *   row by row, is as before; api_tokens apart, whose last use is recorded);
 * - an operation whose every value is valid succeeds for a caller allowed to run it (and stores text as
 *   sent), and is FORBIDDEN for a writer where only editors may.
 *
 * Bounded (FUZZ_RUNS, default 120) and seeded (FUZZ_SEED, printed, to replay a failure).
 */
import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { MAX_BODY, MAX_STANDFIRST, MAX_TITLE } from "../../src/modules/article/article-editor.service";
import { Role } from "../../src/modules/auth/role";
import { MAX_AUTHOR_NAME, MAX_COMMENT_BODY } from "../../src/modules/comment/comment-write.service";
import { MAX_ENTRY_BODY, MAX_ENTRY_TITLE } from "../../src/modules/liveblog/live-blog-write.service";
import { nested } from "../support/forged-input";
import { captureLogger, rawRequest } from "../support/hardening-helpers";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

jest.setTimeout(600_000);

const RUNS = Number(process.env.FUZZ_RUNS ?? 120);
const SEED = Number(process.env.FUZZ_SEED) || (Date.now() % 2_147_483_647) ^ randomBytes(2).readUInt16BE(0);
const tag = randomBytes(3).toString("hex");
const b64 = (s: string) => Buffer.from(s).toString("base64url");

type Caller = "editor" | "writer";
/** A generated value, and whether the service must accept it. */
interface Drawn {
  value: unknown;
  ok: boolean;
}
const ok = (value: unknown): Drawn => ({ value, ok: true });
const bad = (value: unknown): Drawn => ({ value, ok: false });

let server: TestServer;
const log = captureLogger("error");
const tokens: Record<Caller, string> = { editor: "", writer: "" };
const SLUG: Record<Caller, string> = { editor: `fze-editor-${tag}`, writer: `fze-writer-${tag}` };
/** Targets that no generated operation can take away: the valid value of each ID. */
const target = { liveArticle: "", entry: "", writerDraft: "", editorDraft: "", comment: "", openArticle: "" };

async function gql(caller: Caller | null, query: string, variables: Record<string, unknown> = {}) {
  const res = await server.post({ query, variables }, caller ? { token: tokens[caller] } : {});
  if (res.json?.errors) throw new Error(`setup: ${JSON.stringify(res.json.errors)}`);
  return res.json.data;
}

beforeAll(async () => {
  // Comments are rate-limited per client; the fuzz sends many from one address.
  server = await startTestServer({ logLevel: "error", commentRateLimit: 1_000_000 }, { logger: log.logger });
  tokens.editor = await server.token(SLUG.editor, Role.EDITOR);
  tokens.writer = await server.token(SLUG.writer, Role.WRITER);
  const create = `mutation ($i: CreateArticleInput!) { createArticle(input: $i) { id } }`;
  target.liveArticle = (
    await gql("editor", create, { i: { title: "Fuzz live blog", body: "Live." } })
  ).createArticle.id;
  await gql("editor", `mutation ($id: ID!) { publishArticle(id: $id) { id } }`, { id: target.liveArticle });
  await gql("editor", `mutation ($id: ID!) { startLiveBlog(articleId: $id) { id } }`, { id: target.liveArticle });
  target.entry = (
    await gql("editor", `mutation ($i: AddLiveEntryInput!) { addLiveEntry(input: $i) { id } }`, {
      i: { articleId: target.liveArticle, body: "First entry." },
    })
  ).addLiveEntry.id;
  target.writerDraft = (
    await gql("writer", create, { i: { title: "Writer's draft", body: "Draft." } })
  ).createArticle.id;
  target.editorDraft = (await gql("editor", create, { i: { title: "To publish", body: "Soon." } })).createArticle.id;
  target.openArticle = target.liveArticle;
  target.comment = (
    await gql(null, `mutation ($i: AddCommentInput!) { addComment(input: $i) { comment { id } } }`, {
      i: { articleId: target.openArticle, authorName: "Reader", body: "A comment.", email: "reader@example.test" },
    })
  ).addComment.comment.id;
});
afterAll(() => server?.stop());

/* ----- Values ----- */

let counter = 0;
const unique = () => `${tag}-${++counter}`;

/** Text PostgreSQL stores as sent: the service must accept it (within the length limit). */
const storableText = (max: number) =>
  fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ,.'!?-]{0,40}$/),
    fc.constantFrom(
      "\u200fمرحبا بالعالم\u200f",
      "\u202eevil\u202c headline",
      "zero\u200bwidth\u200djoiner",
      "e\u0301\u0301\u0301 combining",
      "emoji 🦩🏳️‍🌈 pair \ud83d\ude00",
      "'; DROP TABLE articles; --",
      "<script>alert(1)</script>",
      "\\ backslash %00 %ff",
      "tab\tand\nnewline",
    ),
    fc.constant("W".repeat(max)),
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }).filter((s) => s.trim().length > 0),
  );

/** Text the service must refuse (BAD_USER_INPUT): unstorable, or past the limit. */
const unstorableText = (max: number) =>
  fc.oneof(
    fc.constantFrom("nul\u0000inside", "\u0000", "lone \ud800 high", "lone \udc00 low", "\ud83d", "end\udbff"),
    fc.constant("L".repeat(max + 1)),
  );

/** A JSON value of the wrong type for a String, or a String nested deep. */
const wrongType = fc.oneof(
  fc.constantFrom(42, -1.5, true, {}, [], [["x"]], { a: "x" }),
  fc.integer({ min: 40, max: 1_500 }).map((depth) => nested(depth, "x")),
);

/**
 * A String field with a limit of max; empty text is valid, refused, or not drawn ("none": where whether it
 * is valid depends on the target's state, as an article's body, which only a published article needs).
 */
function text(max: number, empty: "ok" | "bad" | "none" = "bad"): fc.Arbitrary<Drawn> {
  const arbs = [
    { weight: 6, arbitrary: storableText(max).map(ok) },
    { weight: 2, arbitrary: unstorableText(max).map(bad) },
    { weight: 1, arbitrary: wrongType.map(bad) },
  ];
  if (empty !== "none") arbs.push({ weight: 1, arbitrary: fc.constantFrom("", "   ").map(empty === "ok" ? ok : bad) });
  return fc.oneof(...arbs);
}

/** An ID: the valid target, or a forged, hostile or wrong-kind one. */
function id(valid: () => string, typeName: string): fc.Arbitrary<Drawn> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(null).map(() => ok(valid())) },
    {
      weight: 3,
      arbitrary: fc
        .oneof(
          fc.constantFrom("0", "-1", "1e3", "99999999999999999999", "9223372036854775808", "1.5", " 1", "1\u0000"),
          // Numbers that name no row (a small one may name a demo entry or comment).
          fc.bigInt({ min: -(2n ** 70n), max: -1n }).map(String),
          fc.bigInt({ min: 10n ** 9n, max: 2n ** 70n }).map(String),
        )
        .map((n) => bad(b64(`${typeName}:${n}`))),
    },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom("", "\u0000", "\ud800", "not base64 !", b64("Topic:1"), b64("Nope:1"), "x".repeat(5000))
        .map(bad),
    },
    { weight: 1, arbitrary: wrongType.map(bad) },
  );
}

/** A DateTime: a valid past moment, or an impossible one (some pass the scalar and reach the database). */
const pastDate = fc
  .date({ min: new Date("1990-01-01T00:00:00Z"), max: new Date("2020-01-01T00:00:00Z"), noInvalidDate: true })
  .map((d) => ok(d.toISOString()));
const badDate = fc
  .constantFrom(
    "not-a-date",
    "",
    "2020-13-45T00:00:00Z",
    "2020-02-30T00:00:00Z",
    "+275760-09-13T00:00:00.001Z",
    "9999999-01-01T00:00:00Z",
    "2020-01-01T00:00:00\u0000Z",
    "2020-01-01T00:00:00\ud800Z",
    1e20,
    -1,
    {},
  )
  .map(bad);

/** A list of slugs; `emptyOk`: an empty list is valid (no topics), not hostile (an empty byline is). */
const slugs = (valid: () => string[], { emptyOk = false } = {}): fc.Arbitrary<Drawn> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(null).map(() => ok(valid())) },
    ...(emptyOk ? [{ weight: 1, arbitrary: fc.constant(null).map(() => ok([])) }] : []),
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(
          ["no-such-slug"],
          [""],
          ["\u0000"],
          ["\ud800"],
          ["x".repeat(10_000)],
          ...(emptyOk ? [] : [[] as string[]]),
        )
        .map(bad),
    },
    { weight: 1, arbitrary: wrongType.map(bad) },
  );

/** An optional field: left out (valid), or drawn. */
const maybe = (arb: fc.Arbitrary<Drawn>) => fc.option(arb, { nil: undefined, freq: 3 });

/* ----- Operations ----- */

interface Op {
  name: string;
  query: string;
  vars: Record<string, Drawn | undefined | Record<string, Drawn | undefined>>;
  /** Who may run it with valid values (the other caller gets FORBIDDEN). */
  allowed: Caller[];
  /** Text fields to find stored as sent after a valid run: [variable path, SQL returning the stored text]. */
  stored?: { path: string[]; sql: string };
  /** Always hostile (an id that must never be found), whatever the draw. */
  neverValid?: boolean;
}

const articleInput = (caller: Caller, creating: boolean) =>
  fc.record({
    title: creating ? text(MAX_TITLE) : maybe(text(MAX_TITLE)),
    body: creating ? text(MAX_BODY, "ok") : maybe(text(MAX_BODY, "none")),
    standfirst: maybe(text(MAX_STANDFIRST, "ok")),
    slug: maybe(
      fc.oneof(
        { weight: 3, arbitrary: fc.constant(null).map(() => ok(`fz-${unique()}`)) },
        {
          weight: 1,
          arbitrary: fc.constantFrom("Bad Slug", "a--b", "-a", "é", "\u0000", "\ud800", "x".repeat(121)).map(bad),
        },
      ),
    ),
    topicSlugs: maybe(slugs(() => ["science"], { emptyOk: true })),
    authorSlugs: maybe(slugs(() => [SLUG[caller]])),
    // null: the default on create, refused on update ("leave it out to keep it").
    commentsOpen: maybe(
      fc.oneof(fc.boolean().map(ok), fc.constantFrom("yes", 1).map(bad), fc.constant(null).map(creating ? ok : bad)),
    ),
  });

function operation(caller: Caller): fc.Arbitrary<Op> {
  const both: Caller[] = ["editor", "writer"];
  const editorOnly: Caller[] = ["editor"];
  return fc.oneof(
    articleInput(caller, true).map((input) => ({
      name: "createArticle",
      query: `mutation ($input: CreateArticleInput!) { createArticle(input: $input) { id title } }`,
      vars: { input },
      allowed: both,
      stored: {
        path: ["input", "title"],
        sql: `SELECT title AS t FROM articles ORDER BY id DESC LIMIT 1`,
      },
    })),
    fc
      .record({
        id: id(() => (caller === "writer" ? target.writerDraft : target.editorDraft), "Article"),
        input: articleInput(caller, false),
      })
      .map(({ id, input }) => ({
        name: "updateArticle",
        query: `mutation ($id: ID!, $input: UpdateArticleInput!) { updateArticle(id: $id, input: $input) { id } }`,
        vars: { id, input },
        allowed: both,
      })),
    fc
      .record({ id: id(() => target.editorDraft, "Article"), at: maybe(fc.oneof(pastDate, badDate)) })
      .map(({ id, at }) => ({
        name: "publishArticle",
        query: `mutation ($id: ID!, $at: DateTime) { publishArticle(id: $id, at: $at) { id } }`,
        vars: { id, at },
        allowed: editorOnly,
      })),
    fc
      .record({
        articleId: id(() => target.liveArticle, "Article"),
        body: text(MAX_ENTRY_BODY),
        title: maybe(text(MAX_ENTRY_TITLE, "ok")),
        isKeyEvent: maybe(fc.boolean().map(ok)),
        idempotencyKey: maybe(
          fc.oneof(
            fc.constant(null).map(() => ok(`k-${unique()}`)),
            fc.constantFrom("", "\u0000", "\ud800", "k".repeat(300)).map(bad),
          ),
        ),
        authorSlugs: maybe(slugs(() => [SLUG.editor])),
      })
      .map((input) => ({
        name: "addLiveEntry",
        query: `mutation ($input: AddLiveEntryInput!) { addLiveEntry(input: $input) { id } }`,
        vars: { input },
        allowed: editorOnly,
      })),
    fc
      .record({
        id: id(() => target.entry, "LiveEntry"),
        input: fc.record({
          body: maybe(text(MAX_ENTRY_BODY)),
          title: maybe(text(MAX_ENTRY_TITLE, "ok")),
          isKeyEvent: maybe(fc.boolean().map(ok)),
        }),
      })
      .map(({ id, input }) => ({
        name: "updateLiveEntry",
        query: `mutation ($id: ID!, $input: UpdateLiveEntryInput!) { updateLiveEntry(id: $id, input: $input) { id } }`,
        vars: { id, input },
        allowed: editorOnly,
      })),
    fc.record({ id: id(() => target.entry, "LiveEntry"), pin: fc.boolean() }).map(({ id, pin }) => ({
      name: pin ? "pinLiveEntry" : "unpinLiveEntry",
      query: `mutation ($id: ID!) { ${pin ? "pinLiveEntry" : "unpinLiveEntry"}(id: $id) { id } }`,
      vars: { id },
      allowed: editorOnly,
    })),
    fc
      .record({
        id: id(() => target.comment, "Comment"),
        status: fc.oneof(
          fc.constantFrom("APPROVED", "PENDING", "REJECTED", "SPAM").map(ok),
          fc.constantFrom("approved", "", "\u0000", 1).map(bad),
        ),
      })
      .map(({ id, status }) => ({
        name: "moderateComment",
        query: `mutation ($id: ID!, $status: CommentStatus!) { moderateComment(id: $id, status: $status) { id } }`,
        vars: { id, status },
        allowed: editorOnly,
      })),
    fc
      .record({
        articleId: id(() => target.openArticle, "Article"),
        authorName: text(MAX_AUTHOR_NAME),
        body: text(MAX_COMMENT_BODY),
        email: fc.oneof(
          { weight: 4, arbitrary: fc.constant(null).map(() => ok(`reader.${unique()}@example.test`)) },
          {
            weight: 1,
            arbitrary: fc.constantFrom("not-an-email", "a\u0000@example.test", "a\ud800@example.test").map(bad),
          },
        ),
        website: maybe(
          fc.oneof(
            fc.constant(ok("https://example.test/x")),
            fc.constantFrom("javascript:alert(1)", "http://\u0000").map(bad),
          ),
        ),
      })
      .map((input) => ({
        name: "addComment",
        query: `mutation ($input: AddCommentInput!) { addComment(input: $input) { comment { id } } }`,
        vars: { input },
        allowed: both,
      })),
    // Destructive mutations only ever get ids that name nothing, so that the targets above stay valid.
    fc
      .record({
        name: fc.constantFrom("unpublishArticle", "archiveArticle", "deleteLiveEntry", "endLiveBlog", "startLiveBlog"),
        n: fc.oneof(
          fc.constantFrom("0", "-1", "99999999999999999999", "1.5"),
          fc.bigInt({ min: 10n ** 9n, max: 2n ** 70n }).map(String),
        ),
      })
      .map(({ name, n }) => {
        const arg = name.endsWith("LiveBlog") ? "articleId" : "id";
        const type = name === "deleteLiveEntry" ? "LiveEntry" : "Article";
        return {
          name,
          query: `mutation ($id: ID!) { ${name}(${arg}: $id)${name === "deleteLiveEntry" ? "" : " { __typename }"} }`,
          vars: { id: bad(b64(`${type}:${n}`)) },
          allowed: editorOnly,
          neverValid: true,
        };
      }),
  );
}

/** The variables to send, and whether every drawn value is valid. */
function materialise(vars: Op["vars"]): { variables: Record<string, unknown>; valid: boolean } {
  let valid = true;
  const take = (d: Drawn) => {
    valid &&= d.ok;
    return d.value;
  };
  const variables: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) continue;
    if ("ok" in v && "value" in v && typeof (v as Drawn).ok === "boolean") variables[k] = take(v as Drawn);
    else {
      const input: Record<string, unknown> = {};
      for (const [f, d] of Object.entries(v as Record<string, Drawn | undefined>))
        if (d !== undefined) input[f] = take(d);
      variables[k] = input;
    }
  }
  return { variables, valid };
}

/** Every table but api_tokens (last use is recorded on each request), row by row. */
async function fingerprint(): Promise<Record<string, string>> {
  const tables: { t: string }[] = await server.db.query(
    `SELECT table_name AS t FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT IN ('api_tokens')
     ORDER BY table_name`,
  );
  const sql = tables
    .map(
      ({ t }) => `SELECT '${t}' AS t, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM "${t}" x`,
    )
    .join(" UNION ALL ");
  const rows: { t: string; h: string }[] = await server.db.query(sql);
  return Object.fromEntries(rows.map((r) => [r.t, r.h]));
}

const outcomes: Record<string, number> = {};
let runs = 0;

test(`fuzz: ${RUNS} write operations by an editor and a writer are data or typed client errors, and a refused one writes nothing`, async () => {
  console.log(`editor fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS})`);
  const property = fc.asyncProperty(
    fc
      .constantFrom<Caller>("editor", "editor", "writer")
      .chain((caller) => operation(caller).map((op) => ({ caller, op }))),
    async ({ caller, op }) => {
      runs++;
      const { variables, valid: drawnValid } = materialise(op.vars);
      const valid = drawnValid && !op.neverValid;
      const body = JSON.stringify({ query: op.query, variables });
      const label = `${caller} ${op.name} (${valid ? "valid" : "hostile"})\nrequest: ${body.slice(0, 1500)}`;
      const before = await fingerprint();
      const res = await rawRequest(server.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/graphql-response+json, application/json",
          authorization: `Bearer ${tokens[caller]}`,
        },
        body,
      });
      const errors: any[] = res.json?.errors ?? [];
      const codes = errors.map((e) => e.extensions?.code ?? "none");
      const outcome = `${op.name} ${caller} ${valid ? "valid" : "hostile"}: ${codes.join(",") || "data"}`;
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      const why = (what: string) => `${label}\n${what}\nstatus ${res.status}: ${res.text.slice(0, 1500)}`;

      if (res.status >= 500) throw new Error(why("a 5xx"));
      if (codes.includes("INTERNAL_SERVER_ERROR") || codes.includes("none")) {
        const cause = log.lines().find((l) => l.requestId === errors[0]?.extensions?.requestId && l.err);
        throw new Error(why(`an untyped or internal error; logged cause: ${JSON.stringify(cause?.err)}`));
      }
      if (valid && op.allowed.includes(caller)) {
        if (errors.length || !res.json?.data) throw new Error(why("a valid operation did not succeed"));
        if (op.stored) {
          const sent = op.stored.path.reduce<any>((v, k) => v?.[k], variables);
          const [row] = await server.db.query(op.stored.sql);
          if (row?.t !== String(sent).trim())
            throw new Error(why(`stored ${JSON.stringify(row?.t)}, not what was sent`));
        }
        return;
      }
      if (valid) {
        if (JSON.stringify(codes) !== JSON.stringify(["FORBIDDEN"])) throw new Error(why("expected FORBIDDEN"));
      } else if (!errors.length) {
        throw new Error(why("a hostile value was accepted"));
      }
      const after = await fingerprint();
      const changed = Object.keys(after).filter((t) => after[t] !== before[t]);
      if (changed.length) throw new Error(why(`a refused write changed ${changed.join(", ")}`));
    },
  );
  try {
    await fc.assert(property, { numRuns: RUNS, seed: SEED, endOnFailure: true });
  } finally {
    console.log(`editor fuzz: ${runs} runs (seed ${SEED})\n${JSON.stringify(outcomes, null, 1)}`);
  }
  // Every kind of operation ran, and both valid and hostile draws happened.
  const names = new Set(Object.keys(outcomes).map((o) => o.split(" ")[0]));
  expect(names.size).toBeGreaterThanOrEqual(8);
  expect(Object.keys(outcomes).some((o) => o.includes(" valid: data"))).toBe(true);
  expect(Object.keys(outcomes).some((o) => o.includes(" hostile: BAD_USER_INPUT"))).toBe(true);
});

// Found by this fuzz: a lone surrogate was accepted and stored as U+FFFD (what was stored was not what was
// sent, and two different idempotency keys became one). Each text field now refuses it, naming the field.
test.each([
  ["createArticle", "title", `mutation ($v: String!) { createArticle(input: { title: $v, body: "b" }) { id } }`],
  ["createArticle", "body", `mutation ($v: String!) { createArticle(input: { title: "t", body: $v }) { id } }`],
  [
    "createArticle",
    "standfirst",
    `mutation ($v: String!) { createArticle(input: { title: "t", body: "b", standfirst: $v }) { id } }`,
  ],
  [
    "addLiveEntry",
    "body",
    `mutation ($a: ID!, $v: String!) { addLiveEntry(input: { articleId: $a, body: $v }) { id } }`,
  ],
  [
    "addLiveEntry",
    "idempotencyKey",
    `mutation ($a: ID!, $v: String!) { addLiveEntry(input: { articleId: $a, body: "b", idempotencyKey: $v }) { id } }`,
  ],
  [
    "addComment",
    "email",
    `mutation ($a: ID!, $v: String!) { addComment(input: { articleId: $a, authorName: "n", body: "b", email: $v }) { comment { id } } }`,
  ],
  [
    "addComment",
    "idempotencyKey",
    `mutation ($a: ID!, $v: String!) { addComment(input: { articleId: $a, authorName: "n", body: "b", email: "r@example.test", idempotencyKey: $v }) { comment { id } } }`,
  ],
])("%s: a lone surrogate in %s is BAD_USER_INPUT naming it, and writes nothing", async (_name, field, query) => {
  const value = field === "email" ? "r\ud800@example.test" : `key \udc00 or text`;
  const before = await fingerprint();
  const res = await server.post({ query, variables: { a: target.liveArticle, v: value } }, { token: tokens.editor });
  expect([
    res.status,
    res.json.errors?.map((e: any) => [e.extensions?.code, Object.keys(e.extensions?.fields ?? {})]),
  ]).toEqual([200, [["BAD_USER_INPUT", [field]]]]);
  expect(await fingerprint()).toEqual(before);
});
