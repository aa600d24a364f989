import type { ChildProcess } from "node:child_process";
import { execFileSync, spawn } from "node:child_process";
import { createConnection, createServer } from "node:net";

/** Whether something answers on host:port within a second. */
function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port, timeout: 1000 });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The Redis the suites that need one share (TEST_REDIS_URL): the one given, else the machine's on
 * 6379, else a private redis-server started for this run, so `npm test` needs nothing running.
 */
export async function provideTestRedis(): Promise<ChildProcess | undefined> {
  if (process.env.TEST_REDIS_URL) return undefined;
  if (await reachable("127.0.0.1", 6379)) {
    process.env.TEST_REDIS_URL = "redis://127.0.0.1:6379";
    return undefined;
  }
  const port = await freePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    {
      stdio: "ignore",
    },
  );
  const deadline = Date.now() + 10_000;
  while (!(await reachable("127.0.0.1", port))) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error("could not start a redis-server for the tests");
    await new Promise((r) => setTimeout(r, 50));
  }
  execFileSync("redis-cli", ["-p", String(port), "ping"], { stdio: "ignore" });
  process.env.TEST_REDIS_URL = `redis://127.0.0.1:${port}`;
  return child;
}
