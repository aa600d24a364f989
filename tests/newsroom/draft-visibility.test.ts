/**
 * Drafts, scheduled and archived articles, made through the API, are visible
 * to their byline authors and to editors and admins, and to nobody else,
 * through every read path: article (by id and by slug), node, articles (with
 * and without a status filter), search, relatedArticles, topic and author
 * lists, and every count. Search, topic and author lists and related articles
 * list published articles only (contract), so there a hidden article shows to
 * no one at all.
 */
import { ManualClock } from "../../src/shared/clock";
import { expectError, ok, unique } from "../factories/newsroom";
import {
  NewsroomArchiveArticleDocument,
  NewsroomArticleDocument,
  NewsroomArticlesDocument,
  NewsroomAuthorDocument,
  NewsroomCreateArticleDocument,
  NewsroomNodeDocument,
  NewsroomPublishArticleDocument,
  NewsroomRelatedDocument,
  NewsroomSearchDocument,
  NewsroomTopicDocument,
  NewsroomUpdateArticleDocument,
} from "../generated/graphql";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

const clock = new ManualClock(new Date());
let server: TestServer;
const tokens = {} as Record<"byline" | "otherWriter" | "editor" | "admin", string>;
type Viewer = keyof typeof tokens | "anonymous";
const viewers: Viewer[] = ["anonymous", "otherWriter", "byline", "editor", "admin"];
const maySeeHidden = (v: Viewer) => v === "byline" || v === "editor" || v === "admin";
const as = (v: Viewer) => (v === "anonymous" ? {} : { token: tokens[v] });

// A made-up word, so search results are exactly the articles below.
const WORD = `zephyrquill${process.pid}`;
const TOPICS = ["climate", "science"];
const AUTHOR = "priya-raman";
type Made = { id: string; slug: string };
const hidden = {} as Record<"DRAFT" | "SCHEDULED" | "ARCHIVED", Made>;
let control: Made;
const baseline = {} as { climate: number; science: number; author: number; published: number };

async function counts() {
  const climate = ok(await server.request(NewsroomTopicDocument, { slug: "climate" })).topic!;
  const science = ok(await server.request(NewsroomTopicDocument, { slug: "science" })).topic!;
  const author = ok(await server.request(NewsroomAuthorDocument, { slug: AUTHOR })).author!;
  const all = ok(await server.request(NewsroomArticlesDocument, { first: 1 })).articles;
  return {
    climate: climate.articleCount,
    science: science.articleCount,
    author: author.articles.totalCount,
    published: all.totalCount,
  };
}

async function create(title: string): Promise<Made> {
  const res = await server.request(
    NewsroomCreateArticleDocument,
    {
      input: {
        title: `${title} ${WORD}`,
        standfirst: `${WORD} ${WORD}`,
        body: `Heatwave ${WORD} temperatures and the sea. ${WORD}.`,
        topicSlugs: TOPICS,
      },
    },
    { token: tokens.byline },
  );
  const a = ok(res).createArticle;
  return { id: a.id, slug: a.slug };
}

beforeAll(async () => {
  server = await startTestServer({}, { clock });
  tokens.byline = await server.token(AUTHOR, "WRITER");
  tokens.otherWriter = await server.token("declan-shore", "WRITER");
  tokens.editor = await server.token("maya-okafor", "EDITOR");
  tokens.admin = await server.token(unique("admin"), "ADMIN");
  Object.assign(baseline, await counts());

  const publish = (id: string, at?: string) =>
    server.request(NewsroomPublishArticleDocument, { id, at }, { token: tokens.editor }).then(ok);
  control = await create("Published twin");
  await publish(control.id, new Date(clock.now().getTime() - 3_600_000).toISOString());
  hidden.DRAFT = await create("Draft piece");
  hidden.SCHEDULED = await create("Scheduled piece");
  await publish(hidden.SCHEDULED.id, new Date(clock.now().getTime() + 86_400_000).toISOString());
  hidden.ARCHIVED = await create("Archived piece");
  await publish(hidden.ARCHIVED.id);
  ok(await server.request(NewsroomArchiveArticleDocument, { id: hidden.ARCHIVED.id }, { token: tokens.editor }));
});
afterAll(() => server?.stop());

