/**
 * WebSocket clients for the live-feed tests (tests/feed): a real graphql-ws
 * client whose subscriptions record what arrives, a raw `ws` connection that
 * speaks graphql-transport-ws by hand (for close codes), and polling helpers.
 * Every wait has a generous deadline and fails with what it saw; nothing
 * asserts timings.
 */
import { print } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import type { Client, ClientOptions } from "graphql-ws";
import { createClient } from "graphql-ws";
import WebSocket from "ws";

/** How long any wait in the feed tests may take before it fails. */
export const WAIT_MS = 20_000;

/** ws://host:port/graphql for an http(s) URL of the same endpoint. */
export const wsUrl = (httpUrl: string) => httpUrl.replace(/^http/, "ws");

export interface FeedError {
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, any>;
}

/** Polls `check` until it returns something truthy; fails after `timeoutMs` with `describe()`. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  describe: () => string,
  timeoutMs = WAIT_MS,
  intervalMs = 10,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${describe()}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Resolves once the feed dispatcher has at least `count` listeners and every subscription has gone live. */
export function waitForListeners(
  server: { services: { feedDispatcher: { listenerCount: number }; feed: { openingCount: number } } },
  count: number,
): Promise<true> {
  // Listening is not enough: until a subscription has read the log's end, events committed meanwhile are its past.
  const { feedDispatcher, feed } = server.services;
  return waitFor(
    () => (feedDispatcher.listenerCount >= count && feed.openingCount === 0) || undefined,
    () => `${count} live feed listeners (have ${feedDispatcher.listenerCount}, ${feed.openingCount} still opening)`,
  ).then(() => true);
}

/** One subscription: everything it received, in order. */
export class Stream<R> {
  /** The `data` of every `next` message that had data. */
  readonly values: R[] = [];
  /** The execution errors of `next` messages (an errored subscribe arrives as one of these). */
  readonly errors: FeedError[] = [];
  /** What the sink's error received: GraphQL errors of an `error` message, or a close event. */
  failure: unknown;
  completed = false;
  private listeners = new Set<() => void>();
  unsubscribe: () => void = () => undefined;

  constructor(readonly label: string) {}

  /** @internal */
  notify(): void {
    for (const l of [...this.listeners]) l();
  }

  private until(done: () => boolean, what: () => string, timeoutMs: number): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const listener = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve();
      };
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`${this.label}: timed out after ${timeoutMs} ms waiting for ${what()}; ${this.summary()}`));
      }, timeoutMs);
      this.listeners.add(listener);
    });
  }

  /** Resolves with the first `n` values once that many arrived. */
  async take(n: number, timeoutMs = WAIT_MS): Promise<R[]> {
    await this.until(
      () => this.values.length >= n,
      () => `${n} values`,
      timeoutMs,
    );
    return this.values.slice(0, n);
  }

  /** Resolves once the stream completed or failed. */
  async ended(timeoutMs = WAIT_MS): Promise<this> {
    await this.until(
      () => this.completed || this.failure !== undefined,
      () => "the end of the stream",
      timeoutMs,
    );
    return this;
  }

  /** Resolves with the execution errors once some arrived. */
  async errored(timeoutMs = WAIT_MS): Promise<FeedError[]> {
    await this.until(
      () => this.errors.length > 0 || this.failure !== undefined,
      () => "an error",
      timeoutMs,
    );
    return this.errors;
  }

  summary(): string {
    return `got ${this.values.length} values ${JSON.stringify(this.values).slice(0, 600)}, errors ${JSON.stringify(
      this.errors,
    )}, completed ${this.completed}, failure ${describeFailure(this.failure)}`;
  }
}

function describeFailure(failure: unknown): string {
  if (failure === undefined) return "none";
  if (failure && typeof failure === "object" && "code" in failure) {
    const f = failure as { code: number; reason?: string };
    return `close ${f.code} ${f.reason ?? ""}`;
  }
  try {
    return JSON.stringify(failure);
  } catch {
    return String(failure);
  }
}

export interface FeedClientOptions extends Partial<Omit<ClientOptions, "url" | "webSocketImpl">> {
  /** An API token: sent as connectionParams.authorization "Bearer <token>". */
  token?: string;
}

/** A real graphql-ws client (subprotocol graphql-transport-ws) on the server's /graphql. */
export class FeedClient {
  readonly client: Client;
  /** Close events of the underlying socket, in order. */
  readonly closes: { code: number; reason: string }[] = [];
  private sequence = 0;

  constructor(httpUrl: string, options: FeedClientOptions = {}) {
    const { token, on, ...rest } = options;
    this.client = createClient({
      url: wsUrl(httpUrl),
      webSocketImpl: WebSocket,
      lazy: true,
      retryAttempts: 0,
      connectionParams: token ? { authorization: `Bearer ${token}` } : {},
      ...rest,
      on: {
        ...on,
        closed: (event) => {
          const e = event as { code: number; reason: string };
          this.closes.push({ code: e.code, reason: String(e.reason ?? "") });
          (on?.closed as ((e: unknown) => void) | undefined)?.(event);
        },
      },
    });
  }

