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
