/**
 * Processes the fault and shutdown tests own: a private PostgreSQL cluster
 * (initdb into a temp dir, run as the postgres OS user, on a free port) that
 * the test may stop, freeze and restart, a private Redis (likewise), and newsgraph itself
 * as a child process. The shared PostgreSQL on 5432 is never touched.
 */
import type { ChildProcess } from "node:child_process";
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** The bin directory of the newest installed PostgreSQL, if any. */
export function postgresBinDir(): string | undefined {
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, "bin", "pg_ctl")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], "bin") : undefined;
}

/** Runs a command as the postgres OS user (PostgreSQL refuses to run as root). */
function asPostgres(bin: string, args: string[], timeoutMs = 60_000): string {
  const asRoot = process.getuid?.() === 0;
  const [cmd, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  return execFileSync(cmd, argv, { encoding: "utf8", timeout: timeoutMs, stdio: ["ignore", "pipe", "pipe"] });
}

export interface PrivatePostgres {
  readonly port: number;
  /** postgres://postgres@127.0.0.1:port/<db> */
  url(database?: string): string;
  /** pg_ctl stop -m <mode>. */
  stop(mode?: "immediate" | "fast"): void;
  start(): void;
  /** SIGSTOP / SIGCONT every process of the cluster: a database that accepts bytes and never answers. */
  freeze(): void;
  thaw(): void;
  /** Stops it (if running) and deletes the cluster. */
  destroy(): void;
}

/** initdb + pg_ctl start of a throwaway cluster owned by the postgres user. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error("no PostgreSQL binaries under /usr/lib/postgresql");
  const port = await freePort();
  const root = mkdtempSync(join(tmpdir(), "newsgraph-private-pg-"));
  chmodSync(root, 0o777);
  const dir = join(root, "data");
  const log = join(root, "postgres.log");
  if (process.getuid?.() === 0) execFileSync("chown", ["postgres:postgres", root]);
  asPostgres(join(bin, "initdb"), ["-D", dir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  const pgCtl = (...args: string[]) => asPostgres(join(bin, "pg_ctl"), ["-D", dir, ...args]);
  const start = () => {
    pgCtl(
      "-l",
      log,
      "-o",
      `-p ${port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`,
      "-w",
      "-t",
      "60",
      "start",
    );
  };
  start();
  let running = true;
  const pids = (): number[] => {
    try {
      const postmaster = Number(readFileSync(join(dir, "postmaster.pid"), "utf8").split("\n")[0]);
      const children = execFileSync("pgrep", ["-P", String(postmaster)], { encoding: "utf8" })
        .split("\n")
        .filter(Boolean)
        .map(Number);
      return [postmaster, ...children];
    } catch {
      return [];
    }
  };
  const handle: PrivatePostgres = {
    port,
    url: (database = "postgres") => `postgres://postgres@127.0.0.1:${port}/${database}`,
    stop(mode = "immediate") {
      pgCtl("-m", mode, "-w", "stop");
      running = false;
    },
    start() {
      start();
      running = true;
    },
    freeze() {
      for (const pid of pids()) process.kill(pid, "SIGSTOP");
    },
    thaw() {
      for (const pid of pids()) process.kill(pid, "SIGCONT");
    },
    destroy() {
      try {
        handle.thaw();
        if (running) pgCtl("-m", "immediate", "-w", "stop");
      } catch {
        // already stopped
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
  return handle;
}

export interface PrivateRedis {
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** SIGSTOP / SIGCONT: a Redis that keeps its connections open and never answers (stop() still kills it). */
  freeze(): void;
  thaw(): void;
}

/** redis-server on a free port, without persistence; stop() kills it, start() brings it back on the same port. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      stdio: "ignore",
    });
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        const out = execFileSync("redis-cli", ["-p", String(port), "ping"], {
          encoding: "utf8",
          stdio: ["ignore", "pipe", "ignore"],
        });
        if (out.trim() === "PONG") return;
      } catch {
        // not yet
      }
      if (Date.now() > deadline) throw new Error("redis-server did not start");
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      const c = child;
      if (!c || c.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        c.once("exit", () => resolve());
        c.kill("SIGKILL");
      });
    },
    start,
    freeze() {
      child?.kill("SIGSTOP");
    },
    thaw() {
      if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGCONT");
    },
  };
}

export const hasRedis = (): boolean => {
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};

export interface ChildServer {
  readonly child: ChildProcess;
  /** The /graphql URL from the "ready" log line. */
  readonly url: string;
  /** Every stdout line parsed as JSON (non-JSON lines are kept as { text }). */
  readonly lines: Record<string, any>[];
  readonly stderr: () => string;
  /** Resolves with the exit code (or signal) once the process is gone. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `node dist/src/main.js` with env and waits for its ready line. */
export async function spawnMain(env: Record<string, string>, timeoutMs = 60_000): Promise<ChildServer> {
  const root = join(__dirname, "../..");
  const child = spawn(process.execPath, [join(root, "dist/src/main.js")], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Record<string, any>[] = [];
  let stderr = "";
  let buffered = "";
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`newsgraph did not start: ${stderr}`)), timeoutMs);
    child.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      let nl: number;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        let parsed: Record<string, any>;
        try {
          parsed = JSON.parse(line);
        } catch {
          parsed = { text: line };
        }
        lines.push(parsed);
        if (typeof parsed.url === "string") {
          clearTimeout(timer);
          resolve(parsed.url);
        }
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`newsgraph exited with ${code} before it was ready: ${stderr}`));
    });
  });
  return { child, url, lines, stderr: () => stderr, exited };
}
