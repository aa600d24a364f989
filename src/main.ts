import { ConfigError, loadConfig, loadDotEnv } from "./config";
import { describeOpenError } from "./db/connect-errors";
import { DataDirInUseError } from "./db/data-dir-lock";
import { createLogger } from "./logger";
import { createServer } from "./server";

/** Starts the server from the environment; nothing else. */
async function main(): Promise<void> {
  let config;
  try {
    loadDotEnv();
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`newsgraph: ${error.message}`);
      process.exit(78);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  let server;
  try {
    server = await createServer(config, { logger });
  } catch (error) {
    const line = describeOpenError(error, config.databaseUrl);
    if (!line) throw error;
    console.error(`newsgraph: ${line}`);
    process.exit(error instanceof DataDirInUseError ? 75 : 69);
  }
  // Signals are handled before readiness is announced: a supervisor (or a test) that sends SIGTERM the moment
  // it reads the ready line must get a graceful stop, never the default action of a process with no handler.
  const started = server.start();
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const timer = setTimeout(() => {
      logger.error("shutdown grace period over; exiting");
      process.exit(1);
    }, config.shutdownGraceMs + 1000);
    timer.unref();
    started
      .catch(() => undefined) // a start that failed is reported by main's catch; stop what it opened
      .then(() => server.stop())
      .then(
        () => process.exit(0),
        (error) => {
          logger.error({ err: error }, "shutdown failed");
          process.exit(1);
        },
      );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
  await started;
  if (stopping) return;
  logger.info(
    { url: server.url, database: server.db.kind, redis: Boolean(config.redisUrl) },
    `newsgraph ready: open ${server.url} in a browser for GraphiQL`,
  );
  if (server.demoEditorToken) {
    // Shown once: only its hash is stored. `npm run cli -- token create` makes more.
    console.log(
      `\nDemo editor token (paste into GraphiQL's headers):\n  {"Authorization": "Bearer ${server.demoEditorToken}"}\n`,
    );
  }
}

main().catch((error) => {
  console.error("newsgraph failed to start:", error);
  process.exit(1);
});
