import type { Logger } from "pino";
import type { RedisLink } from "../shared/redis-link";

/**
 * Where cached responses live, with tag-based purging. `epoch` counts purges:
 * a response computed while a purge happened may hold pre-write data, so it
 * is not stored (see response-cache.ts).
 */
export interface CacheStore {
  get(key: string): Promise<string | null>;
  /** Stores the entry unless a purge has moved the epoch past `epoch` (checked atomically with the write). */
  set(key: string, value: string, ttlSeconds: number, tags: string[], epoch: number): Promise<void>;
  /** Removes every entry carrying any of the tags, and moves the epoch on. */
  purge(tags: string[]): Promise<void>;
  epoch(): Promise<number>;
  close(): Promise<void>;
}

/** One process: a bounded map, oldest entries evicted first. */
export class MemoryCacheStore implements CacheStore {
  private readonly entries = new Map<string, { value: string; expires: number; tags: string[] }>();
  private readonly byTag = new Map<string, Set<string>>();
  private purges = 0;

  constructor(private readonly maxEntries = 10_000) {}

  async get(key: string): Promise<string | null> {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expires <= Date.now()) {
      this.remove(key);
      return null;
    }
    return entry.value;
  }

  async set(key: string, value: string, ttlSeconds: number, tags: string[], epoch: number): Promise<void> {
    if (epoch !== this.purges) return;
    this.remove(key);
    while (this.entries.size >= this.maxEntries) this.remove(this.entries.keys().next().value!);
    this.entries.set(key, { value, expires: Date.now() + ttlSeconds * 1000, tags });
    for (const tag of tags) {
      let keys = this.byTag.get(tag);
      if (!keys) this.byTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
  }

  async purge(tags: string[]): Promise<void> {
    this.purges++;
    for (const tag of tags) for (const key of this.byTag.get(tag) ?? []) this.remove(key);
  }

  async epoch(): Promise<number> {
    return this.purges;
  }

  get size(): number {
    return this.entries.size;
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    for (const tag of entry.tags) {
      const keys = this.byTag.get(tag);
      keys?.delete(key);
      if (keys && !keys.size) this.byTag.delete(tag);
    }
  }

  async close(): Promise<void> {
    this.entries.clear();
    this.byTag.clear();
  }
}

/*
 * KEYS[1] epoch key; ARGV: expected epoch, prefix, entry key, value, ttl, tags...
 * Tag sets live twice as long as their longest entry (EXPIRE NX sets a first TTL, GT only extends it).
 */
const STORE_SCRIPT = `
local current = redis.call('GET', KEYS[1]) or '0'
if current ~= ARGV[1] then return 0 end
local prefix, key, ttl = ARGV[2], ARGV[3], tonumber(ARGV[5])
redis.call('SET', prefix .. key, ARGV[4], 'EX', ttl)
for i = 6, #ARGV do
  local tagKey = prefix .. 'tag:' .. ARGV[i]
  redis.call('SADD', tagKey, key)
  redis.call('EXPIRE', tagKey, ttl * 2, 'NX')
  redis.call('EXPIRE', tagKey, ttl * 2, 'GT')
end
return 1`;

/**
 * Shared by every instance of the deployment (keys in its namespace): entries
 * are strings with a TTL; each tag is a set of entry keys. When Redis does not
 * answer (down, or stalled: every call is bounded) the cache is bypassed
 * (misses, no stores). A purge that could not reach Redis leaves entries that
 * may be stale, so the whole cache is dropped before it is used again.
 */
export class RedisCacheStore implements CacheStore {
  private readonly prefix: string;
  private mustReset = false;

  constructor(
    private readonly link: RedisLink,
    private readonly logger: Logger,
  ) {
    this.prefix = link.key("cache:");
  }

  /** True when the cache may be used: after a lost purge, only once everything has been dropped. */
  private async usable(): Promise<boolean> {
    if (!this.mustReset) return true;
    const prefix = this.prefix;
    try {
      let cursor = "0";
      do {
        const [next, keys] = await this.link.run((r) => r.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000));
        if (keys.length) await this.link.run((r) => r.unlink(...keys));
        cursor = next;
      } while (cursor !== "0");
      await this.link.run((r) => r.incr(`${prefix}epoch`));
      this.mustReset = false;
      this.logger.info("response cache dropped after a purge that Redis missed");
      return true;
    } catch {
      return false;
    }
  }

  async get(key: string): Promise<string | null> {
    try {
      if (!(await this.usable())) return null;
      return await this.link.run((r) => r.get(this.prefix + key));
    } catch {
      return null;
    }
  }

  async set(key: string, value: string, ttlSeconds: number, tags: string[], epoch: number): Promise<void> {
    try {
      if (!(await this.usable())) return;
      // One script: a purge cannot run between the epoch check and the write.
      const prefix = this.prefix;
      await this.link.run((r) =>
        r.eval(STORE_SCRIPT, 1, `${prefix}epoch`, String(epoch), prefix, key, value, String(ttlSeconds), ...tags),
      );
    } catch (error) {
      this.logger.debug({ err: (error as Error).message }, "cache store failed");
    }
  }

  async purge(tags: string[]): Promise<void> {
    try {
      // Moving the epoch first makes responses being computed right now skip their store.
      const prefix = this.prefix;
      await this.link.run((r) => r.incr(`${prefix}epoch`));
      for (const tag of tags) {
        const setKey = `${prefix}tag:${tag}`;
        const keys = await this.link.run((r) => r.smembers(setKey));
        await this.link.run((r) => {
          const multi = r.multi().del(setKey);
          for (const key of keys) multi.del(prefix + key);
          return multi.exec();
        });
      }
    } catch (error) {
      this.mustReset = true;
      this.logger.warn({ err: (error as Error).message }, "cache purge missed Redis; the cache will be dropped");
    }
  }

  async epoch(): Promise<number> {
    try {
      return Number((await this.link.run((r) => r.get(`${this.prefix}epoch`))) ?? 0);
    } catch {
      return -1;
    }
  }

  /** The link belongs to the server (shared with the rate limiter and the bus). */
  async close(): Promise<void> {}
}
