/**
 * Helpers for tests/hardening: raw HTTP (bytes, chunked bodies, exact
 * headers), one-shot graphql-ws operations, a pino logger whose lines the test
 * can read, generators of oversized queries, and leak detectors for response
 * bodies. Every wait has a deadline; nothing asserts timings.
 */
import { request as httpRequest } from "node:http";
import { Writable } from "node:stream";
import { Lexer, Source, TokenKind } from "graphql";
import type { Logger } from "pino";
import pino from "pino";
import { createClient } from "graphql-ws";
import WebSocket from "ws";

/** ws://host:port/graphql for the server's http URL. */
export const wsUrl = (httpUrl: string) => httpUrl.replace(/^http/, "ws");

/** The service root (http://host:port) for the server's /graphql URL. */
export const rootUrl = (graphqlUrl: string) => new URL("/", graphqlUrl).toString().replace(/\/$/, "");

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: any;
}

export interface RawRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  /** Sent as is. */
  body?: Buffer | string;
  /** Send the body in chunks without Content-Length (Transfer-Encoding: chunked). */
  chunked?: boolean;
  timeoutMs?: number;
}

/**
 * One request over a fresh connection (no keep-alive pool), with exactly the
 * bytes and headers given. Fails (never hangs) after timeoutMs.
 */
export function rawRequest(url: string, options: RawRequest = {}): Promise<RawResponse> {
  const target = new URL(options.path ?? "", url);
  const body = typeof options.body === "string" ? Buffer.from(options.body) : options.body;
  const headers: Record<string, string | number> = { ...options.headers };
  if (body && !options.chunked) headers["content-length"] = body.length;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      target,
      { method: options.method ?? (body ? "POST" : "GET"), headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString("utf8");
          let json: any;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error(`no response from ${target} within ${options.timeoutMs ?? 30_000} ms`));
    }, options.timeoutMs ?? 30_000);
    req.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    if (!body) return void req.end();
    if (!options.chunked) return void req.end(body);
    // Chunks of 64 KB, written as the socket drains.
    let offset = 0;
    const pump = () => {
      while (offset < body.length) {
        const chunk = body.subarray(offset, offset + 64 * 1024);
        offset += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      req.end();
    };
    // A server that answers early (413) may close before everything is sent: that is its right.
    req.on("error", () => undefined);
    pump();
  });
}

/** POST of a JSON body to /graphql, with the headers a GraphQL client sends. */
export function postJson(
  url: string,
  body: unknown,
  options: { token?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<RawResponse> {
  return rawRequest(url, {
    method: "POST",
    body: JSON.stringify(body),
    timeoutMs: options.timeoutMs,
    headers: {
      "content-type": "application/json",
      accept: "application/graphql-response+json, application/json",
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
  });
}

export interface WsResult {
  /** Every `next` payload. */
  next: { data?: any; errors?: any[] }[];
  /** What the sink's error got: GraphQL errors (an error message) or a close event. */
  error?: any;
  completed: boolean;
}

/**
 * Runs one operation over graphql-ws and collects what arrives until it
 * completes or errors, or until `untilNexts` payloads arrived (then it
 * unsubscribes). Fails after timeoutMs.
 */
export async function wsOperation(
  httpUrl: string,
  payload: { query: string; variables?: Record<string, unknown>; operationName?: string },
  options: { token?: string; untilNexts?: number; timeoutMs?: number } = {},
): Promise<WsResult> {
  const client = createClient({
    url: wsUrl(httpUrl),
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    connectionParams: options.token ? { authorization: `Bearer ${options.token}` } : {},
  });
  const result: WsResult = { next: [], completed: false };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`graphql-ws operation did not finish in time: ${JSON.stringify(result)}`)),
        options.timeoutMs ?? 15_000,
      );
      const stop = client.subscribe(payload, {
        next: (value) => {
          result.next.push(value as WsResult["next"][number]);
          if (options.untilNexts && result.next.length >= options.untilNexts) {
            clearTimeout(timer);
            stop();
            resolve();
          }
        },
        error: (error) => {
          clearTimeout(timer);
          result.error = error;
          resolve();
        },
        complete: () => {
          clearTimeout(timer);
          result.completed = true;
          resolve();
        },
      });
    });
  } finally {
    await client.dispose();
  }
  return result;
}

