import { registerEnumType } from "type-graphql";

/** The widths renditions are made at; any other width is refused (a fixed set keeps the cache small). */
export const RENDITION_WIDTHS = [320, 640, 960, 1280, 1920] as const;

export enum ImageFormat {
  WEBP = "WEBP",
  AVIF = "AVIF",
  JPEG = "JPEG",
}
registerEnumType(ImageFormat, {
  name: "ImageFormat",
  description: "The encodings renditions are made in.",
  valuesConfig: {
    WEBP: { description: "WebP: smaller than JPEG, shown by every current browser." },
    AVIF: { description: "AVIF: smaller still; slower to make the first time." },
    JPEG: { description: "JPEG: for every client." },
  },
});

/** A rendition's file extension in URLs and storage keys. */
export const FORMAT_EXTENSION: Record<ImageFormat, string> = { WEBP: "webp", AVIF: "avif", JPEG: "jpeg" };
export const EXTENSION_FORMAT = new Map(Object.entries(FORMAT_EXTENSION).map(([f, e]) => [e, f as ImageFormat]));
export const MIME_TYPE: Record<string, string> = {
  webp: "image/webp",
  avif: "image/avif",
  jpeg: "image/jpeg",
  png: "image/png",
};

/** An image's random storage key: 22 base64url characters (128 bits). */
export const IMAGE_KEY = /^[A-Za-z0-9_-]{22}$/;

/** Where an image's files live in the storage: the original and the renditions side by side. */
export const storageKeys = {
  original: (key: string) => `${key}/original`,
  rendition: (key: string, width: number, ext: string) => `${key}/${width}.${ext}`,
};

/** The rendition a width asks for, without enlarging: its URL width, and the pixels it really has. */
export function renditionWidths(originalWidth: number): { urlWidth: number; width: number }[] {
  const out: { urlWidth: number; width: number }[] = [];
  for (const w of RENDITION_WIDTHS) {
    if (w < originalWidth) out.push({ urlWidth: w, width: w });
    else {
      // The first allowed width at or past the original serves the original's own width.
      out.push({ urlWidth: w, width: originalWidth });
      break;
    }
  }
  return out;
}

/** Builds the public URLs of images (IMAGE_BASE_URL, or root-relative paths). */
export class ImageUrls {
  constructor(private readonly baseUrl: string) {}

  original(key: string): string {
    return `${this.baseUrl}/images/${key}/original`;
  }

  rendition(key: string, width: number, format: ImageFormat): string {
    return `${this.baseUrl}/images/${key}/${width}.${FORMAT_EXTENSION[format]}`;
  }

  /** Every rendition up to the original's width, as a srcset with true pixel widths. */
  srcset(image: { key: string; width: number }, format: ImageFormat): string {
    return renditionWidths(image.width)
      .map(({ urlWidth, width }) => `${this.rendition(image.key, urlWidth, format)} ${width}w`)
      .join(", ");
  }
}
