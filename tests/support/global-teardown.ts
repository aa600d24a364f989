import type { ChildProcess } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Stops what global-setup.ts started for this run. */
export default async function globalTeardown(): Promise<void> {
  const redis = (globalThis as { __NEWSGRAPH_TEST_REDIS__?: ChildProcess }).__NEWSGRAPH_TEST_REDIS__;
  if (redis && redis.exitCode === null) redis.kill("SIGKILL");
  // The build steps' stamps of this run (tests/support/build-once.ts).
  const run = process.env.NEWSGRAPH_TEST_RUN;
  if (run) {
    for (const name of readdirSync(tmpdir())) {
      if (name.startsWith("newsgraph-build-") && name.includes(`-${run}-`))
        rmSync(join(tmpdir(), name), { force: true });
    }
  }
}
