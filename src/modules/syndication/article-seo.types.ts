import { Field, ObjectType } from "type-graphql";

@ObjectType({ description: "What search engines and link previews (Open Graph, Twitter cards) show of an article." })
export class ArticleSeo {
  @Field({ description: "The article's public URL, from SITE_URL and ARTICLE_URL_PATTERN: the canonical link." })
  canonicalUrl: string;

  @Field({ description: "The title for search results and previews: the article's metaTitle, else its headline." })
  metaTitle: string;

  @Field(() => String, {
    nullable: true,
    description: "The description for search results and previews: its metaDescription, else the standfirst.",
  })
  metaDescription: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The Open Graph and Twitter image (the lead image's URL); null when the article has none.",
  })
  ogImage: string | null;
}
