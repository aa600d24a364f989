import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Article revisions: every published state of an article (title, standfirst,
 * Markdown body, who, when) and the correction note an edit may carry.
 * Numbered per article (unique (article_id, number)). Every article that is or
 * was live gets its revision 1 now, holding its text as it stands at this
 * migration and dated at its publication, so that no published article has an
 * empty history.
 */
export class AddArticleRevisions1796400000004 implements MigrationInterface {
  name = "AddArticleRevisions1796400000004";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "article_revisions" ("id" SERIAL NOT NULL, "article_id" integer NOT NULL, ` +
        `"number" integer NOT NULL, "title" text NOT NULL, "standfirst" text, "body" text NOT NULL, ` +
        `"editor_id" integer, "correction" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, ` +
        `CONSTRAINT "PK_e5a3375569c46d93baa9fe4bfe4" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "article_revisions_number_idx" ON "article_revisions" ("article_id", "number") `,
    );
    await q.query(
      `ALTER TABLE "article_revisions" ADD CONSTRAINT "FK_d710c0a22d74814285c06f8994d" FOREIGN KEY ("article_id") ` +
        `REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "article_revisions" ADD CONSTRAINT "FK_01ede1aa4906d3fd684fdd0a56d" FOREIGN KEY ("editor_id") ` +
        `REFERENCES "authors"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `INSERT INTO "article_revisions" (article_id, number, title, standfirst, body, created_at)
       SELECT id, 1, title, standfirst, body, published_at FROM "articles"
       WHERE status IN ('PUBLISHED', 'ARCHIVED') AND published_at IS NOT NULL`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "article_revisions"`);
  }
}
