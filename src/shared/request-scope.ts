import { AsyncLocalStorage } from "node:async_hooks";

/** Per-request facts that code far from the request (error formatting, logs) needs. */
export interface RequestScope {
  requestId: string;
  operationName?: string;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();
