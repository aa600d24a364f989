import { createHash } from "node:crypto";
import type { ApolloServerPlugin, GraphQLResponse } from "@apollo/server";
import { HeaderMap } from "@apollo/server";
import type { GraphQLSchema } from "graphql";
import Negotiator from "negotiator";
import type { Logger } from "pino";
import type { Context } from "../context";
import type { Metrics } from "../shared/metrics";
import { variablesTooDeep } from "../shared/input-guard";
import { requestScope } from "../shared/request-scope";
import { maxAgeOf } from "./cache-policy";
import type { CacheStore } from "./cache-store";
import type { Purger } from "./cache-tags";

export interface ResponseCacheOptions {
  store: CacheStore;
  schema: GraphQLSchema;
  metrics: Metrics;
  logger: Logger;
  /** How long the server keeps a response; writes purge it earlier, exactly. */
  ttlSeconds: number;
  enabled: boolean;
  /**
   * What the request checks depend on (query limits, introspection, production): part of every key,
   * so an instance with other limits (a rolling change) never answers with an entry it did not check.
   */
  checks: unknown;
}

/** What the HTTP handler knows of a request before anything parses it. */
export interface RawRequest {
  authorization: string | undefined;
  /** A writer whose write the read replicas have not replayed yet: never a cached copy (read-your-writes). */
  fresh: boolean;
  accept: string | undefined;
  query: unknown;
  operationName: unknown;
  variables: unknown;
  extensions: unknown;
}

/** A stored answer, ready to send: Apollo's bytes, content type and cache headers. */
export interface StoredAnswer {
  contentType: string;
  cacheControl: string;
  operationName: string | undefined;
  body: string;
}

export interface ResponseCache extends ApolloServerPlugin<Context>, Purger {
  /**
   * The stored answer to a request, looked up before parsing and validation: the same query text,
   * operation name and variables passed every check when the entry was stored, and the entry is
   * gone once a write purged one of its tags. Null (let Apollo run it) for anything else.
   */
  answer(request: RawRequest): Promise<StoredAnswer | null>;
}

/**
 * The key of an anonymous query's response: the checks' fingerprint, Apollo's queryHash (sha256 of
 * the text), the operation name and the variables.
 */
const keyFunction = (checks: unknown) => {
  const fingerprint = createHash("sha256").update(JSON.stringify(checks)).digest("hex");
  return (queryHash: string, operationName: string | null | undefined, variables: unknown) =>
    createHash("sha256")
      .update(JSON.stringify([fingerprint, queryHash, operationName ?? null, variables ?? {}]))
      .digest("hex");
};

// An entry: "<max-age>\n<resolved operation name>\n<the response body as Apollo sends it, without its newline>".
const encodeEntry = (maxAge: number, operationName: string | undefined, body: string) =>
  `${maxAge}\n${operationName ?? ""}\n${body}`;

function decodeEntry(value: string): { maxAge: number; operationName: string | undefined; body: string } | null {
  const first = value.indexOf("\n");
  const second = first < 0 ? -1 : value.indexOf("\n", first + 1);
  const maxAge = Number(value.slice(0, first));
  if (second < 0 || !Number.isInteger(maxAge) || maxAge <= 0) return null;
  return { maxAge, operationName: value.slice(first + 1, second) || undefined, body: value.slice(second + 1) };
}

// Apollo's content negotiation for a single result (chooseContentTypeForSingleResultResponse).
const JSON_TYPE = "application/json; charset=utf-8";
const RESPONSE_TYPES = [JSON_TYPE, "application/graphql-response+json; charset=utf-8"];
const contentTypeFor = (accept: string | undefined) =>
  accept ? new Negotiator({ headers: { accept } }).mediaType(RESPONSE_TYPES) : JSON_TYPE;

const publicCacheControl = (maxAge: number) => `public, max-age=0, s-maxage=${maxAge}`;

/**
 * The response cache, as an Apollo plugin. Only anonymous queries are cached
 * and shared; anything with an Authorization header is private and no-store.
 * Each cached response carries the tags its resolvers recorded (entities and
 * lists read, see Context.tagged) and writes purge by tag after commit. A
 * response computed while any purge happened is not stored, since it may have
 * read data from before the write.
 */
