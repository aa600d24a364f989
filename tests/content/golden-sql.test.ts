/**
 * Golden SQL: the statements each key operation sends, recorded beside this
 * test (tests/content/golden/*.sql) and compared, as graphile's dataplan tests
 * do, so that a change in what hits the database shows in review. Only the
 * text is compared (parameters are placeholders), whitespace folded. A read's
 * statements are DataLoader batches whose dispatch order among themselves
 * varies from run to run, so they are compared as a sorted list; a write's
 * are compared in the order sent (its transaction's order is the point). After an intended change: UPDATE_GOLDEN=1 npm test -- golden-sql
 * and review the diff of the .sql files.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { demoArticles, demoTopics } from "../../src/seed/demo-content";
import { ok } from "../factories/graphql";
import {
  ArticlePageDocument,
  FeedAddCommentDocument,
  FrontPageDocument,
  SearchDocument,
  TopicPageDocument,
} from "../generated/graphql";
import { commentInput, dispatcherIdle } from "../support/feed-fixtures";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

const GOLDEN = join(__dirname, "golden");
let server: TestServer;

beforeAll(async () => {
  // No cache (a hit sends nothing), no feed poll and no scheduler (nothing else sends statements meanwhile).
  server = await startTestServer({ responseCache: false, feedPollMs: 0, schedulerIntervalMs: 0 });
});
afterAll(() => server?.stop());

const fold = (sql: string) => sql.replace(/\s+/g, " ").trim();

async function expectGolden(name: string, run: () => Promise<unknown>, ordered = false) {
  const sent = (await server.db.sql.capture(run)).map(fold);
  const statements = ordered ? sent : [...sent].sort();
  const text = statements.map((s) => `${s};\n`).join("");
  const file = join(GOLDEN, `${name}.sql`);
  if (process.env.UPDATE_GOLDEN === "1") writeFileSync(file, text);
  if (!existsSync(file)) throw new Error(`no golden file ${file}: run with UPDATE_GOLDEN=1 and review it`);
  expect(text).toBe(readFileSync(file, "utf8"));
  return statements;
}

test("front page", async () => {
  const statements = await expectGolden("front-page", async () =>
    ok(await server.request(FrontPageDocument, { first: 20 })),
  );
  // As README says: this front page (20 cards with bylines, topics, related articles, comment counts) is 7.
  expect(statements).toHaveLength(7);
});

test("article page", async () => {
  const slug = demoArticles.find((a) => a.comments.length > 2)!.slug;
  await expectGolden("article-page", async () =>
    ok(await server.request(ArticlePageDocument, { slug, commentsFirst: 10, relatedFirst: 5 })),
  );
});

test("topic page", async () => {
  await expectGolden("topic-page", async () =>
    ok(await server.request(TopicPageDocument, { slug: demoTopics[0]!.slug, first: 20 })),
  );
});

test("search", async () => {
  await expectGolden("search", async () => ok(await server.request(SearchDocument, { query: "harbour", first: 10 })));
});

test("addComment", async () => {
  const article = demoArticles.find((a) => a.commentsOpen !== false)!;
  const { article: found } = ok(await server.request(ArticlePageDocument, { slug: article.slug }));
  await expectGolden(
    "add-comment",
    async () => {
      ok(await server.request(FeedAddCommentDocument, { input: commentInput(found!.id) }));
      // The commit wakes the feed dispatcher, which reads the log: part of what a comment costs, so wait for it.
      await dispatcherIdle(server);
    },
    true,
  );
});
