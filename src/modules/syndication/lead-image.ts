import type { Image } from "../image/image.entity";
import type { ImageUrls } from "../image/image-urls";
import { ImageFormat, renditionWidths } from "../image/image-urls";

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

/** The widest rendition feeds and link previews get (Open Graph asks for at least 1200 px). */
export const FEED_IMAGE_WIDTH = 1280;

/**
 * An article's lead image for feeds, Open Graph/Twitter and JSON-LD: its JPEG rendition at up to
 * FEED_IMAGE_WIDTH (never enlarged), with its true size and alt. Root-relative image URLs (no
 * IMAGE_BASE_URL) are made absolute under SITE_URL.
 */
export function feedImageOf(image: Image, urls: ImageUrls, siteUrl: string): FeedImage {
  const widths = renditionWidths(image.width);
  const pick = [...widths].reverse().find((w) => w.urlWidth <= FEED_IMAGE_WIDTH) ?? widths[0]!;
  const url = urls.rendition(image.key, pick.urlWidth, ImageFormat.JPEG);
  return {
    url: url.startsWith("/") ? new URL(url, `${siteUrl}/`).toString() : url,
    type: "image/jpeg",
    length: 0,
    width: pick.width,
    height: Math.round((image.height * pick.width) / image.width),
    ...(image.alt ? { alt: image.alt } : {}),
  };
}
