import type { Queryable, Tx } from "../../db/database";
import { Bus, BusTopic } from "../../pubsub";
import { Position } from "./feed-position";

/** What happened, as recorded in feed_events. */
export enum FeedEventKind {
  /** A comment became public (posted approved, or approved later). */
  COMMENT_PUBLIC = "COMMENT_PUBLIC",
  /** A comment entered the moderation queue. */
  COMMENT_PENDING = "COMMENT_PENDING",
  /** A public comment was rejected or marked as spam. */
  COMMENT_HIDDEN = "COMMENT_HIDDEN",
  ARTICLE_PUBLISHED = "ARTICLE_PUBLISHED",
  /** A published article was edited (or taken down). */
  ARTICLE_UPDATED = "ARTICLE_UPDATED",
}

/**
 * Records an event for the write in progress. It is appended as the
 * transaction's last step (see newsgraph_feed_append in the migrations: the
 * append lock makes ids visible in commit order), and every instance's feed
 * dispatcher is woken once the transaction has committed. A rolled-back write
 * leaves no event and wakes nobody.
 */
export function recordFeedEvent(
  tx: Tx,
  bus: Bus,
  kind: FeedEventKind,
  articleId: number,
  commentId: number | null = null,
): void {
  tx.beforeCommit(async () => {
    const [row] = await tx.query("SELECT newsgraph_feed_append($1, $2, $3)::text AS id", [kind, articleId, commentId]);
    tx.afterCommit(() => bus.publish(BusTopic.FEED_EVENTS, { eventId: row.id }));
  });
}

export interface FeedEventRow {
  position: Position;
  kind: FeedEventKind;
  articleId: number;
  commentId: number | null;
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
  const rows = await db.query<{ position: string; kind: FeedEventKind; article_id: number; comment_id: number | null }>(
    `SELECT e.id::text AS position, e.kind, e.article_id, e.comment_id FROM feed_events e
     WHERE ${where.join(" AND ")} ORDER BY e.id LIMIT $${params.length}`,
    params,
  );
  return rows.map((r) => ({
    position: { id: BigInt(r.position) },
    kind: r.kind,
    articleId: r.article_id,
    commentId: r.comment_id,
  }));
}

/** The newest position: where a reader that wants only new events starts. */
export async function feedHead(db: Queryable): Promise<Position> {
  const [row] = await db.query<{ id: string | null }>("SELECT max(id)::text AS id FROM feed_events");
  return { id: BigInt(row?.id ?? 0) };
}

/** Whether a position names an event in the log (a cursor we issued and still keep). */
export async function feedHasPosition(db: Queryable, p: Position): Promise<boolean> {
  const rows = await db.query("SELECT 1 FROM feed_events WHERE id = $1::bigint", [p.id.toString()]);
  return rows.length > 0;
}
