import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../../context";
import { Article } from "../article/article.entity";
import { ArticleSeo } from "./article-seo.types";
import { articleSeo } from "./article-seo";

// Article.seo joins the article to the site's URL settings and its lead image (docs/architecture.md).
@Resolver(() => Article)
export class ArticleSeoResolver {
  @FieldResolver(() => ArticleSeo, {
    description: "Canonical URL, meta title and description, and the Open Graph/Twitter image.",
  })
  async seo(@Root() article: Article, @Ctx() ctx: Context): Promise<ArticleSeo> {
    const { syndication } = ctx.services;
    const [meta, [image]] = await Promise.all([
      ctx.loaders.article.meta.load(article.dbId),
      syndication.leadImages([article]),
    ]);
    return articleSeo(syndication.config, article, meta, image ?? null);
  }
}
