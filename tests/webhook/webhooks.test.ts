/**
 * Webhooks end to end on a real server and database, with real HTTP receivers on 127.0.0.1: the admin
 * API and its errors, signed in-order delivery across read batches and ids 99 -> 100, retries with
 * backoff while later events wait, a hanging receiver that blocks nobody else and turns FAILING,
 * redelivery, and a restart of newsgraph in the middle of a delivery. Events are appended to the log
 * the way every writer does it (newsgraph_feed_append), plus one real mutation for the wiring.
 */
import "reflect-metadata";
import { Role } from "../../src/modules/auth/role";
import { WebhookService } from "../../src/modules/webhook/webhook.service";
import type { NewsgraphServer } from "../../src/server";
import { systemClock } from "../../src/shared/clock";
import { toGlobalId } from "../../src/shared/node-id";
import type { GraphQLClient } from "../factories/newsroom";
import { expectError, ok, startOn } from "../factories/newsroom";
import {
  HookCreateDocument,
  HookDeleteDocument,
  HookDeliveriesDocument,
  HookListDocument,
  HookRedeliverDocument,
  HookUpdateDocument,
  NewsroomUpdateArticleDocument,
} from "../generated/graphql";
import type { TestDatabase } from "../support/database";
import { createTestDatabase } from "../support/database";
import { waitFor } from "../support/feed-client";
import type { Answer } from "./receiver";
import { Receiver } from "./receiver";
import { TEST_WEBHOOKS, appendEvents, twoArticles, webhookConfig } from "./support";

let db: TestDatabase;
let server: NewsgraphServer & GraphQLClient;
let admin: string;
let articles: Awaited<ReturnType<typeof twoArticles>>;
const receivers: Receiver[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startOn(db, webhookConfig({ retryWindowMs: 1500 }));
  admin = await server.services.auth.createToken("maya-okafor", Role.ADMIN);
  articles = await twoArticles(server);
}, 60_000);
afterAll(async () => {
  await server?.stop();
  for (const r of receivers) await r.close();
  await db?.drop();
});

async function receiver(answer?: Answer) {
  const r = await Receiver.start(answer);
  receivers.push(r);
  return r;
}

/** A new endpoint for `r`, its secret handed to the receiver. */
async function hook(r: Receiver, eventKinds = ["ARTICLE_UPDATED"], topicSlugs?: string[]) {
  const created = ok(
    await server.request(HookCreateDocument, { input: { url: r.url, eventKinds, topicSlugs } }, { token: admin }),
  ).createWebhook;
  r.secret = created.secret;
  return created.webhook;
}

const deliveriesOf = async (id: string, first = 100) =>
  ok(await server.request(HookDeliveriesDocument, { id, first }, { token: admin })).webhook.deliveries;

/**
 * The stored endpoints. Tests that check "stored nothing" compare against a count taken before their
 * refused calls, since the file's other tests (in any order, with --randomize) leave endpoints behind.
 */
async function webhookCount() {
  const [{ count }] = await server.db.query("SELECT count(*)::int AS count FROM webhooks");
  return count as number;
}

/** Every request the receiver got, as event ids, with no duplicate of an acknowledged one. */
function expectOnceInOrder(r: Receiver, ids: string[]) {
  expect(r.acked.map((x) => x.eventId)).toEqual(ids);
  expect(r.received.every((x) => x.signatureOk)).toBe(true);
  expect(new Set(r.acked.map((x) => x.deliveryId)).size).toBe(ids.length);
}

test("only ADMIN manages webhooks: anonymous is UNAUTHENTICATED, an editor FORBIDDEN", async () => {
  const editor = await server.services.auth.createToken("tomas-lindqvist", Role.EDITOR);
  const input = { url: "http://127.0.0.1:9/hook", eventKinds: ["ARTICLE_PUBLISHED"] };
  // Endpoints left by other tests keep being delivered to (their cursors and statuses move): compare ids and urls.
  const endpoints = async () =>
    ok(await server.request(HookListDocument, {}, { token: admin })).webhooks.map((w) => [w.id, w.url]);
  const before = await endpoints();
  expect(before.some(([, url]) => url === input.url)).toBe(false);
  expectError(await server.request(HookCreateDocument, { input }), "UNAUTHENTICATED");
  expectError(await server.request(HookCreateDocument, { input }, { token: editor }), "FORBIDDEN");
  expectError(await server.request(HookListDocument, {}, { token: editor }), "FORBIDDEN");
  expect(await endpoints()).toEqual(before);
});

