import MarkdownIt from "markdown-it";
import sanitizeHtml from "sanitize-html";

// Raw HTML in Markdown is escaped, not passed through; sanitize-html is the second wall.
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: true });

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "code",
    "pre",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "s",
  ],
  // rel is the transform's: the attribute filter runs after transformTags, so it must be allowed too.
  allowedAttributes: { a: ["href", "title", "rel"] },
  allowedSchemes: ["http", "https", "mailto"],
  transformTags: { a: sanitizeHtml.simpleTransform("a", { rel: "nofollow noopener" }) },
};

/** Renders an article body once, when it is written: sanitised HTML and its word count. */
export function renderBody(source: string): { html: string; wordCount: number } {
  const html = sanitizeHtml(markdown.render(source), SANITIZE);
  const text = sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} });
  const wordCount = text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
  return { html, wordCount };
}
