/**
 * The editorial workflow over HTTP: createArticle, updateArticle,
 * publishArticle, unpublishArticle and archiveArticle, for every role (each
 * allowed and each refused case), with their input validation. The clock is a
 * ManualClock, so timestamps are exact.
 */
import { ManualClock } from "../../src/shared/clock";
import { MAX_BODY } from "../../src/modules/article/article-editor.service";
import { parseGlobalId, toGlobalId } from "../../src/shared/node-id";
import { commentInput, expectError, ok, unique } from "../factories/newsroom";
import {
  NewsroomAddCommentDocument,
  NewsroomArchiveArticleDocument,
  NewsroomArticleDocument,
  NewsroomArticleStatusDocument,
  NewsroomCreateArticleDocument,
  NewsroomPublishArticleDocument,
  NewsroomTopicDocument,
  NewsroomUnpublishArticleDocument,
  NewsroomUpdateArticleDocument,
  type CreateArticleInput,
  type UpdateArticleInput,
} from "../generated/graphql";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

const START = new Date("2031-03-14T09:00:00.000Z");
const clock = new ManualClock(START);
let server: TestServer;
const tokens = {} as Record<"writer" | "otherWriter" | "editor" | "admin", string>;

beforeAll(async () => {
  server = await startTestServer({}, { clock });
  tokens.writer = await server.token("priya-raman", "WRITER");
  tokens.otherWriter = await server.token("declan-shore", "WRITER");
  tokens.editor = await server.token("maya-okafor", "EDITOR");
  tokens.admin = await server.token("newsroom-admin", "ADMIN");
});
afterAll(() => server?.stop());

type Who = keyof typeof tokens | "anonymous";
const as = (who: Who) => (who === "anonymous" ? {} : { token: tokens[who] });

async function articleCount(): Promise<number> {
  const [{ n }] = await server.db.query<{ n: number }>("SELECT count(*)::int AS n FROM articles");
  return n;
}

async function dbRow(id: string) {
  const dbId = parseGlobalId(id)!.id;
  const [row] = await server.db.query<{ status: string; title: string; published_at: Date | null }>(
    "SELECT status, title, published_at FROM articles WHERE id = $1",
    [dbId],
  );
  return row!;
}

/** A new article created through the API (a DRAFT), by `who`. */
async function draft(who: Who = "writer", input: Partial<CreateArticleInput> = {}) {
  const res = await server.request(
    NewsroomCreateArticleDocument,
    { input: { title: `Draft ${unique("t")}`, body: "Some **body** text for the piece.", ...input } },
    as(who),
  );
  return ok(res).createArticle;
}

async function published(who: Who = "writer", input: Partial<CreateArticleInput> = {}) {
  const a = await draft(who, input);
  return ok(await server.request(NewsroomPublishArticleDocument, { id: a.id }, as("editor"))).publishArticle;
}

