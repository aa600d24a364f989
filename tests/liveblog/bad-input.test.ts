/**
 * Every bad input to the live-blog mutations: the contract's code, extensions.fields naming
 * exactly the offending fields (BAD_USER_INPUT), and nothing written: the live blog's rows are
 * unchanged byte for byte and the numbers of live_entries and feed_events rows too.
 */
import {
  FeedUnpublishArticleDocument,
  LiveAddDocument,
  LiveDeleteDocument,
  LiveEndDocument,
  LivePinDocument,
  LiveStartDocument,
  LiveUnpinDocument,
  LiveUpdateDocument,
} from "../generated/graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { toGlobalId } from "../../src/shared/node-id";
import { codes, dbId, ok, publishedArticle } from "../support/feed-fixtures";
import type { GraphQLResult, TestServer } from "../support/server";
import { startTestServer } from "../support/server";

let server: TestServer;
let editor: string;
let writer: string;
let articleId: string;
let entryId: string;
let deletedId: string;

const UNKNOWN_ENTRY = toGlobalId("LiveEntry", 2_000_000_000);
const UNKNOWN_ARTICLE = toGlobalId("Article", 2_000_000_000);
const MALFORMED = ["bm9wZQ", "not an id", "", toGlobalId("Comment", 1), "TGl2ZUVudHJ5OjA"]; // "LiveEntry:0"

beforeAll(async () => {
  server = await startTestServer({ commentRateLimit: 100_000 });
  editor = await server.token("bad-input-editor", "EDITOR");
  writer = await server.token("bad-input-writer", "WRITER");
  articleId = (await publishedArticle(server, editor, { authorSlugs: ["bad-input-writer"] })).id;
  ok(await server.request(LiveStartDocument, { articleId }, { token: editor }));
  const add = async (body: string) =>
    ok(await server.request(LiveAddDocument, { input: { articleId, body } }, { token: editor })).addLiveEntry.id;
  entryId = await add("The entry");
  deletedId = await add("The deleted entry");
  ok(await server.request(LiveDeleteDocument, { id: deletedId }, { token: editor }));
});
afterAll(() => server?.stop());

async function snapshot(id = articleId) {
  const [row] = await server.db.query(
    `SELECT (SELECT count(*)::int FROM feed_events) AS events,
            (SELECT count(*)::int FROM live_entries) AS entries,
            (SELECT row_to_json(a)::text FROM articles a WHERE a.id = $1) AS article,
            (SELECT json_agg(l ORDER BY l.id)::text FROM live_entries l WHERE l.article_id = $1) AS rows`,
    [dbId(id)],
  );
  return row;
}

/** Runs `call`, expects one error with `code` (and, for BAD_USER_INPUT, exactly `fields`), and no write. */
async function refused(
  call: () => Promise<GraphQLResult<unknown>>,
  code: string,
  fields: string[] | null,
  blog = articleId,
) {
  const before = await snapshot(blog);
  const res = await call();
  expect(codes(res)).toEqual([code]);
  expect(res.data ?? null).toBeNull();
  const got = res.errors![0]!.extensions!.fields;
  if (fields === null) expect(got).toBeUndefined();
  else expect(Object.keys(got ?? {}).sort()).toEqual([...fields].sort());
  expect(await snapshot(blog)).toEqual(before);
}

