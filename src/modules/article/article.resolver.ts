import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../context";
import { Tags } from "../../cache/cache-tags";
import { BadInputError } from "../../shared/errors";
import { expectGlobalId } from "../../shared/node-id";
import { AFTER_ARG, FIRST_ARG, pageRequest } from "../../shared/pagination";
import { Author } from "../author/author.entity";
import { Topic } from "../topic/topic.entity";
import { Article } from "./article.entity";
import { ArticleFilter, ArticleOrder } from "./article.inputs";
import { ARTICLE_CURSOR, ArticleText, MAX_SEARCH_LENGTH, SEARCH_CURSOR } from "./article.service";
import { RELATED_WINDOW, SEARCH_WINDOW } from "./article.windows";
import { ArticleConnection } from "./article.types";

const MAX_RELATED = 20;

@Resolver(() => Article)
export class ArticleResolver {
  @Query(() => Article, {
    nullable: true,
    description:
      "By id or by slug (exactly one of them, else BAD_USER_INPUT); null when it does not exist or the caller " +
      "may not see it.",
  })
  async article(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { nullable: true, description: "The article's global id." }) id?: string | null,
    @Arg("slug", () => String, { nullable: true, description: "The article's slug." }) slug?: string | null,
  ): Promise<Article | null> {
    if ((id == null) === (slug == null)) throw new BadInputError({ id: "give exactly one of id and slug" });
    if (id != null) {
      const dbId = expectGlobalId("Article", id, "id");
      return ctx.tagged(await ctx.loaders.article.byId.load(dbId), Tags.entity("Article", dbId));
    }
    return ctx.tagged(await ctx.loaders.article.bySlug.load(slug!), Tags.slug(slug!));
  }

  @Query(() => ArticleConnection, {
    description:
      "Articles, newest first unless `orderBy` says otherwise: the PUBLISHED ones, unless `filter.status` asks for another status.",
  })
  async articles(
    @Ctx() ctx: Context,
    @Arg("first", () => Int, { nullable: true, description: FIRST_ARG }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: AFTER_ARG }) after?: string | null,
    @Arg("filter", () => ArticleFilter, {
      nullable: true,
      description: "Only the articles that meet these conditions.",
    })
    filter?: ArticleFilter | null,
    @Arg("orderBy", () => ArticleOrder, {
      nullable: true,
      defaultValue: ArticleOrder.NEWEST_FIRST,
      description: "By publication time (creation time for drafts).",
    })
    orderBy?: ArticleOrder | null,
  ): Promise<InstanceType<typeof ArticleConnection>> {
    const page = pageRequest(first, after, ARTICLE_CURSOR);
    const newestFirst = (orderBy ?? ArticleOrder.NEWEST_FIRST) === ArticleOrder.NEWEST_FIRST;
    const result = await ctx.services.article.list(ctx.viewer, filter ?? {}, newestFirst, page);
    return new ArticleConnection(ctx.tagged(result, Tags.articleLists));
  }

  @Query(() => ArticleConnection, {
    description:
      `Full-text search over title, standfirst and body of published articles: the ${SEARCH_WINDOW} newest ` +
      `matches best first, then the ${SEARCH_WINDOW} before them best first, and so on.`,
  })
  async search(
    @Ctx() ctx: Context,
    @Arg("query", () => String, {
      description:
        `Words to find (English stemming), 1 to ${MAX_SEARCH_LENGTH} characters; as in web search engines, ` +
        '"quoted phrases", `or` between alternatives and -word to exclude.',
    })
    query: string,
    @Arg("first", () => Int, { nullable: true, description: FIRST_ARG }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: AFTER_ARG }) after?: string | null,
  ): Promise<InstanceType<typeof ArticleConnection>> {
    const page = pageRequest(first, after, SEARCH_CURSOR);
    return new ArticleConnection(ctx.tagged(await ctx.services.article.search(query, page), Tags.search));
  }

  @FieldResolver(() => String, { description: "Markdown source." })
  async body(@Root() article: Article, @Ctx() ctx: Context): Promise<string> {
    return article.body ?? (await this.text(article, ctx)).body;
  }

  @FieldResolver(() => String, { description: "The body rendered to sanitised HTML." })
  async bodyHtml(@Root() article: Article, @Ctx() ctx: Context): Promise<string> {
    return article.bodyHtml ?? (await this.text(article, ctx)).bodyHtml;
  }

  private async text(article: Article, ctx: Context): Promise<ArticleText> {
    const text = await ctx.loaders.article.text.load(article.dbId);
    // The article was read a moment ago; it can only be missing if deleted since.
    if (!text) throw new Error(`Article ${article.dbId} disappeared while its body was read`);
    return text;
  }

  @FieldResolver(() => [Author], { description: "The byline, in order." })
  async authors(@Root() article: Article, @Ctx() ctx: Context): Promise<Author[]> {
    return ctx.tagged(await ctx.loaders.article.byline.load(article.dbId));
  }

  @FieldResolver(() => [Topic], { description: "Its topics, by name." })
  async topics(@Root() article: Article, @Ctx() ctx: Context): Promise<Topic[]> {
    return ctx.tagged(await ctx.loaders.article.topics.load(article.dbId));
  }

  @FieldResolver(() => [Article], {
    description:
      "Published articles that share the most topics with this one, most shared first, then newest first; " +
      `never the article itself; the candidates are the ${RELATED_WINDOW} newest of each of its topics. Batched: ` +
      "a page of N articles asking for this costs the same number of SQL statements as one.",
  })
  async relatedArticles(
    @Root() article: Article,
    @Ctx() ctx: Context,
    @Arg("first", () => Int, {
      nullable: true,
      defaultValue: 5,
      description: `How many: 0 to ${MAX_RELATED} (more is BAD_USER_INPUT).`,
    })
    first: number,
  ): Promise<Article[]> {
    if (!Number.isInteger(first) || first < 0 || first > MAX_RELATED) {
      throw new BadInputError({ first: `must be between 0 and ${MAX_RELATED}` });
    }
    return ctx.tagged(await ctx.loaders.article.related(article.dbId, first), Tags.articleLists);
  }
}
