/**
 * Helpers shared by tests/cache: the two stores every suite runs against, run-unique
 * documents (the Redis store is shared by every test run on the machine), and
 * assertions on the response cache's HTTP headers.
 */
import { randomBytes } from "node:crypto";
import { Kind, type DocumentNode, type OperationDefinitionNode } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import Redis from "ioredis";
import type { Config } from "../../src/config";
import type { GraphQLResult, RequestOptions, TestServer } from "../support/server";

/** Set by tests/support/global-setup.ts: the machine's Redis, or a private one started for the run. */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** [name, server overrides]: the in-process store and the shared Redis one. */
export const STORES: [string, Partial<Config>][] = [
  ["memory store", {}],
  ["Redis store", { redisUrl: REDIS_URL }],
];

/** Comments are posted from 127.0.0.1 many times per file. */
export const NO_RATE_LIMIT: Partial<Config> = { commentRateLimit: 100_000 };

const RUN = randomBytes(6).toString("hex");
let copies = 0;

/**
 * The same operation with a field alias no other test run uses (`__typename` under
 * an alias), so its cache key is this run's own: another run's entry in the shared
 * Redis can never answer it. Every request with the returned document has the same key.
 */
export function unique<R, V>(doc: TypedDocumentNode<R, V>): TypedDocumentNode<R, V> {
  copies += 1;
  const alias = `run_${RUN}_${copies}`;
  const definitions = doc.definitions.map((d) => {
    if (d.kind !== Kind.OPERATION_DEFINITION) return d;
    const op = d as OperationDefinitionNode;
    return {
      ...op,
      selectionSet: {
        ...op.selectionSet,
        selections: [
          ...op.selectionSet.selections,
          {
            kind: Kind.FIELD,
            alias: { kind: Kind.NAME, value: alias },
            name: { kind: Kind.NAME, value: "__typename" },
          },
        ],
      },
    } as OperationDefinitionNode;
  });
  return { ...(doc as DocumentNode), definitions } as TypedDocumentNode<R, V>;
}

export const xCache = (res: { headers: Headers }) => res.headers.get("x-cache");
export const cacheControl = (res: { headers: Headers }) => res.headers.get("cache-control");

/** Data of a successful response. */
export function dataOf<R>(res: GraphQLResult<R>): R {
  expect(res.errors).toBeUndefined();
  expect(res.status).toBe(200);
  return res.data!;
}

/**
 * Watches the shared Redis store's purge counter (<namespace>cache:epoch). Another
 * run's write moves it too, and may purge an entry of ours whose tags match (tags
 * name database ids, which every run's database reuses), or make the plugin skip a
 * store: a HIT we expected can then honestly be a MISS. The suites retry only in
 * that case. It notes the counter before each request of the tracked server.
 */
export class PurgeWatch {
  private readonly redis: Redis | null;
  /** The counter before each of the last two requests. */
  private seen: number[] = [];

  private readonly prefix: string;

  constructor(server: TestServer) {
    const url = server.config.redisUrl;
    this.redis = url ? new Redis(url, { maxRetriesPerRequest: 1 }) : null;
    this.prefix = `${server.redisNamespace}cache:`;
  }

  /** The store's purge count; 0 for a memory store (whose purges are all this file's). */
  async epoch(): Promise<number> {
    if (!this.redis) return 0;
    return Number((await this.redis.get(`${this.prefix}epoch`)) ?? 0);
  }

  /** Call before a request that does not go through the tracked server's request(). */
  async note(): Promise<void> {
    if (this.redis) this.seen = [...this.seen.slice(-1), await this.epoch()];
  }

  /** Notes the counter before every server.request(). */
  track(server: TestServer): void {
    const original = server.request.bind(server);
    server.request = (async (doc: any, variables?: any, options?: RequestOptions) => {
      await this.note();
      return original(doc, variables, options);
    }) as TestServer["request"];
  }

  /** The counter before the request before the last one: before the one that should have stored the entry. */
  get beforePreviousRequest(): number | undefined {
    return this.seen[0];
  }

  /** Seconds an entry of the shared store has left (-2 when absent); null for a memory store. */
  async ttl(key: string): Promise<number | null> {
    if (!this.redis) return null;
    return this.redis.ttl(this.prefix + key);
  }

  get shared(): boolean {
    return this.redis !== null;
  }

  async close(): Promise<void> {
    this.redis?.disconnect();
  }
}

/**
 * Runs `scenario`, which returns false when it saw a MISS where it expected a HIT
 * (its first run checks the request that follows a storing one; later runs send
 * the storing request themselves). A false is tolerated, and the scenario run
 * again, only on the shared store and only when the purge counter moved since
 * before the storing request: never on the memory store.
 */
export async function withForeignPurgeRetry(watch: PurgeWatch, scenario: () => Promise<boolean>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const ok = await scenario();
    if (ok) return;
    const since = watch.beforePreviousRequest;
    const now = await watch.epoch();
    const foreign = watch.shared && since !== undefined && now > since;
    if (!foreign || attempt >= 5) {
      throw new Error(
        `expected a cache HIT (attempt ${attempt}; purges since the storing request: ` +
          `${since === undefined ? "unknown" : now - since}, ${watch.shared ? "shared Redis" : "memory store"})`,
      );
    }
  }
}

/** Resolves when `release()` is called; for holding a resolver mid-flight. */
export function gate(): { promise: Promise<void>; release: () => void } {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}
