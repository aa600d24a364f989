#!/usr/bin/env node
/**
 * `npm run check`: every quick check, building once. Each step prints its name;
 * the first failure stops the run with its exit code. The contract check of
 * ../shared (the steering repository's) runs too where that file exists; the
 * project's own contract check (scripts/check-breaking.mjs) always does.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const outsideContract = join(root, "..", "shared", "tools", "check-contract.mjs");

const steps = [
  ["build", "npm", ["run", "-s", "build"]],
  ["types", bin("tsc"), ["--noEmit", "-p", "tsconfig.json"]],
  ["lint", bin("eslint"), ["."]],
  ["format", bin("prettier"), ["--check", "--log-level", "warn", "."]],
  ["schema", process.execPath, ["dist/src/cli/emit-schema.js"]],
  ["schema drift", "git", ["diff", "--exit-code", "--", "schema/"]],
  ["contract", process.execPath, ["scripts/check-breaking.mjs"]],
  ...(existsSync(outsideContract)
    ? [["contract (../shared)", process.execPath, [outsideContract, "schema/schema.graphql"]]]
    : []),
  ["migrations", process.execPath, ["dist/src/cli/schema-diff.js"]],
  ["codegen", bin("graphql-codegen"), ["--config", "codegen.ts", "--silent"]],
  ["codegen drift", "git", ["diff", "--exit-code", "--", "tests/generated/"]],
];

for (const [name, command, args] of steps) {
  process.stderr.write(`check: ${name}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    process.stderr.write(`check: ${name} failed\n`);
    process.exit(result.status ?? 1);
  }
}
process.stderr.write("check: all passed\n");
