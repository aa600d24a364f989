/**
 * Draft previews: who may make, list and revoke a link (byline and editors; others FORBIDDEN or
 * NOT_FOUND, anonymous UNAUTHENTICATED), which articles may have one (DRAFT and SCHEDULED), and what
 * a token opens: that one article, for anyone, until it expires or is revoked, and nothing else
 * (siblings by id, slug and node id, lists, search, the article's own related/topic/author lists).
 * Refusals write nothing. Time moves by a ManualClock, never by sleeping.
 *
 * Every test makes articles of its own in one shared newsroom, so the tests pass alone and in any order.
 */
import { ManualClock } from "../../src/shared/clock";
import { MAX_LIVE_PREVIEWS } from "../../src/modules/preview/article-preview.service";
import { commentInput, expectError, ok, unique } from "../factories/newsroom";
import {
  LiveAddDocument,
  LivePinDocument,
  LiveStartDocument,
  NewsroomAddCommentDocument,
  NewsroomArchiveArticleDocument,
  NewsroomCreateArticleDocument,
  NewsroomPublishArticleDocument,
  NewsroomUnpublishArticleDocument,
  PreviewCreateDocument,
  PreviewListDocument,
  PreviewReadDocument,
  PreviewRevokeDocument,
  PreviewTitleDocument,
} from "../generated/graphql";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";
import { loadConfig } from "../../src/config";

const AUTHOR = "priya-raman";
const PREVIEW_DEFAULTS = loadConfig({}).preview;
const DAY = 86_400;

let server: TestServer;
let clock: ManualClock;
let tokens: { byline: string; otherWriter: string; editor: string; admin: string };

beforeAll(async () => {
  clock = new ManualClock(new Date());
  server = await startTestServer({}, { clock });
  tokens = {
    byline: await server.token(AUTHOR, "WRITER"),
    otherWriter: await server.token("declan-shore", "WRITER"),
    editor: await server.token("maya-okafor", "EDITOR"),
    admin: await server.token(unique("admin"), "ADMIN"),
  };
});

afterAll(() => server?.stop());

const as = (token?: string) => (token ? { token } : {});

async function draft(word: string, title = "Preview piece"): Promise<{ id: string; slug: string }> {
  const a = ok(
    await server.request(
      NewsroomCreateArticleDocument,
      {
        input: {
          title: `${title} ${word}`,
          standfirst: `${word} standfirst`,
          body: `Harbour **${word}** findings.`,
          topicSlugs: ["climate", "science"],
        },
      },
      as(tokens.byline),
    ),
  ).createArticle;
  return { id: a.id, slug: a.slug };
}

const publish = (id: string, at?: string) =>
  server.request(NewsroomPublishArticleDocument, { id, at }, as(tokens.editor)).then(ok);

const create = (articleId: string, token: string | undefined, expiresIn?: number) =>
  server.request(PreviewCreateDocument, { articleId, expiresIn }, as(token));

const read = (token: string) => server.request(PreviewTitleDocument, { token });

const previewRows = async () =>
  (await server.db.query<{ n: number }>("SELECT count(*)::int AS n FROM article_previews"))[0]!.n;

