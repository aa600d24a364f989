import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../../context";
import { Image } from "../image/image.entity";
import { Article } from "./article.entity";

@Resolver(() => Article)
export class ArticleLeadImageResolver {
  @FieldResolver(() => Image, {
    nullable: true,
    description:
      "The picture at the top of the article, with its alt text, caption and credit; null when it has none. " +
      "Batched: a page of N articles costs one statement.",
  })
  async leadImage(@Root() article: Article, @Ctx() ctx: Context): Promise<Image | null> {
    return ctx.tagged(await ctx.loaders.article.leadImage.load(article.dbId));
  }
}
