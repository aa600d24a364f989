import { Field, InputType } from "type-graphql";

@InputType({ description: "A new webhook endpoint." })
export class CreateWebhookInput {
  @Field({
    description:
      "http(s) URL, at most 2000 characters, no credentials; it must resolve to public addresses only unless " +
      "WEBHOOK_ALLOW_PRIVATE_TARGETS is set. Redirects are not followed.",
  })
  url: string;

  @Field(() => [String], {
    description:
      "1 or more of ARTICLE_PUBLISHED, ARTICLE_UPDATED, COMMENT_PUBLIC, COMMENT_PENDING, COMMENT_HIDDEN, " +
      "LIVE_ENTRY_ADDED, LIVE_ENTRY_EDITED, LIVE_ENTRY_DELETED, LIVE_ENTRY_PINNED, LIVE_ENTRY_UNPINNED.",
  })
  eventKinds: string[];

  @Field(() => [String], { nullable: true, description: "Existing topic slugs (at most 50); empty or none: all." })
  topicSlugs?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description: "The signing secret, 16 to 200 printable characters; when not given one is made (and returned once).",
  })
  secret?: string | null;
}

@InputType({ description: "Changes to an endpoint; fields left out stay as they are." })
export class UpdateWebhookInput {
  @Field(() => String, { nullable: true, description: "New URL (same rules as createWebhook)." })
  url?: string | null;

  @Field(() => [String], { nullable: true, description: "New event kinds (same rules as createWebhook)." })
  eventKinds?: string[] | null;

  @Field(() => [String], { nullable: true, description: "New topic filter; an empty list removes it." })
  topicSlugs?: string[] | null;

  @Field(() => String, { nullable: true, description: "New signing secret, 16 to 200 printable characters." })
  secret?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "false pauses it; true enables a PAUSED or FAILING one, which resumes at once at the first event it has " +
      "not acknowledged (retries start afresh).",
  })
  active?: boolean | null;
}
