/**
 * The feed stream's states against a fake source: what a subscriber receives
 * when live events arrive before, during and after the log's end is read and
 * the past is replayed. The expected sequence is worked out here from the
 * scripted events, not by the stream's own position code.
 */
import fc from "fast-check";
import type { LoadedEvent } from "../../src/modules/feed/feed-dispatcher";
import { FeedEventKind } from "../../src/db/outbox";
import type { Position } from "../../src/modules/feed/feed-position";
import type { FeedSource, FeedStreamState } from "../../src/modules/feed/feed-stream";
import { FeedStream } from "../../src/modules/feed/feed-stream";

const KIND = FeedEventKind.COMMENT_PUBLIC;
const event = (id: number): LoadedEvent =>
  ({ position: { id: BigInt(id) }, kind: KIND, articleId: 1, commentId: id }) as unknown as LoadedEvent;

/** A fake feed: a log of ids, a listener slot, and hooks to act in the middle of reading the end or replaying. */
class FakeSource implements FeedSource<number> {
  listener: ((e: LoadedEvent) => void) | undefined;
  unlistened = 0;
  whileReadingEnd: () => void = () => undefined;
  whileReplaying: () => void = () => undefined;
  failReplay = false;
  constructor(public log: number[]) {}

  listen(l: { deliver(event: LoadedEvent): void }) {
    this.listener = (e) => l.deliver(e);
    return () => {
      this.unlistened++;
      this.listener = undefined;
    };
  }
  /** A write commits: appended to the log and handed to the listener (as the dispatcher would). */
  commit(id: number) {
    this.log.push(id);
    this.listener?.(event(id));
  }
  async end(): Promise<Position> {
    const end = Math.max(0, ...this.log);
    this.whileReadingEnd();
    return { id: BigInt(end) };
  }
  async replay(since: Position, upTo: Position, push: (d: number) => void, stopped: () => boolean) {
    const past = this.log.filter((id) => BigInt(id) > since.id && BigInt(id) <= upTo.id).sort((a, b) => a - b);
    for (const [i, id] of past.entries()) {
      if (stopped()) return;
      if (i === Math.floor(past.length / 2)) this.whileReplaying();
      await Promise.resolve();
      push(id);
    }
    if (this.failReplay) throw new Error("replay failed");
  }
}

async function take(iterator: AsyncIterableIterator<number>, n: number): Promise<number[]> {
  const out: number[] = [];
  while (out.length < n) {
    const r = await iterator.next();
    if (r.done) break;
    out.push(r.value);
  }
  return out;
}

const open = (source: FakeSource, since: number | null, states: FeedStreamState[] = []) =>
  FeedStream.open(source, {
    kinds: new Set([KIND]),
    since: since === null ? null : { id: BigInt(since) },
    live: (e) => Number(e.position.id),
    onState: (s) => states.push(s),
  });

test("without since: only events committed after the end was read, in order; opening -> live", async () => {
  const source = new FakeSource([1, 2, 3]);
  // Committed while the end is being read, after the end was taken: live, held until the stream is.
  source.whileReadingEnd = () => source.commit(4);
  const states: FeedStreamState[] = [];
  const stream = await open(source, null, states);
  source.commit(5);
  source.commit(6);
  expect(await take(stream.iterator, 3)).toEqual([4, 5, 6]);
  expect(states).toEqual(["opening", "live"]);
});

test("with since: the past, then what arrived meanwhile, then live; no gap, no duplicate", async () => {
  const source = new FakeSource([1, 2, 3, 4, 5, 6]);
  source.whileReadingEnd = () => source.commit(7);
  source.whileReplaying = () => source.commit(8);
  const states: FeedStreamState[] = [];
  const stream = await open(source, 2, states);
  expect(await take(stream.iterator, 6)).toEqual([3, 4, 5, 6, 7, 8]);
  source.commit(9);
  expect(await take(stream.iterator, 1)).toEqual([9]);
  expect(states).toEqual(["opening", "replaying", "live"]);
});

test("a cursor past the end read (another instance saw further) replays nothing twice", async () => {
  const source = new FakeSource([1, 2, 3]);
  const stream = await open(source, 5);
  source.commit(4); // below the cursor: the client has it already
  source.commit(6);
  expect(await take(stream.iterator, 1)).toEqual([6]);
});

test("closing unlistens once, in any state, and a closed stream receives nothing", async () => {
  const source = new FakeSource([1, 2, 3]);
  const states: FeedStreamState[] = [];
  const stream = await open(source, 1, states);
  await stream.iterator.return!();
  await stream.iterator.return!();
  source.commit(4);
  expect(source.unlistened).toBe(1);
  expect(stream.state).toBe("closed");
  expect(await stream.iterator.next()).toEqual({ value: undefined, done: true });
});

