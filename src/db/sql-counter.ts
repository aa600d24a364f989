/**
 * Counts SQL statements sent to the database. Tests and benchmarks read the
 * difference around a request or an event: it is the stable measure of "N+1
 * or not", unlike timings. A test may also capture the statements' text
 * (the golden SQL tests); nothing else does, and nothing is kept otherwise.
 */
export class SqlCounter {
  total = 0;
  private captured: string[] | undefined;

  record(query: string): void {
    this.total++;
    this.captured?.push(query);
  }

  /** Runs `fn` and returns the text of every statement sent meanwhile, in order. */
  async capture(fn: () => Promise<unknown>): Promise<string[]> {
    if (this.captured) throw new Error("SqlCounter.capture does not nest");
    const statements: string[] = [];
    this.captured = statements;
    try {
      await fn();
    } finally {
      this.captured = undefined;
    }
    return statements;
  }
}
