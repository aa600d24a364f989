/** Delay before retry number `attempt` (1, 2, ...): base * 2^(attempt-1), capped, with "equal jitter". */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 40));
  return Math.max(1, Math.round(ceiling / 2 + (random() * ceiling) / 2));
}
