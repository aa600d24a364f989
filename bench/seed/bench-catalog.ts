/** What the bench seeder makes before any text: topics, authors, the article plan and the comment plan. */
import { slugify } from "../../src/shared/validation";
import * as text from "./bench-text";
import {
  BENCH_PREFIX,
  DAY,
  HOUR,
  MAX_COMMENT_DEPTH,
  Rng,
  SPAN,
  STATUS_ARCHIVED,
  STATUS_DRAFT,
  STATUS_PUBLISHED,
  STATUS_SCHEDULED,
  S_ARTICLE_META,
  S_COMMENT_PLAN,
  S_NAMES,
  Zipf,
} from "./bench-random";
import { Prose } from "./bench-prose";

// ---------------------------------------------------------------------------
// Authors and topics

export interface BenchTopic {
  slug: string;
  name: string;
  description: string;
  /** Words an article on this topic repeats (searchable). */
  keywords: string[];
}

export interface BenchAuthor {
  slug: string;
  name: string;
  bio: string;
  avatarUrl: string | null;
}

/** Unique slugs: a repeated one gets a number. */
export function uniqueSlug(seen: Set<string>, base: string): string {
  let slug = base;
  for (let n = 2; seen.has(slug); n++) slug = `${base}-${n}`;
  seen.add(slug);
  return slug;
}

/** Broad subjects first (the popular end of the Zipf curve), then "<Place> <Subject>" ones. */
export function makeTopics(count: number, seed: number): BenchTopic[] {
  const rng = new Rng(seed, S_NAMES, 1);
  const pairs: [string, text.Subject][] = [];
  for (const place of text.PLACES) for (const s of text.SUBJECTS) pairs.push([place, s]);
  rng.shuffle(pairs);
  const seen = new Set<string>();
  const topics: BenchTopic[] = [];
  for (let i = 0; i < count; i++) {
    let name: string;
    let description: string;
    let keywords: string[];
    if (i < text.SUBJECTS.length) {
      const s = text.SUBJECTS[i]!;
      ({ name, description, keywords } = s);
    } else {
      const k = i - text.SUBJECTS.length;
      const [place, s] = pairs[k % pairs.length]!;
      const round = Math.floor(k / pairs.length);
      name = `${place} ${s.name}${round ? ` ${round + 1}` : ""}`;
      description = `${s.name} in ${place}: ${s.description.charAt(0).toLowerCase()}${s.description.slice(1)}`;
      keywords = [place, ...s.keywords];
    }
    topics.push({ slug: uniqueSlug(seen, BENCH_PREFIX + slugify(name)), name, description, keywords });
  }
  return topics;
}

export function makeAuthors(count: number, seed: number, topics: BenchTopic[]): BenchAuthor[] {
  const rng = new Rng(seed, S_NAMES, 2);
  const names: string[] = [];
  for (const first of text.FIRST_NAMES) for (const last of text.LAST_NAMES) names.push(`${first} ${last}`);
  rng.shuffle(names);
  const seen = new Set<string>();
  const authors: BenchAuthor[] = [];
  for (let i = 0; i < count; i++) {
    const name = names[i % names.length]!;
    const slug = uniqueSlug(seen, BENCH_PREFIX + slugify(name));
    const beats = [rng.pick(topics).name, rng.pick(topics).name];
    const years = rng.between(2, 25);
    authors.push({
      slug,
      name,
      bio: `${name} covers ${beats[0]} and ${beats[1]} for the Courier, and has been a reporter for ${years} years.`,
      avatarUrl: rng.chance(0.6) ? `https://example.org/avatars/${slug}.jpg` : null,
    });
  }
  return authors;
}

// ---------------------------------------------------------------------------
// Article plan: the cheap facts about every article, decided up front

export interface Plan {
  count: number;
  status: Uint8Array;
  /** Epoch ms; NaN when there is none. */
  publishedAt: Float64Array;
  createdAt: Float64Array;
  updatedAt: Float64Array;
  commentsOpen: Uint8Array;
  /** Heavy-tailed interest: how many comments an article attracts, relatively. */
  commentWeight: Float64Array;
  /** Topic indexes of article i: topicIdx[topicStart[i] .. topicStart[i + 1]). */
  topicStart: Int32Array;
  topicIdx: Int32Array;
  authorStart: Int32Array;
  authorIdx: Int32Array;
}

