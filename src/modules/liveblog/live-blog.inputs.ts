import { Field, ID, InputType } from "type-graphql";
import {
  MAX_ENTRY_AUTHORS,
  MAX_ENTRY_BODY,
  MAX_ENTRY_IDEMPOTENCY_KEY,
  MAX_ENTRY_TITLE,
} from "./live-blog-write.service";

const n = (value: number) => value.toLocaleString("en");

@InputType({ description: "A new entry of a live blog." })
export class AddLiveEntryInput {
  @Field(() => ID, { description: "The live blog's article: published, and live (startLiveBlog)." })
  articleId: string;

  @Field(() => String, {
    nullable: true,
    description: `An optional headline, up to ${MAX_ENTRY_TITLE} characters (trimmed; empty means none).`,
  })
  title?: string | null;

  @Field(() => String, {
    description: `Markdown, 1 to ${n(MAX_ENTRY_BODY)} characters; rendered to sanitised HTML like article bodies.`,
  })
  body: string;

  @Field(() => Boolean, { nullable: true, description: "List it in the timeline of key events (default false)." })
  isKeyEvent?: boolean | null;

  @Field(() => [String], {
    nullable: true,
    description: `Byline of the entry; defaults to the caller. 1 to ${MAX_ENTRY_AUTHORS} existing author slugs.`,
  })
  authorSlugs?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description:
      `A retry with the same key returns the first entry and stores nothing new. 1 to ${MAX_ENTRY_IDEMPOTENCY_KEY} ` +
      "characters; the same key with different content is CONFLICT.",
  })
  idempotencyKey?: string | null;
}

@InputType({ description: "Changes to an entry; fields left out stay as they are. An edit never moves the entry." })
export class UpdateLiveEntryInput {
  @Field(() => String, { nullable: true, description: "New headline; null or empty removes it." })
  title?: string | null;

  @Field(() => String, { nullable: true, description: `New Markdown body, 1 to ${n(MAX_ENTRY_BODY)} characters.` })
  body?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Whether it is a key event." })
  isKeyEvent?: boolean | null;

  @Field(() => [String], { nullable: true, description: "New byline: existing author slugs, in order." })
  authorSlugs?: string[] | null;
}
