/**
 * Images on local storage: uploads and their refusals (too large, not an image, a decompression
 * bomb, a damaged file), renditions (sizes, formats, never enlarged, made once, immutable), and
 * articles' lead images through the GraphQL API (alt text required, unknown images refused,
 * cleared, batched, purged from the response cache).
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { loadConfig } from "../../src/config";
import { toGlobalId } from "../../src/shared/node-id";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";
import { fetchImage, picture, pngBomb, upload } from "./image-fixtures";

const MAX_BYTES = 400_000;
const MAX_PIXELS = 4_000_000;

let server: TestServer;
let dir: string;
let writer: string;
let editor: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "newsgraph-images-"));
  const images = loadConfig({
    IMAGE_DIR: dir,
    IMAGE_MAX_BYTES: String(MAX_BYTES),
    IMAGE_MAX_PIXELS: String(MAX_PIXELS),
  }).images;
  server = await startTestServer({ images, feedPollMs: 0 });
  writer = await server.token("image-writer", "WRITER");
  editor = await server.token("image-editor", "EDITOR");
}, 60_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const imageRows = async () => Number((await server.db.query("SELECT count(*)::int AS n FROM images"))[0].n);
const filesOnDisk = () => readdirSync(dir, { recursive: true }).filter((f) => String(f).includes("/")).length;
const gql = (query: string, variables: Record<string, unknown> = {}, token?: string) =>
  server.post({ query, variables }, { token });
const keyOf = (url: string) => /\/images\/([^/]+)\//.exec(url)![1]!;

describe("upload", () => {
  it.each(["jpeg", "png", "webp", "avif"] as const)("takes %s, telling the format from the bytes", async (format) => {
    const bytes = await picture(1000, 600, format);
    // The declared type is not trusted: every one is sent as image/jpeg.
    const res = await upload(server.url, bytes, { token: writer, type: "image/jpeg" });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ width: 1000, height: 600, format, bytes: bytes.length });
    expect(res.json.id).toMatch(/^[A-Za-z0-9_-]+$/);
    const original = await fetchImage(server.url, res.json.url);
    expect(original.status).toBe(200);
    expect(original.headers.get("content-type")).toBe(`image/${format}`);
    expect(original.body.equals(bytes)).toBe(true);
  });

  it("refuses callers without a writer's token: 401, and writes nothing", async () => {
    const bytes = await picture(100, 100);
    const before = await imageRows();
    const anonymous = await upload(server.url, bytes);
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.errors[0].extensions.code).toBe("UNAUTHENTICATED");
    const bad = await upload(server.url, bytes, { token: "ng_not-a-token" });
    expect(bad.status).toBe(401);
    expect(bad.json.errors[0].extensions.code).toBe("UNAUTHENTICATED");
    expect(await imageRows()).toBe(before);
  });

  it("answers 415 for a body that is no image, or not one of the four formats", async () => {
    const before = await imageRows();
    const text = await upload(server.url, "hello", { token: writer, type: "text/plain" });
    expect(text.status).toBe(415);
    expect(text.json.errors[0].extensions).toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE" });
    const disguised = await upload(server.url, "not really a PNG", { token: writer, type: "image/png" });
    expect(disguised.status).toBe(415);
    const gif = await upload(server.url, await picture(50, 50, "gif"), { token: writer, type: "image/gif" });
    expect(gif.status).toBe(415);
    expect(gif.json.errors[0].extensions.accepted).toEqual(["image/jpeg", "image/png", "image/webp", "image/avif"]);
    expect(await imageRows()).toBe(before);
  });

  it("answers 413 past IMAGE_MAX_BYTES, by Content-Length and while streaming; one byte under passes", async () => {
    const before = await imageRows();
    const big = Buffer.concat([await picture(200, 200, "png"), Buffer.alloc(MAX_BYTES)]);
    const declared = await upload(server.url, big, { token: writer, type: "image/png" });
    expect(declared.status).toBe(413);
    expect(declared.json.errors[0].extensions).toMatchObject({ code: "PAYLOAD_TOO_LARGE", maxBytes: MAX_BYTES });
    expect(declared.json.errors[0].message).not.toMatch(/at \w+ \(/); // no stack
    // Chunked (no Content-Length): the cap holds as the bytes arrive.
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 10; i++) c.enqueue(new Uint8Array(MAX_BYTES / 4));
        c.close();
      },
    });
    const chunked = await fetch(`${new URL(server.url).origin}/images`, {
      method: "POST",
      headers: { "content-type": "image/png", authorization: `Bearer ${writer}` },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(((await chunked.json()) as any).errors[0].extensions.code).toBe("PAYLOAD_TOO_LARGE");
    expect(await imageRows()).toBe(before);

    // A PNG of exactly the cap is taken (a text chunk pads it after the image data).
    const png = await picture(300, 200, "png");
    const pad = MAX_BYTES - png.length - 12; // length, type and CRC: 12 bytes around the data
    const text = Buffer.concat([Buffer.from("tEXtc\0"), Buffer.alloc(pad - 2, 0x61)]);
    const chunk = Buffer.alloc(4);
    chunk.writeUInt32BE(text.length - 4);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE((await import("node:zlib")).crc32(text));
    const exact = Buffer.concat([png.subarray(0, png.length - 12), chunk, text, crc, png.subarray(png.length - 12)]);
    expect(exact.length).toBe(MAX_BYTES);
    expect((await upload(server.url, exact, { token: writer, type: "image/png" })).status).toBe(201);
    const over = await upload(server.url, Buffer.concat([exact, Buffer.from([0])]), {
      token: writer,
      type: "image/png",
    });
    expect(over.status).toBe(413);
  });

  it("answers 400 for a decompression bomb without decoding it, and for more pixels than IMAGE_MAX_PIXELS", async () => {
    const before = await imageRows();
    const files = filesOnDisk();
    const bomb = await upload(server.url, pngBomb(), { token: writer, type: "image/png" });
    expect(bomb.status).toBe(400);
    expect(bomb.json.errors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", maxPixels: MAX_PIXELS });
    // 2,001 x 2,000 is just past 4,000,000 pixels; 2,000 x 2,000 is at the cap and passes.
    const over = await upload(server.url, await picture(2001, 2000, "png"), { token: writer, type: "image/png" });
    expect(over.status).toBe(400);
    expect(over.json.errors[0].extensions.fields).toEqual({ body: `more than ${MAX_PIXELS} pixels` });
    expect(await imageRows()).toBe(before);
    expect(filesOnDisk()).toBe(files);
    const atCap = await upload(server.url, await picture(2000, 2000, "webp"), { token: writer, type: "image/webp" });
    expect(atCap.status).toBe(201);
  });

  it("answers 400 for a damaged file whose header reads well", async () => {
    const jpeg = await picture(800, 600, "jpeg");
    const before = await imageRows();
    const res = await upload(server.url, jpeg.subarray(0, Math.floor(jpeg.length / 2)), { token: writer });
    expect(res.status).toBe(400);
    expect(res.json.errors[0].extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      fields: { body: "could not be decoded" },
    });
    expect(await imageRows()).toBe(before);
  });

  it("answers 405 with Allow for other methods", async () => {
    const res = await fetch(`${new URL(server.url).origin}/images`);
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });
});

describe("renditions", () => {
  let image: { id: string; url: string; srcset: string };
  beforeAll(async () => {
    image = (await upload(server.url, await picture(1000, 500, "jpeg"), { token: writer })).json;
  });
  const at = (width: number | string, ext: string) => image.url.replace(/original$/, `${width}.${ext}`);

  it.each([
    [320, "webp", "webp", 160],
    [640, "avif", "heif", 320],
    [960, "jpeg", "jpeg", 480],
  ])("makes %i.%s at that width, in that format, with immutable caching", async (width, ext, format, height) => {
    const res = await fetchImage(server.url, at(width, ext));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(`image/${ext}`);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const meta = await sharp(res.body).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual([format, width, height]);
  });

  it("never enlarges: past the original's width it has the original's", async () => {
    for (const width of [1280, 1920]) {
      const res = await fetchImage(server.url, at(width, "webp"));
      expect(res.status).toBe(200);
      expect((await sharp(res.body).metadata()).width).toBe(1000);
    }
    expect(image.srcset.split(", ").map((s) => s.split(" ")[1])).toEqual(["320w", "640w", "960w", "1000w"]);
  });

  it("refuses widths off the list and unknown formats with 400, unknown images with 404", async () => {
    for (const [width, ext, field] of [
      [500, "webp", "width"],
      [3840, "webp", "width"],
      [640, "gif", "format"],
      [640, "png", "format"],
    ] as const) {
      const res = await fetchImage(server.url, at(width, ext));
      expect(res.status).toBe(400);
      expect(res.json().errors[0].extensions.code).toBe("BAD_USER_INPUT");
      expect(Object.keys(res.json().errors[0].extensions.fields)).toEqual([field]);
    }
    const unknown = await fetchImage(server.url, "/images/AAAAAAAAAAAAAAAAAAAAAA/640.webp");
    expect(unknown.status).toBe(404);
    expect(unknown.json().errors[0].extensions.code).toBe("NOT_FOUND");
    expect((await fetchImage(server.url, "/images/../../etc/640.webp")).status).toBe(404);
    expect((await fetchImage(server.url, "/images/x/y/z")).status).toBe(404);
  });

  it("makes a rendition once for concurrent first requests, stores it beside the original, then serves it stored", async () => {
    const made = server.services.image.renditionsMade;
    const answers = await Promise.all(Array.from({ length: 6 }, () => fetchImage(server.url, at(1280, "jpeg"))));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(new Set(answers.map((a) => a.body.toString("base64"))).size).toBe(1);
    expect(server.services.image.renditionsMade).toBe(made + 1);
    expect(readdirSync(join(dir, keyOf(image.url))).sort()).toEqual(expect.arrayContaining(["1280.jpeg", "original"]));
    // Again: from the storage, no new rendition and no SQL.
    const statements = server.db.sql.total;
    expect((await fetchImage(server.url, at(1280, "jpeg"))).status).toBe(200);
    expect(server.db.sql.total).toBe(statements);
    expect(server.services.image.renditionsMade).toBe(made + 1);
  });
});

describe("lead images", () => {
  const CREATE = `mutation($input: CreateArticleInput!) { createArticle(input: $input) {
    id slug leadImage { id url width height alt caption credit srcset jpeg: srcset(format: JPEG) small: url(width: 320) avif: url(width: 640, format: AVIF) } } }`;
  const UPDATE = `mutation($id: ID!, $input: UpdateArticleInput!) { updateArticle(id: $id, input: $input) {
    id leadImage { id alt caption credit } } }`;
  const PUBLISH = `mutation($id: ID!) { publishArticle(id: $id) { id } }`;
  let photo: { id: string; url: string };
  let other: { id: string; url: string };

  beforeAll(async () => {
    photo = (await upload(server.url, await picture(1600, 900, "jpeg"), { token: writer })).json;
    other = (await upload(server.url, await picture(640, 480, "png"), { token: writer, type: "image/png" })).json;
  });

  const articleRows = async () => Number((await server.db.query("SELECT count(*)::int AS n FROM articles"))[0].n);

  it("is set on create with alt, caption and credit; its URLs and srcset follow the original's width", async () => {
    const res = await gql(
      CREATE,
      {
        input: {
          title: "Harbour wall photographed",
          body: "Text.",
          leadImage: {
            imageId: photo.id,
            alt: "  The harbour wall at dusk ",
            caption: "Work resumed",
            credit: "J. Doe",
          },
        },
      },
      writer,
    );
    expect(res.json.errors).toBeUndefined();
    const lead = res.json.data.createArticle.leadImage;
    const key = keyOf(photo.url);
    expect(lead).toEqual({
      id: photo.id,
      url: `/images/${key}/original`,
      width: 1600,
      height: 900,
      alt: "The harbour wall at dusk",
      caption: "Work resumed",
      credit: "J. Doe",
      srcset: [320, 640, 960, 1280]
        .map((w) => `/images/${key}/${w}.webp ${w}w`)
        .concat(`/images/${key}/1920.webp 1600w`)
        .join(", "),
      jpeg: expect.stringContaining(`/images/${key}/320.jpeg 320w`),
      small: `/images/${key}/320.jpeg`,
      avif: `/images/${key}/640.avif`,
    });
  });

  it("needs alt text, a known image and sane lengths: BAD_USER_INPUT naming each field, nothing written", async () => {
    const before = await articleRows();
    const cases: [Record<string, unknown>, string[]][] = [
      [{ imageId: photo.id }, ["leadImage.alt"]],
      [{ imageId: photo.id, alt: "   " }, ["leadImage.alt"]],
      [{ imageId: toGlobalId("Image", 99_999), alt: "A picture" }, ["leadImage.imageId"]],
      [{ imageId: toGlobalId("Article", 1), alt: "A picture" }, ["leadImage.imageId"]],
      [
        { imageId: "nonsense", alt: "x".repeat(301), credit: "y".repeat(201) },
        ["leadImage.imageId", "leadImage.alt", "leadImage.credit"],
      ],
    ];
    for (const [leadImage, fields] of cases) {
      const res = await gql(CREATE, { input: { title: "No picture", body: "Text.", leadImage } }, writer);
      expect(res.json.errors[0].extensions.code).toBe("BAD_USER_INPUT");
      expect(Object.keys(res.json.errors[0].extensions.fields).sort()).toEqual([...fields].sort());
    }
    expect(await articleRows()).toBe(before);
    expect(Number((await server.db.query("SELECT count(*)::int AS n FROM article_lead_images"))[0].n)).toBeGreaterThan(
      0,
    );
  });

  it("is replaced, kept when left out, and cleared with null on update; a bad one leaves the article as it was", async () => {
    const created = await gql(CREATE, { input: { title: "Changing picture", body: "Text." } }, writer);
    const id = created.json.data.createArticle.id;
    expect(created.json.data.createArticle.leadImage).toBeNull();
    const set = await gql(UPDATE, { id, input: { leadImage: { imageId: other.id, alt: "A ferry" } } }, writer);
    expect(set.json.data.updateArticle.leadImage).toEqual({
      id: other.id,
      alt: "A ferry",
      caption: null,
      credit: null,
    });
    const kept = await gql(UPDATE, { id, input: { title: "Changing picture, again" } }, writer);
    expect(kept.json.data.updateArticle.leadImage.id).toBe(other.id);
    const refused = await gql(
      UPDATE,
      { id, input: { title: "Never saved", leadImage: { imageId: toGlobalId("Image", 99_999), alt: "x" } } },
      writer,
    );
    expect(refused.json.errors[0].extensions.fields).toEqual({ "leadImage.imageId": "no such image" });
    const after = await gql(
      `query($id: ID!) { node(id: $id) { ... on Article { title leadImage { id } } } }`,
      { id },
      writer,
    );
    expect(after.json.data.node).toEqual({ title: "Changing picture, again", leadImage: { id: other.id } });
    const cleared = await gql(UPDATE, { id, input: { leadImage: null } }, writer);
    expect(cleared.json.data.updateArticle.leadImage).toBeNull();
  });

  it("reaches anonymous readers at once when an editor changes it on a published article (cache purged)", async () => {
    const created = await gql(
      CREATE,
      { input: { title: "Cached picture", body: "Text.", leadImage: { imageId: photo.id, alt: "First" } } },
      editor,
    );
    const { id, slug } = created.json.data.createArticle;
    await gql(PUBLISH, { id }, editor);
    const READ = `query($slug: String!) { article(slug: $slug) { leadImage { id alt } } }`;
    const FRONT = `{ articles(first: 5) { nodes { slug leadImage { alt } } } }`;
    expect((await gql(READ, { slug })).json.data.article.leadImage).toEqual({ id: photo.id, alt: "First" });
    const front = async () =>
      (await gql(FRONT)).json.data.articles.nodes.find((n: { slug: string }) => n.slug === slug)?.leadImage;
    expect(await front()).toEqual({ alt: "First" });
    expect((await gql(READ, { slug })).json.data.article.leadImage.alt).toBe("First"); // cached now
    await gql(UPDATE, { id, input: { leadImage: { imageId: other.id, alt: "Second" } } }, editor);
    expect((await gql(READ, { slug })).json.data.article.leadImage).toEqual({ id: other.id, alt: "Second" });
    expect(await front()).toEqual({ alt: "Second" });
    await gql(UPDATE, { id, input: { leadImage: null } }, editor);
    expect((await gql(READ, { slug })).json.data.article.leadImage).toBeNull();
  });

  it("costs one statement for a whole page (no N+1)", async () => {
    const PAGE = `query($first: Int) { articles(first: $first) { nodes { id leadImage { id srcset } } } }`;
    const cost = async (first: number) => {
      const before = server.db.sql.total;
      const res = await gql(PAGE, { first }, editor); // with a token: never from the response cache
      expect(res.json.errors).toBeUndefined();
      return {
        statements: server.db.sql.total - before,
        withImage: res.json.data.articles.nodes.filter((n: any) => n.leadImage).length,
      };
    };
    for (const title of ["Pictured one", "Pictured two", "Pictured three"]) {
      const created = await gql(
        CREATE,
        { input: { title, body: "Text.", leadImage: { imageId: other.id, alt: title } } },
        editor,
      );
      await gql(PUBLISH, { id: created.json.data.createArticle.id }, editor);
    }
    const one = await cost(1);
    const many = await cost(30);
    expect(one.withImage).toBe(1);
    expect(many.withImage).toBeGreaterThanOrEqual(3);
    expect(many.statements).toBe(one.statements);
  });

  it("is readable by node(id) for newsroom tokens only", async () => {
    const QUERY = `query($id: ID!) { node(id: $id) { ... on Image { id width height alt } } }`;
    expect((await gql(QUERY, { id: photo.id })).json.data.node).toBeNull();
    expect((await gql(QUERY, { id: photo.id }, writer)).json.data.node).toEqual({
      id: photo.id,
      width: 1600,
      height: 900,
      alt: null,
    });
  });

  it("refuses widths off the list in url(width:)", async () => {
    const created = await gql(
      `mutation($input: CreateArticleInput!) { createArticle(input: $input) { leadImage { url(width: 500) } } }`,
      { input: { title: "Odd width", body: "Text.", leadImage: { imageId: photo.id, alt: "x" } } },
      writer,
    );
    expect(created.json.errors[0].extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      fields: { width: expect.any(String) },
    });
  });
});
