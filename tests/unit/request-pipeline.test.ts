/**
 * The request pipeline without a server: each check gets a hostile document,
 * sent once the way HTTP sends it (the source check before Apollo parses, the
 * Apollo plugin once the operation is resolved) and once the way graphql-ws
 * does (the pipeline parses and validates itself), and both ways must refuse
 * it with the same typed error.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildSchema, GraphQLError, parse, type DocumentNode } from "graphql";
import { apolloOptions, pipelinePlugin } from "../../src/pipeline/apollo-plugin";
import { createRequestPipeline, type PipelineConfig, type RequestPipeline } from "../../src/pipeline/request-pipeline";
import { DEFAULT_LIMITS, type QueryLimits } from "../../src/shared/query-limits";
import {
  aliasQuery,
  captureLogger,
  complexQuery,
  deepQuery,
  directiveQuery,
  longQuery,
  selectionQuery,
  tokenQuery,
} from "../support/hardening-helpers";

const schema = buildSchema(readFileSync(join(__dirname, "../../schema/schema.graphql"), "utf8"));
const limits: QueryLimits = {
  maxLength: 1000,
  maxTokens: 80,
  maxDepth: 4,
  maxComplexity: 100,
  maxAliases: 2,
  maxDirectives: 1,
  maxSelections: 5,
  maxFragmentSpreads: 3,
};
const pipelineWith = (config: Partial<PipelineConfig> = {}) =>
  createRequestPipeline(
    schema,
    { queryLimits: limits, introspection: true, production: false, ...config },
    { logger: captureLogger().logger },
  );

type Refusal = { code: unknown; limit?: unknown; fields?: unknown; message: string } | "accepted";
const refusal = (error: unknown): Refusal => {
  if (!(error instanceof GraphQLError)) throw error;
  const { code, limit, fields } = error.extensions;
  return { code, message: error.message, ...(limit ? { limit } : {}), ...(fields ? { fields } : {}) };
};

/** HTTP: the source check before Apollo parses, then (after Apollo's parse and validation) the plugin's hook. */
async function overHttp(pipeline: RequestPipeline, query: string, variables?: Record<string, unknown>) {
  try {
    pipeline.checkSource(query);
    const hooks = await pipelinePlugin(pipeline).requestDidStart!({} as never);
    const document = parse(query);
    await (hooks as any).didResolveOperation({ request: { query, variables }, document, operationName: undefined });
    return "accepted";
  } catch (error) {
    return refusal(error);
  }
}

/** graphql-ws: the pipeline parses and validates, then checks the operation. */
function overWebSocket(pipeline: RequestPipeline, query: string, variables?: Record<string, unknown>): Refusal {
  const checked = pipeline.document(query);
  if (Array.isArray(checked)) return refusal(checked[0]);
  try {
    pipeline.checkOperation({ transport: "websocket", document: checked as DocumentNode, variables });
    return "accepted";
  } catch (error) {
    return refusal(error);
  }
}

const fragmentSpreads = `{ articles(first: 1) { nodes { ...A ...A } } } fragment A on Article { ...B } fragment B on Article { id }`;

describe("every limit, the same QUERY_TOO_COMPLEX on both transports", () => {
  const cases: [string, string][] = [
    ["length", longQuery(1001)],
    ["tokens", tokenQuery(81)],
    ["selections", selectionQuery(6)],
    ["fragmentSpreads", fragmentSpreads],
    ["depth", deepQuery(5)],
    ["complexity", complexQuery(102)],
    ["aliases", aliasQuery(3)],
    ["directives", directiveQuery(2)],
  ];
  test.each(cases)("%s", async (limit, query) => {
    const pipeline = pipelineWith();
    const http = await overHttp(pipeline, query);
    expect(http).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit });
    expect(overWebSocket(pipeline, query)).toEqual(http);
    // The same document passes a pipeline with the default limits: the limit, not the document, refused it.
    const roomy = pipelineWith({ queryLimits: DEFAULT_LIMITS });
    expect([await overHttp(roomy, query), overWebSocket(roomy, query)]).toEqual(["accepted", "accepted"]);
  });

  test("the source checks run before parsing: a too-long text that does not even parse is QUERY_TOO_COMPLEX", async () => {
    const query = `{ ${"(".repeat(1001)}`;
    const pipeline = pipelineWith();
    expect(await overHttp(pipeline, query)).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit: "length" });
    expect(overWebSocket(pipeline, query)).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit: "length" });
  });
});

