import type { ImageConfig } from "../../config";
import type { ImageStorage } from "./image-storage";
import { LocalImageStorage } from "./image-storage";
import { S3ImageStorage } from "./s3-image-storage";

/** The storage IMAGE_STORAGE names: files under IMAGE_DIR, or an S3-compatible bucket. */
export function createImageStorage(config: ImageConfig): ImageStorage {
  return config.storage === "s3" ? new S3ImageStorage(config.s3) : new LocalImageStorage(config.dir);
}
