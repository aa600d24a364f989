import "reflect-metadata";
/**
 * Two instances on one PostgreSQL database deliver to the same endpoints: each endpoint is leased by
 * one instance at a time, so every event reaches every receiver once and in order, also when one
 * instance stops half-way and the other carries on; and a lease left by an instance that died is
 * taken over once it runs out. PostgreSQL only: PGlite serves one process.
 */
import { Role } from "../../src/modules/auth/role";
import type { NewsgraphServer } from "../../src/server";
import type { GraphQLClient } from "../factories/newsroom";
import { ok, startOn } from "../factories/newsroom";
import { HookCreateDocument, HookListDocument } from "../generated/graphql";
import type { TestDatabase } from "../support/database";
import { createTestDatabase } from "../support/database";
import { waitFor } from "../support/feed-client";
import { Receiver } from "./receiver";
import { appendEvents, twoArticles, webhookConfig } from "./support";

const describeOnPostgres = process.env.DATABASE_URL ? describe : describe.skip;

describeOnPostgres("webhooks on two instances", () => {
  let db: TestDatabase;
  let a: NewsgraphServer & GraphQLClient;
  let b: NewsgraphServer & GraphQLClient;
  let admin: string;
  let articleId: number;
  let aStopped = false;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    a = await startOn(db, webhookConfig({ batchSize: 5 }));
    b = await startOn(db, webhookConfig({ batchSize: 5 }));
    admin = await a.services.auth.createToken("maya-okafor", Role.ADMIN);
    articleId = (await twoArticles(a)).inTopic;
  }, 60_000);
  afterAll(async () => {
    if (!aStopped) await a?.stop();
    await b?.stop();
    for (const r of receivers) await r.close();
    await db?.drop();
  });

  async function hooked(on: GraphQLClient) {
    const r = await Receiver.start(200);
    receivers.push(r);
    const created = ok(
      await on.request(
        HookCreateDocument,
        { input: { url: r.url, eventKinds: ["ARTICLE_UPDATED"] } },
        { token: admin },
      ),
    ).createWebhook;
    r.secret = created.secret;
    return { r, id: created.webhook.id };
  }

  function expectOnceInOrder(r: Receiver, ids: string[]) {
    expect(r.received.map((x) => x.eventId)).toEqual(ids);
    expect(r.received.every((x) => x.signatureOk && x.answered === 200)).toBe(true);
  }

  test("every event reaches each endpoint once, in order, while both run and after one stops half-way", async () => {
    const hooks = [await hooked(a), await hooked(b), await hooked(a), await hooked(b)];
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      ids.push(...(await appendEvents(i % 2 ? a : b, 5, "ARTICLE_UPDATED", articleId)));
    }
    await waitFor(
      () => hooks.every((h) => h.r.received.length >= 10),
      () => "10 deliveries to each endpoint",
    );
    aStopped = true;
    await a.stop();
    ids.push(...(await appendEvents(b, 10, "ARTICLE_UPDATED", articleId)));
    await waitFor(
      () => hooks.every((h) => h.r.received.length >= ids.length),
      () => `${ids.length} deliveries to each (have ${hooks.map((h) => h.r.received.length)})`,
    );
    for (const h of hooks) expectOnceInOrder(h.r, ids);
    // The receivers count their answers as sent; the servers log them a moment later. This test's
    // endpoints only: another test's may be subscribed to the same events.
    const logged = async () =>
      (
        await b.db.query<{ count: number }>(
          `SELECT count(*)::int AS count FROM webhook_deliveries
           WHERE succeeded AND NOT redelivery AND webhook_id IN (SELECT id FROM webhooks WHERE url = ANY($1))`,
          [hooks.map((h) => h.r.url)],
        )
      )[0]!.count;
    await waitFor(
      async () => (await logged()) >= hooks.length * ids.length,
      () => "every acknowledgement logged",
    );
    expect(await logged()).toBe(hooks.length * ids.length);
    aStopped = true;
  }, 60_000);

  test("a lease held by an instance that died is taken over once it runs out, not before", async () => {
    const { r, id } = await hooked(b);
    const [{ hookId }] = await b.db.query<{ hookId: number }>(
      'SELECT id AS "hookId" FROM webhooks ORDER BY id DESC LIMIT 1',
    );
    // A dead instance's lease, with 1.5 s left.
    await b.db.query(
      "UPDATE webhooks SET lease_owner = 'dead-instance', lease_until = now() + interval '1.5 seconds' WHERE id = $1",
      [hookId],
    );
    const ids = await appendEvents(b, 3, "ARTICLE_UPDATED", articleId);
    const [{ until }] = await b.db.query<{ until: Date }>("SELECT lease_until AS until FROM webhooks WHERE id = $1", [
      hookId,
    ]);
    await waitFor(
      () => r.received.length >= 3,
      () => "3 deliveries after the lease ran out",
    );
    expectOnceInOrder(r, ids);
    const [{ first }] = await b.db.query<{ first: Date }>(
      "SELECT min(created_at) AS first FROM webhook_deliveries WHERE webhook_id = $1",
      [hookId],
    );
    expect(first.getTime()).toBeGreaterThanOrEqual(until.getTime());
    // The receiver counts its answer as sent; the server records the acknowledgement a moment later.
    const acked = async () =>
      ok(await b.request(HookListDocument, {}, { token: admin })).webhooks.find((w) => w.id === id)!.ackedEventId;
    await waitFor(
      async () => (await acked()) === ids[2],
      () => "the third acknowledgement recorded",
    );
    expect(await acked()).toBe(ids[2]);
  }, 60_000);
});
