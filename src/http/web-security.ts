import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { HttpError } from "./body";

/**
 * What every response carries, whatever it is (JSON, a page, a script): no MIME sniffing, no
 * referrer, no framing by another site, and a policy that lets a non-page response load nothing
 * (a JSON body opened as a document stays inert). The HTML pages replace the policy with pageCsp().
 */
const RESPONSE_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("referrer-policy", "no-referrer");
  res.setHeader("x-frame-options", "DENY");
  res.setHeader("content-security-policy", RESPONSE_CSP);
}

/** A CSP source for an inline <style> element with exactly this content. */
const styleHash = (css: string) => `'sha256-${createHash("sha256").update(css, "utf8").digest("base64")}'`;

/**
 * The policy of the HTML pages (GraphiQL, the widget's demo pages): scripts only from this origin
 * (no inline script, no eval), inline styles only the ones named here by hash (or any, for a page
 * whose libraries compute them), requests and WebSockets only to this origin ('self' covers ws: and
 * wss: on the same host).
 */
export function pageCsp(inlineStyles: readonly string[] | "any"): string {
  const styles = inlineStyles === "any" ? ["'unsafe-inline'"] : inlineStyles.map(styleHash);
  return [
    "default-src 'none'",
    "script-src 'self'",
    ["style-src 'self'", ...styles].join(" "),
    "connect-src 'self'",
    // GraphiQL's stylesheet embeds its fonts and a few images as data: URLs.
    "img-src 'self' data:",
    "font-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * The path of a request-target, taken as it was sent: `//host/path` is the path "//host/path"
 * (404), not "/path" on another host. The absolute form (`http://host/path`, which a proxy may
 * send) is served by its path; anything else (`*`, garbage) is a 400.
 */
export function requestUrl(target: string | undefined): URL {
  const raw = target ?? "/";
  try {
    if (raw.startsWith("/")) return new URL(`http://localhost${raw}`);
    if (/^https?:\/\//i.test(raw)) return new URL(raw);
  } catch {
    // falls through to the 400
  }
  throw new HttpError(400, "Bad request-target");
}

/** A 405 for a method the resource does not answer, naming the ones it does. */
export function methodNotAllowed(req: IncomingMessage, res: ServerResponse, allow: string): HttpError {
  req.resume();
  res.setHeader("allow", allow);
  return new HttpError(405, `${req.method} is not allowed here; use ${allow}`);
}

/** Adds a token to the Vary header, keeping what is already there. */
export function addVary(res: ServerResponse, token: string): void {
  const current = String(res.getHeader("vary") ?? "");
  const tokens = current.split(",").map((t) => t.trim().toLowerCase());
  if (!tokens.includes(token.toLowerCase())) res.setHeader("vary", current ? `${current}, ${token}` : token);
}
