import { existsSync } from "node:fs";
import type { QueryLimits } from "../shared/query-limits";
import { DEFAULT_LIMITS } from "../shared/query-limits";
import type { Env } from "./env";
import { ConfigError, bool, int, list, oneOf } from "./env";
import type { ImageConfig, PreviewConfig, SyndicationConfig, WebhookSettings } from "./newsroom";
import { imageConfig, previewConfig, syndication, webhookSettings } from "./newsroom";

export { ConfigError } from "./env";
export type { ImageConfig, PreviewConfig, SyndicationConfig, WebhookSettings } from "./newsroom";

/**
 * The only reader of process.env. Everything a user can configure is parsed and
 * validated here once; the rest of the code receives a typed, frozen Config.
 */
export type CommentModeration = "post" | "pre";

export interface Config {
  /** production hides error details and field suggestions. */
  readonly production: boolean;
  readonly host: string;
  readonly port: number;
  /**
   * When set, /metrics (unauthenticated) is served only by a second listener on this port (0: any
   * free port), and not on `port`: keep it off the public load balancer.
   */
  readonly metricsPort: number | undefined;
  /** The address of the metrics listener (default: `host`). */
  readonly metricsHost: string;
  /** PostgreSQL connection string; when absent an embedded PGlite database under dataDir is used. */
  readonly databaseUrl: string | undefined;
  /**
   * Read replicas (DATABASE_READ_URL, comma-separated; PostgreSQL only, with DATABASE_URL): anonymous
   * queries read from one of them, everything else from the primary (src/db/read-replicas.ts).
   */
  readonly databaseReadUrls: readonly string[];
  /** How often each replica is probed (and its replay position read), in ms. */
  readonly databaseReadProbeMs: number;
  /** Bound on every probe; a replica that does not answer in time is marked down. */
  readonly databaseReadProbeTimeoutMs: number;
  /** Where the embedded database lives; "memory://" keeps it in memory only. */
  readonly dataDir: string;
  /** Fill an empty database with demo content on start. */
  readonly seedDemo: boolean;
  readonly redisUrl: string | undefined;
  /** Bound on every Redis call; past it the call fails and its fallback (local limits, no cache, polling) is used. */
  readonly redisTimeoutMs: number;
  /** Put before every Redis key and channel, ahead of the database's own deployment id. */
  readonly redisPrefix: string;
  readonly dbPoolSize: number;
  /** Reads run as named prepared statements on PostgreSQL (off behind PgBouncer in transaction mode). */
  readonly dbPreparedStatements: boolean;
  /** Server-side cap on any SQL statement, so no request hangs on a sick database. */
  readonly statementTimeoutMs: number;
  readonly logLevel: string;
  readonly commentModeration: CommentModeration;
  readonly commentRateLimit: number;
  readonly commentRateWindowSeconds: number;
  readonly bannedWords: readonly string[];
  /** How often the scheduler looks for SCHEDULED articles that are due, in ms; 0 disables the loop. */
  readonly schedulerIntervalMs: number;
  /** How often the live feed re-reads the event log even without a hint from the bus, in ms. */
  readonly feedPollMs: number;
  /** Feed events older than this are deleted (hourly); a `since` cursor older than that is refused. */
  readonly feedRetentionHours: number;
  /** Largest incoming WebSocket frame; a larger one closes the socket with 1009. */
  readonly wsMaxPayloadBytes: number;
  /** A socket whose unsent data exceeds this is a slow consumer and is closed (1013); others keep flowing. */
  readonly wsMaxBufferedBytes: number;
  /** Ping interval; a peer that misses a pong is dropped. */
  readonly wsKeepAliveMs: number;
  /** Time a client has to send connection_init before the socket closes with 4408. */
  readonly wsInitTimeoutMs: number;
  /**
   * How often open sockets' tokens are checked again (the bound on how long a revoked token keeps
   * a socket open when the revocation's bus message is lost, or it was revoked outside the service).
   */
  readonly wsTokenRecheckMs: number;
  /** Operations in progress on one socket (subscriptions included); one more is refused with RATE_LIMITED. */
  readonly wsMaxSubscriptionsPerSocket: number;
  /** Open sockets per client address (see trustProxy); one more is closed with 4429. */
  readonly wsMaxSocketsPerAddress: number;
  readonly introspection: boolean;
  /** Cache anonymous query responses (memory, or Redis with REDIS_URL). */
  readonly responseCache: boolean;
  /** Benchmark-only: false resolves every relation one row at a time (the N+1 baseline). */
  readonly dataloaders: boolean;
  readonly responseCacheTtlSeconds: number;
  readonly responseCacheMaxEntries: number;
  /** Limits on what one operation may cost, on HTTP and WebSocket alike. */
  readonly queryLimits: QueryLimits;
  readonly maxBodyBytes: number;
  /** Larger limit for requests that carry an Authorization header (article bodies run to 200,000 characters). */
  readonly maxBodyBytesAuthenticated: number;
  /** Origins whose pages may call /graphql from a browser (the widget on a newsroom's site): "*" or a list. */
  readonly corsOrigins: "*" | readonly string[];
  /** Behind a load balancer: take the client address from X-Forwarded-For (for rate limits). */
  readonly trustProxy: boolean;
  /** Grace period for in-flight requests on SIGTERM. */
  readonly shutdownGraceMs: number;
  /**
   * How long an idle kept-alive HTTP connection stays open. Longer than the client's or load
   * balancer's idle timeout (60 s on AWS ALB), so it is the client that closes an idle connection:
   * a server that closes first can race a request the client is sending on it (the client sees a
   * reset; Node's default of 5 s is the usual cause of a load balancer's sporadic 502s).
   */
  readonly keepAliveTimeoutMs: number;
  /** Feeds, sitemaps and SEO fields (src/modules/syndication). */
  readonly syndication: SyndicationConfig;
  /** Draft previews (src/modules/preview). */
  readonly preview: PreviewConfig;
  /** Uploaded images and their renditions (README: Images). */
  readonly images: ImageConfig;
  /** Webhook delivery (src/modules/webhook); see README "Webhooks". */
  readonly webhooks: WebhookSettings;
}

