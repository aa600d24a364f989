/**
 * The Dockerfile and docker-compose.yml cannot be run here (no Docker engine,
 * no hadolint), so this keeps them true by reading them: a multi-stage build
 * whose runtime stage holds production dependencies only and runs as a
 * non-root user, files it copies that exist, and a compose file that builds
 * that image, restarts it, and sets only variables src/config/ reads.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";

const ROOT = join(__dirname, "..", "..");
const read = (file: string) => readFileSync(join(ROOT, file), "utf8");

/** Dockerfile instructions (continuation lines joined, comments dropped), per stage. */
function stages(text: string): { from: string; instructions: [string, string][] }[] {
  const lines = text.replace(/\\\n/g, " ").split("\n");
  const result: { from: string; instructions: [string, string][] }[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const [, op, args] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    if (!op) throw new Error(`not an instruction: ${line}`);
    if (op.toUpperCase() === "FROM") result.push({ from: args!, instructions: [] });
    else result[result.length - 1]!.instructions.push([op.toUpperCase(), args!]);
  }
  return result;
}

/** Every environment variable src/config/ reads (each of its files). */
function configVariables(): Set<string> {
  const dir = "src/config";
  const files = readdirSync(join(ROOT, dir)).filter((f) => f.endsWith(".ts"));
  expect(files).toEqual(expect.arrayContaining(["index.ts", "env.ts", "newsroom.ts"]));
  const source = files.map((f) => read(`${dir}/${f}`)).join("\n");
  const names = [...source.matchAll(/\(env, "([A-Z0-9_]+)"/g), ...source.matchAll(/env\.([A-Z0-9_]+)/g)].map(
    (m) => m[1]!,
  );
  return new Set(names);
}

describe("Dockerfile", () => {
  const [build, runtime, ...rest] = stages(read("Dockerfile"));

  test("two stages: a build stage with dev dependencies, a runtime stage without", () => {
    expect(rest).toHaveLength(0);
    expect(build!.from).toMatch(/^node:20[\w.-]* AS build$/);
    expect(runtime!.from).toMatch(/^node:20[\w.-]*$/);
    const buildRuns = build!.instructions.filter(([op]) => op === "RUN").map(([, a]) => a);
    expect(buildRuns.some((r) => r.startsWith("npm ci"))).toBe(true);
    expect(buildRuns.some((r) => r.includes("npm run build") && r.includes("npm prune --omit=dev"))).toBe(true);
    // The runtime stage installs nothing: it copies the pruned node_modules and the compiled output.
    const runtimeRuns = runtime!.instructions.filter(([op]) => op === "RUN").map(([, a]) => a);
    expect(runtimeRuns.some((r) => /npm (ci|install)/.test(r))).toBe(false);
    const copies = runtime!.instructions.filter(([op]) => op === "COPY").map(([, a]) => a);
    expect(copies).toEqual(expect.arrayContaining([expect.stringContaining("--from=build /app/dist")]));
    expect(copies.every((c) => c.startsWith("--from=build"))).toBe(true);
  });

  test("runs as a non-root user, in production mode, on the port it exposes", () => {
    const user = runtime!.instructions.filter(([op]) => op === "USER").map(([, a]) => a);
    expect(user).toEqual(["node"]);
    const env = runtime!.instructions.find(([op]) => op === "ENV")![1];
    expect(env).toMatch(/NODE_ENV=production/);
    const port = /PORT=(\d+)/.exec(env)![1];
    expect(runtime!.instructions).toContainEqual(["EXPOSE", port]);
    const vars = [...env.matchAll(/([A-Z_]+)=/g)].map((m) => m[1]!);
    for (const v of vars) expect([v, configVariables().has(v)]).toEqual([v, true]);
    // The image runs what `npm start` runs, with the same Node.js flags.
    const start = JSON.parse(read("package.json")).scripts.start.split(/\s+/) as string[];
    expect(start[0]).toBe("node");
    expect(start[start.length - 1]).toBe("dist/src/main.js");
    expect(JSON.parse(runtime!.instructions.find(([op]) => op === "CMD")![1])).toEqual(start);
    expect(runtime!.instructions.find(([op]) => op === "HEALTHCHECK")![1]).toContain("/readyz");
  });

  test("the benches run the server with npm start's Node.js flags", () => {
    const scripts = JSON.parse(read("package.json")).scripts as Record<string, string>;
    const start = scripts.start!.split(/\s+/);
    const flags = start.slice(1, -1);
    expect(flags).toContain("--max-semi-space-size=64");
    // bench, bench:peer and bench:cache run the server in their own process; bench:feed spawns it with
    // bench/lib.mjs's SERVER_NODE_FLAGS, read from the start script.
    for (const name of ["bench", "bench:peer", "bench:cache", "bench:feed"]) {
      const node = scripts[name]!.split("&&").pop()!.trim().split(/\s+/);
      expect([name, node.slice(0, 1 + flags.length)]).toEqual([name, ["node", ...flags]]);
    }
    expect(read("bench/lib.mjs")).toContain("scripts.start");
    expect(read("bench/feed.mjs")).toContain("...SERVER_NODE_FLAGS");
  });

  test("what the build stage copies exists in the repository, and .dockerignore keeps local state out", () => {
    const sources = build!.instructions
      .filter(([op]) => op === "COPY")
      .flatMap(([, a]) => a.split(/\s+/).slice(0, -1))
      .filter((s) => !s.startsWith("--"));
    expect(sources.length).toBeGreaterThan(3);
    for (const s of sources) expect([s, existsSync(join(ROOT, s))]).toEqual([s, true]);
    const ignored = read(".dockerignore").split("\n");
    expect(ignored).toEqual(expect.arrayContaining(["node_modules", "dist", "data", ".env", ".git"]));
  });
});

describe("docker-compose.yml", () => {
  const compose = parseYaml(read("docker-compose.yml")) as { services: Record<string, any> };
  const app = compose.services.app;

  test("the app is built from the Dockerfile, not a bind-mounted source tree, and restarts", () => {
    expect(app.build).toBe(".");
    expect(app.image).toBeUndefined();
    expect(app.volumes).toBeUndefined();
    expect(app.command).toBeUndefined();
    for (const service of Object.values(compose.services)) expect(service.restart).toBe("unless-stopped");
  });

  test("it sets only variables src/config/ reads, and waits for healthy PostgreSQL and Redis", () => {
    const known = configVariables();
    for (const name of Object.keys(app.environment)) expect([name, known.has(name)]).toEqual([name, true]);
    const url = new URL(app.environment.DATABASE_URL);
    const pg = compose.services.postgres.environment;
    expect([url.username, url.password, url.pathname.slice(1), url.hostname]).toEqual([
      pg.POSTGRES_USER,
      pg.POSTGRES_PASSWORD,
      pg.POSTGRES_DB,
      "postgres",
    ]);
    expect(new URL(app.environment.REDIS_URL).hostname).toBe("redis");
    expect(app.ports).toEqual([`${app.environment.PORT}:${app.environment.PORT}`]);
    expect(app.depends_on).toEqual({
      postgres: { condition: "service_healthy" },
      redis: { condition: "service_healthy" },
    });
  });
});
