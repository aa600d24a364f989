import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { Context } from "../../context";
import { expectGlobalId } from "../../shared/node-id";
import { Role } from "../auth/role";
import { Article } from "./article.entity";
import { CreateArticleInput, UpdateArticleInput } from "./article-write.inputs";

const ID_ARG = { description: "The article's global id; NOT_FOUND when the caller may not see it." };

@Resolver(() => Article)
export class ArticleEditorResolver {
  @Authorized(Role.WRITER)
  @Mutation(() => Article, {
    description: "WRITER or better; the article starts as a DRAFT, with the caller as its byline unless given one.",
  })
  createArticle(
    @Ctx() ctx: Context,
    @Arg("input", () => CreateArticleInput, { description: "The article." }) input: CreateArticleInput,
  ): Promise<Article> {
    return ctx.services.articleEditor.create(ctx.viewer, input);
  }

  @Authorized(Role.WRITER)
  @Mutation(() => Article, {
    description:
      "Writers may edit their own drafts; editors any article (a writer on anything else: FORBIDDEN). Edits " +
      "of a published article reach articleUpdated.",
  })
  updateArticle(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, ID_ARG) id: string,
    @Arg("input", () => UpdateArticleInput, { description: "What changes." }) input: UpdateArticleInput,
  ): Promise<Article> {
    return ctx.services.articleEditor.update(ctx.viewer, expectGlobalId("Article", id, "id"), input);
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => Article, {
    description:
      "EDITOR or ADMIN. With `at` in the future the article is SCHEDULED and goes live then. An empty body is " +
      "BAD_USER_INPUT; an article already live is returned as it is.",
  })
  publishArticle(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, ID_ARG) id: string,
    @Arg("at", () => Date, {
      nullable: true,
      description:
        "When it goes live: now when not given; a past time backdates publishedAt. A future time for an " +
        "article already live is BAD_USER_INPUT (unpublish it first).",
    })
    at?: Date | null,
  ): Promise<Article> {
    return ctx.services.articleEditor.publish(ctx.viewer, expectGlobalId("Article", id, "id"), at ?? null);
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => Article, {
    description: "EDITOR or ADMIN: back to DRAFT, publishedAt cleared; also cancels a schedule.",
  })
  unpublishArticle(@Ctx() ctx: Context, @Arg("id", () => ID, ID_ARG) id: string): Promise<Article> {
    return ctx.services.articleEditor.unpublish(ctx.viewer, expectGlobalId("Article", id, "id"));
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => Article, {
    description: "EDITOR or ADMIN: takes the article out of every public list and page, keeping it on record.",
  })
  archiveArticle(@Ctx() ctx: Context, @Arg("id", () => ID, ID_ARG) id: string): Promise<Article> {
    return ctx.services.articleEditor.archive(ctx.viewer, expectGlobalId("Article", id, "id"));
  }
}
