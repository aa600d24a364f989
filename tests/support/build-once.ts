import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
/** Set by tests/support/global-setup.ts for the whole run; a file run without it builds for itself. */
const RUN = process.env.NEWSGRAPH_TEST_RUN ?? `pid-${process.pid}`;
const TAG = createHash("sha1").update(ROOT).digest("hex").slice(0, 12);
const LOCK = join(tmpdir(), `newsgraph-build-${TAG}.lock`);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The lock directory (mkdir is atomic), taken over when the process that held it has died. */
async function lock(): Promise<void> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, "pid"), String(process.pid));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      let holder = NaN;
      try {
        holder = Number(readFileSync(join(LOCK, "pid"), "utf8"));
      } catch {
        // Just made, its pid not yet written: wait.
      }
      if (Number.isInteger(holder) && !alive(holder)) rmSync(LOCK, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`build lock ${LOCK} held for 5 minutes`);
      else await sleep(200);
    }
  }
}

/**
 * Runs a build step once per test run, whichever test file asks first; the others wait for it.
 * Test files in two workers used to build dist/ at the same time, and a server process one of them
 * had spawned could load a file the other was rewriting (`SnakeNamingStrategy is not a constructor`).
 */
async function once(step: string, command: string, args: string[]): Promise<void> {
  const stamp = join(tmpdir(), `newsgraph-build-${TAG}-${RUN}-${step}`);
  if (existsSync(stamp)) return;
  await lock();
  try {
    if (existsSync(stamp)) return;
    execFileSync(command, args, { cwd: ROOT, stdio: "pipe", timeout: 240_000, maxBuffer: 16 * 1024 * 1024 });
    writeFileSync(stamp, new Date().toISOString());
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Bundles the widget into dist/widget (scripts/build-widget.mjs), once per run. */
export const buildWidgetOnce = () => once("widget", "node", ["scripts/build-widget.mjs"]);

/**
 * What `npm run build` makes, once per run: src/ and migrations/ compiled to dist/ (tsc), and the
 * widget (its own step, so a file that built only the widget earlier does not see it rewritten).
 */
export async function buildDist(): Promise<void> {
  await once("tsc", "node", ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"]);
  await buildWidgetOnce();
}
