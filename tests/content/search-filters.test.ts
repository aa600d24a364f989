/**
 * Article filters (topics, author, publication window) and full-text search
 * (ranking, visibility, paging, input validation). Each block has a server and
 * database of its own: the filter tests see the demo content alone, whatever
 * order the tests run in; the search tests add their own articles.
 */
import { SEARCH_WALK, SEARCH_WINDOW } from "../../src/modules/article/article.windows";
import { demoArticles } from "../../src/seed/demo-content";
import { createArticle, hoursAgo } from "../factories/content";
import { expectError, ok, unique, walk } from "../factories/graphql";
import type { ArticleIdsQueryVariables } from "../generated/graphql";
import { ArticleIdsDocument, SearchEstimateDocument, SearchFullDocument } from "../generated/graphql";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

/** The server of the block that runs (blocks run one after the other, each with its own). */
let server: TestServer;
// Factories write straight to the database, past the writes that purge the response cache.
function ownServer(): void {
  beforeAll(async () => {
    server = await startTestServer({ responseCache: false });
  });
  afterAll(() => server?.stop());
}

const newestFirst = [...demoArticles].sort((a, b) => a.hoursAgo - b.hoursAgo);
const where = (keep: (a: (typeof demoArticles)[number]) => boolean) => newestFirst.filter(keep).map((a) => a.slug);

async function list(vars: ArticleIdsQueryVariables): Promise<string[]> {
  const nodes = await walk(async (after) => {
    const conn = ok(await server.request(ArticleIdsDocument, { first: 3, ...vars, after })).articles;
    return { nodes: conn.edges.map((e) => e.node.slug), pageInfo: conn.pageInfo };
  });
  const { totalCount } = ok(await server.request(ArticleIdsDocument, { ...vars, first: 0 })).articles;
  expect(totalCount).toBe(nodes.length);
  expect(unique(nodes)).toBe(true);
  return nodes;
}

describe("filters", () => {
  ownServer();
  test("topicSlugs: articles tagged with any of them, each once", async () => {
    expect(await list({ filter: { topicSlugs: ["sport"] } })).toEqual(where((a) => a.topics.includes("sport")));
    const either = where((a) => a.topics.includes("sport") || a.topics.includes("culture"));
    expect(either).toContain("merrow-rowing-club-boathouse-appeal"); // tagged with both
    expect(await list({ filter: { topicSlugs: ["sport", "culture"] } })).toEqual(either);
    expect(await list({ filter: { topicSlugs: ["sport", "no-such-topic"] } })).toEqual(
      where((a) => a.topics.includes("sport")),
    );
    expect(await list({ filter: { topicSlugs: ["no-such-topic"] } })).toEqual([]);
  });

  test("authorSlug: articles with that author anywhere in the byline", async () => {
    const declan = where((a) => a.authors.includes("declan-shore"));
    expect(declan).toContain("ferry-fares-frozen-in-draft-budget"); // second in its byline
    expect(await list({ filter: { authorSlug: "declan-shore" } })).toEqual(declan);
    expect(await list({ filter: { authorSlug: "nobody" } })).toEqual([]);
  });

  test("topicSlugs and authorSlug combine with AND; orderBy applies", async () => {
    const expected = where((a) => a.authors.includes("priya-raman") && a.topics.includes("climate"));
    expect(expected).toHaveLength(3);
    expect(await list({ filter: { authorSlug: "priya-raman", topicSlugs: ["climate"] } })).toEqual(expected);
    const oldest = await list({
      filter: { authorSlug: "priya-raman", topicSlugs: ["climate"] },
      orderBy: "OLDEST_FIRST",
    });
    expect(oldest).toEqual([...expected].reverse());
  });

  test("publishedAfter and publishedBefore bound the publication time, alone and together", async () => {
    const all = ok(await server.request(ArticleIdsDocument, { first: 100 })).articles.edges.map((e) => e.node);
    expect(all.map((a) => a.slug)).toEqual(newestFirst.map((a) => a.slug));
    const between = (i: number) =>
      new Date((Date.parse(all[i]!.publishedAt!) + Date.parse(all[i + 1]!.publishedAt!)) / 2).toISOString();
    const slugs = all.map((a) => a.slug);

    expect(await list({ filter: { publishedAfter: between(4) } })).toEqual(slugs.slice(0, 5));
    expect(await list({ filter: { publishedBefore: between(9) } })).toEqual(slugs.slice(10));
    const window = { publishedAfter: between(14), publishedBefore: between(4) };
    expect(await list({ filter: window })).toEqual(slugs.slice(5, 15));
    expect(await list({ filter: window, orderBy: "OLDEST_FIRST" })).toEqual(slugs.slice(5, 15).reverse());
    const cityHall = where((a) => a.topics.includes("city-hall"));
    expect(await list({ filter: { ...window, topicSlugs: ["city-hall"] } })).toEqual(
      slugs.slice(5, 15).filter((s) => cityHall.includes(s)),
    );
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect(await list({ filter: { publishedAfter: future } })).toEqual([]);
  });

  test("publishedAfter at or after publishedBefore is BAD_USER_INPUT", async () => {
    const t = hoursAgo(10).toISOString();
    for (const filter of [
      { publishedAfter: t, publishedBefore: t },
      { publishedAfter: t, publishedBefore: hoursAgo(20).toISOString() },
    ]) {
      const res = await server.request(ArticleIdsDocument, { filter });
      expectError(res, "BAD_USER_INPUT");
      const fields = Object.keys(res.errors![0]!.extensions!.fields ?? {});
      expect(fields.some((f) => f === "publishedAfter" || f === "publishedBefore")).toBe(true);
    }
  });

  test("a value that is not a DateTime is BAD_USER_INPUT", async () => {
    expectError(
      await server.request(ArticleIdsDocument, { filter: { publishedAfter: "yesterday" } }),
      "BAD_USER_INPUT",
    );
  });
});

