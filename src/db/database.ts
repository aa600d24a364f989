import { createHash } from "node:crypto";
import type { Pool } from "pg";
import type { Logger as OrmLogger, MixedList, EntitySchema } from "typeorm";
import { DataSource } from "typeorm";
import type { Logger } from "pino";
import { SnakeNamingStrategy } from "./naming";
import { pgTypes } from "./pg-dates";
import { SqlCounter } from "./sql-counter";
import type { DataDirOwner } from "./data-dir-lock";
import { startEmbeddedPostgres } from "./pglite";
import { parseLsn, ReadReplicas } from "./read-replicas";
import { requestScope } from "../shared/request-scope";

export interface DatabaseOptions {
  /** PostgreSQL connection string; when absent, embedded PGlite under dataDir. */
  databaseUrl?: string;
  dataDir: string;
  poolSize: number;
  statementTimeoutMs: number;
  entities: MixedList<Function | string | EntitySchema>;
  migrations: MixedList<Function | string>;
  logger: Logger;
  /** Read replicas (PostgreSQL only): anonymous queries read there when the request's scope names one. */
  readUrls?: readonly string[];
  readProbeMs?: number;
  readProbeTimeoutMs?: number;
  /** Who opens an embedded data directory (it is locked for one process): "server" unless told. */
  owner?: DataDirOwner;
  /**
   * Reads with parameters outside transactions run as named prepared statements on PostgreSQL
   * (parsed and planned once per connection). Off for PgBouncer in transaction mode. Default on.
   */
  preparedStatements?: boolean;
}

/** Distinct statement texts given a name per process; any further text runs unnamed (bounds every connection's cache). */
const MAX_PREPARED = 256;

/** Runs SQL and answers rows: for SELECT, and for INSERT/UPDATE/DELETE ... RETURNING alike. */
export interface Queryable {
  query<T = any>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** A transaction in progress: its connection, and a hook for work that must wait for the commit. */
export interface Tx extends Queryable {
  /** Runs fn after a successful commit; never when the transaction rolls back. */
  afterCommit(fn: () => void | Promise<void>): void;
  /** Runs fn inside the transaction, after the work and just before COMMIT. */
  beforeCommit(fn: () => Promise<void>): void;
}

export class Database implements Queryable {
  private constructor(
    readonly dataSource: DataSource,
    /** Statements sent: what SQL-count tests and benchmarks read (the difference around one request). */
    readonly sql: SqlCounter,
    readonly kind: "postgres" | "pglite",
    readonly logger: Logger,
    private readonly stopEmbedded?: () => Promise<void>,
    /** Statements sent to the primary alone (`sql` counts the replicas' too). */
    readonly primarySql: SqlCounter = sql,
    /** With DATABASE_READ_URL: the replicas, their health and their replay positions. */
    readonly replicas?: ReadReplicas,
    private readonly prepare = false,
  ) {}

  private readonly statementNames = new Map<string, string>();

  /** Connects (starting the embedded database when no URL is given); runs no migrations. */
  static async open(options: DatabaseOptions): Promise<Database> {
    const embedded = options.databaseUrl
      ? undefined
      : await startEmbeddedPostgres(options.dataDir, options.owner ?? "server");
    const counter = new SqlCounter();
    const primaryCounter = new SqlCounter();
    const dataSource = new DataSource({
      type: "postgres",
      url: options.databaseUrl ?? embedded!.url,
      entities: options.entities,
      migrations: options.migrations,
      migrationsTableName: "typeorm_migrations",
      namingStrategy: new SnakeNamingStrategy(),
      synchronize: false,
      logger: new CountingLogger([counter, primaryCounter], options.logger),
      extra: embedded
        ? // PGlite serves one connection: a pool of one keeps transactions apart.
          { max: 1, types: pgTypes }
        : {
            max: options.poolSize,
            types: pgTypes,
            connectionTimeoutMillis: 5000,
            statement_timeout: options.statementTimeoutMs || undefined,
            // The server enforces statement_timeout only while it runs; a frozen or unreachable server
            // is caught by the client-side timeout, a second later.
            query_timeout: options.statementTimeoutMs ? options.statementTimeoutMs + 1000 : undefined,
            idle_in_transaction_session_timeout: 60_000,
            application_name: "newsgraph",
          },
    });
    try {
      await dataSource.initialize();
    } catch (error) {
      await embedded?.stop();
      throw error;
    }
    const urls = options.readUrls ?? [];
    if (urls.length && embedded) throw new Error("read replicas need DATABASE_URL (PostgreSQL)");
    const replicas = urls.length
      ? new ReadReplicas({
          urls,
          poolSize: options.poolSize,
          statementTimeoutMs: options.statementTimeoutMs,
          probeMs: options.readProbeMs ?? 1000,
          probeTimeoutMs: options.readProbeTimeoutMs ?? 1000,
          logger: options.logger,
          primaryLsn: async () => {
            const runner = dataSource.createQueryRunner();
            try {
              const rows = (await runner.query("SELECT pg_current_wal_lsn()::text AS lsn", [], true)).records;
              return parseLsn(rows[0].lsn);
            } finally {
              await runner.release();
            }
          },
        })
      : undefined;
    const db = new Database(
      dataSource,
      counter,
      embedded ? "pglite" : "postgres",
      options.logger,
      embedded?.stop,
      primaryCounter,
      replicas,
      !embedded && options.preparedStatements !== false,
    );
    await replicas?.start();
    return db;
  }