/** The errors of a WsResult, whichever way they came (error message or errors in a next payload). */
export function wsErrors(result: WsResult): any[] {
  if (Array.isArray(result.error)) return result.error;
  return result.next.flatMap((n) => n.errors ?? []);
}

export interface CapturedLogger {
  logger: Logger;
  /** Every line logged so far, parsed. */
  lines(): Record<string, any>[];
  /** Every line as written (for text searches). */
  text(): string;
}

/** A pino logger at `level` writing JSON lines into memory. */
export function captureLogger(level = "info"): CapturedLogger {
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      raw.push(String(chunk));
      done();
    },
  });
  const logger = pino({ name: "newsgraph-hardening", level }, stream);
  return {
    logger,
    text: () => raw.join(""),
    lines: () =>
      raw
        .join("")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, any>),
  };
}

/** Polls `check` until truthy; fails after timeoutMs saying what it waited for. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 15_000,
  intervalMs = 50,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last})` : ""}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/* ----- Queries that measure exactly one limit each (all valid against the schema). ----- */

/** Over HTTP a query rooted at `articles(first: 1) { nodes { ... } }`; over WebSocket a subscription. */
type Root = "query" | "subscription";

const wrap = (inner: string, root: Root) =>
  root === "subscription"
    ? `subscription { articleUpdated(articleId: "QXJ0aWNsZTox") { ${inner} } }`
    : `{ articles(first: 1) { nodes { ${inner} } } }`;

/** Selection depth exactly `depth` (the operation's own selection set counts 1). */
export function deepQuery(depth: number, root: Root = "query"): string {
  let inner = "id";
  const base = root === "subscription" ? 2 : 3; // depth of wrap("id")
  for (let i = base; i < depth; i++) inner = `relatedArticles(first: 1) { ${inner} }`;
  return wrap(inner, root);
}

/** A syntactically valid query nested `depth` levels with one-letter fields (a raw flood). */
export function rawDeepQuery(depth: number): string {
  return "{" + "a{".repeat(depth) + "b" + "}".repeat(depth + 1);
}

/** Exactly `count` aliases. */
export function aliasQuery(count: number, root: Root = "query"): string {
  return wrap(Array.from({ length: count }, (_, i) => `a${i}: id`).join(" ") || "id", root);
}

/** Exactly `count` directives. */
export function directiveQuery(count: number, root: Root = "query"): string {
  return wrap(Array.from({ length: count }, () => "id @include(if: true)").join(" ") || "id", root);
}

/**
 * Exactly `count` (3 or more) selections in one selection set: an aliased field,
 * a field with a directive, an inline fragment (its own field is in a set of its
 * own) and repeated ids. (Repeated identical fields are what the limit exists
 * for: graphql-js validates them in quadratic time.)
 */
export function selectionQuery(count: number, root: Root = "query"): string {
  const fixed = ["a0: id", "slug @include(if: true)", "... on Article { title }"];
  return wrap([...fixed, ...Array.from({ length: Math.max(0, count - fixed.length) }, () => "id")].join(" "), root);
}

/**
 * Exactly `count` fragment expansions: spreads of M (which spreads L 99 times)
 * count 100 each, spreads of L one each.
 */
export function fragmentSpreadQuery(count: number, root: Root = "query"): string {
  const m = Math.floor(count / 100);
  const spreads = [
    ...Array.from({ length: m }, () => "...M"),
    ...Array.from({ length: count - 100 * m }, () => "...L"),
  ];
  return (
    wrap(["id", ...spreads].join(" "), root) +
    ` fragment M on Article { ${Array.from({ length: 99 }, () => "...L").join(" ")} } fragment L on Article { id }`
  );
}

