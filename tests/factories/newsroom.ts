/**
 * Helpers for the write-side tests (tests/newsroom): typed error assertions,
 * comment inputs with unique addresses, a response recorder for the email-leak
 * scan, a server started on a database the test keeps (for restarts and CLI
 * runs), and the CLI itself as a child process.
 */
import "reflect-metadata";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { print } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import type { Config } from "../../src/config";
import { loadConfig } from "../../src/config";
import { createLogger } from "../../src/logger";
import type { NewsgraphServer, ServerDeps } from "../../src/server";
import { createServer } from "../../src/server";
import type { AddCommentInput } from "../generated/graphql";
import type { TestDatabase } from "../support/database";
import type { GraphQLResult, RequestOptions } from "../support/server";

export type Result<R> = GraphQLResult<R>;

/** Asserts a successful response (HTTP 200, no errors) and returns its data. */
export function ok<R>(res: Result<R>): R {
  if (res.errors) throw new Error(`unexpected errors: ${JSON.stringify(res.errors)}`);
  expect(res.status).toBe(200);
  expect(res.data).toBeTruthy();
  return res.data!;
}

/**
 * Asserts exactly one error with `code`; with `fields`, asserts that
 * extensions.fields names exactly those input fields (each with a non-empty message).
 * Returns the error for further checks.
 */
export function expectError(res: Result<unknown>, code: string, fields?: string[]) {
  expect(res.errors).toBeDefined();
  expect(res.errors!.map((e) => e.extensions?.code)).toEqual([code]);
  const [error] = res.errors!;
  if (fields) {
    const given = (error!.extensions?.fields ?? {}) as Record<string, unknown>;
    expect(Object.keys(given).sort()).toEqual([...fields].sort());
    for (const f of fields) expect(given[f]).toEqual(expect.stringMatching(/\S/));
  }
  return error!;
}

let sequence = 0;
/** A value nobody else in this process has used. */
export function unique(prefix: string): string {
  sequence += 1;
  return `${prefix}-${process.pid}-${sequence}`;
}

/** A distinct, valid commenter address. */
export const uniqueEmail = (prefix = "reader") => `${unique(prefix)}@example.com`;

/** A valid addComment input with a fresh email and body; override what the test is about. */
export function commentInput(articleId: string, overrides: Partial<AddCommentInput> = {}): AddCommentInput {
  return {
    articleId,
    authorName: "Ada Reader",
    email: uniqueEmail(),
    body: `A thoughtful remark ${unique("body")}.`,
    ...overrides,
  };
}

/** Every form an address could leak in: as given, lowercased, and its usual hashes (Gravatar and friends). */
export function emailForms(email: string): string[] {
  const lower = email.trim().toLowerCase();
  const forms = new Set([email, lower]);
  for (const alg of ["md5", "sha1", "sha256"]) forms.add(createHash(alg).update(lower).digest("hex"));
  forms.add(Buffer.from(lower).toString("base64"));
  return [...forms];
}

export interface GraphQLClient {
  request<R, V>(doc: TypedDocumentNode<R, V>, variables?: V, options?: RequestOptions): Promise<Result<R>>;
  post(body: unknown, options?: RequestOptions & { contentType?: string }): Promise<{ status: number; json: any }>;
}

/** A client for any server URL, as tests/support/server.ts does it. */
export function httpClient(url: () => string): GraphQLClient {
  const headersFor = (options: RequestOptions & { contentType?: string }) => ({
    "content-type": options.contentType ?? "application/json",
    accept: "application/graphql-response+json, application/json",
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...options.headers,
  });
  return {
    async request(doc, variables, options = {}) {
      const res = await fetch(url(), {
        method: "POST",
        headers: headersFor(options),
        body: JSON.stringify({ query: print(doc), variables }),
      });
      const json = (await res.json()) as { data?: any; errors?: any };
      return { status: res.status, data: json.data, errors: json.errors, headers: res.headers };
    },
    async post(body, options = {}) {
      const res = await fetch(url(), {
        method: "POST",
        headers: headersFor(options),
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let json: any;
      try {
        json = JSON.parse(text);
      } catch {
        json = text;
      }
      return { status: res.status, json };
    },
  };
}

/**
 * Wraps a client so that every response body (and header) it sees is kept:
 * the email-leak tests scan them all for the addresses the file submitted
 * (`leaks()`), in a test and once more after the file's last test.
 */
export function recording(client: GraphQLClient) {
  const responses: string[] = [];
  const submitted = new Set<string>();
  const noteEmails = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(noteEmails);
    else if (value && typeof value === "object") {
      for (const [key, v] of Object.entries(value)) {
        if (/email/i.test(key) && typeof v === "string" && v.trim()) submitted.add(v);
        else noteEmails(v);
      }
    }
  };
  const wrapped: GraphQLClient = {
    async request(doc, variables, options) {
      noteEmails(variables);
      const res = await client.request(doc, variables, options);
      responses.push(JSON.stringify({ data: res.data, errors: res.errors, headers: [...res.headers] }));
      return res;
    },
    async post(body, options) {
      noteEmails(body);
      const res = await client.post(body, options);
      responses.push(typeof res.json === "string" ? res.json : JSON.stringify(res.json));
      return res;
    },
  };
  /**
   * Every submitted address (those with an @: short bad-input values like "nope" would match
   * innocent text) found in any recorded response, in any of its forms, as "email as form: response".
   */
  const leaks = (): string[] => {
    const found: string[] = [];
    for (const email of submitted) {
      if (!email.includes("@")) continue;
      for (const form of emailForms(email)) {
        const hit = responses.find((r) => r.includes(form));
        if (hit) found.push(`${email} as ${form}: ${hit.slice(0, 200)}`);
      }
    }
    return found;
  };
  return { client: wrapped, responses, submitted, leaks };
}

/** Server config as tests/support/server.ts builds it, on a database the caller owns. */
export function testConfig(db: TestDatabase, overrides: Partial<Config> = {}): Config {
  return loadConfig(
    {},
    {
      port: 0,
      host: "127.0.0.1",
      databaseUrl: db.databaseUrl,
      dataDir: db.dataDir,
      seedDemo: true,
      schedulerIntervalMs: 0,
      logLevel: process.env.TEST_LOG_LEVEL ?? "silent",
      // No webhook worker unless a test asks for one (tests/webhook): its polls would add statements to SQL counts.
      webhooks: { ...loadConfig({}).webhooks, pollMs: 0 },
      ...overrides,
    },
  );
}

/**
 * Starts the real server on `db` without owning it: stop() leaves the database
 * in place, so another instance (or the CLI) can open it afterwards.
 */
export async function startOn(
  db: TestDatabase,
  overrides: Partial<Config> = {},
  deps: ServerDeps = {},
): Promise<NewsgraphServer & GraphQLClient> {
  const config = testConfig(db, overrides);
  const server = await createServer(config, { logger: createLogger(config.logLevel, "newsgraph-test"), ...deps });
  await server.start();
  const client = httpClient(() => server.url);
  // The server stays the prototype, so every member it has (now or later) shows through, url's getter included.
  return Object.assign(Object.create(server) as NewsgraphServer, client);
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the compiled CLI (dist/src/cli/index.js) against `db`, as an operator would. */
export function runCli(db: TestDatabase, args: string[]): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: db.dataDir };
  delete env.LOG_LEVEL;
  if (db.databaseUrl) env.DATABASE_URL = db.databaseUrl;
  else delete env.DATABASE_URL;
  const script = join(__dirname, "..", "..", "dist", "src", "cli", "index.js");
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Waits (politely, without assuming any timing) until `check` holds; fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
