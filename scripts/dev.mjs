#!/usr/bin/env node
/**
 * `npm run dev`: builds once, then recompiles on every change (tsc --watch:
 * tsx and esbuild cannot emit the decorator metadata type-graphql needs) and
 * restarts the server whenever the compiled output changes (node --watch).
 * The widget bundle is rebuilt by `npm run build:widget`. Ctrl-C stops both.
 */
import { spawn, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const first = spawnSync("npm", ["run", "-s", "build"], { cwd: root, stdio: "inherit" });
if (first.status !== 0) process.exit(first.status ?? 1);

const children = [
  spawn(join(root, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.build.json", "--watch", "--preserveWatchOutput"], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
  }),
  spawn(process.execPath, ["--watch-path=dist/src", "--watch-preserve-output", "dist/src/main.js"], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
  }),
];
const stop = () => {
  for (const child of children) child.kill("SIGTERM");
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
for (const child of children) child.on("exit", (code) => (stop(), (process.exitCode ||= code ?? 0)));
