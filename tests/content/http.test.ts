/**
 * The HTTP side of /graphql: GET and POST per the GraphQL-over-HTTP spec,
 * status codes for bad requests, response media types, and the self-hosted
 * GraphiQL page.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { demoArticles } from "../../src/seed/demo-content";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const newest = [...demoArticles].sort((a, b) => a.hoursAgo - b.hoursAgo).map((a) => a.slug);
const GRAPHQL_RESPONSE = "application/graphql-response+json";
const authorsInDatabase = async () =>
  (await server.db.query<{ n: number }>("SELECT count(*)::int AS n FROM authors"))[0]!.n;

/**
 * A GET with no body and no content-type. Apollo's CSRF prevention also wants an
 * apollo-require-preflight header on it; `spec: true` leaves that out, as a
 * GraphQL-over-HTTP client (curl, a CDN, a link) does.
 */
async function get(params: Record<string, string>, headers: Record<string, string> = {}, spec = false) {
  const url = new URL(server.url);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const res = await fetch(url, {
    headers: {
      accept: `${GRAPHQL_RESPONSE}, application/json`,
      ...(spec ? {} : { "apollo-require-preflight": "true" }),
      ...headers,
    },
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

describe("GET", () => {
  const query = "{ articles(first: 2) { nodes { slug } } }";
  const expected = { data: { articles: { nodes: newest.slice(0, 2).map((slug) => ({ slug })) } } };

  test("runs a query from the query string", async () => {
    const res = await get({ query });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/graphql-response\+json/);
    expect(res.json()).toEqual(expected);
  });

  // The contract promises GET per the GraphQL-over-HTTP spec; such a client sends only Accept.
  test("runs a query for a spec-compliant client that sends no extra headers", async () => {
    const res = await get({ query }, {}, true);
    expect([res.status, res.json()]).toEqual([200, expected]);
  });

  test("takes variables and operationName", async () => {
    const res = await get({
      query: "query A($s: String!) { article(slug: $s) { title } } query B { viewer { role } }",
      variables: JSON.stringify({ s: newest[0] }),
      operationName: "A",
    });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ data: { article: { title: demoArticles.find((a) => a.slug === newest[0])!.title } } });
  });

  test("a GET accepting text/html that carries a query runs it instead of serving GraphiQL", async () => {
    const res = await get({ query: '{ topic(slug: "sport") { name } }' }, { accept: "text/html, application/json" });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ data: { topic: { name: "Sport" } } });
  });

  const hasMutationType = /^type Mutation\b/m.test(
    readFileSync(join(__dirname, "../../schema/schema.graphql"), "utf8"),
  );
  // Without a Mutation type there is no mutation to refuse (validation rejects it first).
  (hasMutationType ? test : test.skip)("refuses a mutation with 405", async () => {
    const res = await get({ query: "mutation { __typename }" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toMatch(/POST/);
    expect(res.json().data).toBeUndefined();
  });
});

describe("POST", () => {
  test("answers in the media type the client accepts", async () => {
    const body = JSON.stringify({ query: "{ authors(first: 1) { totalCount } }" });
    for (const [accept, expected] of [
      [GRAPHQL_RESPONSE, GRAPHQL_RESPONSE],
      [`${GRAPHQL_RESPONSE}, application/json`, GRAPHQL_RESPONSE],
      ["application/json", "application/json"],
    ]) {
      const res = await fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json", accept },
        body,
      });
      expect([accept, res.status]).toEqual([accept, 200]);
      expect(res.headers.get("content-type")).toMatch(new RegExp(`^${expected.replace(/[+]/g, "\\+")}\\b`));
      expect(((await res.json()) as any).data.authors.totalCount).toBe(await authorsInDatabase());
    }
  });

  test("a body that is not JSON is 400", async () => {
    const res = await server.post('{"query": "{ articles { totalCount } }"');
    expect(res.status).toBe(400);
    expect(res.json.errors).toHaveLength(1);
    expect(res.json.data).toBeUndefined();
  });

  test("a syntax error is 400 GRAPHQL_PARSE_FAILED", async () => {
    const res = await server.post({ query: "{ articles(first: 2) { nodes { slug }" });
    expect(res.status).toBe(400);
    expect(res.json.errors[0].extensions.code).toBe("GRAPHQL_PARSE_FAILED");
    expect(res.json.data).toBeUndefined();
  });

  test("an unknown field is 400 GRAPHQL_VALIDATION_FAILED", async () => {
    const res = await server.post({ query: "{ articles { nodes { slug headline } } }" });
    expect(res.status).toBe(400);
    expect(res.json.errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(res.json.errors[0].message).toMatch(/headline/);
    expect(JSON.stringify(res.json)).not.toMatch(/stacktrace/i);
  });

  test("a missing query is 400", async () => {
    const res = await server.post({ variables: {} });
    expect(res.status).toBe(400);
    expect(res.json.errors).toHaveLength(1);
  });
});

describe("GraphiQL", () => {
  test("a browser GET gets the page, with every asset served locally", async () => {
    const res = await fetch(server.url, { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toMatch(/<div id="graphiql">/);

    const refs = [...html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)\s*=\s*["']([^"']+)["']/gi)].map(
      (m) => m[1]!,
    );
    // The page's stylesheet and scripts, in the order they load (React first, the page's own script last).
    expect(refs).toEqual([
      "/graphiql/graphiql.css",
      "/graphiql/react.js",
      "/graphiql/react-dom.js",
      "/graphiql/graphiql.js",
      "/graphiql/graphql-ws.js",
      "/graphiql/graphiql-page.js",
    ]);
    for (const ref of refs) {
      expect(ref).toMatch(/^\/graphiql\//);
      expect(ref).not.toMatch(/^(https?:)?\/\//);
    }
    expect(html).not.toMatch(/unpkg|jsdelivr|cdnjs|esm\.sh/i);
    expect(refs.some((r) => r.endsWith(".css"))).toBe(true);
    expect(refs.some((r) => r.endsWith(".js"))).toBe(true);

    for (const ref of refs) {
      const asset = await fetch(new URL(ref, server.url));
      expect([ref, asset.status]).toEqual([ref, 200]);
      expect(asset.headers.get("content-type")).toMatch(ref.endsWith(".css") ? /text\/css/ : /javascript/);
      expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
  });

  test("an unknown asset, or a path outside the assets, is 404", async () => {
    for (const path of ["/graphiql/nope.js", "/graphiql/..%2F..%2Fpackage.json", "/graphiql/"]) {
      const res = await fetch(new URL(path, server.url));
      expect([path, res.status]).toEqual([path, 404]);
    }
  });
});
