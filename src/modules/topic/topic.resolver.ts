import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../context";
import { Tags } from "../../cache/cache-tags";
import { pageRequest } from "../../shared/pagination";
import { ARTICLE_CURSOR } from "../article/article.service";
import { ArticleConnection } from "../article/article.types";
import { Topic } from "./topic.entity";
import { TOPIC_CURSOR } from "./topic.service";
import { TopicConnection } from "./topic.types";

@Resolver(() => Topic)
export class TopicResolver {
  @Query(() => Topic, { nullable: true })
  async topic(@Ctx() ctx: Context, @Arg("slug", () => String) slug: string): Promise<Topic | null> {
    return ctx.tagged(await ctx.loaders.topic.bySlug.load(slug), Tags.topics);
  }

  @Query(() => TopicConnection)
  async topics(
    @Ctx() ctx: Context,
    @Arg("first", () => Int, { nullable: true }) first?: number | null,
    @Arg("after", () => String, { nullable: true }) after?: string | null,
  ): Promise<InstanceType<typeof TopicConnection>> {
    return new TopicConnection(
      ctx.tagged(await ctx.services.topic.list(pageRequest(first, after, TOPIC_CURSOR)), Tags.topics),
    );
  }

  @FieldResolver(() => ArticleConnection, { description: "Published articles tagged with this topic, newest first." })
  async articles(
    @Root() topic: Topic,
    @Ctx() ctx: Context,
    @Arg("first", () => Int, { nullable: true }) first?: number | null,
    @Arg("after", () => String, { nullable: true }) after?: string | null,
  ): Promise<InstanceType<typeof ArticleConnection>> {
    const page = pageRequest(first, after, ARTICLE_CURSOR);
    return new ArticleConnection(ctx.tagged(await ctx.loaders.article.byTopic(topic.dbId, page), Tags.articleLists));
  }

  @FieldResolver(() => Int)
  articleCount(@Root() topic: Topic, @Ctx() ctx: Context): Promise<number> {
    ctx.tag(Tags.articleLists);
    return ctx.loaders.article.publishedCount.topic.load(topic.dbId);
  }
}
