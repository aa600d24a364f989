import { Arg, Ctx, Int, Query, Resolver } from "type-graphql";
import type { Context } from "../../context";
import { Tags } from "../../cache/cache-tags";
import { pageRequest } from "../../shared/pagination";
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
}
