import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { IncomingMessage, Server, ServerResponse, createServer as createHttpServer } from "node:http";
import { AddressInfo } from "node:net";
import { ApolloServer, HeaderMap, HTTPGraphQLRequest } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { Config } from "./config";
import { Context, createContext } from "./context";
import { Database } from "./db/database";
import { graphiqlAsset, graphiqlHtml } from "./graphiql";
import { createLogger, Logger } from "./logger";
import { entities } from "./modules";
import { createServices, Services } from "./modules/services";
import { buildSchema } from "./schema";
import { Role } from "./modules/auth/role";
import { Bus, createBus } from "./pubsub";
import { seedDemo } from "./seed/demo";
import { Clock, systemClock } from "./shared/clock";
import { MemoryRateLimiter, RateLimiter, RedisRateLimiter } from "./shared/rate-limiter";
import { createErrorFormatter } from "./shared/format-error";
import { requestScope } from "./shared/request-scope";
import { attachWebSocket } from "./websocket";
import { migrations } from "../migrations";

export interface ServerDeps {
  logger?: Logger;
  /** Tests pass a ManualClock to drive scheduling without sleeping. */
  clock?: Clock;
}

export interface NewsgraphServer {
  /** http://host:port/graphql once started. */
  readonly url: string;
  readonly config: Config;
  readonly db: Database;
  readonly services: Services;
  readonly logger: Logger;
  /** In embedded demo mode, the token of the demo editor created on first start. */
  readonly demoEditorToken: string | undefined;
  readonly openSockets: number;
  start(): Promise<void>;
  stop(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Builds the whole service from a config: database (migrated, and seeded when
 * asked), schema, Apollo over HTTP, GraphiQL. Nothing listens until start().
 */
export async function createServer(config: Config, deps: ServerDeps = {}): Promise<NewsgraphServer> {
  const logger = deps.logger ?? createLogger(config.logLevel);
  const db = await Database.open({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.dbPoolSize,
    statementTimeoutMs: config.statementTimeoutMs,
    entities,
    migrations,
    logger,
  });
  const clock = deps.clock ?? systemClock;
  let bus: Bus | undefined;
  let limiter: RateLimiter | undefined;
  let services: Services;
  let demoEditorToken: string | undefined;
  try {
    const applied = await db.migrate();
    if (applied.length) logger.info({ migrations: applied }, "migrations applied");
    bus = await createBus(config.redisUrl, logger);
    limiter = config.redisUrl ? new RedisRateLimiter(config.redisUrl, clock, logger) : new MemoryRateLimiter(clock);
    services = createServices({ config, db, bus, clock, limiter, logger });
    if (config.seedDemo) {
      const { articles } = await seedDemo(db, { onlyIfEmpty: true, logger });
      if (articles > 0 && db.kind === "pglite") demoEditorToken = await createDemoEditor(services);
    }
  } catch (error) {
    await bus?.close();
    await limiter?.close();
    await db.close();
    throw error;
  }

  const schema = await buildSchema();
  const httpServer = createHttpServer();
  const formatError = createErrorFormatter(logger);
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: config.production,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // main.ts owns shutdown (SIGTERM drains HTTP and closes sockets with 1001); Apollo must not race it.
    stopOnTerminationSignals: false,
    formatError,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled()],
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const incomingId = req.headers["x-request-id"];
    const requestId = typeof incomingId === "string" && /^[\w.-]{1,64}$/.test(incomingId) ? incomingId : randomUUID();
    res.setHeader("x-request-id", requestId);
    const url = new URL(req.url ?? "/", "http://localhost");
    const started = process.hrtime.bigint();
    try {
      await requestScope.run({ requestId }, () => route(req, res, url, requestId));
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 500) logger.error({ err: error, requestId }, "request failed");
      if (!res.headersSent) {
        sendJson(res, status, {
          errors: [
            {
              message: error instanceof HttpError ? error.message : "Internal server error",
              extensions: { code: status === 500 ? "INTERNAL_SERVER_ERROR" : "BAD_REQUEST", requestId },
            },
          ],
        });
      } else res.end();
    } finally {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      logger.debug(
        { requestId, method: req.method, path: url.pathname, status: res.statusCode, durationMs },
        "request",
      );
    }
  };

  const route = async (req: IncomingMessage, res: ServerResponse, url: URL, requestId: string): Promise<void> => {
    if (url.pathname === "/graphql") {
      if (req.method === "GET" && !url.searchParams.has("query") && prefersHtml(req)) {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" });
        res.end(graphiqlHtml());
        return;
      }
      return graphql(req, res, url, requestId);
    }
    if (url.pathname.startsWith("/graphiql/")) {
      const asset = graphiqlAsset(url.pathname.slice("/graphiql/".length));
      if (!asset) throw new HttpError(404, "Not found");
      res.writeHead(200, { "content-type": asset.type, "cache-control": "public, max-age=86400" });
      res.end(asset.body);
      return;
    }
    if (url.pathname === "/healthz") return sendJson(res, 200, { status: "ok" });
    if (url.pathname === "/readyz") {
      try {
        await db.query("SELECT 1");
        return sendJson(res, 200, { status: "ready" });
      } catch {
        return sendJson(res, 503, { status: "unavailable", database: "down" });
      }
    }
    if (url.pathname === "/") {
      res.writeHead(302, { location: "/graphql" });
      res.end();
      return;
    }
    throw new HttpError(404, "Not found");
  };

  const graphql = async (req: IncomingMessage, res: ServerResponse, url: URL, requestId: string): Promise<void> => {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
    }
    const request: HTTPGraphQLRequest = {
      method: (req.method ?? "GET").toUpperCase(),
      headers,
      search: url.search,
      body: req.method === "POST" ? await readBody(req, config.maxBodyBytes, headers.get("content-type")) : undefined,
    };
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: request,
      context: () =>
        createContext(services, {
          authorization: headers.get("authorization"),
          requestId,
          clientIp: clientIp(req, config.trustProxy),
        }),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === "complete") {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };

  httpServer.on("request", (req, res) => void handle(req, res));
  const webSocket = attachWebSocket(httpServer, schema, services, config, logger, formatError);

  let url = "";
  return {
    get url() {
      return url;
    },
    config,
    db,
    services,
    logger,
    demoEditorToken,
    async start() {
      await apollo.start();
      await services.feedDispatcher.start();
      services.scheduler.start();
      await new Promise<void>((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(config.port, config.host, () => resolve());
      });
      const { port } = httpServer.address() as AddressInfo;
      const host = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
      url = `http://${host}:${port}/graphql`;
    },
    get openSockets() {
      return webSocket.openSockets;
    },
    async stop() {
      services.scheduler.stop();
      await webSocket.close();
      await services.feedDispatcher.stop();
      await apollo.stop();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await bus!.close();
      await limiter!.close();
      await db.close();
    },
  };
}

