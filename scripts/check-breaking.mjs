#!/usr/bin/env node
/**
 * The project's own contract check: the emitted schema (schema/schema.graphql)
 * against the last release's (schema/release.graphql), with graphql-js's
 * findBreakingChanges. Breaking changes fail; dangerous ones (a new enum
 * value, a changed default) are printed. Needs nothing outside the repository.
 *   node scripts/check-breaking.mjs [released.graphql] [current.graphql]
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSchema, findBreakingChanges, findDangerousChanges } from "graphql";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [released = join(root, "schema/release.graphql"), current = join(root, "schema/schema.graphql")] =
  process.argv.slice(2);
const load = (file) => buildSchema(readFileSync(file, "utf8"));
const before = load(released);
const after = load(current);

for (const change of findDangerousChanges(before, after))
  console.log(`dangerous: ${change.type}: ${change.description}`);
const breaking = findBreakingChanges(before, after);
for (const change of breaking) console.error(`BREAKING: ${change.type}: ${change.description}`);
if (breaking.length) {
  console.error(`${breaking.length} breaking change(s) against ${released}`);
  process.exit(1);
}
console.log(`contract: no breaking change against ${released}`);
