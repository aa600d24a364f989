import { Arg, ID, Resolver, Root, Subscription } from "type-graphql";
import type { Context } from "../../context";
import { expectGlobalId } from "../../shared/node-id";
import { Article } from "../article/article.entity";
import type { FeedDelivery } from "./feed.service";

@Resolver()
export class ArticleUpdatedResolver {
  @Subscription(() => Article, {
    description:
      "A published article whenever it is edited after going live (corrections, live-blog updates), and when it " +
      "is unpublished or archived, for those who may still see it then.",
    subscribe: ({ args, context }) => {
      const ctx = context as Context;
      return ctx.services.feed.articleUpdated(ctx.viewer, expectGlobalId("Article", args.articleId, "articleId"));
    },
  })
  articleUpdated(
    @Root() delivery: FeedDelivery,
    @Arg("articleId", () => ID, { description: "The article's global id; NOT_FOUND when the caller may not see it." })
    _articleId: string,
  ): Article {
    return delivery.article!;
  }
}
