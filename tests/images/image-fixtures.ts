import { crc32, deflateSync } from "node:zlib";
import sharp from "sharp";

/** A photo-like test picture (a gradient and a disc), in one of the upload formats. */
export async function picture(
  width: number,
  height: number,
  format: "jpeg" | "png" | "webp" | "avif" | "gif" = "jpeg",
): Promise<Buffer> {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#1d4e89"/>` +
    `<stop offset="1" stop-color="#f2a541"/></linearGradient></defs>` +
    `<rect width="${width}" height="${height}" fill="url(#g)"/>` +
    `<circle cx="${width * 0.7}" cy="${height * 0.35}" r="${Math.min(width, height) / 5}" fill="#fff" opacity=".6"/></svg>`;
  return sharp(Buffer.from(svg)).toFormat(format).toBuffer();
}

/**
 * A decompression bomb: a 74-byte PNG whose header claims 100,000 x 100,000 pixels (10 gigapixels,
 * 30 GB decoded). Only its header may be read.
 */
export function pngBomb(width = 100_000, height = 100_000): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.alloc(1000))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** The server's origin (its /graphql URL without the path). */
export const origin = (graphqlUrl: string) => new URL(graphqlUrl).origin;

/** POST /images with raw bytes. */
export async function upload(
  graphqlUrl: string,
  body: Buffer | string,
  options: { token?: string; type?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(`${origin(graphqlUrl)}/images`, {
    method: "POST",
    headers: {
      ...(options.type === undefined
        ? { "content-type": "image/jpeg" }
        : options.type
          ? { "content-type": options.type }
          : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body,
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json, headers: res.headers };
}

/** GET of an image URL (root-relative or absolute), with the bytes. */
export async function fetchImage(graphqlUrl: string, path: string) {
  const res = await fetch(new URL(path, origin(graphqlUrl)));
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, body, json: () => JSON.parse(body.toString("utf8")) };
}
