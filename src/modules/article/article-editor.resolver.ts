import { Arg, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { Context } from "../../context";
import { expectGlobalId } from "../../shared/node-id";
import { Article } from "./article.entity";
import { CreateArticleInput, UpdateArticleInput } from "./article-write.inputs";

@Resolver(() => Article)
export class ArticleEditorResolver {
  @Mutation(() => Article, { description: "WRITER or better; the article starts as a DRAFT." })
  createArticle(
    @Ctx() ctx: Context,
    @Arg("input", () => CreateArticleInput) input: CreateArticleInput,
  ): Promise<Article> {
    return ctx.services.articleEditor.create(ctx.viewer, input);
  }

  @Mutation(() => Article, { description: "Writers may edit their own drafts; editors any article." })
  updateArticle(
    @Ctx() ctx: Context,
    @Arg("id", () => ID) id: string,
    @Arg("input", () => UpdateArticleInput) input: UpdateArticleInput,
  ): Promise<Article> {
    return ctx.services.articleEditor.update(ctx.viewer, expectGlobalId("Article", id, "id"), input);
  }

  @Mutation(() => Article, {
    description: "EDITOR or ADMIN. With `at` in the future the article is SCHEDULED and goes live then.",
  })
  publishArticle(
    @Ctx() ctx: Context,
    @Arg("id", () => ID) id: string,
    @Arg("at", () => Date, { nullable: true }) at?: Date | null,
  ): Promise<Article> {
    return ctx.services.articleEditor.publish(ctx.viewer, expectGlobalId("Article", id, "id"), at ?? null);
  }

  @Mutation(() => Article, { description: "EDITOR or ADMIN." })
  unpublishArticle(@Ctx() ctx: Context, @Arg("id", () => ID) id: string): Promise<Article> {
    return ctx.services.articleEditor.unpublish(ctx.viewer, expectGlobalId("Article", id, "id"));
  }

  @Mutation(() => Article, {
    description: "EDITOR or ADMIN: takes the article out of every list, keeping it on record.",
  })
  archiveArticle(@Ctx() ctx: Context, @Arg("id", () => ID) id: string): Promise<Article> {
    return ctx.services.articleEditor.archive(ctx.viewer, expectGlobalId("Article", id, "id"));
  }
}
