/**
 * Drafts, scheduled and archived articles, made through the API, are visible
 * to their byline authors and to editors and admins, and to nobody else,
 * through every read path: article (by id and by slug), node, articles (with
 * and without a status filter), search, relatedArticles, topic and author
 * lists, and every count. Search, topic and author lists and related articles
 * list published articles only (contract), so there a hidden article shows to
 * no one at all.
 *
 * The tests that read share one newsroom; the two that change theirs (going
 * live, taking slugs) share a second, so every test passes in any order.
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

type Viewer = "byline" | "otherWriter" | "editor" | "admin" | "anonymous";
const viewers: Viewer[] = ["anonymous", "otherWriter", "byline", "editor", "admin"];
const maySeeHidden = (v: Viewer) => v === "byline" || v === "editor" || v === "admin";

// A made-up word, so search results are exactly the articles below.
const WORD = `zephyrquill${process.pid}`;
const TOPICS = ["climate", "science"];
const AUTHOR = "priya-raman";
type Made = { id: string; slug: string };

/**
 * A server on a database of its own, with the newsroom every test reads: a published twin (`control`)
 * and a draft, a scheduled and an archived piece (`hidden`) by AUTHOR in TOPICS, all with WORD, and the
 * counts from before they were made (`baseline`).
 */
interface Newsroom {
  server: TestServer;
  clock: ManualClock;
  tokens: Record<Exclude<Viewer, "anonymous">, string>;
  hidden: Record<"DRAFT" | "SCHEDULED" | "ARCHIVED", Made>;
  control: Made;
  baseline: { climate: number; science: number; author: number; published: number };
  as(v: Viewer): { token?: string };
}

async function counts(server: TestServer) {
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

async function openNewsroom(): Promise<Newsroom> {
  const clock = new ManualClock(new Date());
  const server = await startTestServer({}, { clock });
  const tokens = {
    byline: await server.token(AUTHOR, "WRITER"),
    otherWriter: await server.token("declan-shore", "WRITER"),
    editor: await server.token("maya-okafor", "EDITOR"),
    admin: await server.token(unique("admin"), "ADMIN"),
  };
  const baseline = await counts(server);

  const create = async (title: string): Promise<Made> => {
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
  };
  const publish = (id: string, at?: string) =>
    server.request(NewsroomPublishArticleDocument, { id, at }, { token: tokens.editor }).then(ok);
  const control = await create("Published twin");
  await publish(control.id, new Date(clock.now().getTime() - 3_600_000).toISOString());
  const hidden = {} as Newsroom["hidden"];
  hidden.DRAFT = await create("Draft piece");
  hidden.SCHEDULED = await create("Scheduled piece");
  await publish(hidden.SCHEDULED.id, new Date(clock.now().getTime() + 86_400_000).toISOString());
  hidden.ARCHIVED = await create("Archived piece");
  await publish(hidden.ARCHIVED.id);
  ok(await server.request(NewsroomArchiveArticleDocument, { id: hidden.ARCHIVED.id }, { token: tokens.editor }));
  return {
    server,
    clock,
    tokens,
    hidden,
    control,
    baseline,
    as: (v) => (v === "anonymous" ? {} : { token: tokens[v] }),
  };
}

// The tests that only read, and the draft-list test (its draft changes nothing they look at), share
// this newsroom.
let room: Newsroom;
beforeAll(async () => {
  room = await openNewsroom();
});

// The two tests that change the newsroom (a scheduled piece goes live; a writer takes slugs next to
// hidden ones, adding drafts) get a second one, opened by the first of them to run. Neither depends
// on what the other changes: the slug test uses only the draft and the archived piece, and its
// drafts are in no list or count the scheduling test reads.
let changing: Promise<Newsroom> | undefined;
const changingNewsroom = () => (changing ??= openNewsroom());

afterAll(async () => {
  const second = changing;
  changing = undefined;
  await Promise.all([
    room?.server.stop(),
    second?.then(
      (r) => r.server.stop(),
      () => undefined,
    ),
  ]);
});

const hiddenCases = () => Object.entries(room.hidden) as [keyof Newsroom["hidden"], Made][];

describe.each(viewers)("as %s", (viewer) => {
  const sees = maySeeHidden(viewer);

  test(`article(id), article(slug) and node(id) ${sees ? "show" : "hide"} drafts, scheduled and archived pieces`, async () => {
    const { server, control, as } = room;
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
    const { server, as } = room;
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
    const { server, control, hidden, baseline, as } = room;
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
  const { server, tokens, hidden } = room;
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
  const { server, clock, hidden, control, baseline } = await changingNewsroom();
  clock.advance(86_400_000 + 1000);
  expect(await server.services.scheduler.runDue()).toBe(1);
  const a = ok(await server.request(NewsroomArticleDocument, { slug: hidden.SCHEDULED.slug })).article!;
  expect(a.status).toBe("PUBLISHED");
  const search = ok(await server.request(NewsroomSearchDocument, { query: WORD })).search;
  expect(search.nodes.map((n) => n.slug).sort()).toEqual([control.slug, hidden.SCHEDULED.slug].sort());
  expect(await counts(server)).toEqual({
    climate: baseline.climate + 2,
    science: baseline.science + 2,
    author: baseline.author + 2,
    published: baseline.published + 2,
  });
});

test("a slug held by an article a writer may not see is not revealed to them: they get the next free one", async () => {
  const { server, hidden, as } = await changingNewsroom();
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
