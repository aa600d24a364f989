import { h, inViewport } from "./dom";

/**
 * "N new comments": items that arrived live outside the reader's view. The page
 * never scrolls on its own; the pill counts what has not been seen yet and
 * takes the reader to the first of them on click. An item counts as seen once
 * it has been on screen.
 */
export class NewItemsPill {
  readonly el: HTMLButtonElement;
  private readonly unseen = new Set<Element>();
  private readonly observer: IntersectionObserver | null;

  constructor(
    private readonly noun: [string, string],
    private readonly arrow: "↑" | "↓",
  ) {
    this.el = h("button", { type: "button", class: "ngw-pill", hidden: true, onclick: () => this.reveal() });
    this.observer =
      typeof IntersectionObserver === "function"
        ? new IntersectionObserver(
            (entries) => {
              for (const entry of entries) if (entry.isIntersecting) this.seen(entry.target);
              this.render();
            },
            { rootMargin: "0px 0px -24px 0px" },
          )
        : null;
  }

  /** A new item was inserted: count it unless the reader can see it already. */
  track(el: Element): void {
    el.classList.add("ngw-new");
    window.setTimeout(() => el.classList.remove("ngw-new"), 4000);
    if (!this.observer || inViewport(el, 24)) return;
    this.unseen.add(el);
    this.observer.observe(el);
    this.render();
  }

  get count(): number {
    return this.unseen.size;
  }

  private seen(el: Element): void {
    this.unseen.delete(el);
    this.observer?.unobserve(el);
  }

  private reveal(): void {
    const items = [...this.unseen].filter((el) => el.isConnected);
    items.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
    const first = this.arrow === "↑" ? items[items.length - 1] : items[0];
    if (first) {
      first.scrollIntoView({ block: "center", behavior: "smooth" });
      (first as HTMLElement).focus?.({ preventScroll: true });
    }
    if (items.length <= 1) {
      for (const el of [...this.unseen]) this.seen(el);
      this.render();
    }
  }

  private render(): void {
    for (const el of [...this.unseen]) if (!el.isConnected) this.seen(el);
    const n = this.unseen.size;
    this.el.hidden = n === 0;
    this.el.textContent = `${this.arrow} ${n} new ${n === 1 ? this.noun[0] : this.noun[1]}`;
  }
}
