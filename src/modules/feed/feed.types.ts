import { Field, ObjectType } from "type-graphql";
import { Article } from "../article/article.entity";
import { Comment } from "../comment/comment.entity";

const CURSOR = "This event's place in the feed: pass it as `since` to resume after it.";
const REPLAYED = "True while the server is replaying events missed since the given cursor.";

/** The docs of every resumable subscription's `since` argument. */
export const SINCE_ARG =
  "The cursor of the last event received: first replays what was missed since then. A cursor not from the " +
  "feed, or older than the server keeps events (FEED_RETENTION_HOURS, a week by default), is BAD_USER_INPUT.";

@ObjectType({ description: "A comment as a feed event: keep `cursor` to resume after a disconnect." })
export class CommentEvent {
  @Field({ description: CURSOR })
  cursor: string;

  @Field(() => Comment, { description: "The comment that became public." })
  comment: Comment;

  @Field({ description: REPLAYED })
  replayed: boolean;
}

@ObjectType({ description: "An article as a feed event: keep `cursor` to resume after a disconnect." })
export class ArticleEvent {
  @Field({ description: CURSOR })
  cursor: string;

  @Field(() => Article, { description: "The article that went live." })
  article: Article;

  @Field({ description: REPLAYED })
  replayed: boolean;
}
