/**
 * Scheduled publishing, driven by a ManualClock rather than sleeps.
 *
 * The first instance runs with its background loop off (schedulerIntervalMs 0)
 * and the tests call scheduler.runDue() after moving the clock. Then, for
 * "goes live on time without anyone calling anything, also after a restart",
 * that instance is stopped and a second one is started on the same database
 * (startOn leaves the database in place, unlike startTestServer's stop, which
 * drops it) with the loop on: it must publish what fell due while nothing ran,
 * at start, and later publish the next one by itself once the clock passes it.
 * A real restart on the real database, rather than rows inserted by hand, is
 * what proves that nothing is kept in memory between instances; the only
 * waiting is polling for the loop's own tick (bounded, never a fixed sleep).
 */
import { Role } from "../../src/modules/auth/role";
import { ManualClock } from "../../src/shared/clock";
import { parseGlobalId } from "../../src/shared/node-id";
import type { NewsgraphServer } from "../../src/server";
import type { GraphQLClient } from "../factories/newsroom";
import { eventually, expectError, ok, startOn, unique } from "../factories/newsroom";
import {
  NewsroomArticleDocument,
  NewsroomArticleStatusDocument,
  NewsroomCreateArticleDocument,
  NewsroomPublishArticleDocument,
  NewsroomTopicDocument,
  NewsroomUnpublishArticleDocument,
} from "../generated/graphql";
import type { TestDatabase } from "../support/database";
import { createTestDatabase } from "../support/database";

const HOUR = 3_600_000;
const clock = new ManualClock(new Date("2032-05-01T08:00:00.000Z"));
let db: TestDatabase;
let server: (NewsgraphServer & GraphQLClient) | undefined;
let editor: string;
let writer: string;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startOn(db, { schedulerIntervalMs: 0 }, { clock });
  editor = await server.services.auth.createToken("maya-okafor", Role.EDITOR);
  writer = await server.services.auth.createToken("tomas-lindqvist", Role.WRITER);
});
afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

const inHours = (h: number) => new Date(clock.now().getTime() + h * HOUR).toISOString();

async function schedule(at: string, topicSlugs = ["climate"]) {
  const created = await server!.request(
    NewsroomCreateArticleDocument,
    { input: { title: `Embargoed ${unique("s")}`, body: "Under embargo until the hour.", topicSlugs } },
    { token: writer },
  );
  const a = ok(created).createArticle;
  const res = await server!.request(NewsroomPublishArticleDocument, { id: a.id, at }, { token: editor });
  expect(ok(res).publishArticle).toMatchObject({ status: "SCHEDULED", publishedAt: at });
  return { ...a, at };
}

async function statusOf(id: string) {
  return ok(await server!.request(NewsroomArticleStatusDocument, { id }, { token: editor })).article!;
}

const publishedEvents = async (id: string) => {
  const dbId = parseGlobalId(id)!.id;
  const [{ n }] = await server!.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM feed_events WHERE kind = 'ARTICLE_PUBLISHED' AND article_id = $1",
    [dbId],
  );
  return n;
};

test("a scheduled article goes live exactly when its time comes, not a millisecond before", async () => {
  const at = inHours(1);
  const a = await schedule(at);
  const climate = ok(await server!.request(NewsroomTopicDocument, { slug: "climate" })).topic!.articleCount;

  expect(await server!.services.scheduler.runDue()).toBe(0);
  clock.set(new Date(Date.parse(at) - 1));
  expect(await server!.services.scheduler.runDue()).toBe(0);
  expect(ok(await server!.request(NewsroomArticleDocument, { id: a.id })).article).toBeNull();
  expect(await statusOf(a.id)).toMatchObject({ status: "SCHEDULED", publishedAt: at });

  clock.advance(1);
  expect(await server!.services.scheduler.runDue()).toBe(1);
  const live = ok(await server!.request(NewsroomArticleDocument, { id: a.id })).article!;
  expect(live).toMatchObject({ status: "PUBLISHED", publishedAt: at });
  expect(ok(await server!.request(NewsroomTopicDocument, { slug: "climate" })).topic!.articleCount).toBe(climate + 1);
  expect(await publishedEvents(a.id)).toBe(1);
  // Nothing left to do: a second run publishes nothing and records nothing.
  expect(await server!.services.scheduler.runDue()).toBe(0);
  expect(await publishedEvents(a.id)).toBe(1);
});