  /** Starts a subscription; what arrives is recorded on the returned stream. */
  subscribe<R, V>(document: TypedDocumentNode<R, V>, variables: V): Stream<R> {
    this.sequence += 1;
    const stream = new Stream<R>(`subscription #${this.sequence}`);
    stream.unsubscribe = this.client.subscribe<R>(
      { query: print(document), variables: variables as Record<string, unknown> },
      {
        next: (result) => {
          if (result.errors) stream.errors.push(...(result.errors as unknown as FeedError[]));
          if (result.data) stream.values.push(result.data as R);
          stream.notify();
        },
        error: (error) => {
          stream.failure = error;
          stream.notify();
        },
        complete: () => {
          stream.completed = true;
          stream.notify();
        },
      },
    );
    return stream;
  }

  /** Closes the socket without a goodbye, as a dropped connection would. */
  terminate(): void {
    this.client.terminate();
  }

  async dispose(): Promise<void> {
    await this.client.dispose();
  }
}

export type Frame = { type: string; id?: string; payload?: any };

/**
 * A bare `ws` connection with subprotocol graphql-transport-ws: the test sends
 * protocol messages itself, and sees every frame and the close code.
 */
export class RawConnection {
  readonly socket: WebSocket;
  readonly frames: Frame[] = [];
  /** The close code and reason the client saw, once the socket closed. */
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly opened: Promise<void>;
  private listeners = new Set<() => void>();

  constructor(httpUrl: string, options: WebSocket.ClientOptions = {}) {
    this.socket = new WebSocket(wsUrl(httpUrl), "graphql-transport-ws", options);
    this.socket.on("message", (data) => {
      this.frames.push(JSON.parse(String(data)) as Frame);
      for (const l of [...this.listeners]) l();
    });
    // An error (e.g. the server dropping the TCP connection) is followed by a close event.
    this.socket.on("error", () => undefined);
    this.opened = new Promise((resolve, reject) => {
      this.socket.once("open", () => resolve());
      this.socket.once("close", (code) => reject(new Error(`socket closed (${code}) before it opened`)));
    });
    this.opened.catch(() => undefined);
    this.closed = new Promise((resolve) =>
      this.socket.once("close", (code, reason) => resolve({ code, reason: String(reason) })),
    );
  }

  static async open(httpUrl: string, options?: WebSocket.ClientOptions): Promise<RawConnection> {
    const connection = new RawConnection(httpUrl, options);
    await connection.opened;
    return connection;
  }

  send(frame: Frame): void {
    this.socket.send(JSON.stringify(frame));
  }

  /** connection_init with the token (when given), then waits for connection_ack. */
  async init(token?: string): Promise<void> {
    this.send({ type: "connection_init", payload: token ? { authorization: `Bearer ${token}` } : {} });
    await this.frame((f) => f.type === "connection_ack", "connection_ack");
  }

  subscribe<R, V>(id: string, document: TypedDocumentNode<R, V>, variables: V): void {
    this.send({ type: "subscribe", id, payload: { query: print(document), variables } });
  }

  /** Frames of type next for subscription `id`, in order. */
  nexts(id: string): Frame[] {
    return this.frames.filter((f) => f.type === "next" && f.id === id);
  }

  /** Waits for the first frame that matches. */
  frame(match: (f: Frame) => boolean, what: string, timeoutMs = WAIT_MS): Promise<Frame> {
    const found = this.frames.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const listener = () => {
        const f = this.frames.find(match);
        if (!f) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(f);
      };
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`timed out waiting for ${what}; frames: ${JSON.stringify(this.frames).slice(0, 600)}`));
      }, timeoutMs);
      this.listeners.add(listener);
    });
  }

  /** Resolves with the close once the socket closed; fails after `timeoutMs`. */
  closedWithin(timeoutMs = WAIT_MS): Promise<{ code: number; reason: string }> {
    return Promise.race([
      this.closed,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`socket still open after ${timeoutMs} ms`)), timeoutMs).unref(),
      ),
    ]);
  }

  terminate(): void {
    this.socket.terminate();
  }
}

/** Clients opened by a test, closed together afterwards (and the server's listeners waited out). */
export class ClientPool {
  private clients: FeedClient[] = [];
  private raws: RawConnection[] = [];

  constructor(private readonly url: () => string) {}

  client(options: FeedClientOptions = {}): FeedClient {
    const client = new FeedClient(this.url(), options);
    this.clients.push(client);
    return client;
  }

  async raw(options?: WebSocket.ClientOptions): Promise<RawConnection> {
    const connection = new RawConnection(this.url(), options);
    this.raws.push(connection);
    await connection.opened;
    return connection;
  }

  /** Closes every client; with a server, waits until its feed has no listener left. */
  async closeAll(server?: { services: { feedDispatcher: { listenerCount: number } } }): Promise<void> {
    const clients = this.clients.splice(0);
    const raws = this.raws.splice(0);
    for (const raw of raws) raw.terminate();
    await Promise.all(clients.map((c) => c.dispose().catch(() => undefined)));
    if (server) {
      await waitFor(
        () => server.services.feedDispatcher.listenerCount === 0,
        () => `no feed listeners (have ${server.services.feedDispatcher.listenerCount})`,
      );
    }
  }
}
