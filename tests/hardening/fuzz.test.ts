/**
 * Property-based fuzzing (fast-check) of the real server over HTTP (and a
 * share over graphql-ws): operations generated from schema/schema.graphql,
 * with real and random fields, arguments of the right and the wrong types,
 * huge and negative numbers, unicode, NUL, real and forged ids and cursors,
 * variables (some nested thousands deep), aliases, fragments, forged cursors
 * and since values (valid base64url of crafted contents, also over graphql-ws),
 * and some syntactically broken documents;
 * sent anonymously, as another writer, or with a bad token.
 *
 * Whatever is sent: no 5xx, no stack trace, no SQL, no e-mail address (they
 * are private) and nothing of another author's draft or of a comment held for
 * moderation. The run is bounded (FUZZ_RUNS, default 200) and seeded
 * (FUZZ_SEED, printed, to replay a failure).
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import type { GraphQLInputType } from "graphql";
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
} from "graphql";
import { Role } from "../../src/modules/auth/role";
import { demoArticles } from "../../src/seed/demo-content";
import {
  HardeningAddCommentDocument,
  HardeningArticlesDocument,
  HardeningCreateArticleDocument,
  HardeningPublishArticleDocument,
} from "../generated/graphql";
import type { CURSOR_KINDS } from "../support/forged-input";
import { forgedCursorOf, forgedSince } from "../support/forged-input";
import type { FuzzPools } from "../support/hardening-fuzz";
import { OperationBuilder } from "../support/hardening-fuzz";
import type { RawResponse } from "../support/hardening-helpers";
import { captureLogger, EMAIL, rawRequest, SQL_TEXT, STACK_TRACE, wsOperation } from "../support/hardening-helpers";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

jest.setTimeout(600_000);

type CursorKind = (typeof CURSOR_KINDS)[number];

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = Number(process.env.FUZZ_SEED) || (Date.now() % 2_147_483_647) ^ randomBytes(2).readUInt16BE(0);

const schema = buildSchema(readFileSync(join(__dirname, "../../schema/schema.graphql"), "utf8"));

/** Secrets that no fuzzed response may contain. */
const tag = randomBytes(4).toString("hex");
const DRAFT_MARKER = `qzdraft${tag}`;
const PENDING_MARKER = `qzpending${tag}`;
const SECRET_EMAIL = `fuzz.private.${tag}@example.test`;
const DEMO_EMAILS = demoArticles.flatMap((a) => a.comments.map((c) => c.email));

let server: TestServer;
/** Error-level log lines: the detail behind every masked INTERNAL_SERVER_ERROR. */
const log = captureLogger("error");
/** Requests answered with a masked INTERNAL_SERVER_ERROR: what was sent, and the logged cause. */
const internalErrors: { request: string; requestId: string; operationType: string; transport: string }[] = [];
let writerB: string;
const pools: FuzzPools = { ids: [], cursors: [], slugs: [] };

