import { Field, ID, ObjectType } from "type-graphql";
import { ArticlePreview } from "./article-preview.entity";

@ObjectType({ description: "A new preview link. The token is shown here once; only its hash is stored." })
export class CreatedArticlePreview {
  @Field(() => ID, { description: "The preview's id, for revokeArticlePreview." })
  id: string;

  @Field({
    description: "The secret: whoever has it reads the article through Query.articlePreview until expiresAt.",
  })
  token: string;

  @Field({ description: "The link to share: PREVIEW_URL with the token (by default this server's /preview/TOKEN)." })
  url: string;

  @Field(() => Date, { description: "When the link stops working." })
  expiresAt: Date;

  @Field(() => ArticlePreview, { description: "The stored preview, as articlePreviews lists it." })
  preview: ArticlePreview;
}
