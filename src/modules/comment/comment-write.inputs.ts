import { Field, ID, InputType, ObjectType } from "type-graphql";
import { Comment } from "./comment.entity";
import {
  MAX_AUTHOR_NAME,
  MAX_COMMENT_BODY,
  MAX_IDEMPOTENCY_KEY,
  MAX_REPLY_DEPTH,
  MAX_WEBSITE,
} from "./comment-write.service";

const n = (value: number) => value.toLocaleString("en");

@InputType({ description: "A reader's comment." })
export class AddCommentInput {
  @Field(() => ID, { description: "The article's global id: a published article with comments open." })
  articleId: string;

  @Field(() => ID, {
    nullable: true,
    description:
      "Reply to this comment of the same article. It must be approved, and replies nest at most " +
      `${MAX_REPLY_DEPTH} deep below a top-level comment.`,
  })
  parentId?: string | null;

  @Field(() => String, { description: `The name shown with the comment: 1 to ${MAX_AUTHOR_NAME} characters.` })
  authorName: string;

  @Field(() => String, { description: "Required and validated; stored for moderation, never published." })
  email: string;

  @Field(() => String, {
    nullable: true,
    description: `An http(s) URL shown with the name, up to ${n(MAX_WEBSITE)} characters; empty means none.`,
  })
  website?: string | null;

  @Field(() => String, { description: `Plain text, 1 to ${n(MAX_COMMENT_BODY)} characters.` })
  body: string;

  @Field(() => String, {
    nullable: true,
    description:
      `A retry with the same key returns the first result and stores nothing new. 1 to ${MAX_IDEMPOTENCY_KEY} ` +
      "characters; the same key with a different comment is CONFLICT.",
  })
  idempotencyKey?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Leave empty. Forms render it hidden; only bots fill it in, and their comments wait for moderation.",
  })
  honeypot?: string | null;
}

@ObjectType({ description: "What addComment stored." })
export class AddCommentPayload {
  @Field(() => Comment, { description: "APPROVED when it is already public, PENDING when it awaits moderation." })
  comment: Comment;
}
