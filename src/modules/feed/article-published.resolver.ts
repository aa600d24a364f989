import { Arg, Resolver, Root, Subscription } from "type-graphql";
import type { Context } from "../../context";
import type { FeedDelivery } from "./feed.service";
import { ArticleEvent, SINCE_ARG } from "./feed.types";

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
    @Arg("topicSlugs", () => [String], {
      nullable: true,
      description: "Only articles tagged with any of these topics (by slug); every article when not given.",
    })
    _topicSlugs?: string[] | null,
    @Arg("since", () => String, { nullable: true, description: SINCE_ARG }) _since?: string | null,
  ): ArticleEvent {
    return { cursor: delivery.cursor, article: delivery.article!, replayed: delivery.replayed };
  }
}
