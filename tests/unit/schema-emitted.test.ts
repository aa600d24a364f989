/**
 * The committed schema/schema.graphql is what the code builds: every other
 * unit test that reads the committed file (descriptions, limits, the README's
 * operations) then speaks of the schema the server really serves, including
 * the docs the shared types write (pagination's `first`/`after`, PageInfo,
 * the Edge and Connection types, the Role enum). `npm run schema` rewrites it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { printSortedSchema } from "../../src/schema";

test("the schema the code builds is schema/schema.graphql, character for character", async () => {
  const committed = readFileSync(join(__dirname, "../../schema/schema.graphql"), "utf8");
  const built = await printSortedSchema();
  // Compared line by line first, so that a difference names its lines.
  expect(built.split("\n")).toEqual(committed.split("\n"));
  expect(built).toBe(committed);
});
