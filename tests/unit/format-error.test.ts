/**
 * Error formatting without a server (src/shared/format-error.ts): which errors
 * reach the client as they are, which are masked as INTERNAL_SERVER_ERROR
 * (logged under the request id, `retriable` when the database or the network
 * to it failed), and that no submitted value is repeated in a client error.
 * The request errors are graphql-js's own, produced here by executing,
 * validating and parsing against the committed schema; the expected messages
 * are written out.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { GraphQLFormattedError } from "graphql";
import { buildSchema, execute, GraphQLError, parse, validate } from "graphql";
import { GraphQLDateTime } from "graphql-scalars";
import { AppError, BadInputError, CLIENT_ERROR_CODES } from "../../src/shared/errors";
import { createErrorFormatter, withoutEchoedInput } from "../../src/shared/format-error";
import { requestScope } from "../../src/shared/request-scope";
import { captureLogger } from "../support/hardening-helpers";

const schema = buildSchema(readFileSync(join(__dirname, "../../schema/schema.graphql"), "utf8"));

function formatterWith(production = false) {
  const log = captureLogger();
  const counted: string[] = [];
  const format = createErrorFormatter(log.logger, (code) => counted.push(code), production);
  return { format, counted, log };
}
/** What graphql-ws does with an error: its JSON form, and the error itself. */
const formatted = (error: GraphQLError, production = false) => formatterWith(production).format(error.toJSON(), error);

/** The errors of executing `query` with `variables` (variable coercion fails before any resolver). */
const variableErrors = (query: string, variables: Record<string, unknown>) =>
  execute({ schema, document: parse(query), variableValues: variables }) as { errors: GraphQLError[] };
const validationError = (query: string) => validate(schema, parse(query))[0]!;
const syntaxError = (query: string): GraphQLError => {
  try {
    parse(query);
  } catch (error) {
    return error as GraphQLError;
  }
  throw new Error(`parsed: ${query}`);
};

