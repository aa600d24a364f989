import { SqlCounter } from "../../src/db/sql-counter";
import { requestScope } from "../../src/shared/request-scope";

describe("SqlCounter", () => {
  test("counts every statement, and a watched request's own statements by its request id", async () => {
    const sql = new SqlCounter();
    sql.watch("mine");
    const inScope = (requestId: string, n: number) =>
      requestScope.run({ requestId }, async () => {
        for (let i = 0; i < n; i++) {
          await Promise.resolve();
          sql.record("SELECT 1");
        }
      });
    sql.record("SELECT outside any request");
    await Promise.all([inScope("mine", 3), inScope("other", 5)]);
    expect(sql.total).toBe(9);
    expect(sql.unwatch("mine")).toBe(3);
    // Once unwatched, nothing is kept for it.
    await inScope("mine", 2);
    expect(sql.unwatch("mine")).toBe(0);
    expect(sql.unwatch("never-watched")).toBe(0);
  });

  test("capture returns the statements' text in order and does not nest", async () => {
    const sql = new SqlCounter();
    const text = await sql.capture(async () => {
      sql.record("A");
      await expect(sql.capture(async () => {})).rejects.toThrow(/does not nest/);
      sql.record("B");
    });
    expect(text).toEqual(["A", "B"]);
    sql.record("C");
    expect(sql.total).toBe(3);
  });
});
