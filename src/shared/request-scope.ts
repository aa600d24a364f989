import { AsyncLocalStorage } from "node:async_hooks";
import type { Replica } from "../db/read-replicas";

/** Per-request facts that code far from the request (error formatting, logs) needs. */
export interface RequestScope {
  requestId: string;
  /** Set once Apollo has resolved the operation. */
  operationName?: string;
  /** Whether this request reached the GraphQL endpoint (for metrics). */
  graphql?: boolean;
  /**
   * The read replica this request's statements go to (set for anonymous queries by
   * src/http/read-routing.ts; cleared when it fails). Unset: the primary.
   */
  readReplica?: Replica;
  /** Answer from the database, not from the response cache (a writer awaiting its own write's replay). */
  freshRead?: boolean;
  /**
   * The response-cache key this request already looked up, and missed, before parsing
   * (ResponseCache.answer): the cache plugin does not ask the store for it a second time.
   */
  cacheMissKey?: string;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();
