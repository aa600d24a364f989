/**
 * The article's HTML into the page without handing it to innerHTML. The server sanitises bodyHtml
 * when the article is written; this is the second wall, for a sanitiser bypass or a row written some
 * other way, on a newsroom's page that may have no CSP at all. The HTML is parsed into an inert
 * document (DOMParser: nothing runs, nothing loads) and only what the server's sanitiser allows
 * (src/modules/article/article.render.ts) is rebuilt as new nodes: those elements, and on links
 * only an http(s) or mailto href and a title. Anything else is dropped, keeping its text.
 */
const ALLOWED = new Set(
  "p br hr h2 h3 h4 h5 h6 blockquote ul ol li strong em code pre a table thead tbody tr th td s".split(" "),
);
/** Elements whose content is not text for the reader: dropped whole. */
const DROPPED = new Set("script style template noscript textarea iframe object embed svg math select".split(" "));

export function articleFragment(html: string): DocumentFragment {
  const parsed = new DOMParser().parseFromString(html, "text/html");
  const out = document.createDocumentFragment();
  copyChildren(parsed.body, out);
  return out;
}

function copyChildren(from: Node, to: Node): void {
  for (let node = from.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === Node.TEXT_NODE) {
      to.appendChild(document.createTextNode(node.nodeValue ?? ""));
      continue;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) continue;
    const tag = (node as Element).localName;
    if (DROPPED.has(tag)) continue;
    if (!ALLOWED.has(tag)) {
      copyChildren(node, to);
      continue;
    }
    const copy = document.createElement(tag);
    if (tag === "a") copyLink(node as HTMLAnchorElement, copy as HTMLAnchorElement);
    copyChildren(node, copy);
    to.appendChild(copy);
  }
}

function copyLink(from: HTMLAnchorElement, to: HTMLAnchorElement): void {
  const href = from.getAttribute("href");
  if (href) {
    try {
      const url = new URL(href, document.baseURI);
      if (url.protocol === "http:" || url.protocol === "https:" || url.protocol === "mailto:") {
        to.setAttribute("href", url.href);
        to.setAttribute("rel", "nofollow noopener");
      }
    } catch {
      // not a URL: the text stays, the link goes
    }
  }
  const title = from.getAttribute("title");
  if (title) to.setAttribute("title", title);
}
