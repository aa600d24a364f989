import type { Tx } from "./database";
import type { Bus } from "../pubsub";
import { BusTopic } from "../pubsub";

// The outbox every writer appends to: one row of feed_events per change that others may observe. It sits
// below all modules (article and comment writes call it); the feed module reads it (modules/feed/feed-log.ts).

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
  /** A live-blog entry was posted. */
  LIVE_ENTRY_ADDED = "LIVE_ENTRY_ADDED",
  /** A live-blog entry was edited (title, body, byline or key-event flag). */
  LIVE_ENTRY_EDITED = "LIVE_ENTRY_EDITED",
  /** A live-blog entry was deleted; its id stays in the log so that this replays. */
  LIVE_ENTRY_DELETED = "LIVE_ENTRY_DELETED",
  LIVE_ENTRY_PINNED = "LIVE_ENTRY_PINNED",
  LIVE_ENTRY_UNPINNED = "LIVE_ENTRY_UNPINNED",
}

/**
 * Records an event for the write in progress. It is appended as the
 * transaction's last step (see newsgraph_feed_append in the migrations: the
 * append lock makes ids visible in commit order), and every instance's feed
 * dispatcher is woken once the transaction has committed. A rolled-back write
 * leaves no event and wakes nobody. Events recorded in one transaction are
 * appended in the order they were recorded.
 */
export function recordFeedEvent(
  tx: Tx,
  bus: Bus,
  kind: FeedEventKind,
  articleId: number,
  commentId: number | null = null,
  entryId: number | null = null,
): void {
  tx.beforeCommit(async () => {
    const [row] = await tx.query("SELECT newsgraph_feed_append($1, $2, $3, $4)::text AS id", [
      kind,
      articleId,
      commentId,
      entryId,
    ]);
    tx.afterCommit(() => bus.publish(BusTopic.FEED_EVENTS, { eventId: row.id }));
  });
}
