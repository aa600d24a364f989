/**
 * SerialBatch: one read in flight at a time, later callers batched into the
 * next read, and every answer from a read that began after its caller asked.
 */
import { SerialBatch } from "../../src/shared/serial-batch";

/** A read whose calls are recorded and finish only when told. */
function controlledRead() {
  const calls: { keys: string[]; finish(values?: string[]): void; fail(e: unknown): void }[] = [];
  let active = 0;
  let maxActive = 0;
  const read = (keys: string[]) =>
    new Promise<string[]>((resolve, reject) => {
      active++;
      maxActive = Math.max(maxActive, active);
      calls.push({
        keys,
        finish: (values) => {
          active--;
          resolve(values ?? keys.map((k) => `${k}@${calls.length}`));
        },
        fail: (e) => {
          active--;
          reject(e);
        },
      });
    });
  return { read, calls, maxActive: () => maxActive };
}

const tick = () => new Promise((r) => setImmediate(r));

test("callers of one tick share one read; their answers are in key order", async () => {
  const c = controlledRead();
  const batch = new SerialBatch<string, string>(c.read);
  const answers = Promise.all(["a", "b", "a", "c"].map((k) => batch.get(k)));
  await tick();
  expect(c.calls.map((x) => x.keys)).toEqual([["a", "b", "c"]]);
  c.calls[0]!.finish(["A", "B", "C"]);
  expect(await answers).toEqual(["A", "B", "A", "C"]);
});

test("a caller who asks while a read runs is answered by the next read, which starts after that one ends", async () => {
  const c = controlledRead();
  const batch = new SerialBatch<string, string>(c.read);
  const first = batch.get("x");
  await tick();
  const second = batch.get("x");
  const third = batch.get("y");
  await tick();
  expect(c.calls).toHaveLength(1); // still one read in flight
  c.calls[0]!.finish(["x1"]);
  expect(await first).toBe("x1");
  await tick();
  expect(c.calls.map((x) => x.keys)).toEqual([["x"], ["x", "y"]]);
  c.calls[1]!.finish(["x2", "y2"]);
  expect([await second, await third]).toEqual(["x2", "y2"]);
});

test("a burst of 1,000 callers over many ticks never has two reads in flight", async () => {
  const c = controlledRead();
  const batch = new SerialBatch<string, string>(c.read);
  const answers: Promise<string>[] = [];
  for (let i = 0; i < 1000; i++) {
    answers.push(batch.get(String(i % 37)));
    if (i % 10 === 0) await tick();
    if (c.calls.length && i % 50 === 0) for (const call of c.calls.splice(0)) call.finish();
  }
  for (;;) {
    await tick();
    const open = c.calls.splice(0);
    if (!open.length) break;
    for (const call of open) call.finish();
  }
  expect((await Promise.all(answers)).length).toBe(1000);
  expect(c.maxActive()).toBe(1);
});

test("a failed read fails its own callers only; the next read goes ahead", async () => {
  const c = controlledRead();
  const batch = new SerialBatch<string, string>(c.read);
  const doomed = batch.get("a");
  await tick();
  const later = batch.get("b");
  c.calls[0]!.fail(new Error("database down"));
  await expect(doomed).rejects.toThrow("database down");
  await tick();
  c.calls[1]!.finish(["B"]);
  expect(await later).toBe("B");
});
