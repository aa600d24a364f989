import { AsyncLocalStorage } from "node:async_hooks";

/** Per-request facts that code far from the request (error formatting, logs) needs. */
export interface RequestScope {
  requestId: string;
  /** Set once Apollo has resolved the operation. */
  operationName?: string;
  /** Whether this request reached the GraphQL endpoint (for metrics). */
  graphql?: boolean;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();
