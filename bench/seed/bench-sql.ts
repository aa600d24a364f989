/** Bulk loading for the bench seeder: batched INSERTs over unnest(), progress line, index and id helpers. */

// ---------------------------------------------------------------------------
// Loading

export type PgClient = { query(sql: string, params?: unknown[]): Promise<{ rows: any[] }> };

/**
 * Multi-row INSERTs: `INSERT ... SELECT * FROM unnest($1::int[], $2::text[], ...)`
 * in batches of about `batchBytes`. One statement is in flight while the next
 * batch is generated, so node and the database work at the same time.
 */
export class BatchInsert {
  private columns: unknown[][];
  private bytes = 0;
  private inFlight: Promise<unknown> = Promise.resolve();
  private readonly sql: string;
  rows = 0;

  constructor(
    private readonly client: PgClient,
    table: string,
    private readonly spec: [name: string, type: string][],
    private readonly batchBytes: number,
    private readonly onWritten: (rows: number) => void = () => {},
  ) {
    this.columns = spec.map(() => []);
    this.sql =
      `INSERT INTO ${table} (${spec.map(([n]) => n).join(", ")}) ` +
      `SELECT * FROM unnest(${spec.map(([, t], i) => `$${i + 1}::${t}[]`).join(", ")})`;
  }

  async add(row: unknown[]): Promise<void> {
    for (let i = 0; i < row.length; i++) {
      const v = row[i];
      this.columns[i]!.push(v);
      this.bytes += typeof v === "string" ? v.length + 4 : 8;
    }
    this.rows++;
    if (this.bytes >= this.batchBytes) await this.flush();
  }

  private async flush(): Promise<void> {
    const columns = this.columns;
    const n = columns[0]!.length;
    this.columns = this.spec.map(() => []);
    this.bytes = 0;
    await this.inFlight;
    if (!n) return;
    const sent = this.client.query(this.sql, columns.map(arrayLiteral)).then(() => this.onWritten(n));
    // Surfaced by the next flush or by end(); never an unhandled rejection.
    sent.catch(() => {});
    this.inFlight = sent;
  }

  async end(): Promise<void> {
    await this.flush();
    await this.inFlight;
  }
}

/**
 * A PostgreSQL array literal: {"a","b",NULL,3}. Several times faster than the
 * driver's own conversion of JS arrays, which shows at a million rows.
 */
export function arrayLiteral(values: unknown[]): string {
  let s = "{";
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i) s += ",";
    if (v === null || v === undefined) s += "NULL";
    else if (typeof v === "number" || typeof v === "boolean") s += String(v);
    else {
      const str = String(v);
      s += '"' + (str.includes('"') || str.includes("\\") ? str.replace(/["\\]/g, "\\$&") : str) + '"';
    }
  }
  return s + "}";
}

/** One line on stderr, redrawn in place: bar, count, rate and ETA. */
export class Progress {
  private started = Date.now();
  private drawn = 0;
  private done = 0;
  private label = "";
  private total = 0;
  private readonly tty: boolean;

  constructor(private readonly enabled: boolean) {
    this.tty = Boolean(process.stderr.isTTY);
  }

  phase(label: string, total: number): void {
    this.label = label;
    this.total = total;
    this.done = 0;
    this.started = Date.now();
    this.drawn = 0;
    this.draw(true);
  }

  add(n: number): void {
    const before = this.done;
    this.done += n;
    this.draw(before < this.total && this.done >= this.total);
  }

  finish(): void {
    if (this.done < this.total) {
      this.done = this.total;
      this.draw(true);
    }
    if (this.enabled && this.tty) process.stderr.write("\n");
  }

  note(message: string): void {
    if (this.enabled) process.stderr.write(`${message}\n`);
  }

  private draw(force: boolean): void {
    if (!this.enabled) return;
    const now = Date.now();
    // A terminal gets ten redraws a second; a log file a line every five seconds.
    if (!force && now - this.drawn < (this.tty ? 100 : 5000)) return;
    this.drawn = now;
    const seconds = (now - this.started) / 1000;
    const fraction = this.total ? Math.min(1, this.done / this.total) : 1;
    const rate = seconds > 0 ? this.done / seconds : 0;
    const eta = rate > 0 ? (this.total - this.done) / rate : 0;
    const width = 28;
    const filled = Math.round(fraction * width);
    const line =
      `${this.label.padEnd(16)} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ` +
      `${(fraction * 100).toFixed(1).padStart(5)}% ${this.done.toLocaleString("en")}/${this.total.toLocaleString("en")} ` +
      `${Math.round(rate).toLocaleString("en")}/s ` +
      (this.done >= this.total ? `${clock(seconds)} elapsed` : `ETA ${clock(eta)}`);
    process.stderr.write(this.tty ? `\r\x1b[2K${line}` : `${line}\n`);
  }
}

export function clock(seconds: number): string {
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

export const iso = (ms: number): string | null => (Number.isNaN(ms) ? null : new Date(ms).toISOString());

/**
 * Building an index once over sorted data is far cheaper than a million
 * random insertions into it. So for a table that gets more rows than it has,
 * this drops its plain secondary indexes (primary keys and unique indexes stay:
 * they check slugs and serve the foreign keys) and answers their definitions,
 * to be run again after the load. All in the transaction: a failure restores
 * them. The price: until the commit, queries on those tables wait, too.
 */
export async function dropIndexes(client: PgClient, tables: [table: string, adding: number][]): Promise<string[]> {
  const definitions: string[] = [];
  for (const [table, adding] of tables) {
    if (adding < 1) continue;
    const [{ n }] = (await client.query(`SELECT count(*)::int AS n FROM (SELECT 1 FROM ${table} LIMIT $1) s`, [adding]))
      .rows;
    if (n >= adding) continue;
    const rows = (
      await client.query(
        `SELECT quote_ident(c.relname) AS name, pg_get_indexdef(i.indexrelid) AS definition
           FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
          WHERE i.indrelid = $1::regclass AND NOT i.indisprimary AND NOT i.indisunique
            AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
          ORDER BY c.relname`,
        [table],
      )
    ).rows as { name: string; definition: string }[];
    for (const { name, definition } of rows) {
      await client.query(`DROP INDEX ${name}`);
      definitions.push(definition);
    }
  }
  return definitions;
}

/** Reserves n consecutive ids of table's serial column; answers the first. */
export async function reserveIds(client: PgClient, table: string, n: number): Promise<number> {
  const [row] = (
    await client.query(
      `SELECT greatest(nextval(pg_get_serial_sequence($1, 'id')), (SELECT coalesce(max(id), 0) + 1 FROM ${table})) AS first`,
      [table],
    )
  ).rows;
  const first = Number(row.first);
  await client.query(`SELECT setval(pg_get_serial_sequence($1, 'id'), $2)`, [table, first + Math.max(n, 1) - 1]);
  return first;
}