describe("createArticle", () => {
  test("anonymous callers are UNAUTHENTICATED and nothing is stored", async () => {
    const before = await articleCount();
    const res = await server.request(NewsroomCreateArticleDocument, { input: { title: "Nope", body: "No." } });
    expectError(res, "UNAUTHENTICATED");
    expect(res.data).toBeNull();
    expect(await articleCount()).toBe(before);
  });

  test("a writer's article starts as a DRAFT, bylined to them, with a slug from the title", async () => {
    const title = `Harbour Lights: A Night on the Quay ${process.pid}!`;
    const res = await server.request(
      NewsroomCreateArticleDocument,
      {
        input: {
          title: `  ${title}  `,
          standfirst: "Lanterns, boats and a brass band.",
          body: "The **quay** was full by seven.",
          topicSlugs: ["culture", "transport"],
        },
      },
      as("writer"),
    );
    const a = ok(res).createArticle;
    expect(a).toMatchObject({
      slug: `harbour-lights-a-night-on-the-quay-${process.pid}`,
      title,
      standfirst: "Lanterns, boats and a brass band.",
      body: "The **quay** was full by seven.",
      status: "DRAFT",
      publishedAt: null,
      updatedAt: clock.now().toISOString(),
      commentsOpen: true,
      wordCount: 6,
      commentCount: 0,
      authors: [{ slug: "priya-raman" }],
    });
    expect(a.bodyHtml).toBe("<p>The <strong>quay</strong> was full by seven.</p>\n");
    expect(a.topics.map((t) => t.slug).sort()).toEqual(["culture", "transport"]);
    expect((await dbRow(a.id)).status).toBe("DRAFT");
  });

  test.each(["writer", "editor", "admin"] as const)("%s may create articles", async (who) => {
    const a = await draft(who);
    expect(a.status).toBe("DRAFT");
  });

  test("a generated slug is made unique, and accents are folded", async () => {
    const title = `Café Society ${process.pid}`;
    const first = await draft("writer", { title });
    const second = await draft("writer", { title });
    const third = await draft("editor", { title });
    expect([first.slug, second.slug, third.slug]).toEqual([
      `cafe-society-${process.pid}`,
      `cafe-society-${process.pid}-2`,
      `cafe-society-${process.pid}-3`,
    ]);
  });

  test("concurrent creates with the same title all succeed with distinct slugs", async () => {
    const title = `Storm Watch ${process.pid}`;
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        server.request(NewsroomCreateArticleDocument, { input: { title, body: "Wind." } }, as("editor")),
      ),
    );
    const slugs = results.map((r) => ok(r).createArticle.slug).sort();
    const base = `storm-watch-${process.pid}`;
    expect(slugs).toEqual([base, `${base}-2`, `${base}-3`, `${base}-4`, `${base}-5`].sort());
  });

  test("an explicit slug is used as given; a taken one is CONFLICT naming slug", async () => {
    const slug = unique("explicit-slug");
    expect((await draft("writer", { slug })).slug).toBe(slug);
    const before = await articleCount();
    const res = await server.request(
      NewsroomCreateArticleDocument,
      { input: { title: "Copy", slug: "ferry-fares-frozen-in-draft-budget", body: "x" } },
      as("writer"),
    );
    expectError(res, "CONFLICT", ["slug"]);
    expect(await articleCount()).toBe(before);
  });

  test.each([
    ["an empty title", { title: "" }, ["title"]],
    ["a blank title", { title: "   \n " }, ["title"]],
    ["a title over 300 characters", { title: "t".repeat(301) }, ["title"]],
    ["a standfirst over 1,000 characters", { standfirst: "s".repeat(1001) }, ["standfirst"]],
    ["a slug that is not kebab-case", { slug: "Not A Slug" }, ["slug"]],
    ["an unknown topic", { topicSlugs: ["climate", "no-such-topic"] }, ["topicSlugs"]],
    ["an unknown author", { authorSlugs: ["priya-raman", "no-such-author"] }, ["authorSlugs"]],
    ["an empty byline", { authorSlugs: [] }, ["authorSlugs"]],
    ["an author twice", { authorSlugs: ["priya-raman", "priya-raman"] }, ["authorSlugs"]],
    ["a NUL in the body", { body: "a\u0000b" }, ["body"]],
    ["several problems at once", { title: "", slug: "Bad Slug", body: "\u0000" }, ["title", "slug", "body"]],
  ] as const)("%s is BAD_USER_INPUT naming the field", async (_, override, fields) => {
    const before = await articleCount();
    const res = await server.request(
      NewsroomCreateArticleDocument,
      { input: { title: "Valid title", body: "Valid body.", ...override } as CreateArticleInput },
      as("writer"),
    );
    expectError(res, "BAD_USER_INPUT", [...fields]);
    expect(res.data).toBeNull();
    expect(await articleCount()).toBe(before);
  });

  test("over HTTP with the default config, a body over 200,000 characters is BAD_USER_INPUT naming body", async () => {
    const res = await server.post(
      {
        query: `mutation ($input: CreateArticleInput!) { createArticle(input: $input) { id } }`,
        variables: { input: { title: "Long read", body: "a".repeat(MAX_BODY + 1) } },
      },
      { token: tokens.writer },
    );
    expect(res.status).toBe(200);
    expect(res.json.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(Object.keys(res.json.errors[0].extensions.fields)).toEqual(["body"]);
  });

  // The allowed side: a 150,000-character body fits the authenticated request-size limit.
  test("over HTTP with the default config, a 150,000-character body is accepted", async () => {
    const res = await server.post(
      {
        query: `mutation ($input: CreateArticleInput!) { createArticle(input: $input) { status } }`,
        variables: { input: { title: "Long read", body: "word ".repeat(30_000) } },
      },
      { token: tokens.writer },
    );
    expect(res.status).toBe(200);
    expect(res.json.data.createArticle.status).toBe("DRAFT");
  });

  test("the service takes a body of exactly 200,000 characters and refuses one more, naming body", async () => {
    // Straight to the service as well, so the rule holds whatever the HTTP size limits are.
    const viewer = await server.services.auth.authenticate(`Bearer ${tokens.writer}`);
    const atLimit = await server.services.articleEditor.create(viewer, {
      title: "Longest",
      body: "a".repeat(MAX_BODY),
    });
    expect(atLimit.body).toHaveLength(200_000);
    expect(atLimit.status).toBe("DRAFT");
    await expect(
      server.services.articleEditor.create(viewer, { title: "Too long", body: "a".repeat(MAX_BODY + 1) }),
    ).rejects.toMatchObject({
      extensions: { code: "BAD_USER_INPUT", fields: { body: "must be at most 200,000 characters" } },
    });
    const update = server.services.articleEditor.update(viewer, atLimit.dbId, { body: "b".repeat(MAX_BODY + 1) });
    await expect(update).rejects.toMatchObject({
      extensions: { code: "BAD_USER_INPUT", fields: { body: expect.any(String) } },
    });
  });

  test("a writer's byline must include the writer; an editor may byline anyone", async () => {
    const res = await server.request(
      NewsroomCreateArticleDocument,
      { input: { title: "Ghost written", body: "x", authorSlugs: ["maya-okafor"] } },
      as("writer"),
    );
    expectError(res, "BAD_USER_INPUT", ["authorSlugs"]);
    const shared = await draft("writer", { authorSlugs: ["tomas-lindqvist", "priya-raman"] });
    expect(shared.authors.map((a) => a.slug)).toEqual(["tomas-lindqvist", "priya-raman"]);
    const forOthers = await draft("editor", { authorSlugs: ["tomas-lindqvist"], commentsOpen: false });
    expect(forOthers.authors.map((a) => a.slug)).toEqual(["tomas-lindqvist"]);
    expect(forOthers.commentsOpen).toBe(false);
  });
});

