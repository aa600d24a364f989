import { CorrectionsView } from "./corrections";
import { append, formatTime, h, joinNames, timeValue } from "./dom";
import { LeadImageView } from "./lead-image";
import type { ArticleData } from "./queries";
import { articleFragment } from "./safe-html";

/** The story of article mode: headline, standfirst, byline, updated note, corrections, lead image and body. */
export class StoryView {
  private readonly heading = h("h1", { class: "ngw-title" });
  private readonly standfirst = h("p", { class: "ngw-standfirst" });
  private readonly byline = h("p", { class: "ngw-byline" });
  private readonly updatedNote = h("p", { class: "ngw-updated", role: "status", "aria-live": "polite" });
  private readonly corrections = new CorrectionsView();
  private readonly lead = new LeadImageView();
  private readonly body = h("div", { class: "ngw-body" });

  /** The story's elements in page order (the body only when shown). */
  readonly elements: (HTMLElement | null)[];

  constructor(
    private readonly endpoint: string,
    private readonly showBody: boolean,
  ) {
    const head = h(
      "header",
      { class: "ngw-story-head" },
      this.heading,
      this.standfirst,
      this.byline,
      this.updatedNote,
      this.corrections.el,
    );
    this.elements = [head, this.lead.el, showBody ? this.body : null];
  }

  /** Shows `a`; `previous` is what was shown before (null at first), `updated` an update while open. */
  show(a: ArticleData, previous: ArticleData | null, updated: boolean): void {
    this.heading.textContent = a.title;
    this.standfirst.textContent = a.standfirst ?? "";
    this.standfirst.hidden = !a.standfirst;
    this.lead.show(a.leadImage ?? null, this.endpoint);
    const names = a.authors.map((author) => author.name);
    this.byline.replaceChildren();
    append(
      this.byline,
      names.length ? h("span", { class: "ngw-authors" }, `By ${joinNames(names)}`) : null,
      a.publishedAt ? h("time", { class: "ngw-time", datetime: a.publishedAt }, formatTime(a.publishedAt)) : null,
    );
    // bodyHtml is rendered and sanitised by the server when the article is written; articleFragment
    // keeps only what that sanitiser allows, so a bad row still cannot run script here.
    if (this.showBody && (!previous || previous.bodyHtml !== a.bodyHtml || !updated)) {
      this.body.replaceChildren(articleFragment(a.bodyHtml));
    }
    const edited = timeValue(a.updatedAt) - timeValue(a.publishedAt) > 60_000;
    this.updatedNote.textContent = edited ? `Updated ${formatTime(a.updatedAt)}` : "";
    this.updatedNote.hidden = !edited;
    this.corrections.show(a.corrections);
  }
}
