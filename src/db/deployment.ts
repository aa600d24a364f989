import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import type { Config } from "../config";
import { RedisLink } from "../shared/redis-link";
import type { Database } from "./database";

/**
 * This deployment's id: random, made by the first instance that starts on the
 * database and read by every later one, so instances of one deployment agree
 * on it and two deployments (two databases) never do.
 */
export async function deploymentId(db: Database): Promise<string> {
  await db.query(`INSERT INTO deployment (id) VALUES ($1) ON CONFLICT (singleton) DO NOTHING`, [
    randomBytes(8).toString("hex"),
  ]);
  const rows = await db.query<{ id: string }>("SELECT id FROM deployment");
  return rows[0]!.id;
}

/**
 * The Redis connection of this deployment (keys and channels under
 * REDIS_PREFIX and the deployment id), or undefined without REDIS_URL. The
 * server and the CLI use the same, so a CLI revocation reaches the servers.
 */
export async function deploymentRedis(
  config: Pick<Config, "redisUrl" | "redisPrefix" | "redisTimeoutMs">,
  db: Database,
  logger: Logger,
  name: string,
): Promise<RedisLink | undefined> {
  if (!config.redisUrl) return undefined;
  const namespace = `${config.redisPrefix}${await deploymentId(db)}:`;
  return new RedisLink({ url: config.redisUrl, timeoutMs: config.redisTimeoutMs, namespace }, logger, name);
}