describe("updateArticle", () => {
  test("a writer edits their own draft; only the given fields change", async () => {
    const a = await draft("writer", { standfirst: "Old standfirst", topicSlugs: ["housing"] });
    clock.advance(60_000);
    const res = await server.request(
      NewsroomUpdateArticleDocument,
      {
        id: a.id,
        input: { title: "New title", body: "Brand *new* body here.", topicSlugs: ["business", "climate"] },
      },
      as("writer"),
    );
    const b = ok(res).updateArticle;
    expect(b).toMatchObject({
      id: a.id,
      slug: a.slug,
      title: "New title",
      standfirst: "Old standfirst",
      body: "Brand *new* body here.",
      bodyHtml: "<p>Brand <em>new</em> body here.</p>\n",
      wordCount: 4,
      status: "DRAFT",
      updatedAt: clock.now().toISOString(),
      authors: [{ slug: "priya-raman" }],
    });
    expect(b.topics.map((t) => t.slug).sort()).toEqual(["business", "climate"]);

    const cleared = ok(
      await server.request(
        NewsroomUpdateArticleDocument,
        { id: a.id, input: { standfirst: null, commentsOpen: false, slug: `${a.slug}-renamed` } },
        as("writer"),
      ),
    ).updateArticle;
    expect(cleared).toMatchObject({
      standfirst: null,
      commentsOpen: false,
      slug: `${a.slug}-renamed`,
      title: "New title",
    });
  });

  test("a co-bylined writer may edit the shared draft", async () => {
    const a = await draft("writer", { authorSlugs: ["priya-raman", "declan-shore"] });
    const res = await server.request(
      NewsroomUpdateArticleDocument,
      { id: a.id, input: { title: "Co-written" } },
      as("otherWriter"),
    );
    expect(ok(res).updateArticle.title).toBe("Co-written");
  });

  test("a writer cannot see, so cannot edit, another writer's draft: NOT_FOUND, unchanged", async () => {
    const a = await draft("otherWriter");
    const res = await server.request(
      NewsroomUpdateArticleDocument,
      { id: a.id, input: { title: "Hijacked" } },
      as("writer"),
    );
    expectError(res, "NOT_FOUND");
    expect((await dbRow(a.id)).title).toBe(a.title);
  });

  test("a writer may not edit their own article once scheduled, published or archived: FORBIDDEN", async () => {
    const scheduled = await draft("writer");
    ok(
      await server.request(
        NewsroomPublishArticleDocument,
        { id: scheduled.id, at: new Date(clock.now().getTime() + 86_400_000).toISOString() },
        as("editor"),
      ),
    );
    const live = await published("writer");
    const archived = await published("writer");
    ok(await server.request(NewsroomArchiveArticleDocument, { id: archived.id }, as("editor")));
    for (const a of [scheduled, live, archived]) {
      const res = await server.request(
        NewsroomUpdateArticleDocument,
        { id: a.id, input: { title: "Sneaky fix" } },
        as("writer"),
      );
      expectError(res, "FORBIDDEN");
      expect((await dbRow(a.id)).title).toBe(a.title);
    }
  });

  test("a writer may not edit another writer's published article: FORBIDDEN", async () => {
    const a = await published("otherWriter");
    const res = await server.request(
      NewsroomUpdateArticleDocument,
      { id: a.id, input: { title: "Nope" } },
      as("writer"),
    );
    expectError(res, "FORBIDDEN");
  });

  test.each(["editor", "admin"] as const)("%s may edit anyone's article, published included", async (who) => {
    const a = await published("otherWriter");
    clock.advance(1000);
    const res = await server.request(
      NewsroomUpdateArticleDocument,
      { id: a.id, input: { title: `Corrected by ${who}`, authorSlugs: ["declan-shore", "tomas-lindqvist"] } },
      as(who),
    );
    const b = ok(res).updateArticle;
    expect(b).toMatchObject({ title: `Corrected by ${who}`, status: "PUBLISHED", publishedAt: a.publishedAt });
    expect(b.authors.map((x) => x.slug)).toEqual(["declan-shore", "tomas-lindqvist"]);
    expect(b.updatedAt).toBe(clock.now().toISOString());
  });

  test("anonymous callers are UNAUTHENTICATED", async () => {
    const a = await draft("writer");
    expectError(
      await server.request(NewsroomUpdateArticleDocument, { id: a.id, input: { title: "x" } }),
      "UNAUTHENTICATED",
    );
  });

  test.each([
    ["a null title", { title: null }, ["title"]],
    ["a null body", { body: null }, ["body"]],
    ["an empty title", { title: " " }, ["title"]],
    ["a bad slug", { slug: "UPPER_case" }, ["slug"]],
    ["an unknown topic", { topicSlugs: ["nope-topic"] }, ["topicSlugs"]],
    ["an unknown author", { authorSlugs: ["nope-author"] }, ["authorSlugs"]],
  ] as const)("%s is BAD_USER_INPUT naming the field, and nothing changes", async (_, input, fields) => {
    const a = await draft("writer");
    const res = await server.request(
      NewsroomUpdateArticleDocument,
      { id: a.id, input: { ...input } as UpdateArticleInput },
      as("writer"),
    );
    expectError(res, "BAD_USER_INPUT", [...fields]);
    expect((await dbRow(a.id)).title).toBe(a.title);
  });

  test("renaming to a taken slug is CONFLICT naming slug", async () => {
    const a = await draft("editor");
    const res = await server.request(
      NewsroomUpdateArticleDocument,
      { id: a.id, input: { slug: "averne-rovers-clinch-promotion" } },
      as("editor"),
    );
    expectError(res, "CONFLICT", ["slug"]);
  });

  test("ids: unknown is NOT_FOUND, malformed or of another type is BAD_USER_INPUT naming id", async () => {
    const unknown = toGlobalId("Article", 999_999);
    expectError(
      await server.request(NewsroomUpdateArticleDocument, { id: unknown, input: { title: "x" } }, as("editor")),
      "NOT_FOUND",
    );
    for (const id of ["not-an-id", toGlobalId("Topic", 1)]) {
      expectError(
        await server.request(NewsroomUpdateArticleDocument, { id, input: { title: "x" } }, as("editor")),
        "BAD_USER_INPUT",
        ["id"],
      );
    }
  });
});