describe("making a preview link", () => {
  test("the byline writer, editors and admins may; the token is returned once and stored hashed", async () => {
    const a = await draft(unique("w"));
    for (const who of ["byline", "editor", "admin"] as const) {
      const made = ok(await create(a.id, tokens[who])).createArticlePreview;
      expect(made.token).toMatch(/^p1\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
      expect(made.url).toBe(`/preview/${made.token}`);
      expect(made.id).toBe(made.preview.id);
      expect(made.preview.revokedAt).toBeNull();
      expect(new Date(made.expiresAt).getTime()).toBe(new Date(made.preview.createdAt).getTime() + 7 * DAY * 1000);
      const stored = await server.db.query<{ token_hash: string }>(
        "SELECT token_hash FROM article_previews WHERE token_hash = $1 OR token_hash = $2",
        [made.token, made.token.split(".")[1]],
      );
      expect(stored).toEqual([]);
    }
    const live = ok(await server.request(PreviewListDocument, { articleId: a.id }, as(tokens.byline))).articlePreviews;
    expect(live).toHaveLength(3);
  });

  test("a scheduled article has previews too", async () => {
    const a = await draft(unique("s"));
    await publish(a.id, new Date(clock.now().getTime() + DAY * 1000).toISOString());
    const made = ok(await create(a.id, tokens.byline)).createArticlePreview;
    expect(ok(await read(made.token)).articlePreview).toEqual({ id: a.id, title: expect.any(String) });
  });

  test("anonymous UNAUTHENTICATED, a writer outside the byline NOT_FOUND (draft) or FORBIDDEN (published); nothing written", async () => {
    const a = await draft(unique("r"));
    const before = await previewRows();
    expectError(await create(a.id, undefined), "UNAUTHENTICATED");
    expectError(await create(a.id, tokens.otherWriter), "NOT_FOUND");
    const pub = await draft(unique("p"));
    await publish(pub.id);
    expectError(await create(pub.id, tokens.otherWriter), "FORBIDDEN");
    expectError(await server.request(PreviewListDocument, { articleId: a.id }), "UNAUTHENTICATED");
    expectError(await server.request(PreviewListDocument, { articleId: a.id }, as(tokens.otherWriter)), "NOT_FOUND");
    expect(await previewRows()).toBe(before);
  });

  test("published and archived articles, bad ids and lifetimes out of range are BAD_USER_INPUT; nothing written", async () => {
    const pub = await draft(unique("p"));
    await publish(pub.id);
    const arch = await draft(unique("a"));
    await publish(arch.id);
    ok(await server.request(NewsroomArchiveArticleDocument, { id: arch.id }, as(tokens.editor)));
    const a = await draft(unique("d"));
    const before = await previewRows();
    expectError(await create(pub.id, tokens.editor), "BAD_USER_INPUT", ["articleId"]);
    expectError(await create(arch.id, tokens.editor), "BAD_USER_INPUT", ["articleId"]);
    expectError(await create("not-an-id", tokens.editor), "BAD_USER_INPUT", ["articleId"]);
    for (const expiresIn of [59, 0, -1, 30 * DAY + 1]) {
      expectError(await create(a.id, tokens.editor, expiresIn), "BAD_USER_INPUT", ["expiresIn"]);
    }
    expect(await previewRows()).toBe(before);
    // Both edges pass.
    for (const expiresIn of [60, 30 * DAY]) {
      const made = ok(await create(a.id, tokens.editor, expiresIn)).createArticlePreview;
      expect(new Date(made.expiresAt).getTime() - new Date(made.preview.createdAt).getTime()).toBe(expiresIn * 1000);
    }
  });

  test(`an article holds at most ${MAX_LIVE_PREVIEWS} live links; revoking one makes room`, async () => {
    const a = await draft(unique("m"));
    const made: string[] = [];
    for (let i = 0; i < MAX_LIVE_PREVIEWS; i++)
      made.push(ok(await create(a.id, tokens.editor)).createArticlePreview.id);
    const before = await previewRows();
    expectError(await create(a.id, tokens.editor), "CONFLICT");
    expect(await previewRows()).toBe(before);
    ok(await server.request(PreviewRevokeDocument, { id: made[0]! }, as(tokens.editor)));
    ok(await create(a.id, tokens.editor));
    const live = ok(await server.request(PreviewListDocument, { articleId: a.id }, as(tokens.editor))).articlePreviews;
    expect(live).toHaveLength(MAX_LIVE_PREVIEWS);
    expect(live.map((p) => p.id)).not.toContain(made[0]);
  });
});

describe("reading through a preview link", () => {
  test("anyone with the token reads the draft with its body; nested lists stay public-only", async () => {
    const word = unique("scope").replace(/-/g, "");
    const a = await draft(word, "Previewed");
    const sibling = await draft(word, "Sibling");
    const { token } = ok(await create(a.id, tokens.byline)).createArticlePreview;
    const hidden = [a.slug, sibling.slug];

    const got = ok(await server.request(PreviewReadDocument, { token })).articlePreview;
    expect(got).toMatchObject({ id: a.id, slug: a.slug, status: "DRAFT", body: `Harbour **${word}** findings.` });
    expect(got.bodyHtml).toContain(`<strong>${word}</strong>`);
    for (const author of got.authors) {
      expect(author.articles.nodes.map((n) => n.slug).filter((s) => hidden.includes(s))).toEqual([]);
    }
    expect(got.topics.map((t) => t.slug)).toEqual(["climate", "science"]);
    for (const topic of got.topics) {
      expect(topic.articles.nodes.map((n) => n.slug).filter((s) => hidden.includes(s))).toEqual([]);
    }
    expect(got.relatedArticles.every((r) => r.status === "PUBLISHED")).toBe(true);
    expect(got.relatedArticles.map((r) => r.slug).filter((s) => hidden.includes(s))).toEqual([]);
  });

  test("the token unlocks nothing else: siblings by id, slug and node id, lists, search; not a header, not an API token", async () => {
    const word = unique("only").replace(/-/g, "");
    const a = await draft(word, "Previewed");
    const sibling = await draft(word, "Sibling");
    const { token } = ok(await create(a.id, tokens.byline)).createArticlePreview;
    const query = `query ($token: String!, $a: ID!, $b: ID!, $aSlug: String!, $bSlug: String!, $word: String!) {
      articlePreview(token: $token) { id }
      byId: article(id: $a) { id }
      bySlug: article(slug: $aSlug) { id }
      sibling: article(id: $b) { id }
      siblingBySlug: article(slug: $bSlug) { id }
      node: node(id: $a) { id }
      siblingNode: node(id: $b) { id }
      search(query: $word, first: 100) { totalCount nodes { id } }
      articles(first: 100) { nodes { id } }
      topic(slug: "climate") { articles(first: 100) { nodes { id } } }
    }`;
    const variables = { token, a: a.id, b: sibling.id, aSlug: a.slug, bSlug: sibling.slug, word };
    const res = await server.post({ query, variables });
    expect(res.json.errors).toBeUndefined();
    const d = res.json.data;
    expect(d.articlePreview).toEqual({ id: a.id });
    expect([d.byId, d.bySlug, d.sibling, d.siblingBySlug, d.node, d.siblingNode]).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(d.search.totalCount).toBe(0);
    const listed = [...d.articles.nodes, ...d.topic.articles.nodes].map((n: { id: string }) => n.id);
    expect(listed.filter((id: string) => id === a.id || id === sibling.id)).toEqual([]);

    // As a header it is nothing; as a bearer token it is not an API token.
    const header = await server.post(
      { query: "query ($s: String!) { article(slug: $s) { id } }", variables: { s: a.slug } },
      { headers: { "newsgraph-preview": token } },
    );
    expect(header.json.data.article).toBeNull();
    const bearer = await server.post(
      { query: "query ($s: String!) { article(slug: $s) { id } }", variables: { s: a.slug } },
      { token },
    );
    expect(bearer.json.errors.map((e: any) => e.extensions.code)).toEqual(["UNAUTHENTICATED"]);
  });

  test("a malformed token is BAD_USER_INPUT; a forged or altered one FORBIDDEN (INVALID)", async () => {
    const a = await draft(unique("f"));
    const { token } = ok(await create(a.id, tokens.byline)).createArticlePreview;
    for (const bad of ["", "p1", "hello", "p1..", `${token}x`, token.replace("p1.", "p2."), "x".repeat(10_000)]) {
      expectError(await read(bad), "BAD_USER_INPUT", ["token"]);
    }
    const [, id, sig] = token.split(".") as [string, string, string];
    const flip = (s: string) => (s[0] === "A" ? "B" : "A") + s.slice(1);
    for (const forged of [`p1.${id}.${flip(sig)}`, `p1.${flip(id)}.${sig}`, `p1.${id}.${"A".repeat(43)}`]) {
      const error = expectError(await read(forged), "FORBIDDEN");
      expect(error.extensions).toMatchObject({ reason: "INVALID" });
    }
    // A token signed under another server's secret opens nothing here.
    const other = await startTestServer({
      preview: { ...PREVIEW_DEFAULTS, secret: "s".repeat(32) },
    });
    try {
      const b = ok(
        await other.request(
          NewsroomCreateArticleDocument,
          { input: { title: "Elsewhere", body: "x" } },
          { token: await other.token("maya-okafor", "EDITOR") },
        ),
      ).createArticle;
      const foreign = ok(
        await other.request(
          PreviewCreateDocument,
          { articleId: b.id },
          { token: await other.token("maya-okafor", "EDITOR") },
        ),
      ).createArticlePreview;
      expect(expectError(await read(foreign.token), "FORBIDDEN").extensions).toMatchObject({ reason: "INVALID" });
    } finally {
      await other.stop();
    }
  });

  test("expiry takes effect at expiresAt to the millisecond", async () => {
    const a = await draft(unique("e"));
    const made = ok(await create(a.id, tokens.byline, 3600)).createArticlePreview;
    const start = clock.now();
    try {
      clock.set(new Date(new Date(made.expiresAt).getTime() - 1));
      expect(ok(await read(made.token)).articlePreview.id).toBe(a.id);
      clock.set(new Date(made.expiresAt));
      const error = expectError(await read(made.token), "FORBIDDEN");
      expect(error.extensions).toMatchObject({ reason: "EXPIRED" });
      // No longer listed either.
      const live = ok(await server.request(PreviewListDocument, { articleId: a.id }, as(tokens.byline)));
      expect(live.articlePreviews.map((p) => p.id)).not.toContain(made.id);
    } finally {
      clock.set(start);
    }
  });

  test("revoking takes effect at once, is idempotent, and is for the byline and editors only", async () => {
    const a = await draft(unique("v"));
    const made = ok(await create(a.id, tokens.byline)).createArticlePreview;
    expect(ok(await read(made.token)).articlePreview.id).toBe(a.id);
    expectError(await server.request(PreviewRevokeDocument, { id: made.id }), "UNAUTHENTICATED");
    expectError(await server.request(PreviewRevokeDocument, { id: made.id }, as(tokens.otherWriter)), "NOT_FOUND");
    expectError(await server.request(PreviewRevokeDocument, { id: "nope" }, as(tokens.editor)), "BAD_USER_INPUT", [
      "id",
    ]);
    expect(ok(await read(made.token)).articlePreview.id).toBe(a.id);

    const revoked = ok(await server.request(PreviewRevokeDocument, { id: made.id }, as(tokens.byline)));
    const at = revoked.revokeArticlePreview.revokedAt;
    expect(at).not.toBeNull();
    expect(expectError(await read(made.token), "FORBIDDEN").extensions).toMatchObject({ reason: "REVOKED" });
    clock.advance(1000);
    const again = ok(await server.request(PreviewRevokeDocument, { id: made.id }, as(tokens.editor)));
    expect(again.revokeArticlePreview.revokedAt).toBe(at);
    const live = ok(await server.request(PreviewListDocument, { articleId: a.id }, as(tokens.editor)));
    expect(live.articlePreviews).toEqual([]);
  });

  test("publishing leaves the link working on the public article; archiving withdraws it; unpublishing brings it back", async () => {
    const a = await draft(unique("pub"));
    const { token } = ok(await create(a.id, tokens.byline)).createArticlePreview;
    await publish(a.id);
    expect(ok(await server.request(PreviewReadDocument, { token })).articlePreview.status).toBe("PUBLISHED");
    ok(await server.request(NewsroomUnpublishArticleDocument, { id: a.id }, as(tokens.editor)));
    expect(ok(await server.request(PreviewReadDocument, { token })).articlePreview.status).toBe("DRAFT");
    await publish(a.id);
    ok(await server.request(NewsroomArchiveArticleDocument, { id: a.id }, as(tokens.editor)));
    expect(expectError(await read(token), "FORBIDDEN").extensions).toMatchObject({ reason: "WITHDRAWN" });
  });

  test("a link whose article is deleted opens nothing (FORBIDDEN, INVALID)", async () => {
    const a = await draft(unique("del"));
    const { token } = ok(await create(a.id, tokens.byline)).createArticlePreview;
    await server.db.query("DELETE FROM articles WHERE slug = $1", [a.slug]);
    expect(expectError(await read(token), "FORBIDDEN").extensions).toMatchObject({ reason: "INVALID" });
  });

  test("a former live blog, unpublished with its comments and entries, previews them without an internal error", async () => {
    const a = await draft(unique("was-live"));
    await publish(a.id);
    ok(await server.request(LiveStartDocument, { articleId: a.id }, as(tokens.editor)));
    const entry = ok(
      await server.request(LiveAddDocument, { input: { articleId: a.id, body: "First entry." } }, as(tokens.byline)),
    ).addLiveEntry;
    ok(await server.request(LivePinDocument, { id: entry.id }, as(tokens.byline)));
    ok(await server.request(NewsroomAddCommentDocument, { input: commentInput(a.id) }));
    ok(await server.request(NewsroomUnpublishArticleDocument, { id: a.id }, as(tokens.editor)));
    const { token } = ok(await create(a.id, tokens.byline)).createArticlePreview;
    const res = await server.post({
      query: `query ($token: String!) { articlePreview(token: $token) {
        id status commentCount
        comments(first: 10) { totalCount nodes { id article { id } } }
        liveEntries(first: 10) { totalCount nodes { body article { id } } }
        pinnedEntry { body article { id } }
      } }`,
      variables: { token },
    });
    expect(res.json.errors).toBeUndefined();
    const got = res.json.data.articlePreview;
    expect(got).toMatchObject({ id: a.id, status: "DRAFT", commentCount: 1 });
    expect(got.comments.nodes.map((c: any) => c.article.id)).toEqual([a.id]);
    expect(got.liveEntries.nodes).toEqual([{ body: "First entry.", article: { id: a.id } }]);
    expect(got.pinnedEntry).toEqual({ body: "First entry.", article: { id: a.id } });
    // The comment and the entry themselves stay hidden by their own ids, with or without the token.
    const hidden = await server.post({
      query: `query ($token: String!, $c: ID!, $e: ID!, $a: ID!) {
        articlePreview(token: $token) { id } comment: node(id: $c) { id } entry: node(id: $e) { id } article(id: $a) { id }
      }`,
      variables: { token, c: got.comments.nodes[0].id, e: entry.id, a: a.id },
    });
    expect(hidden.json.data).toEqual({ articlePreview: { id: a.id }, comment: null, entry: null, article: null });
  });
});
