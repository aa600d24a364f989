import type { DataSource, EntityMetadata } from "typeorm";

/** Collects positional parameters while a statement is written: `WHERE id = ${q.p(id)}`. */
export class Params {
  readonly values: unknown[] = [];

  p(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

interface Mapping {
  metadata: EntityMetadata;
  /** [databaseName, propertyName] of every column that reads select. */
  columns: [string, string][];
}

/**
 * Hand-written SQL with entity results: the select list of an entity (only the
 * columns it reads, never e.g. the search vector) and the hydration of raw rows
 * into entity instances, without the cost of TypeORM's query builder on hot paths.
 */
export class RowMapper {
  private readonly mappings = new Map<Function, Mapping>();

  constructor(private readonly dataSource: DataSource) {}

  private mapping(entity: Function): Mapping {
    let m = this.mappings.get(entity);
    if (!m) {
      const metadata = this.dataSource.getMetadata(entity);
      const columns = metadata.columns
        .filter((c) => c.isSelect)
        .map((c) => [c.databaseName, c.propertyName] as [string, string]);
      m = { metadata, columns };
      this.mappings.set(entity, m);
    }
    return m;
  }

  /** `a.id, a.slug, ...` for an entity under a table alias. */
  columns(entity: Function, alias: string): string {
    return this.mapping(entity)
      .columns.map(([db]) => `${alias}.${db}`)
      .join(", ");
  }

  hydrate<T>(entity: new () => T, row: Record<string, unknown>): T {
    const instance = new entity() as Record<string, unknown>;
    for (const [db, prop] of this.mapping(entity).columns) instance[prop] = row[db];
    return instance as T;
  }

  hydrateAll<T>(entity: new () => T, rows: Record<string, unknown>[]): T[] {
    return rows.map((r) => this.hydrate(entity, r));
  }
}

/** Groups rows by a key column, keeping each group's order; every requested key gets an array. */
export function groupBy<K, T>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): T[][] {
  const groups = new Map<K, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((k) => groups.get(k) ?? []);
}

/** The row estimate of an EXPLAIN (FORMAT JSON) result (the driver may hand it over parsed or as text). */
export function planRows(plan: unknown): number {
  const parsed = typeof plan === "string" ? JSON.parse(plan) : plan;
  const rows = (parsed as { Plan?: { "Plan Rows"?: unknown } }[] | undefined)?.[0]?.Plan?.["Plan Rows"];
  if (typeof rows !== "number" || !Number.isFinite(rows) || rows < 0) throw new Error("EXPLAIN gave no row estimate");
  return Math.round(rows);
}