beforeAll(async () => {
  server = await startTestServer({ logLevel: "error" }, { logger: log.logger });
  const writerA = await server.token("fuzz-writer-a", Role.WRITER);
  writerB = await server.token("fuzz-writer-b", Role.WRITER);

  // Writer A's draft: its title, standfirst and body are private to A (and editors).
  const draft = await server.request(
    HardeningCreateArticleDocument,
    {
      input: {
        title: `Draft ${DRAFT_MARKER}`,
        standfirst: `Standfirst ${DRAFT_MARKER}`,
        body: `Pelicanfuzz embargoed story. ${DRAFT_MARKER}`,
        topicSlugs: ["science"],
      },
    },
    { token: writerA },
  );
  expect(draft.errors).toBeUndefined();
  pools.ids.push(draft.data!.createArticle.id);
  pools.slugs.push(draft.data!.createArticle.slug);

  // Comments: a public one with a private e-mail, and one held for moderation (honeypot).
  const articles = await server.request(HardeningArticlesDocument, { first: 5 });
  const published = articles.data!.articles.nodes;
  const approved = await server.request(HardeningAddCommentDocument, {
    input: { articleId: published[0]!.id, authorName: "Fuzz Reader", body: "A public comment.", email: SECRET_EMAIL },
  });
  expect(approved.data?.addComment.comment.status).toBe("APPROVED");
  const held = await server.request(HardeningAddCommentDocument, {
    input: {
      articleId: published[1]!.id,
      authorName: "Fuzz Bot",
      body: `Held ${PENDING_MARKER}`,
      email: `bot.${tag}@example.test`,
      honeypot: "filled in",
    },
  });
  expect(held.data?.addComment.comment.status).toBe("PENDING");
  pools.ids.push(approved.data!.addComment.comment.id, held.data!.addComment.comment.id);

  // Real ids and cursors of every kind, for the generator to pick from.
  const res = await server.post({
    query: `{ articles(first: 5) { edges { cursor node { id slug comments(first: 3) { edges { cursor node { id } } } } } }
              authors(first: 3) { edges { cursor node { id slug } } } topics(first: 3) { edges { cursor node { id slug } } } }`,
  });
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(collect);
    if (!value || typeof value !== "object") return;
    for (const [k, v] of Object.entries(value)) {
      if (k === "id" && typeof v === "string") pools.ids.push(v);
      else if (k === "cursor" && typeof v === "string") pools.cursors.push(v);
      else if (k === "slug" && typeof v === "string") pools.slugs.push(v);
      else collect(v);
    }
  };
  collect(res.json.data);
  expect(pools.ids.length).toBeGreaterThan(10);
});
afterAll(() => server?.stop());

/* ----- Oracle ----- */

const statusHistogram: Record<string, number> = {};
const codeHistogram: Record<string, number> = {};
const transportHistogram: Record<string, number> = {};
const kindHistogram: Record<string, number> = {};
let runs = 0;

function checkBody(text: string, requestText: string, label: string): void {
  const fail = (why: string) => {
    throw new Error(`${label}: ${why}\nrequest: ${requestText.slice(0, 2000)}\nresponse: ${text.slice(0, 2000)}`);
  };
  if (STACK_TRACE.test(text)) fail("a stack trace in the response");
  if (SQL_TEXT.test(text)) fail("SQL or driver text in the response");
  // A marker the caller sent may come back in a validation message ("unknown author: <it>"): only more
  // occurrences than the request holds are a leak.
  const occurrences = (haystack: string, needle: string) => haystack.split(needle).length - 1;
  const leaked = (marker: string) => occurrences(text, marker) > occurrences(requestText, marker);
  if (leaked(DRAFT_MARKER)) fail("another author's draft in the response");
  if (leaked(PENDING_MARKER)) fail("a comment held for moderation in the response");
  if (text.includes(SECRET_EMAIL) || DEMO_EMAILS.some((e) => text.includes(e))) fail("a commenter's e-mail");
  // Any other address must be the caller's own input echoed back (e.g. in a validation message).
  const decoded = (() => {
    try {
      return JSON.stringify(JSON.parse(text));
    } catch {
      return text;
    }
  })();
  for (const email of decoded.match(EMAIL) ?? []) {
    if (!requestText.includes(email) && !JSON.stringify(requestText).includes(email))
      fail(`an e-mail address: ${email}`);
  }
}

