import { formatTime, h } from "./dom";

export interface CorrectionData {
  text: string;
  createdAt: string;
}

/**
 * The article's correction notes under its headline, oldest first:
 * "Correction, <time>: <text>". Rendered whole from each article payload (the
 * page query and every articleUpdated), so a note delivered live appears in
 * place and a silent fix changes nothing here.
 */
export class CorrectionsView {
  readonly el = h("aside", { class: "ngw-corrections", "aria-label": "Corrections", hidden: true });

  show(corrections: CorrectionData[] | undefined): void {
    const list = corrections ?? [];
    this.el.replaceChildren(
      ...list.map((c) =>
        h(
          "p",
          { class: "ngw-correction" },
          h("strong", {}, "Correction"),
          ", ",
          h("time", { datetime: c.createdAt }, formatTime(c.createdAt)),
          ": ",
          c.text,
        ),
      ),
    );
    this.el.hidden = list.length === 0;
  }
}