describe("no submitted value is repeated", () => {
  test("a variable's value goes, with the part that failed, wherever graphql-js repeats it", () => {
    const cases: [string, Record<string, unknown>, string, Record<string, string>][] = [
      [
        "query Q($s: String!) { article(slug: $s) { id } }",
        { s: { email: "ada@example.com" } },
        'Variable "$s" got invalid value; String cannot represent a non string value: [value]',
        { s: "String cannot represent a non string value: [value]" },
      ],
      [
        "query Q($f: Int) { articles(first: $f) { totalCount } }",
        { f: "ada@example.com" },
        'Variable "$f" got invalid value; Int cannot represent non-integer value: [value]',
        { f: "Int cannot represent non-integer value: [value]" },
      ],
      [
        "mutation M($i: AddCommentInput!) { addComment(input: $i) { __typename } }",
        { i: { articleId: "x", authorName: 5, email: "ada@example.com", body: "b" } },
        'Variable "$i" got invalid value at "i.authorName"; String cannot represent a non string value: [value]',
        { authorName: "String cannot represent a non string value: [value]" },
      ],
      [
        "mutation M($i: AddCommentInput!) { addComment(input: $i) { __typename } }",
        { i: { articleId: "x", authorName: "Ada", email: "ada@example.com", body: "b", extra: "ada@example.org" } },
        'Variable "$i" got invalid value; Field "extra" is not defined by type "AddCommentInput".',
        { i: 'Field "extra" is not defined by type "AddCommentInput".' },
      ],
      [
        "mutation M($i: CreateArticleInput!) { createArticle(input: $i) { __typename } }",
        { i: { title: "t", body: "b", topicSlugs: ["a", 7] } },
        'Variable "$i" got invalid value at "i.topicSlugs[1]"; String cannot represent a non string value: [value]',
        { topicSlugs: "String cannot represent a non string value: [value]" },
      ],
      [
        "query Q($s: String!) { article(slug: $s) { id } }",
        {},
        'Variable "$s" of required type "String!" was not provided.',
        { s: 'Variable "$s" of required type "String!" was not provided.' },
      ],
    ];
    for (const [query, variables, expected, fields] of cases) {
      const [error] = variableErrors(query, variables).errors;
      expect(withoutEchoedInput(error!.message, error)).toBe(expected);
      // Over graphql-ws such an error has no code: it is the request's fault, so BAD_USER_INPUT.
      expect(formatted(error!)).toEqual({
        message: expected,
        locations: error!.locations,
        extensions: { code: "BAD_USER_INPUT", fields },
      });
    }
  });

  test("a message of another shape on a variable is left as it is, but for addresses", () => {
    const [coerced] = variableErrors("query Q($f: Int) { articles(first: $f) { totalCount } }", { f: "x" }).errors;
    const node = coerced!.nodes!;
    const reason = new GraphQLError("bad");
    const other = (message: string) => new GraphQLError(message, { nodes: node, originalError: reason });
    expect(withoutEchoedInput('Variable "$f" is not used by ada@example.com; bad', other("x"))).toBe(
      'Variable "$f" is not used by [redacted]; bad',
    );
    expect(withoutEchoedInput('Variable "$f" got invalid value "v"; other reason', other("x"))).toBe(
      'Variable "$f" got invalid value "v"; other reason',
    );
    expect(withoutEchoedInput('Variable "$g" got invalid value "v"; bad', other("x"))).toBe(
      'Variable "$g" got invalid value "v"; bad',
    );
    // Without a reason (no originalError) there is nothing to take apart.
    const bare = new GraphQLError('Variable "$f" got invalid value "v"; bad', { nodes: node });
    expect(withoutEchoedInput(bare.message, bare)).toBe('Variable "$f" got invalid value "v"; bad');
  });

  test("a literal argument is replaced by [value], whatever kind of value it is; other nodes stay", () => {
    const cases: [string, string][] = [
      ['{ articles(first: "ada@example.com") { totalCount } }', "Int cannot represent non-integer value: [value]"],
      ["{ article(slug: 5) { id } }", "String cannot represent a non string value: [value]"],
      ["{ article(slug: 5.5) { id } }", "String cannot represent a non string value: [value]"],
      ["{ article(slug: true) { id } }", "String cannot represent a non string value: [value]"],
      ["{ article(slug: SECRET) { id } }", "String cannot represent a non string value: [value]"],
      ['{ article(slug: ["a@b.example"]) { id } }', "String cannot represent a non string value: [value]"],
      ['{ article(slug: { email: "a" }) { id } }', "String cannot represent a non string value: [value]"],
      ["{ node(id: null) { id } }", 'Expected value of type "ID!", found [value].'],
    ];
    for (const [query, expected] of cases) {
      const error = validationError(query);
      expect([query, withoutEchoedInput(error.message, error)]).toEqual([query, expected]);
    }
    const field = validationError('{ article(slug: "x") { nope } }');
    expect(withoutEchoedInput(field.message, field)).toBe('Cannot query field "nope" on type "Article".');
  });

  test("a syntax error drops the token it stopped at, from the parser and from the lexer", () => {
    const cases: [string, string][] = [
      ['{ article "ada@example.com" }', "Syntax Error: Expected Name, found String."],
      ['{ article """ada@example.com""" }', "Syntax Error: Expected Name, found BlockString."],
      ["query Q { a } secret", "Syntax Error: Unexpected Name."],
      ["{ a } 12345", "Syntax Error: Unexpected Int."],
      ["{ a } 1.5", "Syntax Error: Unexpected Float."],
      ['{ a(b: "\\u12") }', "Syntax Error: Invalid Unicode escape sequence."],
      ["{ \u0007 }", "Syntax Error: Unexpected character."],
    ];
    for (const [query, expected] of cases) {
      const error = syntaxError(query);
      expect([query, withoutEchoedInput(error.message, error)]).toEqual([query, expected]);
    }
    // Only syntax errors are read that way.
    expect(withoutEchoedInput('Expected Name, found String "x".')).toBe('Expected Name, found String "x".');
    expect(withoutEchoedInput("Unexpected character: U+0007.")).toBe("Unexpected character: U+0007.");
    expect(withoutEchoedInput("Syntax Error: Expected Name, found <EOF>.")).toBe(
      "Syntax Error: Expected Name, found <EOF>.",
    );
  });

  test("addresses anywhere else are [redacted]; what is not an address stays", () => {
    const redact = (message: string) => withoutEchoedInput(message);
    expect(redact("ada@example.com is taken")).toBe("[redacted] is taken");
    expect(redact("from <ada.l+tag@mail.example.org>, to 'eve@example.io'")).toBe("from <[redacted]>, to '[redacted]'");
    expect(redact("a@x.io, b@y.io; c@z.io")).toBe("[redacted], [redacted]; [redacted]");
    expect(redact('"ada@example.com"')).toBe('"[redacted]"');
    for (const kept of ["a@b.c", "user@localhost", "@example.com", "ada@", "ada@ example.com", "x@y.12"]) {
      expect(redact(kept)).toBe(kept);
    }
  });
});