  /**
   * Runs a raw statement outside any transaction: on the replica the request's
   * scope names (an anonymous query, src/http/read-routing.ts), else on the
   * primary. A replica that fails is marked down and the statement, and the
   * rest of the request, go to the primary: the request does not fail.
   */
  async query<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
    const name = params.length > 0 ? this.statementName(sql) : undefined;
    const scope = this.replicas && requestScope.getStore();
    const replica = scope ? scope.readReplica : undefined;
    if (scope && replica) {
      try {
        this.sql.record(sql);
        if (this.logger.isLevelEnabled("trace")) {
          this.logger.trace({ query: sql, parameters: params.map(shape), replica: replica.name }, "sql");
        }
        return await replica.query<T>(sql, params, name);
      } catch (error) {
        this.logger.debug({ err: error, replica: replica.name }, "replica read failed; retried on the primary");
        scope.readReplica = undefined;
        this.replicas!.failed(replica, error);
      }
    }
    if (name) {
      this.dataSource.logger.logQuery(sql, params);
      try {
        return (await this.pool.query({ name, text: sql, values: params })).rows as T[];
      } catch (error) {
        this.dataSource.logger.logQueryError(error as Error, sql);
        throw error;
      }
    }
    const runner = this.dataSource.createQueryRunner();
    try {
      // The structured result gives rows for every command (TypeORM's plain one wraps UPDATE results).
      return (await runner.query(sql, params, true)).records as T[];
    } finally {
      await runner.release();
    }
  }

  /**
   * Runs fn in a transaction. Effects registered with tx.afterCommit (events for
   * subscribers, cache purges) run only once the commit has succeeded, so nobody
   * observes a write that could still roll back.
   */
  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const effects: (() => void | Promise<void>)[] = [];
    const finals: (() => Promise<void>)[] = [];
    const result = await this.dataSource.transaction(async (manager) => {
      const value = await fn({
        afterCommit: (e) => effects.push(e),
        beforeCommit: (f) => finals.push(f),
        query: async (sql, params = []) => (await manager.queryRunner!.query(sql, params, true)).records,
      });
      for (const f of finals) await f();
      return value;
    });
    for (const effect of effects) {
      try {
        await effect();
      } catch (error) {
        this.logger.error({ err: error }, "after-commit effect failed");
      }
    }
    return result;
  }

  /**
   * The name a statement text is prepared under (the same on every connection), or undefined:
   * when statements are not prepared, or MAX_PREPARED texts already have names.
   */
  private statementName(sql: string): string | undefined {
    if (!this.prepare) return undefined;
    let name = this.statementNames.get(sql);
    if (name === undefined && this.statementNames.size < MAX_PREPARED) {
      name = `ng_${createHash("sha256").update(sql).digest("hex").slice(0, 24)}`;
      this.statementNames.set(sql, name);
    }
    return name;
  }

  /** node-postgres' pool under TypeORM's driver. */
  private get pool(): Pool {
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }

  /** Connections of the pool, for /metrics. */
  poolStats(): { total: number; idle: number; waiting: number } {
    const pool = (
      this.dataSource.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number } }
    ).master;
    return { total: pool?.totalCount ?? 0, idle: pool?.idleCount ?? 0, waiting: pool?.waitingCount ?? 0 };
  }

  async migrate(): Promise<string[]> {
    const done = await this.dataSource.runMigrations({ transaction: "each" });
    return done.map((m) => m.name);
  }

  async close(): Promise<void> {
    await this.replicas?.stop();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.stopEmbedded?.();
  }
}

/**
 * What a parameter was, not what it held: statements carry commenters' emails,
 * and no log line may (numbers and flags are kept, they help and hold nothing).
 */
function shape(value: unknown): unknown {
  if (value === null || typeof value === "number" || typeof value === "boolean") return value;
  if (typeof value === "string") return `[string of ${value.length}]`;
  if (Array.isArray(value)) return `[array of ${value.length}]`;
  return `[${value instanceof Date ? "date" : typeof value}]`;
}

/** Feeds every statement TypeORM sends into the counter; logs them at trace level. */
class CountingLogger implements OrmLogger {
  constructor(
    private readonly counters: SqlCounter[],
    private readonly logger: Logger,
  ) {}

  logQuery(query: string, parameters?: unknown[]): void {
    for (const counter of this.counters) counter.record(query);
    if (this.logger.isLevelEnabled("trace")) this.logger.trace({ query, parameters: parameters?.map(shape) }, "sql");
  }

  logQueryError(error: string | Error, query: string): void {
    this.logger.debug({ err: error, query }, "sql failed");
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ time, query }, "slow sql");
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.logger.info(message);
  }

  log(level: "log" | "info" | "warn", message: unknown): void {
    if (level === "warn") this.logger.warn(String(message));
  }
}
