/**
 * Resumable subscriptions for newsgraph's feed, on top of a graphql-ws client.
 *
 * Every feed event (commentThread, liveBlog, commentAdded, articlePublished,
 * moderationQueue) carries a `cursor`; a subscription given `since: <cursor>`
 * first replays everything after it, then goes live: no gap, no duplicate.
 * graphql-ws reconnects by itself (retryAttempts), but it re-sends the
 * subscription exactly as it was first made, so a client that subscribed with
 * `since: null` (or an old cursor) gets the wrong events after a reconnect:
 * nothing of what it missed, or everything again. This module keeps the cursor
 * of the last event delivered and makes every resubscription carry it.
 *
 * Served as an ES module at /widget/resumable.js (no dependencies: you pass your
 * own graphql-ws client); the source is src/widget/client/resumable.ts, to copy
 * into a bundle.
 *
 *   import { createClient } from "graphql-ws";
 *   import { subscribeResumable, sessionCursorStore } from "https://NEWSGRAPH/widget/resumable.js";
 *
 *   const client = createClient({ url: "wss://NEWSGRAPH/graphql", retryAttempts: Infinity, shouldRetry: () => true });
 *   const sub = subscribeResumable(client, {
 *     query: `subscription ($articleId: ID!, $since: String) {
 *       liveBlog(articleId: $articleId, since: $since) { cursor kind entryId entry { id title bodyHtml } } }`,
 *     variables: { articleId },
 *     since: feedCursor,                       // Query.feedCursor, read before your first page query
 *     store: sessionCursorStore(`live:${articleId}`), // a reload resumes from the last event applied
 *   }, {
 *     next: (data) => apply(data.liveBlog),    // the cursor is stored once next() returns
 *     error: (errors) => console.error(errors), // GraphQL errors (e.g. NOT_FOUND); the subscription has ended
 *   });
 *   // later: sub.unsubscribe();
 *
 * A cursor the server no longer knows (older than its retention) is refused with
 * BAD_USER_INPUT naming `since`: error() receives it, and the stored cursor is
 * cleared; read your page and Query.feedCursor again, then subscribe anew.
 */

/** The part of a graphql-ws Client this needs (graphql-ws 5 and 6). */
export interface SubscribingClient {
  subscribe(
    payload: { query: string; variables?: Record<string, unknown>; operationName?: string },
    sink: {
      next(value: { data?: unknown; errors?: readonly unknown[] }): void;
      error(error: unknown): void;
      complete(): void;
    },
  ): () => void;
}

/** Where the last cursor is kept between page loads. */
export interface CursorStore {
  load(): string | null;
  save(cursor: string | null): void;
}

export interface ResumableRequest<T> {
  query: string;
  /** The subscription's variables other than `since`. */
  variables?: Record<string, unknown>;
  operationName?: string;
  /** Where to start when the store has nothing (e.g. Query.feedCursor); null: from now on. */
  since?: string | null;
  /** Reads an event's cursor; by default `cursor` of the payload's first field (data.liveBlog.cursor). */
  cursor?: (data: T) => string | null | undefined;
  store?: CursorStore;
  /** Variable name of the cursor; "since" by default. */
  sinceVariable?: string;
}

export interface ResumableSink<T> {
  next(data: T): void;
  /** GraphQL errors (an array) or a fatal connection error: the subscription has ended. */
  error?(error: unknown): void;
  complete?(): void;
}

export interface ResumableSubscription {
  /** The cursor of the last event delivered (or the starting one). */
  readonly cursor: string | null;
  unsubscribe(): void;
}

const firstFieldCursor = (data: unknown): string | null => {
  const first = data && typeof data === "object" ? Object.values(data)[0] : null;
  const cursor = first && typeof first === "object" ? (first as { cursor?: unknown }).cursor : null;
  return typeof cursor === "string" ? cursor : null;
};

/**
 * Subscribes so that every (re)subscription resumes after the last event
 * delivered. graphql-ws re-sends the very payload object it was given on each
 * retry: its variables are replaced after every event, so a reconnect carries
 * `since: <last cursor>`. If the client gives up instead (a non-retryable close,
 * retries exhausted) it subscribes again itself after a pause, with the same
 * cursor, until unsubscribed.
 */
export function subscribeResumable<T = Record<string, unknown>>(
  client: SubscribingClient,
  request: ResumableRequest<T>,
  sink: ResumableSink<T>,
): ResumableSubscription {
  const name = request.sinceVariable ?? "since";
  const readCursor = request.cursor ?? firstFieldCursor;
  let cursor: string | null = request.store?.load() ?? request.since ?? null;
  let stopped = false;
  let dispose: (() => void) | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pause = 1000;

  const payload = {
    query: request.query,
    operationName: request.operationName,
    variables: { ...request.variables, [name]: cursor } as Record<string, unknown>,
  };

  const end = (error?: unknown) => {
    stopped = true;
    dispose?.();
    if (error === undefined) sink.complete?.();
    else sink.error?.(error);
  };

  const start = () => {
    if (stopped) return;
    payload.variables = { ...payload.variables, [name]: cursor };
    dispose = client.subscribe(payload, {
      next: (result) => {
        if (stopped) return;
        if (result.errors?.length) {
          const stale = result.errors.some((e) => {
            const ext = (e as { extensions?: { code?: string; fields?: Record<string, unknown> } }).extensions;
            return ext?.code === "BAD_USER_INPUT" && !!ext.fields?.[name];
          });
          if (stale) request.store?.save(null);
          end(result.errors);
          return;
        }
        if (result.data === undefined || result.data === null) return;
        sink.next(result.data as T);
        const next = readCursor(result.data as T);
        if (next) {
          pause = 1000;
          cursor = next;
          // The same object graphql-ws keeps: its next retry sends this cursor.
          payload.variables = { ...payload.variables, [name]: next };
          request.store?.save(next);
        }
      },
      error: (error) => {
        if (stopped) return;
        // GraphQL errors end the subscription; anything else is the connection: try again later.
        if (Array.isArray(error)) end(error);
        else retryLater();
      },
      complete: () => {
        // The server ended the stream (e.g. after a NOT_FOUND result, already reported as an error).
        if (!stopped) end();
      },
    });
  };

  const retryLater = () => {
    dispose = null;
    timer = setTimeout(start, pause);
    pause = Math.min(pause * 2, 30_000);
  };

  start();
  return {
    get cursor() {
      return cursor;
    },
    unsubscribe() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      dispose?.();
    },
  };
}

/** A CursorStore in sessionStorage (per tab; nothing is kept where storage is refused). */
export function sessionCursorStore(scope: string): CursorStore {
  const key = `newsgraph:cursor:${scope}`;
  return {
    load() {
      try {
        const raw = sessionStorage.getItem(key);
        return raw === null ? null : (JSON.parse(raw) as string | null);
      } catch {
        return null;
      }
    },
    save(cursor) {
      try {
        if (cursor === null) sessionStorage.removeItem(key);
        else sessionStorage.setItem(key, JSON.stringify(cursor));
      } catch {
        // storage full or refused: a reload starts afresh, which is safe
      }
    },
  };
}
