import { BadInputError } from "./errors";

/**
 * Collects every problem with an input before answering, so that a form can
 * show all of them at once: BAD_USER_INPUT with extensions.fields.
 */
export class InputErrors {
  private readonly fields: Record<string, string> = {};

  add(field: string, message: string): this {
    this.fields[field] ??= message;
    return this;
  }

  check(ok: boolean, field: string, message: string): boolean {
    if (!ok) this.add(field, message);
    return ok;
  }

  /** Checks a trimmed string's length (and that PostgreSQL can store it); returns the trimmed value. */
  text(value: string, field: string, min: number, max: number): string {
    const trimmed = value.trim();
    const unstorable = unstorableText(trimmed);
    if (unstorable) this.add(field, unstorable);
    else if (trimmed.length < min)
      this.add(field, min === 1 ? "must not be empty" : `must be at least ${min} characters`);
    else if (trimmed.length > max) this.add(field, `must be at most ${max.toLocaleString("en")} characters`);
    return trimmed;
  }

  throwIfAny(): void {
    if (Object.keys(this.fields).length) throw new BadInputError({ ...this.fields });
  }
}

/** PostgreSQL text cannot hold U+0000. */
export function hasNul(value: string): boolean {
  return value.includes("\u0000");
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Half of a UTF-16 pair without the other half (JSON allows it escaped, "\ud800"). UTF-8, so PostgreSQL,
 * cannot hold it: the driver would store U+FFFD instead, so that what was stored is not what was sent, and
 * two different idempotency keys would become one.
 */
export function hasLoneSurrogate(value: string): boolean {
  return LONE_SURROGATE.test(value);
}

/** Why PostgreSQL cannot store this text as sent (a NUL, a lone surrogate), or null when it can. */
export function unstorableText(value: string): string | null {
  if (hasNul(value)) return "must not contain NUL characters";
  if (hasLoneSurrogate(value)) return "must not contain unpaired surrogates (invalid Unicode)";
  return null;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const MAX_SLUG_LENGTH = 120;

export function isSlug(value: string): boolean {
  return value.length <= MAX_SLUG_LENGTH && SLUG.test(value);
}

/** A URL slug from free text: ASCII-folded, lowercase, hyphenated; "article" when nothing is left. */
export function slugify(text: string, maxLength = 80): string {
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, maxLength)
    .replace(/-+$/, "");
  return slug || "article";
}

/** A syntactically valid email address (what forms accept; no mailbox check). */
export function isEmail(value: string): boolean {
  return (
    value.length <= 254 &&
    /^[^\s@"<>()[\]\\,;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/.test(
      value,
    )
  );
}

/** An absolute http(s) URL. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return !unstorableText(value) && (url.protocol === "http:" || url.protocol === "https:") && url.hostname.length > 0;
  } catch {
    return false;
  }
}