/**
 * Named fragments `levels` deep, each spreading the next four times, the last
 * one `{ __typename }`: a short text that expands 4^levels times. Rooted at
 * Query, or (for WebSocket) inside a subscription's Article.
 */
export function fragmentBomb(levels: number, root: Root = "query"): string {
  const on = root === "query" ? "Query" : "Article";
  const defs = Array.from({ length: levels }, (_, i) => `fragment F${i} on ${on} { ${`...F${i + 1} `.repeat(4)}}`);
  const operation = root === "query" ? "query Bomb { ...F0 }" : `subscription Bomb ${wrap("...F0", root).slice(13)}`;
  return `${operation} ${defs.join(" ")} fragment F${levels} on ${on} { __typename }`;
}

/** Lexical tokens of a query text, as the token limit counts them. */
export function countTokens(query: string): number {
  const lexer = new Lexer(new Source(query));
  let n = 0;
  while (lexer.advance().kind !== TokenKind.EOF) n++;
  return n;
}

/**
 * Exactly `count` lexical tokens, most of them strings in a list argument. (Not
 * repeated fields: validating N identical fields is quadratic in graphql-js.)
 */
export function tokenQuery(count: number, root: Root = "query"): string {
  const build = (slugs: string) =>
    root === "subscription"
      ? `subscription { articlePublished(topicSlugs: [${slugs}]) { cursor } }`
      : `{ articles(first: 1, filter: { topicSlugs: [${slugs}] }) { nodes { id } } }`;
  const strings = count - countTokens(build(""));
  return build(Array.from({ length: strings }, () => '"science"').join(" "));
}

/** Exactly `length` characters: a tiny operation padded with a comment (comments are not tokens). */
export function longQuery(length: number, root: Root = "query"): string {
  const core = wrap("id", root);
  return core + "\n#" + "x".repeat(Math.max(0, length - core.length - 2));
}

/**
 * Cost exactly `cost` (an even number) on HTTP: `articles(first: n) { nodes { id } }`
 * costs n × (1 + 1). Over WebSocket: related articles of related articles, far above any default.
 */
export function complexQuery(cost: number, root: Root = "query"): string {
  if (root === "subscription") {
    return wrap(
      "relatedArticles(first: 100) { relatedArticles(first: 100) { relatedArticles(first: 100) { id } } }",
      root,
    );
  }
  return `{ articles(first: ${cost / 2}) { nodes { id } } }`;
}

/* ----- Leak detectors for response bodies. ----- */

/** A JavaScript stack frame ("    at fn (file.ts:1:2)") or a stacktrace extension. */
export const STACK_TRACE =
  /(\n\s*at [^\n]+:\d+:\d+\)?)|("stacktrace")|(\bat [\w.<>]+ \((?:\/|file:|node:)[^)]*:\d+:\d+\))/;

/** Text only PostgreSQL, its driver or TypeORM produce. */
export const SQL_TEXT =
  /\b(SELECT\s[\s\S]{0,200}\sFROM|INSERT INTO|UPDATE\s+\w+\s+SET|DELETE FROM)\b|syntax error at or near|violates (?:unique|foreign key|not-null|check) constraint|duplicate key value|relation "[^"]+" does not exist|invalid byte sequence for encoding|canceling statement due to|terminating connection|ECONNREFUSED|QueryFailedError|Connection terminated|column "[^"]+" (?:does not exist|of relation)/i;

/** Any e-mail address. */
export const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/** Every line of a pino log (or any text) that mentions `needle`. */
export function linesWith(lines: Record<string, any>[], needle: string): Record<string, any>[] {
  return lines.filter((l) => JSON.stringify(l).includes(needle));
}
