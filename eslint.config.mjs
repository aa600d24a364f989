import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["dist/", "node_modules/", "data/", "tests/generated/", "coverage/", "docs/", "reports/", ".stryker-tmp/"],
  },
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      // As tsconfig.json: consistent-type-imports then leaves files with decorators alone, whose
      // "type-only" imports may be class references that decorator metadata needs at runtime.
      parserOptions: { experimentalDecorators: true, emitDecoratorMetadata: true },
    },
    rules: {
      // What only types need is erased (`import type`), so the runtime import graph shows real dependencies.
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-unsafe-function-type": "off",
    },
  },
);