async function search(query: string, first = 100, after: string | null = null) {
  return ok(await server.request(SearchFullDocument, { query, first, after })).search;
}

describe("search", () => {
  ownServer();
  test("a title match ranks above a standfirst match, which ranks above a body-only match", async () => {
    const db = server.db;
    // Oldest first, so that recency cannot explain the order.
    const title = await createArticle(db, { title: "The zorblat question", publishedAt: hoursAgo(3000) });
    const standfirst = await createArticle(db, {
      standfirst: "Why the zorblat matters",
      publishedAt: hoursAgo(2900),
    });
    const body = await createArticle(db, {
      body: "Nobody expected the zorblat to return.",
      publishedAt: hoursAgo(2800),
    });
    await createArticle(db, { title: "Zorblat draft", status: "DRAFT" });
    await createArticle(db, { title: "Zorblat later", status: "SCHEDULED" });
    await createArticle(db, { title: "Zorblat gone", status: "ARCHIVED" });

    const res = await search("zorblat");
    expect(res.edges.map((e) => e.node.slug)).toEqual([title.slug, standfirst.slug, body.slug]);
    expect(res.edges.map((e) => e.node.status)).toEqual(["PUBLISHED", "PUBLISHED", "PUBLISHED"]);
    expect(res.totalCount).toBe(3);
    expect((await search("ZORBLAT")).edges.map((e) => e.node.slug)).toEqual([title.slug, standfirst.slug, body.slug]);
  });

  test("demo content: best match first, stemming applies", async () => {
    expect((await search("flood barrier")).edges[0]!.node.slug).toBe("harbour-flood-barrier-delayed-again");
    expect((await search("ferry fares")).edges[0]!.node.slug).toBe("ferry-fares-frozen-in-draft-budget");
    const rowing = (await search("boathouses rowed")).edges.map((e) => e.node.slug);
    expect(rowing).toEqual(["merrow-rowing-club-boathouse-appeal"]);
  });

  test("paging through results with cursors gives every match once, in rank order", async () => {
    const db = server.db;
    for (let i = 0; i < 9; i++) {
      // Some ranks differ (title, repeats), some tie (identical bodies): ties are broken by id.
      const word = "quorvex";
      await createArticle(db, {
        title: i % 4 === 0 ? `A ${word} story ${i}` : undefined,
        body: i < 3 ? `Plain ${word} body.` : `${word} `.repeat(i) + "tail.",
        publishedAt: hoursAgo(4000 + i),
      });
    }
    const full = await search("quorvex");
    expect(full.totalCount).toBe(9);
    expect(full.pageInfo.hasNextPage).toBe(false);
    for (const first of [1, 2, 4]) {
      const edges = await walk(async (after) => {
        const page = await search("quorvex", first, after);
        expect(page.totalCount).toBe(9);
        return { nodes: page.edges, pageInfo: page.pageInfo };
      });
      expect(edges.map((e) => e.node.slug)).toEqual(full.edges.map((e) => e.node.slug));
      expect(unique(edges.map((e) => e.cursor))).toBe(true);
    }
  });

  test(`ranks windows of the ${SEARCH_WINDOW} newest matches, newest window first; paging crosses windows`, async () => {
    const db = server.db;
    const word = "wendlebury";
    const total = SEARCH_WINDOW + 30;
    const titled = new Set([0, 50, 150, SEARCH_WINDOW + 5, total - 1]); // title matches outrank body matches
    const slugs: string[] = []; // newest first
    for (let i = 0; i < total; i++) {
      const created = await createArticle(db, {
        title: titled.has(i) ? `The ${word} affair ${i}` : undefined,
        body: `${word} `.repeat(1 + (i % 3)) + "end.",
        publishedAt: hoursAgo(6000 + i),
      });
      slugs.push(created.slug);
    }
    const walkWith = (first: number) =>
      walk(async (after) => {
        const page = await search(word, first, after);
        expect(page.totalCount).toBe(total);
        return { nodes: page.edges.map((e) => e.node.slug), pageInfo: page.pageInfo };
      });
    const order = await walkWith(100);
    expect(order).toHaveLength(total);
    expect(unique(order)).toBe(true);
    // The newest window holds exactly the newest SEARCH_WINDOW matches, best first.
    expect(new Set(order.slice(0, SEARCH_WINDOW))).toEqual(new Set(slugs.slice(0, SEARCH_WINDOW)));
    expect(new Set(order.slice(0, 3))).toEqual(new Set([0, 50, 150].map((i) => slugs[i])));
    expect(new Set(order.slice(SEARCH_WINDOW, SEARCH_WINDOW + 2))).toEqual(
      new Set([SEARCH_WINDOW + 5, total - 1].map((i) => slugs[i])),
    );
    // Page boundaries inside and across windows do not change the order.
    expect(await walkWith(37)).toEqual(order);
    expect(await walkWith(20)).toEqual(order);
  });

  test(`a phrase the newest ${SEARCH_WALK} articles do not hold is found in older ones (the index path)`, async () => {
    const db = server.db;
    // Newer than the phrase matches: both words, never side by side.
    await db.query(
      `INSERT INTO articles (slug, title, body, body_html, status, published_at, word_count)
       SELECT 'walk-filler-' || $1::text || '-' || g, 'Walk filler ' || g, 'The quill, and then the ink ' || g || '.',
              '<p>filler</p>', 'PUBLISHED', now() - make_interval(hours => 100 + g), 6
         FROM generate_series(1, $2::int) g`,
      [String(process.pid), SEARCH_WALK + 100],
    );
    const phrase: string[] = [];
    for (let i = 0; i < 3; i++) {
      phrase.push(
        (await createArticle(db, { body: `A quill ink drawing, number ${i}.`, publishedAt: hoursAgo(9000 + i) })).slug,
      );
    }
    const res = await search('"quill ink"');
    expect(new Set(res.edges.map((e) => e.node.slug))).toEqual(new Set(phrase));
    expect(res.totalCount).toBe(3);
    // Both words without the quotes: the newest matches, a full window from the walk.
    const words = await search("quill ink", 20);
    expect(words.totalCount).toBe(SEARCH_WALK + 100 + 3);
    expect(words.edges).toHaveLength(20);
  });

  test("estimatedTotalCount: the planner's figure, read from statistics without counting the matches", async () => {
    const db = server.db;
    const MATCHES = 120;
    for (let i = 0; i < MATCHES; i++) {
      await createArticle(db, { body: `The fennimore report ${i}.`, publishedAt: hoursAgo(9000 + i) });
    }
    await db.query("ANALYZE articles");
    /** One page with estimatedTotalCount (no totalCount), and the statements it sent. */
    const estimate = async (first: number, after: string | null = null) => {
      let result: unknown;
      const statements = await db.sql.capture(async () => {
        result = ok(await server.request(SearchEstimateDocument, { query: "fennimore", first, after })).search;
      });
      return { page: result as { estimatedTotalCount: number; pageInfo: { endCursor?: string | null } }, statements };
    };
    const { page, statements } = await estimate(10);
    // About right (the statistics sample every row of a table this small), and never the count itself.
    expect(page.estimatedTotalCount).toBeGreaterThanOrEqual(MATCHES * 0.8);
    expect(page.estimatedTotalCount).toBeLessThanOrEqual(MATCHES * 1.2);
    expect(statements.filter((s) => s.startsWith("EXPLAIN"))).toHaveLength(1);
    expect(statements.some((s) => s.startsWith("SELECT count(*)"))).toBe(false);
    // A later page: the same figure (the same statistics), whatever the page.
    const later = await estimate(10, page.pageInfo.endCursor ?? null);
    expect(later.page.estimatedTotalCount).toBe(page.estimatedTotalCount);
    // The exact count stays available.
    expect((await search("fennimore", 1)).totalCount).toBe(MATCHES);
  });

  test("estimatedTotalCount is exact, with no estimate asked, when one page holds every match", async () => {
    for (let i = 0; i < 3; i++) await createArticle(server.db, { body: `A quillant tale ${i}.` });
    let found = 0;
    const statements = await server.db.sql.capture(async () => {
      found = ok(await server.request(SearchEstimateDocument, { query: "quillant", first: 10 })).search
        .estimatedTotalCount;
    });
    expect(found).toBe(3);
    expect(statements.some((s) => s.startsWith("EXPLAIN"))).toBe(false);
    const none = ok(await server.request(SearchEstimateDocument, { query: "zzqxnotaword", first: 10 })).search;
    expect(none.estimatedTotalCount).toBe(0);
  });

  test("an empty query is BAD_USER_INPUT", async () => {
    for (const query of ["", "   "]) {
      expectError(await server.request(SearchFullDocument, { query }), "BAD_USER_INPUT", "query");
    }
  });

  test("a query of only stopwords, or of punctuation, finds nothing and does not fail", async () => {
    for (const query of ["the and of", "a", "!!! & | ( ) :* '", '"unterminated']) {
      const res = await search(query);
      expect([query, res.totalCount, res.edges]).toEqual([query, 0, []]);
      expect(res.pageInfo.hasNextPage).toBe(false);
    }
  });
});
