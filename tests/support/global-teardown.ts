import type { ChildProcess } from "node:child_process";

/** Stops what global-setup.ts started for this run. */
export default async function globalTeardown(): Promise<void> {
  const redis = (globalThis as { __NEWSGRAPH_TEST_REDIS__?: ChildProcess }).__NEWSGRAPH_TEST_REDIS__;
  if (redis && redis.exitCode === null) redis.kill("SIGKILL");
}