describe("client errors are shown as they are", () => {
  test("an AppError keeps its message and extensions, without stacktrace or http, and is counted by code", () => {
    const { format, counted } = formatterWith();
    const error = new AppError("QUERY_TOO_COMPLEX", "Query exceeds the depth limit (13 > 12)", {
      limit: "depth",
      http: { status: 400 },
    });
    const json = { ...error.toJSON(), extensions: { ...error.extensions, stacktrace: ["at x"] } };
    expect(format(json, error)).toEqual({
      message: "Query exceeds the depth limit (13 > 12)",
      extensions: { code: "QUERY_TOO_COMPLEX", limit: "depth" },
    });
    expect(counted).toEqual(["QUERY_TOO_COMPLEX"]);
    const input = new BadInputError({ email: "must be an address" });
    expect(format(input.toJSON(), input)).toEqual({
      message: "email: must be an address",
      extensions: { code: "BAD_USER_INPUT", fields: { email: "must be an address" } },
    });
  });

  test.each([
    ...CLIENT_ERROR_CODES,
    "GRAPHQL_PARSE_FAILED",
    "GRAPHQL_VALIDATION_FAILED",
    "BAD_REQUEST",
    "OPERATION_RESOLUTION_FAILURE",
    "PERSISTED_QUERY_NOT_FOUND",
    "PERSISTED_QUERY_NOT_SUPPORTED",
  ])("%s from a GraphQLError, or from something that is not an Error, is shown", (code) => {
    const { format, counted } = formatterWith();
    const error = new GraphQLError("the request's fault", { extensions: { code } });
    expect(format(error.toJSON(), error)).toEqual({ message: "the request's fault", extensions: { code } });
    expect(format({ message: "the request's fault", extensions: { code } }, undefined)).toEqual({
      message: "the request's fault",
      extensions: { code },
    });
    expect(counted).toEqual([code, code]);
  });

  test("a request error of graphql-js (no path, no code, no cause but a GraphQLError) is BAD_USER_INPUT", () => {
    const plain = new GraphQLError('Unknown operation named "X".');
    expect(formatted(plain)).toEqual({
      message: 'Unknown operation named "X".',
      extensions: { code: "BAD_USER_INPUT" },
    });
    const caused = new GraphQLError("wrapped", { originalError: new GraphQLError("inner") });
    expect(formatted(caused)).toEqual({ message: "wrapped", extensions: { code: "BAD_USER_INPUT" } });
  });

  test("a wrong persisted-query hash is BAD_USER_INPUT naming sha256Hash, however Apollo coded it", () => {
    const error = new GraphQLError("provided sha does not match query");
    for (const code of [undefined, "INTERNAL_SERVER_ERROR"]) {
      const json = { message: error.message, ...(code ? { extensions: { code } } : {}) };
      expect(formatterWith().format(json, error)).toEqual({
        message: "provided sha does not match query",
        extensions: { code: "BAD_USER_INPUT", fields: { sha256Hash: "does not match the query" } },
      });
    }
  });

  test("production drops graphql-js's suggestions, to the end of the message; development keeps them", () => {
    const error = validationError("{ articels(first: 1) { totalCount } }");
    expect(error.message).toMatch(/ Did you mean/);
    const json = { ...error.toJSON(), extensions: { code: "GRAPHQL_VALIDATION_FAILED" } };
    expect(formatterWith(true).format(json, error).message).toBe('Cannot query field "articels" on type "Query".');
    expect(formatterWith(false).format(json, error).message).toBe(error.message);
    const multiline = new AppError("BAD_USER_INPUT", 'Unknown thing. Did you mean "a" or\n"b"?');
    expect(formatterWith(true).format(multiline.toJSON(), multiline).message).toBe("Unknown thing.");
  });
});

