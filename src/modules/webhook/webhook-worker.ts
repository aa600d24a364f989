import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { WebhookSettings } from "../../config";
import type { Database } from "../../db/database";
import type { Bus } from "../../pubsub";
import { BusTopic } from "../../pubsub";
import type { Clock } from "../../shared/clock";
import { backoffMs } from "./webhook-backoff";
import { deliveryRequest, readEventsAfter, wants } from "./webhook-events";
import type { WebhookEvent } from "./webhook-events";
import { sendWebhook } from "./webhook-sender";
import { isSuccess, logDelivery } from "./webhook.service";
import { encodeWebhookId } from "./webhook.types";

interface Leased {
  id: number;
  url: string;
  secret: string;
  eventKinds: string[];
  topicSlugs: string[];
  acked: bigint;
  attempt: number;
}

/**
 * Delivers the feed log to webhook endpoints, one instance per endpoint at a time however many run.
 *
 * Each instance claims endpoints that have work with a lease in PostgreSQL (`lease_owner`, `lease_until`,
 * taken with FOR UPDATE SKIP LOCKED), then walks each claimed endpoint's log from its cursor, in order.
 * The cursor moves only once the receiver answered 2xx, in a statement that also checks the lease is
 * still this instance's: so an event is acknowledged once, and an instance that lost its lease stops.
 * A failure keeps the cursor, schedules a retry (exponential backoff with jitter) and lets the lease go;
 * after `retryWindowMs` of failures the endpoint is FAILING. Every endpoint runs on its own, each request
 * bounded by `timeoutMs`, so a slow endpoint delays only itself.
 */
