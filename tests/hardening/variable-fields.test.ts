/**
 * A variable that fails coercion is BAD_USER_INPUT naming what failed in extensions.fields, as every other
 * bad input is (a DateTime that is no date used to come without it), over HTTP and graphql-ws alike, and
 * without repeating the value sent.
 */
import { Role } from "../../src/modules/auth/role";
import { wsErrors, wsOperation } from "../support/hardening-helpers";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

let server: TestServer;
let editor: string;
let articleId: string;
beforeAll(async () => {
  server = await startTestServer();
  editor = await server.token("variable-fields-editor", Role.EDITOR);
  const res = await server.post({ query: `{ articles(first: 1) { nodes { id } } }` });
  articleId = res.json.data.articles.nodes[0].id;
});
afterAll(() => server?.stop());

const PUBLISH = `mutation ($id: ID!, $at: DateTime) { publishArticle(id: $id, at: $at) { id } }`;

test.each([
  ["not a date", "not-a-date"],
  ["an impossible day", "2020-02-30T00:00:00Z"],
  ["a number", 1e20],
  ["an address (never repeated)", "ada@example.com"],
])("a DateTime variable given %s is BAD_USER_INPUT naming it, over HTTP", async (_what, at) => {
  const res = await server.post({ query: PUBLISH, variables: { id: articleId, at } }, { token: editor });
  expect(res.status).toBe(400);
  expect(res.json.errors).toHaveLength(1);
  const [error] = res.json.errors;
  expect(error.extensions.code).toBe("BAD_USER_INPUT");
  expect(Object.keys(error.extensions.fields)).toEqual(["at"]);
  expect(error.extensions.fields.at).toMatch(/^DateTime cannot represent/);
  expect(JSON.stringify(error)).not.toContain(String(at));
});

test("a DateTime variable that is no date is BAD_USER_INPUT naming it, over graphql-ws", async () => {
  const result = await wsOperation(
    server.url,
    { query: PUBLISH, variables: { id: articleId, at: "not-a-date" } },
    { token: editor },
  );
  const errors = wsErrors(result);
  expect(errors.map((e: any) => [e.extensions?.code, Object.keys(e.extensions?.fields ?? {})])).toEqual([
    ["BAD_USER_INPUT", ["at"]],
  ]);
  expect(JSON.stringify(errors)).not.toContain("not-a-date");
});

test("an input field of the wrong type is named by the field, a missing variable by the variable", async () => {
  const wrong = await server.post(
    {
      query: `mutation ($i: CreateArticleInput!) { createArticle(input: $i) { id } }`,
      variables: { i: { title: { nested: true }, body: "b" } },
    },
    { token: editor },
  );
  expect([wrong.status, wrong.json.errors.map((e: any) => [e.extensions.code, e.extensions.fields])]).toEqual([
    400,
    [["BAD_USER_INPUT", { title: "String cannot represent a non string value: [value]" }]],
  ]);
  const missing = await server.post({ query: `query ($s: String!) { article(slug: $s) { id } }` });
  expect([missing.status, missing.json.errors.map((e: any) => [e.extensions.code, e.extensions.fields])]).toEqual([
    400,
    [["BAD_USER_INPUT", { s: 'Variable "$s" of required type "String!" was not provided.' }]],
  ]);
});
