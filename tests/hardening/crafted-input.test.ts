/**
 * Input that is well-formed on the outside and hostile inside, against the
 * real server on the mode's database: cursors and `since` values that are
 * valid base64url of crafted contents (a date PostgreSQL rejects, an id of
 * 1e10 or 1.5, a rank of 1e300, an event id past bigint), variables nested
 * thousands deep (HTTP and WebSocket), and an automatic persisted query
 * whose hash is not its query's. Each is BAD_USER_INPUT, never an internal
 * error, and nothing is logged as one.
 */
import { createHash } from "node:crypto";
import { MAX_VARIABLE_DEPTH } from "../../src/shared/input-guard";
import WebSocket from "ws";
import { nested, nestedJson } from "../support/forged-input";
import { captureLogger, rawRequest, wsErrors, wsOperation, wsUrl } from "../support/hardening-helpers";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

let server: TestServer;
const log = captureLogger("error");
beforeAll(async () => {
  server = await startTestServer({}, { logger: log.logger });
});
afterAll(() => server?.stop());

const THREAD = "electric-ferry-trial-inner-sound";
const T = "2024-05-01T10:00:00.000Z";
const craft = (...json: unknown[]) => Buffer.from(JSON.stringify(json)).toString("base64url");
const position = (inside: string) => Buffer.from(inside).toString("base64url");

/** Every list with a cursor, as a query taking `$after`. */
const LISTS: Record<string, string> = {
  articles: `query ($after: String) { articles(after: $after) { nodes { id } } }`,
  search: `query ($after: String) { search(query: "ferry", after: $after) { nodes { id } } }`,
  comments: `query ($after: String) { article(slug: "${THREAD}") { comments(after: $after) { nodes { id } } } }`,
  replies: `query ($after: String) { article(slug: "${THREAD}") { comments(first: 1) { nodes { replies(after: $after) { nodes { id } } } } } }`,
  topics: `query ($after: String) { topics(after: $after) { nodes { id } } }`,
  authors: `query ($after: String) { authors(after: $after) { nodes { id } } }`,
  topicArticles: `query ($after: String) { topics(first: 1) { nodes { articles(after: $after) { nodes { id } } } } }`,
  authorArticles: `query ($after: String) { authors(first: 1) { nodes { articles(after: $after) { nodes { id } } } } }`,
};
const KIND: Record<string, string> = {
  articles: "a",
  search: "s",
  comments: "c",
  replies: "c",
  topics: "t",
  authors: "au",
  topicArticles: "a",
  authorArticles: "a",
};

/** Out-of-range contents for each kind's keys. */
function craftedCursors(kind: string): [string, string][] {
  if (kind === "s") {
    return [
      ["a rank of 1e300", craft(kind, T, 1, 1e300, 1)],
      ["a rank that real rounds to zero", craft(kind, T, 1, 1e-300, 1)],
      ["a window id of 1e10", craft(kind, T, 1e10, 0.5, 1)],
      ["an id of 1.5", craft(kind, T, 1, 0.5, 1.5)],
      ["year 0", craft(kind, "0000-01-01T00:00:00.000Z", 1, 0.5, 1)],
    ];
  }
  if (kind === "t" || kind === "au") {
    return [
      ["an id of 1e10", craft(kind, "Name", 1e10)],
      ["an id of 1.5", craft(kind, "Name", 1.5)],
      ["a negative id", craft(kind, "Name", -5)],
      ["a NUL in the name", craft(kind, "Na\u0000me", 1)],
    ];
  }
  return [
    ["an id of 1e10", craft(kind, T, 1e10)],
    ["an id of 1.5", craft(kind, T, 1.5)],
    ["an id past int4", craft(kind, T, 2_147_483_648)],
    ["year 0", craft(kind, "0000-01-01T00:00:00.000Z", 1)],
    ["a six-digit year", craft(kind, "+275760-09-13T00:00:00.000Z", 1)],
  ];
}

