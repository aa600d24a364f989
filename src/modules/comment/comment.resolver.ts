import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import type { Context } from "../../context";
import { Tags } from "../../cache/cache-tags";
import { AppError } from "../../shared/errors";
import { AFTER_ARG, FIRST_ARG, pageRequest } from "../../shared/pagination";
import { Article } from "../article/article.entity";
import { Comment } from "./comment.entity";
import { COMMENT_CURSOR } from "./comment.service";
import { CommentConnection } from "./comment.types";

@Resolver(() => Comment)
export class CommentResolver {
  @FieldResolver(() => Article, { description: "The article it was posted on." })
  async article(@Root() comment: Comment, @Ctx() ctx: Context): Promise<Article> {
    const article = ctx.previewedArticle(comment.articleId) ?? (await ctx.loaders.article.byId.load(comment.articleId));
    // A comment is only visible with its article, so this is a broken invariant, not a user error.
    if (!article) throw new AppError("NOT_FOUND", "The comment's article is not visible");
    return ctx.tagged(article);
  }

  @FieldResolver(() => Comment, {
    nullable: true,
    description: "The comment it replies to; null for a top-level comment, or when the caller may not see that one.",
  })
  async parent(@Root() comment: Comment, @Ctx() ctx: Context): Promise<Comment | null> {
    if (comment.parentId == null) return null;
    const parent = await ctx.loaders.comment.byId.load(comment.parentId);
    return ctx.tagged(parent, Tags.entity("Comment", comment.parentId), Tags.comments(comment.articleId));
  }

  @FieldResolver(() => CommentConnection, {
    description: "Approved direct replies, oldest first; theirs are reached through their own replies.",
  })
  async replies(
    @Root() comment: Comment,
    @Ctx() ctx: Context,
    @Arg("first", () => Int, { nullable: true, description: FIRST_ARG }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: AFTER_ARG }) after?: string | null,
  ): Promise<InstanceType<typeof CommentConnection>> {
    const page = pageRequest(first, after, COMMENT_CURSOR);
    const result = await ctx.loaders.comment.replies(comment.dbId, page);
    return new CommentConnection(ctx.tagged(result, Tags.comments(comment.articleId)));
  }
}
