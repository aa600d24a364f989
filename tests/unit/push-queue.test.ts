/** The async iterator every subscription hands to graphql-ws. */
import fc from "fast-check";
import { PushQueue } from "../../src/shared/push-queue";

test("values come out once each, in push order, whether pushed before or while a reader waits", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(fc.integer(), fc.boolean()), { maxLength: 50 }), async (script) => {
      const queue = new PushQueue<number>();
      const out: number[] = [];
      for (const [value, readFirst] of script) {
        if (readFirst) {
          const next = queue.next();
          queue.push(value);
          out.push((await next).value as number);
        } else queue.push(value);
      }
      const buffered = script.filter(([, readFirst]) => !readFirst).length;
      for (let i = 0; i < buffered; i++) out.push((await queue.next()).value as number);
      // A FIFO: the order out is the order of pushes, reads interleaved or not.
      expect(out).toEqual(script.map(([v]) => v));
    }),
  );
  const queue = new PushQueue<string>();
  queue.push("a");
  queue.push("b");
  const waiting = [queue.next(), queue.next(), queue.next()];
  queue.push("c");
  expect((await Promise.all(waiting)).map((r) => r.value)).toEqual(["a", "b", "c"]);
});

test("a value handed to a waiting reader is a value, not the end", async () => {
  const queue = new PushQueue<string>();
  const waiting = queue.next();
  queue.push("a");
  expect(await waiting).toEqual({ value: "a", done: false });
  queue.push("b");
  expect(await queue.next()).toEqual({ value: "b", done: false });
});

test("return() runs onClose once, drops the buffer, ends a waiting reader, and later pushes are ignored", async () => {
  let closes = 0;
  const queue = new PushQueue<number>(() => closes++);
  const waiting = queue.next();
  await queue.return();
  expect(await waiting).toEqual({ value: undefined, done: true });
  queue.push(1);
  expect(await queue.next()).toEqual({ value: undefined, done: true });
  await queue.return();
  expect(closes).toBe(1);
  expect(queue.closed).toBe(true);
});

test("fail() delivers what was buffered first, then the error, then the end", async () => {
  let closes = 0;
  const queue = new PushQueue<number>(() => closes++);
  queue.push(1);
  queue.push(2);
  const boom = new Error("boom");
  queue.fail(boom);
  expect(await queue.next()).toEqual({ value: 1, done: false });
  expect(await queue.next()).toEqual({ value: 2, done: false });
  await expect(queue.next()).rejects.toBe(boom);
  expect(await queue.next()).toEqual({ value: undefined, done: true });
  expect(closes).toBe(1);
});

test("fail() rejects a reader that is already waiting", async () => {
  const queue = new PushQueue<number>();
  const waiting = queue.next();
  const boom = new Error("boom");
  queue.fail(boom);
  await expect(waiting).rejects.toBe(boom);
  expect(await queue.next()).toEqual({ value: undefined, done: true });
});

test("return() drops what was buffered: nothing more comes out", async () => {
  const queue = new PushQueue<number>();
  queue.push(1);
  queue.push(2);
  expect(await queue.return()).toEqual({ value: undefined, done: true });
  expect(await queue.next()).toEqual({ value: undefined, done: true });
});

test("fail() after return() changes nothing: the stream has ended, not failed", async () => {
  let closes = 0;
  const queue = new PushQueue<number>(() => closes++);
  await queue.return();
  queue.fail(new Error("late"));
  expect(await queue.next()).toEqual({ value: undefined, done: true });
  queue.fail(new Error("later"));
  expect(closes).toBe(1);
});

test("a second fail() keeps the first error", async () => {
  const queue = new PushQueue<number>();
  const first = new Error("first");
  queue.fail(first);
  queue.fail(new Error("second"));
  await expect(queue.next()).rejects.toBe(first);
  expect(await queue.next()).toEqual({ value: undefined, done: true });
});

test("throw() ends the stream (onClose once, buffer dropped) and rejects with the error it was given", async () => {
  let closes = 0;
  const queue = new PushQueue<number>(() => closes++);
  queue.push(1);
  const boom = new Error("boom");
  await expect(queue.throw(boom)).rejects.toBe(boom);
  expect([closes, queue.closed]).toEqual([1, true]);
  expect(await queue.next()).toEqual({ value: undefined, done: true });
});

test("it is its own async iterator: for await reads what was pushed until return()", async () => {
  const queue = new PushQueue<string>();
  expect(queue[Symbol.asyncIterator]()).toBe(queue);
  queue.push("a");
  queue.push("b");
  const seen: string[] = [];
  for await (const value of queue) {
    seen.push(value);
    if (seen.length === 2) break; // break calls return()
  }
  expect(seen).toEqual(["a", "b"]);
  expect(queue.closed).toBe(true);
});

test("a fresh queue is open, and closes without an onClose given", async () => {
  const queue = new PushQueue<number>();
  expect(queue.closed).toBe(false);
  await queue.return();
  expect(queue.closed).toBe(true);
});
