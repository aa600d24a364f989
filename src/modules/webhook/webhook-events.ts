import type { Queryable } from "../../db/database";
import { FeedEventKind } from "../../db/outbox";
import { toGlobalId } from "../../shared/node-id";
import { encodePosition } from "../feed/feed-position";
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signatureHeader } from "./webhook-signature";

/** The kinds an endpoint may ask for: every kind of the feed log. */
export const WEBHOOK_EVENT_KINDS: readonly string[] = Object.values(FeedEventKind);

/** A feed event as a webhook sends it, with what its filter needs (the article's topics, as they are now). */
export interface WebhookEvent {
  id: bigint;
  kind: string;
  articleId: number;
  articleSlug: string | null;
  commentId: number | null;
  entryId: number | null;
  createdAt: Date;
  topicSlugs: string[];
}

const EVENT_COLUMNS = `
  e.id::text AS id, e.kind, e.article_id, e.comment_id, e.entry_id, e.created_at, a.slug AS article_slug,
  ARRAY(SELECT t.slug FROM article_topics at JOIN topics t ON t.id = at.topic_id
        WHERE at.article_id = e.article_id ORDER BY t.slug) AS topic_slugs
  FROM feed_events e LEFT JOIN articles a ON a.id = e.article_id`;

interface EventRow {
  id: string;
  kind: string;
  article_id: number;
  comment_id: number | null;
  entry_id: number | null;
  created_at: Date;
  article_slug: string | null;
  topic_slugs: string[];
}

const toEvent = (r: EventRow): WebhookEvent => ({
  id: BigInt(r.id),
  kind: r.kind,
  articleId: r.article_id,
  articleSlug: r.article_slug,
  commentId: r.comment_id,
  entryId: r.entry_id,
  createdAt: r.created_at,
  topicSlugs: r.topic_slugs,
});

/**
 * Events after `after`, in log order, at most `limit`. Ids are compared and ordered as the table's bigint
 * (never as text: "100" would sort before "99"); they travel as text, since a bigint does not fit a number.
 */
export async function readEventsAfter(db: Queryable, after: bigint, limit: number): Promise<WebhookEvent[]> {
  const rows = await db.query<EventRow>(`SELECT ${EVENT_COLUMNS} WHERE e.id > $1::bigint ORDER BY e.id LIMIT $2`, [
    after.toString(),
    limit,
  ]);
  return rows.map(toEvent);
}

export async function readEvent(db: Queryable, id: bigint): Promise<WebhookEvent | undefined> {
  const [row] = await db.query<EventRow>(`SELECT ${EVENT_COLUMNS} WHERE e.id = $1::bigint`, [id.toString()]);
  return row && toEvent(row);
}

export interface EndpointFilter {
  eventKinds: readonly string[];
  topicSlugs: readonly string[];
}

export function wants(endpoint: EndpointFilter, event: WebhookEvent): boolean {
  if (!endpoint.eventKinds.includes(event.kind)) return false;
  return endpoint.topicSlugs.length === 0 || event.topicSlugs.some((t) => endpoint.topicSlugs.includes(t));
}

/** The dedup key: one per endpoint and event, the same on every attempt and redelivery. */
export const deliveryKey = (webhookDbId: number, eventId: bigint) => `${webhookDbId}-${eventId}`;

/** The JSON body and headers of one delivery. */
export function deliveryRequest(
  webhookDbId: number,
  webhookId: string,
  secret: string,
  event: WebhookEvent,
  nowMs: number,
): { body: string; headers: Record<string, string> } {
  const id = deliveryKey(webhookDbId, event.id);
  const body = JSON.stringify({
    id,
    webhookId,
    event: {
      id: event.id.toString(),
      kind: event.kind,
      createdAt: event.createdAt.toISOString(),
      cursor: encodePosition({ id: event.id }),
      articleId: toGlobalId("Article", event.articleId),
      articleSlug: event.articleSlug,
      commentId: event.commentId === null ? null : toGlobalId("Comment", event.commentId),
      liveEntryId: event.entryId === null ? null : toGlobalId("LiveEntry", event.entryId),
      topicSlugs: event.topicSlugs,
    },
  });
  return {
    body,
    headers: {
      "user-agent": "newsgraph-webhooks/1",
      [DELIVERY_HEADER]: id,
      [EVENT_HEADER]: event.kind,
      [SIGNATURE_HEADER]: signatureHeader(secret, body, Math.floor(nowMs / 1000)),
    },
  };
}
