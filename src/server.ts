import "reflect-metadata";
import { createServer as createHttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import type { CacheStore } from "./cache/cache-store";
import { MemoryCacheStore, RedisCacheStore } from "./cache/cache-store";
import type { Purger } from "./cache/cache-tags";
import { purgeTagsFor } from "./cache/cache-tags";
import { responseCachePlugin } from "./cache/response-cache";
import { FeedEventKind } from "./db/outbox";
import type { Config } from "./config";
import type { Context } from "./context";
import { Database } from "./db/database";
import { deploymentRedis } from "./db/deployment";
import { trackHttpConnections } from "./http/drain";
import { createHttpHandler } from "./http/http-handler";
import { readRoutingPlugin } from "./http/read-routing";
import { apolloOptions, pipelinePlugin } from "./pipeline/apollo-plugin";
import { createRequestPipeline } from "./pipeline/request-pipeline";
import type { Logger } from "./logger";
import { createLogger } from "./logger";
import { entities } from "./modules";
import type { Services } from "./modules/services";
import { createServices } from "./modules/services";
import type { Bus } from "./pubsub";
import { createBus } from "./pubsub";
import { buildSchema } from "./schema";
import { createDemoEditor, seedDemo } from "./seed/demo";
import type { Clock } from "./shared/clock";
import { systemClock } from "./shared/clock";
import { Metrics } from "./shared/metrics";
import type { RateLimiter } from "./shared/rate-limiter";
import { MemoryRateLimiter, RedisRateLimiter } from "./shared/rate-limiter";
import type { RedisLink } from "./shared/redis-link";
import type { WebSocketHandle } from "./websocket";
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
  /** http://host:port/metrics of the metrics listener once started, when METRICS_PORT is set. */
  readonly metricsUrl: string | undefined;
  readonly config: Config;
  readonly db: Database;
  readonly services: Services;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Prefix of this deployment's Redis keys and channels (with REDIS_URL). */
  readonly redisNamespace: string | undefined;
  /** In embedded demo mode, the token of the demo editor created on first start. */
  readonly demoEditorToken: string | undefined;
  readonly openSockets: number;
  start(): Promise<void>;
  /** Stops accepting, closes WebSockets with 1001, lets in-flight requests finish, closes the database. */
  stop(): Promise<void>;
}

/**
 * Builds the whole service from a config: database (migrated, and seeded when
 * asked), bus, services, schema, Apollo over HTTP, graphql-ws, GraphiQL,
 * health and metrics. Nothing listens until start().
 */
