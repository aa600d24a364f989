import type { Logger } from "pino";
import type { Bus } from "../../pubsub";
import { BusTopic } from "../../pubsub";
import type { AuthService } from "./auth.service";
import type { Viewer } from "./viewer";

/** WebSocket close code for a socket whose token was revoked or changed role (graphql-ws's Forbidden). */
export const TOKEN_REVOKED_CLOSE = 4403;

interface Holder {
  viewer: Viewer;
  close(reason: string): void;
}

/** Token ids per query: well under PostgreSQL's parameter limit. */
const CHUNK = 500;

/**
 * The open WebSockets of each API token, closed once the token is revoked or its
 * role changes. A socket is authenticated once, in connection_init; without this
 * a revoked editor token would keep its moderation queue and its drafts. Three
 * ways in: a TOKEN_CHANGED hint on the bus (from any instance, at once), a
 * re-check of every held token each `intervalMs` (for a lost hint, or a change
 * made outside the service), and `verify` before each operation.
 */
export class TokenWatch {
  private readonly holders = new Map<number, Set<Holder>>();
  private readonly timer: NodeJS.Timeout;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly auth: AuthService,
    bus: Bus,
    intervalMs: number,
    private readonly logger: Logger,
  ) {
    // The message is a hint: what counts is what the database says about the token.
    this.unsubscribe = bus.subscribe(BusTopic.TOKEN_CHANGED, (message) => {
      if (typeof message.tokenId === "number") void this.check([message.tokenId]);
    });
    bus.onReconnect(() => void this.check([...this.holders.keys()]));
    this.timer = setInterval(() => void this.check([...this.holders.keys()]), intervalMs).unref();
  }

  /** Watches a socket's viewer until the returned function is called (when the socket closes). */
  hold(viewer: Viewer, close: (reason: string) => void): () => void {
    let set = this.holders.get(viewer.tokenId);
    if (!set) this.holders.set(viewer.tokenId, (set = new Set()));
    const holder: Holder = { viewer, close };
    set.add(holder);
    return () => {
      set.delete(holder);
      if (!set.size && this.holders.get(viewer.tokenId) === set) this.holders.delete(viewer.tokenId);
    };
  }

  /**
   * True when the viewer's token is still live with the same role; otherwise closes
   * every socket that holds it and answers false.
   */
  async verify(viewer: Viewer): Promise<boolean> {
    const roles = await this.auth.liveRoles([viewer.tokenId]);
    if (roles.get(viewer.tokenId) === viewer.role) return true;
    this.closeStale(viewer.tokenId, roles);
    return false;
  }

  private async check(ids: number[]): Promise<void> {
    try {
      for (let i = 0; i < ids.length; i += CHUNK) {
        const chunk = ids.slice(i, i + CHUNK);
        const roles = await this.auth.liveRoles(chunk);
        for (const id of chunk) this.closeStale(id, roles);
      }
    } catch (error) {
      // The next round (or the next operation's verify) tries again.
      this.logger.warn({ err: (error as Error).message }, "websocket token re-check failed");
    }
  }

  private closeStale(tokenId: number, roles: Map<number, string>): void {
    const role = roles.get(tokenId);
    for (const holder of this.holders.get(tokenId) ?? []) {
      if (holder.viewer.role === role) continue;
      holder.close(role === undefined ? "Token revoked" : "Token role changed: reconnect");
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.unsubscribe();
  }
}
