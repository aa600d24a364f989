/**
 * README's GraphQL examples are what integrators paste into GraphiQL first:
 * every operation is named (a block of several anonymous ones fails there)
 * and valid against the emitted schema.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildSchema, Kind, parse, validate } from "graphql";

const ROOT = join(__dirname, "..", "..");
const schema = buildSchema(readFileSync(join(ROOT, "schema/schema.graphql"), "utf8"));
const blocks = [...readFileSync(join(ROOT, "README.md"), "utf8").matchAll(/```graphql\n([\s\S]*?)```/g)].map(
  (m) => m[1]!,
);

test("README has GraphQL examples", () => {
  expect(blocks.length).toBeGreaterThan(0);
});

test.each(blocks.map((b, i) => [i + 1, b] as const))(
  "example block %i: every operation named, all valid",
  (_, block) => {
    const document = parse(block);
    const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    expect(operations.length).toBeGreaterThan(0);
    expect(operations.filter((o) => !o.name).map((o) => o.loc?.startToken.line)).toEqual([]);
    expect(validate(schema, document).map((e) => e.message)).toEqual([]);
  },
);
