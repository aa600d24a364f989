import "reflect-metadata";
import { parseArgs } from "node:util";
import { loadConfig, loadDotEnv } from "../config";
import { createImageStorage } from "../modules/image/create-image-storage";
import { describeOpenError } from "../db/connect-errors";
import { DataDirInUseError } from "../db/data-dir-lock";
import { Database } from "../db/database";
import { deploymentRedis } from "../db/deployment";
import { createLogger } from "../logger";
import { entities } from "../modules";
import { AuthService } from "../modules/auth/auth.service";
import { insertAuthor } from "../modules/author/author-insert";
import { createBus } from "../pubsub";
import { Role } from "../modules/auth/role";
import { BENCH_DEFAULTS, seedBench } from "../../bench/seed/bench";
import { createDemoEditor, seedDemo } from "../seed/demo";
import { AppError } from "../shared/errors";
import { migrations } from "../../migrations";
import { CommandError, UnavailableError, UsageError } from "./cli-errors";
import { liveDemo } from "./live-demo";

const USAGE = `usage: npm run cli -- <command> [options]

commands:
  migrate                        apply pending migrations
  seed --demo                    load the demo newsroom (idempotent)
  seed --bench [--articles N] [--comments N] [--authors N] [--topics N] [--seed S]
                                 load deterministic benchmark data (defaults: 100000
                                 articles, 1000000 comments, 300 authors, 300 topics,
                                 seed "newsgraph"); all or nothing, in one transaction;
                                 does nothing when bench data is already present
  author create --slug S --name N [--bio B]
                                 add an author
  token create --author SLUG --role WRITER|EDITOR|ADMIN [--label L]
                                 issue an API token; prints the token alone on stdout
  token list [--author SLUG]     list tokens (never the tokens themselves)
  token revoke --id N            revoke a token at once
  live demo --article SLUG [--every SECONDS] [--count N] [--url URL] [--token TOKEN]
                                 against a running server: posts a plausible entry to the
                                 article's live blog every SECONDS (10; fractions allowed),
                                 now and then edits or deletes one it posted; starts the
                                 live blog first if it is not live (an EDITOR token can);
                                 stops on Ctrl-C or after N actions. --url defaults to
                                 http://localhost:4000/graphql, --token to NEWSGRAPH_TOKEN

DATABASE_URL selects PostgreSQL; without it the embedded database under DATA_DIR is used,
which only one process may have open: stop the server first (exit code 75 while it runs).
Exit codes: 0 done, 64 wrong command line, 65 cannot be done (exists, revoked, refused by the
server), 69 database or server unreachable, 75 database in use.`;

export { CommandError, UsageError };

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
    owner: "cli",
  });
  await db.migrate();
  return db;
}

type Command = (db: Database, args: string[]) => Promise<void>;

const commands: Record<string, Command> = {
  token,
  async migrate() {
    // openDb has applied them; say where we stand.
    console.error("migrations: up to date");
  },
  async seed(db, args) {
    const { values } = parseArgs({
      args,
      options: {
        demo: { type: "boolean" },
        bench: { type: "boolean" },
        articles: { type: "string" },
        comments: { type: "string" },
        authors: { type: "string" },
        topics: { type: "string" },
        seed: { type: "string" },
      },
    });
    if (values.demo && values.bench) throw new UsageError("seed takes --demo or --bench, not both");
    if (values.bench) return seedBenchCommand(db, values);
    const benchOnly = (["articles", "comments", "authors", "topics", "seed"] as const).find(
      (k) => values[k] !== undefined,
    );
    if (benchOnly) throw new UsageError(`--${benchOnly} goes with seed --bench`);
    if (!values.demo) throw new UsageError("seed needs --demo or --bench");
    const imageStorage = createImageStorage(loadConfig().images);
    const { articles } = await seedDemo(db, { imageStorage }).finally(() => imageStorage.close());
    if (!articles) {
      console.error("seed: the demo content is there already; for a token: npm run -s cli -- token create ...");
      return;
    }
    // As the embedded mode's first start does: a token to try the newsroom side with, alone on stdout.
    console.error(`seed: ${articles} demo article(s) added; an EDITOR token for demo-editor follows on stdout`);
    console.log(await createDemoEditor(db, new AuthService(db)));
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
    const id = await insertAuthor(db, { slug: values.slug, name: values.name, bio: values.bio });
    if (id === null) throw new CommandError(`author "${values.slug}" exists already`);
    console.log(values.slug);
  },
};

