import "reflect-metadata";
import { Database } from "../db/database";
import { createLogger } from "../logger";
import { entities } from "../modules";
import { migrations } from "../../migrations";

/**
 * Migration drift check: applies every migration to a fresh embedded database
 * and asks TypeORM what it would still change to match the entities. Any
 * statement means the entities and migrations disagree. `--print` shows them,
 * which is also how a new migration is drafted (then read and tidied).
 */
export async function schemaDiff(): Promise<string[]> {
  const db = await Database.open({
    dataDir: "memory://",
    poolSize: 1,
    statementTimeoutMs: 0,
    entities,
    migrations,
    logger: createLogger("warn"),
  });
  try {
    await db.migrate();
    const sql = await db.dataSource.driver.createSchemaBuilder().log();
    return sql.upQueries.map((q) => q.query + (q.parameters?.length ? ` -- ${JSON.stringify(q.parameters)}` : ""));
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  schemaDiff().then(
    (statements) => {
      for (const s of statements) console.log(`${s};`);
      if (statements.length) {
        console.error(`migrations: ${statements.length} statement(s) of drift between entities and migrations`);
        process.exit(1);
      }
      console.error("migrations: entities and migrations agree");
    },
    (error) => {
      console.error(error);
      process.exit(2);
    },
  );
}
