/**
 * A preview answer is never cached: it is `private, no-store` for the caller and for any CDN, it is
 * never stored in the response cache (so nothing can serve it to another request, and revoking the
 * link, even behind the service's back, takes effect on the very next read), whatever else the
 * operation selects, over POST and GET. The public cache around it works as before. Both stores.
 */
import { expectError, ok, unique as uniqueName } from "../factories/newsroom";
import {
  CacheArticleTitleDocument,
  NewsroomCreateArticleDocument,
  PreviewCreateDocument,
  PreviewListDocument,
  PreviewRevokeDocument,
  PreviewTitleDocument,
} from "../generated/graphql";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";
import { parsePreviewId } from "../../src/modules/preview/preview-token";

const previewDbId = (id: string) => parsePreviewId(id)!;
import {
  cacheControl,
  NO_RATE_LIMIT,
  PurgeWatch,
  STORES,
  unique,
  withForeignPurgeRetry,
  xCache,
} from "../cache/cache-helpers";

describe.each(STORES)("draft previews and the response cache, %s", (_name, store) => {
  let server: TestServer;
  let watch: PurgeWatch;
  let editor: string;

  beforeAll(async () => {
    server = await startTestServer({ ...store, ...NO_RATE_LIMIT, feedPollMs: 0 });
    watch = new PurgeWatch(server);
    watch.track(server);
    editor = await server.token("preview-cache-editor", "EDITOR");
  });
  afterAll(async () => {
    await watch?.close();
    await server?.stop();
  });

  async function previewed() {
    const a = ok(
      await server.request(
        NewsroomCreateArticleDocument,
        { input: { title: `Cache preview ${uniqueName("c")}`, body: "Draft body." } },
        { token: editor },
      ),
    ).createArticle;
    const made = ok(await server.request(PreviewCreateDocument, { articleId: a.id }, { token: editor }));
    return { article: a, ...made.createArticlePreview };
  }

  const statementsOf = async <T>(run: () => Promise<T>) => {
    const before = server.db.sql.total;
    const result = await run();
    return { result, statements: server.db.sql.total - before };
  };

  test("a preview read is private, no-store, never a HIT, and reads the database every time", async () => {
    const { article, token } = await previewed();
    const doc = unique(PreviewTitleDocument);
    for (let i = 0; i < 3; i++) {
      const { result: res, statements } = await statementsOf(() => server.request(doc, { token }));
      expect(ok(res).articlePreview).toEqual({ id: article.id, title: article.title });
      expect(cacheControl(res)).toBe("private, no-store");
      expect(xCache(res)).toBeNull();
      expect(statements).toBeGreaterThan(0);
    }
  });

  test("revoking, even straight in the database with no purge, ends the next read: no answer was kept", async () => {
    const { token, id } = await previewed();
    const doc = unique(PreviewTitleDocument);
    ok(await server.request(doc, { token }));
    ok(await server.request(doc, { token }));
    await server.db.query("UPDATE article_previews SET revoked_at = now() WHERE id = $1", [previewDbId(id)]);
    const revoked = await server.request(doc, { token });
    expect(expectError(revoked, "FORBIDDEN").extensions).toMatchObject({ reason: "REVOKED" });
    expect(cacheControl(revoked)).toBe("private, no-store");
    // And through the API, for a second link.
    const second = await previewed();
    ok(await server.request(doc, { token: second.token }));
    ok(await server.request(PreviewRevokeDocument, { id: second.id }, { token: editor }));
    expect(expectError(await server.request(doc, { token: second.token }), "FORBIDDEN").extensions).toMatchObject({
      reason: "REVOKED",
    });
    expect(id).not.toBe(second.id);
  });

  test("an operation mixing a preview with public fields is not cached either, over POST and GET", async () => {
    const { token, article } = await previewed();
    const query = `query Mixed($token: String!, $slug: String!) {
      articlePreview(token: $token) { id title }
      hidden: article(slug: $slug) { id }
      articles(first: 1) { totalCount }
    }`;
    const variables = { token, slug: article.slug };
    for (let i = 0; i < 2; i++) {
      const res = await fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ query, variables }),
      });
      const json = (await res.json()) as any;
      expect(json.data.articlePreview.id).toBe(article.id);
      expect(json.data.hidden).toBeNull();
      expect(res.headers.get("cache-control")).toBe("private, no-store");
      expect(res.headers.get("x-cache")).toBeNull();
    }
    const url = new URL(server.url);
    url.searchParams.set("query", query);
    url.searchParams.set("variables", JSON.stringify(variables));
    for (let i = 0; i < 2; i++) {
      const res = await fetch(url, { headers: { accept: "application/json" } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as any).data.articlePreview.id).toBe(article.id);
      expect(res.headers.get("cache-control")).toBe("private, no-store");
      expect(res.headers.get("x-cache")).toBeNull();
    }
    // The public half alone, as a reader sends it, never sees the draft.
    const publicHalf = await server.post({
      query: "query Mixed($slug: String!) { hidden: article(slug: $slug) { id } articles(first: 1) { totalCount } }",
      variables: { slug: article.slug },
    });
    expect(publicHalf.json.data.hidden).toBeNull();
  });

  test("the public page cache is unaffected: a published article stays a HIT across preview reads and writes", async () => {
    const doc = unique(CacheArticleTitleDocument);
    const slug = "heatwave-warning-hottest-week-on-record";
    const first = await server.request(doc, { slug });
    expect(ok(first).article).not.toBeNull();
    expect(cacheControl(first)).toMatch(/^public, max-age=0, s-maxage=\d+$/);
    const made = await previewed();
    await withForeignPurgeRetry(watch, async () => {
      ok(await server.request(PreviewTitleDocument, { token: made.token }));
      ok(await server.request(PreviewListDocument, { articleId: made.article.id }, { token: editor }));
      const again = await server.request(doc, { slug });
      return xCache(again) === "HIT";
    });
    await withForeignPurgeRetry(watch, async () => {
      ok(await server.request(PreviewRevokeDocument, { id: made.id }, { token: editor }));
      const again = await server.request(doc, { slug });
      return xCache(again) === "HIT";
    });
  });

  test("listing previews is private, no-store", async () => {
    const { article } = await previewed();
    const res = await server.request(PreviewListDocument, { articleId: article.id }, { token: editor });
    expect(ok(res).articlePreviews).toHaveLength(1);
    expect(cacheControl(res)).toBe("private, no-store");
  });
});
