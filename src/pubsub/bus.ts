/**
 * Topics that instances tell each other about. Messages are only hints ("look
 * at the event log", "look at this token"): what subscribers receive is always
 * read from the database, so a lost message delays an event but never loses it.
 */
export enum BusTopic {
  /** New rows in feed_events. */
  FEED_EVENTS = "newsgraph:FEED_EVENTS",
  /** An API token was revoked or changed role: open WebSockets that hold it check it again. */
  TOKEN_CHANGED = "newsgraph:TOKEN_CHANGED",
}

export interface BusMessage {
  /** The id of the newest feed event the sender wrote, for logs. */
  eventId?: string;
  /** TOKEN_CHANGED: the id of the token (never the token or its hash). */
  tokenId?: number;
}

/** Publish/subscribe between the instances of the service: in memory, or through Redis. */
export interface Bus {
  readonly kind: "memory" | "redis";
  publish(topic: BusTopic, message: BusMessage): Promise<void>;
  /** Returns the unsubscribe function. */
  subscribe(topic: BusTopic, handler: (message: BusMessage) => void): () => void;
  /** Called whenever the bus (re)connects, so listeners can catch up on what they may have missed. */
  onReconnect(handler: () => void): void;
  /** True while messages can flow. */
  healthy(): boolean;
  close(): Promise<void>;
}