const NUL = "a\u0000b";
const addCases: [string, Record<string, unknown>, string[]][] = [
  ["an empty body", { body: "" }, ["body"]],
  ["a blank body", { body: " \n\t " }, ["body"]],
  ["a body of 20,001 characters", { body: "x".repeat(20_001) }, ["body"]],
  ["a title of 201 characters", { body: "ok", title: "t".repeat(201) }, ["title"]],
  ["NUL in the body", { body: NUL }, ["body"]],
  ["NUL in the title", { body: "ok", title: NUL }, ["title"]],
  ["NUL in an author slug", { body: "ok", authorSlugs: [NUL] }, ["authorSlugs"]],
  ["NUL in the idempotency key", { body: "ok", idempotencyKey: NUL }, ["idempotencyKey"]],
  ["an empty idempotency key", { body: "ok", idempotencyKey: "" }, ["idempotencyKey"]],
  [
    "an unknown author slug",
    { body: "ok", authorSlugs: ["bad-input-writer", "no-such-author-at-all"] },
    ["authorSlugs"],
  ],
  ["a duplicate author slug", { body: "ok", authorSlugs: ["bad-input-writer", "bad-input-writer"] }, ["authorSlugs"]],
  ["an empty byline", { body: "ok", authorSlugs: [] }, ["authorSlugs"]],
  [
    "several bad fields at once",
    { body: "", title: "t".repeat(201), authorSlugs: [] },
    ["body", "title", "authorSlugs"],
  ],
];

describe("addLiveEntry", () => {
  test.each(addCases)("refuses %s", async (_name, input, fields) => {
    await refused(
      () => server.request(LiveAddDocument, { input: { articleId, ...input } as never }, { token: editor }),
      "BAD_USER_INPUT",
      fields,
    );
  });

  test.each(MALFORMED)("refuses the malformed article id %j", async (bad) => {
    await refused(
      () => server.request(LiveAddDocument, { input: { articleId: bad, body: "ok" } }, { token: editor }),
      "BAD_USER_INPUT",
      ["articleId"],
    );
  });

  test("an unknown article is NOT_FOUND", async () => {
    await refused(
      () => server.request(LiveAddDocument, { input: { articleId: UNKNOWN_ARTICLE, body: "ok" } }, { token: editor }),
      "NOT_FOUND",
      null,
    );
  });

  test("the limits themselves are accepted: a title of 200 and a body of 20,000", async () => {
    const entry = ok(
      await server.request(
        LiveAddDocument,
        { input: { articleId, title: "t".repeat(200), body: "x".repeat(20_000) } },
        { token: editor },
      ),
    ).addLiveEntry;
    expect(entry.title).toHaveLength(200);
    expect(entry.body).toHaveLength(20_000);
    ok(await server.request(LiveDeleteDocument, { id: entry.id }, { token: editor }));
  });

  test("posting to an article that was never live, that has ended, or that is unpublished is FORBIDDEN", async () => {
    const notLive = (await publishedArticle(server, editor, { authorSlugs: ["bad-input-writer"] })).id;
    for (const token of [editor, writer]) {
      await refused(
        () => server.request(LiveAddDocument, { input: { articleId: notLive, body: "ok" } }, { token }),
        "FORBIDDEN",
        null,
        notLive,
      );
    }

    const ended = (await publishedArticle(server, editor, { authorSlugs: ["bad-input-writer"] })).id;
    ok(await server.request(LiveStartDocument, { articleId: ended }, { token: editor }));
    ok(await server.request(LiveEndDocument, { articleId: ended }, { token: editor }));
    for (const token of [editor, writer]) {
      await refused(
        () => server.request(LiveAddDocument, { input: { articleId: ended, body: "ok" } }, { token }),
        "FORBIDDEN",
        null,
        ended,
      );
    }

    const unpublished = (await publishedArticle(server, editor, { authorSlugs: ["bad-input-writer"] })).id;
    ok(await server.request(LiveStartDocument, { articleId: unpublished }, { token: editor }));
    ok(await server.request(FeedUnpublishArticleDocument, { id: unpublished }, { token: editor }));
    // Both still see the draft (editors all, the byline its own): not published, so FORBIDDEN.
    for (const token of [editor, writer]) {
      await refused(
        () => server.request(LiveAddDocument, { input: { articleId: unpublished, body: "ok" } }, { token }),
        "FORBIDDEN",
        null,
        unpublished,
      );
    }
  });
});