describe("publishArticle", () => {
  test("anonymous is UNAUTHENTICATED and a writer (even on their own draft) FORBIDDEN; it stays a draft", async () => {
    const a = await draft("writer");
    expectError(await server.request(NewsroomPublishArticleDocument, { id: a.id }), "UNAUTHENTICATED");
    expectError(await server.request(NewsroomPublishArticleDocument, { id: a.id }, as("writer")), "FORBIDDEN");
    expect(await dbRow(a.id)).toMatchObject({ status: "DRAFT", published_at: null });
  });

  test.each(["editor", "admin"] as const)(
    "%s publishes now: PUBLISHED at the clock's time, public at once",
    async (who) => {
      const a = await draft("writer", { topicSlugs: ["sport"] });
      const before = ok(await server.request(NewsroomTopicDocument, { slug: "sport" })).topic!.articleCount;
      clock.advance(5000);
      const res = await server.request(NewsroomPublishArticleDocument, { id: a.id }, as(who));
      expect(ok(res).publishArticle).toMatchObject({ status: "PUBLISHED", publishedAt: clock.now().toISOString() });
      const anon = ok(await server.request(NewsroomArticleDocument, { slug: a.slug })).article;
      expect(anon).toMatchObject({ id: a.id, status: "PUBLISHED" });
      expect(ok(await server.request(NewsroomTopicDocument, { slug: "sport" })).topic!.articleCount).toBe(before + 1);
    },
  );

  test("`at` in the past publishes now, backdated to `at`", async () => {
    const a = await draft("writer");
    const at = new Date(clock.now().getTime() - 3 * 86_400_000).toISOString();
    const res = await server.request(NewsroomPublishArticleDocument, { id: a.id, at }, as("editor"));
    expect(ok(res).publishArticle).toMatchObject({ status: "PUBLISHED", publishedAt: at });
  });

  test("`at` in the future schedules it: SCHEDULED and hidden from readers", async () => {
    const a = await draft("writer");
    const at = new Date(clock.now().getTime() + 3_600_000).toISOString();
    const res = await server.request(NewsroomPublishArticleDocument, { id: a.id, at }, as("editor"));
    expect(ok(res).publishArticle).toMatchObject({ status: "SCHEDULED", publishedAt: at });
    expect(ok(await server.request(NewsroomArticleDocument, { slug: a.slug })).article).toBeNull();
  });

  test("publishing a live article again changes nothing; scheduling it is BAD_USER_INPUT naming at", async () => {
    const a = await published("writer");
    clock.advance(60_000);
    const again = ok(await server.request(NewsroomPublishArticleDocument, { id: a.id }, as("editor"))).publishArticle;
    expect(again).toMatchObject({ status: "PUBLISHED", publishedAt: a.publishedAt, updatedAt: a.updatedAt });
    const at = new Date(clock.now().getTime() + 3_600_000).toISOString();
    expectError(
      await server.request(NewsroomPublishArticleDocument, { id: a.id, at }, as("editor")),
      "BAD_USER_INPUT",
      ["at"],
    );
    expect((await dbRow(a.id)).status).toBe("PUBLISHED");
  });

  test("an empty body cannot be published: BAD_USER_INPUT naming body", async () => {
    const a = await draft("writer", { body: "   " });
    expectError(await server.request(NewsroomPublishArticleDocument, { id: a.id }, as("editor")), "BAD_USER_INPUT", [
      "body",
    ]);
    expect((await dbRow(a.id)).status).toBe("DRAFT");
  });

  test("an unknown article is NOT_FOUND; a malformed `at` is BAD_USER_INPUT", async () => {
    expectError(
      await server.request(NewsroomPublishArticleDocument, { id: toGlobalId("Article", 999_998) }, as("editor")),
      "NOT_FOUND",
    );
    const a = await draft("writer");
    const res = await server.request(NewsroomPublishArticleDocument, { id: a.id, at: "next tuesday" }, as("editor"));
    expectError(res, "BAD_USER_INPUT");
    expect((await dbRow(a.id)).status).toBe("DRAFT");
  });
});

