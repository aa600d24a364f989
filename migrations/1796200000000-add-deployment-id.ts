import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * One row naming this deployment (its database), created on first start
 * (src/db/deployment.ts): Redis keys, channels and rate-limit counters live
 * under it, so two deployments that share one Redis never see each other's.
 * Not filled here: a migrated template that is copied (the test suite's
 * PGlite clusters) would hand every copy the same id. A copy of a database
 * that has started once (a restored backup) keeps its id; REDIS_PREFIX
 * separates such twins.
 */
export class AddDeploymentId1796200000000 implements MigrationInterface {
  name = "AddDeploymentId1796200000000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "deployment" ("singleton" boolean PRIMARY KEY DEFAULT true CHECK ("singleton"), "id" text NOT NULL)`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "deployment"`);
  }
}
