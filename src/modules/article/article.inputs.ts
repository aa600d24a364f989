import { Field, InputType, registerEnumType } from "type-graphql";
import { ArticleStatus } from "./article.entity";

export enum ArticleOrder {
  NEWEST_FIRST = "NEWEST_FIRST",
  OLDEST_FIRST = "OLDEST_FIRST",
}
registerEnumType(ArticleOrder, {
  name: "ArticleOrder",
  description: "The order of `articles`: by publication time (creation time for drafts), then by id.",
  valuesConfig: {
    NEWEST_FIRST: { description: "Newest first (the default)." },
    OLDEST_FIRST: { description: "Oldest first." },
  },
});

@InputType({ description: "Narrows `articles`: an article is listed when it meets every condition given." })
export class ArticleFilter {
  @Field(() => [String], { nullable: true, description: "Articles tagged with any of these topics." })
  topicSlugs?: string[] | null;

  @Field(() => String, { nullable: true, description: "Articles with this author in the byline." })
  authorSlug?: string | null;

  @Field(() => ArticleStatus, {
    nullable: true,
    description:
      "PUBLISHED when not given. Anything but PUBLISHED needs a WRITER token or better (UNAUTHENTICATED " +
      "without one); writers then see only articles in their own byline, editors all.",
  })
  status?: ArticleStatus | null;

  @Field(() => Date, { nullable: true, description: "Published strictly after this time." })
  publishedAfter?: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: "Published strictly before this time; it must be later than publishedAfter (else BAD_USER_INPUT).",
  })
  publishedBefore?: Date | null;
}
