import type { IncomingMessage, Server } from "node:http";
import { randomUUID } from "node:crypto";
import type { DocumentNode, ExecutionArgs } from "graphql";
import { GraphQLError, getOperationAST } from "graphql";
import type { SubscribePayload } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import { WebSocket, WebSocketServer } from "ws";
import type { Logger } from "pino";
import type { Config } from "./config";
import type { Viewer } from "./modules/auth/viewer";
import { Context, SubscriptionContext } from "./context";
import { clientIp } from "./http/client-ip";
import { sharedSubscribe } from "./modules/feed/shared-execution";
import type { Services } from "./modules/services";
import { requestScope } from "./shared/request-scope";
import { AppError, unauthenticated } from "./shared/errors";
import type { RequestPipeline } from "./pipeline/request-pipeline";
import { TOKEN_REVOKED_CLOSE, TokenWatch } from "./modules/auth/token-watch";
import { capSocketsPerAddress, closeSoon, OperationSlots } from "./websocket-caps";

/** WebSocket close code for a consumer too slow to keep up: it should reconnect and resume with `since`. */
export const SLOW_CONSUMER_CLOSE = 1013;

type Extra = {
  viewer?: Viewer | null;
  connectionId?: string;
  slots?: OperationSlots;
};

export interface WebSocketHandle {
  readonly openSockets: number;
  /** Closes every socket with 1001 (Going Away) so that clients reconnect elsewhere and resume. */
  close(): Promise<void>;
}

/**
 * graphql-ws (subprotocol graphql-transport-ws) on the HTTP server's port and
 * /graphql path. Authentication happens in connection_init (a bad token closes
 * the socket with 4403), and the token is checked again before each operation
 * and whenever it may have been revoked (token-watch.ts).
 */
