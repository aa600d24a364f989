import type { Logger } from "pino";
import { RedisLink } from "../shared/redis-link";
import type { Bus, BusMessage, BusTopic } from "./bus";

/**
 * Several instances: Redis pub/sub, on channels inside the deployment's
 * namespace. Publishing goes through the shared command link (bounded, skipped
 * while Redis is degraded: messages are hints). The subscriber connection has
 * a heartbeat of its own, so a stalled one is noticed too: while either link
 * is degraded the bus is unhealthy (the feed's FEED_POLL_MS timer still
 * reads the database), and each recovery fires onReconnect so that listeners
 * re-read the event log for whatever they may have missed.
 */
export class RedisBus implements Bus {
  readonly kind = "redis" as const;
  private readonly sub: RedisLink;
  private readonly handlers = new Map<string, Set<(message: BusMessage) => void>>();
  private readonly reconnectHandlers: (() => void)[] = [];

  constructor(
    private readonly pub: RedisLink,
    private readonly logger: Logger,
  ) {
    // No command timeout here: a SUBSCRIBE that timed out would be forgotten by ioredis's
    // re-subscription on reconnect. It waits (offline queue) instead; the heartbeat is bounded.
    this.sub = new RedisLink(pub.settings, logger, "subscriber", {
      commandTimeout: undefined,
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
    });
    let connectedBefore = false;
    this.sub.onRecovered(() => {
      if (connectedBefore) this.reconnected();
      connectedBefore = true;
    });
    // Hints published while the command link was degraded were skipped.
    let publishedBefore = pub.healthy();
    this.pub.onRecovered(() => {
      if (publishedBefore && this.sub.healthy()) this.reconnected();
      publishedBefore = true;
    });
    this.sub.client.on("message", (channel: string, raw: string) => {
      let message: BusMessage;
      try {
        message = JSON.parse(raw) as BusMessage;
      } catch {
        return;
      }
      for (const h of this.handlers.get(channel) ?? []) h(message);
    });
  }

  async publish(topic: BusTopic, message: BusMessage): Promise<void> {
    try {
      await this.pub.run((redis) => redis.publish(this.pub.key(topic), JSON.stringify(message)));
    } catch (error) {
      // Subscribers elsewhere poll while Redis is degraded, and catch up when it is back.
      this.logger.debug({ err: (error as Error).message, topic }, "bus publish skipped");
    }
  }

  subscribe(topic: BusTopic, handler: (message: BusMessage) => void): () => void {
    const channel = this.pub.key(topic);
    let set = this.handlers.get(channel);
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
      // ioredis re-subscribes its channels on reconnect by itself.
      this.sub.client
        .subscribe(channel)
        .catch((err) => this.logger.warn({ err: err.message }, "redis subscribe failed"));
    }
    set.add(handler);
    return () => set!.delete(handler);
  }

  private reconnected(): void {
    this.logger.info("redis bus reconnected");
    for (const h of this.reconnectHandlers) h();
  }

  onReconnect(handler: () => void): void {
    this.reconnectHandlers.push(handler);
  }

  healthy(): boolean {
    return this.sub.healthy() && this.pub.healthy();
  }

  /** Resolves once both connections are up (or rejects after timeoutMs). */
  async waitUntilReady(timeoutMs = 5000): Promise<void> {
    await Promise.all([this.pub.waitUntilHealthy(timeoutMs), this.sub.waitUntilHealthy(timeoutMs)]);
  }

  /** The command link belongs to the server (the cache and the rate limiter share it). */
  async close(): Promise<void> {
    this.sub.close();
  }
}
