/**
 * The GraphQL-over-HTTP conformance audit of the `graphql-http` package
 * (auditServer) against the real server with its default configuration:
 * zero MUST failures; every SHOULD warning is a known, explained one (listed
 * below, and to be listed in the README). The summary is printed.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { AuditResult } from "graphql-http";
import { auditServer } from "graphql-http";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

let server: TestServer;
let results: AuditResult[];
beforeAll(async () => {
  server = await startTestServer();
  results = await auditServer({ url: server.url });
});
afterAll(() => server?.stop());

/**
 * SHOULD items the server does not follow, and why. A new warning fails the
 * test until it is fixed or explained here (and in the README).
 */
const APOLLO_400 =
  "Apollo Server answers every request error (parse, validation, variable coercion) with 400 whatever the " +
  "Accept header; 400 is what the spec requires for application/graphql-response+json, which every current " +
  "client (and GraphiQL here) asks for. The 200 that the spec recommends for legacy application/json clients " +
  "would need a status override of Apollo's responses in http-handler.ts.";
const KNOWN_WARNINGS: Record<string, string> = {
  "SHOULD use 200 status code on document parsing failure when accepting application/json": APOLLO_400,
  "SHOULD use 200 status code on document validation failure when accepting application/json": APOLLO_400,
  "SHOULD use a status code of 200 on variable coercion failure when accepting application/json": APOLLO_400,
};

async function describeResult(r: AuditResult): Promise<string> {
  if (r.status === "ok") return `ok      ${r.name}`;
  let body = "";
  try {
    body = (await r.response.clone().text()).slice(0, 300);
  } catch {
    body = "(body already read)";
  }
  return `${r.status.padEnd(7)} ${r.name}\n          reason: ${r.reason}\n          server answered ${r.response.status}: ${body}`;
}

test("GraphQL over HTTP audit: zero MUST failures (summary printed)", async () => {
  const counts: Record<string, number> = {};
  for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
  const failing = results.filter((r) => r.status !== "ok");
  console.log(
    `graphql-http auditServer: ${results.length} audits, ${JSON.stringify(counts)}\n` +
      (await Promise.all(failing.map(describeResult))).join("\n"),
  );
  const errors = failing.filter((r) => r.status === "error");
  expect(errors.map((r) => r.name)).toEqual([]);
});

test("every SHOULD warning is a known one, with its reason, and every known one still occurs", () => {
  const warnings = results.filter((r) => r.status === "warn").map((r) => r.name);
  expect(warnings.filter((name) => !(name in KNOWN_WARNINGS))).toEqual([]);
  // A warning fixed since leaves a stale reason (here and in the README): the list is exactly what the audit says.
  expect([...warnings].sort()).toEqual(Object.keys(KNOWN_WARNINGS).sort());
});

// The issue asks for each SHOULD warning to be listed in the README with its reason.
test("the README lists every SHOULD warning", () => {
  const warnings = results.filter((r) => r.status === "warn").map((r) => r.name);
  const readme = join(__dirname, "../../README.md");
  const text = existsSync(readme) ? readFileSync(readme, "utf8") : "";
  expect(warnings).toHaveLength(Object.keys(KNOWN_WARNINGS).length);
  expect(warnings.filter((name) => !text.includes(name))).toEqual([]);
});
