/**
 * Reads for many concurrent callers with at most one read in flight: keys
 * asked for while a read runs wait and go, together, into the next read,
 * which starts when that one ends. So a burst of N callers costs at most two
 * reads at a time, not N, and every caller's answer comes from a read that
 * began after it asked (what a subscription's floor needs: a read from before
 * it listened could miss an event).
 */
export class SerialBatch<K, V> {
  private pending = new Map<string, { key: K; waiters: { resolve(v: V): void; reject(e: unknown): void }[] }>();
  private running = false;

  constructor(
    /** Answers for the keys, in the same order. */
    private readonly readMany: (keys: K[]) => Promise<V[]>,
    private readonly keyOf: (key: K) => string = String,
  ) {}

  get(key: K): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      const k = this.keyOf(key);
      let entry = this.pending.get(k);
      if (!entry) {
        entry = { key, waiters: [] };
        this.pending.set(k, entry);
      }
      entry.waiters.push({ resolve, reject });
      if (!this.running) {
        this.running = true;
        // Callers of the same tick share the read.
        queueMicrotask(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.size) {
      const batch = [...this.pending.values()];
      this.pending = new Map();
      try {
        const values = await this.readMany(batch.map((b) => b.key));
        batch.forEach((b, i) => b.waiters.forEach((w) => w.resolve(values[i]!)));
      } catch (error) {
        for (const b of batch) for (const w of b.waiters) w.reject(error);
      }
    }
    this.running = false;
  }
}