describe("everything else is masked", () => {
  const masked = { message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } };

  test("a resolver's own error: no detail reaches the client; it is logged under the request id and counted", () => {
    const { format, counted, log } = formatterWith();
    const cause = new Error('relation "secret" does not exist');
    const error = new GraphQLError(cause.message, { path: ["articles"], originalError: cause });
    const result = requestScope.run({ requestId: "req-1" }, () => format(error.toJSON(), error));
    expect(result).toEqual({
      message: "Internal server error",
      path: ["articles"],
      extensions: { code: "INTERNAL_SERVER_ERROR", requestId: "req-1" },
    });
    expect(counted).toEqual(["INTERNAL_SERVER_ERROR"]);
    const [line] = log.lines();
    expect(line).toMatchObject({
      level: 50,
      msg: "unexpected error",
      requestId: "req-1",
      path: ["articles"],
      err: { message: 'relation "secret" does not exist' },
    });
  });

  test("locations are kept; outside a request there is no request id", () => {
    const cause = new Error("boom");
    const error = new GraphQLError("boom", {
      nodes: parse("{ articles { totalCount } }").definitions,
      path: ["articles"],
      originalError: cause,
    });
    expect(formatted(error)).toEqual({
      message: "Internal server error",
      locations: [{ line: 1, column: 1 }],
      path: ["articles"],
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    });
  });

  test("a client code on a plain Error, an unknown code, a path, or a plain cause: masked", () => {
    const plainCause = new Error("secret");
    const cases: [GraphQLFormattedError, unknown][] = [
      [{ message: "secret", path: ["a"], extensions: { code: "BAD_USER_INPUT" } }, plainCause],
      [{ message: "secret", extensions: { code: "BAD_USER_INPUT" } }, plainCause],
      [{ message: "secret", extensions: { code: "SOMETHING_ELSE" } }, new GraphQLError("secret")],
      [{ message: "secret", path: ["a"] }, new GraphQLError("secret", { path: ["a"] })],
      [{ message: "secret" }, new GraphQLError("secret", { originalError: plainCause })],
      [
        { message: "provided sha does not match query", path: ["a"] },
        new GraphQLError("provided sha does not match query", { path: ["a"] }),
      ],
      [{ message: "secret" }, null],
    ];
    for (const [json, error] of cases) {
      const { path } = json;
      expect(formatterWith().format(json, error)).toEqual({ ...masked, ...(path ? { path } : {}) });
    }
  });

  test("retriable when the database or the network to it failed, and only then", () => {
    const retriable = (cause: unknown) => {
      const error = new GraphQLError("x", { path: ["a"], originalError: cause as Error });
      return (formatted(error).extensions as { retriable?: boolean }).retriable === true;
    };
    const withCode = (code: string, message = "x") => Object.assign(new Error(message), { code });
    for (const code of [
      "08006",
      "08000",
      "57P01",
      "57P03",
      "53300",
      "57014",
      "ECONNREFUSED",
      "ECONNRESET",
      "ETIMEDOUT",
      "EPIPE",
      "EHOSTUNREACH",
    ]) {
      expect([code, retriable(withCode(code))]).toEqual([code, true]);
    }
    for (const code of ["23505", "42P01", "57P", "5330", "53301", "X08006", "EECONNRESET", "ECONNRESETX", "ENOENT"]) {
      expect([code, retriable(withCode(code))]).toEqual([code, false]);
    }
    for (const message of [
      "Connection terminated unexpectedly",
      "pg: connection terminated due to connection timeout",
      "timeout exceeded when trying to connect",
      "Query read timeout",
      "connect ECONNREFUSED 127.0.0.1:5432",
      "Client has encountered a connection error and is not queryable",
      "Client was closed and is not queryable",
      "terminating connection due to administrator command",
      "server closed the connection unexpectedly",
    ]) {
      expect([message, retriable(new Error(message))]).toEqual([message, true]);
    }
    // Node fails a connection to several addresses as one AggregateError; a wrapper's cause is read too.
    expect(retriable(new AggregateError([withCode("ECONNREFUSED"), withCode("ECONNREFUSED")], ""))).toBe(true);
    expect(retriable(new AggregateError([new Error("syntax")], ""))).toBe(false);
    expect(retriable(new Error("wrapped", { cause: withCode("57P01") }))).toBe(true);
    expect(retriable(new Error("wrapped", { cause: new Error("syntax") }))).toBe(false);
    for (const message of ["duplicate key value", "timeout", "Connection refused by policy"]) {
      expect([message, retriable(new Error(message))]).toEqual([message, false]);
    }
    // TypeORM wraps the driver's error: its driverError is read, however deep, and a self-reference ends.
    const wrapped = Object.assign(new Error("Query failed"), { driverError: withCode("57P01") });
    expect(retriable(wrapped)).toBe(true);
    expect(retriable(Object.assign(new Error("outer"), { driverError: wrapped }))).toBe(true);
    expect(retriable(Object.assign(new Error("Query failed"), { driverError: new Error("syntax") }))).toBe(false);
    const selfish: Error & { driverError?: unknown } = new Error("Query failed");
    selfish.driverError = selfish;
    expect(retriable(selfish)).toBe(false);
    // A numeric code is read as text.
    expect(retriable(Object.assign(new Error("x"), { code: 8006 }))).toBe(false);
    expect(retriable(Object.assign(new Error("x"), { code: 53300 }))).toBe(true);
  });
});