test(`fuzz: ${RUNS} generated operations never get a 5xx, a stack, SQL, or another caller's private data`, async () => {
  console.log(`fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS})`);
  const property = fc.asyncProperty(
    fc.gen(),
    fc.constantFrom("anonymous", "anonymous", "anonymous", "writer-b", "writer-b", "writer-b", "bad-token"),
    fc.constantFrom("post", "post", "post", "post", "post", "get", "ws"),
    async (g, caller, wanted) => {
      runs++;
      const op = new OperationBuilder(schema, pools, g).build();
      kindHistogram[op.kind] = (kindHistogram[op.kind] ?? 0) + 1;
      const token = caller === "writer-b" ? writerB : caller === "bad-token" ? "ng_not-a-real-token" : undefined;
      const headers: Record<string, string> = {
        accept: "application/graphql-response+json, application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      };
      const requestText = JSON.stringify({ query: op.query, variables: op.variables, operationName: op.operationName });
      let res: RawResponse | undefined;
      // Only queries go over GET (405 otherwise) and, here, over graphql-ws (a subscription would stay open).
      const transport = op.operationType === "query" ? wanted : "post";
      /** Counts each error's code; remembers masked internal errors with what caused them. */
      const recordErrors = (errors: any[]) => {
        for (const e of errors) {
          codeHistogram[e.extensions?.code ?? "none"] = (codeHistogram[e.extensions?.code ?? "none"] ?? 0) + 1;
          if (e.extensions?.code === "INTERNAL_SERVER_ERROR") {
            const { requestId } = e.extensions;
            internalErrors.push({ request: requestText, requestId, operationType: op.operationType, transport });
          }
        }
      };
      if (transport === "ws") {
        transportHistogram.ws = (transportHistogram.ws ?? 0) + 1;
        const payload = { query: op.query, variables: op.variables, operationName: op.operationName };
        const result = await wsOperation(server.url, payload, { token, timeoutMs: 20_000 }).catch((error: unknown) => ({
          next: [],
          completed: false,
          error: { closed: String(error) },
        }));
        const text = JSON.stringify(result);
        const wsKey = `ws ${result.error ? "error message" : "next"}`;
        statusHistogram[wsKey] = (statusHistogram[wsKey] ?? 0) + 1;
        recordErrors([
          ...(Array.isArray(result.error) ? result.error : []),
          ...result.next.flatMap((n) => n.errors ?? []),
        ]);
        checkBody(text, requestText, `ws ${caller}`);
        return;
      }
      if (transport === "get") {
        transportHistogram.get = (transportHistogram.get ?? 0) + 1;
        const url = new URL(server.url);
        url.searchParams.set("query", op.query);
        if (Object.keys(op.variables).length) url.searchParams.set("variables", JSON.stringify(op.variables));
        if (op.operationName) url.searchParams.set("operationName", op.operationName);
        res = await rawRequest(url.toString(), { headers: { ...headers, "apollo-require-preflight": "true" } });
      } else {
        transportHistogram.post = (transportHistogram.post ?? 0) + 1;
        res = await rawRequest(server.url, {
          method: "POST",
          headers: { ...headers, "content-type": "application/json" },
          body: requestText,
        });
      }
      statusHistogram[res.status] = (statusHistogram[res.status] ?? 0) + 1;
      recordErrors(res.json?.errors ?? []);
      if (res.status >= 500) {
        throw new Error(
          `${res.status} for ${caller}\nrequest: ${requestText.slice(0, 2000)}\nresponse: ${res.text.slice(0, 2000)}`,
        );
      }
      checkBody(res.text, requestText, `${transport} ${caller} ${res.status}`);
    },
  );
  try {
    await fc.assert(property, { numRuns: RUNS, seed: SEED, endOnFailure: true });
  } finally {
    console.log(
      `fuzz: ${runs} runs (seed ${SEED})\n` +
        `  operations: ${JSON.stringify(kindHistogram)}\n` +
        `  transports: ${JSON.stringify(transportHistogram)}\n` +
        `  status histogram: ${JSON.stringify(statusHistogram)}\n` +
        `  error codes: ${JSON.stringify(codeHistogram)}`,
    );
  }
  // The draft and the held comment still exist: the fuzz could not see them, not because they were gone.
  const rows = await server.db.query("SELECT count(*)::int AS n FROM articles WHERE title = $1", [
    `Draft ${DRAFT_MARKER}`,
  ]);
  expect(rows[0].n).toBe(1);
});

// Forged cursors of each list's own kind (so that a value, not the kind, is what is wrong), on every list.
test(`fuzz: ${Math.ceil(RUNS / 2)} forged cursors on every list are data or BAD_USER_INPUT`, async () => {
  const thread = pools.slugs.find((slug) => slug !== pools.slugs[0])!; // not writer A's draft
  const lists: [string, CursorKind, string][] = [
    ["articles", "a", `articles(after: $after) { nodes { id } }`],
    ["search", "s", `search(query: "the", after: $after) { nodes { id } }`],
    ["comments", "c", `article(slug: "${thread}") { comments(after: $after) { nodes { id } } }`],
    ["topics", "t", `topics(after: $after) { nodes { id } }`],
    ["authors", "au", `authors(after: $after) { nodes { id } }`],
    ["topic articles", "a", `topics(first: 1) { nodes { articles(after: $after) { nodes { id } } } }`],
  ];
  const outcomes: Record<string, number> = {};
  const property = fc.asyncProperty(
    fc
      .constantFrom(...lists)
      .chain(([name, kind, selection]) => forgedCursorOf(kind).map((after) => ({ name, selection, after }))),
    async ({ name, selection, after }) => {
      const requestText = JSON.stringify({ query: `query ($after: String) { ${selection} }`, variables: { after } });
      const res = await rawRequest(server.url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: requestText,
      });
      const errorCodes: string[] = (res.json?.errors ?? []).map((e: any) => e.extensions?.code);
      const outcome = `${name}: ${errorCodes.join(",") || "data"}`;
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      for (const e of res.json?.errors ?? []) {
        if (e.extensions?.code === "INTERNAL_SERVER_ERROR") {
          internalErrors.push({
            request: requestText,
            requestId: e.extensions.requestId,
            operationType: "query",
            transport: "post",
          });
        }
      }
      checkBody(res.text, requestText, `cursor ${name}`);
      expect([res.status < 500, errorCodes.filter((c) => c !== "BAD_USER_INPUT")]).toEqual([true, []]);
    },
  );
  try {
    await fc.assert(property, { numRuns: Math.ceil(RUNS / 2), seed: SEED, endOnFailure: true });
  } finally {
    console.log(`fuzz: forged cursors: ${JSON.stringify(outcomes)}`);
  }
});

