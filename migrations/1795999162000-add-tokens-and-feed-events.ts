import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * API tokens (stored as SHA-256 only), and the feed event log behind
 * subscriptions and cache invalidation.
 *
 * feed_events.tx is the writing transaction's id (xid8). Readers take only rows
 * with tx below the oldest transaction still in flight (pg_snapshot_xmin), in
 * (tx, id) order: a transaction that commits late can never slip in behind a
 * reader's cursor, which a plain serial or timestamp cursor would allow.
 */
export class AddTokensAndFeedEvents1795999162000 implements MigrationInterface {
  name = "AddTokensAndFeedEvents1795999162000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "api_tokens" ("id" SERIAL NOT NULL, "author_id" integer NOT NULL, "role" character varying(16) NOT NULL, ` +
        `"token_hash" character(64) NOT NULL, "label" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), ` +
        `"revoked_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "UQ_api_tokens_token_hash" UNIQUE ("token_hash"), ` +
        `CONSTRAINT "PK_api_tokens" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "api_tokens_author_idx" ON "api_tokens" ("author_id")`);
    await q.query(
      `ALTER TABLE "api_tokens" ADD CONSTRAINT "FK_ccfe87faa780144f1b964e242a4" FOREIGN KEY ("author_id") ` +
        `REFERENCES "authors"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );

    await q.query(`
      CREATE TABLE feed_events (
        id bigserial PRIMARY KEY,
        tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
        kind varchar(32) NOT NULL,
        article_id integer NOT NULL,
        comment_id integer,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX feed_events_position_idx ON feed_events (tx, id)`);
    await q.query(`CREATE INDEX feed_events_created_idx ON feed_events (created_at)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS feed_events`);
    await q.query(`DROP TABLE IF EXISTS "api_tokens"`);
  }
}
