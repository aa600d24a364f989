/**
 * Child processes for the multi-instance feed tests: a private redis-server
 * that a test may kill and restart at will (never the shared one), and
 * newsgraph server processes started from the compiled build (dist/).
 */
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { Client } from "pg";
import { buildDist } from "./build-once";
import type { TestDatabase } from "./database";
import { createTestDatabase } from "./database";
import { waitFor, WAIT_MS } from "./feed-client";

const ROOT = join(__dirname, "..", "..");

/** A TCP port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves once `child` exits (at once if it already has). */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Sends `signal`, then SIGKILL if the process is still alive after `graceMs`. */
async function kill(child: ChildProcess | undefined, signal: NodeJS.Signals, graceMs = 5000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const done = exited(child);
  child.kill(signal);
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await done;
  clearTimeout(timer);
}

/** A redis-server of this test's own, on a fixed port, so that it can die and come back at the same URL. */
export class PrivateRedis {
  private child: ChildProcess | undefined;
  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the server on the same port (no persistence: it comes back empty, as after a crash). */
  async restart(): Promise<void> {
    if (this.running) throw new Error("redis is already running");
    const child = spawn(
      "redis-server",
      ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    this.child = child;
    let output = "";
    child.stdout!.on("data", (chunk) => (output += String(chunk)));
    child.stderr!.on("data", (chunk) => (output += String(chunk)));
    await waitFor(
      () => {
        if (!this.running) throw new Error(`redis-server exited: ${output}`);
        return /ready to accept connections/i.test(output);
      },
      () => `redis-server on port ${this.port} (output: ${output})`,
    );
  }

  /** Kills the server at once, as a crash would. */
  async crash(): Promise<void> {
    await kill(this.child, "SIGKILL");
  }

  async stop(): Promise<void> {
    await kill(this.child, "SIGTERM");
  }
}

/** `node dist/src/main.js` with its own environment; ready once it logged the line with its URL. */
export class ServerProcess {
  private output = "";
  private lines: Record<string, any>[] = [];
  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    let partial = "";
    const onData = (chunk: Buffer) => {
      this.output += String(chunk);
      partial += String(chunk);
      const parts = partial.split("\n");
      partial = parts.pop()!;
      for (const line of parts) {
        try {
          this.lines.push(JSON.parse(line));
        } catch {
          // not a log line (e.g. a banner)
        }
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => (this.output += String(chunk)));
  }

  /** HTTP URL of /graphql, from the ready line. */
  url = "";

  static async start(name: string, env: Record<string, string>, timeoutMs = 30_000): Promise<ServerProcess> {
    const child = spawn(process.execPath, [join(ROOT, "dist", "src", "main.js")], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const server = new ServerProcess(name, child);
    try {
      const ready = await waitFor(
        () => {
          if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}: ${server.output}`);
          return server.lines.find((l) => typeof l.url === "string");
        },
        () => `${name} to log its URL (output: ${server.output.slice(-2000)})`,
        timeoutMs,
      );
      server.url = String(ready.url).replace("//localhost:", "//127.0.0.1:");
    } catch (error) {
      await kill(child, "SIGKILL");
      throw error;
    }
    return server;
  }

  /** Log lines (parsed JSON) whose msg matches. */
  logged(msg: RegExp): Record<string, any>[] {
    return this.lines.filter((l) => typeof l.msg === "string" && msg.test(l.msg));
  }

  get log(): string {
    return this.output;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM (graceful shutdown) and wait for the exit; SIGKILL after `graceMs`. */
  async stop(graceMs = WAIT_MS): Promise<number | null> {
    await kill(this.child, "SIGTERM", graceMs);
    return this.child.exitCode;
  }

  async kill(): Promise<void> {
    await kill(this.child, "SIGKILL");
  }
}

/** Two server processes built from this tree on one fresh PostgreSQL database and one private Redis. */
export interface TwoInstances {
  database: TestDatabase;
  redis: PrivateRedis;
  a: ServerProcess;
  b: ServerProcess;
  /** A client of the shared database, for fixtures. */
  pg: Client;
  /** A published article open for comments (from the demo content). */
  articleDbId: number;
  /** The environment both run with: a third instance of the same deployment starts with it. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * The feed's poll timer is off (FEED_POLL_MS=0), so an instance learns of
 * another's writes only through Redis. The first instance migrates and seeds,
 * the second finds it done.
 */
export async function startTwoInstances(extraEnv: Record<string, string> = {}): Promise<TwoInstances> {
  await buildDist();
  const database = await createTestDatabase();
  const redis = await PrivateRedis.start();
  const env = {
    DATABASE_URL: database.databaseUrl!,
    REDIS_URL: redis.url,
    HOST: "127.0.0.1",
    PORT: "0",
    LOG_LEVEL: "info",
    SEED_DEMO: "true",
    SCHEDULER_INTERVAL_MS: "0",
    FEED_POLL_MS: "0",
    COMMENT_RATE_LIMIT: "100000",
    ...extraEnv,
  };
  const a = await ServerProcess.start("instance A", env);
  const b = await ServerProcess.start("instance B", env);
  const pg = new Client({ connectionString: database.databaseUrl });
  await pg.connect();
  const { rows } = await pg.query(
    "SELECT id FROM articles WHERE status = 'PUBLISHED' AND comments_open ORDER BY id LIMIT 1",
  );
  return {
    database,
    redis,
    a,
    b,
    pg,
    articleDbId: rows[0].id,
    env,
    async stop() {
      await a.kill();
      await b.kill();
      await redis.stop();
      await pg.end();
      await database.drop();
    },
  };
}
