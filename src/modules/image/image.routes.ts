import type { IncomingMessage, ServerResponse } from "node:http";
import { AppError } from "../../shared/errors";
import type { AuthService } from "../auth/auth.service";
import { Role } from "../auth/role";
import { requireRole } from "../auth/require-role";
import { ImageFormat } from "./image-urls";
import { ACCEPTED_TYPES, ImageError } from "./image.service";
import type { ImageService } from "./image.service";

/** What the image routes need of the server. */
export interface ImageRouteDeps {
  image: ImageService;
  auth: AuthService;
  maxBytes: number;
}

/** Immutable: an image's bytes never change under its URL (a new upload gets a new key). */
export const IMMUTABLE = "public, max-age=31536000, immutable";

const RENDITION_PATH = /^\/images\/([^/]+)\/(?:(original)|([0-9]{1,5})\.([a-z0-9]{1,8}))$/;

/** Whether a path belongs to the image routes: POST /images, GET /images/KEY/original and /images/KEY/W.FORMAT. */
export const isImagePath = (pathname: string) => pathname === "/images" || pathname.startsWith("/images/");

/**
 * The image routes. Every refusal is JSON in the shape /graphql uses
 * (`errors[0].extensions.code`), never a stack: 401/403 for the token, 413 too large, 415 not an
 * image, 400 a bad image or rendition, 404 no such image, 405 another method.
 */
export async function imageRoute(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  requestId: string,
  deps: ImageRouteDeps,
): Promise<void> {
  try {
    if (pathname === "/images") {
      if (req.method !== "POST") return refuse(res, requestId, methodNotAllowed(req, "POST"), { allow: "POST" });
      return await upload(req, res, deps);
    }
    const match = RENDITION_PATH.exec(pathname);
    if (!match) throw new ImageError(404, "NOT_FOUND", "Not found");
    if (req.method !== "GET" && req.method !== "HEAD") {
      return refuse(res, requestId, methodNotAllowed(req, "GET, HEAD"), { allow: "GET, HEAD" });
    }
    const [, key, original, width, ext] = match;
    const file = original ? await deps.image.original(key!) : await deps.image.rendition(key!, Number(width), ext!);
    res.writeHead(200, {
      "content-type": file.contentType,
      "content-length": String(file.body.length),
      "cache-control": IMMUTABLE,
      // Newsroom pages on other origins show them (also pages that send COEP).
      "cross-origin-resource-policy": "cross-origin",
      "access-control-allow-origin": "*",
    });
    res.end(req.method === "HEAD" ? undefined : file.body);
  } catch (error) {
    if (error instanceof ImageError) return refuse(res, requestId, error);
    if (error instanceof AppError) {
      const code = String(error.extensions.code);
      const status = code === "UNAUTHENTICATED" ? 401 : code === "FORBIDDEN" ? 403 : 400;
      return refuse(res, requestId, new ImageError(status, code, error.message, { ...error.extensions }));
    }
    throw error;
  }
}

const methodNotAllowed = (req: IncomingMessage, allow: string) =>
  new ImageError(405, "METHOD_NOT_ALLOWED", `${req.method} is not allowed here; use ${allow}`);

/** POST /images: the token first, then the type, then the bytes up to the cap. */
async function upload(req: IncomingMessage, res: ServerResponse, deps: ImageRouteDeps): Promise<void> {
  // The one wording of a role gate: UNAUTHENTICATED without a token, FORBIDDEN below WRITER.
  const viewer = requireRole(await deps.auth.authenticate(req.headers.authorization), Role.WRITER);
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (!type.startsWith("image/")) {
    throw new ImageError(
      415,
      "UNSUPPORTED_MEDIA_TYPE",
      `POST /images takes the image's bytes with Content-Type image/*`,
      {
        accepted: ACCEPTED_TYPES,
      },
    );
  }
  const body = await readCapped(req, deps.maxBytes);
  const image = await deps.image.upload(viewer, body);
  const urls = deps.image.urls;
  res.writeHead(201, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(
    JSON.stringify({
      id: image.id,
      width: image.width,
      height: image.height,
      format: image.format,
      bytes: image.bytes,
      url: urls.original(image.key),
      srcset: urls.srcset(image, ImageFormat.WEBP),
    }),
  );
}

/** The body, or 413 as soon as it passes the cap (at once when Content-Length says so). */
async function readCapped(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () =>
    new ImageError(413, "PAYLOAD_TOO_LARGE", `The image is larger than ${limit} bytes (IMAGE_MAX_BYTES)`, {
      maxBytes: limit,
    });
  if (Number(req.headers["content-length"]) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function refuse(res: ServerResponse, requestId: string, error: ImageError, headers: Record<string, string> = {}) {
  const closeAfter = !res.req.complete;
  if (res.headersSent) return void res.end();
  const extensions = { ...error.extensions, code: error.code, requestId };
  delete (extensions as { http?: unknown }).http;
  res.writeHead(error.status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    // An upload refused before its end: stop reading what the client still sends.
    ...(closeAfter ? { connection: "close" } : {}),
    ...headers,
  });
  res.end(JSON.stringify({ errors: [{ message: error.message, extensions }] }));
}
