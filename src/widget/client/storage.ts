/**
 * sessionStorage, tolerant of browsers that refuse it (privacy modes, sandboxed
 * iframes): the widget then simply forgets on reload.
 */
export function load<T>(key: string, fallback: T): T {
  try {
    const raw = window.sessionStorage.getItem(key);
    return raw === null ? fallback : (JSON.parse(raw) as T);
  } catch {
    return fallback;
  }
}

export function save(key: string, value: unknown): void {
  try {
    if (value === null || value === undefined) window.sessionStorage.removeItem(key);
    else window.sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or unavailable: nothing to resume from next time, which is safe.
  }
}

export const cursorKey = (scope: string) => `newsgraph:cursor:${scope}`;
export const pendingKey = (articleId: string) => `newsgraph:pending:${articleId}`;