/** Letters, digits and `:_.-` only: the prefix is also a literal in SCAN patterns. */
function redisPrefix(env: Env): string {
  const raw = env.REDIS_PREFIX;
  if (raw === undefined || raw === "") return "newsgraph:";
  if (!/^[A-Za-z0-9:_.-]{1,64}$/.test(raw)) {
    throw new ConfigError(`REDIS_PREFIX may hold up to 64 letters, digits and ":_.-", got "${raw}"`);
  }
  return raw;
}

/** DATABASE_READ_URL: postgres:// URLs, comma-separated; only next to DATABASE_URL (PGlite has no replicas). */
function readUrls(env: Env, databaseUrl: string | undefined): string[] {
  const urls = (env.DATABASE_READ_URL ?? "")
    .split(",")
    .map((u) => u.trim())
    .filter(Boolean);
  if (urls.length && !databaseUrl) {
    throw new ConfigError("DATABASE_READ_URL needs DATABASE_URL (the embedded database has no replicas)");
  }
  urls.forEach((u, i) => {
    let ok = false;
    try {
      const url = new URL(u);
      ok = (url.protocol === "postgres:" || url.protocol === "postgresql:") && url.hostname !== "";
    } catch {
      ok = false;
    }
    // The value may hold a password: name its position, never repeat it.
    if (!ok) throw new ConfigError(`DATABASE_READ_URL entry ${i + 1} is not a postgres:// URL with a host`);
  });
  return urls;
}

