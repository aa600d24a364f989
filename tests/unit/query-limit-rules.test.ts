/**
 * Each query limit at its edge (src/shared/query-limits.ts): a document at
 * the limit passes and one past it is refused with the measured figure, and
 * what counts toward each figure is worked out by hand here for small
 * documents against the committed schema (query-limits.test.ts has the
 * fragment worst cases and the property test against a naive expansion).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildSchema, parse } from "graphql";
import {
  checkOperation,
  checkSource,
  DEFAULT_LIMITS,
  tooComplex,
  type QueryLimits,
} from "../../src/shared/query-limits";

const schema = buildSchema(readFileSync(join(__dirname, "../../schema/schema.graphql"), "utf8"));
const roomy: QueryLimits = {
  maxLength: 1e6,
  maxTokens: 1e6,
  maxDepth: 100,
  maxComplexity: 1e9,
  maxAliases: 1000,
  maxDirectives: 1000,
  maxSelections: 1000,
  maxFragmentSpreads: 1e6,
};
/** The refusal as `limit max actual`, or "ok". */
const refusal = (fn: () => unknown): string => {
  try {
    fn();
    return "ok";
  } catch (error) {
    const { code, limit, max, actual } = (error as { extensions: Record<string, unknown> }).extensions;
    if (code !== "QUERY_TOO_COMPLEX") throw error;
    return `${String(limit)} ${String(max)} ${String(actual)}`;
  }
};
const source = (query: string, limits: Partial<QueryLimits>) =>
  refusal(() => checkSource(query, { ...roomy, ...limits }));
const operation = (
  query: string,
  limits: Partial<QueryLimits> = {},
  operationName?: string | null,
  variables?: Record<string, unknown> | null,
) => refusal(() => checkOperation(schema, parse(query), operationName, variables, { ...roomy, ...limits }));
const measure = (query: string, variables?: Record<string, unknown> | null, operationName?: string) =>
  checkOperation(schema, parse(query), operationName, variables, roomy);

test("the defaults are README's", () => {
  expect(DEFAULT_LIMITS).toEqual({
    maxLength: 20_000,
    maxTokens: 2_000,
    maxDepth: 12,
    maxComplexity: 50_000,
    maxAliases: 30,
    maxDirectives: 20,
    maxSelections: 100,
    maxFragmentSpreads: 500,
  });
});

test("a refusal names the limit, the maximum and the figure, and is a 400", () => {
  const error = tooComplex("depth", 12, 13);
  expect(error.message).toBe("Query exceeds the depth limit (13 > 12)");
  expect(error.extensions).toEqual({
    code: "QUERY_TOO_COMPLEX",
    limit: "depth",
    max: 12,
    actual: 13,
    http: { status: 400 },
  });
});

describe("on the text", () => {
  test("length: characters of the text", () => {
    expect(source("{ a }", { maxLength: 5 })).toBe("ok");
    expect(source("{ a }", { maxLength: 4 })).toBe("length 4 5");
  });

  test("tokens: punctuators and names, not commas, spaces or comments; counting stops one past the limit", () => {
    expect(source("{ a, b, c } # a comment", { maxTokens: 5 })).toBe("ok");
    expect(source("{ a, b, c }", { maxTokens: 4 })).toBe("tokens 4 5");
    expect(source("{ a b c d e f g h }", { maxTokens: 2 })).toBe("tokens 2 3");
    // Past the limit before a syntax error: refused, not left to the parser.
    expect(source('{ a b c d "unterminated', { maxTokens: 3 })).toBe("tokens 3 4");
  });

  test("selections: fields (an alias with its field once), spreads and inline fragments, per selection set", () => {
    const query =
      "{ x: a @include(if: true) ...F ... on Query { b c d e } ... @skip(if: false) { f } g(arg: { h: 1, i: [{ j: 2 }] }) }";
    expect(source(query, { maxSelections: 5 })).toBe("ok");
    expect(source(query, { maxSelections: 4 })).toBe("selections 4 5");
    const inner = "{ a ... on Query { b c d e } }";
    expect(source(inner, { maxSelections: 4 })).toBe("ok");
    expect(source(inner, { maxSelections: 3 })).toBe("selections 3 4");
  });

  test("what is not a selection: variables and their defaults, directives, type conditions, fragment names", () => {
    expect(
      source("query Q($a: Int = 1, $b: In = { c: 1, d: [{ e: 2 }] }) @include(if: true) { f }", { maxSelections: 1 }),
    ).toBe("ok");
    expect(source("fragment Frag on Query @include(if: true) { a } { ...Frag }", { maxSelections: 1 })).toBe("ok");
    expect(source("{ ... on Query @include(if: true) { a } }", { maxSelections: 1 })).toBe("ok");
    expect(source("{ a(x: 1, y: { z: 2 }) }", { maxSelections: 1 })).toBe("ok");
  });

  test("fragment spreads: every operation's expansions, a spread inside a fragment once per expansion", () => {
    const twoOperations = "{ ...F } { ...F } fragment F on Query { ...G } fragment G on Query { a }";
    expect(source(twoOperations, { maxFragmentSpreads: 4 })).toBe("ok");
    expect(source(twoOperations, { maxFragmentSpreads: 3 })).toBe("fragmentSpreads 3 4");
    const named = "query A { ...F } query B { ...F ...F } fragment F on Query { a }";
    expect(source(named, { maxFragmentSpreads: 3 })).toBe("ok");
    expect(source(named, { maxFragmentSpreads: 2 })).toBe("fragmentSpreads 2 3");
  });

  test("an operation after the fragments is still an operation", () => {
    const query = "fragment F on Query { ...G } fragment G on Query { a } { ...F }";
    expect(source(query, { maxFragmentSpreads: 2 })).toBe("ok");
    expect(source(query, { maxFragmentSpreads: 1 })).toBe("fragmentSpreads 1 2");
  });

  test("a fragment no operation spreads counts nothing", () => {
    expect(source("{ a } fragment F on Query { ...G ...G } fragment G on Query { a }", { maxFragmentSpreads: 0 })).toBe(
      "ok",
    );
  });

  test("a spread inside an argument's input object is not a spread", () => {
    expect(source("{ a(x: { y: 1 }) { ...F } } fragment F on Query { b }", { maxFragmentSpreads: 1 })).toBe("ok");
    expect(source("{ a(x: { y: 1 }) { ...F } } fragment F on Query { b }", { maxFragmentSpreads: 0 })).toBe(
      "fragmentSpreads 0 1",
    );
  });

  test("a text that does not lex is left to the parser (which reports it): no fragment count", () => {
    expect(source('{ ...F ...F } fragment F on Query { a } "unterminated', { maxFragmentSpreads: 1 })).toBe("ok");
    expect(source("{ ...F ...F } fragment F on Query { a } \u0007", { maxFragmentSpreads: 1 })).toBe("ok");
    expect(source("{ ...F ...F } fragment F on Query { a }", { maxFragmentSpreads: 1 })).toBe("fragmentSpreads 1 2");
  });
});

