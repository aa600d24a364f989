import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Counts SQL statements sent to the database, in total and per unit of work
 * (an HTTP request, a subscription event). Tests and benchmarks read these
 * counts: they are the stable measure of "N+1 or not", unlike timings.
 */
export class SqlCounter {
  total = 0;
  private readonly scope = new AsyncLocalStorage<{ count: number }>();

  /** Runs fn in a new counting scope and returns its result with the scope's count. */
  async measure<T>(fn: () => Promise<T>): Promise<{ result: T; statements: number }> {
    const store = { count: 0 };
    const result = await this.scope.run(store, fn);
    return { result, statements: store.count };
  }

  /** Starts a scope for the rest of the current async context (e.g. a request) and returns its reader. */
  enter(): () => number {
    const store = { count: 0 };
    this.scope.enterWith(store);
    return () => store.count;
  }

  record(): void {
    this.total++;
    const store = this.scope.getStore();
    if (store) store.count++;
  }
}