describe("unpublishArticle", () => {
  test("anonymous is UNAUTHENTICATED and writers FORBIDDEN, even for their own article", async () => {
    const a = await published("writer");
    expectError(await server.request(NewsroomUnpublishArticleDocument, { id: a.id }), "UNAUTHENTICATED");
    expectError(await server.request(NewsroomUnpublishArticleDocument, { id: a.id }, as("writer")), "FORBIDDEN");
    expect((await dbRow(a.id)).status).toBe("PUBLISHED");
  });

  test.each(["editor", "admin"] as const)(
    "%s takes an article back to DRAFT: gone for readers, kept for its author",
    async (who) => {
      const a = await published("writer", { topicSlugs: ["science"] });
      const count = ok(await server.request(NewsroomTopicDocument, { slug: "science" })).topic!.articleCount;
      const res = await server.request(NewsroomUnpublishArticleDocument, { id: a.id }, as(who));
      expect(ok(res).unpublishArticle).toMatchObject({ id: a.id, status: "DRAFT", publishedAt: null });
      expect(ok(await server.request(NewsroomArticleDocument, { slug: a.slug })).article).toBeNull();
      expect(ok(await server.request(NewsroomTopicDocument, { slug: "science" })).topic!.articleCount).toBe(count - 1);
      const own = ok(await server.request(NewsroomArticleStatusDocument, { id: a.id }, as("writer"))).article;
      expect(own).toMatchObject({ status: "DRAFT" });
      // Back to a draft, the writer may edit it again.
      const edit = await server.request(
        NewsroomUpdateArticleDocument,
        { id: a.id, input: { title: "Fixed" } },
        as("writer"),
      );
      expect(ok(edit).updateArticle.title).toBe("Fixed");
    },
  );

  test("unpublishing a scheduled article cancels the schedule", async () => {
    const a = await draft("writer");
    const at = new Date(clock.now().getTime() + 60_000).toISOString();
    ok(await server.request(NewsroomPublishArticleDocument, { id: a.id, at }, as("editor")));
    ok(await server.request(NewsroomUnpublishArticleDocument, { id: a.id }, as("editor")));
    clock.advance(120_000);
    await server.services.scheduler.runDue();
    expect(await dbRow(a.id)).toMatchObject({ status: "DRAFT", published_at: null });
  });
});

