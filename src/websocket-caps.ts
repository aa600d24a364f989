import type { IncomingMessage } from "node:http";
import type { WebSocketServer } from "ws";
import { WebSocket } from "ws";
import { AppError } from "./shared/errors";

/** WebSocket close code for an address that holds its WS_MAX_SOCKETS_PER_ADDRESS sockets already. */
export const TOO_MANY_SOCKETS_CLOSE = 4429;

/** Closes a socket, and drops it if the peer does not answer the close (it may read nothing at all). */
export function closeSoon(socket: WebSocket, code: number, reason: string): void {
  if (socket.readyState !== WebSocket.OPEN && socket.readyState !== WebSocket.CONNECTING) return;
  socket.close(code, reason);
  setTimeout(() => socket.terminate(), 5_000).unref();
}

/**
 * At most `max` open sockets per client address (as client-ip.ts sees it, so
 * behind a trusted proxy the forwarded one); one more is closed with 4429 as
 * soon as it opens. Counted at the upgrade, not at connection_init: a socket
 * costs memory before it says anything.
 */
export function capSocketsPerAddress(
  wss: WebSocketServer,
  max: number,
  addressOf: (request: IncomingMessage) => string,
): void {
  const open = new Map<string, number>();
  wss.on("connection", (socket, request) => {
    const address = addressOf(request);
    const count = open.get(address) ?? 0;
    if (count >= max) return closeSoon(socket, TOO_MANY_SOCKETS_CLOSE, "Too many sockets from this address");
    open.set(address, count + 1);
    socket.once("close", () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}

/**
 * The operations in progress on one socket (subscriptions, and queries or
 * mutations still running), at most `max`. A slot is taken before anything is
 * awaited, so a burst of subscribe messages cannot all pass the check at once.
 * Counted per id, not as a set of ids: a client may reuse an id whose previous
 * operation is still winding down, and each must hold a slot of its own.
 */
export class OperationSlots {
  private readonly perId = new Map<string, number>();
  private total = 0;

  constructor(private readonly max: number) {}

  /** Takes a slot for `id`, or returns the error to answer that subscribe with. */
  take(id: string): AppError | undefined {
    if (this.total >= this.max) {
      return new AppError(
        "RATE_LIMITED",
        `At most ${this.max} operations at once on one socket: complete one before starting another`,
        { limit: this.max },
      );
    }
    this.perId.set(id, (this.perId.get(id) ?? 0) + 1);
    this.total += 1;
    return undefined;
  }

  release(id: string): void {
    const held = this.perId.get(id);
    if (!held) return;
    if (held > 1) this.perId.set(id, held - 1);
    else this.perId.delete(id);
    this.total -= 1;
  }
}
