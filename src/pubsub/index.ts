import type { Logger } from "pino";
import type { RedisLink } from "../shared/redis-link";
import type { Bus } from "./bus";
import { MemoryBus } from "./memory-bus";
import { RedisBus } from "./redis-bus";

export { BusTopic } from "./bus";
export type { Bus, BusMessage } from "./bus";

/** The one place where the backend is chosen: Redis when a link is configured, memory otherwise. */
export async function createBus(redis: RedisLink | undefined, logger: Logger): Promise<Bus> {
  if (!redis) return new MemoryBus();
  const bus = new RedisBus(redis, logger);
  try {
    await bus.waitUntilReady();
  } catch {
    // Start anyway: writes do not need Redis, and the feed catches up once it is back.
    logger.warn("redis is not reachable yet; the live feed will catch up when it is");
  }
  return bus;
}