export async function createServer(config: Config, deps: ServerDeps = {}): Promise<NewsgraphServer> {
  const logger = deps.logger ?? createLogger(config.logLevel);
  const clock = deps.clock ?? systemClock;
  const db = await Database.open({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.dbPoolSize,
    preparedStatements: config.dbPreparedStatements,
    statementTimeoutMs: config.statementTimeoutMs,
    entities,
    migrations,
    logger,
    readUrls: config.databaseReadUrls,
    readProbeMs: config.databaseReadProbeMs,
    readProbeTimeoutMs: config.databaseReadProbeTimeoutMs,
  });
  let redis: RedisLink | undefined;
  let bus: Bus | undefined;
  let limiter: RateLimiter | undefined;
  let cacheStore: CacheStore | undefined;
  let services: Services;
  let demoEditorToken: string | undefined;
  // Built below; the metrics' probes read them late.
  const late: { webSocket?: WebSocketHandle } = {};
  const metrics = new Metrics({
    openSockets: () => late.webSocket?.openSockets ?? 0,
    activeSubscriptions: () => services?.feedDispatcher.listenerCount ?? 0,
    pool: () => db.poolStats(),
    statements: () => db.sql.total,
    redisUp: config.redisUrl ? () => redisHealthy() : undefined,
    replicasUp: db.replicas ? () => db.replicas!.replicas.map((r) => ({ name: r.name, up: r.up })) : undefined,
  });
  const redisHealthy = () => Boolean(redis?.healthy() && bus?.healthy());
  try {
    const applied = await db.migrate();
    if (applied.length) logger.info({ migrations: applied }, "migrations applied");
    redis = await deploymentRedis(config, db, logger, "commands");
    bus = await createBus(redis, logger);
    limiter = redis ? new RedisRateLimiter(redis, clock, logger) : new MemoryRateLimiter(clock);
    cacheStore = redis ? new RedisCacheStore(redis, logger) : new MemoryCacheStore(config.responseCacheMaxEntries);
    services = createServices({
      config,
      db,
      bus,
      clock,
      limiter,
      logger,
      metrics,
      cache: replicaPurger(cacheStore, db),
    });
    if (config.seedDemo) {
      const { articles } = await seedDemo(db, { onlyIfEmpty: true, logger, imageStorage: services.image.storage });
      if (articles > 0 && db.kind === "pglite") demoEditorToken = await createDemoEditor(db, services.auth);
    }
  } catch (error) {
    await bus?.close();
    await limiter?.close();
    await cacheStore?.close();
    redis?.close();
    await db.close();
    throw error;
  }

  const schema = await buildSchema();
  const responseCache = responseCachePlugin({
    store: cacheStore!,
    schema,
    metrics,
    logger,
    ttlSeconds: config.responseCacheTtlSeconds,
    enabled: config.responseCache,
    checks: [config.queryLimits, config.introspection, config.production],
  });
  if (cacheStore instanceof MemoryCacheStore && bus!.kind === "redis") {
    // Writes on other instances purge this instance's memory cache through the feed.
    services.feedDispatcher.listen({
      kinds: new Set(Object.values(FeedEventKind)),
      deliver: (e) => void replicaPurger(cacheStore!, db).purge(purgeTagsFor(e)),
    });
  }
  const httpServer = createHttpServer();
  httpServer.keepAliveTimeout = config.keepAliveTimeoutMs;
  // Above the keep-alive timeout, as Node's documentation asks, so a kept-alive connection's next
  // request is never cut by the headers timer.
  httpServer.headersTimeout = config.keepAliveTimeoutMs + 1_000;
  // Registered before the request handler: shutdown drains HTTP itself (src/http/drain.ts), not Apollo.
  const httpDrain = trackHttpConnections(httpServer);
  const pipeline = createRequestPipeline(schema, config, {
    logger,
    countError: (code) => metrics.errors.inc({ code }),
  });
  const apollo = new ApolloServer<Context>({
    schema,
    ...apolloOptions(pipeline),
    includeStacktraceInErrorResponses: false,
    // CSRF prevention is done in http-handler.ts (JSON-only POST, queries-only GET), in a way that
    // keeps plain GraphQL-over-HTTP GET requests working; Apollo's check would demand extra headers on GET.
    csrfPrevention: false,
    allowBatchedHttpRequests: false,
    // main.ts owns shutdown (SIGTERM drains HTTP and closes sockets with 1001); Apollo must not race it.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      responseCache,
      pipelinePlugin(pipeline),
      ...(db.replicas ? [readRoutingPlugin(db.replicas, logger)] : []),
    ],
  });

  const ready = async () => {
    const checks: Record<string, string> = {};
    let ok = true;
    try {
      // A frozen database must not freeze the probe: answer within 2 s either way.
      await Promise.race([
        db.query("SELECT 1"),
        new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 2000).unref()),
      ]);
      checks.database = "up";
    } catch {
      checks.database = "down";
      ok = false;
    }
    // Without Redis the instance still serves everything (local limits, no shared cache, the feed
    // polls the database): failing readiness would take every instance out at once. Report it only.
    if (config.redisUrl) checks.redis = redisHealthy() ? "up" : "degraded";
    // Likewise a read replica that is down: its reads go to the primary. Named, so the operator knows which.
    const replicasDown = db.replicas?.down();
    if (replicasDown) checks.readReplicas = replicasDown.length ? "degraded" : "up";
    if (replicasDown?.length) checks.readReplicasDown = replicasDown.join(", ");
    return { ok, checks };
  };
  const { handler, metricsHandler } = createHttpHandler({
    apollo,
    services,
    config,
    logger,
    metrics,
    pipeline,
    responseCache,
    awaitsOwnWrite: db.replicas ? (ip) => db.replicas!.awaitsOwnWrite(ip) : undefined,
    ready,
  });
  httpServer.on("request", (req, res) => void handler(req, res));
  const metricsServer = config.metricsPort === undefined ? undefined : createHttpServer();
  metricsServer?.on("request", (req, res) => void metricsHandler(req, res));
  const webSocket = attachWebSocket(httpServer, pipeline, services, config, logger);
  late.webSocket = webSocket;

  let url = "";
  let metricsUrl: string | undefined;
  const listen = async (server: typeof httpServer, port: number, host: string) => {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
    const shown = host === "0.0.0.0" || host === "::" ? "localhost" : host;
    return `http://${shown}:${(server.address() as AddressInfo).port}`;
  };
  return {
    get url() {
      return url;
    },
    get metricsUrl() {
      return metricsUrl;
    },
    config,
    db,
    services,
    logger,
    metrics,
    redisNamespace: redis?.settings.namespace,
    demoEditorToken,
    get openSockets() {
      return webSocket.openSockets;
    },
    async start() {
      await apollo.start();
      await services.feedDispatcher.start();
      services.scheduler.start();
      services.webhookWorker.start();
      url = `${await listen(httpServer, config.port, config.host)}/graphql`;
      if (metricsServer) metricsUrl = `${await listen(metricsServer, config.metricsPort!, config.metricsHost)}/metrics`;
    },
    async stop() {
      // Answers from here on close their connection; HTTP stops accepting below, once the sockets are closed.
      httpDrain.closeAfterAnswers();
      services.scheduler.stop();
      await services.webhookWorker.stop();
      await webSocket.close();
      await services.feedDispatcher.stop();
      // Stops accepting; requests already being read finish and are answered (Connection: close).
      await httpDrain.drain(config.shutdownGraceMs);
      await apollo.stop();
      if (metricsServer?.listening) await new Promise<void>((resolve) => metricsServer.close(() => resolve()));
      await bus!.close();
      await limiter!.close();
      await cacheStore!.close();
      redis?.close();
      services.image.storage.close();
      await db.close();
    },
  };
}

/**
 * With read replicas, every purge is made twice: at once (after the commit, as
 * always) and again once the replicas have replayed the write, which removes
 * anything a lagging replica answered with pre-write data in between.
 */
function replicaPurger(store: Purger, db: Database): Purger {
  const replicas = db.replicas;
  if (!replicas) return store;
  return {
    async purge(tags) {
      await store.purge(tags);
      // Awaited (one small statement on the primary): the writer's read-your-writes pin, set as the
      // mutation answers, is then never released before this second purge has run.
      await replicas
        .afterReplay(() => store.purge(tags))
        .catch((error) => {
          db.logger.error({ err: error }, "could not read the primary's position for the second purge");
        });
    },
  };
}

/** First start in embedded demo mode: an editor to try mutations with, and its token (shown once). */
