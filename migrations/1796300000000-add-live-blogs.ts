import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Live blogs: an article's live window (live_since, live_until), its entries,
 * and the entry an event of the feed log concerns (feed_events.entry_id, with
 * no foreign key: a deleted entry's id stays known to the log, so that its
 * DELETED event replays). newsgraph_feed_append takes the entry as a fourth
 * argument, NULL by default, so that older callers keep working.
 */
export class AddLiveBlogs1796300000000 implements MigrationInterface {
  name = "AddLiveBlogs1796300000000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "articles" ADD "live_since" TIMESTAMP(3) WITH TIME ZONE`);
    await q.query(`ALTER TABLE "articles" ADD "live_until" TIMESTAMP(3) WITH TIME ZONE`);
    await q.query(
      `CREATE TABLE "live_entries" ("id" SERIAL NOT NULL, "article_id" integer NOT NULL, ` +
        `"title" character varying(200), "body" text NOT NULL, "body_html" text NOT NULL, ` +
        `"author_ids" integer array NOT NULL, "posted_by" integer NOT NULL, ` +
        `"is_key_event" boolean NOT NULL DEFAULT false, "is_pinned" boolean NOT NULL DEFAULT false, ` +
        `"published_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "edited_at" TIMESTAMP(3) WITH TIME ZONE, ` +
        `"deleted_at" TIMESTAMP(3) WITH TIME ZONE, "idempotency_key" character varying(128), ` +
        `CONSTRAINT "PK_54e7be9d7a57cafa6ee7309bf6f" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "live_entries_idempotency_idx" ON "live_entries" ("article_id", "idempotency_key") ` +
        `WHERE idempotency_key IS NOT NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "live_entries_one_pinned_idx" ON "live_entries" ("article_id") ` +
        `WHERE is_pinned AND deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX "live_entries_key_events_idx" ON "live_entries" ("article_id", "published_at", "id") ` +
        `WHERE deleted_at IS NULL AND is_key_event`,
    );
    await q.query(
      `CREATE INDEX "live_entries_blog_idx" ON "live_entries" ("article_id", "published_at", "id") ` +
        `WHERE deleted_at IS NULL`,
    );
    await q.query(
      `ALTER TABLE "live_entries" ADD CONSTRAINT "FK_925d8f1041ca1a862ac384ea1c3" FOREIGN KEY ("article_id") ` +
        `REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "live_entries" ADD CONSTRAINT "FK_3ae08629f4213c1a41030dba5f2" FOREIGN KEY ("posted_by") ` +
        `REFERENCES "authors"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );

    await q.query(`ALTER TABLE feed_events ADD entry_id integer`);
    await q.query(`DROP FUNCTION newsgraph_feed_append(text, integer, integer)`);
    // The same append as before (see 1795999162000): one advisory lock, held to commit, so ids become
    // visible in commit order.
    await q.query(`
      CREATE FUNCTION newsgraph_feed_append(p_kind text, p_article integer, p_comment integer,
        p_entry integer DEFAULT NULL) RETURNS bigint
      LANGUAGE plpgsql AS $$
      DECLARE new_id bigint;
      BEGIN
        PERFORM pg_advisory_xact_lock(7243546117);
        INSERT INTO feed_events (kind, article_id, comment_id, entry_id) VALUES (p_kind, p_article, p_comment, p_entry)
          RETURNING id INTO new_id;
        RETURN new_id;
      END $$`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION newsgraph_feed_append(text, integer, integer, integer)`);
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
    await q.query(`DELETE FROM feed_events WHERE entry_id IS NOT NULL`);
    await q.query(`ALTER TABLE feed_events DROP COLUMN entry_id`);
    await q.query(`DROP TABLE "live_entries"`);
    await q.query(`ALTER TABLE "articles" DROP COLUMN "live_until"`);
    await q.query(`ALTER TABLE "articles" DROP COLUMN "live_since"`);
  }
}
