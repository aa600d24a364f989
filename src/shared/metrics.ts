import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

const MAX_OPERATION_NAMES = 200;

/**
 * Prometheus metrics of one server (a registry of its own, so that several
 * servers in one process, as in tests, do not mix their figures).
 */
export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: "newsgraph_http_requests_total",
    help: "GraphQL HTTP requests by operation name and status",
    labelNames: ["operation", "status"] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: "newsgraph_http_request_duration_seconds",
    help: "GraphQL HTTP request latency by operation name",
    labelNames: ["operation"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: "newsgraph_graphql_errors_total",
    help: "GraphQL errors sent to clients, by extensions.code",
    labelNames: ["code"] as const,
    registers: [this.registry],
  });
  readonly eventsDelivered = new Counter({
    name: "newsgraph_feed_events_delivered_total",
    help: "Subscription events handed to subscribers (live and replayed)",
    labelNames: ["replayed"] as const,
    registers: [this.registry],
  });
  readonly cacheHits = new Counter({
    name: "newsgraph_cache_hits_total",
    help: "Anonymous read queries answered from the response cache",
    registers: [this.registry],
  });
  readonly cacheHitsBeforeParse = new Counter({
    name: "newsgraph_cache_hits_before_parse_total",
    help: "The cache hits answered from the raw request, before parsing and validation (part of newsgraph_cache_hits_total)",
    registers: [this.registry],
  });
  readonly cacheMisses = new Counter({
    name: "newsgraph_cache_misses_total",
    help: "Cacheable read queries that had to be executed",
    registers: [this.registry],
  });
  private readonly names = new Set<string>();

  constructor(probes: {
    openSockets: () => number;
    activeSubscriptions: () => number;
    pool: () => { total: number; idle: number; waiting: number };
    statements: () => number;
    /** With REDIS_URL: whether Redis answers (else the fallbacks serve). */
    redisUp?: () => boolean;
    /** With DATABASE_READ_URL: each read replica by name, and whether it serves reads. */
    replicasUp?: () => { name: string; up: boolean }[];
  }) {
    collectDefaultMetrics({ register: this.registry, prefix: "newsgraph_" });
    new Gauge({
      name: "newsgraph_websocket_connections",
      help: "Open WebSocket connections",
      registers: [this.registry],
      collect() {
        this.set(probes.openSockets());
      },
    });
    new Gauge({
      name: "newsgraph_subscriptions_active",
      help: "Active GraphQL subscriptions on this instance",
      registers: [this.registry],
      collect() {
        this.set(probes.activeSubscriptions());
      },
    });
    new Counter({
      name: "newsgraph_db_statements_total",
      help: "SQL statements sent to the database",
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(probes.statements());
      },
    });
    new Gauge({
      name: "newsgraph_db_pool_connections",
      help: "Database pool connections by state",
      labelNames: ["state"] as const,
      registers: [this.registry],
      collect() {
        const p = probes.pool();
        this.set({ state: "total" }, p.total);
        this.set({ state: "idle" }, p.idle);
        this.set({ state: "waiting" }, p.waiting);
      },
    });
    const redisUp = probes.redisUp;
    if (redisUp) {
      new Gauge({
        name: "newsgraph_redis_up",
        help: "1 while Redis answers; 0 while it is down or stalled and the instance runs on its fallbacks",
        registers: [this.registry],
        collect() {
          this.set(redisUp() ? 1 : 0);
        },
      });
    }
    const replicasUp = probes.replicasUp;
    if (replicasUp) {
      new Gauge({
        name: "newsgraph_db_replica_up",
        help: "1 while a read replica serves anonymous reads; 0 while it is down and its reads go to the primary",
        labelNames: ["replica"],
        registers: [this.registry],
        collect() {
          for (const r of replicasUp()) this.set({ replica: r.name }, r.up ? 1 : 0);
        },
      });
    }
  }

  /** A bounded label for a client-chosen operation name. */
  operationLabel(name: string | null | undefined): string {
    if (!name || !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) return "anonymous";
    if (this.names.has(name)) return name;
    if (this.names.size >= MAX_OPERATION_NAMES) return "other";
    this.names.add(name);
    return name;
  }
}
