import { randomBytes } from "node:crypto";
import sharp from "sharp";
import type { Logger } from "pino";
import type { ImageConfig } from "../../config";
import type { Database } from "../../db/database";
import type { RowMapper } from "../../db/sql";
import { Role } from "../auth/role";
import { requireRole } from "../auth/require-role";
import type { Viewer } from "../auth/viewer";
import { Image } from "./image.entity";
import type { ImageStorage } from "./image-storage";
import {
  EXTENSION_FORMAT,
  IMAGE_KEY,
  ImageFormat,
  ImageUrls,
  MIME_TYPE,
  RENDITION_WIDTHS,
  storageKeys,
} from "./image-urls";

/** A refused image request, answered over HTTP with this status and code (image.routes.ts). */
export class ImageError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The formats an upload may have (as sharp names them), and the name newsgraph gives each. */
const UPLOAD_FORMATS: Record<string, string> = { jpeg: "jpeg", png: "png", webp: "webp" };
export const ACCEPTED_TYPES = ["image/jpeg", "image/png", "image/webp", "image/avif"];

export interface Rendition {
  body: Buffer;
  contentType: string;
}

/**
 * Uploads and renditions. An upload's format is read from its bytes (the Content-Type is not trusted),
 * its size from the header before anything is decoded (a decompression bomb is refused unread), and
 * it is decoded once in full so that a broken file is refused at upload, not at first view.
 * Renditions are made on first request, stored beside the original and served from the storage
 * afterwards, so every instance sharing the storage shares them; concurrent first requests on one
 * instance make one.
 */
export class ImageService {
  readonly urls: ImageUrls;
  /** Renditions this instance has encoded (tests count them). */
  renditionsMade = 0;
  private readonly inFlight = new Map<string, Promise<Rendition>>();

  constructor(
    private readonly db: Database,
    private readonly rows: RowMapper,
    readonly storage: ImageStorage,
    private readonly config: ImageConfig,
    private readonly logger: Logger,
  ) {
    this.urls = new ImageUrls(config.baseUrl);
  }

  /** WRITER or better: checks and stores an image; its id, size and URLs are the answer. */
  async upload(viewer: Viewer | null, body: Buffer): Promise<Image> {
    const caller = requireRole(viewer, Role.WRITER);
    const { format, width, height } = await this.inspect(body);
    const key = randomBytes(16).toString("base64url");
    // The file first: a row never names a missing original (a failed insert leaves an unused file).
    await this.storage.put(storageKeys.original(key), body, MIME_TYPE[format]!);
    const [row] = await this.db.query(
      `INSERT INTO images (key, format, width, height, bytes, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING ${this.rows.columns(Image, "images")}`,
      [key, format, width, height, body.length, caller.authorId],
    );
    return this.rows.hydrate(Image, row);
  }

  /** The real format and displayed size of an upload, or the reason it is refused. */
  private async inspect(body: Buffer): Promise<{ format: string; width: number; height: number }> {
    const limitInputPixels = this.config.maxPixels;
    let metadata: sharp.Metadata;
    try {
      metadata = await sharp(body, { limitInputPixels }).metadata();
    } catch (error) {
      const message = (error as Error).message ?? "";
      if (/pixel limit/i.test(message)) throw this.tooManyPixels();
      if (/unsupported image format/i.test(message)) throw this.notAnImage();
      throw new ImageError(400, "BAD_USER_INPUT", "The image could not be read", { fields: { body: "unreadable" } });
    }
    const format =
      metadata.format === "heif"
        ? metadata.compression === "av1"
          ? "avif"
          : undefined
        : UPLOAD_FORMATS[metadata.format];
    if (!format) throw this.notAnImage();
    const width = metadata.autoOrient?.width ?? metadata.width;
    const height = metadata.autoOrient?.height ?? metadata.height;
    if (!width || !height) throw this.notAnImage();
    if (width * height > limitInputPixels) throw this.tooManyPixels();
    try {
      // Decodes every pixel (a truncated or corrupt file fails here, not at its first rendition).
      await sharp(body, { limitInputPixels, failOn: "error" }).resize(16, 16, { fit: "inside" }).raw().toBuffer();
    } catch (error) {
      this.logger.debug({ err: error }, "image upload failed to decode");
      throw new ImageError(400, "BAD_USER_INPUT", "The image is damaged or incomplete: it could not be decoded", {
        fields: { body: "could not be decoded" },
      });
    }
    return { format, width, height };
  }

