/** Deterministic randomness for the bench seeder: seeded streams, Zipf-skewed choices, shared constants. */

/** The slug prefix of every bench author, topic and article. */
export const BENCH_PREFIX = "bench-";

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const SPAN = 3 * 365 * DAY;

export const STATUS_PUBLISHED = 0;
export const STATUS_DRAFT = 1;
export const STATUS_SCHEDULED = 2;
export const STATUS_ARCHIVED = 3;
export const ARTICLE_STATUS = ["PUBLISHED", "DRAFT", "SCHEDULED", "ARCHIVED"];
export const COMMENT_STATUS = ["APPROVED", "PENDING", "REJECTED", "SPAM"];
export const MAX_COMMENT_DEPTH = 3;

// ---------------------------------------------------------------------------
// Deterministic randomness

/** A 32-bit hash of a string (FNV-1a), to turn any --seed into a number. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * sfc32: small, fast and good enough. Each (seed, stream, index) gets its own
 * generator, so an article's content depends on its index alone and not on how
 * much randomness anything before it used.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream: number, index = 0) {
    this.a = mix(seed ^ 0x9e3779b9);
    this.b = mix(seed + Math.imul(stream + 1, 0x632be5ab));
    this.c = mix(Math.imul(index + 1, 0x5bd1e995) ^ stream);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }

  gaussian(): number {
    return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }

  shuffle<T>(list: T[]): T[] {
    for (let i = list.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
    return list;
  }
}

// Streams: independent sequences per purpose.
export const S_NAMES = 1;
export const S_ARTICLE_META = 2;
export const S_ARTICLE_TEXT = 3;
export const S_COMMENT_PLAN = 4;
export const S_COMMENT_TEXT = 5;

/** Picks index i of n with weight 1 / (i + 1)^s. */
export class Zipf {
  private readonly cumulative: Float64Array;

  constructor(n: number, s: number) {
    this.cumulative = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) this.cumulative[i] = sum += 1 / Math.pow(i + 1, s);
  }

  sample(rng: Rng): number {
    const c = this.cumulative;
    const x = rng.next() * c[c.length - 1]!;
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (c[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
