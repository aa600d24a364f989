import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../context";
import { Tags } from "../../cache/cache-tags";
import { AFTER_ARG, FIRST_ARG, pageRequest } from "../../shared/pagination";
import { ARTICLE_CURSOR } from "../article/article.service";
import { ArticleConnection } from "../article/article.types";
import { Topic } from "./topic.entity";
import { TopicConnection } from "./topic.types";

@Resolver(() => Topic)
export class TopicResolver {
  @Query(() => Topic, { nullable: true, description: "The topic with this slug; null when there is none." })
  async topic(
    @Ctx() ctx: Context,
    @Arg("slug", () => String, { description: "The topic's slug." }) slug: string,
  ): Promise<Topic | null> {
    return ctx.tagged(await ctx.loaders.topic.bySlug.load(slug), Tags.topics);
  }

  @Query(() => TopicConnection, { description: "Every topic, by name." })
  async topics(
    @Ctx() ctx: Context,
    @Arg("first", () => Int, { nullable: true, description: FIRST_ARG }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: AFTER_ARG }) after?: string | null,
  ): Promise<InstanceType<typeof TopicConnection>> {
    return new TopicConnection(ctx.tagged(await ctx.services.topic.list(pageRequest(first, after, "t")), Tags.topics));
  }

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
