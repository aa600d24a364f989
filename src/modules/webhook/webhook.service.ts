import type { WebhookSettings } from "../../config";
import type { Database, Queryable } from "../../db/database";
import type { Clock } from "../../shared/clock";
import { AppError, BadInputError, notFound } from "../../shared/errors";
import type { Page, PageRequest } from "../../shared/pagination";
import { cursorKind, toPage } from "../../shared/pagination";
import { InputErrors, hasNul } from "../../shared/validation";
import type { CreateWebhookInput, UpdateWebhookInput } from "./webhook.inputs";
import type { WebhookStatus } from "./webhook.types";
import { Webhook, WebhookDelivery, decodeWebhookId } from "./webhook.types";
import { WEBHOOK_EVENT_KINDS, deliveryKey, deliveryRequest, readEvent } from "./webhook-events";
import { sendWebhook } from "./webhook-sender";
import { newSecret } from "./webhook-signature";
import { targetProblem } from "./webhook-target";

export const MAX_WEBHOOKS = 100;
export const MAX_TOPIC_FILTER = 50;
export const DELIVERY_CURSOR = cursorKind("WebhookDelivery", "id");

const WEBHOOK_COLUMNS = `id, url, event_kinds, topic_slugs, status, acked_event_id::text AS acked_event_id, attempt,
  next_attempt_at, failing_since, last_error, created_at, updated_at`;
const DELIVERY_COLUMNS = `d.id, d.webhook_id, d.event_id::text AS event_id, coalesce(e.kind, '') AS event_kind, d.attempt,
  d.status_code, d.error, d.succeeded, d.redelivery, d.duration_ms, d.created_at`;