describe("input guards", () => {
  test("a NUL in a literal argument is BAD_USER_INPUT naming it, on both transports", async () => {
    const query = `{ article(slug: "a\\u0000b") { id } }`;
    const pipeline = pipelineWith();
    const http = await overHttp(pipeline, query);
    expect(http).toMatchObject({ code: "BAD_USER_INPUT", fields: { slug: "must not contain NUL characters" } });
    expect(overWebSocket(pipeline, query)).toEqual(http);
  });

  test("a NUL in a variable is BAD_USER_INPUT naming the variable, on both transports", async () => {
    const query = `query Q($s: String!) { article(slug: $s) { id } }`;
    const pipeline = pipelineWith();
    const http = await overHttp(pipeline, query, { s: "x\u0000" });
    expect(http).toMatchObject({ code: "BAD_USER_INPUT", fields: { s: "must not contain NUL characters" } });
    expect(overWebSocket(pipeline, query, { s: "x\u0000" })).toEqual(http);
    expect(overWebSocket(pipeline, query, { s: "x" })).toBe("accepted");
  });

  test("a subscription is refused over HTTP and runs over WebSocket", async () => {
    const query = "subscription { articlePublished { cursor } }";
    const pipeline = pipelineWith();
    expect(await overHttp(pipeline, query)).toMatchObject({
      code: "BAD_USER_INPUT",
      message: expect.stringMatching(/WebSocket/),
    });
    expect(overWebSocket(pipeline, query)).toBe("accepted");
  });
});

describe("validation and errors", () => {
  const introspection = "{ __schema { types { name } } }";

  test("introspection off: graphql-ws refuses __schema in validation, and Apollo is told to", () => {
    const off = pipelineWith({ introspection: false });
    expect(overWebSocket(off, introspection)).toMatchObject({ code: "GRAPHQL_VALIDATION_FAILED" });
    expect(apolloOptions(off).introspection).toBe(false);
    const on = pipelineWith({ introspection: true });
    expect(overWebSocket(on, introspection)).toBe("accepted");
    expect(apolloOptions(on).introspection).toBe(true);
  });

  test("parse and validation errors carry their codes; a document is parsed once however often it is sent", () => {
    const pipeline = pipelineWith();
    expect(overWebSocket(pipeline, "{ articles(")).toMatchObject({ code: "GRAPHQL_PARSE_FAILED" });
    expect(overWebSocket(pipeline, "{ nope }")).toMatchObject({ code: "GRAPHQL_VALIDATION_FAILED" });
    const query = "{ articles(first: 1) { totalCount } }";
    expect(pipeline.document(query)).toBe(pipeline.document(query));
  });

  test("production hides suggestions (the formatter and Apollo's option); development keeps them", () => {
    const [suggestion] = pipelineWith().document("{ articels(first: 1) { totalCount } }") as GraphQLError[];
    expect(suggestion!.message).toMatch(/Did you mean/);
    const dev = pipelineWith({ production: false });
    const prod = pipelineWith({ production: true });
    expect(dev.maskErrors([suggestion!])[0]!.message).toMatch(/Did you mean/);
    expect(prod.maskErrors([suggestion!])[0]!.message).not.toMatch(/Did you mean/);
    expect(prod.maskErrors([suggestion!])[0]!.extensions!.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect([
      apolloOptions(dev).hideSchemaDetailsFromClientErrors,
      apolloOptions(prod).hideSchemaDetailsFromClientErrors,
    ]).toEqual([false, true]);
  });

  test("an unexpected error is masked as INTERNAL_SERVER_ERROR on both transports (one formatter)", () => {
    const pipeline = pipelineWith();
    const error = new GraphQLError("wrapped", { originalError: new Error('relation "secret" does not exist') });
    const [masked] = pipeline.maskErrors([error]);
    expect(masked).toMatchObject({ message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } });
    expect(apolloOptions(pipeline).formatError).toBe(pipeline.formatError);
    expect(pipeline.formatError(error.toJSON(), error)).toEqual(masked);
  });
});
