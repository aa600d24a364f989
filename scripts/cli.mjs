#!/usr/bin/env node
/**
 * `npm run cli -- <command>`: runs the built CLI (dist/src/cli/index.js). It
 * builds first only when there is no build or the sources are newer than it,
 * and then sends the build's output to stderr, so that stdout holds the
 * command's result alone: `TOKEN=$(npm run -s cli -- token create ...)`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const entry = join(root, "dist", "src", "cli", "index.js");

/** Newest modification time of the .ts files under a folder (0 when it is missing). */
function newest(dir) {
  if (!existsSync(dir)) return 0;
  let latest = 0;
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, item.name);
    if (item.isDirectory()) latest = Math.max(latest, newest(path));
    else if (/\.(ts|json)$/.test(item.name)) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

const built = existsSync(entry) ? statSync(entry).mtimeMs : 0;
if (!built || Math.max(newest(join(root, "src")), newest(join(root, "migrations"))) > built) {
  process.stderr.write("cli: building first (npm run build)\n");
  const build = spawnSync("npm", ["run", "-s", "build"], { cwd: root, stdio: ["ignore", 2, 2] });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
// Ctrl-C reaches the command too (the same process group), which stops on its own terms (`live demo`
// finishes its line); this process waits for it and exits with its code instead of dying first.
process.on("SIGINT", () => {});
const run = spawnSync(process.execPath, [entry, ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(run.status ?? 1);
