import "reflect-metadata";
import { parseArgs } from "node:util";
import { loadConfig } from "../config";
import { Database } from "../db/database";
import { createLogger } from "../logger";
import { entities } from "../modules";
import { seedDemo } from "../seed/demo";
import { migrations } from "../../migrations";

const USAGE = `usage: npm run cli -- <command> [options]

commands:
  migrate                        apply pending migrations
  seed --demo                    load the demo newsroom (idempotent)
  author create --slug S --name N [--bio B]
                                 add an author

DATABASE_URL selects PostgreSQL; without it the embedded database under DATA_DIR is used.`;

/** Thrown for a wrong command line: printed with the usage, exit code 64. */
export class UsageError extends Error {}

export async function openDb(): Promise<Database> {
  const config = loadConfig();
  const db = await Database.open({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: 2,
    statementTimeoutMs: 0,
    entities,
    migrations,
    logger: createLogger(process.env.LOG_LEVEL ?? "warn", "newsgraph-cli"),
  });
  await db.migrate();
  return db;
}

type Command = (db: Database, args: string[]) => Promise<void>;

const commands: Record<string, Command> = {
  async migrate() {
    // openDb has applied them; say where we stand.
    console.error("migrations: up to date");
  },
  async seed(db, args) {
    const { values } = parseArgs({ args, options: { demo: { type: "boolean" } } });
    if (!values.demo) throw new UsageError("seed needs --demo");
    const { articles } = await seedDemo(db);
    console.error(`seed: ${articles} demo article(s) added`);
  },
  async author(db, args) {
    const [sub, ...rest] = args;
    if (sub !== "create") throw new UsageError("author needs a subcommand: create");
    const { values } = parseArgs({
      args: rest,
      options: { slug: { type: "string" }, name: { type: "string" }, bio: { type: "string" } },
    });
    if (!values.slug || !values.name) throw new UsageError("author create needs --slug and --name");
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(values.slug)) throw new UsageError("--slug must be kebab-case");
    const rows: { id: number }[] = await db.query(
      "INSERT INTO authors (slug, name, bio) VALUES ($1, $2, $3) ON CONFLICT (slug) DO NOTHING RETURNING id",
      [values.slug, values.name, values.bio ?? null],
    );
    if (!rows.length) throw new UsageError(`author "${values.slug}" exists already`);
    console.log(values.slug);
  },
};

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.error(USAGE);
    return name && name !== "help" && name !== "--help" ? 64 : 0;
  }
  const db = await openDb();
  try {
    await command(db, args);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`error: ${(error as Error).message}\n\n${USAGE}`);
      return 64;
    }
    throw error;
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
