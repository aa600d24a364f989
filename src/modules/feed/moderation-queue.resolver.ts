import { Arg, Authorized, Resolver, Root, Subscription } from "type-graphql";
import type { Context } from "../../context";
import { Role } from "../auth/role";
import { Comment } from "../comment/comment.entity";
import type { FeedDelivery } from "./feed.service";
import { SINCE_ARG } from "./feed.types";

@Resolver()
export class ModerationQueueResolver {
  // Checked by graphql-ws's subscribe, before the stream opens, and again as each event resolves.
  @Authorized(Role.EDITOR)
  @Subscription(() => Comment, {
    description:
      "EDITOR or ADMIN: comments as they enter the moderation queue (PENDING). With `since` (a cursor from " +
      "another stream's event, e.g. commentThread), first replays those that entered it after that cursor and " +
      "are still pending. The backlog itself is Query.pendingComments.",
    subscribe: ({ args, context }) => {
      const ctx = context as Context;
      return ctx.services.feed.moderationQueue(ctx.viewer, args.since ?? null);
    },
  })
  moderationQueue(
    @Root() delivery: FeedDelivery,
    @Arg("since", () => String, { nullable: true, description: SINCE_ARG }) _since?: string | null,
  ): Comment {
    return delivery.comment!;
  }
}
