import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { Article } from "../article/article.entity";
import { Comment } from "../comment/comment.entity";
import { LiveEntry } from "../liveblog/live-entry.entity";

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

export enum LiveBlogEventKind {
  ADDED = "ADDED",
  EDITED = "EDITED",
  DELETED = "DELETED",
  PINNED = "PINNED",
  UNPINNED = "UNPINNED",
}
registerEnumType(LiveBlogEventKind, {
  name: "LiveBlogEventKind",
  description: "What happened to a live-blog entry.",
  valuesConfig: {
    ADDED: { description: "Posted: insert it in its place (newest first by publishedAt)." },
    EDITED: { description: "Edited: replace it in place (it never moves)." },
    DELETED: { description: "Deleted: remove it (entry is null)." },
    PINNED: { description: "Pinned: show it above all others (another entry's UNPINNED comes first)." },
    UNPINNED: { description: "No longer pinned: back to its place." },
  },
});

@ObjectType({ description: "A change to a live blog as a feed event: keep `cursor` to resume after a disconnect." })
export class LiveBlogEvent {
  @Field({ description: CURSOR })
  cursor: string;

  @Field(() => LiveBlogEventKind, { description: "What happened." })
  kind: LiveBlogEventKind;

  @Field(() => ID, { description: "The entry this event concerns (also for DELETED)." })
  entryId: string;

  @Field(() => LiveEntry, {
    nullable: true,
    description:
      "The entry as it is now; null for DELETED. Events of an entry deleted since are not replayed, only its " +
      "DELETED: apply each event's entry as the entry's current state.",
  })
  entry: LiveEntry | null;

  @Field({ description: REPLAYED })
  replayed: boolean;
}

export enum CommentThreadEventKind {
  ADDED = "ADDED",
  REMOVED = "REMOVED",
}
registerEnumType(CommentThreadEventKind, {
  name: "CommentThreadEventKind",
  description: "What happened to a comment of the public thread.",
  valuesConfig: {
    ADDED: { description: "The comment became public (posted approved, or approved later)." },
    REMOVED: {
      description: "The comment stopped being public (rejected, or marked spam after approval): remove it.",
    },
  },
});

@ObjectType({ description: "A change to an article's public comment thread as a feed event." })
export class CommentThreadEvent {
  @Field({ description: CURSOR })
  cursor: string;

  @Field(() => CommentThreadEventKind, { description: "What happened." })
  kind: CommentThreadEventKind;

  @Field(() => ID, { description: "The comment this event concerns." })
  commentId: string;

  @Field(() => Comment, { nullable: true, description: "The comment; null for REMOVED." })
  comment: Comment | null;

  @Field({ description: REPLAYED })
  replayed: boolean;
}
