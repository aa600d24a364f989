/**
 * newsgraph live-blog widget. Embed with one element and the script:
 *
 *   <div data-newsgraph-article="SLUG"></div>   (or data-newsgraph-topic="SLUG")
 *   <script src="https://NEWSGRAPH/widget/live-blog.js" async></script>
 *
 * Optional attributes: data-newsgraph-endpoint (GraphQL URL; default: /graphql
 * on the script's origin), data-newsgraph-body="false" (article mode: leave the
 * body to the host page), data-newsgraph-link (topic mode: article link, with
 * "{slug}"; default /live/{slug} on the script's origin).
 */
import { ArticleWidget } from "./article-widget";
import { injectStyles } from "./styles";
import { TopicWidget } from "./topic-widget";
import { Live } from "./transport";

const scriptSrc = (document.currentScript as HTMLScriptElement | null)?.src || location.href;
const connections = new Map<string, Live>();

function liveFor(endpoint: string): Live {
  let live = connections.get(endpoint);
  if (!live) {
    live = new Live(endpoint.replace(/^http/, "ws"));
    connections.set(endpoint, live);
  }
  return live;
}

/** Starts the widget on one element (once). */
export function mount(el: HTMLElement): void {
  if (el.hasAttribute("data-newsgraph-mounted")) return;
  const article = el.getAttribute("data-newsgraph-article");
  const topic = el.getAttribute("data-newsgraph-topic");
  if (!article && !topic) return;
  el.setAttribute("data-newsgraph-mounted", "");
  injectStyles();
  const endpoint = new URL(el.getAttribute("data-newsgraph-endpoint") || "/graphql", scriptSrc).href;
  const live = liveFor(endpoint);
  if (article) {
    void new ArticleWidget(el, article, {
      endpoint,
      live,
      showBody: el.getAttribute("data-newsgraph-body") !== "false",
    }).start();
  } else if (topic) {
    void new TopicWidget(el, topic, {
      endpoint,
      live,
      linkTemplate:
        el.getAttribute("data-newsgraph-link") ||
        new URL("/live/{slug}", scriptSrc).href.replace("%7Bslug%7D", "{slug}"),
      excludeSlug: el.getAttribute("data-newsgraph-exclude"),
    }).start();
  }
}

export function mountAll(root: ParentNode = document): void {
  root.querySelectorAll<HTMLElement>("[data-newsgraph-article],[data-newsgraph-topic]").forEach(mount);
}

(window as unknown as { NewsgraphLiveBlog: unknown }).NewsgraphLiveBlog = { mount, mountAll };
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => mountAll());
else mountAll();
