import { Arg, Ctx, Int, Query, Resolver } from "type-graphql";
import type { Context } from "../../context";
import { Tags } from "../../cache/cache-tags";
import { AFTER_ARG, FIRST_ARG, pageRequest } from "../../shared/pagination";
import { Topic } from "./topic.entity";
import { TOPIC_CURSOR } from "./topic.service";
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
    return new TopicConnection(
      ctx.tagged(await ctx.services.topic.list(pageRequest(first, after, TOPIC_CURSOR)), Tags.topics),
    );
  }
}