describe("on the operation", () => {
  test("aliases and directives are counted over the whole document, nested sets and unused fragments included", () => {
    const aliases = "{ a: viewer { r: role } } fragment F on Query { b: viewer { role } }";
    expect(operation(aliases, { maxAliases: 3 })).toBe("ok");
    expect(operation(aliases, { maxAliases: 2 })).toBe("aliases 2 3");
    const directives =
      "query Q @include(if: true) { ...F @include(if: true) ... @skip(if: false) { viewer { role } } } fragment F on Query @include(if: true) { viewer @include(if: true) { role @skip(if: false) } }";
    expect(operation(directives, { maxDirectives: 6 })).toBe("ok");
    expect(operation(directives, { maxDirectives: 5 })).toBe("directives 5 6");
  });

  test("depth: selection-set levels; the deepest branch counts, whichever comes first", () => {
    const query = "{ viewer { role } articles(first: 1) { nodes { id } } }";
    expect(operation(query, { maxDepth: 3 })).toBe("ok");
    expect(operation(query, { maxDepth: 2 })).toBe("depth 2 3");
    const deeper = "{ viewer { author { articles(first: 2) { nodes { id } } } } articles(first: 1) { totalCount } }";
    expect(measure(deeper)?.depth).toBe(5);
    expect(operation(deeper, { maxDepth: 5 })).toBe("ok");
    expect(operation(deeper, { maxDepth: 4 })).toBe("depth 4 5");
    expect(measure("{ articles(first: 1) { totalCount } viewer { author { name } } }")?.depth).toBe(3);
  });

  test("complexity: each object 1, times the first of the list around it", () => {
    expect(measure("{ articles(first: 3) { nodes { id } } }")).toEqual({
      complexity: 6,
      depth: 3,
      fragmentSpreads: 0,
      selectionSetsMeasured: 3,
    });
    expect(operation("{ articles(first: 3) { nodes { id } } }", { maxComplexity: 6 })).toBe("ok");
    expect(operation("{ articles(first: 3) { nodes { id } } }", { maxComplexity: 5 })).toBe("complexity 5 6");
    // A connection's edges and nodes count once each: the `first` of the field that returned it sizes them.
    expect(measure("{ articles(first: 2) { edges { node { id } } } }")?.complexity).toBe(6);
    // An unsized list (bylines) counts 5; a single object 1.
    expect(measure("{ articles(first: 2) { nodes { authors { name } } } }")?.complexity).toBe(14);
    expect(measure('{ article(slug: "x") { authors { name } } }')?.complexity).toBe(6);
    expect(measure("{ viewer { author { articles(first: 2) { nodes { id } } } } }")?.complexity).toBe(6);
    // Leaves cost nothing.
    expect(measure('{ article(slug: "x") { id title } }')?.complexity).toBe(1);
  });

  test("the page size: a literal, a variable, the argument's default, else 20; 0 or less counts 1", () => {
    const byVariable = "query Q($n: Int) { articles(first: $n) { nodes { id } } }";
    expect(measure(byVariable, { n: 4 })?.complexity).toBe(8);
    expect(measure(byVariable, {})?.complexity).toBe(40);
    expect(measure(byVariable, { n: null })?.complexity).toBe(40);
    expect(measure(byVariable, undefined)?.complexity).toBe(40);
    expect(measure(byVariable, null)?.complexity).toBe(40);
    expect(measure("{ articles { nodes { id } } }")?.complexity).toBe(40);
    expect(measure("{ articles(first: null) { nodes { id } } }")?.complexity).toBe(40);
    expect(measure("{ articles(first: 0) { nodes { id } } }")?.complexity).toBe(2);
    expect(measure("{ articles(first: -3) { nodes { id } } }")?.complexity).toBe(2);
    // relatedArticles declares first = 5.
    expect(measure('{ article(slug: "x") { relatedArticles { id } } }')?.complexity).toBe(6);
    expect(measure('{ article(slug: "x") { relatedArticles(first: 7) { id } } }')?.complexity).toBe(8);
  });

  test("inline fragments are measured on their type, or the parent's when they name none or an unknown one", () => {
    expect(measure('{ node(id: "x") { ... on Article { authors { name } } } }')).toEqual({
      complexity: 6,
      depth: 3,
      fragmentSpreads: 0,
      selectionSetsMeasured: 4,
    });
    expect(measure("{ ... @include(if: true) { articles(first: 1) { nodes { id } } } }")?.complexity).toBe(2);
    expect(measure('{ node(id: "x") { ... on Nope { id } } }')?.complexity).toBe(1);
  });

  test("named fragments: measured once, counted at every spread; unknown ones and cycles count nothing", () => {
    expect(measure("{ ...F ...F } fragment F on Query { articles(first: 2) { nodes { id } } }")).toEqual({
      complexity: 8,
      depth: 3,
      fragmentSpreads: 2,
      selectionSetsMeasured: 4,
    });
    expect(measure("{ ...Missing articles(first: 1) { nodes { id } } }")).toMatchObject({
      complexity: 2,
      fragmentSpreads: 1,
    });
    const cycle =
      "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A articles(first: 1) { nodes { id } } }";
    expect(measure(cycle)?.complexity).toBe(2);
    // A fragment's depth is added where it is spread.
    const spreadDeep =
      "{ viewer { author { ...Arts } } } fragment Arts on Author { articles(first: 1) { nodes { id } } }";
    expect(operation(spreadDeep, { maxDepth: 5 })).toBe("ok");
    expect(operation(spreadDeep, { maxDepth: 4 })).toBe("depth 4 5");
  });

  test("fields the walk cannot measure add nothing: introspection, unknown fields, selections on leaves", () => {
    expect(measure("{ __typename __schema { types { fields { type { ofType { name } } } } } }")).toMatchObject({
      complexity: 0,
      depth: 1,
    });
    expect(measure("{ nope { deeper { still } } }")).toMatchObject({ complexity: 0, depth: 1 });
    expect(measure('{ article(slug: "x") { title { what } } }')).toMatchObject({ complexity: 1, depth: 2 });
    expect(measure('{ node(id: "x") { __typename } }')).toMatchObject({ complexity: 1, depth: 2 });
  });

  test("the operation measured is the one named, else the first; one that is missing is left to graphql-js", () => {
    const doc =
      "query Small { viewer { role } } query Big { articles(first: 100) { nodes { relatedArticles(first: 100) { id } } } }";
    expect(operation(doc, { maxComplexity: 1000 }, "Small")).toBe("ok");
    expect(operation(doc, { maxComplexity: 1000 }, "Big")).toBe("complexity 1000 10200");
    expect(operation(doc, { maxComplexity: 1000 })).toBe("ok");
    expect(operation(doc, { maxComplexity: 1000 }, null)).toBe("ok");
    expect(operation(doc, { maxComplexity: 0 }, "Missing")).toBe("ok");
    expect(measure(doc, {}, "Missing")).toBeUndefined();
    expect(measure("fragment F on Query { viewer { role } }")).toBeUndefined();
  });

  test("mutations and subscriptions are measured from their own root types", () => {
    expect(
      measure(
        'mutation { addComment(input: { articleId: "x", authorName: "A", email: "a@b.co", body: "b" }) { comment { id } } }',
      ),
    ).toMatchObject({
      complexity: 2,
      depth: 3,
    });
    expect(measure("subscription { articlePublished { article { authors { name } } } }")).toMatchObject({
      complexity: 7,
      depth: 4,
    });
  });

  test("an operation type the schema does not have is left to graphql-js", () => {
    const tiny = buildSchema("type Query { a: Int }");
    expect(checkOperation(tiny, parse("mutation { a }"), undefined, {}, roomy)).toBeUndefined();
    expect(checkOperation(tiny, parse("subscription { a }"), undefined, {}, roomy)).toBeUndefined();
    expect(checkOperation(tiny, parse("{ a }"), undefined, {}, roomy)).toEqual({
      complexity: 0,
      depth: 1,
      fragmentSpreads: 0,
      selectionSetsMeasured: 1,
    });
  });
});
