import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * API tokens (stored as SHA-256 only), and the feed event log behind
 * subscriptions and cache invalidation.
 *
 * Events are appended only through newsgraph_feed_append(), which takes one
 * transaction-scoped advisory lock before drawing the id. A writer appends as
 * the last step before COMMIT and holds the lock until the commit is visible,
 * so ids become visible strictly in order: a reader that has seen id N has
 * seen every committed id below N, and resuming "after N" can never skip a
 * transaction that committed late (the flaw of plain serial or timestamp
 * cursors). Rolled-back appends leave harmless gaps.
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
        kind varchar(32) NOT NULL,
        article_id integer NOT NULL,
        comment_id integer,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX feed_events_article_idx ON feed_events (article_id, id)`);
    await q.query(`CREATE INDEX feed_events_created_idx ON feed_events (created_at)`);
    await q.query(`
      CREATE FUNCTION newsgraph_feed_append(p_kind text, p_article integer, p_comment integer) RETURNS bigint
      LANGUAGE plpgsql AS $$
      DECLARE new_id bigint;
      BEGIN
        PERFORM pg_advisory_xact_lock(7243546117);
        INSERT INTO feed_events (kind, article_id, comment_id) VALUES (p_kind, p_article, p_comment)
          RETURNING id INTO new_id;
        RETURN new_id;
      END $$`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS newsgraph_feed_append`);
    await q.query(`DROP TABLE IF EXISTS feed_events`);
    await q.query(`DROP TABLE IF EXISTS "api_tokens"`);
  }
}
