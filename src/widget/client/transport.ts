import type { Client } from "graphql-ws/client";
import { createClient } from "graphql-ws/client";
import type { ResumableRequest, ResumableSink, ResumableSubscription } from "./resumable";
import { subscribeResumable } from "./resumable";

export interface GqlError {
  message: string;
  extensions?: {
    code?: string;
    fields?: Record<string, string>;
    retryAfterSeconds?: number;
    [key: string]: unknown;
  };
}

export class GqlRequestError extends Error {
  constructor(
    readonly errors: GqlError[],
    /** The request may not have reached the server: retrying (with the same idempotency key) is safe. */
    readonly network = false,
  ) {
    super(errors.map((e) => e.message).join("; "));
  }

  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

/** A query or mutation over HTTP POST (GraphQL over HTTP). */
export async function httpRequest<T>(endpoint: string, query: string, variables: Record<string, unknown>): Promise<T> {
  let res: Response;
  try {
    res = await fetch(endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/graphql-response+json, application/json",
      },
      body: JSON.stringify({ query, variables }),
      credentials: "omit",
    });
  } catch {
    throw new GqlRequestError([{ message: "Network error" }], true);
  }
  let json: { data?: T | null; errors?: GqlError[] };
  try {
    json = await res.json();
  } catch {
    throw new GqlRequestError([{ message: `HTTP ${res.status}` }], res.status >= 500);
  }
  if (json.errors?.length) throw new GqlRequestError(json.errors);
  if (!json.data) throw new GqlRequestError([{ message: `HTTP ${res.status}` }], res.status >= 500);
  return json.data;
}

export type LiveState = "connecting" | "live" | "reconnecting";

interface Sink<T> {
  next(data: T): void;
  error(errors: GqlError[]): void;
}

const toErrors = (error: unknown): GqlError[] =>
  Array.isArray(error)
    ? (error as GqlError[])
    : [{ message: error instanceof Error ? error.message : "Connection error", extensions: { code: "CLOSED" } }];

/**
 * One graphql-ws connection per endpoint, shared by every widget on the page.
 * It retries forever with backoff (at once when the browser comes back
 * online), re-sends every active subscription on reconnect, and tells widgets
 * when a reconnect happened so they can catch up on what has no `since`.
 */
export class Live {
  private readonly client: Client;
  private state: LiveState = "connecting";
  private connectedOnce = false;
  private readonly stateListeners = new Set<(state: LiveState) => void>();
  private readonly reconnectListeners = new Set<() => void>();

  constructor(url: string) {
    let pongTimer: number | undefined;
    this.client = createClient({
      url,
      retryAttempts: Infinity,
      shouldRetry: () => true,
      retryWait: waitBeforeRetry,
      keepAlive: 10_000,
      on: {
        connected: () => {
          const again = this.connectedOnce;
          this.connectedOnce = true;
          this.setState("live");
          // After the current task: graphql-ws re-sends the subscriptions first, so catch-up queries follow them.
          if (again) setTimeout(() => this.reconnectListeners.forEach((listener) => listener()), 0);
        },
        closed: () => {
          window.clearTimeout(pongTimer);
          this.setState("reconnecting");
        },
        // A ping without a pong in 5 s: the socket is dead even if the browser has not noticed.
        ping: (received) => {
          if (!received) pongTimer = window.setTimeout(() => this.client.terminate(), 5_000);
        },
        pong: (received) => {
          if (received) window.clearTimeout(pongTimer);
        },
      },
    });
    window.addEventListener("offline", () => {
      this.setState("reconnecting");
      this.client.terminate();
    });
  }

  get current(): LiveState {
    return this.state;
  }

  onState(listener: (state: LiveState) => void): void {
    this.stateListeners.add(listener);
    listener(this.state);
  }

  /** Called after the connection came back (not on the first connect). */
  onReconnect(listener: () => void): void {
    this.reconnectListeners.add(listener);
  }

  /**
   * Subscribes. `variables` is kept by reference: graphql-ws re-sends this very
   * payload after a reconnect, so updating `variables.since` as events arrive
   * makes every resubscription resume from the latest cursor.
   */
  subscribe<T>(query: string, variables: Record<string, unknown>, sink: Sink<T>): () => void {
    let stopped = false;
    const dispose = this.client.subscribe<T>(
      { query, variables },
      {
        next: (result) => {
          if (stopped) return;
          if (result.errors?.length) {
            stopped = true;
            dispose();
            sink.error(result.errors as unknown as GqlError[]);
          } else if (result.data) sink.next(result.data);
        },
        error: (error) => {
          if (stopped) return;
          stopped = true;
          sink.error(toErrors(error));
        },
        complete: () => undefined,
      },
    );
    return () => {
      stopped = true;
      dispose();
    };
  }

  /** A resumable subscription (resumable.ts) on this connection: every resubscription carries the last cursor. */
  resumable<T>(request: ResumableRequest<T>, sink: ResumableSink<T>): ResumableSubscription {
    return subscribeResumable(this.client, request, sink);
  }

  /** A query over the socket: ordered after the subscriptions already sent on it. */
  query<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    return new Promise((resolve, reject) => {
      let data: T | null = null;
      this.client.subscribe<T>(
        { query, variables },
        {
          next: (result) => {
            if (result.errors?.length) reject(new GqlRequestError(result.errors as unknown as GqlError[]));
            else data = (result.data as T) ?? null;
          },
          error: (error) => reject(new GqlRequestError(toErrors(error), true)),
          complete: () => (data ? resolve(data) : reject(new GqlRequestError([{ message: "No data" }]))),
        },
      );
    });
  }

  private setState(state: LiveState): void {
    if (state === this.state) return;
    this.state = state;
    this.stateListeners.forEach((listener) => listener(state));
  }
}

/** Exponential backoff with jitter (0.5 s … 30 s); cut short when the browser comes back online. */
function waitBeforeRetry(retries: number): Promise<void> {
  const base = Math.min(1000 * 2 ** retries, 30_000);
  const delay = navigator.onLine === false ? 60_000 : base / 2 + (Math.random() * base) / 2;
  return new Promise((resolve) => {
    const done = () => {
      window.clearTimeout(timer);
      window.removeEventListener("online", done);
      resolve();
    };
    const timer = window.setTimeout(done, delay);
    window.addEventListener("online", done);
  });
}
