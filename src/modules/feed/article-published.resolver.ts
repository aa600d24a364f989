import { Arg, Resolver, Root, Subscription } from "type-graphql";
import type { Context } from "../../context";
import type { FeedDelivery } from "./feed.service";
import { ArticleEvent } from "./feed.types";

@Resolver()
export class ArticlePublishedResolver {
  @Subscription(() => ArticleEvent, {
    description:
      "Articles as they go live, optionally only those tagged with any of `topicSlugs`; `since` as for commentAdded.",
    subscribe: ({ args, context }) => {
      const ctx = context as Context;
      return ctx.services.feed.articlePublished(ctx.viewer, args.topicSlugs ?? null, args.since ?? null);
    },
  })
  articlePublished(
    @Root() delivery: FeedDelivery,
    @Arg("topicSlugs", () => [String], { nullable: true }) _topicSlugs?: string[] | null,
    @Arg("since", () => String, { nullable: true }) _since?: string | null,
  ): ArticleEvent {
    return { cursor: delivery.cursor, article: delivery.article!, replayed: delivery.replayed };
  }
}
