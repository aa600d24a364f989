import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Preview tokens: `p1.<id>.<signature>`, where id is 16 random bytes and the signature the HMAC-SHA256
 * of the id under the server's preview secret (both base64url). The signature lets a forged or
 * mistyped token be refused without a database read, and changing the secret voids every link at
 * once; the database keeps only the SHA-256 of the id, so a copy of it opens nothing.
 */
const VERSION = "p1";
const ID_BYTES = 16;
const TOKEN_SHAPE = /^p1\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;
/** The longest text looked at: anything longer is refused before any work. */
export const MAX_TOKEN_LENGTH = 200;

const sign = (secret: Buffer, id: string) => createHmac("sha256", secret).update(`newsgraph-preview:${id}`).digest();

/** A new token and the hash of its id, as stored. */
export function newPreviewToken(secret: Buffer): { token: string; hash: string } {
  const id = randomBytes(ID_BYTES).toString("base64url");
  return { token: `${VERSION}.${id}.${sign(secret, id).toString("base64url")}`, hash: idHash(id) };
}

const idHash = (id: string) => createHash("sha256").update(id).digest("hex");

export type TokenCheck = { kind: "malformed" } | { kind: "forged" } | { kind: "signed"; hash: string };

/** Whether a text is a token of ours, compared in constant time; on success, the hash to look up. */
export function checkPreviewToken(secret: Buffer, token: string): TokenCheck {
  if (token.length > MAX_TOKEN_LENGTH) return { kind: "malformed" };
  const match = TOKEN_SHAPE.exec(token);
  if (!match) return { kind: "malformed" };
  const [, id, signature] = match as unknown as [string, string, string];
  const given = Buffer.from(signature, "base64url");
  const expected = sign(secret, id);
  // 43 base64url characters always decode to 32 bytes, so the lengths match and nothing short-circuits.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { kind: "forged" };
  return { kind: "signed", hash: idHash(id) };
}

/** Whether two stored hashes are equal, in constant time. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The preview's id in the API: opaque, like a node id (base64url of "ArticlePreview:N"). */
export const previewGlobalId = (id: number) => Buffer.from(`ArticlePreview:${id}`).toString("base64url");

/** Decodes a preview id; null when it is not one. */
export function parsePreviewId(globalId: string): number | null {
  if (globalId.length > 64 || !/^[A-Za-z0-9_-]+={0,2}$/.test(globalId)) return null;
  const match = /^ArticlePreview:([1-9][0-9]{0,9})$/.exec(Buffer.from(globalId, "base64url").toString("utf8"));
  const id = match ? Number(match[1]) : NaN;
  return Number.isInteger(id) && id <= 2_147_483_647 ? id : null;
}
