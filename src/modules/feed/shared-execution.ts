import { ExecutionArgs, ExecutionResult, createSourceEventStream, execute } from "graphql";
import { Viewer, isEditor } from "../auth/viewer";

/**
 * graphql-ws's `subscribe`, with one execution per event shared by every
 * subscriber who sent the same operation and variables and sees the same
 * things. A live event is one object for all its subscribers (feed.service.ts);
 * its results are memoised on it, so 10,000 widgets with the same query cost
 * one execution, not 10,000.
 */
export async function sharedSubscribe(
  args: ExecutionArgs,
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!isAsyncIterator(source)) return source as ExecutionResult;
  const context = args.contextValue as { viewer: Viewer | null; operationKey?: string };
  const key = `${viewerClass(context.viewer)}\u0000${context.operationKey ?? Math.random()}`;
  const run = (payload: unknown): Promise<ExecutionResult> => {
    const memo = sharedResults(payload);
    let result = memo?.get(key);
    if (!result) {
      result = Promise.resolve(execute({ ...args, rootValue: payload }));
      memo?.set(key, result);
    }
    return result;
  };
  const mapped: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      const r = await source.next();
      return r.done ? r : { value: await run(r.value), done: false };
    },
    // Straight through, so that an unsubscribe frees the listener at once even while next() waits.
    async return() {
      await source.return?.();
      return { value: undefined, done: true };
    },
    async throw(error: unknown) {
      await source.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return mapped;
    },
  };
  return mapped;
}

/** Payloads that carry a memo (live deliveries shared by all subscribers); others are executed per subscriber. */
function sharedResults(payload: unknown): Map<string, Promise<ExecutionResult>> | undefined {
  return (payload as { results?: Map<string, Promise<ExecutionResult>> } | null)?.results;
}

function viewerClass(viewer: Viewer | null): string {
  return viewer === null ? "anonymous" : isEditor(viewer) ? "editor" : `writer:${viewer.authorId}`;
}

function isAsyncIterator(value: unknown): value is AsyncIterator<unknown> {
  return typeof (value as AsyncIterator<unknown>)?.next === "function";
}