test("a scalar's reason that repeats the string without its quotes (DateTime) loses it too; an empty one stays", () => {
  // The committed schema read by buildSchema has no DateTime parsing: give it the server's scalar.
  const dated = buildSchema("scalar DateTime type Query { at(t: DateTime): String }");
  Object.assign(dated.getType("DateTime")!, { parseValue: GraphQLDateTime.parseValue });
  const head = 'Variable "$t" got invalid value; DateTime cannot represent ';
  const cases: [unknown, string][] = [
    ["2020-13-45T00:00:00Z", "an invalid date-time-string [value]."],
    ["not-a-date", "an invalid date-time-string [value]."],
    // Nothing to hide, and nothing spliced between its letters.
    ["", "an invalid date-time-string ."],
    [5, "non string or Date type [value]"],
  ];
  for (const [value, reason] of cases) {
    const { errors } = execute({
      schema: dated,
      document: parse("query Q($t: DateTime) { at(t: $t) }"),
      variableValues: { t: value },
    }) as { errors: GraphQLError[] };
    expect([value, withoutEchoedInput(errors[0]!.message, errors[0])]).toEqual([value, head + reason]);
    expect(formatted(errors[0]!).extensions).toEqual({
      code: "BAD_USER_INPUT",
      fields: { t: `DateTime cannot represent ${reason}` },
    });
  }
});
