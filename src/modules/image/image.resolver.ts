import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import type { Context } from "../../context";
import { BadInputError } from "../../shared/errors";
import { Image } from "./image.entity";
import { ImageFormat, RENDITION_WIDTHS } from "./image-urls";

const WIDTHS = RENDITION_WIDTHS.join(", ");

@Resolver(() => Image)
export class ImageResolver {
  @FieldResolver(() => String, {
    description:
      "Without arguments the original as uploaded; with a width, that rendition (made on first request, then " +
      `cached; served with immutable cache headers). Never enlarged: past the original's width it has the original's.`,
  })
  url(
    @Root() image: Image,
    @Ctx() ctx: Context,
    @Arg("width", () => Int, { nullable: true, description: `One of ${WIDTHS}; another is BAD_USER_INPUT.` })
    width?: number | null,
    @Arg("format", () => ImageFormat, {
      nullable: true,
      description: "The rendition's encoding; JPEG when a width is given without it. A format alone: full width.",
    })
    format?: ImageFormat | null,
  ): string {
    const urls = ctx.services.image.urls;
    if (width == null && format == null) return urls.original(image.key);
    if (width != null && !(RENDITION_WIDTHS as readonly number[]).includes(width)) {
      throw new BadInputError({ width: `must be one of ${WIDTHS}` });
    }
    const full = RENDITION_WIDTHS.find((w) => w >= image.width) ?? RENDITION_WIDTHS[RENDITION_WIDTHS.length - 1];
    return urls.rendition(image.key, width ?? full, format ?? ImageFormat.JPEG);
  }

  @FieldResolver(() => String, {
    description:
      `Every rendition up to the original's width (of ${WIDTHS}), as an <img srcset> with true pixel widths ` +
      '("URL 320w, URL 640w, ..."); pair it with a `sizes` attribute.',
  })
  srcset(
    @Root() image: Image,
    @Ctx() ctx: Context,
    @Arg("format", () => ImageFormat, { defaultValue: ImageFormat.WEBP, description: "The renditions' encoding." })
    format: ImageFormat,
  ): string {
    return ctx.services.image.urls.srcset(image, format);
  }
}
