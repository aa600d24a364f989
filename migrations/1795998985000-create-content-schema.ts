import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Articles, authors, topics, bylines, tags and comments, with the indexes the
 * read paths need. Drafted from the entities by `npm run check:migrations -- --print`,
 * then completed by hand with what TypeORM cannot describe: the GIN search index
 * and the triggers that keep the join tables' published_at in step with articles.
 */
export class CreateContentSchema1795998985000 implements MigrationInterface {
  name = "CreateContentSchema1795998985000";

  public async up(q: QueryRunner): Promise<void> {
    // TypeORM records generated-column expressions here and compares them on drift checks.
    await q.query(
      `CREATE TABLE IF NOT EXISTS "typeorm_metadata" ("type" varchar NOT NULL, "database" varchar, "schema" varchar, "table" varchar, "name" varchar, "value" text)`,
    );
    await q.query(
      `CREATE TABLE "articles" ("id" SERIAL NOT NULL, "slug" character varying NOT NULL, "title" character varying NOT NULL, "standfirst" text, "body" text NOT NULL, "body_html" text NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'DRAFT', "published_at" TIMESTAMP(3) WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "sort_at" TIMESTAMP(3) WITH TIME ZONE GENERATED ALWAYS AS (COALESCE(published_at, created_at)) STORED NOT NULL, "search" tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', COALESCE(standfirst, '')), 'B') || setweight(to_tsvector('english', body), 'C')) STORED NOT NULL, "comments_open" boolean NOT NULL DEFAULT true, "word_count" integer NOT NULL DEFAULT '0', CONSTRAINT "UQ_1123ff6815c5b8fec0ba9fec370" UNIQUE ("slug"), CONSTRAINT "PK_0a6e2c450d83e0b6052c2793334" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "articles_scheduled_idx" ON "articles" ("published_at") WHERE status = 'SCHEDULED'`);
    await q.query(`CREATE INDEX "articles_status_sort_idx" ON "articles" ("status", "sort_at", "id") `);
    await q.query(
      `CREATE INDEX "articles_published_sort_idx" ON "articles" ("sort_at", "id") WHERE status = 'PUBLISHED'`,
    );
    await q.query(
      `CREATE TABLE "authors" ("id" SERIAL NOT NULL, "slug" character varying NOT NULL, "name" character varying NOT NULL, "bio" text, "avatar_url" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_f068a15d416578e89d41189ca25" UNIQUE ("slug"), CONSTRAINT "PK_d2ed02fabd9b52847ccb85e6b88" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "authors_name_idx" ON "authors" ("name", "id") `);
    await q.query(
      `CREATE TABLE "topics" ("id" SERIAL NOT NULL, "slug" character varying NOT NULL, "name" character varying NOT NULL, "description" text, CONSTRAINT "UQ_97c66ab0029f49fde30517f8199" UNIQUE ("slug"), CONSTRAINT "PK_e4aa99a3fa60ec3a37d1fc4e853" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "topics_name_idx" ON "topics" ("name", "id") `);
    await q.query(
      `CREATE TABLE "article_authors" ("article_id" integer NOT NULL, "author_id" integer NOT NULL, "position" smallint NOT NULL, "published_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "PK_7e726bab9061a1becbc91522de8" PRIMARY KEY ("article_id", "author_id"))`,
    );
    await q.query(`CREATE INDEX "article_authors_author_idx" ON "article_authors" ("author_id", "article_id") `);
    await q.query(
      `CREATE INDEX "article_authors_feed_idx" ON "article_authors" ("author_id", "published_at", "article_id") WHERE published_at IS NOT NULL`,
    );
    await q.query(
      `CREATE TABLE "article_topics" ("article_id" integer NOT NULL, "topic_id" integer NOT NULL, "published_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "PK_323af0eaa00bbc0c6ba46edb765" PRIMARY KEY ("article_id", "topic_id"))`,
    );
    await q.query(`CREATE INDEX "article_topics_topic_idx" ON "article_topics" ("topic_id", "article_id") `);
    await q.query(
      `CREATE INDEX "article_topics_feed_idx" ON "article_topics" ("topic_id", "published_at", "article_id") WHERE published_at IS NOT NULL`,
    );
    await q.query(
      `CREATE TABLE "comments" ("id" SERIAL NOT NULL, "article_id" integer NOT NULL, "parent_id" integer, "depth" smallint NOT NULL DEFAULT '0', "author_name" character varying(80) NOT NULL, "email" character varying(254) NOT NULL, "website" text, "body" text NOT NULL, "status" character varying(16) NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "idempotency_key" character varying(128), CONSTRAINT "PK_8bf68bc960f2b69e818bdb90dcb" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "comments_idempotency_idx" ON "comments" ("article_id", "idempotency_key") WHERE idempotency_key IS NOT NULL`,
    );
    await q.query(`CREATE INDEX "comments_queue_idx" ON "comments" ("status", "created_at") `);
    await q.query(`CREATE INDEX "comments_article_status_idx" ON "comments" ("article_id", "status") `);
    await q.query(
      `CREATE INDEX "comments_replies_idx" ON "comments" ("parent_id", "created_at", "id") WHERE status = 'APPROVED'`,
    );
    await q.query(
      `CREATE INDEX "comments_thread_idx" ON "comments" ("article_id", "created_at", "id") WHERE status = 'APPROVED' AND parent_id IS NULL`,
    );
    await q.query(
      `ALTER TABLE "article_authors" ADD CONSTRAINT "FK_a045495388d3a462887cc91cfca" FOREIGN KEY ("article_id") REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "article_authors" ADD CONSTRAINT "FK_1997748451c8b04aa79e227c172" FOREIGN KEY ("author_id") REFERENCES "authors"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "article_topics" ADD CONSTRAINT "FK_0b33a5c3a30f4cf14d3619ca41d" FOREIGN KEY ("article_id") REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "article_topics" ADD CONSTRAINT "FK_a3d503560c1bbd5f25e09a3e253" FOREIGN KEY ("topic_id") REFERENCES "topics"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "comments" ADD CONSTRAINT "FK_e9b498cca509147e73808f9e593" FOREIGN KEY ("article_id") REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "comments" ADD CONSTRAINT "FK_d6f93329801a93536da4241e386" FOREIGN KEY ("parent_id") REFERENCES "comments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES ($1, $2, $3, $4, $5, $6)`,
      ["postgres", "public", "articles", "GENERATED_COLUMN", "sort_at", "COALESCE(published_at, created_at)"],
    );
    await q.query(
      `INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        "postgres",
        "public",
        "articles",
        "GENERATED_COLUMN",
        "search",
        "setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', COALESCE(standfirst, '')), 'B') || setweight(to_tsvector('english', body), 'C')",
      ],
    );

    await q.query(`CREATE INDEX "articles_search_idx" ON "articles" USING GIN ("search")`);

    // The join tables carry the article's published_at while it is PUBLISHED (NULL
    // otherwise) so that topic and author feeds are single index range scans.
    await q.query(`
      CREATE FUNCTION newsgraph_link_published_at() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        SELECT CASE WHEN a.status = 'PUBLISHED' THEN a.published_at END INTO NEW.published_at
          FROM articles a WHERE a.id = NEW.article_id;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE FUNCTION newsgraph_article_published_at() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE visible timestamptz := CASE WHEN NEW.status = 'PUBLISHED' THEN NEW.published_at END;
      BEGIN
        UPDATE article_topics SET published_at = visible WHERE article_id = NEW.id;
        UPDATE article_authors SET published_at = visible WHERE article_id = NEW.id;
        RETURN NEW;
      END $$`);
    for (const table of ["article_topics", "article_authors"]) {
      await q.query(
        `CREATE TRIGGER ${table}_published_at BEFORE INSERT OR UPDATE OF article_id ON ${table} ` +
          `FOR EACH ROW EXECUTE FUNCTION newsgraph_link_published_at()`,
      );
    }
    await q.query(
      `CREATE TRIGGER articles_published_at AFTER UPDATE OF status, published_at ON articles FOR EACH ROW ` +
        `WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.published_at IS DISTINCT FROM NEW.published_at) ` +
        `EXECUTE FUNCTION newsgraph_article_published_at()`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const table of ["comments", "article_topics", "article_authors", "topics", "authors", "articles"]) {
      await q.query(`DROP TABLE IF EXISTS "${table}" CASCADE`);
    }
    await q.query(`DROP FUNCTION IF EXISTS newsgraph_link_published_at, newsgraph_article_published_at`);
    await q.query(`DELETE FROM "typeorm_metadata" WHERE "table" = 'articles'`);
  }
}