export function responseCachePlugin(options: ResponseCacheOptions): ResponseCache {
  const { store, schema, metrics, ttlSeconds } = options;
  const responseKey = keyFunction(options.checks);
  return {
    purge: (tags) => store.purge(tags),
    async answer(request) {
      const { query, operationName, variables } = request;
      if (!options.enabled || request.authorization || request.fresh || request.extensions !== undefined) return null;
      if (typeof query !== "string" || (operationName != null && typeof operationName !== "string")) return null;
      if (variables != null && (typeof variables !== "object" || Array.isArray(variables))) return null;
      // Too deep to serialise into a key (and refused by the input guard): Apollo answers it.
      if (variables != null && variablesTooDeep(variables as Record<string, unknown>)) return null;
      const contentType = contentTypeFor(request.accept);
      // An Accept header Apollo would refuse (406) goes to Apollo, which says so.
      if (!contentType) return null;
      const queryHash = createHash("sha256").update(query).digest("hex");
      const key = responseKey(queryHash, operationName, variables);
      const cached = await store.get(key);
      const entry = cached === null ? null : decodeEntry(cached);
      if (!entry) {
        // Apollo runs it next; its plugin (below) need not look the same key up again.
        const scope = requestScope.getStore();
        if (scope) scope.cacheMissKey = key;
        return null;
      }
      metrics.cacheHits.inc();
      metrics.cacheHitsBeforeParse.inc();
      return {
        contentType,
        cacheControl: publicCacheControl(entry.maxAge),
        operationName: entry.operationName,
        body: `${entry.body}\n`,
      };
    },
    async requestDidStart({ request }) {
      const anonymous = !request.http?.headers.get("authorization");
      let key: string | undefined;
      let epoch = -1;
      let maxAge = 0;
      let hit = false;
      return {
        async responseForOperation({ operation, document, operationName, queryHash, contextValue }) {
          if (!anonymous || operation?.operation !== "query") return null;
          maxAge = maxAgeOf(schema, document, operationName);
          if (maxAge <= 0 || !options.enabled || !queryHash) return null;
          key = responseKey(queryHash, request.operationName, request.variables);
          epoch = await store.epoch();
          // A writer whose write the replicas have not replayed yet must not get a copy from before it;
          // a key that missed before parsing, in this request, is not asked for again.
          const scope = requestScope.getStore();
          const cached = scope?.freshRead || scope?.cacheMissKey === key ? null : await store.get(key);
          const entry = cached === null ? null : decodeEntry(cached);
          if (entry) {
            hit = true;
            metrics.cacheHits.inc();
            const response: GraphQLResponse = {
              http: { status: undefined, headers: new HeaderMap() },
              body: { kind: "single", singleResult: JSON.parse(entry.body) },
            };
            return response;
          }
          metrics.cacheMisses.inc();
          contextValue.startTagging();
          return null;
        },
        async willSendResponse({ response, contextValue, operation }) {
          const headers = response.http.headers;
          const single = response.body.kind === "single" ? response.body.singleResult : undefined;
          // A resolver said no cache may keep this (a draft preview): the same for every caller.
          if (!anonymous || !contextValue.mayStore) {
            headers.set("cache-control", "private, no-store");
            return;
          }
          if (operation?.operation !== "query" || maxAge <= 0 || !single || single.errors?.length) {
            headers.set("cache-control", "no-store");
            return;
          }
          headers.set("cache-control", publicCacheControl(maxAge));
          if (!options.enabled || !key) return;
          headers.set("x-cache", hit ? "HIT" : "MISS");
          if (hit) return;
          const tags = contextValue.tags;
          // Stored only if no write was purged while this response was computed.
          if (tags && epoch >= 0) {
            // The body exactly as Apollo serialises it (orderExecutionResultFields), so a hit sends the same bytes.
            const body = JSON.stringify({ errors: single.errors, data: single.data, extensions: single.extensions });
            const value = encodeEntry(maxAge, operation.name?.value, body);
            await store.set(key, value, Math.max(ttlSeconds, maxAge), [...tags], epoch);
          }
        },
      };
    },
  };
}
