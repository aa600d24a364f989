import { createHash } from "node:crypto";

/**
 * The person an address stands for, as the per-email rate limit counts them:
 * NFKC (full-width and other compatibility forms fold to their ASCII letters),
 * lower case, and the local part's "+tag" dropped, so that `a+1@x`, `A+2@x`
 * and `ａ@x` are one commenter. Dots are kept: only some providers ignore them,
 * and folding them would merge different people at every other one.
 * Only for counting; the address is stored as given.
 */
export function emailIdentity(email: string): string {
  // Trimmed last: NFKC can itself produce spaces at the ends (U+FE49 becomes a space and a combining mark).
  const folded = email.normalize("NFKC").toLowerCase().normalize("NFKC").trim();
  const at = folded.lastIndexOf("@");
  if (at <= 0) return folded;
  const local = folded.slice(0, at);
  const plus = local.indexOf("+");
  return (plus > 0 ? local.slice(0, plus) : local) + folded.slice(at);
}

/** The rate limiter's key for an address: its identity, hashed, so that counters never hold an address. */
export function emailCounterKey(email: string): string {
  return createHash("sha256").update(emailIdentity(email)).digest("base64url").slice(0, 32);
}

/**
 * The sender of a comment, for the repeated-body rule: the address's identity and
 * the client address together. Matching on the address alone would tell anyone who
 * copies a public comment whether a guessed address sent it (the copy would be held);
 * with the client address in the key, only a prober behind the sender's own address could.
 */
export function senderKey(email: string, clientIp: string): string {
  return createHash("sha256")
    .update(`${emailIdentity(email)}\n${clientIp}`)
    .digest("hex");
}
