/**
 * Benchmark data: a large, realistic and deterministic newsroom for load tests
 * and query plans (`npm run cli -- seed --bench --articles 100000 --comments 1000000`).
 *
 * What it makes, all from a seeded RNG (the same seed and sizes give the same
 * slugs, titles, bodies, bylines, tags and comment threads; only the timestamps
 * move with the clock, as they are laid out backwards from "now"):
 *  - authors and topics (300 each by default), slugs prefixed "bench-";
 *  - articles over ~3 years, ids in publication order, ~96% PUBLISHED and the
 *    rest DRAFT, SCHEDULED (due within 30 days) or ARCHIVED; Markdown bodies of
 *    ~300-1200 words (paragraphs, some headings, lists and quotes) drawn from the
 *    word lists in bench-text.ts, with each article repeating its topics'
 *    keywords so full-text search hits with varied relevance;
 *  - 1-3 authors and 1-4 topics per article; topics are picked with Zipf-like
 *    weights, so a few are huge and most are small;
 *  - comments on PUBLISHED articles (a heavy-tailed number per article), ~30%
 *    of them replies up to depth 3, each after its article (and its parent),
 *    ~95% APPROVED and the rest PENDING, REJECTED or SPAM; ids in creation order.
 *
 * Idempotency: everything is written in ONE transaction, so the data is there
 * entirely or not at all. A run that finds bench authors or topics (slug
 * "bench-...") prints "bench data already present" and changes nothing, whatever
 * sizes it was given. To reseed, remove the bench rows first; on a database
 * holding nothing else, `TRUNCATE comments, article_topics, article_authors,
 * articles, topics, authors CASCADE` is quickest (a DELETE of a million comments
 * is slow). The tables written are locked against other writers for the
 * duration of the load; when a table gets more rows than it had, its secondary
 * indexes are rebuilt at the end (see dropIndexes) and readers wait too.
 *
 * Speed: rows go in as large multi-row INSERTs over unnest() arrays, which work
 * the same on PostgreSQL and on embedded PGlite (whose socket server cannot do
 * COPY FROM STDIN); the next batch is generated while the database stores the
 * previous one. Ids are reserved from the sequences up front so that links and
 * replies can refer to rows before they are written. Secondary indexes are built
 * once after the load rather than row by row, and the link tables' published_at
 * triggers are off during it (the seeder sets the column itself). What remains
 * is mostly PostgreSQL computing articles.search (to_tsvector over every body).
 */
import { Database } from "../db/database";
import * as text from "./bench-text";

export interface BenchOptions {
  articles: number;
  comments: number;
  authors: number;
  topics: number;
  /** Any string; the same seed gives the same content. */
  seed: string;
  /** The reference time everything is laid out from; now by default. */
  now?: Date;
  /** Show a progress bar on stderr (rate and ETA). */
  progress?: boolean;
}

export const BENCH_DEFAULTS = {
  articles: 100_000,
  comments: 1_000_000,
  authors: 300,
  topics: 300,
  seed: "newsgraph",
} as const;

export interface BenchResult {
  /** "present": bench data was there already and nothing was written. */
  status: "seeded" | "present";
  authors: number;
  topics: number;
  articles: number;
  articleAuthors: number;
  articleTopics: number;
  comments: number;
  elapsedMs: number;
}

/** The slug prefix of every bench author, topic and article. */
export const BENCH_PREFIX = "bench-";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SPAN = 3 * 365 * DAY;

const STATUS_PUBLISHED = 0;
const STATUS_DRAFT = 1;
const STATUS_SCHEDULED = 2;
const STATUS_ARCHIVED = 3;
const ARTICLE_STATUS = ["PUBLISHED", "DRAFT", "SCHEDULED", "ARCHIVED"];
const COMMENT_STATUS = ["APPROVED", "PENDING", "REJECTED", "SPAM"];
const MAX_COMMENT_DEPTH = 3;

// ---------------------------------------------------------------------------
// Deterministic randomness

/** A 32-bit hash of a string (FNV-1a), to turn any --seed into a number. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * sfc32: small, fast and good enough. Each (seed, stream, index) gets its own
 * generator, so an article's content depends on its index alone and not on how
 * much randomness anything before it used.
 */
