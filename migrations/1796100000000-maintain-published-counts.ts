import type { MigrationInterface, QueryRunner } from "typeorm";

/** Serialises counter updates (the feed's append lock is 7243546117). */
const COUNTS_LOCK = 7243546118;

const LINKS = [
  { links: "article_topics", owners: "topics", key: "topic_id" },
  { links: "article_authors", owners: "authors", key: "author_id" },
];

/**
 * How many published articles each topic and author has, kept on the topic
 * and author rows by statement-level triggers on the join tables (whose
 * published_at is non-NULL exactly while the article is PUBLISHED), instead
 * of counted per request: counting the biggest topic of the 100,000-article
 * bench database read 29,000 index entries for every topic page.
 *
 * Each trigger adds the statement's net change per topic (or author) in key
 * order, after taking one transaction-scoped advisory lock (only when there is
 * a change: drafts do not take it), so that two transactions re-tagging
 * articles with crossing topics cannot deadlock on the counter rows.
 * Publishing is rare next to reading; the lock is held from the first counted
 * change to the commit.
 *
 * TRUNCATE fires no row or statement DELETE triggers: truncating a join table
 * on its own leaves the counters behind (truncate topics and authors with it,
 * as the bench seeder's reset advice does, or run this migration's backfill
 * UPDATE again).
 */
export class MaintainPublishedCounts1796100000000 implements MigrationInterface {
  name = "MaintainPublishedCounts1796100000000";

  public async up(q: QueryRunner): Promise<void> {
    for (const { links, owners, key } of LINKS) {
      await q.query(`ALTER TABLE "${owners}" ADD "published_article_count" integer NOT NULL DEFAULT 0`);
      await q.query(
        `UPDATE ${owners} o SET published_article_count = c.n FROM (` +
          `SELECT ${key} AS id, count(*)::int AS n FROM ${links} WHERE published_at IS NOT NULL GROUP BY ${key}) c ` +
          `WHERE o.id = c.id`,
      );
      const apply = (source: string) => `
          FOR d IN ${source} LOOP
            IF NOT locked THEN
              PERFORM pg_advisory_xact_lock(${COUNTS_LOCK});
              locked := true;
            END IF;
            UPDATE ${owners} SET published_article_count = published_article_count + d.n WHERE id = d.id;
          END LOOP;`;
      const net = (rows: string, sign: string) =>
        `SELECT ${key} AS id, ${sign}count(*)::int AS n FROM ${rows} WHERE published_at IS NOT NULL GROUP BY ${key}`;
      await q.query(`
        CREATE FUNCTION newsgraph_count_${owners}() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
          d record;
          locked boolean := false;
        BEGIN
          IF TG_OP = 'INSERT' THEN ${apply(`${net("new_rows", "")} ORDER BY 1`)}
          ELSIF TG_OP = 'DELETE' THEN ${apply(`${net("old_rows", "-")} ORDER BY 1`)}
          ELSE ${apply(
            `SELECT id, sum(n)::int AS n FROM (${net("new_rows", "")} UNION ALL ${net("old_rows", "-")}) x ` +
              `GROUP BY id HAVING sum(n) <> 0 ORDER BY id`,
          )}
          END IF;
          RETURN NULL;
        END $$`);
      for (const [op, refs] of [
        ["INSERT", "NEW TABLE AS new_rows"],
        ["UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"],
        ["DELETE", "OLD TABLE AS old_rows"],
      ]) {
        await q.query(
          `CREATE TRIGGER ${links}_count_${op.toLowerCase()} AFTER ${op} ON ${links} REFERENCING ${refs} ` +
            `FOR EACH STATEMENT EXECUTE FUNCTION newsgraph_count_${owners}()`,
        );
      }
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const { links, owners } of LINKS) {
      for (const op of ["insert", "update", "delete"])
        await q.query(`DROP TRIGGER IF EXISTS ${links}_count_${op} ON ${links}`);
      await q.query(`DROP FUNCTION IF EXISTS newsgraph_count_${owners}()`);
      await q.query(`ALTER TABLE "${owners}" DROP COLUMN "published_article_count"`);
    }
  }
}
