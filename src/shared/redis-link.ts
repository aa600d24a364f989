import type { RedisOptions } from "ioredis";
import Redis from "ioredis";
import type { Logger } from "pino";

/** How this deployment reaches Redis. */
export interface RedisSettings {
  readonly url: string;
  /** Bound on every call (and on connecting): past it the call fails and the caller falls back. */
  readonly timeoutMs: number;
  /**
   * Prefix of every key and channel: REDIS_PREFIX plus the database's deployment id, so that
   * two deployments sharing one Redis never see each other's entries, counters or messages.
   */
  readonly namespace: string;
}

export class RedisUnavailableError extends Error {
  constructor() {
    super("redis is degraded; skipped");
  }
}

/**
 * One ioredis connection whose calls are bounded and which knows whether
 * Redis answers. A dead Redis fails calls at once (no offline queue); a
 * stalled one (accepts bytes, never answers) fails them at the command
 * timeout. After any failure the link is degraded: calls fail at once, so
 * requests take their fallback without waiting, until a heartbeat PING
 * answers again.
 */
export class RedisLink {
  readonly client: Redis;
  private up = false;
  private wasUp = false;
  private closed = false;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly recoveredHandlers: (() => void)[] = [];

  constructor(
    readonly settings: RedisSettings,
    private readonly logger: Logger,
    private readonly name: string,
    options: RedisOptions = {},
  ) {
    this.client = new Redis(settings.url, {
      commandTimeout: settings.timeoutMs,
      connectTimeout: Math.max(settings.timeoutMs, 1000),
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      retryStrategy: (times: number) => Math.min(times * 200, 2000),
      ...options,
    });
    this.client.on("error", (err) => this.logger.debug({ err: err.message, link: name }, "redis"));
    this.client.on("ready", () => void this.probe());
    this.client.on("close", () => this.setUp(false));
    // Often enough that /readyz and the fallbacks follow Redis within a couple of seconds.
    this.heartbeat = setInterval(() => void this.probe(), Math.max(1000, settings.timeoutMs * 2)).unref();
  }

  /** True while Redis answered the last call or heartbeat. */
  healthy(): boolean {
    return this.up && this.client.status === "ready";
  }

  /** Called when the link comes back after being degraded (listeners catch up on what they missed). */
  onRecovered(handler: () => void): void {
    this.recoveredHandlers.push(handler);
  }

  /** Runs one call (a command, a MULTI, a script); fails at once while degraded. */
  async run<T>(call: (redis: Redis) => Promise<T>): Promise<T> {
    if (!this.healthy()) throw new RedisUnavailableError();
    try {
      return await call(this.client);
    } catch (error) {
      this.setUp(false);
      throw error;
    }
  }

  /** Key or channel name inside this deployment's namespace. */
  key(name: string): string {
    return this.settings.namespace + name;
  }

  private async probe(): Promise<void> {
    if (this.client.status !== "ready") return this.setUp(false);
    let timer: NodeJS.Timeout | undefined;
    try {
      // Bounded here too: the subscriber link has no command timeout (see redis-bus.ts).
      await Promise.race([
        this.client.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error("ping timed out")), this.settings.timeoutMs);
        }),
      ]);
      this.setUp(true);
    } catch {
      this.setUp(false);
    } finally {
      clearTimeout(timer);
    }
  }

  private setUp(up: boolean): void {
    if (up === this.up || this.closed) return;
    this.up = up;
    if (up) {
      this.logger.info({ link: this.name }, this.wasUp ? "redis answers again" : "redis connected");
      this.wasUp = true;
      for (const h of this.recoveredHandlers) h();
    } else {
      this.logger.warn({ link: this.name }, "redis is not answering; using fallbacks");
    }
  }

  /** Resolves once the link is healthy (or rejects after timeoutMs). */
  async waitUntilHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.healthy()) {
      if (Date.now() > deadline) throw new Error(`redis (${this.name}) did not become ready`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): void {
    this.closed = true;
    clearInterval(this.heartbeat);
    this.client.disconnect();
  }
}