async function seedBenchCommand(
  db: Database,
  values: { articles?: string; comments?: string; authors?: string; topics?: string; seed?: string },
): Promise<void> {
  const count = (name: "articles" | "comments" | "authors" | "topics"): number => {
    const raw = values[name];
    if (raw === undefined) return BENCH_DEFAULTS[name];
    const n = Number(raw.replace(/_/g, ""));
    if (!/^[0-9_]+$/.test(raw) || !Number.isSafeInteger(n)) throw new UsageError(`--${name} must be a whole number`);
    return n;
  };
  const options = {
    articles: count("articles"),
    comments: count("comments"),
    authors: count("authors"),
    topics: count("topics"),
    seed: values.seed ?? BENCH_DEFAULTS.seed,
  };
  if (options.articles && (!options.authors || !options.topics)) {
    throw new UsageError("--authors and --topics must be at least 1 when there are articles");
  }
  if (options.comments && !options.articles) throw new UsageError("--comments needs --articles of at least 1");
  const result = await seedBench(db, { ...options, progress: true });
  if (result.status === "present") {
    console.error("bench data already present");
    return;
  }
  const rows =
    result.authors + result.topics + result.articles + result.articleAuthors + result.articleTopics + result.comments;
  const seconds = result.elapsedMs / 1000;
  console.error(
    `seed: bench data added in ${seconds.toFixed(1)}s (${Math.round(rows / seconds).toLocaleString("en")} rows/s): ` +
      `${result.authors} authors, ${result.topics} topics, ${result.articles} articles ` +
      `(${result.articleAuthors} bylines, ${result.articleTopics} tags), ${result.comments} comments`,
  );
}

async function token(db: Database, args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  const auth = new AuthService(db);
  const { values } = parseArgs({
    args: rest,
    options: {
      author: { type: "string" },
      role: { type: "string" },
      label: { type: "string" },
      id: { type: "string" },
    },
  });
  switch (sub) {
    case "create": {
      const role = values.role?.toUpperCase();
      if (!values.author || !role) throw new UsageError("token create needs --author and --role");
      if (!Object.values(Role).includes(role as Role)) throw new UsageError("--role must be WRITER, EDITOR or ADMIN");
      try {
        console.log(await auth.createToken(values.author, role as Role, values.label ?? null));
      } catch (error) {
        if (error instanceof AppError) throw new CommandError(error.message);
        throw error;
      }
      return;
    }
    case "list":
      for (const t of await auth.listTokens(values.author)) {
        const state = t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : "active";
        console.log([t.id, t.authorSlug, t.role, state, t.createdAt.toISOString(), t.label ?? ""].join("\t"));
      }
      return;
    case "revoke": {
      const id = Number(values.id);
      if (!Number.isInteger(id) || id < 1) throw new UsageError("token revoke needs --id N");
      // Through Redis the running instances hear of it and close the token's open sockets at once;
      // without it they find out at their next re-check (WS_TOKEN_RECHECK_MS).
      const logger = createLogger(process.env.LOG_LEVEL ?? "warn", "newsgraph-cli");
      const redis = await deploymentRedis(loadConfig(), db, logger, "cli");
      const bus = redis ? await createBus(redis, logger) : undefined;
      // The link has no offline queue: wait (briefly) for it, or the servers learn at their next re-check.
      await redis
        ?.waitUntilHealthy(2_000)
        .catch(() => logger.warn("redis not reachable; servers re-check tokens on their own"));
      try {
        if (!(await new AuthService(db, bus).revokeToken(id)))
          throw new CommandError(`no active token with id ${id} (unknown, or revoked already)`);
      } finally {
        await bus?.close();
        redis?.close();
      }
      console.error(`token ${id} revoked`);
      return;
    }
    default:
      throw new UsageError("token needs a subcommand: create, list or revoke");
  }
}

/** Commands that talk to a running server over HTTP, and so never open the database. */
const serverCommands: Record<string, (args: string[]) => Promise<void>> = {
  async live(args) {
    const [sub, ...rest] = args;
    if (sub !== "demo") throw new UsageError("live needs a subcommand: demo");
    await liveDemo(rest);
  },
};

/** The exit code of a command's failure that is the user's to fix (printed as one line), else undefined. */
function failure(error: unknown): number | undefined {
  if (error instanceof CommandError) {
    console.error(`error: ${error.message}`);
    return 65;
  }
  if (error instanceof UnavailableError) {
    console.error(`error: ${error.message}`);
    return 69;
  }
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
    console.error(`error: ${(error as Error).message}\n\n${USAGE}`);
    return 64;
  }
  return undefined;
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const serverCommand = name ? serverCommands[name] : undefined;
  if (serverCommand) {
    try {
      await serverCommand(args);
      return 0;
    } catch (error) {
      const code = failure(error);
      if (code === undefined) throw error;
      return code;
    }
  }
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.error(USAGE);
    return name && name !== "help" && name !== "--help" ? 64 : 0;
  }
  let db: Database;
  try {
    db = await openDb();
  } catch (error) {
    const line = describeOpenError(error, loadConfig().databaseUrl);
    if (!line) throw error;
    console.error(`error: ${line}`);
    return error instanceof DataDirInUseError ? 75 : 69;
  }
  try {
    await command(db, args);
    return 0;
  } catch (error) {
    const code = failure(error);
    if (code === undefined) throw error;
    return code;
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  loadDotEnv();
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