/** Parses configuration from an environment map (process.env by default). */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const production = env.NODE_ENV === "production";
  const databaseUrl = env.DATABASE_URL || undefined;
  const config: Config = {
    production,
    host: env.HOST || "0.0.0.0",
    port: int(env, "PORT", 4000, 0, 65535),
    metricsPort: env.METRICS_PORT ? int(env, "METRICS_PORT", 0, 0, 65535) : undefined,
    metricsHost: env.METRICS_HOST || env.HOST || "0.0.0.0",
    databaseUrl,
    databaseReadUrls: readUrls(env, databaseUrl),
    databaseReadProbeMs: int(env, "DATABASE_READ_PROBE_MS", 1000, 50, 600_000),
    databaseReadProbeTimeoutMs: int(env, "DATABASE_READ_PROBE_TIMEOUT_MS", 1000, 10, 60_000),
    dataDir: env.DATA_DIR || "./data",
    seedDemo: bool(env, "SEED_DEMO", databaseUrl === undefined),
    redisUrl: env.REDIS_URL || undefined,
    redisTimeoutMs: int(env, "REDIS_TIMEOUT_MS", 500, 10, 60_000),
    redisPrefix: redisPrefix(env),
    dbPoolSize: int(env, "DB_POOL_SIZE", 10, 1, 1000),
    dbPreparedStatements: bool(env, "DB_PREPARED_STATEMENTS", true),
    statementTimeoutMs: int(env, "DB_STATEMENT_TIMEOUT_MS", 5000, 0),
    logLevel: oneOf(env, "LOG_LEVEL", ["fatal", "error", "warn", "info", "debug", "trace", "silent"], "info"),
    commentModeration: oneOf(env, "COMMENT_MODERATION", ["post", "pre"] as const, "post"),
    commentRateLimit: int(env, "COMMENT_RATE_LIMIT", 5, 1),
    commentRateWindowSeconds: int(env, "COMMENT_RATE_WINDOW_SECONDS", 60, 1),
    bannedWords: list(env, "COMMENT_BANNED_WORDS"),
    schedulerIntervalMs: int(env, "SCHEDULER_INTERVAL_MS", 5000, 0),
    feedPollMs: int(env, "FEED_POLL_MS", 1000, 0),
    feedRetentionHours: int(env, "FEED_RETENTION_HOURS", 168, 1),
    wsMaxPayloadBytes: int(env, "WS_MAX_PAYLOAD_BYTES", 64 * 1024, 1024),
    wsMaxBufferedBytes: int(env, "WS_MAX_BUFFERED_BYTES", 1024 * 1024, 1024),
    wsKeepAliveMs: int(env, "WS_KEEPALIVE_MS", 12_000, 0),
    wsInitTimeoutMs: int(env, "WS_INIT_TIMEOUT_MS", 3_000, 100),
    wsTokenRecheckMs: int(env, "WS_TOKEN_RECHECK_MS", 5_000, 100),
    wsMaxSubscriptionsPerSocket: int(env, "WS_MAX_SUBSCRIPTIONS_PER_SOCKET", 100, 1),
    wsMaxSocketsPerAddress: int(env, "WS_MAX_SOCKETS_PER_ADDRESS", 50, 1),
    introspection: bool(env, "INTROSPECTION", true),
    responseCache: bool(env, "RESPONSE_CACHE", true),
    dataloaders: bool(env, "BENCH_DATALOADERS", true),
    responseCacheTtlSeconds: int(env, "RESPONSE_CACHE_TTL_SECONDS", 300, 1),
    responseCacheMaxEntries: int(env, "RESPONSE_CACHE_MAX_ENTRIES", 10_000, 1),
    queryLimits: {
      maxLength: int(env, "QUERY_MAX_LENGTH", DEFAULT_LIMITS.maxLength, 100),
      maxTokens: int(env, "QUERY_MAX_TOKENS", DEFAULT_LIMITS.maxTokens, 10),
      maxDepth: int(env, "QUERY_MAX_DEPTH", DEFAULT_LIMITS.maxDepth, 1),
      maxComplexity: int(env, "QUERY_MAX_COMPLEXITY", DEFAULT_LIMITS.maxComplexity, 1),
      maxAliases: int(env, "QUERY_MAX_ALIASES", DEFAULT_LIMITS.maxAliases, 0),
      maxDirectives: int(env, "QUERY_MAX_DIRECTIVES", DEFAULT_LIMITS.maxDirectives, 0),
      maxSelections: int(env, "QUERY_MAX_SELECTIONS", DEFAULT_LIMITS.maxSelections, 1),
      maxFragmentSpreads: int(env, "QUERY_MAX_FRAGMENT_SPREADS", DEFAULT_LIMITS.maxFragmentSpreads, 0),
    },
    maxBodyBytes: int(env, "MAX_BODY_BYTES", 100 * 1024, 1024),
    maxBodyBytesAuthenticated: int(env, "MAX_BODY_BYTES_AUTHENTICATED", 1024 * 1024, 1024),
    trustProxy: bool(env, "TRUST_PROXY", false),
    corsOrigins: !env.CORS_ORIGINS || env.CORS_ORIGINS.trim() === "*" ? "*" : list(env, "CORS_ORIGINS"),
    shutdownGraceMs: int(env, "SHUTDOWN_GRACE_MS", 10_000, 0),
    keepAliveTimeoutMs: int(env, "HTTP_KEEP_ALIVE_TIMEOUT_MS", 65_000, 1_000),
    syndication: syndication(env),
    preview: previewConfig(env),
    images: imageConfig(env),
    webhooks: webhookSettings(env),
    ...overrides,
  };
  return Object.freeze(config);
}

/**
 * Loads `.env` from the working directory into process.env, if there is one
 * (Node's own parser): the environment wins over the file. The entry points
 * (server and CLI) call it before loadConfig; tests pass their config in.
 */
export function loadDotEnv(file = ".env"): boolean {
  if (!existsSync(file)) return false;
  process.loadEnvFile(file);
  return true;
}
