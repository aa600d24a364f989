import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import type { Context } from "../../context";
import { Tags } from "../../cache/cache-tags";
import { AFTER_ARG, FIRST_ARG, pageRequest } from "../../shared/pagination";
import { Author } from "../author/author.entity";
import { Topic } from "../topic/topic.entity";
import { ARTICLE_CURSOR } from "./article.service";
import { ArticleConnection } from "./article.types";

// A topic's and an author's articles join two modules, so they live in the higher one (docs/architecture.md).

@Resolver(() => Topic)
export class TopicArticlesResolver {
  @FieldResolver(() => ArticleConnection, { description: "Published articles tagged with this topic, newest first." })
  async articles(
    @Root() topic: Topic,
    @Ctx() ctx: Context,
    @Arg("first", () => Int, { nullable: true, description: FIRST_ARG }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: AFTER_ARG }) after?: string | null,
  ): Promise<InstanceType<typeof ArticleConnection>> {
    const page = pageRequest(first, after, ARTICLE_CURSOR);
    return new ArticleConnection(ctx.tagged(await ctx.loaders.article.byTopic(topic.dbId, page), Tags.articleLists));
  }

  @FieldResolver(() => Int, { description: "How many published articles are tagged with it." })
  articleCount(@Root() topic: Topic, @Ctx() ctx: Context): Promise<number> {
    ctx.tag(Tags.articleLists);
    return ctx.loaders.article.publishedCount.topic.load(topic.dbId);
  }
}

@Resolver(() => Author)
export class AuthorArticlesResolver {
  @FieldResolver(() => ArticleConnection, { description: "Published articles in the author's byline, newest first." })
  async articles(
    @Root() author: Author,
    @Ctx() ctx: Context,
    @Arg("first", () => Int, { nullable: true, description: FIRST_ARG }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: AFTER_ARG }) after?: string | null,
  ): Promise<InstanceType<typeof ArticleConnection>> {
    const page = pageRequest(first, after, ARTICLE_CURSOR);
    return new ArticleConnection(ctx.tagged(await ctx.loaders.article.byAuthor(author.dbId, page), Tags.articleLists));
  }
}
