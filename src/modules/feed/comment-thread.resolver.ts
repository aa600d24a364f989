import { Arg, ID, Resolver, Root, Subscription } from "type-graphql";
import type { Context } from "../../context";
import { FeedEventKind } from "../../db/outbox";
import { expectGlobalId, toGlobalId } from "../../shared/node-id";
import type { FeedDelivery } from "./feed.service";
import { CommentThreadEvent, CommentThreadEventKind, SINCE_ARG } from "./feed.types";

@Resolver()
export class CommentThreadResolver {
  @Subscription(() => CommentThreadEvent, {
    description:
      "Every change to one article's public thread: comments becoming public (ADDED) and comments withdrawn " +
      "(REMOVED: rejected, or marked spam after approval). `since` as for liveBlog. If the article is hidden " +
      "meanwhile (unpublished), the subscription ends with NOT_FOUND: its whole thread is withdrawn.",
    subscribe: ({ args, context }) => {
      const ctx = context as Context;
      return ctx.services.feed.commentThread(
        ctx.viewer,
        expectGlobalId("Article", args.articleId, "articleId"),
        args.since ?? null,
      );
    },
  })
  commentThread(
    @Root() delivery: FeedDelivery,
    @Arg("articleId", () => ID, { description: "The article's global id; NOT_FOUND when the caller may not see it." })
    _articleId: string,
    @Arg("since", () => String, { nullable: true, description: SINCE_ARG }) _since?: string | null,
  ): CommentThreadEvent {
    const added = delivery.kind === FeedEventKind.COMMENT_PUBLIC;
    return {
      cursor: delivery.cursor,
      kind: added ? CommentThreadEventKind.ADDED : CommentThreadEventKind.REMOVED,
      commentId: toGlobalId("Comment", delivery.commentId!),
      comment: added ? delivery.comment : null,
      replayed: delivery.replayed,
    };
  }
}
