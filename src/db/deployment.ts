import { randomBytes } from "node:crypto";
import { Database } from "./database";

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
