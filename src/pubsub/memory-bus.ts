import { EventEmitter } from "node:events";
import type { Bus, BusMessage, BusTopic } from "./bus";

/** One process: an event emitter. */
export class MemoryBus implements Bus {
  readonly kind = "memory" as const;
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  async publish(topic: BusTopic, message: BusMessage): Promise<void> {
    this.emitter.emit(topic, message);
  }

  subscribe(topic: BusTopic, handler: (message: BusMessage) => void): () => void {
    this.emitter.on(topic, handler);
    return () => this.emitter.off(topic, handler);
  }

  onReconnect(): void {}

  healthy(): boolean {
    return true;
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}