test("a failed replay delivers what it sent, then the error, and closes", async () => {
  const source = new FakeSource([1, 2, 3, 4]);
  source.failReplay = true;
  const stream = await open(source, 1);
  expect(await take(stream.iterator, 3)).toEqual([2, 3, 4]);
  await expect(stream.iterator.next()).rejects.toThrow("replay failed");
  expect(source.unlistened).toBe(1);
});

test("a failed read of the end rejects the open and unlistens", async () => {
  const source = new FakeSource([1]);
  source.end = () => Promise.reject(new Error("database down"));
  await expect(open(source, null)).rejects.toThrow("database down");
  expect(source.unlistened).toBe(1);
});

test("property: any interleaving of commits with opening and replaying yields exactly the ids after since, in order", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: 30 }),
      fc.integer({ min: 0, max: 40 }),
      fc.nat(5),
      fc.nat(5),
      fc.nat(5),
      async (past, since, duringEnd, duringReplay, after) => {
        const source = new FakeSource(Array.from({ length: past }, (_, i) => i + 1));
        let next = past + 1;
        source.whileReadingEnd = () => {
          for (let i = 0; i < duringEnd; i++) source.commit(next++);
        };
        source.whileReplaying = () => {
          for (let i = 0; i < duringReplay; i++) source.commit(next++);
        };
        const stream = await open(source, since === 0 ? null : since);
        for (let i = 0; i < after; i++) source.commit(next++);
        const all = Array.from({ length: next - 1 }, (_, i) => i + 1);
        // Without since: everything committed after the end was read. With since: everything after it.
        const expected = since === 0 ? all.filter((id) => id > past) : all.filter((id) => id > since);
        expect(await take(stream.iterator, expected.length)).toEqual(expected);
        await stream.iterator.return!();
      },
    ),
    { numRuns: 500 },
  );
});

