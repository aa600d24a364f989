import { createHash } from "node:crypto";
import type { Logger } from "pino";
import { Pool } from "pg";
import { pgTypes } from "./pg-dates";
import { SqlCounter } from "./sql-counter";

/**
 * Read replicas (DATABASE_READ_URL): one pg pool per streaming replica, its
 * health, and what the primary's write positions (LSNs) say about what each
 * replica may serve. Routing itself is explicit and happens in one place: the
 * HTTP read-routing plugin (src/http/read-routing.ts) puts a replica into the
 * request's scope for an anonymous query, and Database.query sends that
 * request's statements there. Transactions, authenticated viewers, mutations,
 * WebSockets (subscriptions and their replay), the feed dispatcher and the
 * scheduler never get one: they read the primary.
 */
export interface ReadReplicaOptions {
  urls: readonly string[];
  poolSize: number;
  statementTimeoutMs: number;
  probeMs: number;
  probeTimeoutMs: number;
  logger: Logger;
  /** The primary's current WAL position (pg_current_wal_lsn()). */
  primaryLsn: () => Promise<bigint>;
}

/** A position no replay reaches: what a server that is not in recovery (a primary given as a replica) holds. */
const CURRENT = 2n ** 64n;
/** Clients whose reads wait for a write of theirs to be replayed (bounded: the oldest go first). */
const MAX_PINS = 100_000;
/** While a write waits for the replicas, their replay position is read this often (ms). */
const CATCH_UP_POLL_MS = 50;

/** "16/B374D848" -> 0x16B374D848. */
export function parseLsn(text: string): bigint {
  const [hi, lo] = text.split("/");
  return (BigInt(`0x${hi}`) << 32n) | BigInt(`0x${lo}`);
}

