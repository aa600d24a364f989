import type { Logger } from "pino";
import type { Clock } from "./clock";
import type { RedisLink } from "./redis-link";
import { RedisUnavailableError } from "./redis-link";

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the window that refused this resets (0 when allowed). */
  retryAfterSeconds: number;
}

/** Fixed-window counters: at most `limit` hits per key per window. */
export interface RateLimiter {
  hit(key: string, limit: number, windowSeconds: number): Promise<RateDecision>;
  /**
   * True the first time `key` is claimed within the window, false for repeats:
   * lets retries of one operation (an idempotency key) be charged once.
   */
  claim(key: string, windowSeconds: number): Promise<boolean>;
  close(): Promise<void>;
}

/** One process. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private readonly claims = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateDecision> {
    const now = this.clock.now().getTime();
    if (this.windows.size > 100_000) this.sweep(now);
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + windowSeconds * 1000 };
      this.windows.set(key, w);
    }
    w.count++;
    if (w.count <= limit) return { allowed: true, retryAfterSeconds: 0 };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((w.resetAt - now) / 1000)) };
  }

  async claim(key: string, windowSeconds: number): Promise<boolean> {
    const now = this.clock.now().getTime();
    const until = this.claims.get(key);
    if (until !== undefined && until > now) return false;
    if (this.claims.size > 100_000) for (const [k, t] of this.claims) if (t <= now) this.claims.delete(k);
    this.claims.set(key, now + windowSeconds * 1000);
    return true;
  }

  private sweep(now: number): void {
    for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
  }

  async close(): Promise<void> {}
}

/**
 * Shared by every instance of the deployment through Redis (counters in its
 * namespace). When Redis cannot answer (down, stalled: every call is bounded),
 * it falls back to this instance's own counters rather than refuse or let
 * everything through: comments keep working, limits keep holding per instance.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly fallback: MemoryRateLimiter;

  constructor(
    private readonly link: RedisLink,
    clock: Clock,
    private readonly logger: Logger,
  ) {
    this.fallback = new MemoryRateLimiter(clock);
  }

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateDecision> {
    const redisKey = this.link.key(`rate:${key}`);
    try {
      const results = await this.link.run((redis) =>
        redis.multi().set(redisKey, 0, "EX", windowSeconds, "NX").incr(redisKey).pttl(redisKey).exec(),
      );
      const count = Number(results?.[1]?.[1]);
      const ttl = Number(results?.[2]?.[1]);
      if (!Number.isFinite(count)) throw new Error("unexpected reply from redis");
      if (count <= limit) return { allowed: true, retryAfterSeconds: 0 };
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(ttl / 1000)) };
    } catch (error) {
      // The link logs when Redis goes away; a call it skipped needs no line of its own.
      if (!(error instanceof RedisUnavailableError))
        this.logger.warn({ err: (error as Error).message }, "rate limiter: redis unavailable, counting locally");
      return this.fallback.hit(key, limit, windowSeconds);
    }
  }

  async claim(key: string, windowSeconds: number): Promise<boolean> {
    try {
      const claimKey = this.link.key(`claim:${key}`);
      return (await this.link.run((redis) => redis.set(claimKey, "1", "EX", windowSeconds, "NX"))) === "OK";
    } catch {
      return this.fallback.claim(key, windowSeconds);
    }
  }

  /** The link belongs to the server (shared with the cache and the bus). */
  async close(): Promise<void> {}
}
