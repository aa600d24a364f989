#!/usr/bin/env node
/**
 * Builds the live-blog widget for browsers: type-checks src/widget/client with
 * its own tsconfig (DOM lib), bundles it with esbuild (graphql-ws's client
 * included, no framework) into dist/widget/live-blog.js, prints the size raw
 * and gzipped, and fails when the gzipped bundle is over the 30 KB budget.
 * Also builds the resumable-subscription module (src/widget/client/resumable.ts,
 * no dependencies) as an ES module, dist/widget/resumable.js, for integrators.
 *
 * When nothing that goes into the bundle changed since the last build (same
 * sources, same graphql-ws and esbuild), it only re-checks the size: test
 * files call it before starting, and concurrent jest workers then neither
 * repeat the work nor race. `--force` always rebuilds.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const clientDir = join(root, "src/widget/client");
const outfile = join(root, "dist/widget/live-blog.js");
const resumableFile = join(root, "dist/widget/resumable.js");
const BUDGET_GZIP_BYTES = 30 * 1024;

const require = createRequire(import.meta.url);
const stampFile = join(dirname(outfile), ".build-stamp");

/** A hash of everything the bundle is made from. */
function inputsHash() {
  const hash = createHash("sha256");
  const files = [
    ...readdirSync(clientDir, { recursive: true })
      .map(String)
      .sort()
      .map((f) => join(clientDir, f)),
    fileURLToPath(import.meta.url),
    require.resolve("graphql-ws/package.json"),
    require.resolve("esbuild/package.json"),
    require.resolve("typescript/package.json"),
  ];
  for (const file of files) {
    let content;
    try {
      content = readFileSync(file);
    } catch {
      continue; // a directory
    }
    hash.update(relative(root, file)).update("\0").update(content).update("\0");
  }
  return hash.digest("hex");
}

const stamp = inputsHash();
const upToDate =
  !process.argv.includes("--force") &&
  existsSync(outfile) &&
  existsSync(resumableFile) &&
  existsSync(stampFile) &&
  readFileSync(stampFile, "utf8") === stamp;
if (!upToDate) await buildBundle();
report(upToDate);

async function buildBundle() {
  const tsc = join(dirname(require.resolve("typescript/package.json")), "bin/tsc");
  try {
    execFileSync(process.execPath, [tsc, "-p", join(clientDir, "tsconfig.json")], { stdio: "inherit", cwd: root });
  } catch {
    console.error("build-widget: type errors in src/widget/client");
    process.exit(1);
  }

  mkdirSync(dirname(outfile), { recursive: true });
  const result = await build({
    entryPoints: [join(clientDir, "index.ts")],
    outfile,
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2020",
    minify: true,
    sourcemap: "linked",
    legalComments: "eof",
    tsconfig: join(clientDir, "tsconfig.json"),
    banner: { js: "/* newsgraph live-blog widget */" },
    logLevel: "warning",
    write: false,
  });
  // Each file is written under a temporary name and renamed into place, so a server (or a concurrent
  // build, e.g. two test workers) never reads a half-written bundle.
  for (const file of result.outputFiles) writeAtomically(file.path, file.contents);
  const resumable = await build({
    entryPoints: [join(clientDir, "resumable.ts")],
    outfile: resumableFile,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2020",
    minify: true,
    sourcemap: "linked",
    tsconfig: join(clientDir, "tsconfig.json"),
    banner: { js: "/* newsgraph resumable subscriptions: see src/widget/client/resumable.ts */" },
    logLevel: "warning",
    write: false,
  });
  for (const file of resumable.outputFiles) writeAtomically(file.path, file.contents);

  writeAtomically(stampFile, stamp);
}

function writeAtomically(path, contents) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, path);
}

function report(upToDate) {
  const code = readFileSync(outfile);
  const gzipped = gzipSync(code, { level: 9 }).length;
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(
    `build-widget: ${relative(root, outfile)}${upToDate ? " (up to date)" : ""} ${kb(code.length)} raw, ${kb(gzipped)} gzipped ` +
      `(${code.length} / ${gzipped} bytes; budget ${kb(BUDGET_GZIP_BYTES)} gzipped)`,
  );
  const resumable = readFileSync(resumableFile);
  console.log(
    `build-widget: ${relative(root, resumableFile)} ${kb(resumable.length)} raw, ${kb(gzipSync(resumable, { level: 9 }).length)} gzipped`,
  );
  if (gzipped > BUDGET_GZIP_BYTES) {
    console.error(`build-widget: the gzipped bundle is over budget by ${gzipped - BUDGET_GZIP_BYTES} bytes`);
    process.exit(1);
  }
}
