/** @type {import('jest').Config} */
const common = {
  testEnvironment: "node",
  transform: {
    // ts-jest with the project's tsconfig: decorator metadata is emitted, as type-graphql needs.
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }],
  },
};

module.exports = {
  testTimeout: 60000,
  // Two cores: one worker per core; each integration test file gets its own database.
  maxWorkers: 2,
  projects: [
    // Pure logic, no server, no database, no Redis: `npm run test:unit`, seconds.
    { ...common, displayName: "unit", roots: ["<rootDir>/tests/unit"], testMatch: ["**/*.test.ts"] },
    // A real server on a real database (PostgreSQL with DATABASE_URL, else embedded PGlite).
    {
      ...common,
      displayName: "integration",
      roots: ["<rootDir>/tests"],
      testMatch: ["**/*.test.ts"],
      testPathIgnorePatterns: ["/node_modules/", "<rootDir>/tests/unit/"],
      globalSetup: "<rootDir>/tests/support/global-setup.ts",
      globalTeardown: "<rootDir>/tests/support/global-teardown.ts",
    },
  ],
};
