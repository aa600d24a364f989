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
    if (hasNul(trimmed)) this.add(field, "must not contain NUL characters");
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
    return !hasNul(value) && (url.protocol === "http:" || url.protocol === "https:") && url.hostname.length > 0;
  } catch {
    return false;
  }
}
