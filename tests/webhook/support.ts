import type { Config, WebhookSettings } from "../../src/config";
import { BusTopic } from "../../src/pubsub";
import type { NewsgraphServer } from "../../src/server";

/** Short durations, so that retries, timeouts and the retry window pass in a test's time. */
export const TEST_WEBHOOKS: WebhookSettings = {
  allowPrivateTargets: true,
  timeoutMs: 500,
  leaseMs: 3000,
  pollMs: 50,
  batchSize: 7,
  concurrency: 10,
  backoffBaseMs: 20,
  backoffMaxMs: 100,
  retryWindowMs: 86_400_000,
};

export const webhookConfig = (settings: Partial<WebhookSettings> = {}): Partial<Config> => ({
  webhooks: { ...TEST_WEBHOOKS, ...settings },
});

/**
 * Appends `count` events to the feed log as every writer does (newsgraph_feed_append, one statement
 * each) and hints the bus; returns their ids as strings, in order.
 */
export async function appendEvents(
  server: Pick<NewsgraphServer, "db" | "services">,
  count: number,
  kind: string,
  articleId: number,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const [row] = await server.db.query<{ id: string }>(
      "SELECT newsgraph_feed_append($1, $2, NULL, NULL)::text AS id",
      [kind, articleId],
    );
    ids.push(row!.id);
  }
  await server.services.bus.publish(BusTopic.FEED_EVENTS, { eventId: ids[ids.length - 1] });
  return ids;
}

/** Two published articles with no topic in common, and a topic of the first. */
export async function twoArticles(server: Pick<NewsgraphServer, "db">) {
  const rows = await server.db.query<{ id: number; slugs: string[] }>(
    `SELECT a.id, array_agg(t.slug ORDER BY t.slug) AS slugs FROM articles a
     JOIN article_topics at ON at.article_id = a.id JOIN topics t ON t.id = at.topic_id
     WHERE a.status = 'PUBLISHED' GROUP BY a.id ORDER BY a.id`,
  );
  const first = rows[0]!;
  const other = rows.find((r) => !r.slugs.some((s) => first.slugs.includes(s)))!;
  return { inTopic: first.id, topic: first.slugs[0]!, outOfTopic: other.id };
}
