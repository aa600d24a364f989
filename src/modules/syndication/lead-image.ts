import type { Article } from "../article/article.entity";

/** An article's image as feeds (enclosure, media:content, JSON Feed image) and Open Graph use it. */
export interface FeedImage {
  /** Absolute URL. */
  url: string;
  /** Media type, e.g. image/jpeg. */
  type: string;
  /** Bytes (RSS enclosures want it; 0 when unknown). */
  length?: number;
  width?: number;
  height?: number;
  alt?: string;
}

/**
 * The lead image of an article for feeds, Open Graph/Twitter and JSON-LD: the one place to wire
 * `Article.leadImage` in once images exist (return its largest JPEG or WebP rendition, with width,
 * height and alt). Null means no image: feeds then carry no enclosure and pages no og:image.
 */
export function leadImageFor(article: Article): FeedImage | null {
  void article;
  return null;
}