export class WebhookWorker {
  /** This instance's name in lease_owner. */
  readonly owner = `${process.pid}-${randomUUID()}`;
  private readonly running = new Map<number, Promise<void>>();
  private readonly abort = new AbortController();
  private stopped = true;
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  private again = false;
  private unsubscribe: (() => void) | undefined;
  private pruner: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database,
    private readonly bus: Bus,
    private readonly clock: Clock,
    private readonly settings: WebhookSettings,
    private readonly logger: Logger,
    /** The delivery log is kept as long as the feed log (FEED_RETENTION_HOURS). */
    private readonly retentionHours = 168,
  ) {}

  start(): void {
    if (this.settings.pollMs <= 0) return;
    this.stopped = false;
    this.unsubscribe = this.bus.subscribe(BusTopic.FEED_EVENTS, () => this.wake());
    this.bus.onReconnect(() => this.wake());
    this.pruner = setInterval(() => void this.prune(), 3_600_000).unref();
    this.wake();
  }

  /** Deletes delivery log rows older than the feed's retention (their events are gone too). */
  async prune(): Promise<number> {
    try {
      const rows = await this.db.query(
        "DELETE FROM webhook_deliveries WHERE created_at < now() - make_interval(hours => $1) RETURNING id",
        [this.retentionHours],
      );
      return rows.length;
    } catch (error) {
      this.logger.warn({ err: error }, "webhook delivery log prune failed");
      return 0;
    }
  }

  /** Looks for work now (new events, an endpoint created or enabled). */
  wake(): void {
    if (this.stopped) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), 0);
  }

  /**
   * Stops claiming, lets requests in flight finish (each is bounded by timeoutMs; past graceMs they are
   * aborted, and their events are sent again later: at least once), then gives back this instance's leases.
   */
  async stop(graceMs = this.settings.timeoutMs): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.pruner);
    this.unsubscribe?.();
    const all = Promise.all(this.running.values());
    let graceTimer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise<void>((r) => (graceTimer = setTimeout(r, graceMs)))]);
    clearTimeout(graceTimer);
    this.abort.abort();
    await all;
    try {
      await this.db.query("UPDATE webhooks SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $1", [
        this.owner,
      ]);
    } catch (error) {
      // The leases run out by themselves (leaseMs).
      this.logger.warn({ err: error }, "webhook leases not released on stop");
    }
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    this.ticking = true;
    this.again = false;
    try {
      for (const leased of await this.claim()) {
        const run = this.deliverAll(leased)
          .catch((error) => this.logger.warn({ err: error, webhook: leased.id }, "webhook worker failed; retrying"))
          .finally(() => {
            this.running.delete(leased.id);
            // Events may have come while it finished its last read: look again.
            this.wake();
          });
        this.running.set(leased.id, run);
      }
    } catch (error) {
      this.logger.warn({ err: error }, "webhook claim failed; retrying");
    } finally {
      this.ticking = false;
    }
    if (this.stopped) return;
    if (this.again) this.wake();
    else this.timer = setTimeout(() => void this.tick(), this.settings.pollMs);
  }

  /** Leases the endpoints that have events to send and are due, up to the free concurrency. */
  private async claim(): Promise<Leased[]> {
    const room = this.settings.concurrency - this.running.size;
    if (room <= 0) return [];
    // Its own lease counts as free (this instance runs no worker for it, see `running`): after a failed
    // statement (PostgreSQL away) the instance takes up its endpoints again at once, not after leaseMs.
    const due = `w.status = 'ACTIVE' AND (w.lease_until IS NULL OR w.lease_until < now() OR w.lease_owner = $1)
      AND (w.next_attempt_at IS NULL OR w.next_attempt_at <= now())`;
    const rows = await this.db.query(
      `UPDATE webhooks w SET lease_owner = $1, lease_until = now() + make_interval(secs => $2::float8 / 1000)
       WHERE ${due} AND w.id IN (
         SELECT w.id FROM webhooks w
         WHERE ${due} AND NOT (w.id = ANY($3::int[]))
           AND EXISTS (SELECT 1 FROM feed_events e WHERE e.id > w.acked_event_id)
         ORDER BY w.id LIMIT $4 FOR UPDATE SKIP LOCKED)
       RETURNING w.id, w.url, w.secret, w.event_kinds, w.topic_slugs, w.acked_event_id::text AS acked, w.attempt`,
      [this.owner, this.settings.leaseMs, [...this.running.keys()], room],
    );
    return rows.map((r) => ({
      id: r.id,
      url: r.url,
      secret: r.secret,
      eventKinds: r.event_kinds,
      topicSlugs: r.topic_slugs,
      acked: BigInt(r.acked),
      attempt: r.attempt,
    }));
  }

  /** Walks one leased endpoint's log until it is sent, a delivery fails, the lease is lost or we stop. */
  private async deliverAll(hook: Leased): Promise<void> {
    while (!this.stopped) {
      // What an admin changed (URL, secret, filter, paused) holds from the next batch on.
      if (!(await this.refresh(hook))) return;
      const events = await readEventsAfter(this.db, hook.acked, this.settings.batchSize);
      if (events.length === 0) break;
      for (const event of events) {
        if (this.stopped) return this.release(hook);
        if (!wants(hook, event)) continue;
        // Skipped events before this one are acknowledged with it.
        if (!(await this.deliverOne(hook, event))) return this.release(hook);
      }
      // The batch ended with events the filter skips: move past them.
      const last = events[events.length - 1]!.id;
      if (last > hook.acked && !(await this.advance(hook, last))) return;
    }
    await this.release(hook);
  }

  /** Sends one event; true when acknowledged and the cursor moved (so go on). */
  private async deliverOne(hook: Leased, event: WebhookEvent): Promise<boolean> {
    const webhookId = encodeWebhookId("Webhook", hook.id);
    const { body, headers } = deliveryRequest(hook.id, webhookId, hook.secret, event, this.clock.now().getTime());
    const result = await sendWebhook(hook.url, body, headers, {
      timeoutMs: this.settings.timeoutMs,
      allowPrivate: this.settings.allowPrivateTargets,
      signal: this.abort.signal,
    });
    if (this.abort.signal.aborted) {
      // Shutting down past the grace: not an attempt; the event is sent again after the restart.
      await this.release(hook);
      return false;
    }
    const attempt = hook.attempt + 1;
    if (isSuccess(result.statusCode)) {
      return this.db.transaction(async (tx) => {
        const moved = await tx.query(
          `UPDATE webhooks SET acked_event_id = $3::bigint, attempt = 0, next_attempt_at = NULL, failing_since = NULL,
             last_error = NULL, lease_until = now() + make_interval(secs => $4::float8 / 1000)
           WHERE id = $1 AND lease_owner = $2 AND acked_event_id < $3::bigint RETURNING status`,
          [hook.id, this.owner, event.id.toString(), this.settings.leaseMs],
        );
        // Lost the lease (or deleted): log nothing, stop; whoever holds it now goes on. An endpoint paused
        // meanwhile still records the acknowledgement (so it is not sent again), then stops.
        if (moved.length === 0) return false;
        await logDelivery(tx, hook.id, event.id, attempt, result, true, false);
        hook.acked = event.id;
        hook.attempt = 0;
        return moved[0].status === "ACTIVE";
      });
    }
    const error = result.error ?? `answered ${result.statusCode}`;
    const delay = backoffMs(attempt, this.settings.backoffBaseMs, this.settings.backoffMaxMs);
    const status = await this.db.transaction(async (tx) => {
      const [row] = await tx.query(
        `UPDATE webhooks SET attempt = $3, last_error = $4,
           failing_since = coalesce(failing_since, now()),
           next_attempt_at = now() + make_interval(secs => $5::float8 / 1000),
           status = CASE WHEN coalesce(failing_since, now()) + make_interval(secs => $6::float8 / 1000) <= now()
                         THEN 'FAILING' ELSE status END,
           lease_owner = NULL, lease_until = NULL
         WHERE id = $1 AND lease_owner = $2 AND status = 'ACTIVE' RETURNING status`,
        [hook.id, this.owner, attempt, error.slice(0, 500), delay, this.settings.retryWindowMs],
      );
      if (!row) return undefined;
      await logDelivery(tx, hook.id, event.id, attempt, result, false, false);
      return row.status as string;
    });
    if (status === "FAILING") {
      this.logger.warn({ webhook: hook.id, event: event.id.toString(), attempt }, "webhook endpoint marked FAILING");
    } else if (status) {
      this.logger.info(
        { webhook: hook.id, event: event.id.toString(), attempt, delay, error },
        "webhook delivery failed; retrying",
      );
      // Look again once the retry is due (another instance may take it: the lease is free).
      setTimeout(() => this.wake(), delay + 1).unref();
    }
    return false;
  }

  /** Reloads the endpoint's settings; false when it is no longer ours to deliver (paused, deleted, lease lost). */
  private async refresh(hook: Leased): Promise<boolean> {
    const [row] = await this.db.query(
      `SELECT url, secret, event_kinds, topic_slugs, status FROM webhooks WHERE id = $1 AND lease_owner = $2`,
      [hook.id, this.owner],
    );
    if (!row) return false;
    if (row.status !== "ACTIVE") {
      await this.release(hook);
      return false;
    }
    Object.assign(hook, { url: row.url, secret: row.secret, eventKinds: row.event_kinds, topicSlugs: row.topic_slugs });
    return true;
  }

  /** Moves the cursor past filtered-out events; false when the lease is no longer ours. */
  private async advance(hook: Leased, to: bigint): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE webhooks SET acked_event_id = $3::bigint, lease_until = now() + make_interval(secs => $4::float8 / 1000)
       WHERE id = $1 AND lease_owner = $2 AND status = 'ACTIVE' AND acked_event_id < $3::bigint RETURNING id`,
      [hook.id, this.owner, to.toString(), this.settings.leaseMs],
    );
    if (rows.length === 0) return false;
    hook.acked = to;
    return true;
  }

  private async release(hook: Leased): Promise<void> {
    await this.db.query(
      "UPDATE webhooks SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2",
      [hook.id, this.owner],
    );
  }
}