export function toWebhook(r: any): Webhook {
  return Object.assign(new Webhook(), {
    dbId: r.id,
    url: r.url,
    eventKinds: r.event_kinds,
    topicSlugs: r.topic_slugs,
    status: r.status as WebhookStatus,
    ackedEventId: r.acked_event_id,
    attempt: r.attempt,
    nextAttemptAt: r.next_attempt_at,
    failingSince: r.failing_since,
    lastError: r.last_error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
}

function toDelivery(r: any): WebhookDelivery {
  return Object.assign(new WebhookDelivery(), {
    dbId: r.id,
    webhookDbId: r.webhook_id,
    deliveryId: deliveryKey(r.webhook_id, BigInt(r.event_id)),
    eventId: r.event_id,
    eventKind: r.event_kind,
    attempt: r.attempt,
    statusCode: r.status_code,
    error: r.error,
    succeeded: r.succeeded,
    redelivery: r.redelivery,
    durationMs: r.duration_ms,
    createdAt: r.created_at,
  });
}

/** Records one attempt in an endpoint's delivery log. */
export async function logDelivery(
  db: Queryable,
  webhookDbId: number,
  eventId: bigint,
  attempt: number,
  result: { statusCode: number | null; error: string | null; durationMs: number },
  succeeded: boolean,
  redelivery: boolean,
): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO webhook_deliveries (webhook_id, event_id, attempt, status_code, error, succeeded, redelivery, duration_ms)
     VALUES ($1, $2::bigint, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [
      webhookDbId,
      eventId.toString(),
      attempt,
      result.statusCode,
      result.error?.slice(0, 500) ?? null,
      succeeded,
      redelivery,
      Math.round(result.durationMs),
    ],
  );
  return row!.id;
}

export const isSuccess = (statusCode: number | null) => statusCode !== null && statusCode >= 200 && statusCode < 300;

/**
 * ADMIN's management of webhook endpoints, their delivery log and redeliveries. Delivery itself is the
 * WebhookWorker's; this service only writes what it reads (URL, filter, secret, status).
 */
export class WebhookService {
  constructor(
    private readonly db: Database,
    private readonly settings: WebhookSettings,
    private readonly clock: Clock,
    /** Called after an endpoint was created or enabled, so the worker looks at once. */
    private readonly wake: () => void = () => {},
  ) {}

  async list(): Promise<Webhook[]> {
    const rows = await this.db.query(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks ORDER BY id`);
    return rows.map(toWebhook);
  }

  async get(globalId: string, field = "id"): Promise<Webhook> {
    const id = this.idOf(globalId, field);
    const [row] = await this.db.query(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE id = $1`, [id]);
    if (!row) throw notFound("Webhook");
    return toWebhook(row);
  }

  /** A new endpoint starts at the log's end: it is told about what happens from now on. */
  async create(input: CreateWebhookInput): Promise<{ webhook: Webhook; secret: string }> {
    const errors = new InputErrors();
    const url = await this.checkUrl(errors, input.url);
    const kinds = this.checkKinds(errors, input.eventKinds);
    const topics = await this.checkTopics(errors, input.topicSlugs ?? []);
    const secret = input.secret == null ? newSecret() : this.checkSecret(errors, input.secret);
    errors.throwIfAny();
    return this.db.transaction(async (tx) => {
      // Serialises creates, so that two racing ones cannot both pass the count.
      await tx.query("SELECT pg_advisory_xact_lock(7243546118)");
      const [{ count }] = await tx.query("SELECT count(*)::int AS count FROM webhooks");
      if (count >= MAX_WEBHOOKS) throw new AppError("CONFLICT", `At most ${MAX_WEBHOOKS} webhooks may exist`);
      const [row] = await tx.query(
        `INSERT INTO webhooks (url, event_kinds, topic_slugs, secret, acked_event_id)
         VALUES ($1, $2::text[], $3::text[], $4, (SELECT coalesce(max(id), 0) FROM feed_events))
         RETURNING ${WEBHOOK_COLUMNS}`,
        [url, kinds, topics, secret],
      );
      tx.afterCommit(() => this.wake());
      return { webhook: toWebhook(row), secret };
    });
  }

  async update(globalId: string, input: UpdateWebhookInput): Promise<Webhook> {
    const errors = new InputErrors();
    const id = decodeWebhookId("Webhook", globalId);
    if (id === null) errors.add("id", "not a valid Webhook id");
    const sets: string[] = [];
    const params: unknown[] = [id];
    const set = (column: string, value: unknown, cast = "") => {
      params.push(value);
      sets.push(`${column} = $${params.length}${cast}`);
    };
    if (input.url != null) set("url", await this.checkUrl(errors, input.url));
    if (input.eventKinds != null) set("event_kinds", this.checkKinds(errors, input.eventKinds), "::text[]");
    if (input.topicSlugs != null) set("topic_slugs", await this.checkTopics(errors, input.topicSlugs), "::text[]");
    if (input.secret != null) set("secret", this.checkSecret(errors, input.secret));
    errors.throwIfAny();
    if (input.active === false) sets.push("status = 'PAUSED'");
    if (input.active === true) {
      // Enabled afresh: the event it waited on is tried at once, with a new retry window.
      sets.push("status = 'ACTIVE'", "attempt = 0", "next_attempt_at = NULL", "failing_since = NULL");
    }
    sets.push("updated_at = now()");
    const [row] = await this.db.query(
      `UPDATE webhooks SET ${sets.join(", ")} WHERE id = $1 RETURNING ${WEBHOOK_COLUMNS}`,
      params,
    );
    if (!row) throw notFound("Webhook");
    if (input.active === true) this.wake();
    return toWebhook(row);
  }

  /** Deletes the endpoint and its log; true when it existed. */
  async delete(globalId: string): Promise<boolean> {
    const id = this.idOf(globalId, "id");
    const rows = await this.db.query("DELETE FROM webhooks WHERE id = $1 RETURNING id", [id]);
    return rows.length > 0;
  }

  /** The endpoint's delivery log, newest attempt first. */
  async deliveries(webhookDbId: number, page: PageRequest): Promise<Page<WebhookDelivery>> {
    const after = page.after ? (page.after[0] as number) : 2_147_483_647;
    const rows = await this.db.query(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d LEFT JOIN feed_events e ON e.id = d.event_id
       WHERE d.webhook_id = $1 AND d.id < $2 ORDER BY d.id DESC LIMIT $3`,
      [webhookDbId, after, page.first + 1],
    );
    return toPage(
      rows.map(toDelivery),
      page,
      DELIVERY_CURSOR,
      (d) => [d.dbId],
      async () => {
        const [{ count }] = await this.db.query(
          "SELECT count(*)::int AS count FROM webhook_deliveries WHERE webhook_id = $1",
          [webhookDbId],
        );
        return count;
      },
    );
  }

  /**
   * Sends the event of a logged attempt again, now, with the same delivery id (receivers dedupe by it), and
   * logs the attempt. It does not move the endpoint's cursor: in-order delivery goes on as it was.
   */
  async redeliver(deliveryGlobalId: string): Promise<WebhookDelivery> {
    const id = decodeWebhookId("WebhookDelivery", deliveryGlobalId);
    if (id === null) throw new BadInputError({ deliveryId: "not a valid WebhookDelivery id" });
    const [logged] = await this.db.query(
      `SELECT d.webhook_id, d.event_id::text AS event_id, w.url, w.secret,
              (SELECT max(attempt) FROM webhook_deliveries x WHERE x.webhook_id = d.webhook_id AND x.event_id = d.event_id) AS attempts
       FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = $1`,
      [id],
    );
    if (!logged) throw notFound("WebhookDelivery");
    const event = await readEvent(this.db, BigInt(logged.event_id));
    if (!event) throw notFound("Feed event (older than FEED_RETENTION_HOURS)");
    const webhookId = Object.assign(new Webhook(), { dbId: logged.webhook_id }).id;
    const { body, headers } = deliveryRequest(
      logged.webhook_id,
      webhookId,
      logged.secret,
      event,
      this.clock.now().getTime(),
    );
    const result = await sendWebhook(logged.url, body, headers, {
      timeoutMs: this.settings.timeoutMs,
      allowPrivate: this.settings.allowPrivateTargets,
    });
    const newId = await logDelivery(
      this.db,
      logged.webhook_id,
      event.id,
      logged.attempts + 1,
      result,
      isSuccess(result.statusCode),
      true,
    );
    const [row] = await this.db.query(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d LEFT JOIN feed_events e ON e.id = d.event_id WHERE d.id = $1`,
      [newId],
    );
    return toDelivery(row);
  }

  private idOf(globalId: string, field: string): number {
    const id = decodeWebhookId("Webhook", globalId);
    if (id === null) throw new BadInputError({ [field]: "not a valid Webhook id" });
    return id;
  }

  private async checkUrl(errors: InputErrors, raw: string): Promise<string> {
    const url = raw.trim();
    if (hasNul(url)) {
      errors.add("url", "must not contain NUL characters");
      return url;
    }
    const problem = await targetProblem(url, this.settings.allowPrivateTargets);
    if (problem) errors.add("url", problem);
    return url;
  }

  private checkKinds(errors: InputErrors, kinds: string[]): string[] {
    const unique = [...new Set(kinds)];
    if (unique.length === 0) errors.add("eventKinds", "must name at least one event kind");
    const unknown = unique.filter((k) => !WEBHOOK_EVENT_KINDS.includes(k));
    if (unknown.length) {
      // Never repeat the submitted value: name how many, and what is allowed.
      errors.add("eventKinds", `${unknown.length} unknown event kind(s); allowed: ${WEBHOOK_EVENT_KINDS.join(", ")}`);
    }
    return unique;
  }

  private async checkTopics(errors: InputErrors, slugs: string[]): Promise<string[]> {
    const unique = [...new Set(slugs)];
    if (unique.length > MAX_TOPIC_FILTER) {
      errors.add("topicSlugs", `must name at most ${MAX_TOPIC_FILTER} topics`);
      return unique;
    }
    if (unique.some(hasNul)) {
      errors.add("topicSlugs", "must not contain NUL characters");
      return unique;
    }
    if (unique.length === 0) return unique;
    const rows = await this.db.query<{ slug: string }>("SELECT slug FROM topics WHERE slug = ANY($1::text[])", [
      unique,
    ]);
    const missing = unique.length - rows.length;
    if (missing > 0) errors.add("topicSlugs", `${missing} unknown topic slug(s)`);
    return unique;
  }

  private checkSecret(errors: InputErrors, secret: string): string {
    if (secret.length < 16 || secret.length > 200 || !/^[\x21-\x7e]+$/.test(secret)) {
      errors.add("secret", "must be 16 to 200 printable ASCII characters without spaces");
    }
    return secret;
  }
}
