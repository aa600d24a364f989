import { Arg, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { Context } from "../../context";
import { expectGlobalId } from "../../shared/node-id";
import { Comment, CommentStatus } from "./comment.entity";
import { AddCommentInput, AddCommentPayload } from "./comment-write.inputs";

@Resolver(() => Comment)
export class CommentWriteResolver {
  @Mutation(() => AddCommentPayload)
  async addComment(
    @Ctx() ctx: Context,
    @Arg("input", () => AddCommentInput) input: AddCommentInput,
  ): Promise<AddCommentPayload> {
    const comment = await ctx.services.commentWrite.add({ viewer: ctx.viewer, clientIp: ctx.clientIp }, input);
    return { comment };
  }

  @Mutation(() => Comment, { description: "EDITOR or ADMIN." })
  moderateComment(
    @Ctx() ctx: Context,
    @Arg("id", () => ID) id: string,
    @Arg("status", () => CommentStatus) status: CommentStatus,
  ): Promise<Comment> {
    return ctx.services.commentWrite.moderate(ctx.viewer, expectGlobalId("Comment", id, "id"), status);
  }
}