const codes = (errors: any[] | undefined) => (errors ?? []).map((e) => e.extensions?.code);

describe("crafted cursors", () => {
  const cases = Object.keys(LISTS).flatMap((list) =>
    craftedCursors(KIND[list]!).map(([what, cursor]) => [list, what, cursor] as const),
  );
  test.each(cases)("%s with %s is BAD_USER_INPUT naming after", async (list, _what, cursor) => {
    const res = await server.post({ query: LISTS[list], variables: { after: cursor } });
    expect(codes(res.json.errors)).toEqual(["BAD_USER_INPUT"]);
    expect(res.json.errors[0].extensions.fields).toEqual({ after: "malformed or foreign cursor" });
  });

  test("the lists still page with the cursors they hand out", async () => {
    const endCursor = (value: unknown): string | undefined => {
      if (!value || typeof value !== "object") return undefined;
      const own = (value as { endCursor?: unknown }).endCursor;
      if (typeof own === "string") return own;
      for (const inner of Object.values(value)) {
        const found = endCursor(inner);
        if (found) return found;
      }
      return undefined;
    };
    for (const [list, query] of Object.entries(LISTS)) {
      const paged = query.replace("{ nodes { id } }", "{ nodes { id } pageInfo { endCursor } }");
      const first = await server.post({ query: paged, variables: { after: null } });
      const cursor = endCursor(first.json.data);
      expect([list, typeof cursor]).toEqual([list, "string"]);
      const second = await server.post({ query: paged, variables: { after: cursor } });
      expect([list, second.json.errors]).toEqual([list, undefined]);
    }
  });
});

describe("crafted since values", () => {
  const insides = ["e:9223372036854775808", "e:9999999999999999999", "e:99999999999999999999", "e:-1", "e:1.5"];
  test.each(insides)("commentAdded and articlePublished with since %s are BAD_USER_INPUT", async (inside) => {
    const article = await server.post({ query: `{ article(slug: "${THREAD}") { id } }` });
    for (const query of [
      `subscription ($since: String, $id: ID!) { commentAdded(articleId: $id, since: $since) { cursor } }`,
      `subscription ($since: String) { articlePublished(since: $since) { cursor } }`,
    ]) {
      const result = await wsOperation(server.url, {
        query,
        variables: { since: position(inside), id: article.json.data.article.id },
      });
      expect(codes(wsErrors(result))).toEqual(["BAD_USER_INPUT"]);
    }
  });
});

/**
 * graphql-transport-ws by hand, with payloads as raw text (no JSON.stringify of a 5,000-deep value):
 * sends each subscribe in turn and collects the first answer to each, or the close.
 */
