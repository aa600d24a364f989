import { Ctx, Query, Resolver } from "type-graphql";
import type { Context } from "../../context";

@Resolver()
export class FeedCursorResolver {
  @Query(() => String, {
    nullable: true,
    description:
      "Where the feed stands now: pass it as `since` to any subscription to receive every change after this " +
      "moment. Read it in a request before the data you show (e.g. liveEntries, pendingComments), then " +
      "subscribe with it: nothing between the read and the subscription is missed. Null while the feed is empty " +
      "(subscribe without since). Never cached.",
  })
  feedCursor(@Ctx() ctx: Context): Promise<string | null> {
    return ctx.services.feed.headCursor();
  }
}
