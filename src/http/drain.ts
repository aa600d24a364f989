import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";

export interface HttpDrain {
  /**
   * From now on every answer says `Connection: close` (those under way too, unless their headers
   * are out): called first thing at shutdown, before the steps that precede drain(), so no answer
   * written meanwhile invites the client to send another request on that connection.
   */
  closeAfterAnswers(): void;
  /**
   * Stops accepting connections and lets every request the server has begun
   * to read finish and write its whole answer (with `Connection: close`),
   * then resolves; connections still open after graceMs are destroyed.
   */
  drain(graceMs: number): Promise<void>;
}

/**
 * Graceful HTTP shutdown that loses no answer. Apollo's drain plugin ended
 * every connection without a request in progress, including keep-alive ones
 * whose next request was already on the wire: that request was still read
 * and run (a comment committed) but its answer could no longer be written,
 * and the client saw a reset. Here a connection is only ever closed when
 * nothing of a request has been read on it (Node's idle connections: the
 * client's bytes, if any, are then never run), or after its answer, which
 * says `Connection: close`.
 *
 * Register before the request handler, so that the header is set first.
 */
export function trackHttpConnections(server: Server): HttpDrain {
  const sockets = new Set<Socket>();
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  server.on("request", (_req: IncomingMessage, res: ServerResponse) => {
    if (draining) res.setHeader("connection", "close");
    inFlight.add(res);
    res.once("close", () => inFlight.delete(res));
    res.once("finish", () => {
      // A kept-alive connection whose answer was already under way when the drain began.
      if (draining) server.closeIdleConnections();
    });
  });
  const closeAfterAnswers = () => {
    draining = true;
    for (const res of inFlight) if (!res.headersSent) res.setHeader("connection", "close");
  };
  return {
    closeAfterAnswers,
    async drain(graceMs) {
      closeAfterAnswers();
      // close() stops listening and closes the idle connections; it calls back once every connection is closed.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const timer = setTimeout(() => {
        for (const socket of sockets) socket.destroy();
      }, graceMs);
      try {
        await closed;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