const hiddenCases = () => Object.entries(hidden) as [keyof typeof hidden, Made][];

describe.each(viewers)("as %s", (viewer) => {
  const sees = maySeeHidden(viewer);

  test(`article(id), article(slug) and node(id) ${sees ? "show" : "hide"} drafts, scheduled and archived pieces`, async () => {
    for (const [status, a] of hiddenCases()) {
      const byId = ok(await server.request(NewsroomArticleDocument, { id: a.id }, as(viewer))).article;
      const bySlug = ok(await server.request(NewsroomArticleDocument, { slug: a.slug }, as(viewer))).article;
      const node = ok(await server.request(NewsroomNodeDocument, { id: a.id }, as(viewer))).node;
      if (sees) {
        expect(byId).toMatchObject({ id: a.id, status });
        expect(bySlug).toMatchObject({ id: a.id, status });
        expect(node).toMatchObject({ __typename: "Article", id: a.id, articleStatus: status });
      } else {
        expect([byId, bySlug, node]).toEqual([null, null, null]);
      }
    }
    // The published twin is there for everyone.
    expect(ok(await server.request(NewsroomArticleDocument, { id: control.id }, as(viewer))).article!.id).toBe(
      control.id,
    );
  });

  test("articles filtered by a hidden status lists them only to those who may see them", async () => {
    for (const [status, a] of hiddenCases()) {
      for (const filter of [{ status }, { status, authorSlug: AUTHOR }, { status, topicSlugs: ["science"] }]) {
        const res = await server.request(NewsroomArticlesDocument, { filter, first: 100 }, as(viewer));
        if (viewer === "anonymous") {
          expectError(res, "UNAUTHENTICATED");
          continue;
        }
        const list = ok(res).articles;
        expect(list.nodes.every((n) => n.status === status)).toBe(true);
        expect(list.totalCount).toBe(list.nodes.length);
        expect(list.nodes.map((n) => n.id).includes(a.id)).toBe(sees);
      }
    }
  });

  test("the default articles list, search, related articles, topic and author lists never show them", async () => {
    const hiddenSlugs = Object.values(hidden).map((a) => a.slug);
    const front = ok(await server.request(NewsroomArticlesDocument, { first: 100 }, as(viewer))).articles;
    expect(front.nodes.map((n) => n.slug)).toContain(control.slug);
    expect(front.nodes.map((n) => n.slug).filter((s) => hiddenSlugs.includes(s))).toEqual([]);
    expect(front.totalCount).toBe(baseline.published + 1);

    const search = ok(await server.request(NewsroomSearchDocument, { query: WORD }, as(viewer))).search;
    expect(search.nodes.map((n) => n.slug)).toEqual([control.slug]);
    expect(search.totalCount).toBe(1);

    const related = ok(
      await server.request(NewsroomRelatedDocument, { slug: "heatwave-warning-hottest-week-on-record" }, as(viewer)),
    ).article!.relatedArticles.map((r) => r.slug);
    expect(related).toContain(control.slug);
    expect(related.filter((s) => hiddenSlugs.includes(s))).toEqual([]);
    if (sees) {
      const ofDraft = ok(
        await server.request(NewsroomRelatedDocument, { slug: hidden.DRAFT.slug }, as(viewer)),
      ).article!;
      expect(ofDraft.relatedArticles.map((r) => r.slug).filter((s) => hiddenSlugs.includes(s))).toEqual([]);
    }

    for (const slug of TOPICS) {
      const topic = ok(await server.request(NewsroomTopicDocument, { slug }, as(viewer))).topic!;
      const listed = topic.articles.nodes.map((n) => n.slug);
      expect(listed).toContain(control.slug);
      expect(listed.filter((s) => hiddenSlugs.includes(s))).toEqual([]);
      expect(topic.articleCount).toBe(baseline[slug as "climate" | "science"] + 1);
      expect(topic.articles.totalCount).toBe(topic.articleCount);
    }

    const author = ok(await server.request(NewsroomAuthorDocument, { slug: AUTHOR }, as(viewer))).author!;
    expect(author.articles.nodes.map((n) => n.slug).filter((s) => hiddenSlugs.includes(s))).toEqual([]);
    expect(author.articles.totalCount).toBe(baseline.author + 1);
  });
});