export function attachWebSocket(
  httpServer: Server,
  pipeline: RequestPipeline,
  services: Services,
  config: Config,
  logger: Logger,
): WebSocketHandle {
  const { schema } = pipeline;
  const wss = new WebSocketServer({ server: httpServer, path: "/graphql", maxPayload: config.wsMaxPayloadBytes });

  const tokens = new TokenWatch(services.auth, services.bus, config.wsTokenRecheckMs, logger);
  capSocketsPerAddress(wss, config.wsMaxSocketsPerAddress, (request) => clientIp(request, config.trustProxy));

  /** What onSubscribe answers once a slot is taken: the execution arguments, or the errors to refuse it with. */
  const prepare = async (
    extra: Extra & { socket: WebSocket; request: IncomingMessage },
    payload: SubscribePayload,
  ): Promise<ExecutionArgs | readonly GraphQLError[]> => {
    // graphql-ws runs none of Apollo's: the request pipeline's stages run here, as they do over HTTP.
    const checked = pipeline.document(payload.query);
    if (Array.isArray(checked)) return checked;
    const document = checked as DocumentNode;
    try {
      pipeline.checkOperation({
        transport: "websocket",
        document,
        operationName: payload.operationName,
        variables: payload.variables,
      });
    } catch (error) {
      if (error instanceof AppError) return [error];
      throw error;
    }
    const viewer = extra.viewer ?? null;
    // The socket was authenticated at connection_init; the token may have been revoked since.
    // verify() closes every socket holding a stale token, this one included.
    if (viewer) {
      try {
        if (!(await tokens.verify(viewer))) return [unauthenticated("Invalid or revoked token")];
      } catch (error) {
        // The database failed, not the request: refuse this operation (masked as INTERNAL_SERVER_ERROR), keep the socket.
        return [new GraphQLError("The token could not be checked", { originalError: error as Error })];
      }
    }
    const operation = getOperationAST(document, payload.operationName);
    // Subscriptions share loaders per feed event; a query or mutation sent over the socket is an
    // ordinary request with loaders of its own and the client's address (for rate limits).
    const contextValue =
      operation?.operation === "subscription"
        ? new SubscriptionContext(
            services,
            viewer,
            extra.connectionId,
            JSON.stringify([payload.query, payload.operationName ?? null, payload.variables ?? null]),
          )
        : new Context(services, viewer, extra.connectionId, clientIp(extra.request, config.trustProxy));
    return {
      schema,
      document,
      variableValues: payload.variables,
      operationName: payload.operationName,
      contextValue,
    };
  };

  const disposable = useServer<Record<string, unknown> | undefined, Extra>(
    {
      schema,
      subscribe: sharedSubscribe,
      connectionInitWaitTimeout: config.wsInitTimeoutMs,
      onConnect: async (ctx) => {
        const auth = ctx.connectionParams?.authorization;
        try {
          const viewer = await services.auth.authenticate(typeof auth === "string" ? auth : null);
          const { socket } = ctx.extra;
          if (socket.readyState !== WebSocket.OPEN) return false;
          if (viewer) {
            const release = tokens.hold(viewer, (reason) => closeSoon(socket, TOKEN_REVOKED_CLOSE, reason));
            socket.once("close", release);
          }
          ctx.extra.viewer = viewer;
          ctx.extra.connectionId = randomUUID();
          ctx.extra.slots = new OperationSlots(config.wsMaxSubscriptionsPerSocket);
          return true;
        } catch (error) {
          if (!(error instanceof GraphQLError)) logger.error({ err: error }, "websocket authentication failed");
          return false;
        }
      },
      onSubscribe: async (ctx, id, payload) => {
        // Taken before anything is awaited; given back when the operation completes (onComplete) or is refused.
        const slots = ctx.extra.slots!;
        const refused = slots.take(id);
        if (refused) return [refused];
        try {
          const prepared = await prepare(ctx.extra, payload);
          if (Array.isArray(prepared)) slots.release(id);
          return prepared;
        } catch (error) {
          slots.release(id);
          throw error;
        }
      },
      onComplete: (ctx, id) => ctx.extra.slots?.release(id),
      onNext: (ctx, _id, _payload, _args, result) => {
        const socket = ctx.extra.socket;
        if (socket.bufferedAmount > config.wsMaxBufferedBytes) {
          logger.warn({ buffered: socket.bufferedAmount }, "closing a slow websocket consumer");
          socket.close(SLOW_CONSUMER_CLOSE, "Slow consumer: reconnect and resume with since");
          return result;
        }
        if (!result.errors?.length) return result;
        return requestScope.run({ requestId: ctx.extra.connectionId ?? "ws" }, () => ({
          ...result,
          errors: pipeline.maskErrors(result.errors!) as unknown as GraphQLError[],
        }));
      },
      onError: (ctx, _id, _payload, errors) =>
        requestScope.run(
          { requestId: ctx.extra.connectionId ?? "ws" },
          () => pipeline.maskErrors(errors) as unknown as GraphQLError[],
        ),
    },
    wss,
    config.wsKeepAliveMs, // 0 turns pings off
  );

  // graphql-ws checks nothing while a socket's only subscription waits for its previous message to
  // drain, so slow consumers are also found by a sweep: close them, keep the rest flowing.
  const sweep = setInterval(() => {
    for (const socket of wss.clients) {
      if (socket.bufferedAmount > config.wsMaxBufferedBytes && socket.readyState === WebSocket.OPEN) {
        logger.warn({ buffered: socket.bufferedAmount }, "closing a slow websocket consumer");
        // A consumer that reads nothing will not read the close frame either: closeSoon drops it after a while.
        closeSoon(socket, SLOW_CONSUMER_CLOSE, "Slow consumer: reconnect and resume with since");
      }
    }
  }, 500).unref();

  return {
    get openSockets() {
      return wss.clients.size;
    },
    async close() {
      clearInterval(sweep);
      tokens.stop();
      for (const socket of wss.clients) {
        if (socket.readyState === WebSocket.OPEN) socket.close(1001, "Server shutting down");
      }
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
