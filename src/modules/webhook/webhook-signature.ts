import { createHmac, randomBytes } from "node:crypto";

/** The header names every delivery carries. */
export const DELIVERY_HEADER = "Newsgraph-Delivery";
export const EVENT_HEADER = "Newsgraph-Event";
export const SIGNATURE_HEADER = "Newsgraph-Signature";

/** A new endpoint secret: "whsec_" and 256 random bits. */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with the secret>` (Stripe's scheme): the
 * timestamp is signed with the body, so a receiver can refuse old or replayed deliveries.
 */
export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac("sha256", secret).update(`${unixSeconds}.${body}`).digest("hex");
  return `t=${unixSeconds},v1=${mac}`;
}
