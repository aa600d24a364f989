/**
 * The graphql-ws document stage and the Apollo plugin of the request pipeline
 * (src/pipeline/documents.ts, apollo-plugin.ts): what is memoised and for how
 * many documents, which codes parse and validation failures get, and what the
 * plugin records in the request scope.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  buildSchema,
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  type DocumentNode,
  type ValidationRule,
} from "graphql";
import { pipelinePlugin } from "../../src/pipeline/apollo-plugin";
import { createDocumentChecker, validationRules } from "../../src/pipeline/documents";
import { createRequestPipeline } from "../../src/pipeline/request-pipeline";
import { AppError } from "../../src/shared/errors";
import { DEFAULT_LIMITS } from "../../src/shared/query-limits";
import { requestScope, type RequestScope } from "../../src/shared/request-scope";
import { captureLogger } from "../support/hardening-helpers";

const schema = buildSchema(readFileSync(join(__dirname, "../../schema/schema.graphql"), "utf8"));
const tiny = buildSchema("type Query { a: Int }");
const query = (i: number) => `{ q${i}: articles(first: 1) { totalCount } }`;

describe("validation rules", () => {
  test("with introspection: graphql-js's rules; without: those and the no-introspection rule", () => {
    expect(validationRules({ introspection: true })).toBe(specifiedRules);
    expect(validationRules({ introspection: false })).toEqual([...specifiedRules, NoSchemaIntrospectionCustomRule]);
  });
});

describe("the document checker", () => {
  const checker = (rules: readonly ValidationRule[] = specifiedRules, source: (q: string) => void = () => undefined) =>
    createDocumentChecker(schema, rules, source);

  test("a valid document is parsed once and kept: the same object each time", () => {
    const sources: string[] = [];
    const check = checker(specifiedRules, (q) => void sources.push(q));
    const first = check(query(1));
    expect((first as DocumentNode).kind).toBe("Document");
    expect(check(query(1))).toBe(first);
    expect(sources).toEqual([query(1)]);
  });

  test("validation errors are kept too, coded GRAPHQL_VALIDATION_FAILED, with their locations", () => {
    const check = checker();
    const errors = check("{\n  zzzz\n}") as GraphQLError[];
    expect(errors.map((e) => [e.message, e.extensions.code, e.locations])).toEqual([
      ['Cannot query field "zzzz" on type "Query".', "GRAPHQL_VALIDATION_FAILED", [{ line: 2, column: 3 }]],
    ]);
    expect(errors[0]!.source?.body).toBe("{\n  zzzz\n}");
    expect(check("{\n  zzzz\n}")).toBe(errors);
  });

  test("a validation error that already has a code keeps it", () => {
    const coded: ValidationRule = (context) => ({
      Field(node) {
        if (node.name.value === "viewer") context.reportError(new GraphQLError("no", { extensions: { code: "OWN" } }));
      },
    });
    const errors = checker([...specifiedRules, coded])("{ viewer { role } }") as GraphQLError[];
    expect(errors.map((e) => [e.message, e.extensions.code])).toEqual([["no", "OWN"]]);
  });

  test("a parse error is GRAPHQL_PARSE_FAILED with its location; the source check's AppError is returned as it is", () => {
    const [parseError] = checker()("{ articles(") as GraphQLError[];
    expect([parseError!.extensions.code, parseError!.locations]).toEqual([
      "GRAPHQL_PARSE_FAILED",
      [{ line: 1, column: 12 }],
    ]);
    const tooLong = new AppError("QUERY_TOO_COMPLEX", "too long");
    const refusing = checker(specifiedRules, () => {
      throw tooLong;
    });
    expect(refusing(query(1))).toEqual([tooLong]);
    expect((refusing(query(1)) as GraphQLError[])[0]).toBe(tooLong);
  });

  test("anything else thrown is not a client error: it propagates", () => {
    const broken = checker(specifiedRules, () => {
      throw new TypeError("bug");
    });
    expect(() => broken(query(1))).toThrow(TypeError);
  });

  test("a thousand documents are kept; the next one pushes out the oldest", () => {
    const sources: string[] = [];
    // A one-field schema: the memo is under test, not validation.
    const check = createDocumentChecker(tiny, specifiedRules, (q) => void sources.push(q));
    const query = (i: number) => `{ q${i}: a }`;
    const kept = Array.from({ length: 1000 }, (_, i) => check(query(i)));
    expect(sources).toHaveLength(1000);
    // All thousand still kept.
    for (const i of [0, 1, 500, 999]) expect(check(query(i))).toBe(kept[i]);
    expect(sources).toHaveLength(1000);
    check(query(1000));
    // The newest and the second oldest are kept; the oldest was pushed out, and is checked again.
    expect(check(query(1000))).toBe(check(query(1000)));
    expect(check(query(1))).toBe(kept[1]);
    expect(check(query(999))).toBe(kept[999]);
    expect(sources).toHaveLength(1001);
    expect(check(query(0))).not.toBe(kept[0]);
    expect(sources).toHaveLength(1002);
  });
});

describe("the Apollo plugin", () => {
  const pipeline = createRequestPipeline(
    schema,
    { queryLimits: DEFAULT_LIMITS, introspection: true, production: false },
    { logger: captureLogger().logger },
  );
  const resolve = async (operationName: string | null, document = parse("query Q { viewer { role } }")) => {
    const hooks = (await pipelinePlugin(pipeline).requestDidStart!({} as never)) as {
      didResolveOperation(args: unknown): Promise<void>;
    };
    await hooks.didResolveOperation({ request: { variables: {} }, document, operationName });
  };

  test("records the resolved operation's name in the request scope", async () => {
    const scope: RequestScope = { requestId: "r" };
    await requestScope.run(scope, () => resolve("Q"));
    expect(scope.operationName).toBe("Q");
    const anonymous: RequestScope = { requestId: "r", operationName: "stale" };
    await requestScope.run(anonymous, () => resolve(null));
    expect(anonymous).toEqual({ requestId: "r", operationName: undefined });
  });

  test("outside a request scope it only checks", async () => {
    await expect(resolve("Q")).resolves.toBeUndefined();
    await expect(resolve(null, parse("subscription S { articlePublished { cursor } }"))).rejects.toMatchObject({
      extensions: { code: "BAD_USER_INPUT" },
    });
  });

  test("checks the operation it was told of, with its variables", async () => {
    const pipeline = createRequestPipeline(
      schema,
      { queryLimits: { ...DEFAULT_LIMITS, maxComplexity: 1000 }, introspection: true, production: false },
      { logger: captureLogger().logger },
    );
    const document = parse(
      "query Small { viewer { role } } query Big($n: Int) { articles(first: $n) { nodes { relatedArticles(first: 100) { title } } } }",
    );
    const hooks = (await pipelinePlugin(pipeline).requestDidStart!({} as never)) as {
      didResolveOperation(args: unknown): Promise<void>;
    };
    const run = (operationName: string, variables: Record<string, unknown>) =>
      hooks.didResolveOperation({ request: { variables }, document, operationName });
    await expect(run("Small", {})).resolves.toBeUndefined();
    // articles(first: n) costs n * (1 + nodes' 1 + 100 related): 102 for 1, 10,200 for 100.
    await expect(run("Big", { n: 1 })).resolves.toBeUndefined();
    await expect(run("Big", { n: 100 })).rejects.toMatchObject({ extensions: { limit: "complexity" } });
  });
});
