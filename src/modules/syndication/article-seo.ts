import type { SyndicationConfig } from "../../config";
import type { Article } from "../article/article.entity";
import type { ArticleMeta } from "../article/article.service";
import type { ArticleSeo } from "./article-seo.types";
import type { FeedImage } from "./lead-image";
import { articleUrl } from "./syndication.urls";

/** An article's SEO fields: its own meta title and description, else the headline and standfirst. */
export function articleSeo(
  config: SyndicationConfig,
  article: Article,
  meta: ArticleMeta,
  image: FeedImage | null,
): ArticleSeo {
  return {
    canonicalUrl: articleUrl(config, article),
    metaTitle: meta.metaTitle ?? article.title,
    metaDescription: meta.metaDescription ?? article.standfirst,
    ogImage: image?.url ?? null,
  };
}
