/**
 * The response cache serves: a repeated anonymous query is a HIT that costs no SQL,
 * keyed by query and variables; HTTP Cache-Control says who may keep what; anything
 * with an Authorization header is private and never served from nor stored in the
 * cache; automatic persisted queries over GET work and are cacheable. Every suite
 * runs against the in-process store and the shared Redis one.
 */
import { createHash } from "node:crypto";
import { print } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import {
  CacheArticleDocument,
  CacheArticleListDocument,
  CacheArticleTitleDocument,
  CacheCreateArticleDocument,
  CacheFrontPageDocument,
  CacheSearchDocument,
  CacheViewerDocument,
} from "../generated/graphql";
import type { TestServer, GraphQLResult, RequestOptions } from "../support/server";
import { startTestServer } from "../support/server";
import {
  cacheControl,
  dataOf,
  NO_RATE_LIMIT,
  PurgeWatch,
  STORES,
  unique,
  withForeignPurgeRetry,
  xCache,
} from "./cache-helpers";

describe.each(STORES)("response cache, %s: serving", (_name, store) => {
  let server: TestServer;
  let watch: PurgeWatch;
  let editor: string;

  beforeAll(async () => {
    server = await startTestServer({ ...store, ...NO_RATE_LIMIT, feedPollMs: 0 });
    watch = new PurgeWatch(server);
    watch.track(server);
    editor = await server.token("cache-serving-editor", "EDITOR");
  });
  afterAll(async () => {
    await watch?.close();
    await server?.stop();
  });

  /** One request, with the SQL statements the server sent meanwhile (requests here run one at a time). */
  async function measured<R, V>(doc: TypedDocumentNode<R, V>, vars: V, options?: RequestOptions) {
    const before = server.db.sql.total;
    const res = await server.request(doc, vars, options);
    return { res, statements: server.db.sql.total - before };
  }

  /**
   * Asserts the next request is a HIT (sending one more to store it first when a
   * purge by another run on the shared Redis got in the way) and returns it with its SQL count.
   */
  async function hit<R, V>(doc: TypedDocumentNode<R, V>, vars: V) {
    let result!: { res: GraphQLResult<R>; statements: number };
    let attempt = 0;
    await withForeignPurgeRetry(watch, async () => {
      if (attempt++ > 0) await server.request(doc, vars);
      result = await measured(doc, vars);
      return xCache(result.res) === "HIT";
    });
    return result;
  }

  test("the second identical anonymous query is a HIT, with the same body and no SQL at all", async () => {
    const doc = unique(CacheFrontPageDocument);
    const miss = await measured(doc, { first: 20 });
    expect(xCache(miss.res)).toBe("MISS");
    expect(miss.statements).toBeGreaterThan(0);
    const front = dataOf(miss.res);
    expect(front.articles.nodes).toHaveLength(20);

    const again = await hit(doc, { first: 20 });
    expect(again.statements).toBe(0);
    expect(again.res.status).toBe(200);
    expect(again.res.data).toEqual(front);
    expect(again.res.errors).toBeUndefined();
    expect(cacheControl(again.res)).toBe(cacheControl(miss.res));
  });

  test("the entry lives in the configured store, for the server's TTL", async () => {
    await withForeignPurgeRetry(watch, async () => {
      const doc = unique(CacheArticleListDocument);
      const variables = { first: 2 };
      const res = await server.request(doc, variables);
      expect(xCache(res)).toBe("MISS");
      // The key the plugin derives: the fingerprint of the request checks' settings, the query's hash,
      // the operation name the request gave (none here) and the variables.
      const { queryLimits, introspection, production } = server.config;
      const checks = createHash("sha256")
        .update(JSON.stringify([queryLimits, introspection, production]))
        .digest("hex");
      const queryHash = createHash("sha256").update(print(doc)).digest("hex");
      const key = createHash("sha256")
        .update(JSON.stringify([checks, queryHash, null, variables]))
        .digest("hex");
      const ttl = await watch.ttl(key);
      if (!store.redisUrl) {
        expect(ttl).toBeNull();
        return true;
      }
      if (ttl === -2) return false; // not stored, or purged since: only another run's purge may cause that
      expect(ttl).toBeGreaterThan(250);
      expect(ttl).toBeLessThanOrEqual(300);
      return true;
    });
  });

  test("an article page and a search are cached too", async () => {
    const [slug] = (
      await server.db.query<{ slug: string }>(
        "SELECT slug FROM articles WHERE status = 'PUBLISHED' ORDER BY id LIMIT 1",
      )
    ).map((r) => r.slug);
    const page = unique(CacheArticleDocument);
    const first = await server.request(page, { slug });
    expect(xCache(first)).toBe("MISS");
    expect(dataOf(first).article!.slug).toBe(slug);
    const second = await hit(page, { slug });
    expect(second.statements).toBe(0);
    expect(second.res.data).toEqual(first.data);

    const search = unique(CacheSearchDocument);
    const found = await server.request(search, { query: "ferry" });
    expect(xCache(found)).toBe("MISS");
    expect(dataOf(found).search.totalCount).toBeGreaterThan(0);
    const again = await hit(search, { query: "ferry" });
    expect(again.statements).toBe(0);
    expect(again.res.data).toEqual(found.data);
  });

  test("different variables are different entries", async () => {
    const rows = await server.db.query<{ slug: string; title: string }>(
      "SELECT slug, title FROM articles WHERE status = 'PUBLISHED' ORDER BY id LIMIT 2",
    );
    const [a, b] = rows as [{ slug: string; title: string }, { slug: string; title: string }];
    const doc = unique(CacheArticleTitleDocument);
    const first = await server.request(doc, { slug: a.slug });
    expect(xCache(first)).toBe("MISS");
    expect(dataOf(first).article!.title).toBe(a.title);
    const other = await server.request(doc, { slug: b.slug });
    expect(xCache(other)).toBe("MISS");
    expect(dataOf(other).article!.title).toBe(b.title);
    const againA = await hit(doc, { slug: a.slug });
    expect(againA.res.data!.article!.title).toBe(a.title);
    const againB = await hit(doc, { slug: b.slug });
    expect(againB.res.data!.article!.title).toBe(b.title);

    // Same query, another page size: its own entry.
    const list = unique(CacheArticleListDocument);
    expect(xCache(await server.request(list, { first: 3 }))).toBe("MISS");
    const four = await server.request(list, { first: 4 });
    expect(xCache(four)).toBe("MISS");
    expect(dataOf(four).articles.nodes).toHaveLength(4);
    expect((await hit(list, { first: 3 })).res.data!.articles.nodes).toHaveLength(3);
  });

  test("Cache-Control: public with s-maxage for anonymous queries, the smallest hint of what they select", async () => {
    const [slug] = (
      await server.db.query<{ slug: string }>(
        "SELECT slug FROM articles WHERE status = 'PUBLISHED' ORDER BY id LIMIT 1",
      )
    ).map((r) => r.slug);
    // articles (30) with comment counts (30).
    const front = await server.request(unique(CacheFrontPageDocument), { first: 5 });
    expect(cacheControl(front)).toBe("public, max-age=0, s-maxage=30");
    // article (60) alone.
    const title = await server.request(unique(CacheArticleTitleDocument), { slug });
    expect(cacheControl(title)).toBe("public, max-age=0, s-maxage=60");
    // article (60) with comments (30).
    const page = await server.request(unique(CacheArticleDocument), { slug });
    expect(cacheControl(page)).toBe("public, max-age=0, s-maxage=30");
    // A HIT says the same as the MISS that stored it.
    const doc = unique(CacheArticleTitleDocument);
    await server.request(doc, { slug });
    expect(cacheControl((await hit(doc, { slug })).res)).toBe("public, max-age=0, s-maxage=60");
  });

  test("Cache-Control: no-store for viewer queries, mutations and errors, which are never cached", async () => {
    // viewer has a hint of 0: per caller, never shared.
    const viewerDoc = unique(CacheViewerDocument);
    for (let i = 0; i < 2; i++) {
      const res = await server.request(viewerDoc, {});
      expect(dataOf(res).viewer).toBeNull();
      expect(cacheControl(res)).toBe("no-store");
      expect(xCache(res)).toBeNull();
    }

    // A mutation (anonymous: it fails, but its answer is no-store either way).
    const mutation = await server.request(CacheCreateArticleDocument, { input: { title: "No", body: "No" } });
    expect(mutation.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(cacheControl(mutation)).toBe("no-store");
    expect(xCache(mutation)).toBeNull();
    const created = await server.request(
      CacheCreateArticleDocument,
      { input: { title: "Cache-Control of a mutation", body: "Text." } },
      { token: editor },
    );
    expect(dataOf(created).createArticle.status).toBe("DRAFT");
    expect(cacheControl(created)).toBe("private, no-store");

    // A query that fails (first above the cap) is not stored: the same request runs again, costing SQL or not.
    const list = unique(CacheArticleListDocument);
    for (let i = 0; i < 2; i++) {
      const res = await server.request(list, { first: 500 });
      expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(cacheControl(res)).toBe("no-store");
      expect(xCache(res)).toBeNull();
    }
    // An anonymous request for drafts is an error for everyone, and stays one.
    const drafts = unique(CacheArticleListDocument);
    for (let i = 0; i < 2; i++) {
      const res = await server.request(drafts, { first: 5, filter: { status: "DRAFT" } });
      expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      expect(res.data?.articles).toBeUndefined();
      expect(cacheControl(res)).toBe("no-store");
      expect(xCache(res)).toBeNull();
    }
  });

  test("with Authorization a query is never served from the cache, even when the anonymous one is cached", async () => {
    const doc = unique(CacheFrontPageDocument);
    const anonymous = await server.request(doc, { first: 10 });
    expect(xCache(anonymous)).toBe("MISS");
    await hit(doc, { first: 10 });

    for (let i = 0; i < 2; i++) {
      const mine = await measured(doc, { first: 10 }, { token: editor });
      expect(dataOf(mine.res).articles.nodes).toHaveLength(10);
      expect(xCache(mine.res)).toBeNull();
      expect(cacheControl(mine.res)).toBe("private, no-store");
      expect(mine.statements).toBeGreaterThan(0);
    }
    // A token the server rejects gets a 401 (from context creation, before any plugin runs: no
    // Cache-Control at all, which shared caches may not store for a request with Authorization).
    const bad = await server.request(doc, { first: 10 }, { headers: { authorization: "Bearer not-a-token" } });
    expect(bad.status).toBe(401);
    expect(bad.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(bad.data).toBeUndefined();
    expect(xCache(bad)).toBeNull();
    expect(cacheControl(bad) ?? "").not.toContain("public");
  });

  test("with Authorization a response is never stored: the anonymous request after it is a MISS", async () => {
    const doc = unique(CacheArticleListDocument);
    for (let i = 0; i < 2; i++) {
      const mine = await server.request(doc, { first: 7 }, { token: editor });
      expect(xCache(mine)).toBeNull();
      expect(cacheControl(mine)).toBe("private, no-store");
    }
    const anonymous = await measured(doc, { first: 7 });
    expect(xCache(anonymous.res)).toBe("MISS");
    expect(anonymous.statements).toBeGreaterThan(0);
  });

  test("an editor's drafts never reach anonymous callers", async () => {
    const created = await server.request(
      CacheCreateArticleDocument,
      { input: { title: "Draft the public must not see", body: "Embargoed." } },
      { token: editor },
    );
    const draft = dataOf(created).createArticle;

    // The editor reads the draft list and the draft itself, twice (nothing is stored for either).
    const list = unique(CacheArticleListDocument);
    const article = unique(CacheArticleTitleDocument);
    for (let i = 0; i < 2; i++) {
      const drafts = await server.request(list, { first: 100, filter: { status: "DRAFT" } }, { token: editor });
      expect(dataOf(drafts).articles.nodes.map((n) => n.slug)).toContain(draft.slug);
      expect(xCache(drafts)).toBeNull();
      const own = await server.request(article, { slug: draft.slug }, { token: editor });
      expect(dataOf(own).article?.title).toBe("Draft the public must not see");
      expect(xCache(own)).toBeNull();
    }

    // Anonymous callers asking the very same questions get their own answers.
    const anonymousList = await server.request(list, { first: 100, filter: { status: "DRAFT" } });
    expect(anonymousList.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(JSON.stringify(anonymousList.data ?? null)).not.toContain(draft.slug);
    const anonymous = await server.request(article, { slug: draft.slug });
    expect(dataOf(anonymous).article).toBeNull();
    expect(xCache(anonymous)).toBe("MISS");
    expect((await hit(article, { slug: draft.slug })).res.data!.article).toBeNull();
    // And the editor still sees the draft: the cached null is not theirs either.
    const own = await server.request(article, { slug: draft.slug }, { token: editor });
    expect(dataOf(own).article?.id).toBe(draft.id);
    expect(xCache(own)).toBeNull();
  });

  describe("automatic persisted queries over GET", () => {
    async function get(params: Record<string, string>) {
      const url = new URL(server.url);
      for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
      await watch.note();
      const res = await fetch(url, {
        headers: { accept: "application/graphql-response+json, application/json", "apollo-require-preflight": "true" },
      });
      return { status: res.status, headers: res.headers, json: (await res.json()) as any };
    }

    test("hash alone: PERSISTED_QUERY_NOT_FOUND; with the query: works; then the hash alone works and is cached", async () => {
      const query = print(unique(CacheArticleListDocument));
      const sha256Hash = createHash("sha256").update(query).digest("hex");
      const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash } });
      const variables = JSON.stringify({ first: 3 });

      const unknown = await get({ extensions, variables });
      expect(unknown.json.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
      expect(unknown.json.data).toBeUndefined();
      expect(unknown.headers.get("x-cache")).toBeNull();

      const registered = await get({ query, extensions, variables });
      expect(registered.status).toBe(200);
      expect(registered.json.errors).toBeUndefined();
      expect(registered.json.data.articles.nodes).toHaveLength(3);
      expect(registered.headers.get("cache-control")).toBe("public, max-age=0, s-maxage=30");
      expect(registered.headers.get("x-cache")).toBe("MISS");

      // The hash alone now names the query; its key is the query's, so the entry above answers it.
      let byHash!: Awaited<ReturnType<typeof get>>;
      let attempt = 0;
      await withForeignPurgeRetry(watch, async () => {
        if (attempt++ > 0) await get({ extensions, variables });
        const before = server.db.sql.total;
        byHash = await get({ extensions, variables });
        expect(byHash.status).toBe(200);
        expect(byHash.json.errors).toBeUndefined();
        if (byHash.headers.get("x-cache") !== "HIT") return false;
        expect(server.db.sql.total).toBe(before);
        return true;
      });
      expect(byHash.json.data).toEqual(registered.json.data);
      expect(byHash.headers.get("cache-control")).toBe("public, max-age=0, s-maxage=30");

      // Other variables with the same hash: a new entry, then a HIT.
      const five = JSON.stringify({ first: 5 });
      const other = await get({ extensions, variables: five });
      expect(other.headers.get("x-cache")).toBe("MISS");
      expect(other.json.data.articles.nodes).toHaveLength(5);
    });

    test("a plain GET query (no preflight header) is cached like a POST; a mutation over GET is refused and not cached", async () => {
      const query = print(unique(CacheArticleListDocument));
      const variables = JSON.stringify({ first: 2 });
      const plain = async () => {
        const url = new URL(server.url);
        url.searchParams.set("query", query);
        url.searchParams.set("variables", variables);
        await watch.note();
        const res = await fetch(url, { headers: { accept: "application/json" } });
        return { status: res.status, headers: res.headers, json: (await res.json()) as any };
      };
      const first = await plain();
      expect(first.status).toBe(200);
      expect(first.json.data.articles.nodes).toHaveLength(2);
      expect(first.headers.get("x-cache")).toBe("MISS");
      expect(first.headers.get("cache-control")).toBe("public, max-age=0, s-maxage=30");
      let attempt = 0;
      await withForeignPurgeRetry(watch, async () => {
        if (attempt++ > 0) await plain();
        const again = await plain();
        expect(again.json.data).toEqual(first.json.data);
        return again.headers.get("x-cache") === "HIT";
      });

      const mutation = print(CacheCreateArticleDocument);
      const refused = await get({ query: mutation, variables: JSON.stringify({ input: { title: "x", body: "y" } }) });
      expect(refused.status).toBe(405);
      expect(refused.headers.get("x-cache")).toBeNull();
      expect(refused.headers.get("cache-control") ?? "").not.toContain("public");
    });
  });
});