test("bad URL, unknown kind and unknown topic are BAD_USER_INPUT naming each field, and store nothing", async () => {
  const before = await webhookCount();
  const res = await server.request(
    HookCreateDocument,
    {
      input: {
        url: "ftp://example.com/x",
        eventKinds: ["ARTICLE_PUBLISHED", "NO_SUCH_KIND"],
        topicSlugs: ["no-such-topic"],
      },
    },
    { token: admin },
  );
  expectError(res, "BAD_USER_INPUT", ["url", "eventKinds", "topicSlugs"]);
  expectError(
    await server.request(
      HookCreateDocument,
      { input: { url: "http://127.0.0.1:9/", eventKinds: [] } },
      { token: admin },
    ),
    "BAD_USER_INPUT",
    ["eventKinds"],
  );
  expectError(
    await server.request(
      HookCreateDocument,
      { input: { url: "http://127.0.0.1:9/", eventKinds: ["ARTICLE_UPDATED"], secret: "short" } },
      { token: admin },
    ),
    "BAD_USER_INPUT",
    ["secret"],
  );
  expect(await webhookCount()).toBe(before);
});

test("without WEBHOOK_ALLOW_PRIVATE_TARGETS, loopback, private, link-local and mapped addresses are refused", async () => {
  const strict = new WebhookService(server.db, { ...TEST_WEBHOOKS, allowPrivateTargets: false }, systemClock);
  const before = await webhookCount();
  for (const url of [
    "http://127.0.0.1:8080/",
    "http://localhost/",
    "http://10.1.2.3/",
    "http://192.168.0.10/",
    "http://169.254.169.254/latest/meta-data",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[fd00::1]/",
    "http://0.0.0.0/",
    "http://2130706433/",
  ]) {
    await expect(strict.create({ url, eventKinds: ["ARTICLE_UPDATED"] })).rejects.toMatchObject({
      extensions: { code: "BAD_USER_INPUT", fields: { url: expect.stringMatching(/non-public/) } },
    });
  }
  expect(await webhookCount()).toBe(before);
});

test("signed deliveries, in log order, across read batches and ids 99 -> 100, filtered by kind and topic", async () => {
  const r = await receiver(200);
  const hooked = await hook(r, ["ARTICLE_UPDATED"], [articles.topic]);
  // Make the log cross 99 -> 100 while this endpoint reads it (ids compared as numbers, not text).
  await server.db.query(
    "SELECT setval('feed_events_id_seq', greatest(90, (SELECT coalesce(max(id), 0) FROM feed_events)))",
  );
  const [{ head }] = await server.db.query("SELECT coalesce(max(id), 0)::int AS head FROM feed_events");
  expect(head).toBeLessThan(95);
  const wanted: string[] = [];
  for (let round = 0; round < 4; round++) {
    wanted.push(...(await appendEvents(server, 5, "ARTICLE_UPDATED", articles.inTopic)));
    await appendEvents(server, 2, "ARTICLE_UPDATED", articles.outOfTopic); // another topic: skipped
    await appendEvents(server, 1, "COMMENT_PUBLIC", articles.inTopic); // another kind: skipped
  }
  expect(Number(wanted[0])).toBeLessThan(100);
  expect(Number(wanted[wanted.length - 1])).toBeGreaterThan(100);
  await waitFor(
    () => r.acked.length >= wanted.length,
    () => `${wanted.length} deliveries (have ${r.acked.length})`,
  );
  const [{ last }] = await server.db.query("SELECT max(id)::text AS last FROM feed_events");
  await waitFor(
    async () =>
      ok(await server.request(HookListDocument, {}, { token: admin })).webhooks.find((w) => w.id === hooked.id)!
        .ackedEventId === last,
    () => "the cursor past the skipped tail",
  );
  expectOnceInOrder(r, wanted);
  const first = r.acked[0]!;
  expect(first.deliveryId).toMatch(/^\d+-\d+$/);
  expect(first.body).toMatchObject({
    id: first.deliveryId,
    webhookId: hooked.id,
    event: { kind: "ARTICLE_UPDATED", topicSlugs: expect.arrayContaining([articles.topic]) },
  });

  // The log, newest first, paged.
  const page1 = await deliveriesOf(hooked.id, 15);
  expect(page1.totalCount).toBe(wanted.length);
  expect(page1.pageInfo.hasNextPage).toBe(true);
  const page2 = ok(
    await server.request(
      HookDeliveriesDocument,
      { id: hooked.id, first: 15, after: page1.pageInfo.endCursor },
      { token: admin },
    ),
  ).webhook.deliveries;
  expect([...page1.nodes, ...page2.nodes].map((d) => d.eventId).reverse()).toEqual(wanted);
  expect(page1.nodes.every((d) => d.succeeded && d.statusCode === 200 && d.attempt === 1 && !d.redelivery)).toBe(true);
});

