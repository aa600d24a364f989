/** Article and comment text for the bench seeder: Markdown bodies with realistic, skewed vocabulary. */
import * as text from "./bench-text";
import { BENCH_PREFIX, Rng, S_ARTICLE_TEXT, Zipf } from "./bench-random";
import { slugify } from "../../src/shared/validation";
import type { BenchTopic, Plan } from "./bench-catalog";

// ---------------------------------------------------------------------------
// Text

export const nounZipf = new Zipf(text.NOUNS.length, 1.0);
export const verbZipf = new Zipf(text.VERBS.length, 0.9);
export const adjZipf = new Zipf(text.ADJECTIVES.length, 0.9);

export const NEWS_WORD_CHANCE = text.NEWS_WORDS.reduce((sum, [, chance]) => sum + chance, 0);

export const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Writes sentences of one article (or comment). Markdown and its HTML are built
 * side by side; they differ only where the generator adds markup (quotes become
 * typographer quotes, *emphasis*, headings, lists). `words` counts what
 * renderBody would count: every whitespace-separated token with a letter or digit.
 */
export class Prose {
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

export interface ArticleText {
  slug: string;
  title: string;
  standfirst: string;
  body: string;
  html: string;
  wordCount: number;
}

/** Fills "{Place}"-style slots of a title pattern. */
export function title(p: Prose, pattern: string, keyword: string): string {
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
export function articleText(index: number, seed: number, keywords: string[], places: string[]): ArticleText {
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
export function articleKeywords(plan: Plan, i: number, topics: BenchTopic[]): { keywords: string[]; places: string[] } {
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