async function rawWs(subscribes: string[]): Promise<{ answers: any[]; closeCode?: number }> {
  const socket = new WebSocket(wsUrl(server.url), "graphql-transport-ws");
  const answers: any[] = [];
  let closeCode: number | undefined;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer in time: ${JSON.stringify(answers)}`)), 15_000);
    const next = () => {
      if (answers.length === subscribes.length) {
        clearTimeout(timer);
        resolve();
      } else socket.send(`{"id":"${answers.length}","type":"subscribe","payload":${subscribes[answers.length]}}`);
    };
    socket.on("open", () => socket.send(JSON.stringify({ type: "connection_init", payload: {} })));
    socket.on("message", (raw) => {
      const msg = JSON.parse(String(raw));
      if (msg.type === "connection_ack") return next();
      if (msg.type === "next" || msg.type === "error") {
        answers.push(msg);
        next();
      }
    });
    socket.on("close", (code) => {
      closeCode = code;
      clearTimeout(timer);
      resolve();
    });
    socket.on("error", reject);
  });
  socket.close();
  return { answers, closeCode };
}

describe(`variables nested deeper than ${MAX_VARIABLE_DEPTH} levels`, () => {
  const stringQuery = `query ($q: String!) { search(query: $q) { nodes { id } } }`;
  const inputQuery = `query ($f: ArticleFilter) { articles(filter: $f) { nodes { id } } }`;
  const body = (query: string, variables: string) => `{"query":${JSON.stringify(query)},"variables":${variables}}`;

  test.each([
    ["a String variable", body(stringQuery, `{"q":${nestedJson(5000)}}`), "q"],
    ["an input-object variable", body(inputQuery, `{"f":{"topicSlugs":${nestedJson(5000)}}}`), "f"],
  ])("over HTTP: %s 5,000 deep is BAD_USER_INPUT (400) naming it", async (_what, text, name) => {
    const res = await server.post(text);
    expect(res.status).toBe(400);
    expect(codes(res.json.errors)).toEqual(["BAD_USER_INPUT"]);
    expect(res.json.errors[0].extensions.fields).toEqual({
      [name]: `nested more than ${MAX_VARIABLE_DEPTH} levels deep`,
    });
  });

  test("over WebSocket: BAD_USER_INPUT naming the variable, and the same socket then answers", async () => {
    const { answers, closeCode } = await rawWs([
      body(stringQuery, `{"q":${nestedJson(5000)}}`),
      JSON.stringify({ query: "{ __typename }" }),
    ]);
    expect(closeCode).toBeUndefined();
    expect(answers.map((a) => a.type)).toEqual(["error", "next"]);
    expect(codes(answers[0].payload)).toEqual(["BAD_USER_INPUT"]);
    expect(answers[0].payload[0].extensions.fields).toEqual({
      q: `nested more than ${MAX_VARIABLE_DEPTH} levels deep`,
    });
    expect(answers[1].payload).toEqual({ data: { __typename: "Query" } });
  });

  test(`${MAX_VARIABLE_DEPTH} levels pass the guard (and meet the usual checks), one more is refused`, async () => {
    const atCap = await server.post({ query: inputQuery, variables: { f: nested(MAX_VARIABLE_DEPTH) } });
    expect(codes(atCap.json.errors)).toEqual(["BAD_USER_INPUT"]); // a list is not an ArticleFilter
    // graphql-js's own coercion error, naming the variable (not the guard's "nested more than" refusal).
    expect(atCap.json.errors[0].extensions.fields).toEqual({ f: 'Field "a" is not defined by type "ArticleFilter".' });
    expect(atCap.json.errors[0].message).toMatch(/ArticleFilter/);
    const over = await server.post({ query: inputQuery, variables: { f: nested(MAX_VARIABLE_DEPTH + 1) } });
    expect(over.json.errors[0].extensions.fields).toEqual({ f: `nested more than ${MAX_VARIABLE_DEPTH} levels deep` });
  });
});

describe("automatic persisted queries", () => {
  const query = "{ articles(first: 1) { nodes { id } } }";
  const sha = (s: string) => createHash("sha256").update(s).digest("hex");

  test("a hash that does not match its query is BAD_USER_INPUT (400), logged as nothing unexpected", async () => {
    const before = log.lines().length;
    for (const send of ["post", "get"] as const) {
      const extensions = { persistedQuery: { version: 1, sha256Hash: sha("{ __typename }") } };
      const res =
        send === "post"
          ? await server.post({ query, extensions })
          : await rawRequest(
              `${server.url}?query=${encodeURIComponent(query)}&extensions=${encodeURIComponent(JSON.stringify(extensions))}`,
              { headers: { accept: "application/json" } },
            );
      expect([send, res.status]).toEqual([send, 400]);
      expect(codes(res.json.errors)).toEqual(["BAD_USER_INPUT"]);
      expect(res.json.errors[0].extensions.fields).toEqual({ sha256Hash: "does not match the query" });
    }
    expect(log.lines().slice(before)).toEqual([]);
  });

  test("the matching hash registers the query, and the hash alone then runs it", async () => {
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha(query) } };
    const first = await server.post({ query, extensions });
    expect(first.json.errors).toBeUndefined();
    const again = await server.post({ extensions });
    expect(again.json.data).toEqual(first.json.data);
  });
});
