import { Field, ID, InputType, ObjectType } from "type-graphql";
import { Comment } from "./comment.entity";

@InputType()
export class AddCommentInput {
  @Field(() => ID)
  articleId: string;

  @Field(() => ID, { nullable: true, description: "Reply to this comment of the same article." })
  parentId?: string | null;

  @Field(() => String)
  authorName: string;

  @Field(() => String, { description: "Required and validated; stored for moderation, never published." })
  email: string;

  @Field(() => String, { nullable: true })
  website?: string | null;

  @Field(() => String)
  body: string;

  @Field(() => String, {
    nullable: true,
    description: "A retry with the same key returns the first result and stores nothing new.",
  })
  idempotencyKey?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Leave empty. Forms render it hidden; only bots fill it in, and their comments wait for moderation.",
  })
  honeypot?: string | null;
}

@ObjectType()
export class AddCommentPayload {
  @Field(() => Comment, { description: "APPROVED when it is already public, PENDING when it awaits moderation." })
  comment: Comment;
}
