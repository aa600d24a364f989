import type { Queryable, Tx } from "../../db/database";
import { Bus, Topic } from "../../pubsub";
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
 * Records an event in the same transaction as the write it describes, and
 * wakes the feed dispatchers (every instance) once that transaction has
 * committed. A rolled-back write leaves no event and wakes nobody.
 */
export async function recordFeedEvent(
  tx: Tx,
  bus: Bus,
  kind: FeedEventKind,
  articleId: number,
  commentId: number | null = null,
): Promise<void> {
  const [row] = await tx.query(
    "INSERT INTO feed_events (kind, article_id, comment_id) VALUES ($1, $2, $3) RETURNING id",
    [kind, articleId, commentId],
  );
  tx.afterCommit(() => bus.publish(Topic.FEED_EVENTS, { eventId: String(row.id) }));
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

/*
 * Only rows written by transactions older than every transaction still in
 * flight are read (tx < pg_snapshot_xmin). Such rows can no longer be joined
 * by a late commit with a smaller position, so (tx, id) order is final and a
 * reader that resumes after a position never skips a row.
 */
const SETTLED = "tx < pg_snapshot_xmin(pg_current_snapshot())";

/** Settled events after `after` (and up to `upTo`, when given), in log order. */
export async function readFeed(
  db: Queryable,
  after: Position,
  upTo: Position | null,
  filter: FeedFilter,
  limit: number,
): Promise<FeedEventRow[]> {
  const params: unknown[] = [after.tx.toString(), after.id.toString()];
  const where = ["(tx, id) > ($1::xid8, $2::bigint)", SETTLED];
  if (upTo) {
    params.push(upTo.tx.toString(), upTo.id.toString());
    where.push(`(tx, id) <= ($${params.length - 1}::xid8, $${params.length}::bigint)`);
  }
  if (filter.kinds) {
    params.push(filter.kinds);
    where.push(`kind = ANY($${params.length}::text[])`);
  }
  if (filter.articleId !== undefined) {
    params.push(filter.articleId);
    where.push(`article_id = $${params.length}`);
  }
  params.push(limit);
  const rows = await db.query<{
    tx: string;
    id: string;
    kind: FeedEventKind;
    article_id: number;
    comment_id: number | null;
  }>(
    `SELECT tx::text AS tx, id::text AS id, kind, article_id, comment_id FROM feed_events
     WHERE ${where.join(" AND ")} ORDER BY tx, id LIMIT $${params.length}`,
    params,
  );
  return rows.map((r) => ({
    position: { tx: BigInt(r.tx), id: BigInt(r.id) },
    kind: r.kind,
    articleId: r.article_id,
    commentId: r.comment_id,
  }));
}

/** The newest settled position: where a reader that wants only new events starts. */
export async function feedHead(db: Queryable): Promise<Position> {
  const [row] = await db.query<{ tx: string; id: string }>(
    `SELECT tx::text AS tx, id::text AS id FROM feed_events WHERE ${SETTLED} ORDER BY tx DESC, id DESC LIMIT 1`,
  );
  return row ? { tx: BigInt(row.tx), id: BigInt(row.id) } : { tx: 0n, id: 0n };
}

/** Whether a position names an event in the log (a cursor we issued and still keep). */
export async function feedHasPosition(db: Queryable, p: Position): Promise<boolean> {
  const rows = await db.query("SELECT 1 FROM feed_events WHERE tx = $1::xid8 AND id = $2::bigint", [
    p.tx.toString(),
    p.id.toString(),
  ]);
  return rows.length > 0;
}
