// @ts-check
/**
 * Mutation testing of the pure modules (`npm run test:mutation`): StrykerJS
 * mutates them and runs the jest `unit` project (tests/unit, no database)
 * against every mutant. Too slow for CI (see README, "Mutation testing").
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
/** The unit project of jest.config.js, as a stand-alone config: the same transform, roots and matches. */
const jestConfig = require("./jest.config.js");
const { displayName: _displayName, ...unit } = jestConfig.projects.find((p) => p.displayName === "unit");

/**
 * Unit tests left out of mutation runs: each builds the whole schema, so it imports every module and
 * jest --findRelatedTests relates it to every mutant, whose run then loads all of src three times
 * over (five times the cost of the module's own tests). What they check of the mutated modules is
 * checked directly by cheaper tests (roles.test.ts, shared-types.test.ts, purge-tags.test.ts).
 */
const wholeSchemaTests = ["role-gates", "cache-tags", "schema-emitted"].map(
  (name) => `/tests/unit/${name}\\.test\\.ts$`,
);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "jest",
  jest: {
    projectType: "custom",
    configFile: "jest.config.js",
    // The unit project's settings at the top level, and no projects: only tests/unit runs.
    config: {
      ...unit,
      projects: [],
      testTimeout: jestConfig.testTimeout,
      testPathIgnorePatterns: ["/node_modules/", ...wholeSchemaTests],
    },
    // Each mutant run loads only the test files that import its file (jest --findRelatedTests), then runs the covering tests.
    enableFindRelatedTests: true,
  },
  // The npm test scripts' node flags, for the runner's child process.
  testRunnerNodeArgs: ["--experimental-vm-modules", "--no-warnings=ExperimentalWarning"],
  coverageAnalysis: "perTest",
  // With jest every covering test runs anyway (jest cannot bail programmatically): record every killer,
  // so that the report tells which tests kill each mutant.
  disableBail: true,
  // Four runners on two cores: a runner is idle while a mutant hangs to its timeout, and a timed-out runner
  // restarts (seconds of jest start-up). Measured on 2 cores: the whole run in 18 minutes with 4, over an hour with 1.
  concurrency: 4,
  mutate: [
    "src/modules/feed/feed-stream.ts",
    "src/modules/feed/feed-position.ts",
    "src/shared/push-queue.ts",
    "src/shared/pagination.ts",
    "src/shared/query-limits.ts",
    "src/pipeline/documents.ts",
    "src/pipeline/request-pipeline.ts",
    "src/pipeline/apollo-plugin.ts",
    "src/shared/input-guard.ts",
    "src/shared/format-error.ts",
    "src/modules/comment/comment-email.ts",
    "src/modules/comment/spam-rules.ts",
    "src/cache/cache-tags.ts",
    "src/shared/node-id.ts",
    "src/modules/auth/auth-checker.ts",
    "src/modules/auth/require-role.ts",
    "src/modules/auth/role.ts",
  ],
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  incrementalFile: "reports/mutation/stryker-incremental.json",
  tempDirName: ".stryker-tmp",
  // Build output and data stay out of the sandbox copy.
  ignorePatterns: ["/dist", "/data"],
  thresholds: { high: 90, low: 80, break: null },
  // A mutant whose tests run 3 s longer than the unmutated run is counted as timed out (killed): the unit
  // tests take milliseconds, and each timeout also restarts the runner, so 10 s cost minutes per run.
  timeoutMS: 3000,
};
