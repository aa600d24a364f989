import type { Tx } from "../../db/database";
import { Bus, Topic } from "../../pubsub";

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
