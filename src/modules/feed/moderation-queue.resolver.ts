import { Authorized, Resolver, Root, Subscription } from "type-graphql";
import type { Context } from "../../context";
import { Role } from "../auth/role";
import { Comment } from "../comment/comment.entity";
import type { FeedDelivery } from "./feed.service";

@Resolver()
export class ModerationQueueResolver {
  // Checked by graphql-ws's subscribe, before the stream opens, and again as each event resolves.
  @Authorized(Role.EDITOR)
  @Subscription(() => Comment, {
    description: "EDITOR or ADMIN: comments as they enter the moderation queue (PENDING).",
    subscribe: ({ context }) => {
      const ctx = context as Context;
      return ctx.services.feed.moderationQueue(ctx.viewer);
    },
  })
  moderationQueue(@Root() delivery: FeedDelivery): Comment {
    return delivery.comment!;
  }
}
