import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The repeated-body spam rule matches a sender (the normalised address and the
 * client address together, hashed), not an address alone: an address-only rule
 * told anyone who copied a public comment whether a guessed address had sent
 * it. Older rows have no key; the rule looks back 24 hours only.
 */
export class AddCommentSenderKeys1796200000001 implements MigrationInterface {
  name = "AddCommentSenderKeys1796200000001";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "comments" ADD "sender_key" character varying(64)`);
    await q.query(`CREATE INDEX "comments_sender_idx" ON "comments" ("sender_key", "created_at")`);
    await q.query(`DROP INDEX IF EXISTS comments_email_idx`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX comments_email_idx ON comments (lower(email), created_at)`);
    await q.query(`DROP INDEX IF EXISTS "comments_sender_idx"`);
    await q.query(`ALTER TABLE "comments" DROP COLUMN "sender_key"`);
  }
}
