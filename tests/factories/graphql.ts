/** Small assertion and paging helpers shared by the read-side tests. */
import type { GraphQLResult } from "../support/server";

/** Asserts the response carries exactly one error with `code`, naming `field` in extensions.fields when given. */
export function expectError(res: GraphQLResult<unknown>, code: string, field?: string): void {
  expect(res.errors).toHaveLength(1);
  const [error] = res.errors!;
  expect(error!.extensions?.code).toBe(code);
  if (field) expect(Object.keys(error!.extensions?.fields ?? {})).toContain(field);
}

/** Asserts a successful response and returns its data. */
export function ok<R>(res: GraphQLResult<R>): R {
  expect(res.errors).toBeUndefined();
  expect(res.status).toBe(200);
  return res.data!;
}

export interface PageLike<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * Follows endCursor until hasNextPage is false and returns every node in order.
 * Fails on a page that says there is more but gives no cursor, and stops after 200 pages.
 */
export async function walk<T>(fetchPage: (after: string | null) => Promise<PageLike<T>>): Promise<T[]> {
  const all: T[] = [];
  let after: string | null = null;
  for (let i = 0; i < 200; i++) {
    const page: PageLike<T> = await fetchPage(after);
    all.push(...page.nodes);
    if (!page.pageInfo.hasNextPage) return all;
    expect(page.nodes.length).toBeGreaterThan(0);
    expect(page.pageInfo.endCursor).toEqual(expect.any(String));
    after = page.pageInfo.endCursor;
  }
  throw new Error("more than 200 pages");
}

export const unique = <T>(values: T[]) => new Set(values).size === values.length;
