import { h } from "./dom";
import type { Live, LiveState } from "./transport";

/** A quiet connection indicator: "Live" while connected, "Reconnecting…" while not. */
export class StatusLine {
  readonly el = h("p", { class: "ngw-status", role: "status", "aria-live": "polite" });
  private failed = false;

  constructor(live: Live) {
    live.onState((state) => this.show(state));
  }

  fail(message: string): void {
    this.failed = true;
    this.el.dataset.state = "failed";
    this.el.textContent = message;
  }

  private show(state: LiveState): void {
    if (this.failed) return;
    this.el.dataset.state = state;
    this.el.textContent = state === "live" ? "Live" : state === "reconnecting" ? "Reconnecting…" : "";
  }
}
