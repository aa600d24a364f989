import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Draft previews (src/modules/preview): each link's hashed token, its article, who made it, when it
 * expires and when it was revoked; rows go with their article. preview_secret holds the HMAC key when
 * PREVIEW_SECRET is unset: one row, made by the first instance that needs it (not here, so that a
 * migrated template copied for tests does not hand every copy the same key).
 */
export class AddArticlePreviews1796400000003 implements MigrationInterface {
  name = "AddArticlePreviews1796400000003";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "article_previews" ("id" SERIAL NOT NULL, "article_id" integer NOT NULL, ` +
        `"token_hash" character(64) NOT NULL, "created_by" integer NOT NULL, ` +
        `"created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), ` +
        `"expires_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP(3) WITH TIME ZONE, ` +
        `CONSTRAINT "UQ_d440f6c6dca5c1dd96ebe6d2c7c" UNIQUE ("token_hash"), ` +
        `CONSTRAINT "PK_0d178f23aa08c553a8c4cfba867" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "article_previews_article_idx" ON "article_previews" ("article_id", "expires_at")`);
    await q.query(
      `ALTER TABLE "article_previews" ADD CONSTRAINT "FK_1633e9e30487942be99a6d13f52" FOREIGN KEY ("article_id") ` +
        `REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "article_previews" ADD CONSTRAINT "FK_7a3bf8258d880088df2fcc51ade" FOREIGN KEY ("created_by") ` +
        `REFERENCES "authors"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `CREATE TABLE "preview_secret" ("singleton" boolean PRIMARY KEY DEFAULT true CHECK ("singleton"), ` +
        `"secret" text NOT NULL)`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "preview_secret"`);
    await q.query(`DROP TABLE "article_previews"`);
  }
}
