/**
 * A submitted email field's value never comes back in an error, whatever its
 * shape, over HTTP and WebSocket: sent in the input variable (with another
 * field missing, as a non-string, in a list), in a variable of its own, as a
 * literal of the wrong type, as a literal with the input incomplete, and as
 * the token a syntax error stops at. The property: for every generated address
 * the answer is exactly the answer for a reference address, so no part of it
 * (not `o'` of `o'brien@...`, not a shape a pattern would miss) can show.
 */
import fc from "fast-check";
import { toGlobalId } from "../../src/shared/node-id";
import { postJson, wsErrors, wsOperation } from "../support/hardening-helpers";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const ARTICLE = toGlobalId("Article", 1);
const SELECTION = "{ comment { id } }";
const ADD = `mutation ($input: AddCommentInput!) { addComment(input: $input) ${SELECTION} }`;
const literal = (rest: string) =>
  `mutation { addComment(input: {articleId: "${ARTICLE}", authorName: "A", ${rest}}) ${SELECTION} }`;
const full = { articleId: ARTICLE, authorName: "A", body: "B" };

type Request = { query: string; variables?: Record<string, unknown> };
const variants: Record<string, (email: string) => Request> = {
  "input variable, body missing": (e) => ({ query: ADD, variables: { input: { ...full, body: undefined, email: e } } }),
  "input variable, email an object": (e) => ({ query: ADD, variables: { input: { ...full, email: { address: e } } } }),
  "input variable, email in a list": (e) => ({ query: ADD, variables: { input: { ...full, email: [e, e] } } }),
  "a variable of its own, an object": (e) => ({
    query: `mutation ($email: String!) { addComment(input: {articleId: "${ARTICLE}", authorName: "A", body: "B", email: $email}) ${SELECTION} }`,
    variables: { email: { address: e } },
  }),
  "a literal object": (e) => ({ query: literal(`body: "B", email: {address: ${JSON.stringify(e)}}`) }),
  "a literal, body missing": (e) => ({ query: literal(`email: ${JSON.stringify(e)}`) }),
  "a literal after a missing colon": (e) => ({ query: literal(`body: "B", email ${JSON.stringify(e)}`) }),
};

const transports = {
  http: async (r: Request) => {
    const res = await postJson(server.url, r);
    return JSON.stringify({ status: res.status, body: res.json ?? res.text });
  },
  websocket: async (r: Request) => JSON.stringify(wsErrors(await wsOperation(server.url, r))),
};

const SHAPES = [
  "a@10.0.0.1",
  "a@corp.x",
  "o'brien@example.org",
  '"quoted"@example.org',
  "back\\slash@example.org",
  "semi;colon@example.org",
  'x at "input.email"@example.org',
  "Ｆｕｌｌ＠ｗｉｄｔｈ.example",
  "émile.zola@exemple.fr",
];
const address = fc.oneof(
  fc.constantFrom(...SHAPES),
  fc.emailAddress(),
  fc
    .tuple(fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }), fc.domain())
    .map(([local, domain]) => `${local}@${domain}`)
    .filter((e) => !e.includes("\u0000")),
);
const REFERENCE = "reference.reader@example.com";

describe.each(Object.keys(transports) as (keyof typeof transports)[])("over %s", (transport) => {
  test.each(Object.keys(variants))("%s: the answer does not depend on the address", async (variant) => {
    const send = (email: string) => transports[transport](variants[variant]!(email));
    const expected = await send(REFERENCE);
    expect(expected).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED|GRAPHQL_PARSE_FAILED/);
    expect(expected).not.toContain("reference.reader");
    for (const email of SHAPES) expect(await send(email)).toBe(expected);
    await fc.assert(
      fc.asyncProperty(address, async (email) => {
        const answer = await send(email);
        expect(answer).toBe(expected);
      }),
      { numRuns: transport === "http" ? 30 : 10 },
    );
  });
});

test("the errors still say what is wrong and where", async () => {
  const message = async (variant: string) =>
    JSON.parse(await transports.http(variants[variant]!(REFERENCE))).body.errors[0].message;
  expect(await message("input variable, body missing")).toBe(
    'Variable "$input" got invalid value; Field "body" of required type "String!" was not provided.',
  );
  expect(await message("input variable, email an object")).toBe(
    'Variable "$input" got invalid value at "input.email"; String cannot represent a non string value: [value]',
  );
  expect(await message("a literal object")).toBe("String cannot represent a non string value: [value]");
  expect(await message("a literal after a missing colon")).toBe('Syntax Error: Expected ":", found String.');
});
