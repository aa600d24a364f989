import type { MigrationInterface, QueryRunner } from "typeorm";

/** Every comment's parent, indexed: deleting a comment cascades to its replies without scanning all comments. */
export class IndexCommentParents1796004608000 implements MigrationInterface {
  name = "IndexCommentParents1796004608000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "comments_parent_idx" ON "comments" ("parent_id")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS "comments_parent_idx"`);
  }
}
