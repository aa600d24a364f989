import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { Context } from "../../context";
import { expectGlobalId } from "../../shared/node-id";
import { Role } from "../auth/role";
import { Comment, CommentStatus } from "./comment.entity";
import { AddCommentInput, AddCommentPayload } from "./comment-write.inputs";

@Resolver(() => Comment)
export class CommentWriteResolver {
  @Mutation(() => AddCommentPayload, {
    description:
      "Posts a reader's comment; no token needed. Rate-limited per client and per commenter (RATE_LIMITED, " +
      "with retryAfterSeconds). APPROVED at once unless the site moderates first or a spam rule holds it PENDING. " +
      "NOT_FOUND when the caller may not see the article; FORBIDDEN when it is not published or comments are closed.",
  })
  async addComment(
    @Ctx() ctx: Context,
    @Arg("input", () => AddCommentInput, { description: "The comment." }) input: AddCommentInput,
  ): Promise<AddCommentPayload> {
    const comment = await ctx.services.commentWrite.add({ viewer: ctx.viewer, clientIp: ctx.clientIp }, input);
    return { comment };
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => Comment, {
    description:
      "EDITOR or ADMIN: moves a comment to another status. APPROVED makes it public (commentAdded); PENDING puts " +
      "it back in the moderation queue; REJECTED or SPAM takes it out of view.",
  })
  moderateComment(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { description: "The comment's global id; NOT_FOUND when there is none." }) id: string,
    @Arg("status", () => CommentStatus, { description: "The new status." }) status: CommentStatus,
  ): Promise<Comment> {
    return ctx.services.commentWrite.moderate(ctx.viewer, expectGlobalId("Comment", id, "id"), status);
  }
}
