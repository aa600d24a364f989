import { createHash } from "node:crypto";
import type { ApolloServerPlugin, GraphQLResponse } from "@apollo/server";
import { HeaderMap } from "@apollo/server";
import type { GraphQLSchema } from "graphql";
import type { Logger } from "pino";
import type { Context } from "../context";
import type { Metrics } from "../shared/metrics";
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
}

/**
 * The response cache, as an Apollo plugin. Only anonymous queries are cached
 * and shared; anything with an Authorization header is private and no-store.
 * Each cached response carries the tags its resolvers recorded (entities and
 * lists read, see Context.tagged) and writes purge by tag after commit. A
 * response computed while any purge happened is not stored, since it may have
 * read data from before the write.
 */
export function responseCachePlugin(options: ResponseCacheOptions): ApolloServerPlugin<Context> & Purger {
  const { store, schema, metrics, ttlSeconds } = options;
  return {
    purge: (tags) => store.purge(tags),
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
          if (maxAge <= 0 || !options.enabled) return null;
          key = createHash("sha256")
            .update(JSON.stringify([queryHash, operationName ?? null, request.variables ?? {}]))
            .digest("hex");
          epoch = await store.epoch();
          const cached = await store.get(key);
          if (cached !== null) {
            hit = true;
            metrics.cacheHits.inc();
            const response: GraphQLResponse = {
              http: { status: undefined, headers: new HeaderMap() },
              body: { kind: "single", singleResult: JSON.parse(cached) },
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
          headers.set("cache-control", `public, max-age=0, s-maxage=${maxAge}`);
          if (!options.enabled || !key) return;
          headers.set("x-cache", hit ? "HIT" : "MISS");
          if (hit) return;
          const tags = contextValue.tags;
          // Stored only if no write was purged while this response was computed.
          if (tags && epoch >= 0) {
            await store.set(key, JSON.stringify(single), Math.max(ttlSeconds, maxAge), [...tags], epoch);
          }
        },
      };
    },
  };
}
