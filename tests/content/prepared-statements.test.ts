/**
 * On PostgreSQL, reads with parameters outside transactions run as named prepared statements
 * (src/db/database.ts): each text is parsed and planned once per connection, under the same
 * name on every connection, and answers exactly as an unnamed statement does. With
 * DB_PREPARED_STATEMENTS=false (PgBouncer in transaction mode) nothing is prepared. The
 * embedded database never prepares. Checked on a pool of one connection, whose
 * pg_prepared_statements is then the server's whole statement cache.
 */
import { FrontPageDocument } from "../generated/graphql";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

const QUIET = { responseCache: false, feedPollMs: 0, schedulerIntervalMs: 0, dbPoolSize: 1 };

/** The statements prepared on the (single) connection, by name. */
async function prepared(server: TestServer): Promise<Map<string, string>> {
  const rows = await server.db.query<{ name: string; statement: string }>(
    "SELECT name, statement FROM pg_prepared_statements WHERE name LIKE 'ng\\_%'",
  );
  return new Map(rows.map((r) => [r.name, r.statement]));
}

describe("prepared statements", () => {
  let server: TestServer;
  afterEach(async () => {
    await server?.stop();
  });

  it("front page reads are prepared once, then reused, with the same answers", async () => {
    server = await startTestServer(QUIET);
    const statements = await server.db.sql.capture(async () => {
      const res = await server.request(FrontPageDocument, { first: 5 });
      expect(res.errors).toBeUndefined();
    });
    const withParams = statements.filter((s) => /\$1\b/.test(s));
    expect(withParams.length).toBeGreaterThan(0);
    const first = await prepared(server);
    if (server.db.kind === "pglite") {
      expect(first.size).toBe(0);
      return;
    }
    // Every parameterised statement of the page is prepared, under one name each.
    expect(new Set(first.values())).toEqual(new Set(withParams));
    const answers = await server.request(FrontPageDocument, { first: 5 });
    const again = await server.request(FrontPageDocument, { first: 5 });
    expect(again.data).toEqual(answers.data);
    // Reused, not prepared again under other names.
    expect(await prepared(server)).toEqual(first);
  });

  it("prepares nothing with DB_PREPARED_STATEMENTS=false, and answers the same", async () => {
    server = await startTestServer({ ...QUIET, dbPreparedStatements: false });
    const res = await server.request(FrontPageDocument, { first: 5 });
    expect(res.errors).toBeUndefined();
    expect(res.data?.articles.nodes.length).toBe(5);
    expect((await prepared(server)).size).toBe(0);
  });
});
