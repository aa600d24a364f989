/**
 * The runtime import graph of src (what Node loads: `import type` and imports
 * of types only are erased), read from the import statements of the .ts files.
 * The request context sits above the services and their loaders: nothing it
 * imports may lead back to it, and no module under src/modules needs it for a
 * value.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const SRC = resolve(__dirname, "../../src");
const CONTEXT = join(SRC, "context.ts");

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "client" ? [] : tsFiles(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

/** `import ... from "x"`, `export ... from "x"`, `import "x"`, except those that carry only types. */
const STATEMENT = /^\s*(import|export)\s+([^;]*?)\s*from\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']/gm;

export function valueImports(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(STATEMENT)) {
    if (m[4]) {
      found.push(m[4]);
      continue;
    }
    const clause = m[2]!.trim();
    if (/^type\s/.test(clause)) continue;
    const named = /^\{([\s\S]*)\}$/.exec(clause);
    if (named) {
      const specifiers = named[1]!
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      if (specifiers.length && specifiers.every((s) => s.startsWith("type "))) continue;
    }
    found.push(m[3]!);
  }
  return found;
}

function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = resolve(dirname(from), specifier.replace(/\.js$/, ""));
  return [`${base}.ts`, join(base, "index.ts")].find((p) => existsSync(p));
}

const graph = new Map<string, string[]>(
  tsFiles(SRC).map((file) => [
    file,
    valueImports(readFileSync(file, "utf8"))
      .map((s) => resolveImport(file, s))
      .filter((p): p is string => p !== undefined),
  ]),
);

/** A path of value imports from `start` to `target`, or undefined. */
function pathTo(start: string, target: string): string[] | undefined {
  const seen = new Set<string>();
  const walk = (file: string, trail: string[]): string[] | undefined => {
    if (file === target) return trail;
    if (seen.has(file)) return undefined;
    seen.add(file);
    for (const next of graph.get(file) ?? []) {
      const found = walk(next, [...trail, next]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(start, [start]);
}

const short = (files: string[]) => files.map((f) => relative(SRC, f));

test("the parser sees value imports and skips type-only ones", () => {
  const source = [
    `import { a } from "./a";`,
    `import type { B } from "./b";`,
    `import { type C, type D } from "./c";`,
    `import { type E, f } from "./e";`,
    `import "reflect-metadata";`,
    `export { g } from "./g";`,
    `export type { H } from "./h";`,
    `import {\n  i,\n  j,\n} from "./i";`,
    `import * as k from "./k";`,
  ].join("\n");
  expect(valueImports(source)).toEqual(["./a", "./e", "reflect-metadata", "./g", "./i", "./k"]);
});

test("the graph is read (the server reaches the context, the context reaches the services' loaders)", () => {
  expect(short(pathTo(join(SRC, "server.ts"), CONTEXT) ?? [])).toContain("context.ts");
  expect(graph.get(CONTEXT)?.length).toBeGreaterThan(0);
});

test("no cycle runs through src/context.ts", () => {
  const cycles = (graph.get(CONTEXT) ?? [])
    .map((next) => pathTo(next, CONTEXT))
    .filter((p): p is string[] => p !== undefined)
    .map((p) => ["context.ts", ...short(p)].join(" -> "));
  expect(cycles).toEqual([]);
});

test("no module under src/modules imports src/context.ts for a value", () => {
  const importers = [...graph]
    .filter(([file, imports]) => file.startsWith(join(SRC, "modules")) && imports.includes(CONTEXT))
    .map(([file]) => relative(SRC, file));
  expect(importers).toEqual([]);
});