// Subscriptions run only over graphql-ws, where the generated operations above do not go: forged `since`
// values (valid base64url of crafted positions) are sent there, to both subscriptions that take one.
test(`fuzz: ${Math.ceil(RUNS / 4)} forged since values over graphql-ws are data or BAD_USER_INPUT`, async () => {
  // The last Article id collected is a published one (the first is writer A's draft).
  const articleId = pools.ids.filter((id) => Buffer.from(id, "base64url").toString().startsWith("Article:")).pop()!;
  const outcomes: Record<string, number> = {};
  const property = fc.asyncProperty(forgedSince, fc.boolean(), async (since, onComments) => {
    const query = onComments
      ? `subscription ($id: ID!, $since: String) { commentAdded(articleId: $id, since: $since) { cursor } }`
      : `subscription ($since: String) { articlePublished(since: $since) { cursor } }`;
    const variables = { since, id: articleId };
    // A since that names a real event replays (one `next` ends the wait) or waits live: both are answers.
    const result = await wsOperation(server.url, { query, variables }, { untilNexts: 1, timeoutMs: 3000 }).catch(
      () => ({ next: [], completed: false, error: "live" }),
    );
    const errors = [
      ...(Array.isArray(result.error) ? result.error : []),
      ...result.next.flatMap((n) => n.errors ?? []),
    ];
    const outcome = errors.length
      ? errors.map((e: any) => e.extensions?.code).join(",")
      : result.error
        ? "live"
        : "next";
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    for (const e of errors) {
      if (e.extensions?.code === "INTERNAL_SERVER_ERROR") {
        const request = JSON.stringify({ query, variables });
        internalErrors.push({
          request,
          requestId: e.extensions.requestId,
          operationType: "subscription",
          transport: "ws",
        });
      }
    }
    checkBody(JSON.stringify(result), JSON.stringify(variables), "ws since");
    expect(errors.map((e: any) => e.extensions?.code).filter((c: string) => c !== "BAD_USER_INPUT")).toEqual([]);
  });
  try {
    await fc.assert(property, { numRuns: Math.ceil(RUNS / 4), seed: SEED, endOnFailure: true });
  } finally {
    console.log(`fuzz: forged since values over graphql-ws: ${JSON.stringify(outcomes)}`);
  }
});

