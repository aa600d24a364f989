import { append, h } from "./dom";
import type { LeadImageData } from "./queries";

/**
 * The article's lead image under its headline, with srcset and sizes; redrawn only when an
 * article payload (the page query, every articleUpdated) changes it.
 */
export class LeadImageView {
  readonly el = h("figure", { class: "ngw-lead", hidden: true });
  private shown = "";

  /** The lead image with its srcset (URLs resolved against the endpoint: the page may be on another origin). */
  show(image: LeadImageData | null, endpoint: string): void {
    // An update that leaves the picture as it was leaves the element alone (no reload, no flash).
    const shown = JSON.stringify(image);
    if (shown === this.shown) return;
    this.shown = shown;
    this.el.hidden = !image;
    if (!image) return void this.el.replaceChildren();
    const at = (url: string) => new URL(url, endpoint).href;
    const srcset = image.srcset
      .split(", ")
      .map((candidate) => {
        const [url, width] = candidate.split(" ");
        return `${at(url!)} ${width}`;
      })
      .join(", ");
    const caption = image.caption || image.credit;
    this.el.replaceChildren();
    append(
      this.el,
      h("img", {
        src: at(image.src),
        srcset,
        sizes: "(max-width: 46rem) 100vw, 46rem",
        width: image.width,
        height: image.height,
        alt: image.alt ?? "",
        fetchpriority: "high",
        decoding: "async",
      }),
      caption
        ? h(
            "figcaption",
            {},
            image.caption ?? "",
            image.credit ? h("span", { class: "ngw-credit" }, image.credit) : null,
          )
        : null,
    );
  }
}