class Rng {
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
const S_NAMES = 1;
const S_ARTICLE_META = 2;
const S_ARTICLE_TEXT = 3;
const S_COMMENT_PLAN = 4;
const S_COMMENT_TEXT = 5;

/** Picks index i of n with weight 1 / (i + 1)^s. */
class Zipf {
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

// ---------------------------------------------------------------------------
// Authors and topics

interface BenchTopic {
  slug: string;
  name: string;
  description: string;
  /** Words an article on this topic repeats (searchable). */
  keywords: string[];
}

interface BenchAuthor {
  slug: string;
  name: string;
  bio: string;
  avatarUrl: string | null;
}

function slugify(s: string, max = 200): string {
  let slug = s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (slug.length > max) slug = slug.slice(0, max).replace(/-[^-]*$/, "");
  return slug;
}

/** Unique slugs: a repeated one gets a number. */
function uniqueSlug(seen: Set<string>, base: string): string {
  let slug = base;
  for (let n = 2; seen.has(slug); n++) slug = `${base}-${n}`;
  seen.add(slug);
  return slug;
}

/** Broad subjects first (the popular end of the Zipf curve), then "<Place> <Subject>" ones. */
function makeTopics(count: number, seed: number): BenchTopic[] {
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

function makeAuthors(count: number, seed: number, topics: BenchTopic[]): BenchAuthor[] {
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

interface Plan {
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

const TOPICS_PER_ARTICLE = [0.35, 0.7, 0.9, 1]; // cumulative: 1, 2, 3, 4
const AUTHORS_PER_ARTICLE = [0.7, 0.93, 1]; // 1, 2, 3

function planArticles(count: number, seed: number, nTopics: number, nAuthors: number, now: number): Plan {
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
// Text

const nounZipf = new Zipf(text.NOUNS.length, 1.0);
const verbZipf = new Zipf(text.VERBS.length, 0.9);
const adjZipf = new Zipf(text.ADJECTIVES.length, 0.9);

const NEWS_WORD_CHANCE = text.NEWS_WORDS.reduce((sum, [, chance]) => sum + chance, 0);

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Writes sentences of one article (or comment). Markdown and its HTML are built
 * side by side; they differ only where the generator adds markup (quotes become
 * typographer quotes, *emphasis*, headings, lists). `words` counts what
 * renderBody would count: every whitespace-separated token with a letter or digit.
 */
class Prose {
  words = 0;
  constructor(
    readonly rng: Rng,
    /** The article's topic keywords, primary first. */
    private readonly keywords: string[],
    private readonly places: string[],
    /** How often a noun slot takes a keyword instead of a common noun. */
    private readonly keywordRate: number,
  ) {}

  private n(count: number): void {
    this.words += count;
  }

  noun(): string {
    const rng = this.rng;
    if (this.keywords.length && rng.chance(this.keywordRate)) {
      // The primary keywords dominate: relevance varies within an article too.
      const k = Math.min(this.keywords.length - 1, Math.floor(this.keywords.length * rng.next() * rng.next()));
      return this.keywords[k]!;
    }
    const u = rng.next();
    if (u < NEWS_WORD_CHANCE) {
      let c = 0;
      for (const [word, chance] of text.NEWS_WORDS) if (u < (c += chance)) return word;
    }
    return text.NOUNS[nounZipf.sample(rng)]!;
  }

  verb(): string {
    return text.VERBS[verbZipf.sample(this.rng)]!;
  }

  adj(): string {
    return text.ADJECTIVES[adjZipf.sample(this.rng)]!;
  }

  place(): string {
    const rng = this.rng;
    return this.places.length && rng.chance(0.7) ? rng.pick(this.places) : rng.pick(text.PLACES);
  }

  person(): string {
    const rng = this.rng;
    const last = rng.pick(text.LAST_NAMES);
    if (rng.chance(0.5)) {
      const role = rng.pick(text.ROLES);
      this.n(role.split(" ").length + 1);
      return `${role} ${last}`;
    }
    this.n(2);
    return `${rng.pick(text.FIRST_NAMES)} ${last}`;
  }

  nounPhrase(): string {
    const rng = this.rng;
    const r = rng.next();
    if (r < 0.1) return this.person();
    if (r < 0.2) {
      const org = rng.pick(text.ORGANISATIONS);
      this.n(org.split(" ").length);
      return org;
    }
    let s = rng.pick(text.DETERMINERS);
    let count = 2;
    if (rng.chance(0.4)) {
      s += " " + this.adj();
      count++;
    }
    s += " " + this.noun();
    if (rng.chance(0.12)) {
      s += " of " + this.place();
      count += 2;
    }
    this.n(count);
    return s;
  }

  clause(): string {
    const rng = this.rng;
    let s = this.nounPhrase();
    if (rng.chance(0.12)) {
      s += " " + rng.pick(text.ADVERBS);
      this.n(1);
    }
    s += " " + this.verb() + " " + this.nounPhrase();
    this.n(1);
    if (rng.chance(0.45)) {
      s += " " + rng.pick(text.PREPOSITIONS) + " ";
      this.n(1);
      if (rng.chance(0.5)) {
        s += this.place();
        this.n(1);
      } else s += this.nounPhrase();
    }
    if (rng.chance(0.25)) {
      const t = rng.pick(text.TIMES);
      s += " " + t;
      this.n(t.split(" ").length);
    }
    return s;
  }

  number(): string {
    const rng = this.rng;
    const r = rng.next();
    if (r < 0.3) return String(rng.between(2, 99));
    if (r < 0.6) return `${rng.between(1, 9)},${String(rng.between(0, 999)).padStart(3, "0")}`;
    if (r < 0.8) return `£${rng.between(1, 90)}.${rng.between(1, 9)} million`;
    return `${rng.between(2, 60)}%`;
  }

  /** One sentence: [markdown, html]. */
  sentence(): [string, string] {
    const rng = this.rng;
    const r = rng.next();
    let s: string;
    if (r < 0.5) {
      s = cap(this.clause()) + ".";
    } else if (r < 0.65) {
      const a = this.clause();
      const connector = rng.pick(text.CONNECTORS);
      this.n(1);
      s = `${cap(a)}, ${connector} ${this.clause()}.`;
    } else if (r < 0.77) {
      // A quote: straight quotes in the source, typographer quotes in the HTML.
      const quote = cap(this.clause());
      const who = this.person();
      this.n(1);
      return [`"${quote}," said ${who}.`, `\u201c${quote},\u201d said ${who}.`];
    } else if (r < 0.87) {
      const num = this.number();
      this.n(num.split(" ").length);
      const noun = this.noun();
      const verb = this.verb();
      this.n(2);
      s = `${cap(num)} ${noun} ${verb} ${rng.pick(text.PREPOSITIONS)} ${this.place()}, ${this.clause()}.`;
      this.n(2);
    } else if (r < 0.95) {
      const place = this.place();
      this.n(2);
      s = `In ${place}, ${this.clause()}.`;
    } else {
      // A short one, with emphasis.
      const np = this.nounPhrase();
      const verb = this.verb();
      this.n(1);
      return [`${cap(np)} *${verb}*.`, `${cap(np)} <em>${verb}</em>.`];
    }
    return [s, s];
  }

  paragraph(sentences: number): [string, string] {
    let md = "";
    let html = "";
    for (let i = 0; i < sentences; i++) {
      const [m, h] = this.sentence();
      md += (i ? " " : "") + m;
      html += (i ? " " : "") + h;
    }
    return [md, html];
  }

  /** A short phrase: a heading or a list item, without a full stop. */
  phrase(): string {
    const rng = this.rng;
    const s = rng.chance(0.5)
      ? `${this.adj()} ${this.noun()} ${rng.pick(text.PREPOSITIONS)} ${this.place()}`
      : `${this.noun()} ${this.verb()} ${rng.pick(text.TIMES)}`;
    this.n(s.split(" ").length);
    return cap(s);
  }
}

interface ArticleText {
  slug: string;
  title: string;
  standfirst: string;
  body: string;
  html: string;
  wordCount: number;
}

/** Fills "{Place}"-style slots of a title pattern. */
function title(p: Prose, pattern: string, keyword: string): string {
  const rng = p.rng;
  const s = pattern.replace(/\{(\w+)\}/g, (_, slot: string) => {
    switch (slot) {
      case "Place":
        return p.place();
      case "keyword":
        return keyword;
      case "Keyword":
        return cap(keyword);
      case "noun":
        return p.noun();
      case "verb":
      case "verb2":
        return p.verb();
      case "adj":
        return p.adj();
      case "Adj":
        return cap(p.adj());
      case "Org":
        return rng.pick(text.ORGANISATIONS);
      case "Number":
        return String(rng.between(2, 400));
      case "time":
        return rng.pick(text.TIMES);
      default:
        return slot;
    }
  });
  return cap(s);
}

/**
 * One article's text. The body's HTML is built alongside the Markdown, exactly
 * as renderBody (markdown-it + sanitize-html) would render it, because rendering
 * 100k bodies through markdown-it and two sanitize-html passes would triple the
 * seeder's CPU time. The generator emits only constructs whose rendering is fixed
 * (paragraphs, ## headings, "- " lists, "> " quotes, *emphasis*, straight double
 * quotes), and tests/seed/bench-seed.test.ts checks html and word count against
 * renderBody for a sample of articles.
 */
function articleText(index: number, seed: number, keywords: string[], places: string[]): ArticleText {
  const rng = new Rng(seed, S_ARTICLE_TEXT, index);
  const p = new Prose(rng, keywords, places, 0.08 + rng.next() * 0.17);
  const keyword = keywords.find((k) => /^[a-z]/.test(k)) ?? text.NOUNS[0]!;
  const headline = title(p, rng.pick(text.TITLE_PATTERNS), keyword);
  const slug = `${BENCH_PREFIX}${slugify(headline, 80)}-${index + 1}`;

  p.words = 0;
  const standfirst = p.paragraph(rng.between(1, 2))[0].replace(/[*"]/g, "");
  // Between 300 and 1200 words, skewed short as news is: median ~600, mean ~650.
  const target = 300 + Math.round(Math.pow(rng.next(), 1.6) * 900);
  p.words = 0;
  const md: string[] = [];
  const html: string[] = [];
  const withHeadings = rng.chance(0.5);
  let sinceHeading = 0;
  let listed = false;
  let paragraphs = 0;
  while (p.words < target) {
    const r = rng.next();
    if (withHeadings && paragraphs >= 2 && sinceHeading >= 3 && r < 0.25) {
      const h = p.phrase();
      md.push(`## ${h}`);
      html.push(`<h2>${h}</h2>\n`);
      sinceHeading = 0;
    } else if (!listed && paragraphs >= 2 && r < 0.3) {
      const lead = rng.pick(text.LIST_LEADS);
      p.words += lead.split(" ").length;
      const items: string[] = [];
      for (let i = rng.between(3, 5); i > 0; i--) items.push(p.phrase());
      md.push(lead, items.map((i) => `- ${i}`).join("\n"));
      html.push(`<p>${lead}</p>\n`, `<ul>\n${items.map((i) => `<li>${i}</li>\n`).join("")}</ul>\n`);
      listed = true;
      paragraphs++;
    } else if (paragraphs >= 1 && r < 0.36) {
      const [m, h] = p.sentence();
      md.push(`> ${m}`);
      html.push(`<blockquote>\n<p>${h}</p>\n</blockquote>\n`);
      paragraphs++;
      sinceHeading++;
    } else {
      const sentences = 2 + Math.floor(rng.next() * rng.next() * 5);
      const [m, h] = p.paragraph(sentences);
      md.push(m);
      html.push(`<p>${h}</p>\n`);
      paragraphs++;
      sinceHeading++;
    }
  }
  return {
    slug,
    title: headline,
    standfirst,
    body: md.join("\n\n"),
    html: html.join(""),
    wordCount: p.words,
  };
}

/** The keywords of an article's topics, primary topic first, and its place names. */
function articleKeywords(plan: Plan, i: number, topics: BenchTopic[]): { keywords: string[]; places: string[] } {
  const keywords: string[] = [];
  const places: string[] = [];
  for (let k = plan.topicStart[i]!; k < plan.topicStart[i + 1]!; k++) {
    for (const w of topics[plan.topicIdx[k]!]!.keywords) {
      if (/^[A-Z]/.test(w)) places.push(w);
      else keywords.push(w);
    }
  }
  return { keywords, places };
}

// ---------------------------------------------------------------------------
// Comments plan: which article, parent, depth, time and status, then sorted by time

interface CommentPlan {
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

function planComments(count: number, seed: number, plan: Plan, now: number): CommentPlan {
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
class Commenters {
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

function commentBody(rng: Rng, reply: boolean, spam: boolean, keywords: string[], places: string[]): string {
  if (spam) return `${rng.pick(text.SPAM_PHRASES)} https://spam.example.net/${rng.int(100000)}`;
  const p = new Prose(rng, keywords, places, 0.2);
  const opener = rng.pick(reply ? text.REPLY_OPENERS : text.COMMENT_OPENERS).replace("{Place}", () => p.place());
  let s = opener;
  for (let i = rng.between(1, 3); i > 0; i--) s += " " + p.sentence()[0].replace(/\*/g, "");
  return s;
}

// ---------------------------------------------------------------------------
// Loading

type PgClient = { query(sql: string, params?: unknown[]): Promise<{ rows: any[] }> };

/**
 * Multi-row INSERTs: `INSERT ... SELECT * FROM unnest($1::int[], $2::text[], ...)`
 * in batches of about `batchBytes`. One statement is in flight while the next
 * batch is generated, so node and the database work at the same time.
 */
class BatchInsert {
  private columns: unknown[][];
  private bytes = 0;
  private inFlight: Promise<unknown> = Promise.resolve();
  private readonly sql: string;
  rows = 0;

  constructor(
    private readonly client: PgClient,
    table: string,
    private readonly spec: [name: string, type: string][],
    private readonly batchBytes: number,
    private readonly onWritten: (rows: number) => void = () => {},
  ) {
    this.columns = spec.map(() => []);
    this.sql =
      `INSERT INTO ${table} (${spec.map(([n]) => n).join(", ")}) ` +
      `SELECT * FROM unnest(${spec.map(([, t], i) => `$${i + 1}::${t}[]`).join(", ")})`;
  }

  async add(row: unknown[]): Promise<void> {
    for (let i = 0; i < row.length; i++) {
      const v = row[i];
      this.columns[i]!.push(v);
      this.bytes += typeof v === "string" ? v.length + 4 : 8;
    }
    this.rows++;
    if (this.bytes >= this.batchBytes) await this.flush();
  }

  private async flush(): Promise<void> {
    const columns = this.columns;
    const n = columns[0]!.length;
    this.columns = this.spec.map(() => []);
    this.bytes = 0;
    await this.inFlight;
    if (!n) return;
    const sent = this.client.query(this.sql, columns.map(arrayLiteral)).then(() => this.onWritten(n));
    // Surfaced by the next flush or by end(); never an unhandled rejection.
    sent.catch(() => {});
    this.inFlight = sent;
  }

  async end(): Promise<void> {
    await this.flush();
    await this.inFlight;
  }
}

/**
 * A PostgreSQL array literal: {"a","b",NULL,3}. Several times faster than the
 * driver's own conversion of JS arrays, which shows at a million rows.
 */
function arrayLiteral(values: unknown[]): string {
  let s = "{";
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i) s += ",";
    if (v === null || v === undefined) s += "NULL";
    else if (typeof v === "number" || typeof v === "boolean") s += String(v);
    else {
      const str = String(v);
      s += '"' + (str.includes('"') || str.includes("\\") ? str.replace(/["\\]/g, "\\$&") : str) + '"';
    }
  }
  return s + "}";
}

/** One line on stderr, redrawn in place: bar, count, rate and ETA. */
class Progress {
  private started = Date.now();
  private drawn = 0;
  private done = 0;
  private label = "";
  private total = 0;
  private readonly tty: boolean;

  constructor(private readonly enabled: boolean) {
    this.tty = Boolean(process.stderr.isTTY);
  }

  phase(label: string, total: number): void {
    this.label = label;
    this.total = total;
    this.done = 0;
    this.started = Date.now();
    this.drawn = 0;
    this.draw(true);
  }

  add(n: number): void {
    const before = this.done;
    this.done += n;
    this.draw(before < this.total && this.done >= this.total);
  }

  finish(): void {
    if (this.done < this.total) {
      this.done = this.total;
      this.draw(true);
    }
    if (this.enabled && this.tty) process.stderr.write("\n");
  }

  note(message: string): void {
    if (this.enabled) process.stderr.write(`${message}\n`);
  }

  private draw(force: boolean): void {
    if (!this.enabled) return;
    const now = Date.now();
    // A terminal gets ten redraws a second; a log file a line every five seconds.
    if (!force && now - this.drawn < (this.tty ? 100 : 5000)) return;
    this.drawn = now;
    const seconds = (now - this.started) / 1000;
    const fraction = this.total ? Math.min(1, this.done / this.total) : 1;
    const rate = seconds > 0 ? this.done / seconds : 0;
    const eta = rate > 0 ? (this.total - this.done) / rate : 0;
    const width = 28;
    const filled = Math.round(fraction * width);
    const line =
      `${this.label.padEnd(16)} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ` +
      `${(fraction * 100).toFixed(1).padStart(5)}% ${this.done.toLocaleString("en")}/${this.total.toLocaleString("en")} ` +
      `${Math.round(rate).toLocaleString("en")}/s ` +
      (this.done >= this.total ? `${clock(seconds)} elapsed` : `ETA ${clock(eta)}`);
    process.stderr.write(this.tty ? `\r\x1b[2K${line}` : `${line}\n`);
  }
}

function clock(seconds: number): string {
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

const iso = (ms: number): string | null => (Number.isNaN(ms) ? null : new Date(ms).toISOString());

/**
 * Building an index once over sorted data is far cheaper than a million
 * random insertions into it. So for a table that gets more rows than it has,
 * this drops its plain secondary indexes (primary keys and unique indexes stay:
 * they check slugs and serve the foreign keys) and answers their definitions,
 * to be run again after the load. All in the transaction: a failure restores
 * them. The price: until the commit, queries on those tables wait, too.
 */
async function dropIndexes(client: PgClient, tables: [table: string, adding: number][]): Promise<string[]> {
  const definitions: string[] = [];
  for (const [table, adding] of tables) {
    if (adding < 1) continue;
    const [{ n }] = (await client.query(`SELECT count(*)::int AS n FROM (SELECT 1 FROM ${table} LIMIT $1) s`, [adding]))
      .rows;
    if (n >= adding) continue;
    const rows = (
      await client.query(
        `SELECT quote_ident(c.relname) AS name, pg_get_indexdef(i.indexrelid) AS definition
           FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
          WHERE i.indrelid = $1::regclass AND NOT i.indisprimary AND NOT i.indisunique
            AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
          ORDER BY c.relname`,
        [table],
      )
    ).rows as { name: string; definition: string }[];
    for (const { name, definition } of rows) {
      await client.query(`DROP INDEX ${name}`);
      definitions.push(definition);
    }
  }
  return definitions;
}

/** Reserves n consecutive ids of table's serial column; answers the first. */
async function reserveIds(client: PgClient, table: string, n: number): Promise<number> {
  const [row] = (
    await client.query(
      `SELECT greatest(nextval(pg_get_serial_sequence($1, 'id')), (SELECT coalesce(max(id), 0) + 1 FROM ${table})) AS first`,
      [table],
    )
  ).rows;
  const first = Number(row.first);
  await client.query(`SELECT setval(pg_get_serial_sequence($1, 'id'), $2)`, [table, first + Math.max(n, 1) - 1]);
  return first;
}

function validate(o: BenchOptions): void {
  for (const key of ["articles", "comments", "authors", "topics"] as const) {
    const v = o[key];
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`--${key} must be a whole number >= 0, got ${v}`);
  }
  if (o.articles > 0 && (o.authors < 1 || o.topics < 1)) {
    throw new RangeError("articles need at least one author and one topic");
  }
  if (o.comments > 0 && o.articles < 1) throw new RangeError("comments need at least one article");
}

/** Loads the benchmark data set (see the top of this file). */
export async function seedBench(db: Database, options: BenchOptions): Promise<BenchResult> {
  validate(options);
  const started = Date.now();
  const now = (options.now ?? new Date()).getTime();
  const seed = hashString(options.seed);
  const progress = new Progress(options.progress ?? false);
  const result: BenchResult = {
    status: "seeded",
    authors: 0,
    topics: 0,
    articles: 0,
    articleAuthors: 0,
    articleTopics: 0,
    comments: 0,
    elapsedMs: 0,
  };

  const runner = db.dataSource.createQueryRunner();
  await runner.connect();
  const client = (runner as unknown as { databaseConnection: PgClient }).databaseConnection;
  try {
    await client.query("BEGIN");
    try {
      // Writers wait for us (and we for them); a second seeder finds our data once we commit.
      await client.query(
        "LOCK TABLE authors, topics, articles, article_authors, article_topics, comments IN SHARE ROW EXCLUSIVE MODE",
      );
      const [present] = (
        await client.query(
          `SELECT EXISTS (SELECT 1 FROM authors WHERE slug LIKE $1) OR EXISTS (SELECT 1 FROM topics WHERE slug LIKE $1) AS present`,
          [`${BENCH_PREFIX}%`],
        )
      ).rows;
      if (present.present) {
        await client.query("ROLLBACK");
        result.status = "present";
        result.elapsedMs = Date.now() - started;
        return result;
      }
      await client.query("SET LOCAL maintenance_work_mem = '512MB'");
      // lz4 compresses the TOASTed bodies several times faster than pglz, where the server has it.
      const [toast] = (await client.query("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'"))
        .rows;
      if (String(toast?.enumvals).includes("lz4")) await client.query("SET LOCAL default_toast_compression = 'lz4'");
      // The link tables' published_at triggers cost a lookup per row; load() sets the column itself.
      // ALTER TABLE is transactional: nobody else ever sees them disabled.
      const triggers = (
        await client.query(
          `SELECT tgrelid::regclass::text AS "table", quote_ident(tgname) AS name FROM pg_trigger
            WHERE tgname IN ('article_authors_published_at', 'article_topics_published_at') AND tgenabled <> 'D'`,
        )
      ).rows as { table: string; name: string }[];
      for (const t of triggers) await client.query(`ALTER TABLE ${t.table} DISABLE TRIGGER ${t.name}`);
      const deferred = await dropIndexes(client, [
        ["articles", options.articles],
        ["article_authors", options.articles],
        ["article_topics", options.articles],
        ["comments", options.comments],
      ]);

      await load(client, options, seed, now, progress, result);

      if (deferred.length) {
        progress.phase("indexes", deferred.length);
        for (const definition of deferred) {
          await client.query(definition);
          progress.add(1);
        }
        progress.finish();
      }
      for (const t of triggers) await client.query(`ALTER TABLE ${t.table} ENABLE TRIGGER ${t.name}`);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    }
    progress.note("analyze ...");
    await client.query("ANALYZE authors, topics, articles, article_authors, article_topics, comments");
  } finally {
    await runner.release();
  }
  result.elapsedMs = Date.now() - started;
  return result;
}

async function load(
  client: PgClient,
  options: BenchOptions,
  seed: number,
  now: number,
  progress: Progress,
  result: BenchResult,
): Promise<void> {
  const topics = makeTopics(options.topics, seed);
  const authors = makeAuthors(options.authors, seed, topics);
  const plan = planArticles(options.articles, seed, options.topics, options.authors, now);

  const authorBase = await reserveIds(client, "authors", authors.length);
  const topicBase = await reserveIds(client, "topics", topics.length);
  const articleBase = await reserveIds(client, "articles", plan.count);
  const commentBase = await reserveIds(client, "comments", options.comments);

  const authorRows = new BatchInsert(
    client,
    "authors",
    [
      ["id", "int4"],
      ["slug", "text"],
      ["name", "text"],
      ["bio", "text"],
      ["avatar_url", "text"],
      ["created_at", "timestamptz"],
    ],
    4 << 20,
  );
  for (const [i, a] of authors.entries()) {
    await authorRows.add([authorBase + i, a.slug, a.name, a.bio, a.avatarUrl, iso(now - SPAN - DAY)]);
  }
  await authorRows.end();
  result.authors = authors.length;

  const topicRows = new BatchInsert(
    client,
    "topics",
    [
      ["id", "int4"],
      ["slug", "text"],
      ["name", "text"],
      ["description", "text"],
    ],
    4 << 20,
  );
  for (const [i, t] of topics.entries()) await topicRows.add([topicBase + i, t.slug, t.name, t.description]);
  await topicRows.end();
  result.topics = topics.length;
  progress.note(`seed --bench: ${authors.length} authors, ${topics.length} topics`);

  progress.phase("articles", plan.count);
  const articleRows = new BatchInsert(
    client,
    "articles",
    [
      ["id", "int4"],
      ["slug", "text"],
      ["title", "text"],
      ["standfirst", "text"],
      ["body", "text"],
      ["body_html", "text"],
      ["status", "text"],
      ["published_at", "timestamptz"],
      ["created_at", "timestamptz"],
      ["updated_at", "timestamptz"],
      ["comments_open", "bool"],
      ["word_count", "int4"],
    ],
    4 << 20,
    (n) => progress.add(n),
  );
  for (let i = 0; i < plan.count; i++) {
    const { keywords, places } = articleKeywords(plan, i, topics);
    const a = articleText(i, seed, keywords, places);
    await articleRows.add([
      articleBase + i,
      a.slug,
      a.title,
      a.standfirst,
      a.body,
      a.html,
      ARTICLE_STATUS[plan.status[i]!],
      iso(plan.publishedAt[i]!),
      iso(plan.createdAt[i]!),
      iso(plan.updatedAt[i]!),
      plan.commentsOpen[i] === 1,
      a.wordCount,
    ]);
  }
  await articleRows.end();
  progress.finish();
  result.articles = plan.count;

  // The link tables' BEFORE INSERT triggers are disabled for this transaction (see seedBench):
  // published_at is set here as they would, the article's when it is PUBLISHED, else NULL.
  const linkPublishedAt = (i: number) => (plan.status[i] === STATUS_PUBLISHED ? iso(plan.publishedAt[i]!) : null);
  const links = plan.topicStart[plan.count]! + plan.authorStart[plan.count]!;
  progress.phase("bylines & tags", links);
  const bylines = new BatchInsert(
    client,
    "article_authors",
    [
      ["article_id", "int4"],
      ["author_id", "int4"],
      ["position", "int2"],
      ["published_at", "timestamptz"],
    ],
    1 << 20,
    (n) => progress.add(n),
  );
  for (let i = 0; i < plan.count; i++) {
    for (let k = plan.authorStart[i]!; k < plan.authorStart[i + 1]!; k++) {
      await bylines.add([
        articleBase + i,
        authorBase + plan.authorIdx[k]!,
        k - plan.authorStart[i]!,
        linkPublishedAt(i),
      ]);
    }
  }
  await bylines.end();
  result.articleAuthors = bylines.rows;
  const tags = new BatchInsert(
    client,
    "article_topics",
    [
      ["article_id", "int4"],
      ["topic_id", "int4"],
      ["published_at", "timestamptz"],
    ],
    1 << 20,
    (n) => progress.add(n),
  );
  for (let i = 0; i < plan.count; i++) {
    for (let k = plan.topicStart[i]!; k < plan.topicStart[i + 1]!; k++) {
      await tags.add([articleBase + i, topicBase + plan.topicIdx[k]!, linkPublishedAt(i)]);
    }
  }
  await tags.end();
  result.articleTopics = tags.rows;
  progress.finish();

  if (!options.comments) return;
  progress.note("planning comments ...");
  const cp = planComments(options.comments, seed, plan, now);
  const commenters = new Commenters(Math.max(50, Math.round(options.comments / 20)));
  const keywordCache = new Map<number, { keywords: string[]; places: string[] }>();
  progress.phase("comments", cp.count);
  const commentRows = new BatchInsert(
    client,
    "comments",
    [
      ["id", "int4"],
      ["article_id", "int4"],
      ["parent_id", "int4"],
      ["depth", "int2"],
      ["author_name", "text"],
      ["email", "text"],
      ["website", "text"],
      ["body", "text"],
      ["status", "text"],
      ["created_at", "timestamptz"],
    ],
    2 << 20,
    (n) => progress.add(n),
  );
  for (let pos = 0; pos < cp.count; pos++) {
    const k = cp.order[pos]!;
    const a = cp.article[k]!;
    let kw = keywordCache.get(a);
    if (!kw) {
      if (keywordCache.size > 10_000) keywordCache.clear();
      kw = articleKeywords(plan, a, topics);
      keywordCache.set(a, kw);
    }
    const rng = new Rng(seed, S_COMMENT_TEXT, k);
    const who = commenters.identity(rng);
    const parent = cp.parent[k]!;
    await commentRows.add([
      commentBase + pos,
      articleBase + a,
      parent < 0 ? null : commentBase + cp.rank[parent]!,
      cp.depth[k]!,
      who.name,
      who.email,
      who.website,
      commentBody(rng, parent >= 0, cp.status[k] === 3, kw.keywords, kw.places),
      COMMENT_STATUS[cp.status[k]!],
      iso(cp.createdAt[k]!),
    ]);
  }
  await commentRows.end();
  progress.finish();
  result.comments = cp.count;
}

/** Exposed for tests: the text of article `index` under `seed`, without a database. */
export const internals = { articleText, hashString, makeTopics, planArticles, articleKeywords };