/** host:port/database of a connection string: what logs and /readyz call a replica (never its password). */
export function replicaName(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || "5432"}${u.pathname || "/"}`;
}

/**
 * Errors of the statement itself (bad input, a conflict with recovery, a timeout of
 * the statement) say nothing about the replica's health: the read is retried on
 * the primary, the replica stays up. Anything else (a refused or lost connection,
 * a server shutting down, out of resources, a client-side timeout) marks it down.
 */
export function isReplicaFailure(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== "string" || !/^[0-9A-Z]{5}$/.test(code)) return true;
  return /^(08|53|57P|58|XX)/.test(code);
}

export class Replica {
  readonly name: string;
  /** Statements sent to this replica (tests count reads per pool). */
  readonly sql = new SqlCounter();
  /** Serving reads. Starts down: the first probe (at open) decides. */
  up = false;
  /** The last replay position read from it. */
  replayed = 0n;
  /** Why it is down, for logs (never the URL). */
  lastError: string | undefined;
  readonly pool: Pool;

  constructor(url: string, options: ReadReplicaOptions) {
    this.name = replicaName(url);
    this.pool = new Pool({
      connectionString: url,
      max: options.poolSize,
      connectionTimeoutMillis: Math.max(options.probeTimeoutMs, 1000),
      statement_timeout: options.statementTimeoutMs || undefined,
      query_timeout: options.statementTimeoutMs ? options.statementTimeoutMs + 1000 : undefined,
      application_name: "newsgraph-read",
      types: pgTypes,
    });
    // An idle connection that dies (the replica restarts) must not crash the process; the next probe sees it.
    this.pool.on("error", () => {});
  }

  /** With a name, as a prepared statement (the same name and text as on the primary). */
  async query<T>(sql: string, params: unknown[], name?: string): Promise<T[]> {
    this.sql.record(sql);
    const result = name
      ? await this.pool.query({ name, text: sql, values: params })
      : await this.pool.query(sql, params);
    return result.rows as T[];
  }
}

export class ReadReplicas {
  readonly replicas: Replica[];
  /** Per client: the primary's position after its last write; it reads the primary until its replica is past it. */
  private readonly pins = new Map<string, bigint>();
  /** Work that waits until every replica that is up has replayed a position (the cache's second purge). */
  private waiters: { lsn: bigint; run: () => unknown }[] = [];
  /** The newest position this instance waited for: a replica that was down serves again only once past it. */
  private newestWrite = 0n;
  private timer: NodeJS.Timeout | undefined;
  private probing: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: ReadReplicaOptions) {
    this.replicas = options.urls.map((url) => new Replica(url, options));
  }

  /** Probes every replica once (so the first requests already know), then keeps probing. */
  async start(): Promise<void> {
    await this.probe();
    this.schedule();
  }

  /** The names of the replicas that are down (empty when all serve). */
  down(): string[] {
    return this.replicas.filter((r) => !r.up).map((r) => r.name);
  }

  /**
   * Where an anonymous read of this client goes: its replica (chosen by a hash of
   * the client's address, so one client keeps reading from one replica and its
   * reads never step back in time, which also keeps Query.feedCursor at or
   * below the data it guards), or undefined for the primary: when that replica
   * is down, or has not yet replayed this client's own last write.
   */
  pick(client: string): Replica | undefined {
    if (!this.replicas.length) return undefined;
    const index = createHash("sha1").update(client).digest().readUInt32BE(0) % this.replicas.length;
    const replica = this.replicas[index];
    if (!replica.up) return undefined;
    const pin = this.pins.get(client);
    if (pin !== undefined && replica.replayed < pin) return undefined;
    return replica;
  }

  /**
   * Whether this client wrote something the replicas have not all replayed yet.
   * Its reads skip cached answers too: one a lagging replica gave after the
   * write's first purge would show it the past (the second purge has not run).
   */
  awaitsOwnWrite(client: string): boolean {
    return this.pins.has(client);
  }

  /**
   * Read-your-writes: after a write by this client, its reads go to the primary
   * until its replica has replayed it. Also called after a pinned client's read
   * (which the primary answered): the pin moves up to what that read may have
   * seen, so the client never steps back to an older replica afterwards (a
   * `feedCursor` it read there stays at or below the data it reads next).
   */
  async noteWrite(client: string): Promise<void> {
    const lsn = await this.options.primaryLsn();
    this.pins.delete(client);
    this.pins.set(client, lsn);
    if (this.pins.size > MAX_PINS) this.pins.delete(this.pins.keys().next().value!);
    this.note(lsn);
  }

  /**
   * Runs fn once every replica that is up has replayed what the primary holds now.
   * The response cache purges a write's tags right after its commit; a replica that
   * lags may then answer a miss with pre-write data, which would be stored. The
   * second purge, once the replicas are past the write, removes such entries.
   */
  async afterReplay(fn: () => unknown): Promise<void> {
    const lsn = await this.options.primaryLsn();
    this.waiters.push({ lsn, run: fn });
    this.note(lsn);
  }

  /** A replica that failed a read: down until a probe passes (the read itself is retried on the primary). */
  failed(replica: Replica, error: unknown): void {
    if (!isReplicaFailure(error)) return;
    this.markDown(replica, error);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.probing;
    await Promise.all(this.replicas.map((r) => r.pool.end().catch(() => {})));
  }

  private note(lsn: bigint): void {
    if (lsn > this.newestWrite) this.newestWrite = lsn;
    this.schedule(CATCH_UP_POLL_MS);
  }

  private markDown(replica: Replica, error: unknown): void {
    replica.lastError = (error as Error)?.message ?? String(error);
    if (!replica.up) return;
    replica.up = false;
    this.options.logger.warn(
      { replica: replica.name, err: replica.lastError },
      "read replica down; reads go to the primary",
    );
  }

  private schedule(ms = this.options.probeMs): void {
    if (this.stopped) return;
    const soon = ms < this.options.probeMs;
    if (this.timer && !soon) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.probe().finally(() => this.schedule(this.waiting() ? CATCH_UP_POLL_MS : undefined));
    }, ms);
    this.timer.unref();
  }

  private waiting(): boolean {
    return this.waiters.length > 0 || this.pins.size > 0;
  }

  /** One round: every replica's replay position (each bounded by the probe timeout), then the work it releases. */
  probe(): Promise<void> {
    this.probing ??= (async () => {
      try {
        await Promise.all(this.replicas.map((r) => this.probeOne(r)));
        await this.release();
      } finally {
        this.probing = undefined;
      }
    })();
    return this.probing;
  }

  private async probeOne(replica: Replica): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("probe timed out")), this.options.probeTimeoutMs);
      });
      // A replica that is down comes back only once past what the primary held before this probe: its
      // clients read the primary meanwhile, and must not step back to older data.
      const target = replica.up ? 0n : await Promise.race([this.options.primaryLsn(), timeout]);
      const rows = await Promise.race([
        replica.pool.query<{ lsn: string | null; standby: boolean }>(
          "SELECT pg_last_wal_replay_lsn()::text AS lsn, pg_is_in_recovery() AS standby",
        ),
        timeout,
      ]);
      const row = rows.rows[0];
      replica.replayed = row.standby && row.lsn ? parseLsn(row.lsn) : CURRENT;
      if (!replica.up && replica.replayed >= target && replica.replayed >= this.newestWrite) {
        replica.up = true;
        replica.lastError = undefined;
        this.options.logger.info({ replica: replica.name }, "read replica up");
      }
    } catch (error) {
      this.markDown(replica, error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs the work the replicas' positions allow, then lets the writers it covered read from replicas again. */
  private async release(): Promise<void> {
    const serving = this.replicas.filter((r) => r.up);
    const floor = serving.length ? serving.reduce((m, r) => (r.replayed < m ? r.replayed : m), CURRENT) : CURRENT;
    const due = this.waiters.filter((w) => w.lsn <= floor);
    this.waiters = this.waiters.filter((w) => w.lsn > floor);
    // First the second purges: a writer unpinned before them could still be answered from a stale copy.
    await Promise.all(
      due.map((w) =>
        Promise.resolve()
          .then(w.run)
          .catch((error) => this.options.logger.error({ err: error }, "after-replay effect failed")),
      ),
    );
    for (const [client, lsn] of this.pins) if (lsn <= floor) this.pins.delete(client);
  }
}
