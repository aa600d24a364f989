import type { IncomingMessage, ServerResponse } from "node:http";

/** An error answered with a plain HTTP status, before GraphQL is involved. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}

/**
 * Reads a request body up to `limit` bytes (413 beyond, before reading it all
 * when Content-Length says so), rejecting invalid UTF-8 and, for JSON bodies,
 * invalid JSON with 400.
 */
export async function readBody(req: IncomingMessage, limit: number, contentType: string | undefined): Promise<unknown> {
  const tooLarge = () => new HttpError(413, `Request body is larger than ${limit} bytes`);
  if (Number(req.headers["content-length"]) > limit) {
    req.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw tooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new HttpError(400, "Request body is not valid UTF-8");
  }
  if (!contentType?.toLowerCase().includes("json")) return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "Request body is not valid JSON");
  }
}
