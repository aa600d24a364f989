import type { Queryable } from "../../db/database";
import type { FeedEventKind } from "../../db/outbox";
import type { Position } from "./feed-position";

// The feed's read side of the log that every writer appends to through db/outbox.ts.

export interface FeedEventRow {
  position: Position;
  kind: FeedEventKind;
  articleId: number;
  commentId: number | null;
  /** The live-blog entry the event concerns (LIVE_ENTRY_* kinds). */
  entryId: number | null;
}

export interface FeedFilter {
  kinds?: readonly FeedEventKind[];
  articleId?: number;
}

/** Events after `after` (and up to `upTo`, when given), in log order. */
export async function readFeed(
  db: Queryable,
  after: Position,
  upTo: Position | null,
  filter: FeedFilter,
  limit: number,
): Promise<FeedEventRow[]> {
  const params: unknown[] = [after.id.toString()];
  const where = ["e.id > $1::bigint"];
  if (upTo) {
    params.push(upTo.id.toString());
    where.push(`e.id <= $${params.length}::bigint`);
  }
  if (filter.kinds) {
    params.push(filter.kinds);
    where.push(`e.kind = ANY($${params.length}::text[])`);
  }
  if (filter.articleId !== undefined) {
    params.push(filter.articleId);
    where.push(`e.article_id = $${params.length}`);
  }
  params.push(limit);
  // The position travels as text (a bigint does not fit a JS number) under a name of its own: PostgreSQL's
  // ORDER BY prefers an output column to a table column, so `id::text AS id ... ORDER BY id` would sort
  // "1000" before "999". Order by the table's bigint, qualified, so no alias can ever shadow it.
  const rows = await db.query<{
    position: string;
    kind: FeedEventKind;
    article_id: number;
    comment_id: number | null;
    entry_id: number | null;
  }>(
    `SELECT e.id::text AS position, e.kind, e.article_id, e.comment_id, e.entry_id FROM feed_events e
     WHERE ${where.join(" AND ")} ORDER BY e.id LIMIT $${params.length}`,
    params,
  );
  return rows.map((r) => ({
    position: { id: BigInt(r.position) },
    kind: r.kind,
    articleId: r.article_id,
    commentId: r.comment_id,
    entryId: r.entry_id,
  }));
}

/** The newest position: where a reader that wants only new events starts. */
export async function feedHead(db: Queryable): Promise<Position> {
  const [row] = await db.query<{ id: string | null }>("SELECT max(id)::text AS id FROM feed_events");
  return { id: BigInt(row?.id ?? 0) };
}

/** Whether a position names an event in the log (a cursor we issued and still keep). */
export async function feedHasPosition(db: Queryable, p: Position): Promise<boolean> {
  return (await feedHasPositions(db, [p]))[0]!;
}

/** feedHasPosition for many positions in one statement. */
export async function feedHasPositions(db: Queryable, ps: readonly Position[]): Promise<boolean[]> {
  const rows = await db.query<{ id: string }>(
    "SELECT e.id::text AS id FROM feed_events e WHERE e.id = ANY($1::bigint[])",
    [ps.map((p) => p.id.toString())],
  );
  const found = new Set(rows.map((r) => r.id));
  return ps.map((p) => found.has(p.id.toString()));
}
