/**
 * A cache hit is answered from the raw request, before Apollo parses or
 * validates it (src/cache/response-cache.ts `answer`, called by
 * src/http/http-handler.ts). These tests pin what that path must keep: the
 * same bytes, content negotiation and headers as the answer Apollo gave;
 * never for a request with Authorization; keys per text, operation name and
 * variables, over POST and GET alike; anything Apollo would refuse still goes
 * to Apollo; a purge ends the hits.
 */
import { print } from "graphql";
import { CacheArticleTitleDocument, CacheUpdateArticleDocument } from "../generated/graphql";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";
import { NO_RATE_LIMIT, PurgeWatch, STORES, unique, withForeignPurgeRetry } from "./cache-helpers";

interface Answer {
  status: number;
  text: string;
  headers: Headers;
}

describe.each(STORES)("response cache, %s: hits answered before parsing", (_name, store) => {
  let server: TestServer;
  let watch: PurgeWatch;
  let editor: string;
  const slug = "heatwave-warning-hottest-week-on-record";

  beforeAll(async () => {
    server = await startTestServer({ ...store, ...NO_RATE_LIMIT, feedPollMs: 0 });
    watch = new PurgeWatch(server);
    editor = await server.token("cache-before-parse-editor", "EDITOR");
  });
  afterAll(async () => {
    await watch?.close();
    await server?.stop();
  });

  const beforeParse = async () => (await server.metrics.cacheHitsBeforeParse.get()).values[0]?.value ?? 0;

  async function post(body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    await watch.note();
    const res = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, text: await res.text(), headers: res.headers };
  }

  async function get(params: Record<string, string>, method = "GET", headers: Record<string, string> = {}) {
    await watch.note();
    const res = await fetch(`${server.url}?${new URLSearchParams(params)}`, { method, headers });
    return { status: res.status, text: await res.text(), headers: res.headers };
  }

  /** A query text no other test run uses, for the article's title. */
  const freshTitleQuery = () => print(unique(CacheArticleTitleDocument));

  /** Sends `body` until it is stored (a MISS) and then answered before parsing (a HIT). */
  async function storedThenHit(send: () => Promise<Answer>) {
    let miss!: Answer;
    let hit!: Answer;
    let counted = 0;
    await withForeignPurgeRetry(watch, async () => {
      miss = await send();
      const before = await beforeParse();
      hit = await send();
      counted = (await beforeParse()) - before;
      return hit.headers.get("x-cache") === "HIT";
    });
    return { miss, hit, counted };
  }

  it("answers a repeated query with the bytes, type and headers Apollo sent, without parsing it", async () => {
    const query = freshTitleQuery();
    const { miss, hit, counted } = await storedThenHit(() => post({ query, variables: { slug } }));
    expect(miss.status).toBe(200);
    expect(miss.headers.get("x-cache")).toBe("MISS");
    expect(JSON.parse(miss.text).data.article.title).toMatch(/Heatwave/);
    expect(counted).toBe(1);
    expect(hit.status).toBe(200);
    expect(hit.text).toBe(miss.text);
    expect(hit.headers.get("content-type")).toBe(miss.headers.get("content-type"));
    expect(hit.headers.get("cache-control")).toBe(miss.headers.get("cache-control"));
    expect(hit.headers.get("cache-control")).toMatch(/^public, max-age=0, s-maxage=\d+$/);
    // What every response gets still comes with a hit.
    expect(hit.headers.get("x-request-id")).toBeTruthy();
    expect(hit.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("negotiates the content type as Apollo does, and leaves a refused Accept to Apollo (406)", async () => {
    const query = freshTitleQuery();
    const { hit } = await storedThenHit(() => post({ query, variables: { slug } }));
    const body = hit.text;
    const cases: [string, string][] = [
      ["application/json", "application/json; charset=utf-8"],
      ["application/graphql-response+json", "application/graphql-response+json; charset=utf-8"],
      ["application/graphql-response+json, application/json;q=0.9", "application/graphql-response+json; charset=utf-8"],
      ["*/*", "application/json; charset=utf-8"],
    ];
    for (const [accept, type] of cases) {
      const before = await beforeParse();
      const res = await post({ query, variables: { slug } }, { accept });
      // Only another run's purge on the shared Redis may turn this into a MISS.
      if (res.headers.get("x-cache") !== "HIT" && watch.shared) continue;
      expect(res.headers.get("x-cache")).toBe("HIT");
      expect([accept, res.headers.get("content-type")]).toEqual([accept, type]);
      expect(res.text).toBe(body);
      expect((await beforeParse()) - before).toBe(1);
    }
    const before = await beforeParse();
    const refused = await post({ query, variables: { slug } }, { accept: "text/plain" });
    expect(refused.status).toBe(406);
    expect(await beforeParse()).toBe(before);
  });

  it("shares one entry between POST and GET, and answers HEAD without a body", async () => {
    const query = freshTitleQuery();
    await withForeignPurgeRetry(watch, async () => {
      const stored = await post({ query, variables: { slug } });
      const before = await beforeParse();
      const viaGet = await get({ query, variables: JSON.stringify({ slug }) });
      if (viaGet.headers.get("x-cache") !== "HIT") return false;
      expect(viaGet.text).toBe(stored.text);
      expect((await beforeParse()) - before).toBe(1);
      const head = await get({ query, variables: JSON.stringify({ slug }) }, "HEAD");
      if (head.headers.get("x-cache") !== "HIT") return false;
      expect(head.status).toBe(200);
      expect(head.text).toBe("");
      return true;
    });
  });

  it("keys by variables and by operation name", async () => {
    const query = freshTitleQuery();
    await storedThenHit(() => post({ query, variables: { slug } }));
    const other = await post({ query, variables: { slug: "ferry-fares-frozen-in-draft-budget" } });
    expect(other.headers.get("x-cache")).toBe("MISS");

    const named = unique(CacheArticleTitleDocument);
    const twoOperations = `${print(named)}\nquery Other { __typename }`;
    const name = (named.definitions[0] as { name?: { value: string } }).name!.value;
    await storedThenHit(() => post({ query: twoOperations, operationName: name, variables: { slug } }));
    const second = await post({ query: twoOperations, operationName: "Other" });
    expect(second.status).toBe(200);
    expect(second.headers.get("x-cache")).toBe("MISS");
    expect(JSON.parse(second.text)).toEqual({ data: { __typename: "Query" } });
  });

  it("never answers a request with Authorization from the cache", async () => {
    const query = freshTitleQuery();
    await storedThenHit(() => post({ query, variables: { slug } }));
    const before = await beforeParse();
    const mine = await post({ query, variables: { slug } }, { authorization: `Bearer ${editor}` });
    expect(mine.status).toBe(200);
    expect(mine.headers.get("x-cache")).toBeNull();
    expect(mine.headers.get("cache-control")).toBe("private, no-store");
    // A bad token is still refused, not answered from the cache.
    const forged = await post({ query, variables: { slug } }, { authorization: "Bearer ng_not-a-token" });
    expect(JSON.parse(forged.text).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(await beforeParse()).toBe(before);
  });

  it("leaves malformed requests and persisted-query extensions to Apollo", async () => {
    const query = freshTitleQuery();
    await storedThenHit(() => post({ query, variables: { slug } }));
    const before = await beforeParse();
    const badVariables = await get({ query, variables: "{not json" });
    expect(badVariables.status).toBe(400);
    const listVariables = await post({ query, variables: [slug] });
    expect(listVariables.status).toBe(400);
    const numericName = await post({ query, variables: { slug }, operationName: 7 });
    expect(numericName.status).toBe(400);
    const wrongHash = await post({
      query,
      variables: { slug },
      extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } },
    });
    expect(wrongHash.status).toBe(400);
    expect(await beforeParse()).toBe(before);
  });

  it("stops answering once a write purged the entry", async () => {
    const query = freshTitleQuery();
    const { hit } = await storedThenHit(() => post({ query, variables: { slug } }));
    const id = JSON.parse(hit.text).data.article.id as string;
    const title = `Heatwave warning, retitled ${Date.now()}`;
    const updated = await server.request(CacheUpdateArticleDocument, { id, input: { title } }, { token: editor });
    expect(updated.errors).toBeUndefined();
    const after = await post({ query, variables: { slug } });
    expect(after.headers.get("x-cache")).toBe("MISS");
    expect(JSON.parse(after.text).data.article.title).toBe(title);
  });
});
