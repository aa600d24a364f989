import { request as httpRequest } from "node:http";
import type { IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP } from "node:net";
import { guardedLookup, hostOf, isPrivateAddress } from "./webhook-target";

/** What one POST came to: a status code, or the reason there was none. */
export interface SendResult {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs a JSON body to a webhook URL: no redirects followed (a 3xx is a failed attempt), the address
 * connected to checked against SSRF rules, and the whole exchange bounded by `timeoutMs` (a hanging
 * receiver costs one attempt, never a stuck worker). `signal` aborts it (shutdown).
 */
export function sendWebhook(
  target: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; allowPrivate: boolean; signal?: AbortSignal },
): Promise<SendResult> {
  const started = Date.now();
  const done = (statusCode: number | null, error: string | null): SendResult => ({
    statusCode,
    error,
    durationMs: Date.now() - started,
  });
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return Promise.resolve(done(null, "invalid URL"));
  }
  const host = hostOf(url);
  // IP literals never reach the lookup: check them here.
  if (!options.allowPrivate && isIP(host) && isPrivateAddress(host)) {
    return Promise.resolve(done(null, "refused: the URL names a non-public address"));
  }
  return new Promise((resolve) => {
    let settled = false;
    const finish = (statusCode: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      req.destroy();
      resolve(done(statusCode, error));
    };
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    const req = send(url, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      lookup: guardedLookup(options.allowPrivate) as never,
      agent: false,
    });
    const timer = setTimeout(() => finish(null, `timed out after ${options.timeoutMs} ms`), options.timeoutMs);
    const onAbort = () => finish(null, "aborted: the instance is stopping");
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener("abort", onAbort);
    req.on("error", (error: NodeJS.ErrnoException) =>
      finish(null, error.code === "ENOTPUBLIC" ? `refused: ${error.message}` : error.message || String(error.code)),
    );
    req.on("response", (res: IncomingMessage) => {
      // Read (and drop) a bounded answer, so the status counts only once the receiver has finished.
      let read = 0;
      res.on("data", (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_ANSWER_BYTES) finish(res.statusCode ?? null, null);
      });
      res.on("end", () => finish(res.statusCode ?? null, null));
      res.on("error", () => finish(res.statusCode ?? null, null));
    });
    req.end(body);
  });
}
