import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Webhook endpoints and their delivery log. Plain tables like feed_events (no TypeORM entity): the
 * webhook module reads and writes them with SQL only. `acked_event_id` is the endpoint's cursor in the
 * feed log (a bigint, like feed_events.id): the last event it acknowledged or that its filter skipped.
 * `lease_owner`/`lease_until` say which instance delivers to it right now.
 */
export class AddWebhooks1796400000001 implements MigrationInterface {
  name = "AddWebhooks1796400000001";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhooks (
        id serial PRIMARY KEY,
        url text NOT NULL,
        event_kinds text[] NOT NULL,
        topic_slugs text[] NOT NULL DEFAULT '{}',
        secret text NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'ACTIVE',
        acked_event_id bigint NOT NULL,
        attempt integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz(3),
        failing_since timestamptz(3),
        last_error text,
        lease_owner text,
        lease_until timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id serial PRIMARY KEY,
        webhook_id integer NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
        event_id bigint NOT NULL,
        attempt integer NOT NULL,
        status_code integer,
        error text,
        succeeded boolean NOT NULL,
        redelivery boolean NOT NULL DEFAULT false,
        duration_ms integer NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, id)`);
    await q.query(`CREATE INDEX webhook_deliveries_created_idx ON webhook_deliveries (created_at)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS webhook_deliveries`);
    await q.query(`DROP TABLE IF EXISTS webhooks`);
  }
}
