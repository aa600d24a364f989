import type { FeedEventKind } from "../../db/outbox";
import { PushQueue } from "../../shared/push-queue";
import type { LoadedEvent } from "./feed-dispatcher";
import type { Position } from "./feed-position";
import { compare, max } from "./feed-position";

/**
 * One subscriber's stream of the feed, as an explicit state machine:
 *
 *   opening ──(log end read)──> replaying ──(past sent)──> live ──> closed
 *      │                 └──────(no `since`)──────────────┘  ^
 *      └──────────────(client leaves, or an error)───────────┘
 *
 * The invariant that makes the seam gap-free: the stream LISTENS first, then
 * reads where the log ends (the floor). Every event after the floor reaches
 * the listener live; everything up to it is the past, replayed from the log
 * when `since` asks for it. Live events that arrive before the past has been
 * sent wait in `held`, and any of them at or below the floor is dropped (the
 * replay already has it), so nothing is missed and nothing is sent twice.
 */
export type FeedStreamState = "opening" | "replaying" | "live" | "closed";

/** What the stream needs of the feed: listening to live events, the log's end, and the log's past. */
export interface FeedSource<D> {
  listen(listener: { kinds: ReadonlySet<FeedEventKind>; deliver(event: LoadedEvent): void }): () => void;
  /** Where the log ends now: every event after it will be delivered live. */
  end(): Promise<Position>;
  /** Pushes the past events in (since, upTo] this stream accepts, in log order, until `stopped()`. */
  replay(since: Position, upTo: Position, push: (delivery: D) => void, stopped: () => boolean): Promise<void>;
}

export interface FeedStreamSpec<D> {
  kinds: ReadonlySet<FeedEventKind>;
  since: Position | null;
  /** The delivery for a live event, or null when this subscriber does not receive it; throwing ends the stream. */
  live(event: LoadedEvent): D | null;
  /** Told of every state change (e.g. to count streams not yet live). */
  onState?(state: FeedStreamState): void;
  /** Told of every delivery handed to the client, replayed or live. */
  sent?(replayed: boolean): void;
}

export class FeedStream<D> {
  private current: FeedStreamState = "opening";
  private floor: Position | null = null;
  private held: { position: Position; delivery: D }[] = [];
  private readonly queue: PushQueue<D>;
  private readonly unlisten: () => void;

  private constructor(
    source: FeedSource<D>,
    private readonly spec: FeedStreamSpec<D>,
  ) {
    // Every way a stream ends goes through the queue (return, or fail), which then calls close() once.
    this.queue = new PushQueue<D>(() => this.close());
    this.unlisten = source.listen({ kinds: spec.kinds, deliver: (event) => this.onEvent(event) });
  }

  /**
   * Opens a stream: listening, then the log's end, then (with `since`) the
   * replay in the background. Resolves once the floor is known; a failure to
   * read it closes the stream and rejects.
   */
  static async open<D>(source: FeedSource<D>, spec: FeedStreamSpec<D>): Promise<FeedStream<D>> {
    const stream = new FeedStream(source, spec);
    spec.onState?.("opening");
    try {
      const end = await source.end();
      stream.floor = spec.since ? max(spec.since, end) : end;
    } catch (error) {
      void stream.queue.return();
      throw error;
    }
    if (stream.current === "closed") return stream;
    if (spec.since) {
      stream.enter("replaying");
      source
        .replay(
          spec.since,
          stream.floor,
          (d) => stream.push(d, true),
          () => stream.current === "closed",
        )
        .then(
          () => stream.goLive(),
          (error) => stream.queue.fail(error),
        );
    } else stream.goLive();
    return stream;
  }

  get state(): FeedStreamState {
    return this.current;
  }

  /** What graphql-ws iterates: the deliveries, in order. */
  get iterator(): AsyncIterableIterator<D> {
    return this.queue;
  }

  private onEvent(event: LoadedEvent): void {
    if (this.current === "closed") return;
    if (this.floor !== null && compare(event.position, this.floor) <= 0) return;
    let delivery: D | null;
    try {
      delivery = this.spec.live(event);
    } catch (error) {
      // The subscriber may no longer receive this stream (e.g. its article was hidden): end it with the error.
      this.queue.fail(error);
      return;
    }
    if (delivery === null) return;
    if (this.current === "live") this.push(delivery, false);
    else this.held.push({ position: event.position, delivery });
  }

  private goLive(): void {
    if (this.current === "closed") return;
    this.enter("live");
    for (const { position, delivery } of this.held.splice(0)) {
      if (compare(position, this.floor!) > 0) this.push(delivery, false);
    }
  }

  private push(delivery: D, replayed: boolean): void {
    if (this.queue.closed) return;
    this.queue.push(delivery);
    this.spec.sent?.(replayed);
  }

  /** The queue's onClose: the client left, the socket closed, or the replay failed (after what it sent). */
  private close(): void {
    if (this.current === "closed") return;
    this.enter("closed");
    this.held = [];
    this.unlisten();
  }

  private enter(state: FeedStreamState): void {
    this.current = state;
    this.spec.onState?.(state);
  }
}