/** Lets every pending promise callback run (the replay's steps, its completion). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

test("a live event at or below the floor (the bus repeating what the end read includes) is not sent", async () => {
  const source = new FakeSource([1, 2, 3]);
  const stream = await open(source, null);
  source.listener!(event(3)); // the end read saw 3: it is the past
  source.listener!(event(2));
  source.commit(4);
  expect(await take(stream.iterator, 1)).toEqual([4]);
});

test("an event delivered while the end is read, and included in it, is the past: held, then dropped", async () => {
  // The end read sees 4, which the bus also delivers while the read is in flight.
  for (const since of [null, 2]) {
    const source = new FakeSource([1, 2, 3]);
    source.end = async () => {
      source.commit(4);
      return { id: 4n };
    };
    const stream = await open(source, since);
    source.commit(5);
    // Without since the past is not sent; with since it is replayed once, not again from the held events.
    expect(await take(stream.iterator, since === null ? 1 : 3)).toEqual(since === null ? [5] : [3, 4, 5]);
  }
});

test("a subscriber's filter: live events it does not receive are skipped, held or live", async () => {
  const source = new FakeSource([1, 2]);
  source.whileReadingEnd = () => {
    source.commit(3);
    source.commit(4);
  };
  const stream = await FeedStream.open(source, {
    kinds: new Set([KIND]),
    since: null,
    live: (e) => (e.position.id % 2n === 0n ? Number(e.position.id) : null),
  });
  source.commit(5);
  source.commit(6);
  expect(await take(stream.iterator, 2)).toEqual([4, 6]);
});

test("sent() is told of each delivery, replayed or live", async () => {
  const source = new FakeSource([1, 2, 3]);
  source.whileReplaying = () => source.commit(4);
  const sent: boolean[] = [];
  const stream = await FeedStream.open(source, {
    kinds: new Set([KIND]),
    since: { id: 1n },
    live: (e) => Number(e.position.id),
    sent: (replayed) => sent.push(replayed),
  });
  expect(await take(stream.iterator, 3)).toEqual([2, 3, 4]);
  source.commit(5);
  expect(await take(stream.iterator, 1)).toEqual([5]);
  expect(sent).toEqual([true, true, false, false]);
});

test("the stream listens for its spec's kinds", async () => {
  const source = new FakeSource([]);
  let kinds: ReadonlySet<FeedEventKind> | undefined;
  const listen = source.listen.bind(source);
  source.listen = (l: { kinds: ReadonlySet<FeedEventKind>; deliver(event: LoadedEvent): void }) => {
    kinds = l.kinds;
    return listen(l);
  };
  const wanted = new Set([FeedEventKind.COMMENT_PUBLIC]);
  await FeedStream.open(source, { kinds: wanted, since: null, live: () => 1 });
  expect(kinds).toBe(wanted);
});

test("without onState or sent, a stream still runs through its states", async () => {
  const source = new FakeSource([1, 2]);
  const stream = await FeedStream.open(source, {
    kinds: new Set([KIND]),
    since: { id: 0n },
    live: (e) => Number(e.position.id),
  });
  expect(await take(stream.iterator, 2)).toEqual([1, 2]);
  await settle();
  expect(stream.state).toBe("live");
  await stream.iterator.return!();
  expect(stream.state).toBe("closed");
});

test("a client that leaves during the replay: the replay stops reading, nothing more is sent, and it never goes live", async () => {
  const pushedAfterClose: number[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const source = new FakeSource([1, 2, 3, 4]);
  source.replay = async (_since, _upTo, push, stopped) => {
    await gate;
    for (const id of [2, 3, 4]) {
      if (stopped()) return;
      pushedAfterClose.push(id);
      push(id);
    }
  };
  const states: FeedStreamState[] = [];
  const sent: boolean[] = [];
  const stream = await FeedStream.open(source, {
    kinds: new Set([KIND]),
    since: { id: 1n },
    live: (e) => Number(e.position.id),
    onState: (s) => states.push(s),
    sent: (replayed) => sent.push(replayed),
  });
  expect(stream.state).toBe("replaying");
  await stream.iterator.return!();
  release();
  await settle();
  expect(pushedAfterClose).toEqual([]);
  expect(sent).toEqual([]);
  expect(states).toEqual(["opening", "replaying", "closed"]);
  expect(source.unlistened).toBe(1);
});

test("a replay that pushes after the client left sends nothing, and is not counted as sent", async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const source = new FakeSource([1, 2]);
  source.replay = async (_since, _upTo, push) => {
    await gate;
    push(2); // ignores stopped()
  };
  const sent: boolean[] = [];
  const stream = await FeedStream.open(source, {
    kinds: new Set([KIND]),
    since: { id: 1n },
    live: (e) => Number(e.position.id),
    sent: (replayed) => sent.push(replayed),
  });
  await stream.iterator.return!();
  release();
  await settle();
  expect(sent).toEqual([]);
  expect(await stream.iterator.next()).toEqual({ value: undefined, done: true });
});

test("a closed stream does no work for an event still in flight from the source", async () => {
  const source = new FakeSource([1]);
  let deliver!: (e: LoadedEvent) => void;
  source.listen = (l) => {
    deliver = (e) => l.deliver(e);
    return () => source.unlistened++;
  };
  const looked: number[] = [];
  const stream = await FeedStream.open(source, {
    kinds: new Set([KIND]),
    since: null,
    live: (e) => {
      looked.push(Number(e.position.id));
      return Number(e.position.id);
    },
  });
  deliver(event(2));
  expect(await take(stream.iterator, 1)).toEqual([2]);
  await stream.iterator.return!();
  deliver(event(3));
  expect(looked).toEqual([2]);
  expect(await stream.iterator.next()).toEqual({ value: undefined, done: true });
});

test("the replay is asked for (since, floor]: the floor is the end read, or since when that is further", async () => {
  for (const [since, end, floor] of [
    [2n, 5n, 5n],
    [7n, 5n, 7n],
  ] as const) {
    const source = new FakeSource([]);
    source.end = async () => ({ id: end });
    const asked: [bigint, bigint][] = [];
    source.replay = async (s, upTo) => void asked.push([s.id, upTo.id]);
    await FeedStream.open(source, { kinds: new Set([KIND]), since: { id: since }, live: () => 1 });
    expect(asked).toEqual([[since, floor]]);
  }
});

test("a stream that ends while the end is read (its filter refused a live event) neither replays nor goes live", async () => {
  const source = new FakeSource([1, 2, 3]);
  let replays = 0;
  source.replay = async () => {
    replays++;
  };
  source.whileReadingEnd = () => source.commit(4);
  const states: FeedStreamState[] = [];
  const stream = await FeedStream.open(source, {
    kinds: new Set([KIND]),
    since: { id: 1n },
    live: () => {
      throw new Error("no longer yours");
    },
    onState: (s) => states.push(s),
  });
  await settle();
  expect(replays).toBe(0);
  expect(stream.state).toBe("closed");
  expect(states).toEqual(["opening", "closed"]);
  expect(source.unlistened).toBe(1);
  await expect(stream.iterator.next()).rejects.toThrow("no longer yours");
});
