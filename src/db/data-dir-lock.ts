import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Who holds an embedded data directory: the server, or one run of the CLI. */
export type DataDirOwner = "server" | "cli";

interface LockContent {
  pid: number;
  owner: DataDirOwner;
  /** When the process started (Linux: /proc/<pid>/stat), which tells a live holder from a reused pid. */
  started?: string;
}

/** The data directory is open in another live process; nothing was opened. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockContent,
    wanted: DataDirOwner,
  ) {
    const who =
      holder.owner === "server" ? `the newsgraph server (pid ${holder.pid})` : `newsgraph cli (pid ${holder.pid})`;
    const advice =
      wanted === "cli"
        ? "stop the server first, or run the server and the CLI on PostgreSQL (DATABASE_URL)"
        : "wait for it to finish, or stop it";
    super(`the embedded database in ${dataDir} is open in ${who}: PGlite serves one process; ${advice}`);
    this.name = "DataDirInUseError";
  }
}

export interface DataDirLock {
  release(): void;
}

const LOCK_FILE = "newsgraph.lock";
/** Locks this process holds (a second open in the same process is refused like any other). */
const held = new Set<string>();

/**
 * Takes the data directory for this process, or throws DataDirInUseError.
 * PGlite is a single-process database: a second process on the same files
 * works on its own copy, and whichever closes last overwrites the other's
 * writes. The lock file holds the holder's pid and start time; a lock whose
 * process is gone (dead pid, or a pid reused by a process that started at
 * another time) is stale and taken over.
 */
export function lockDataDir(dataDir: string, owner: DataDirOwner): DataDirLock {
  const path = join(dataDir, LOCK_FILE);
  const content: LockContent = { pid: process.pid, owner, started: startTime(process.pid) };
  const write = () => {
    // Written whole to a private file, then linked into place: no reader sees a half-written lock,
    // and link fails when the lock exists, so two processes cannot both take it.
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(content));
    try {
      linkSync(tmp, path);
    } finally {
      unlinkSync(tmp);
    }
  };
  for (let attempt = 0; ; attempt++) {
    try {
      if (held.has(path)) throw Object.assign(new Error("held by this process"), { code: "EEXIST" });
      write();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 5) throw error;
    }
    const raw = readLock(path);
    if (raw === undefined) continue; // released meanwhile
    const holder = parseLock(raw);
    if (holder && (held.has(path) || isAlive(holder))) throw new DataDirInUseError(dataDir, holder, owner);
    removeIfStill(path, raw);
  }
  held.add(path);
  const release = () => {
    process.removeListener("exit", release);
    held.delete(path);
    const raw = readLock(path);
    if (raw !== undefined && raw === JSON.stringify(content)) unlinkSync(path);
  };
  // process.exit (a shutdown past its grace period) skips close(); the lock must not outlive the process.
  process.on("exit", release);
  return {
    release,
  };
}

function readLock(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function parseLock(raw: string): LockContent | undefined {
  try {
    const parsed = JSON.parse(raw) as LockContent;
    return Number.isInteger(parsed.pid) && parsed.pid > 0 ? parsed : undefined;
  } catch {
    return undefined; // not ours, or damaged: stale
  }
}

/** Removes a stale lock unless someone replaced it since it was read. */
function removeIfStill(path: string, raw: string): void {
  const aside = `${path}.${process.pid}.stale`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  if (readFileSync(aside, "utf8") !== raw) {
    // Another process took the lock between the read and the rename: put its lock back.
    try {
      linkSync(aside, path);
    } catch {
      // It exists again: someone else's; leave it.
    }
  }
  unlinkSync(aside);
}

function isAlive(holder: LockContent): boolean {
  // Our own pid in a lock we do not hold: a previous life of this pid (a container's pid 1).
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const started = startTime(holder.pid);
  return holder.started === undefined || started === undefined || started === holder.started;
}

/** A process's start time in clock ticks since boot (Linux); undefined where /proc is not there. */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 22; the command name (field 2) may hold spaces, so count from its closing parenthesis.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}
