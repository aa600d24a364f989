import { WIDGET_CSS } from "./widget-css";

/** Adds the widget's stylesheet to the page once (the host page's CSP may name it by hash). */
export function injectStyles(): void {
  if (document.getElementById("newsgraph-widget-style")) return;
  const style = document.createElement("style");
  style.id = "newsgraph-widget-style";
  style.textContent = WIDGET_CSS;
  (document.head ?? document.documentElement).appendChild(style);
}
