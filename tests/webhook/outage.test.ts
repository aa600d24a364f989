import "reflect-metadata";
/**
 * Webhooks through a PostgreSQL outage, on a PostgreSQL of this file's own (started here on a free port;
 * the shared one is never stopped). The database goes away while a delivery is in flight: the receiver
 * acknowledges, but the acknowledgement cannot be written. Once the database is back, without a restart
 * of newsgraph, delivery goes on: that one event is sent again with the same Newsgraph-Delivery id (at
 * least once: the receiver dedupes by it), and every other event arrives once, in order.
 */
import { Client } from "pg";
import { loadConfig } from "../../src/config";
import { Role } from "../../src/modules/auth/role";
import { insertAuthor } from "../../src/modules/author/author-insert";
import type { NewsgraphServer } from "../../src/server";
import { createServer } from "../../src/server";
import { httpClient, ok } from "../factories/newsroom";
import { HookCreateDocument, HookListDocument } from "../generated/graphql";
import type { CapturedLogger } from "../support/hardening-helpers";
import { captureLogger } from "../support/hardening-helpers";
import type { PrivatePostgres } from "../support/hardening-processes";
import { postgresBinDir, startPrivatePostgres } from "../support/hardening-processes";
import { waitFor } from "../support/feed-client";
import { Receiver } from "./receiver";
import { TEST_WEBHOOKS, appendEvents, twoArticles } from "./support";

jest.setTimeout(180_000);
const withPostgresBinaries = postgresBinDir() ? describe : describe.skip;

withPostgresBinaries("webhooks through a PostgreSQL outage", () => {
  let pg: PrivatePostgres;
  let server: NewsgraphServer;
  let log: CapturedLogger;
  let receiver: Receiver;

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    const c = new Client({ connectionString: pg.url() });
    await c.connect();
    await c.query("CREATE DATABASE newsgraph");
    await c.end();
    log = captureLogger("info");
    const config = loadConfig(
      {},
      {
        databaseUrl: pg.url("newsgraph"),
        dataDir: "memory://",
        port: 0,
        host: "127.0.0.1",
        statementTimeoutMs: 2000,
        seedDemo: true,
        schedulerIntervalMs: 0,
        logLevel: "info",
        dbPoolSize: 4,
        webhooks: TEST_WEBHOOKS,
      },
    );
    server = await createServer(config, { logger: log.logger });
    await server.start();
  });
  afterAll(async () => {
    try {
      await server?.stop();
      await receiver?.close();
    } finally {
      pg?.destroy();
    }
  });

  test("an acknowledgement lost to the outage is sent again with its delivery id; nothing else twice, nothing lost", async () => {
    await insertAuthor(server.db, { slug: "hook-admin", name: "Hook Admin" });
    const admin = await server.services.auth.createToken("hook-admin", Role.ADMIN);
    const api = httpClient(() => server.url);
    const { inTopic } = await twoArticles(server);
    const ids: string[] = [];
    let release: (() => void) | undefined;
    // Holds its answer to the 6th event until the database is down, then acknowledges it.
    receiver = await Receiver.start((_, n) => {
      // By arrival, not by id: the first events may arrive before the test has learnt their ids.
      if (n !== 6) return 200;
      return new Promise<number>((resolve) => (release = () => resolve(200)));
    });
    const created = ok(
      await api.request(
        HookCreateDocument,
        { input: { url: receiver.url, eventKinds: ["ARTICLE_UPDATED"] } },
        { token: admin },
      ),
    ).createWebhook;
    receiver.secret = created.secret;
    ids.push(...(await appendEvents(server, 10, "ARTICLE_UPDATED", inTopic)));
    await waitFor(
      () => release,
      () => "the 6th delivery in flight",
    );
    expect(receiver.acked.map((x) => x.eventId)).toEqual(ids.slice(0, 5));

    pg.stop("immediate");
    const failuresBefore = log.lines().filter((l) => /webhook worker failed/.test(l.msg)).length;
    release!();
    await waitFor(
      () => log.lines().filter((l) => /webhook worker failed/.test(l.msg)).length > failuresBefore,
      () => "the worker to meet the outage",
    );
    pg.start();

    await waitFor(
      () => new Set(receiver.acked.map((x) => x.eventId)).size === 10,
      () => `all 10 events after the outage (have ${receiver.acked.map((x) => x.eventId)})`,
      60_000,
    );
    // The 6th twice (its first acknowledgement was never written), with one delivery id; the rest once, in order.
    expect(receiver.acked.map((x) => x.eventId)).toEqual([...ids.slice(0, 6), ...ids.slice(5)]);
    expect(receiver.acked[5]!.deliveryId).toBe(receiver.acked[6]!.deliveryId);
    expect(receiver.received.every((x) => x.signatureOk)).toBe(true);
    const [hook] = ok(await api.request(HookListDocument, {}, { token: admin })).webhooks;
    await waitFor(
      async () => ok(await api.request(HookListDocument, {}, { token: admin })).webhooks[0]!.ackedEventId === ids[9],
      () => "the cursor at the last event",
    );
    expect(hook!.status).toBe("ACTIVE");
  });
});
