import Redis from "ioredis";
import type { Logger } from "pino";
import { Bus, BusMessage, Topic } from "./bus";

/**
 * Several instances: Redis pub/sub. ioredis reconnects by itself; each
 * reconnect fires onReconnect so that listeners re-read the event log for
 * whatever was published while the link was down.
 */
export class RedisBus implements Bus {
  readonly kind = "redis" as const;
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly handlers = new Map<string, Set<(message: BusMessage) => void>>();
  private readonly reconnectHandlers: (() => void)[] = [];
  private ready = false;

  constructor(
    url: string,
    private readonly logger: Logger,
  ) {
    const options = {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      retryStrategy: (times: number) => Math.min(times * 200, 2000),
    };
    this.pub = new Redis(url, options);
    this.sub = new Redis(url, { ...options, enableOfflineQueue: true, maxRetriesPerRequest: null });
    for (const client of [this.pub, this.sub])
      client.on("error", (err) => this.logger.warn({ err: err.message }, "redis"));
    let connectedBefore = false;
    this.sub.on("ready", () => {
      this.ready = true;
      if (connectedBefore) {
        this.logger.info("redis bus reconnected");
        for (const h of this.reconnectHandlers) h();
      }
      connectedBefore = true;
    });
    this.sub.on("close", () => {
      this.ready = false;
    });
    this.sub.on("message", (channel: string, raw: string) => {
      let message: BusMessage;
      try {
        message = JSON.parse(raw) as BusMessage;
      } catch {
        return;
      }
      for (const h of this.handlers.get(channel) ?? []) h(message);
    });
  }

  async publish(topic: Topic, message: BusMessage): Promise<void> {
    await this.pub.publish(topic, JSON.stringify(message));
  }

  subscribe(topic: Topic, handler: (message: BusMessage) => void): () => void {
    let set = this.handlers.get(topic);
    if (!set) {
      set = new Set();
      this.handlers.set(topic, set);
      // ioredis re-subscribes its channels on reconnect by itself.
      this.sub.subscribe(topic).catch((err) => this.logger.warn({ err: err.message }, "redis subscribe failed"));
    }
    set.add(handler);
    return () => set!.delete(handler);
  }

  onReconnect(handler: () => void): void {
    this.reconnectHandlers.push(handler);
  }

  healthy(): boolean {
    return this.ready && this.pub.status === "ready";
  }

  /** Resolves once both connections are up (or rejects after timeoutMs). */
  async waitUntilReady(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(this.ready && this.pub.status === "ready")) {
      if (Date.now() > deadline) throw new Error("redis did not become ready");
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async close(): Promise<void> {
    this.pub.disconnect();
    this.sub.disconnect();
  }
}