/** The caller's address: the socket's, or behind a trusted proxy the first X-Forwarded-For hop. */
function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = req.headers["x-forwarded-for"];
  if (trustProxy && typeof forwarded === "string" && forwarded.trim()) return forwarded.split(",")[0]!.trim();
  return req.socket.remoteAddress ?? "unknown";
}

/** First start in embedded demo mode: an editor to try mutations with, and its token (shown once). */
async function createDemoEditor(services: Services): Promise<string> {
  await services.db.query(
    `INSERT INTO authors (slug, name, bio) VALUES ('demo-editor', 'Demo Editor', 'Created for trying newsgraph out.')
     ON CONFLICT (slug) DO NOTHING`,
  );
  return services.auth.createToken("demo-editor", Role.EDITOR, "demo");
}

function prefersHtml(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? "";
  return accept.includes("text/html");
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

/** Reads a request body up to `limit` bytes (413 beyond), parsing JSON bodies (400 when malformed). */
async function readBody(req: IncomingMessage, limit: number, contentType: string | undefined): Promise<unknown> {
  const declared = Number(req.headers["content-length"]);
  if (declared > limit) {
    req.resume();
    throw new HttpError(413, `Request body is larger than ${limit} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw new HttpError(413, `Request body is larger than ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new HttpError(400, "Request body is not valid UTF-8");
  }
  if (!contentType?.toLowerCase().includes("json")) return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "Request body is not valid JSON");
  }
}

export type { Server };
