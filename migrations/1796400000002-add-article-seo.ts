import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Syndication: an article's own meta title and description for search engines and link
 * previews (null: the headline and standfirst), and an index on updated_at, from which the feeds'
 * Last-Modified (the newest change to any article) is read without a scan.
 */
export class AddArticleSeo1796400000002 implements MigrationInterface {
  name = "AddArticleSeo1796400000002";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "articles" ADD "meta_title" character varying(120)`);
    await q.query(`ALTER TABLE "articles" ADD "meta_description" character varying(320)`);
    await q.query(`CREATE INDEX "articles_updated_idx" ON "articles" ("updated_at")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS "articles_updated_idx"`);
    await q.query(`ALTER TABLE "articles" DROP COLUMN "meta_description"`);
    await q.query(`ALTER TABLE "articles" DROP COLUMN "meta_title"`);
  }
}
