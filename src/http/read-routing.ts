import type { ApolloServerPlugin } from "@apollo/server";
import type { Logger } from "pino";
import type { Context } from "../context";
import type { ReadReplicas } from "../db/read-replicas";
import { requestScope } from "../shared/request-scope";

/**
 * The one place that sends reads to a replica. Once Apollo knows the operation:
 * an anonymous query (no Authorization header, no viewer) over HTTP reads from
 * the client's replica (ReadReplicas.pick: up, and past the client's own last
 * write); everything else keeps the primary. After a mutation (addComment is
 * anonymous) the client's reads stay on the primary until its replica has
 * replayed the write, so a writer always sees its write (read-your-writes).
 */
export function readRoutingPlugin(replicas: ReadReplicas, logger: Logger): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ request }) {
      const anonymous = !request.http?.headers.get("authorization");
      return {
        async didResolveOperation({ operation, contextValue }) {
          const scope = requestScope.getStore();
          if (!scope || !anonymous || contextValue.viewer || operation?.operation !== "query") return;
          scope.readReplica = replicas.pick(contextValue.clientIp);
          // A writer waiting for the replicas is answered from the primary, not from a cached copy either.
          if (replicas.awaitsOwnWrite(contextValue.clientIp)) scope.freshRead = true;
        },
        async willSendResponse({ operation, contextValue }) {
          // A pinned client's read came from the primary: its pin moves up to what that read saw. One
          // its replica answered (past the pin, not yet released by a probe) saw no more than the pin.
          const scope = requestScope.getStore();
          const pinnedRead = operation?.operation === "query" && scope?.freshRead && !scope.readReplica;
          if (operation?.operation !== "mutation" && !pinnedRead) return;
          // Before the answer leaves: the client's next read must already know. (Written by one client, read
          // back by the same; a read moves the pin forward, never back: noteWrite takes the primary's position now.)
          try {
            await replicas.noteWrite(contextValue.clientIp);
          } catch (error) {
            logger.error({ err: error }, "could not read the primary's position after a write");
          }
        },
      };
    },
  };
}