test("a real mutation reaches the endpoint", async () => {
  const r = await receiver(200);
  await hook(r, ["ARTICLE_UPDATED"]);
  const editor = await server.services.auth.createToken("maya-okafor", Role.EDITOR);
  const [{ id }] = await server.db.query("SELECT id FROM articles WHERE id = $1", [articles.inTopic]);
  ok(
    await server.request(
      NewsroomUpdateArticleDocument,
      { id: toGlobalId("Article", id), input: { standfirst: "Changed for a webhook." } },
      { token: editor },
    ),
  );
  await waitFor(
    () => r.acked.length === 1,
    () => "the update's delivery",
  );
  expect(r.acked[0]!.body.event).toMatchObject({ kind: "ARTICLE_UPDATED", articleId: toGlobalId("Article", id) });
});

test("a failing receiver is retried with backoff while later events wait; nothing is skipped or sent twice", async () => {
  // Fails the first three requests (500, then 503, then a 302 redirect, which is not followed), then acks.
  const r = await receiver((_, n) => [500, 503, 302][n - 1] ?? 200);
  const hooked = await hook(r);
  const ids = await appendEvents(server, 5, "ARTICLE_UPDATED", articles.inTopic);
  await waitFor(
    () => r.acked.length >= 5,
    () => `5 acks (have ${r.acked.length})`,
  );
  expectOnceInOrder(r, ids);
  // The first event was tried four times; nothing after it was sent before it was acknowledged.
  expect(r.received.slice(0, 4).map((x) => x.eventId)).toEqual([ids[0], ids[0], ids[0], ids[0]]);
  expect(r.received).toHaveLength(8);
  // The receiver counts its answer as sent; the server logs it a moment later: wait for the cursor.
  await waitFor(
    async () =>
      ok(await server.request(HookListDocument, {}, { token: admin })).webhooks.find((w) => w.id === hooked.id)!
        .ackedEventId === ids[4],
    () => "the cursor at the 5th event",
  );
  const log = (await deliveriesOf(hooked.id)).nodes.reverse();
  expect(log.map((d) => [d.eventId, d.attempt, d.statusCode, d.succeeded])).toEqual([
    [ids[0], 1, 500, false],
    [ids[0], 2, 503, false],
    [ids[0], 3, 302, false],
    [ids[0], 4, 200, true],
    ...ids.slice(1).map((id) => [id, 1, 200, true]),
  ]);
  const after = ok(await server.request(HookListDocument, {}, { token: admin })).webhooks.find(
    (w) => w.id === hooked.id,
  )!;
  expect(after).toMatchObject({
    status: "ACTIVE",
    attempt: 0,
    lastError: null,
    failingSince: null,
    ackedEventId: ids[4],
  });
});

