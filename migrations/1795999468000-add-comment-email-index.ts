import type { MigrationInterface, QueryRunner } from "typeorm";

/** Finds a commenter's recent comments (the repeated-body spam rule) without scanning every comment. */
export class AddCommentEmailIndex1795999468000 implements MigrationInterface {
  name = "AddCommentEmailIndex1795999468000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX comments_email_idx ON comments (lower(email), created_at)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS comments_email_idx`);
  }
}
