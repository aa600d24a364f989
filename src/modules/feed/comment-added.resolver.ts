import { Arg, ID, Resolver, Root, Subscription } from "type-graphql";
import type { Context } from "../../context";
import { expectGlobalId } from "../../shared/node-id";
import type { FeedDelivery } from "./feed.service";
import { CommentEvent, SINCE_ARG } from "./feed.types";

@Resolver()
export class CommentAddedResolver {
  @Subscription(() => CommentEvent, {
    description:
      "Comments of one article as they become public (posted already approved, or approved later). With `since`, " +
      "first replays every one made public after that cursor, in order, then continues live: no gap, no duplicate.",
    subscribe: ({ args, context }) => {
      const ctx = context as Context;
      return ctx.services.feed.commentAdded(
        ctx.viewer,
        expectGlobalId("Article", args.articleId, "articleId"),
        args.since ?? null,
      );
    },
  })
  commentAdded(
    @Root() delivery: FeedDelivery,
    @Arg("articleId", () => ID, { description: "The article's global id; NOT_FOUND when the caller may not see it." })
    _articleId: string,
    @Arg("since", () => String, { nullable: true, description: SINCE_ARG }) _since?: string | null,
  ): CommentEvent {
    return { cursor: delivery.cursor, comment: delivery.comment!, replayed: delivery.replayed };
  }
}