test("a writer's draft list holds only their own drafts", async () => {
  const theirs = await server.request(
    NewsroomCreateArticleDocument,
    { input: { title: `Other desk ${WORD}`, body: "Quiet.", topicSlugs: TOPICS } },
    { token: tokens.otherWriter },
  );
  const theirId = ok(theirs).createArticle.id;
  const mine = ok(
    await server.request(
      NewsroomArticlesDocument,
      { filter: { status: "DRAFT" }, first: 100 },
      { token: tokens.byline },
    ),
  ).articles;
  expect(mine.nodes.map((n) => n.id)).toEqual([hidden.DRAFT.id]);
  const editors = ok(
    await server.request(
      NewsroomArticlesDocument,
      { filter: { status: "DRAFT" }, first: 100 },
      { token: tokens.editor },
    ),
  ).articles;
  expect(editors.nodes.map((n) => n.id).sort()).toEqual([hidden.DRAFT.id, theirId].sort());
  expect(editors.totalCount).toBe(2);
});

test("once the scheduled piece goes live it shows everywhere, for everyone", async () => {
  clock.advance(86_400_000 + 1000);
  expect(await server.services.scheduler.runDue()).toBe(1);
  const a = ok(await server.request(NewsroomArticleDocument, { slug: hidden.SCHEDULED.slug })).article!;
  expect(a.status).toBe("PUBLISHED");
  const search = ok(await server.request(NewsroomSearchDocument, { query: WORD })).search;
  expect(search.nodes.map((n) => n.slug).sort()).toEqual([control.slug, hidden.SCHEDULED.slug].sort());
  expect(await counts()).toEqual({
    climate: baseline.climate + 2,
    science: baseline.science + 2,
    author: baseline.author + 2,
    published: baseline.published + 2,
  });
});

test("a slug held by an article a writer may not see is not revealed to them: they get the next free one", async () => {
  for (const holder of [hidden.DRAFT, hidden.ARCHIVED]) {
    const asked = { title: `Same idea ${WORD}`, slug: holder.slug, body: "Quiet." };
    const created = await server.request(NewsroomCreateArticleDocument, { input: asked }, as("otherWriter"));
    expect(ok(created).createArticle.slug).toBe(`${holder.slug}-2`);
    // Renaming to it likewise; the article's own slug counts as free.
    const other = ok(
      await server.request(NewsroomCreateArticleDocument, { input: { ...asked, slug: undefined } }, as("otherWriter")),
    ).createArticle;
    const renamed = await server.request(
      NewsroomUpdateArticleDocument,
      { id: other.id, input: { slug: holder.slug } },
      as("otherWriter"),
    );
    expect(ok(renamed).updateArticle.slug).toBe(`${holder.slug}-3`);
    const again = await server.request(
      NewsroomUpdateArticleDocument,
      { id: other.id, input: { slug: holder.slug } },
      as("otherWriter"),
    );
    expect(ok(again).updateArticle.slug).toBe(`${holder.slug}-3`);
    // Those who may see the holder are told, as before.
    for (const v of ["byline", "editor"] as const) {
      expectError(await server.request(NewsroomCreateArticleDocument, { input: asked }, as(v)), "CONFLICT", ["slug"]);
    }
  }
});
