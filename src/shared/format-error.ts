import type { GraphQLFormattedError } from "graphql";
import { GraphQLError, Kind, print } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import type { Logger } from "pino";
import { AppError, CLIENT_ERROR_CODES } from "./errors";
import { requestScope } from "./request-scope";

/** Codes that describe the client's request and are safe to show as they are: ours, then Apollo's. */
const CLIENT_CODES = new Set<string>([
  ...CLIENT_ERROR_CODES,
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "OPERATION_RESOLUTION_FAILURE",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
]);

/** Connection loss, timeouts, a database shutting down or refusing connections. */
function isTransient(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; driverError?: unknown } | null;
  if (!e) return false;
  const code = String(e.code ?? "");
  const message = String(e.message ?? "");
  if (/^(08|57P0|53300|57014)/.test(code) || /^E(CONNREFUSED|CONNRESET|TIMEDOUT|PIPE|HOSTUNREACH)$/.test(code))
    return true;
  if (
    /Connection terminated|timeout exceeded when trying to connect|Query read timeout|connect ECONNREFUSED|is not queryable|terminating connection|server closed the connection/i.test(
      message,
    )
  ) {
    return true;
  }
  // Node's connection attempts to several addresses fail as one AggregateError; wrappers keep a cause.
  const inner = error as { errors?: unknown; cause?: unknown };
  if (Array.isArray(inner.errors) && inner.errors.some((x) => x !== error && isTransient(x))) return true;
  if (inner.cause !== undefined && inner.cause !== error && isTransient(inner.cause)) return true;
  return e.driverError !== undefined && e.driverError !== error && isTransient(e.driverError);
}

const EMAIL = /[^\s@"'<>(),;:{}[\]]+@[^\s@"'<>(),;:{}[\]]+\.[A-Za-z]{2,}/g;
const VALUE_KINDS = new Set<string>([
  Kind.STRING,
  Kind.INT,
  Kind.FLOAT,
  Kind.BOOLEAN,
  Kind.NULL,
  Kind.ENUM,
  Kind.LIST,
  Kind.OBJECT,
]);

/**
 * graphql-js repeats what the client sent in its request errors: a variable's
 * value (with, again, the part that failed), a literal argument, the token a
 * syntax error stopped at. For addComment that would be the commenter's email,
 * in whatever shape it was sent, so no submitted value is repeated at all: the
 * errors are taken apart from their structure (the variable, the failing part,
 * the literal's node), not by recognising what an address looks like. The
 * address pattern stays only as a last net for other messages.
 */
export function withoutEchoedInput(message: string, error?: unknown): string {
  let safe = message;
  if (error instanceof GraphQLError) {
    const reason = error.originalError?.message;
    const node = error.nodes?.[0];
    if (node?.kind === Kind.VARIABLE_DEFINITION && reason !== undefined) {
      safe = withoutVariableValue(message, node.variable.name.value, reason);
    } else {
      for (const n of error.nodes ?? []) {
        if (VALUE_KINDS.has(n.kind)) safe = safe.split(print(n)).join("[value]");
      }
    }
  }
  if (safe.startsWith("Syntax Error: ")) {
    safe = safe
      // Parser: `found String "<its value>".`, `Unexpected Name "<it>".`
      .replace(/((?:found|Unexpected) (?:String|BlockString|Name|Int|Float)) "[\s\S]*"\.$/, "$1.")
      // Lexer: `Invalid Unicode escape sequence: "\u12".`, `Unexpected character: U+0007.`
      .replace(/: (?:U\+[0-9A-F]{4,6}|"[\s\S]*")\.$/, ".");
  }
  return safe.replace(EMAIL, "[redacted]");
}

/**
 * `Variable "$v" got invalid value <value>[ at "v.path"]; <reason>`, where the
 * reason (the originalError's message) often repeats the failing part: both go.
 */
function withoutVariableValue(message: string, name: string, reason: string): string {
  const head = `Variable "$${name}" got invalid value `;
  if (!message.startsWith(head) || !message.endsWith(`; ${reason}`)) return message;
  const rest = message.slice(head.length, message.length - reason.length - 2);
  const path = / at "[^"]*"$/.exec(rest);
  const value = path ? rest.slice(0, path.index) : rest;
  let cleanReason = value ? reason.split(value).join("[value]") : reason;
  // A scalar's reason may repeat a string without its quotes (DateTime: `invalid date-time-string <it>`).
  const unquoted = unquotedString(value);
  if (unquoted) cleanReason = cleanReason.split(unquoted).join("[value]");
  return `${head.trimEnd()}${path ? path[0] : ""}; ${cleanReason}`;
}

