/**
 * Images on S3-compatible storage: an s3rver started here on a free port stands in for S3. The
 * originals and renditions are objects in the bucket (under S3_PREFIX), so a second instance on
 * the same bucket serves what the first made; on PostgreSQL the second shares the database too,
 * and makes a rendition of an image uploaded through the first.
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import sharp from "sharp";
// s3rver ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require("s3rver");
import { loadConfig } from "../../src/config";
import { createLogger } from "../../src/logger";
import type { NewsgraphServer } from "../../src/server";
import { createServer } from "../../src/server";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";
import { fetchImage, picture, upload } from "./image-fixtures";

const BUCKET = "newsgraph-test";
let s3: { run(): Promise<AddressInfo>; close(): Promise<void> };
let s3Dir: string;
let endpoint: string;
let client: S3Client;
let a: TestServer;
let b: TestServer;
let writer: string;

const imageConfig = () =>
  loadConfig({
    IMAGE_STORAGE: "s3",
    S3_BUCKET: BUCKET,
    S3_ENDPOINT: endpoint,
    S3_FORCE_PATH_STYLE: "true",
    S3_REGION: "us-east-1",
    S3_ACCESS_KEY_ID: "S3RVER",
    S3_SECRET_ACCESS_KEY: "S3RVER",
    S3_PREFIX: "news/",
  }).images;

beforeAll(async () => {
  s3Dir = mkdtempSync(join(tmpdir(), "newsgraph-s3rver-"));
  s3 = new S3rver({
    port: 0,
    address: "127.0.0.1",
    silent: true,
    directory: s3Dir,
    configureBuckets: [{ name: BUCKET }],
  });
  const { port } = await s3.run();
  endpoint = `http://127.0.0.1:${port}`;
  client = new S3Client({
    region: "us-east-1",
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  });
  a = await startTestServer({ images: imageConfig(), feedPollMs: 0 });
  b = await startTestServer({ images: imageConfig(), feedPollMs: 0 });
  writer = await a.token("s3-writer", "WRITER");
}, 60_000);
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  client?.destroy();
  await s3?.close();
  rmSync(s3Dir, { recursive: true, force: true });
});

const objects = async () =>
  ((await client.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((o) => o.Key!).sort();
const keyOf = (url: string) => /\/images\/([^/]+)\//.exec(url)![1]!;

it("keeps the original in the bucket, as sent, with its type", async () => {
  const bytes = await picture(1200, 800, "png");
  const res = await upload(a.url, bytes, { token: writer, type: "image/png" });
  expect(res.status).toBe(201);
  const key = keyOf(res.json.url);
  expect(await objects()).toContain(`news/${key}/original`);
  const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: `news/${key}/original` }));
  expect(object.ContentType).toBe("image/png");
  expect(Buffer.from(await object.Body!.transformToByteArray()).equals(bytes)).toBe(true);
  expect(a.services.image.storage.kind).toBe("s3");
});

it("stores each rendition beside the original once; another instance on the bucket serves it without making it", async () => {
  const res = await upload(a.url, await picture(1000, 750, "jpeg"), { token: writer });
  const key = keyOf(res.json.url);
  const path = `/images/${key}/640.webp`;
  const madeA = a.services.image.renditionsMade;
  const first = await Promise.all([fetchImage(a.url, path), fetchImage(a.url, path), fetchImage(a.url, path)]);
  expect(first.map((r) => r.status)).toEqual([200, 200, 200]);
  expect(a.services.image.renditionsMade).toBe(madeA + 1);
  expect(await objects()).toEqual(expect.arrayContaining([`news/${key}/640.webp`, `news/${key}/original`]));
  const meta = await sharp(first[0]!.body).metadata();
  expect([meta.format, meta.width, meta.height]).toEqual(["webp", 640, 480]);

  // Instance B (its own database here) finds the rendition in the bucket: same bytes, none made.
  const madeB = b.services.image.renditionsMade;
  const fromB = await fetchImage(b.url, path);
  expect(fromB.status).toBe(200);
  expect(fromB.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  expect(fromB.body.equals(first[0]!.body)).toBe(true);
  expect(b.services.image.renditionsMade).toBe(madeB);
});

it("answers 404 for an image in no database and no bucket", async () => {
  const res = await fetchImage(a.url, "/images/AAAAAAAAAAAAAAAAAAAAAA/320.jpeg");
  expect(res.status).toBe(404);
  expect(res.json().errors[0].extensions.code).toBe("NOT_FOUND");
});

const onPostgres = process.env.DATABASE_URL ? it : it.skip;

onPostgres("a second instance on the same database and bucket makes renditions of the first's uploads", async () => {
  const second: NewsgraphServer = await createServer(
    { ...a.config, port: 0, seedDemo: false },
    { logger: createLogger("silent") },
  );
  await second.start();
  try {
    const res = await upload(a.url, await picture(800, 600, "webp"), { token: writer, type: "image/webp" });
    const key = keyOf(res.json.url);
    const rendition = await fetchImage(second.url, `/images/${key}/320.avif`);
    expect(rendition.status).toBe(200);
    expect(rendition.headers.get("content-type")).toBe("image/avif");
    expect(second.services.image.renditionsMade).toBe(1);
    expect(await objects()).toContain(`news/${key}/320.avif`);
    const original = await fetchImage(second.url, res.json.url);
    expect(original.headers.get("content-type")).toBe("image/webp");
  } finally {
    await second.stop();
  }
});