export const TOPICS_PER_ARTICLE = [0.35, 0.7, 0.9, 1]; // cumulative: 1, 2, 3, 4
export const AUTHORS_PER_ARTICLE = [0.7, 0.93, 1]; // 1, 2, 3

export function planArticles(count: number, seed: number, nTopics: number, nAuthors: number, now: number): Plan {
  const plan: Plan = {
    count,
    status: new Uint8Array(count),
    publishedAt: new Float64Array(count),
    createdAt: new Float64Array(count),
    updatedAt: new Float64Array(count),
    commentsOpen: new Uint8Array(count),
    commentWeight: new Float64Array(count),
    topicStart: new Int32Array(count + 1),
    topicIdx: new Int32Array(count * 4),
    authorStart: new Int32Array(count + 1),
    authorIdx: new Int32Array(count * 3),
  };
  const topicZipf = new Zipf(nTopics, 1.0);
  // A mild skew: some authors are far more prolific than others.
  const authorZipf = new Zipf(nAuthors, 0.6);
  const end = now - HOUR;
  const start = end - SPAN;
  let topics = 0;
  let authors = 0;
  const pickDistinct = (rng: Rng, zipf: Zipf, n: number, want: number, out: Int32Array, at: number) => {
    want = Math.min(want, n);
    let got = 0;
    while (got < want) {
      const k = zipf.sample(rng);
      let dup = false;
      for (let j = 0; j < got; j++) if (out[at + j] === k) dup = true;
      if (!dup) out[at + got++] = k;
    }
    return got;
  };
  for (let i = 0; i < count; i++) {
    const rng = new Rng(seed, S_ARTICLE_META, i);
    // Spread evenly over the span, in index order, with jitter.
    const t = Math.round(start + (SPAN * (i + rng.next())) / count);
    const u = rng.next();
    let status = STATUS_PUBLISHED;
    if (u < 0.025) status = STATUS_DRAFT;
    else if (u < 0.035) status = STATUS_SCHEDULED;
    else if (u < 0.04) status = STATUS_ARCHIVED;
    plan.status[i] = status;
    if (status === STATUS_DRAFT) {
      plan.publishedAt[i] = NaN;
      plan.createdAt[i] = t;
      plan.updatedAt[i] = Math.min(now, t + Math.round(rng.next() * 5 * DAY));
    } else if (status === STATUS_SCHEDULED) {
      plan.createdAt[i] = now - Math.round(rng.next() * 14 * DAY);
      plan.updatedAt[i] = plan.createdAt[i]!;
      plan.publishedAt[i] = now + HOUR + Math.round(rng.next() * 30 * DAY);
    } else {
      plan.publishedAt[i] = t;
      plan.createdAt[i] = t - Math.round(10 * 60_000 + rng.next() * 2 * DAY);
      const edited = status === STATUS_ARCHIVED || rng.chance(0.2);
      plan.updatedAt[i] = edited ? Math.min(now, t + Math.round(rng.next() * 3 * DAY)) : t;
    }
    plan.commentsOpen[i] = rng.chance(0.92) ? 1 : 0;
    plan.commentWeight[i] = status === STATUS_PUBLISHED ? Math.exp(1.3 * rng.gaussian()) : 0;

    const v = rng.next();
    const wantTopics = 1 + TOPICS_PER_ARTICLE.findIndex((p) => v < p);
    plan.topicStart[i] = topics;
    topics += pickDistinct(rng, topicZipf, nTopics, wantTopics, plan.topicIdx, topics);
    const w = rng.next();
    const wantAuthors = 1 + AUTHORS_PER_ARTICLE.findIndex((p) => w < p);
    plan.authorStart[i] = authors;
    authors += pickDistinct(rng, authorZipf, nAuthors, wantAuthors, plan.authorIdx, authors);
  }
  plan.topicStart[count] = topics;
  plan.authorStart[count] = authors;
  return plan;
}

// ---------------------------------------------------------------------------
// Comments plan: which article, parent, depth, time and status, then sorted by time

export interface CommentPlan {
  count: number;
  article: Int32Array;
  /** Index into the plan (not an id) of the parent, or -1. */
  parent: Int32Array;
  depth: Uint8Array;
  createdAt: Float64Array;
  status: Uint8Array;
  /** Plan indexes in creation order: the order of ids. */
  order: Uint32Array;
  /** Position of plan index k in `order`. */
  rank: Uint32Array;
}

