import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import type { Context } from "../../context";
import { Tags } from "../../cache/cache-tags";
import { AFTER_ARG, FIRST_ARG, pageRequest } from "../../shared/pagination";
import { Article } from "../article/article.entity";
import { COMMENT_CURSOR } from "./comment.service";
import { CommentConnection } from "./comment.types";

// An article's comments join two modules, so they live in the higher one (docs/architecture.md).
@Resolver(() => Article)
export class ArticleCommentsResolver {
  @FieldResolver(() => CommentConnection, {
    description: "Approved top-level comments, oldest first; replies are reached through Comment.replies.",
  })
  async comments(
    @Root() article: Article,
    @Ctx() ctx: Context,
    @Arg("first", () => Int, { nullable: true, description: FIRST_ARG }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: AFTER_ARG }) after?: string | null,
  ): Promise<InstanceType<typeof CommentConnection>> {
    const page = pageRequest(first, after, COMMENT_CURSOR);
    const result = await ctx.loaders.comment.thread(article.dbId, page);
    return new CommentConnection(ctx.tagged(result, Tags.comments(article.dbId)));
  }

  @FieldResolver(() => Int, { description: "Approved comments, replies included." })
  commentCount(@Root() article: Article, @Ctx() ctx: Context): Promise<number> {
    ctx.tag(Tags.comments(article.dbId));
    return ctx.loaders.comment.totalByArticle.load(article.dbId);
  }
}