  private notAnImage() {
    return new ImageError(415, "UNSUPPORTED_MEDIA_TYPE", "The body is not a JPEG, PNG, WebP or AVIF image", {
      accepted: ACCEPTED_TYPES,
    });
  }

  private tooManyPixels() {
    const max = this.config.maxPixels;
    return new ImageError(400, "BAD_USER_INPUT", `The image has more than ${max.toLocaleString("en")} pixels`, {
      fields: { body: `more than ${max} pixels` },
      maxPixels: max,
    });
  }

  /** Images by id, in the order asked; null for ids that do not exist. */
  async byIds(ids: readonly number[]): Promise<(Image | null)[]> {
    if (!ids.length) return [];
    const rows = await this.db.query(
      `SELECT ${this.rows.columns(Image, "i")} FROM images i WHERE i.id = ANY($1::int[])`,
      [[...ids]],
    );
    const byId = new Map(this.rows.hydrateAll(Image, rows).map((i) => [i.dbId, i]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  private async byKey(key: string): Promise<Image | null> {
    const [row] = await this.db.query(`SELECT ${this.rows.columns(Image, "i")} FROM images i WHERE i.key = $1`, [key]);
    return row ? this.rows.hydrate(Image, row) : null;
  }

  /** The original as uploaded. */
  async original(key: string): Promise<Rendition> {
    const image = IMAGE_KEY.test(key) ? await this.byKey(key) : null;
    const body = image && (await this.storage.get(storageKeys.original(key)));
    if (!image || !body) throw new ImageError(404, "NOT_FOUND", "Image not found");
    return { body, contentType: MIME_TYPE[image.format]! };
  }

  /**
   * One rendition: from the storage when it was made before (no database read), else made now from
   * the original, stored, and returned. A width past the original's gives the original's width.
   */
  async rendition(key: string, width: number, ext: string): Promise<Rendition> {
    if (!IMAGE_KEY.test(key)) throw new ImageError(404, "NOT_FOUND", "Image not found");
    const format = EXTENSION_FORMAT.get(ext);
    const errors: Record<string, string> = {};
    if (!(RENDITION_WIDTHS as readonly number[]).includes(width))
      errors.width = `one of ${RENDITION_WIDTHS.join(", ")}`;
    if (!format) errors.format = `one of ${[...EXTENSION_FORMAT.keys()].join(", ")}`;
    if (Object.keys(errors).length) {
      throw new ImageError(400, "BAD_USER_INPUT", "No such rendition: " + JSON.stringify(errors), { fields: errors });
    }
    const storageKey = storageKeys.rendition(key, width, ext);
    const stored = await this.storage.get(storageKey);
    if (stored) return { body: stored, contentType: MIME_TYPE[ext]! };
    let making = this.inFlight.get(storageKey);
    if (!making) {
      making = this.make(key, width, format!, storageKey).finally(() => this.inFlight.delete(storageKey));
      this.inFlight.set(storageKey, making);
    }
    return making;
  }

  private async make(key: string, width: number, format: ImageFormat, storageKey: string): Promise<Rendition> {
    // Another request may have finished it between our read and our turn.
    const done = await this.storage.get(storageKey);
    const contentType = MIME_TYPE[storageKey.slice(storageKey.lastIndexOf(".") + 1)]!;
    if (done) return { body: done, contentType };
    const image = await this.byKey(key);
    const original = image && (await this.storage.get(storageKeys.original(key)));
    if (!image || !original) throw new ImageError(404, "NOT_FOUND", "Image not found");
    let pipeline = sharp(original, { limitInputPixels: this.config.maxPixels })
      .rotate()
      .resize({ width, withoutEnlargement: true });
    if (format === ImageFormat.WEBP) pipeline = pipeline.webp({ quality: 78 });
    else if (format === ImageFormat.AVIF) pipeline = pipeline.avif({ quality: 55, effort: 2 });
    else pipeline = pipeline.flatten({ background: "#ffffff" }).jpeg({ quality: 80, mozjpeg: true });
    const body = await pipeline.toBuffer();
    this.renditionsMade++;
    await this.storage.put(storageKey, body, contentType);
    return { body, contentType };
  }
}