export function planComments(count: number, seed: number, plan: Plan, now: number): CommentPlan {
  const cp: CommentPlan = {
    count,
    article: new Int32Array(count),
    parent: new Int32Array(count),
    depth: new Uint8Array(count),
    createdAt: new Float64Array(count),
    status: new Uint8Array(count),
    order: new Uint32Array(count),
    rank: new Uint32Array(count),
  };
  if (!count) return cp;
  // Exact apportionment of `count` by weight: rounding the cumulative share.
  let weights = plan.commentWeight;
  let total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0) {
    // No published article: spread them over whatever there is.
    weights = new Float64Array(plan.count).fill(1);
    total = plan.count;
  }
  const rng = new Rng(seed, S_COMMENT_PLAN);
  let k = 0;
  let cumulative = 0;
  let given = 0;
  const open: number[] = []; // this article's comments that can take replies
  for (let a = 0; a < plan.count; a++) {
    cumulative += weights[a]!;
    const upTo = a === plan.count - 1 ? count : Math.min(count, Math.round((count * cumulative) / total));
    const n = upTo - given;
    given = upTo;
    if (n <= 0) continue;
    const published = Number.isNaN(plan.publishedAt[a]!) ? plan.createdAt[a]! : plan.publishedAt[a]!;
    const window = Math.max(60_000, Math.min(now, published + 10 * DAY) - published);
    open.length = 0;
    for (let j = 0; j < n; j++, k++) {
      const u = rng.next();
      const status = u < 0.95 ? 0 : u < 0.975 ? 1 : u < 0.99 ? 2 : 3;
      cp.article[k] = a;
      cp.status[k] = status;
      // The first comment on an article cannot reply; 0.34 makes ~30% replies overall.
      if (open.length && rng.chance(0.34)) {
        const parent = open[rng.int(open.length)]!;
        const after = cp.createdAt[parent]!;
        cp.parent[k] = parent;
        cp.depth[k] = cp.depth[parent]! + 1;
        const delay = 1000 + Math.round(rng.next() * rng.next() * 2 * DAY);
        cp.createdAt[k] = Math.max(after, Math.min(now, after + delay));
      } else {
        cp.parent[k] = -1;
        cp.depth[k] = 0;
        // Front-loaded: most comments come soon after publication.
        cp.createdAt[k] = published + 1000 + Math.round(rng.next() * rng.next() * (window - 1000));
      }
      if (status === 0 && cp.depth[k]! < MAX_COMMENT_DEPTH) open.push(k);
    }
  }
  // Ids in creation order; ties keep plan order, which puts parents first.
  const order = Array.from({ length: count }, (_, i) => i);
  const at = cp.createdAt;
  order.sort((x, y) => at[x]! - at[y]! || x - y);
  for (let pos = 0; pos < count; pos++) {
    cp.order[pos] = order[pos]!;
    cp.rank[order[pos]!] = pos;
  }
  return cp;
}

/** Commenters: a pool with a few very active regulars. */
export class Commenters {
  private readonly zipf: Zipf;
  constructor(readonly size: number) {
    this.zipf = new Zipf(size, 0.8);
  }

  identity(rng: Rng): { name: string; email: string; website: string | null } {
    const k = this.zipf.sample(rng);
    const first = text.FIRST_NAMES[k % text.FIRST_NAMES.length]!;
    const last = text.LAST_NAMES[Math.floor(k / text.FIRST_NAMES.length) % text.LAST_NAMES.length]!;
    const handle = `${first}.${last}${k}`.toLowerCase();
    const name = k % 3 === 0 ? `${first} ${last.charAt(0)}.` : k % 3 === 1 ? `${first} ${last}` : `${first}${k % 1000}`;
    return {
      name,
      email: `${handle}@example.com`,
      website: k % 11 === 0 ? `https://example.org/~${handle}` : null,
    };
  }
}

export function commentBody(rng: Rng, reply: boolean, spam: boolean, keywords: string[], places: string[]): string {
  if (spam) return `${rng.pick(text.SPAM_PHRASES)} https://spam.example.net/${rng.int(100000)}`;
  const p = new Prose(rng, keywords, places, 0.2);
  const opener = rng.pick(reply ? text.REPLY_OPENERS : text.COMMENT_OPENERS).replace("{Place}", () => p.place());
  let s = opener;
  for (let i = rng.between(1, 3); i > 0; i--) s += " " + p.sentence()[0].replace(/\*/g, "");
  return s;
}
