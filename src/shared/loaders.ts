import DataLoader from "dataloader";
import type { Page, PageRequest } from "./pagination";

/**
 * Options for every per-request loader. `batch: false` resolves each key on its
 * own: the N+1 baseline that only the benchmark switches on.
 */
export interface LoaderOptions {
  batch: boolean;
}

export function loader<K, V>(
  options: LoaderOptions,
  fetch: (keys: readonly K[]) => Promise<readonly (V | Error)[]>,
): DataLoader<K, V> {
  return new DataLoader<K, V>(fetch, { batch: options.batch });
}

/**
 * A batching loader for one page of a nested list under many parents: parents
 * asking with the same page arguments are answered by one statement.
 */
export function pageLoader<T>(
  options: LoaderOptions,
  fetch: (keys: readonly number[], page: PageRequest) => Promise<Page<T>[]>,
): (key: number, page: PageRequest) => Promise<Page<T>> {
  const byArgs = new Map<string, DataLoader<number, Page<T>>>();
  return (key, page) => {
    const signature = JSON.stringify(page);
    let l = byArgs.get(signature);
    if (!l) {
      l = loader(options, (keys: readonly number[]) => fetch(keys, page));
      byArgs.set(signature, l);
    }
    return l.load(key);
  };
}

/** A batching loader of list-valued relations whose fetch takes an extra argument (e.g. a size). */
export function argLoader<A, V>(
  options: LoaderOptions,
  fetch: (keys: readonly number[], arg: A) => Promise<readonly V[]>,
): (key: number, arg: A) => Promise<V> {
  const byArg = new Map<A, DataLoader<number, V>>();
  return (key, arg) => {
    let l = byArg.get(arg);
    if (!l) {
      l = loader(options, (keys: readonly number[]) => fetch(keys, arg));
      byArg.set(arg, l);
    }
    return l.load(key);
  };
}