test("a hanging receiver blocks nobody else, turns FAILING after the retry window, and resumes when enabled", async () => {
  const hang = await receiver("hang");
  const fine = await receiver(200);
  const stuck = await hook(hang);
  await hook(fine);
  const ids = await appendEvents(server, 10, "ARTICLE_UPDATED", articles.inTopic);
  await waitFor(
    () => fine.acked.length >= 10,
    () => `10 acks on the healthy receiver (have ${fine.acked.length})`,
  );
  expectOnceInOrder(fine, ids);

  // Timeouts of 500 ms against a retry window of 1.5 s: FAILING after a few attempts at the first event.
  const failing = await waitFor(
    async () =>
      ok(await server.request(HookListDocument, {}, { token: admin })).webhooks.find(
        (w) => w.id === stuck.id && w.status === "FAILING",
      ),
    () => "the hanging endpoint to be FAILING",
  );
  expect(failing.ackedEventId).toBe((BigInt(ids[0]!) - 1n).toString());
  expect(failing.lastError).toMatch(/timed out/);
  expect(new Set(hang.received.map((x) => x.eventId))).toEqual(new Set([ids[0]]));
  const tried = hang.received.length;
  const log = await deliveriesOf(stuck.id);
  expect(log.nodes.every((d) => !d.succeeded && d.statusCode === null && /timed out/.test(d.error!))).toBe(true);
  expect(log.totalCount).toBe(tried);

  // FAILING sends nothing more; enabled again (the receiver now acks), it delivers everything in order.
  hang.answer = 200;
  const enabled = ok(
    await server.request(HookUpdateDocument, { id: stuck.id, input: { active: true } }, { token: admin }),
  ).updateWebhook;
  expect(enabled).toMatchObject({ status: "ACTIVE", attempt: 0, failingSince: null });
  await waitFor(
    () => hang.acked.length >= 10,
    () => `10 acks after enabling (have ${hang.acked.length})`,
  );
  expectOnceInOrder(hang, ids);
});

test("redeliverWebhookEvent re-sends one logged delivery with the same delivery id, leaving the cursor alone", async () => {
  const r = await receiver(200);
  const hooked = await hook(r);
  const ids = await appendEvents(server, 3, "ARTICLE_UPDATED", articles.inTopic);
  await waitFor(
    () => r.acked.length >= 3,
    () => "3 acks",
  );
  const log = await deliveriesOf(hooked.id);
  const second = log.nodes.find((d) => d.eventId === ids[1])!;
  const again = ok(
    await server.request(HookRedeliverDocument, { deliveryId: second.id }, { token: admin }),
  ).redeliverWebhookEvent;
  expect(again).toMatchObject({
    eventId: ids[1],
    deliveryId: second.deliveryId,
    attempt: 2,
    statusCode: 200,
    succeeded: true,
    redelivery: true,
  });
  expect(r.received.map((x) => x.eventId)).toEqual([...ids, ids[1]]);
  expect(r.received[3]!.deliveryId).toBe(r.received[1]!.deliveryId);
  expect(r.received[3]!.signatureOk).toBe(true);
  const after = ok(await server.request(HookListDocument, {}, { token: admin })).webhooks.find(
    (w) => w.id === hooked.id,
  )!;
  expect(after.ackedEventId).toBe(ids[2]);
  expectError(await server.request(HookRedeliverDocument, { deliveryId: "nope" }, { token: admin }), "BAD_USER_INPUT", [
    "deliveryId",
  ]);
});

test("update and delete: a paused endpoint resumes where it stopped; deleting removes it and its log", async () => {
  const r = await receiver(200);
  const hooked = await hook(r);
  const paused = ok(
    await server.request(HookUpdateDocument, { id: hooked.id, input: { active: false } }, { token: admin }),
  ).updateWebhook;
  expect(paused.status).toBe("PAUSED");
  expectError(
    await server.request(HookUpdateDocument, { id: hooked.id, input: { url: "gopher://x" } }, { token: admin }),
    "BAD_USER_INPUT",
    ["url"],
  );
  const ids = await appendEvents(server, 2, "ARTICLE_UPDATED", articles.inTopic);
  ok(await server.request(HookUpdateDocument, { id: hooked.id, input: { active: true } }, { token: admin }));
  await waitFor(
    () => r.acked.length >= 2,
    () => "2 acks after resuming",
  );
  expectOnceInOrder(r, ids);
  expect(ok(await server.request(HookDeleteDocument, { id: hooked.id }, { token: admin })).deleteWebhook).toBe(true);
  expect(ok(await server.request(HookDeleteDocument, { id: hooked.id }, { token: admin })).deleteWebhook).toBe(false);
  expectError(await server.request(HookDeliveriesDocument, { id: hooked.id }, { token: admin }), "NOT_FOUND");
});

