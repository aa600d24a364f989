import { Field, InputType, registerEnumType } from "type-graphql";
import { ArticleStatus } from "./article.entity";

export enum ArticleOrder {
  NEWEST_FIRST = "NEWEST_FIRST",
  OLDEST_FIRST = "OLDEST_FIRST",
}
registerEnumType(ArticleOrder, { name: "ArticleOrder" });

@InputType()
export class ArticleFilter {
  @Field(() => [String], { nullable: true, description: "Articles tagged with any of these topics." })
  topicSlugs?: string[] | null;

  @Field(() => String, { nullable: true })
  authorSlug?: string | null;

  @Field(() => ArticleStatus, { nullable: true, description: "Anything but PUBLISHED needs a WRITER token or better." })
  status?: ArticleStatus | null;

  @Field(() => Date, { nullable: true })
  publishedAfter?: Date | null;

  @Field(() => Date, { nullable: true })
  publishedBefore?: Date | null;
}