/**
 * Causes of masked INTERNAL_SERVER_ERRORs that are understood and accepted. Empty: the two the fuzz
 * found (a NUL reaching PostgreSQL, a subscription run over HTTP) are fixed and pinned by tests below.
 */
const KNOWN_BUGS: { name: string; matches: (cause: string, e: (typeof internalErrors)[number]) => boolean }[] = [];

/** The causes of the masked INTERNAL_SERVER_ERRORs the fuzz met, from the log, grouped. */
function internalCauses() {
  const known: Record<string, number> = {};
  const unknown: Record<string, { count: number; example: string }> = {};
  const lines = log.lines();
  for (const e of internalErrors) {
    const line = lines.find((l) => l.requestId === e.requestId && l.err);
    const cause = line ? `${line.err.type}: ${String(line.err.message).slice(0, 160)}` : "(no log line)";
    const bug = KNOWN_BUGS.find((b) => b.matches(cause, e));
    if (bug) known[bug.name] = (known[bug.name] ?? 0) + 1;
    else {
      unknown[cause] ??= { count: 0, example: e.request.slice(0, 600) };
      unknown[cause].count++;
    }
  }
  return { known, unknown };
}

test("no generated input makes the server fail unexpectedly (masked INTERNAL_SERVER_ERROR), known bugs apart", () => {
  const { known, unknown } = internalCauses();
  console.log(
    `fuzz: masked INTERNAL_SERVER_ERRORs from known bugs ${JSON.stringify(known)}; ` +
      `from anything else ${JSON.stringify(unknown, null, 2)}`,
  );
  expect(unknown).toEqual({});
});

