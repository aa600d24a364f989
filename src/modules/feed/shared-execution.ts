import type { ExecutionArgs, ExecutionResult } from "graphql";
import { GraphQLError, createSourceEventStream, execute } from "graphql";
import type { Viewer } from "../auth/viewer";
import { visibilityClass } from "../auth/viewer";

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
  // Without an operation key (not a SubscriptionContext) nothing is shared.
  const key = context.operationKey && `${visibilityClass(context.viewer)}\u0000${context.operationKey}`;
  const run = (payload: unknown): Promise<ExecutionResult> => {
    const memo = key ? sharedResults(payload) : undefined;
    let result = memo?.get(key as string);
    if (!result) {
      result = Promise.resolve(execute({ ...args, rootValue: payload }));
      memo?.set(key as string, result);
    }
    return result;
  };
  let ended = false;
  const mapped: AsyncIterableIterator<ExecutionResult> = {
    // A stream that fails (its article was hidden, or a replay's read failed) ends this one operation with
    // an error result and then completes; thrown on, graphql-ws would close the socket and its other operations.
    async next() {
      if (ended) return { value: undefined, done: true };
      let r: IteratorResult<unknown>;
      try {
        r = await source.next();
      } catch (error) {
        ended = true;
        const reported =
          error instanceof GraphQLError
            ? error
            : new GraphQLError("The subscription failed", { originalError: error as Error });
        return { value: { errors: [reported] }, done: false };
      }
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

/**
 * A payload delivered to many subscribers at once (a live feed event): the
 * executions of identical operations are memoised on it. Other payloads
 * (replays, one subscriber's own) are executed per subscriber.
 */
export abstract class SharedPayload {
  readonly executions = new Map<string, Promise<ExecutionResult>>();
}

function sharedResults(payload: unknown): Map<string, Promise<ExecutionResult>> | undefined {
  return payload instanceof SharedPayload ? payload.executions : undefined;
}

function isAsyncIterator(value: unknown): value is AsyncIterator<unknown> {
  return typeof (value as AsyncIterator<unknown>)?.next === "function";
}
