import { HeaderMap } from "@apollo/server";
import type { GraphQLRequestListener } from "@apollo/server";
import pino from "pino";
import type { Context } from "../../src/context";
import { readRoutingPlugin } from "../../src/http/read-routing";
import type { RequestScope } from "../../src/shared/request-scope";
import { requestScope } from "../../src/shared/request-scope";
import { ConfigError, loadConfig } from "../../src/config";
import { isReplicaFailure, parseLsn, ReadReplicas, replicaName } from "../../src/db/read-replicas";

const PRIMARY = "postgres://postgres@127.0.0.1:5432/news";

describe("DATABASE_READ_URL", () => {
  it("takes a comma-separated list of postgres URLs next to DATABASE_URL", () => {
    const config = loadConfig({
      DATABASE_URL: PRIMARY,
      DATABASE_READ_URL: " postgres://r1:5432/news, postgresql://u:secret@r2:6432/news ,",
    });
    expect(config.databaseReadUrls).toEqual(["postgres://r1:5432/news", "postgresql://u:secret@r2:6432/news"]);
    expect(loadConfig({ DATABASE_URL: PRIMARY }).databaseReadUrls).toEqual([]);
  });

  it("refuses replicas without DATABASE_URL (PGlite has none)", () => {
    expect(() => loadConfig({ DATABASE_READ_URL: "postgres://r1/news" })).toThrow(
      new ConfigError("DATABASE_READ_URL needs DATABASE_URL (the embedded database has no replicas)"),
    );
  });

  it("names a bad entry by position and never repeats it (it may hold a password)", () => {
    for (const bad of ["mysql://u:hunter2@r/db", "hunter2", "postgres://"]) {
      let message = "";
      try {
        loadConfig({ DATABASE_URL: PRIMARY, DATABASE_READ_URL: `postgres://ok/db,${bad}` });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toBe("DATABASE_READ_URL entry 2 is not a postgres:// URL with a host");
    }
  });

  it("bounds the probe settings", () => {
    expect(() => loadConfig({ DATABASE_READ_PROBE_MS: "10" })).toThrow(/DATABASE_READ_PROBE_MS/);
    expect(() => loadConfig({ DATABASE_READ_PROBE_TIMEOUT_MS: "0" })).toThrow(/DATABASE_READ_PROBE_TIMEOUT_MS/);
    const c = loadConfig({});
    expect([c.databaseReadProbeMs, c.databaseReadProbeTimeoutMs]).toEqual([1000, 1000]);
  });
});

describe("replica helpers", () => {
  it("orders LSNs as numbers, across the 32-bit halves", () => {
    expect(parseLsn("0/0")).toBe(0n);
    expect(parseLsn("0/FFFFFFFF") < parseLsn("1/0")).toBe(true);
    expect(parseLsn("16/B374D848")).toBe(0x16b374d848n);
    expect(parseLsn("9/0") < parseLsn("A/0")).toBe(true);
  });

  it("names a replica without its password", () => {
    expect(replicaName("postgres://u:secret@db-r1:6432/news")).toBe("db-r1:6432/news");
    expect(replicaName("postgres://db-r1/news")).toBe("db-r1:5432/news");
  });

  it("marks a replica down for connection failures, not for errors of the statement", () => {
    expect(isReplicaFailure(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))).toBe(true);
    expect(isReplicaFailure(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isReplicaFailure(new Error("Query read timeout"))).toBe(true);
    for (const code of ["57P01", "57P03", "08006", "53300", "XX000"]) {
      expect(isReplicaFailure(Object.assign(new Error(code), { code }))).toBe(true);
    }
    // invalid input, conflict with recovery, statement timeout: retried on the primary, the replica stays up
    for (const code of ["22P02", "40001", "57014", "42P01"]) {
      expect(isReplicaFailure(Object.assign(new Error(code), { code }))).toBe(false);
    }
  });
});

describe("ReadReplicas.pick", () => {
  let lsn = 100n;
  const make = (n: number) =>
    new ReadReplicas({
      urls: Array.from({ length: n }, (_, i) => `postgres://127.0.0.1:${1 + i}/none`),
      poolSize: 1,
      statementTimeoutMs: 0,
      probeMs: 600_000,
      probeTimeoutMs: 10,
      logger: pino({ level: "silent" }),
      primaryLsn: async () => lsn,
    });

  it("keeps one client on one replica, spreads clients over all, and skips a replica that is down", async () => {
    const r = make(3);
    for (const replica of r.replicas) [replica.up, replica.replayed] = [true, 1000n];
    const clients = Array.from({ length: 300 }, (_, i) => `10.0.${i >> 8}.${i & 255}`);
    const first = clients.map((c) => r.pick(c));
    expect(clients.map((c) => r.pick(c))).toEqual(first);
    expect(new Set(first).size).toBe(3);
    r.replicas[1].up = false;
    const after = clients.map((c) => r.pick(c));
    // Its clients read the primary; nobody else moves (reads of a client never step back to an older replica).
    after.forEach((p, i) => expect(p).toBe(first[i] === r.replicas[1] ? undefined : first[i]));
    expect(r.down()).toEqual([r.replicas[1].name]);
    await r.stop();
  });

  it("sends a writer's reads to the primary until its replica has replayed the write", async () => {
    const r = make(1);
    const [replica] = r.replicas;
    [replica.up, replica.replayed] = [true, 90n];
    expect(r.pick("1.2.3.4")).toBe(replica);
    lsn = 100n;
    await r.noteWrite("1.2.3.4");
    expect(r.pick("1.2.3.4")).toBeUndefined();
    expect(r.pick("5.6.7.8")).toBe(replica); // other readers are not pinned
    replica.replayed = 99n;
    expect(r.pick("1.2.3.4")).toBeUndefined();
    replica.replayed = 100n;
    expect(r.pick("1.2.3.4")).toBe(replica);
    await r.stop();
  });

  it("a pinned client's read from the primary moves its pin up to the primary's position then", async () => {
    const r = make(1);
    const [replica] = r.replicas;
    [replica.up, replica.replayed] = [true, 0n];
    lsn = 200n;
    await r.noteWrite("9.9.9.9");
    lsn = 250n; // others wrote meanwhile; the pinned client's next read (primary) may have seen it
    expect(r.awaitsOwnWrite("9.9.9.9")).toBe(true);
    await r.noteWrite("9.9.9.9");
    replica.replayed = 200n;
    expect(r.pick("9.9.9.9")).toBeUndefined(); // past the write, but not past what it read
    replica.replayed = 250n;
    expect(r.pick("9.9.9.9")).toBe(replica);
    await r.stop();
  });

  it("with no replicas configured, everything reads the primary", async () => {
    const r = make(0);
    expect(r.pick("1.2.3.4")).toBeUndefined();
    await r.stop();
  });
});

describe("readRoutingPlugin", () => {
  /** One anonymous query (or mutation) through the plugin's hooks, as Apollo calls them. */
  async function run(replicas: ReadReplicas, operation: "query" | "mutation") {
    const plugin = readRoutingPlugin(replicas, pino({ level: "silent" }));
    const scope: RequestScope = { requestId: "r" };
    const request = { request: { http: { headers: new HeaderMap() } } };
    const hooks = (await plugin.requestDidStart!(request as never)) as Required<GraphQLRequestListener<Context>>;
    const args = { operation: { operation }, contextValue: { clientIp: "7.7.7.7", viewer: null } } as never;
    await requestScope.run(scope, async () => {
      await hooks.didResolveOperation(args);
      await hooks.willSendResponse(args);
    });
    return scope;
  }
  const replicasAt = (replayed: bigint) => {
    let lsn = 100n;
    const r = new ReadReplicas({
      urls: ["postgres://127.0.0.1:1/none"],
      poolSize: 1,
      statementTimeoutMs: 0,
      probeMs: 600_000,
      probeTimeoutMs: 10,
      logger: pino({ level: "silent" }),
      primaryLsn: async () => {
        asked++;
        return lsn;
      },
    });
    let asked = 0;
    [r.replicas[0].up, r.replicas[0].replayed] = [true, replayed];
    return { r, asked: () => asked, advance: (to: bigint) => (lsn = to) };
  };

  it("a writer's next read goes to the primary, skips the cache, and moves the pin up to what it saw", async () => {
    const { r, asked, advance } = replicasAt(50n);
    await run(r, "mutation");
    expect(asked()).toBe(1);
    advance(120n);
    const scope = await run(r, "query");
    expect([scope.readReplica, scope.freshRead, asked()]).toEqual([undefined, true, 2]);
    r.replicas[0].replayed = 100n;
    expect(r.pick("7.7.7.7")).toBeUndefined(); // pinned at 120 now
    await r.stop();
  });

  it("a pinned writer whose replica has replayed the write reads there, and its pin stays where it was", async () => {
    const { r, asked, advance } = replicasAt(50n);
    await run(r, "mutation");
    // The replica is past the write, but no probe has released the pin yet; meanwhile others wrote.
    r.replicas[0].replayed = 100n;
    advance(500n);
    const scope = await run(r, "query");
    expect([scope.readReplica, scope.freshRead]).toEqual([r.replicas[0], true]);
    // Not a read of the primary: no new pin at 500, which would send the next reads back to the primary.
    expect(asked()).toBe(1);
    expect(r.pick("7.7.7.7")).toBe(r.replicas[0]);
    await r.stop();
  });
});