const updateCases: [string, Record<string, unknown>, string[]][] = [
  ["an empty body", { body: "" }, ["body"]],
  ["a blank body", { body: "   " }, ["body"]],
  ["a body of 20,001 characters", { body: "x".repeat(20_001) }, ["body"]],
  ["a null body", { body: null }, ["body"]],
  ["a title of 201 characters", { title: "t".repeat(201) }, ["title"]],
  ["NUL in the body", { body: NUL }, ["body"]],
  ["NUL in the title", { title: NUL }, ["title"]],
  ["NUL in an author slug", { authorSlugs: [NUL] }, ["authorSlugs"]],
  ["an unknown author slug", { authorSlugs: ["no-such-author-at-all"] }, ["authorSlugs"]],
  ["a duplicate author slug", { authorSlugs: ["bad-input-editor", "bad-input-editor"] }, ["authorSlugs"]],
  ["an empty byline", { authorSlugs: [] }, ["authorSlugs"]],
  ["a null byline", { authorSlugs: null }, ["authorSlugs"]],
  ["a null key-event flag", { isKeyEvent: null }, ["isKeyEvent"]],
];

describe("updateLiveEntry", () => {
  test.each(updateCases)("refuses %s", async (_name, input, fields) => {
    await refused(
      () => server.request(LiveUpdateDocument, { id: entryId, input: input as never }, { token: editor }),
      "BAD_USER_INPUT",
      fields,
    );
  });
});

const byId: [string, (id: string) => Promise<GraphQLResult<unknown>>][] = [
  ["updateLiveEntry", (id) => server.request(LiveUpdateDocument, { id, input: { body: "ok" } }, { token: editor })],
  ["deleteLiveEntry", (id) => server.request(LiveDeleteDocument, { id }, { token: editor })],
  ["pinLiveEntry", (id) => server.request(LivePinDocument, { id }, { token: editor })],
  ["unpinLiveEntry", (id) => server.request(LiveUnpinDocument, { id }, { token: editor })],
];

describe.each(byId)("%s", (_name, call) => {
  test.each(MALFORMED)("refuses the malformed id %j", async (bad) => {
    await refused(() => call(bad), "BAD_USER_INPUT", ["id"]);
  });
  test("an unknown entry is NOT_FOUND", async () => {
    await refused(() => call(UNKNOWN_ENTRY), "NOT_FOUND", null);
  });
  test("a deleted entry is NOT_FOUND", async () => {
    await refused(() => call(deletedId), "NOT_FOUND", null);
  });
});

describe.each([
  ["startLiveBlog", LiveStartDocument],
  ["endLiveBlog", LiveEndDocument],
] as [string, TypedDocumentNode<unknown, { articleId: string }>][])("%s", (_name, doc) => {
  test.each(MALFORMED)("refuses the malformed article id %j", async (bad) => {
    await refused(() => server.request(doc, { articleId: bad }, { token: editor }), "BAD_USER_INPUT", ["articleId"]);
  });
  test("an unknown article is NOT_FOUND", async () => {
    await refused(() => server.request(doc, { articleId: UNKNOWN_ARTICLE }, { token: editor }), "NOT_FOUND", null);
  });
});

test("endLiveBlog of an article that never was a live blog is FORBIDDEN", async () => {
  const plain = (await publishedArticle(server, editor)).id;
  await refused(
    () => server.request(LiveEndDocument, { articleId: plain }, { token: editor }),
    "FORBIDDEN",
    null,
    plain,
  );
});

test("startLiveBlog of a draft is FORBIDDEN", async () => {
  const draft = (await publishedArticle(server, editor)).id;
  ok(await server.request(FeedUnpublishArticleDocument, { id: draft }, { token: editor }));
  await refused(
    () => server.request(LiveStartDocument, { articleId: draft }, { token: editor }),
    "FORBIDDEN",
    null,
    draft,
  );
});
