import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

/**
 * Where originals and renditions are kept: a directory (one instance, or a shared volume) or an
 * S3-compatible bucket (several instances). Keys are `KEY/original` and `KEY/WIDTH.EXT` (image-urls.ts).
 * Objects are written once and never changed, so a reader sees a whole object or none.
 */
export interface ImageStorage {
  readonly kind: "local" | "s3";
  /** The object's bytes, or null when there is none. */
  get(key: string): Promise<Buffer | null>;
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** Lets go of connections (S3); nothing for files. */
  close(): void;
}

/** Files under a directory (IMAGE_DIR, by default DATA_DIR/images). */
export class LocalImageStorage implements ImageStorage {
  readonly kind = "local";

  constructor(private readonly dir: string) {}

  private path(key: string): string {
    // Keys are made here (image-urls.ts): a random key and a fixed file name, never a path from a request.
    if (!/^[A-Za-z0-9_-]+\/[a-z0-9]+(\.[a-z]+)?$/.test(key)) throw new Error(`Not an image storage key: ${key}`);
    return join(this.dir, key);
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  /** Written to a temporary file, then renamed: a reader never sees half a file. */
  async put(key: string, body: Buffer): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      await writeFile(temporary, body);
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  close(): void {}
}
