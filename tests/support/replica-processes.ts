/**
 * A private primary with a real streaming replica, for the read-replica tests:
 * the primary is startPrivatePostgres (initdb in a temp dir, as the postgres OS
 * user, on a free port; wal_level is replica by default and initdb's trust
 * rules admit local replication), the replica a `pg_basebackup -R` of it into
 * another temp dir, started on another free port. The shared PostgreSQL on
 * 5432 is never touched.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PrivatePostgres } from "./hardening-processes";
import { freePort, postgresBinDir } from "./hardening-processes";

export interface PrivateReplica {
  readonly port: number;
  url(database?: string): string;
  /** SIGKILL of its postmaster (a replica that dies), then waits until its processes are gone. */
  kill(): Promise<void>;
  /** pg_ctl start on the same directory and port. */
  start(): void;
  /** Stops it (if running) and deletes its directory. */
  destroy(): void;
}

function asPostgres(bin: string, args: string[], timeoutMs = 120_000): string {
  const asRoot = process.getuid?.() === 0;
  const [cmd, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  return execFileSync(cmd, argv, { encoding: "utf8", timeout: timeoutMs, stdio: ["ignore", "pipe", "pipe"] });
}

/** pg_basebackup -R of a running private primary, started as a hot standby on a free port. */
export async function startPrivateReplica(primary: PrivatePostgres): Promise<PrivateReplica> {
  const bin = postgresBinDir();
  if (!bin) throw new Error("no PostgreSQL binaries under /usr/lib/postgresql");
  const port = await freePort();
  const root = mkdtempSync(join(tmpdir(), "newsgraph-replica-"));
  chmodSync(root, 0o777);
  if (process.getuid?.() === 0) execFileSync("chown", ["postgres:postgres", root]);
  const dir = join(root, "data");
  const log = join(root, "postgres.log");
  let running = false;
  try {
    asPostgres(join(bin, "pg_basebackup"), [
      ...["-h", "127.0.0.1", "-p", String(primary.port), "-U", "postgres", "-D", dir],
      ...["-R", "-X", "stream", "-c", "fast", "--no-sync"],
    ]);
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  const pgCtl = (...args: string[]) => asPostgres(join(bin, "pg_ctl"), ["-D", dir, ...args]);
  const start = () => {
    pgCtl(
      ...["-l", log, "-o", `-p ${port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`],
      ...["-w", "-t", "60", "start"],
    );
    running = true;
  };
  const processes = (postmaster: number): number[] => {
    try {
      const out = execFileSync("pgrep", ["-P", String(postmaster)], { encoding: "utf8" });
      return [postmaster, ...out.split("\n").filter(Boolean).map(Number)];
    } catch {
      return [];
    }
  };
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  try {
    start();
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    url: (database = "postgres") => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async kill() {
      const postmaster = Number(readFileSync(join(dir, "postmaster.pid"), "utf8").split("\n")[0]);
      const all = processes(postmaster);
      process.kill(postmaster, "SIGKILL");
      running = false;
      // Its children notice the postmaster's death and exit; a restart must wait for them.
      const deadline = Date.now() + 30_000;
      while (all.some(alive)) {
        if (Date.now() > deadline) throw new Error("replica processes did not exit after SIGKILL");
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    start,
    destroy() {
      try {
        if (running) pgCtl("-m", "immediate", "-w", "stop");
      } catch {
        // already stopped
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
