import { Field, InputType } from "type-graphql";

@InputType()
export class CreateArticleInput {
  @Field(() => String)
  title: string;

  @Field(() => String, { nullable: true, description: "Generated from the title (and made unique) when not given." })
  slug?: string | null;

  @Field(() => String, { nullable: true })
  standfirst?: string | null;

  @Field(() => String, { description: "Markdown." })
  body: string;

  @Field(() => [String], { nullable: true })
  topicSlugs?: string[] | null;

  @Field(() => [String], { nullable: true, description: "Byline; defaults to the caller." })
  authorSlugs?: string[] | null;

  @Field(() => Boolean, { nullable: true })
  commentsOpen?: boolean | null;
}

/** Only the fields given change; standfirst: null clears it. */
@InputType()
export class UpdateArticleInput {
  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => String, { nullable: true })
  slug?: string | null;

  @Field(() => String, { nullable: true })
  standfirst?: string | null;

  @Field(() => String, { nullable: true })
  body?: string | null;

  @Field(() => [String], { nullable: true })
  topicSlugs?: string[] | null;

  @Field(() => [String], { nullable: true })
  authorSlugs?: string[] | null;

  @Field(() => Boolean, { nullable: true })
  commentsOpen?: boolean | null;
}