describe("archiveArticle", () => {
  test("anonymous is UNAUTHENTICATED and writers FORBIDDEN", async () => {
    const a = await published("writer");
    expectError(await server.request(NewsroomArchiveArticleDocument, { id: a.id }), "UNAUTHENTICATED");
    expectError(await server.request(NewsroomArchiveArticleDocument, { id: a.id }, as("writer")), "FORBIDDEN");
    expect((await dbRow(a.id)).status).toBe("PUBLISHED");
  });

  test.each(["editor", "admin"] as const)("%s archives: out of every reader path, kept on record", async (who) => {
    const a = await published("writer", { topicSlugs: ["business"] });
    const count = ok(await server.request(NewsroomTopicDocument, { slug: "business" })).topic!.articleCount;
    const res = await server.request(NewsroomArchiveArticleDocument, { id: a.id }, as(who));
    expect(ok(res).archiveArticle).toMatchObject({ status: "ARCHIVED", publishedAt: a.publishedAt });
    expect(ok(await server.request(NewsroomArticleDocument, { id: a.id })).article).toBeNull();
    const topic = ok(await server.request(NewsroomTopicDocument, { slug: "business" })).topic!;
    expect(topic.articleCount).toBe(count - 1);
    expect(topic.articles.nodes.map((n) => n.slug)).not.toContain(a.slug);
    expect(ok(await server.request(NewsroomArticleStatusDocument, { id: a.id }, as("editor"))).article!.status).toBe(
      "ARCHIVED",
    );
    // Comments close with it.
    const comment = await server.request(NewsroomAddCommentDocument, { input: commentInput(a.id) });
    expectError(comment, "NOT_FOUND");
  });
});
