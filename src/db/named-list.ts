import type { CursorKind, Page, PageRequest } from "../shared/pagination";
import { cursorKind, toPage } from "../shared/pagination";
import type { Database } from "./database";
import type { RowMapper } from "./sql";
import { Params } from "./sql";

interface Named {
  dbId: number;
  slug: string;
  name: string;
}

/** A by-name list's cursor: the name, then the id. */
export const namedCursor = (name: string): CursorKind => cursorKind(name, "text", "id");

/**
 * Lookups and the by-name keyset list shared by small named entities (authors,
 * topics): public rows with a unique slug, listed alphabetically.
 */
export class NamedListQuery<T extends Named> {
  constructor(
    private readonly db: Database,
    private readonly rows: RowMapper,
    private readonly entity: new () => T,
    private readonly table: string,
    private readonly kind: CursorKind,
  ) {}

  async byKeys<K extends "id" | "slug">(
    column: K,
    keys: readonly (K extends "id" ? number : string)[],
  ): Promise<(T | null)[]> {
    const type = column === "id" ? "int" : "text";
    const rows = await this.db.query(
      `SELECT ${this.rows.columns(this.entity, "x")} FROM ${this.table} x WHERE x.${column} = ANY($1::${type}[])`,
      [keys],
    );
    const found = new Map(
      this.rows.hydrateAll(this.entity, rows).map((r) => [column === "id" ? r.dbId : r.slug, r] as const),
    );
    return keys.map((k) => found.get(k) ?? null);
  }

  async list(page: PageRequest): Promise<Page<T>> {
    const q = new Params();
    let seek = "";
    if (page.after) {
      const [name, id] = page.after as [string, number]; // namedCursor's shape, checked when decoded
      seek = `WHERE (x.name, x.id) > (${q.p(name)}::text, ${q.p(id)}::int)`;
    }
    const rows = await this.db.query(
      `SELECT ${this.rows.columns(this.entity, "x")} FROM ${this.table} x ${seek} ` +
        `ORDER BY x.name, x.id LIMIT ${q.p(page.first + 1)}`,
      q.values,
    );
    return toPage(
      this.rows.hydrateAll(this.entity, rows),
      page,
      this.kind,
      (r) => [r.name, r.dbId],
      async () => {
        const [{ n }] = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${this.table}`);
        return n;
      },
    );
  }
}