test("a restart in the middle of a delivery loses nothing and sends nothing acknowledged twice", async () => {
  let release: (() => void) | undefined;
  const ids: string[] = [];
  // Holds the answer to the 4th event until newsgraph has begun to stop, then acks it.
  const r = await receiver((_, n) => {
    // By arrival, not by id: the first events may arrive before the test has learnt their ids.
    if (n !== 4) return 200;
    return new Promise<number>((resolve) => (release = () => resolve(200)));
  });
  await hook(r);
  ids.push(...(await appendEvents(server, 10, "ARTICLE_UPDATED", articles.inTopic)));
  await waitFor(
    () => release,
    () => "the 4th delivery to be in flight",
  );
  const stopping = server.stop();
  release!();
  await stopping;
  const before = r.acked.length;
  expect(before).toBeLessThan(10);

  server = await startOn(db, webhookConfig({ retryWindowMs: 1500 }));
  ids.push(...(await appendEvents(server, 3, "ARTICLE_UPDATED", articles.inTopic)));
  await waitFor(
    () => r.acked.length >= 13,
    () => `13 acks after the restart (have ${r.acked.length})`,
  );
  expectOnceInOrder(r, ids);
}, 60_000);

test("paused while a delivery is in flight: its acknowledgement still counts, nothing more is sent until resumed", async () => {
  // The pause must land while the 2nd delivery is in flight, i.e. within the delivery timeout; the file's
  // 500 ms (for the hanging receiver) is shorter than a mutation on a loaded CI machine can take (the
  // attempt then rightly times out, and a paused endpoint records no acknowledgement). A server of
  // this test's own with a long timeout takes the deliveries meanwhile; the file's is restored after.
  await server.stop();
  server = await startOn(db, webhookConfig({ retryWindowMs: 1500, timeoutMs: 60_000, leaseMs: 120_000 }));
  try {
    await pausedInFlight();
  } finally {
    await server.stop();
    server = await startOn(db, webhookConfig({ retryWindowMs: 1500 }));
  }
}, 60_000);

async function pausedInFlight() {
  let release: (() => void) | undefined;
  const ids: string[] = [];
  const r = await receiver((_, n) => {
    // By arrival, not by id: the first events may arrive before the test has learnt their ids.
    if (n !== 2) return 200;
    return new Promise<number>((resolve) => (release = () => resolve(200)));
  });
  const hooked = await hook(r);
  ids.push(...(await appendEvents(server, 4, "ARTICLE_UPDATED", articles.inTopic)));
  await waitFor(
    () => release,
    () => "the 2nd delivery in flight",
  );
  ok(await server.request(HookUpdateDocument, { id: hooked.id, input: { active: false } }, { token: admin }));
  release!();
  const paused = await waitFor(
    async () =>
      ok(await server.request(HookListDocument, {}, { token: admin })).webhooks.find(
        (w) => w.id === hooked.id && w.ackedEventId === ids[1],
      ),
    () => "the in-flight acknowledgement recorded",
  );
  expect(paused.status).toBe("PAUSED");
  expect(r.received.map((x) => x.eventId)).toEqual(ids.slice(0, 2));
  ok(await server.request(HookUpdateDocument, { id: hooked.id, input: { active: true } }, { token: admin }));
  await waitFor(
    () => r.acked.length >= 4,
    () => "4 acks after resuming",
  );
  expectOnceInOrder(r, ids);
}

test("the delivery log is pruned with the feed's retention", async () => {
  const r = await receiver(200);
  await hook(r);
  await appendEvents(server, 2, "ARTICLE_UPDATED", articles.inTopic);
  await waitFor(
    () => r.acked.length >= 2,
    () => "2 acks",
  );
  const [{ oldest }] = await server.db.query(
    `UPDATE webhook_deliveries SET created_at = now() - interval '169 hours'
     WHERE id = (SELECT min(id) FROM webhook_deliveries) RETURNING id AS oldest`,
  );
  // Other endpoints of this file keep logging meanwhile: count what the prune removed, not the table.
  expect(await server.services.webhookWorker.prune()).toBe(1);
  expect(await server.db.query("SELECT id FROM webhook_deliveries WHERE id = $1", [oldest])).toEqual([]);
});
