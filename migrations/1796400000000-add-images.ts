import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Images: uploads (the files are in the image storage under `key`; the rows say what they are)
 * and articles' lead images, one per article at most, with the alt text, caption and credit of
 * that use of the picture.
 */
export class AddImages1796400000000 implements MigrationInterface {
  name = "AddImages1796400000000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "images" ("id" SERIAL NOT NULL, "key" character varying(32) NOT NULL, ` +
        `"format" character varying(8) NOT NULL, "width" integer NOT NULL, "height" integer NOT NULL, ` +
        `"bytes" integer NOT NULL, "uploaded_by" integer NOT NULL, ` +
        `"created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), ` +
        `CONSTRAINT "UQ_b81c3bf4a0c17cf677d1d9e2abe" UNIQUE ("key"), ` +
        `CONSTRAINT "PK_1fe148074c6a1a91b63cb9ee3c9" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE TABLE "article_lead_images" ("article_id" integer NOT NULL, "image_id" integer NOT NULL, ` +
        `"alt" character varying(300) NOT NULL, "caption" character varying(1000), ` +
        `"credit" character varying(200), CONSTRAINT "PK_6aaebd6f231eadf469b5bdbd91e" PRIMARY KEY ("article_id"))`,
    );
    await q.query(`CREATE INDEX "article_lead_images_image_idx" ON "article_lead_images" ("image_id")`);
    await q.query(
      `ALTER TABLE "images" ADD CONSTRAINT "FK_6d664f5fd368da18598eb947cc4" FOREIGN KEY ("uploaded_by") ` +
        `REFERENCES "authors"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "article_lead_images" ADD CONSTRAINT "FK_6aaebd6f231eadf469b5bdbd91e" FOREIGN KEY ("article_id") ` +
        `REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "article_lead_images" ADD CONSTRAINT "FK_8b46a49403bc266c3672e09538b" FOREIGN KEY ("image_id") ` +
        `REFERENCES "images"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "article_lead_images"`);
    await q.query(`DROP TABLE "images"`);
  }
}
