import { requestScope } from "../shared/request-scope";

/**
 * Counts SQL statements sent to the database. Tests and benchmarks read the
 * difference around a request or an event: it is the stable measure of "N+1
 * or not", unlike timings. A test may also capture the statements' text
 * (the golden SQL tests), or count one request's statements by its request id
 * (where background work, such as pollers, sends statements meanwhile);
 * nothing else does, and nothing is kept otherwise.
 */
export class SqlCounter {
  total = 0;
  private captured: string[] | undefined;
  private readonly watched = new Map<string, number>();

  record(query: string): void {
    this.total++;
    this.captured?.push(query);
    if (this.watched.size === 0) return;
    const id = requestScope.getStore()?.requestId;
    const seen = id === undefined ? undefined : this.watched.get(id);
    if (seen !== undefined) this.watched.set(id!, seen + 1);
  }

  /** Starts counting the statements sent on behalf of the request with this id (its X-Request-Id). */
  watch(requestId: string): void {
    this.watched.set(requestId, 0);
  }

  /** Stops counting that request: the number of its statements since watch(). */
  unwatch(requestId: string): number {
    const seen = this.watched.get(requestId) ?? 0;
    this.watched.delete(requestId);
    return seen;
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