function unquotedString(printed: string): string | null {
  if (!printed.startsWith('"')) return null;
  try {
    const value: unknown = JSON.parse(printed);
    return typeof value === "string" && value.length > 0 ? value : null;
  } catch {
    return null;
  }
}

/**
 * A variable that failed coercion (a DateTime that is no date, a String given an object, a missing
 * required variable), named as every other bad input is: extensions.fields, under the input field
 * that failed (`at "input.title"`: title), else the variable, with the (already cleaned) reason.
 */
export function variableFields(message: string, error: unknown): Record<string, string> | undefined {
  if (!(error instanceof GraphQLError)) return undefined;
  const node = error.nodes?.[0];
  if (node?.kind !== Kind.VARIABLE_DEFINITION) return undefined;
  const name = node.variable.name.value;
  const invalid = /^Variable "\$[^"]*" got invalid value(?: at "([^"]*)")?; ([\s\S]*)$/.exec(message);
  if (!invalid) return { [name]: message };
  const field =
    invalid[1]
      ?.split(".")
      .pop()
      ?.replace(/(\[\d+\])+$/, "") || name;
  return { [field]: invalid[2]! };
}

/**
 * Apollo answers an automatic persisted query whose sha256Hash is not its query's with a 400 and no
 * code (which it then fills in as INTERNAL_SERVER_ERROR): the client sent a wrong hash.
 */
const isPersistedQueryHashMismatch = (error: unknown) =>
  error instanceof GraphQLError && !error.path && error.message === "provided sha does not match query";

/**
 * Keeps client errors as they are and masks everything else as
 * INTERNAL_SERVER_ERROR with the request id, logging the detail under that id.
 * No SQL, stack or driver message ever reaches a client.
 */
export function createErrorFormatter(
  logger: Logger,
  count: (code: string) => void = () => undefined,
  /** Production hides schema suggestions ("Did you mean ...?") on every transport. */
  production = false,
) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const rawCode = formatted.extensions?.code;
    // graphql-js's own request errors (variable coercion over graphql-ws, where Apollo adds no code)
    // have no path and no cause but another GraphQLError: the request was wrong, not the server.
    const requestError =
      original instanceof GraphQLError &&
      !original.path &&
      !rawCode &&
      (!original.originalError || original.originalError instanceof GraphQLError);
    const hashMismatch = isPersistedQueryHashMismatch(original);
    const code = requestError || hashMismatch ? "BAD_USER_INPUT" : rawCode;
    const isClientError =
      original instanceof AppError ||
      requestError ||
      (typeof code === "string" &&
        CLIENT_CODES.has(code) &&
        (original instanceof GraphQLError || !(original instanceof Error)));
    if (isClientError) {
      count(String(code ?? "UNKNOWN"));
      const { stacktrace: _, http: __, ...rest } = formatted.extensions ?? {};
      const extensions = {
        ...rest,
        code,
        ...(hashMismatch ? { fields: { sha256Hash: "does not match the query" } } : {}),
      };
      let message = withoutEchoedInput(formatted.message, original);
      if (production) message = message.replace(/ ?Did you mean .*$/s, "");
      // graphql-js's variable coercion (Apollo codes it BAD_USER_INPUT over HTTP; graphql-ws leaves no code).
      const coercion = code === "BAD_USER_INPUT" && !(original instanceof AppError) && !("fields" in extensions);
      const fields = coercion ? variableFields(message, original) : undefined;
      return { ...formatted, message, extensions: fields ? { ...extensions, fields } : extensions };
    }
    count("INTERNAL_SERVER_ERROR");
    const requestId = requestScope.getStore()?.requestId;
    logger.error({ err: original, requestId, path: formatted.path }, "unexpected error");
    return {
      message: "Internal server error",
      locations: formatted.locations,
      path: formatted.path,
      // retriable: the database (or the network to it) failed, not the request; trying again may work.
      extensions: { code: "INTERNAL_SERVER_ERROR", requestId, ...(isTransient(original) ? { retriable: true } : {}) },
    };
  };
}
