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
