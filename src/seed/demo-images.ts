import { randomBytes } from "node:crypto";
import pictures from "./demo/images.json";
import type { Queryable } from "../db/database";
import type { ImageStorage } from "../modules/image/image-storage";
import { storageKeys } from "../modules/image/image-urls";

/** The demo topics' pictures: 1280 x 720 JPEGs made by scripts/demo-images.mjs (sharp), base64. */
const PICTURES: { width: number; height: number; images: Record<string, string> } = pictures;

/** A topic's picture (the first topic's for a topic without one). */
export function demoPicture(topicSlug: string): Buffer {
  const base64 = PICTURES.images[topicSlug] ?? Object.values(PICTURES.images)[0]!;
  return Buffer.from(base64, "base64");
}

/**
 * Gives demo articles lead images: one picture per topic (shipped in demo/images.json, stored
 * in the image storage), each article the picture of its first topic. Inside the seed's transaction.
 */
export async function seedDemoImages(
  conn: Queryable,
  storage: ImageStorage,
  articles: { id: number; title: string; topic: string | undefined; topicName: string | undefined }[],
  uploadedBy: number,
): Promise<void> {
  const imageIds = new Map<string, number>();
  for (const article of articles) {
    const topic = article.topic ?? "news";
    let imageId = imageIds.get(topic);
    if (imageId === undefined) {
      const body = demoPicture(topic);
      const key = randomBytes(16).toString("base64url");
      await storage.put(storageKeys.original(key), body, "image/jpeg");
      const [row] = await conn.query(
        `INSERT INTO images (key, format, width, height, bytes, uploaded_by) VALUES ($1, 'jpeg', $2, $3, $4, $5)
         RETURNING id`,
        [key, PICTURES.width, PICTURES.height, body.length, uploadedBy],
      );
      imageId = row.id as number;
      imageIds.set(topic, imageId);
    }
    await conn.query(
      `INSERT INTO article_lead_images (article_id, image_id, alt, caption, credit) VALUES ($1, $2, $3, $4, $5)`,
      [
        article.id,
        imageId,
        `An illustration of the harbour at sunset in the colours of ${article.topicName ?? "the news"}`,
        article.title,
        "Illustration: newsgraph demo",
      ],
    );
  }
}
