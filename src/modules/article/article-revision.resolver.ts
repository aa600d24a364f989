import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../context";
import { Tags } from "../../cache/cache-tags";
import { expectGlobalId } from "../../shared/node-id";
import { AFTER_ARG, FIRST_ARG, pageRequest } from "../../shared/pagination";
import { Role } from "../auth/role";
import { Author } from "../author/author.entity";
import { Article } from "./article.entity";
import { ArticleRevision } from "./article-revision.entity";
import { REVISION_CURSOR } from "./article-revision.service";
import { ArticleRevisionConnection, ArticleRevisionDiff, Correction } from "./article-revision.types";

const ARTICLE_ID = {
  description: "The article's global id; NOT_FOUND when the caller may not see it.",
};
const WHO =
  "EDITOR or ADMIN, or a writer in the article's byline (another writer: FORBIDDEN; no token: UNAUTHENTICATED).";

@Resolver(() => Article)
export class ArticleCorrectionsResolver {
  @FieldResolver(() => [Correction], {
    description:
      "The correction notes published with edits of the article, oldest first; empty when it was never " +
      "corrected (silent fixes add none). Public with the article.",
  })
  async corrections(@Root() article: Article, @Ctx() ctx: Context): Promise<Correction[]> {
    ctx.tag(Tags.entity("Article", article.dbId));
    return ctx.loaders.article.corrections.load(article.dbId);
  }
}

@Resolver(() => ArticleRevision)
export class ArticleRevisionResolver {
  @Authorized(Role.WRITER)
  @Query(() => ArticleRevisionConnection, {
    description:
      "The published revisions of an article, newest first: one for its first publication and one for each " +
      `later edit of its title, standfirst or body, or with a correction note. ${WHO}`,
  })
  async articleRevisions(
    @Ctx() ctx: Context,
    @Arg("articleId", () => ID, ARTICLE_ID) articleId: string,
    @Arg("first", () => Int, { nullable: true, description: FIRST_ARG }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: AFTER_ARG }) after?: string | null,
  ): Promise<InstanceType<typeof ArticleRevisionConnection>> {
    const id = expectGlobalId("Article", articleId, "articleId");
    const page = pageRequest(first, after, REVISION_CURSOR);
    return new ArticleRevisionConnection(await ctx.services.articleRevision.history(ctx.viewer, id, page));
  }

  @Authorized(Role.WRITER)
  @Query(() => ArticleRevisionDiff, {
    description:
      "How an article's title, standfirst and body changed from one revision to another. A number that is not " +
      `one of the article's revisions is BAD_USER_INPUT naming \`from\` or \`to\`. ${WHO}`,
  })
  articleRevisionDiff(
    @Ctx() ctx: Context,
    @Arg("articleId", () => ID, ARTICLE_ID) articleId: string,
    @Arg("from", () => Int, { description: "The earlier revision's number (see ArticleRevision.number)." })
    from: number,
    @Arg("to", () => Int, { description: "The later revision's number." }) to: number,
  ): Promise<ArticleRevisionDiff> {
    const id = expectGlobalId("Article", articleId, "articleId");
    return ctx.services.articleRevision.diff(ctx.viewer, id, from, to);
  }

  @FieldResolver(() => Author, {
    nullable: true,
    description: "Who made it; null when the scheduler published it or it predates revision history.",
  })
  async editor(@Root() revision: ArticleRevision, @Ctx() ctx: Context): Promise<Author | null> {
    if (revision.editorId === null) return null;
    return (await ctx.loaders.author.byId.load(revision.editorId)) ?? null;
  }
}
