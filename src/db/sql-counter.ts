/**
 * Counts SQL statements sent to the database. Tests and benchmarks read the
 * difference around a request or an event: it is the stable measure of "N+1
 * or not", unlike timings.
 */
export class SqlCounter {
  total = 0;

  record(): void {
    this.total++;
  }
}
