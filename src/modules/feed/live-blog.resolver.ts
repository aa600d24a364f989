import { Arg, ID, Resolver, Root, Subscription } from "type-graphql";
import type { Context } from "../../context";
import { FeedEventKind } from "../../db/outbox";
import { expectGlobalId, toGlobalId } from "../../shared/node-id";
import type { FeedDelivery } from "./feed.service";
import { LiveBlogEvent, LiveBlogEventKind, SINCE_ARG } from "./feed.types";

const KIND: Partial<Record<FeedEventKind, LiveBlogEventKind>> = {
  [FeedEventKind.LIVE_ENTRY_ADDED]: LiveBlogEventKind.ADDED,
  [FeedEventKind.LIVE_ENTRY_EDITED]: LiveBlogEventKind.EDITED,
  [FeedEventKind.LIVE_ENTRY_DELETED]: LiveBlogEventKind.DELETED,
  [FeedEventKind.LIVE_ENTRY_PINNED]: LiveBlogEventKind.PINNED,
  [FeedEventKind.LIVE_ENTRY_UNPINNED]: LiveBlogEventKind.UNPINNED,
};

@Resolver()
export class LiveBlogSubscriptionResolver {
  @Subscription(() => LiveBlogEvent, {
    description:
      "Every change to one article's live blog, in order: entries added, edited, deleted, pinned and unpinned. " +
      "With `since`, first replays every change made after that cursor (edits and deletions included), then " +
      "continues live: no gap, no duplicate. If the article is hidden meanwhile (unpublished), the " +
      "subscription ends with NOT_FOUND.",
    subscribe: ({ args, context }) => {
      const ctx = context as Context;
      return ctx.services.feed.liveBlog(
        ctx.viewer,
        expectGlobalId("Article", args.articleId, "articleId"),
        args.since ?? null,
      );
    },
  })
  liveBlog(
    @Root() delivery: FeedDelivery,
    @Arg("articleId", () => ID, { description: "The article's global id; NOT_FOUND when the caller may not see it." })
    _articleId: string,
    @Arg("since", () => String, { nullable: true, description: SINCE_ARG }) _since?: string | null,
  ): LiveBlogEvent {
    const kind = KIND[delivery.kind]!;
    return {
      cursor: delivery.cursor,
      kind,
      entryId: toGlobalId("LiveEntry", delivery.entryId!),
      entry: kind === LiveBlogEventKind.DELETED ? null : delivery.entry,
      replayed: delivery.replayed,
    };
  }
}
