import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../context";
import { BadInputError } from "../../shared/errors";
import { expectGlobalId } from "../../shared/node-id";
import { Role } from "../auth/role";
import { Article } from "../article/article.entity";
import { Author } from "../author/author.entity";
import { ArticlePreview } from "./article-preview.entity";
import { CreatedArticlePreview } from "./article-preview.types";
import { MAX_LIVE_PREVIEWS } from "./article-preview.service";
import { parsePreviewId } from "./preview-token";

const WHO =
  "WRITER or better: editors for any article, writers for one in their byline (else FORBIDDEN); " +
  "an article the caller may not see is NOT_FOUND.";

@Resolver(() => ArticlePreview)
export class ArticlePreviewResolver {
  @Query(() => Article, {
    description:
      "The article a preview link opens, whatever its status, for anyone who holds the token: that article " +
      "alone (its related articles, topic and author lists stay public-only). Never cached. A text that is " +
      "not a token is BAD_USER_INPUT; a forged, expired or revoked token, or one whose article was archived, " +
      "FORBIDDEN with extensions.reason INVALID, EXPIRED, REVOKED or WITHDRAWN.",
  })
  async articlePreview(
    @Ctx() ctx: Context,
    @Arg("token", { description: "The token of createArticlePreview (the last part of its url)." }) token: string,
  ): Promise<Article> {
    ctx.noStore();
    const { article } = await ctx.services.articlePreview.read(token);
    // Its comments and live entries lead back to it (their `article` field); nothing else does.
    ctx.grantPreview(article);
    return article;
  }

  @Authorized(Role.WRITER)
  @Query(() => [ArticlePreview], {
    description: `An article's live preview links (not expired, not revoked), newest first, at most ${MAX_LIVE_PREVIEWS}. ${WHO}`,
  })
  articlePreviews(
    @Ctx() ctx: Context,
    @Arg("articleId", () => ID, { description: "The article's global id." }) articleId: string,
  ): Promise<ArticlePreview[]> {
    ctx.noStore();
    return ctx.services.articlePreview.live(ctx.viewer, expectGlobalId("Article", articleId, "articleId"));
  }

  @Authorized(Role.WRITER)
  @Mutation(() => CreatedArticlePreview, {
    description:
      `A preview link of a DRAFT or SCHEDULED article (another status is BAD_USER_INPUT). ${WHO} ` +
      `At most ${MAX_LIVE_PREVIEWS} live links per article (one more is CONFLICT).`,
  })
  async createArticlePreview(
    @Ctx() ctx: Context,
    @Arg("articleId", () => ID, { description: "The article's global id." }) articleId: string,
    @Arg("expiresIn", () => Int, {
      nullable: true,
      description:
        "Seconds until the link expires: 60 to PREVIEW_MAX_TTL_SECONDS (default PREVIEW_DEFAULT_TTL_SECONDS).",
    })
    expiresIn?: number | null,
  ): Promise<CreatedArticlePreview> {
    const id = expectGlobalId("Article", articleId, "articleId");
    const { preview, token, url } = await ctx.services.articlePreview.create(ctx.viewer, id, expiresIn ?? null);
    return Object.assign(new CreatedArticlePreview(), {
      id: preview.id,
      token,
      url,
      expiresAt: preview.expiresAt,
      preview,
    });
  }

  @Authorized(Role.WRITER)
  @Mutation(() => ArticlePreview, {
    description: `Revokes a preview link at once; revoking it again returns it as it is. ${WHO}`,
  })
  revokeArticlePreview(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { description: "The preview's id." }) id: string,
  ): Promise<ArticlePreview> {
    const previewId = parsePreviewId(id);
    if (previewId === null) throw new BadInputError({ id: "not a valid ArticlePreview id" });
    return ctx.services.articlePreview.revoke(ctx.viewer, previewId);
  }

  @FieldResolver(() => Author, { description: "Who made the link." })
  async createdBy(@Root() preview: ArticlePreview, @Ctx() ctx: Context): Promise<Author> {
    const author = await ctx.loaders.author.byId.load(preview.creatorId);
    // Authors are never deleted while their previews exist (the rows go with them).
    if (!author) throw new Error(`Author ${preview.creatorId} of preview ${preview.rowId} is missing`);
    return author;
  }
}
