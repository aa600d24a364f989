import { Arg, Authorized, Ctx, ID, Int, Query, Resolver } from "type-graphql";
import type { Context } from "../../context";
import { expectGlobalId } from "../../shared/node-id";
import { AFTER_ARG, FIRST_ARG, pageRequest } from "../../shared/pagination";
import { Role } from "../auth/role";
import { PENDING_CURSOR } from "./comment.service";
import { CommentConnection } from "./comment.types";

@Resolver()
export class ModerationResolver {
  @Authorized(Role.EDITOR)
  @Query(() => CommentConnection, {
    description:
      "EDITOR or ADMIN: the moderation backlog, comments awaiting moderation (PENDING), oldest first. For a live " +
      "view without a gap, read Query.feedCursor first, then this, then subscribe to moderationQueue with " +
      "since: that cursor (a comment may then arrive twice: once here, once replayed; keep one per id).",
  })
  async pendingComments(
    @Ctx() ctx: Context,
    @Arg("first", () => Int, { nullable: true, description: FIRST_ARG }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: AFTER_ARG }) after?: string | null,
    @Arg("articleId", () => ID, { nullable: true, description: "Only the comments of this article." })
    articleId?: string | null,
  ): Promise<InstanceType<typeof CommentConnection>> {
    const page = pageRequest(first, after, PENDING_CURSOR);
    const article = articleId == null ? null : expectGlobalId("Article", articleId, "articleId");
    // Never cached: an editor's request is private (the response cache serves anonymous readers only).
    return new CommentConnection(await ctx.services.comment.pending(article, page));
  }
}