test("one run publishes everything that is due and leaves the rest scheduled", async () => {
  const soon = await schedule(inHours(0.25));
  const sooner = await schedule(inHours(0.1));
  const later = await schedule(inHours(2));
  clock.advance(0.5 * HOUR);
  expect(await server!.services.scheduler.runDue()).toBe(2);
  expect((await statusOf(soon.id)).status).toBe("PUBLISHED");
  expect((await statusOf(sooner.id)).status).toBe("PUBLISHED");
  expect((await statusOf(later.id)).status).toBe("SCHEDULED");
  // Tidy up so that later tests count only their own articles.
  ok(await server!.request(NewsroomUnpublishArticleDocument, { id: later.id }, { token: editor }));
});

test("two instances running the scheduler at once publish each article once", async () => {
  const a = await schedule(inHours(1));
  clock.advance(HOUR);
  const runs = await Promise.all([server!.services.scheduler.runDue(), server!.services.scheduler.runDue()]);
  expect(runs.reduce((x, y) => x + y, 0)).toBe(1);
  expect((await statusOf(a.id)).status).toBe("PUBLISHED");
  expect(await publishedEvents(a.id)).toBe(1);
});

test("a schedule can be moved, or brought forward to now by publishing without `at`", async () => {
  const a = await schedule(inHours(1));
  const moved = inHours(5);
  const res = await server!.request(NewsroomPublishArticleDocument, { id: a.id, at: moved }, { token: editor });
  expect(ok(res).publishArticle).toMatchObject({ status: "SCHEDULED", publishedAt: moved });
  clock.advance(2 * HOUR);
  expect(await server!.services.scheduler.runDue()).toBe(0);
  expect((await statusOf(a.id)).status).toBe("SCHEDULED");

  const now = await server!.request(NewsroomPublishArticleDocument, { id: a.id }, { token: editor });
  expect(ok(now).publishArticle).toMatchObject({ status: "PUBLISHED", publishedAt: clock.now().toISOString() });
});

test("scheduling is for editors: writers are FORBIDDEN, anonymous callers UNAUTHENTICATED", async () => {
  const created = await server!.request(
    NewsroomCreateArticleDocument,
    { input: { title: `Mine ${unique("m")}`, body: "x" } },
    { token: writer },
  );
  const a = ok(created).createArticle;
  const at = inHours(1);
  expectError(await server!.request(NewsroomPublishArticleDocument, { id: a.id, at }, { token: writer }), "FORBIDDEN");
  expectError(await server!.request(NewsroomPublishArticleDocument, { id: a.id, at }), "UNAUTHENTICATED");
  expect(await statusOf(a.id)).toMatchObject({ status: "DRAFT", publishedAt: null });
});

test("after a restart, the scheduler publishes what fell due while it was down, then the next one on time by itself", async () => {
  const overdue = await schedule(inHours(1));
  const next = await schedule(inHours(3));
  await server!.stop();
  server = undefined;

  // Nothing runs for two hours.
  clock.advance(2 * HOUR);
  server = await startOn(db, { schedulerIntervalMs: 100 }, { clock });

  // Caught up at start, with no one calling anything.
  const caughtUp = await eventually(async () => {
    const a = ok(await server!.request(NewsroomArticleDocument, { id: overdue.id })).article;
    return a?.status === "PUBLISHED" ? a : null;
  });
  expect(caughtUp.publishedAt).toBe(overdue.at);
  expect(await statusOf(next.id)).toMatchObject({ status: "SCHEDULED" });
  expect(ok(await server!.request(NewsroomArticleDocument, { id: next.id })).article).toBeNull();

  // The loop keeps running: once the clock passes the next one, it goes live by itself.
  clock.advance(HOUR + 1);
  const onTime = await eventually(async () => {
    const a = ok(await server!.request(NewsroomArticleDocument, { id: next.id })).article;
    return a?.status === "PUBLISHED" ? a : null;
  });
  expect(onTime.publishedAt).toBe(next.at);
  expect(await publishedEvents(overdue.id)).toBe(1);
  expect(await publishedEvents(next.id)).toBe(1);
});