describe("regressions found by fuzzing (deterministic)", () => {
  let editor: string;
  /** The NUL probes' caller: every mutation is open to an ADMIN (webhooks are ADMIN only), so each reaches its checks. */
  let admin: string;
  /** A published article of this block's own, open to comments: the sane value of every ID argument. */
  let articleId: string;
  beforeAll(async () => {
    editor = await server.token("fuzz-editor", Role.EDITOR);
    admin = await server.token("fuzz-admin", Role.ADMIN);
    const created = await server.request(
      HardeningCreateArticleDocument,
      { input: { title: "NUL probe target", body: "Every ID argument names this article." } },
      { token: editor },
    );
    articleId = created.data!.createArticle.id;
    const published = await server.request(HardeningPublishArticleDocument, { id: articleId }, { token: editor });
    expect(published.data?.publishArticle.status).toBe("PUBLISHED");
  });

  /** A sane value for a required argument or input field, so that only the probed value is odd. */
  function sane(type: GraphQLInputType, articleId: string): string {
    const named = getNamedType(type);
    if (isEnumType(named)) return named.getValues()[0]!.name;
    if (isInputObjectType(named)) {
      const parts = Object.values(named.getFields())
        .filter((f) => isNonNullType(f.type))
        .map((f) => `${f.name}: ${f.name === "email" ? '"reader@example.test"' : sane(f.type, articleId)}`);
      return `{ ${parts.join(", ")} }`;
    }
    if (named.name === "ID") return JSON.stringify(articleId);
    if (named.name === "Int") return "1";
    if (named.name === "Boolean") return "true";
    if (named.name === "DateTime") return '"2020-01-01T00:00:00Z"';
    return '"x"';
  }

  /** Every String argument or String input field of every query and mutation, set to a NUL. */
  function nulProbes(articleId: string): { where: string; field: string; inInput: boolean; query: string }[] {
    const probes: { where: string; field: string; inInput: boolean; query: string }[] = [];
    for (const root of [schema.getQueryType()!, schema.getMutationType()!]) {
      const op = root === schema.getQueryType() ? "query" : "mutation";
      for (const field of Object.values(root.getFields())) {
        const selection = isLeafType(getNamedType(field.type)) ? "" : " { __typename }";
        for (const arg of field.args) {
          const named = getNamedType(arg.type);
          const targets: { where: string; field: string; inInput: boolean; literal: string }[] = [];
          if (named.name === "String" || named.name === "ID") {
            targets.push({
              where: `${field.name}(${arg.name})`,
              field: arg.name,
              inInput: false,
              literal: '"nul\\u0000x"',
            });
          } else if (isInputObjectType(named)) {
            for (const f of Object.values(named.getFields())) {
              const fn = getNamedType(f.type).name;
              if (fn !== "String" && fn !== "ID") continue;
              const base = Object.values(named.getFields())
                .filter((g) => isNonNullType(g.type) && g.name !== f.name)
                .map((g) => `${g.name}: ${g.name === "email" ? '"reader@example.test"' : sane(g.type, articleId)}`);
              const value = isListType(isNonNullType(f.type) ? f.type.ofType : f.type)
                ? '["nul\\u0000x"]'
                : '"nul\\u0000x"';
              targets.push({
                where: `${field.name}(${arg.name}.${f.name})`,
                field: f.name,
                inInput: true,
                literal: `{ ${[...base, `${f.name}: ${value}`].join(", ")} }`,
              });
            }
          }
          for (const t of targets) {
            const others = field.args
              .filter((a) => a !== arg && isNonNullType(a.type))
              .map((a) => `${a.name}: ${sane(a.type, articleId)}`);
            const args = [...others, `${arg.name}: ${t.literal}`].join(", ");
            probes.push({
              where: t.where,
              field: t.field,
              inInput: t.inInput,
              query: `${op} { ${field.name}(${args})${selection} }`,
            });
          }
        }
      }
    }
    return probes;
  }

  // A NUL can never reach PostgreSQL: it is BAD_USER_INPUT before any resolver runs.
  // Every other value is valid (a real article for every ID), so the NUL is what is refused: BAD_USER_INPUT
  // naming the field that holds it; 400 from the request check for an argument, 200 from the service for a
  // field of an input object (they are validated there, all problems at once).
  test("a NUL character in any String or ID argument is a client error naming it, never an internal one", async () => {
    const failing: string[] = [];
    const probes = nulProbes(articleId);
    for (const probe of probes) {
      const res = await server.post({ query: probe.query }, { token: admin });
      const codes = (res.json?.errors ?? []).map((e: any) => e.extensions?.code);
      const named = Object.keys(res.json?.errors?.[0]?.extensions?.fields ?? {});
      if (probe.where === "addComment(input.honeypot)") {
        // The honeypot is never stored: whatever a bot puts there, it is answered as if accepted (and held).
        expect([probe.where, res.status, codes]).toEqual([probe.where, 200, []]);
        continue;
      }
      expect([probe.where, res.status, codes, named.includes(probe.field)]).toEqual([
        probe.where,
        probe.inInput ? 200 : 400,
        ["BAD_USER_INPUT"],
        true,
      ]);
      if (codes.includes("INTERNAL_SERVER_ERROR")) failing.push(probe.where);
    }
    console.log(`NUL probes: ${probes.length} arguments tried; INTERNAL_SERVER_ERROR for ${JSON.stringify(failing)}`);
    expect(failing).toEqual([]);
  });

  // A subscription over HTTP has no event stream: it is refused as a client error (graphql-ws serves it).
  test.each(Object.keys(schema.getSubscriptionType()!.getFields()))(
    "subscription %s over HTTP POST is refused as a client error",
    async (name) => {
      const field = schema.getSubscriptionType()!.getFields()[name]!;
      const args = field.args
        .filter((a) => isNonNullType(a.type))
        .map((a) => `${a.name}: ${sane(a.type, articleId)}`)
        .join(", ");
      const res = await server.post(
        { query: `subscription { ${name}${args ? `(${args})` : ""} { __typename } }` },
        { token: editor },
      );
      expect((res.json.errors ?? []).map((e: any) => e.extensions?.code)).not.toContain("INTERNAL_SERVER_ERROR");
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      // src/shared/input-guard.ts: refused before it runs, with the reason.
      expect([res.status, res.json]).toEqual([
        400,
        {
          errors: [
            {
              message: "Subscriptions run over WebSocket (graphql-transport-ws) at /graphql",
              extensions: { code: "BAD_USER_INPUT" },
            },
          ],
        },
      ]);
    },
  );
});
