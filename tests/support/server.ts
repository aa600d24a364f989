import "reflect-metadata";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { print } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import type { Config } from "../../src/config";
import { loadConfig } from "../../src/config";
import { createLogger } from "../../src/logger";
import type { NewsgraphServer, ServerDeps } from "../../src/server";
import { createServer } from "../../src/server";
import type { Role } from "../../src/modules/auth/role";
import { insertAuthor } from "../../src/modules/author/author-insert";
import { createTestDatabase } from "./database";

export interface TestServer extends NewsgraphServer {
  /** Runs a typed operation over real HTTP POST. */
  request<R, V>(doc: TypedDocumentNode<R, V>, variables?: V, options?: RequestOptions): Promise<GraphQLResult<R>>;
  /** Issues an API token for an author (creating the author when the slug is new). */
  token(authorSlug: string, role: Role | "WRITER" | "EDITOR" | "ADMIN"): Promise<string>;
  /** Posts a raw body (for malformed-input tests). */
  post(body: unknown, options?: RequestOptions & { contentType?: string }): Promise<{ status: number; json: any }>;
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
}

export interface GraphQLResult<R> {
  status: number;
  data: R | null | undefined;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
  headers: Headers;
}

/**
 * Starts the real server (HTTP on a free port) on a database of this test file's
 * own, migrated and seeded with the demo content.
 */
export async function startTestServer(overrides: Partial<Config> = {}, deps: ServerDeps = {}): Promise<TestServer> {
  const database = await createTestDatabase();
  // Each server's images (the demo's lead images, uploads) in a directory of its own, gone at stop.
  const imageDir = mkdtempSync(join(tmpdir(), "newsgraph-test-images-"));
  const config = loadConfig(
    {},
    {
      port: 0,
      host: "127.0.0.1",
      databaseUrl: database.databaseUrl,
      dataDir: database.dataDir,
      seedDemo: true,
      schedulerIntervalMs: 0,
      logLevel: process.env.TEST_LOG_LEVEL ?? "silent",
      images: loadConfig({ IMAGE_DIR: imageDir }).images,
      // No webhook worker unless a test asks for one (tests/webhook): its polls would add statements to SQL counts.
      webhooks: { ...loadConfig({}).webhooks, pollMs: 0 },
      ...overrides,
    },
  );
  const server = await createServer(config, { logger: createLogger(config.logLevel, "newsgraph-test"), ...deps });
  await server.start();

  const post: TestServer["post"] = async (body, options = {}) => {
    const res = await fetch(server.url, {
      method: "POST",
      headers: {
        "content-type": options.contentType ?? "application/json",
        accept: "application/graphql-response+json, application/json",
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body: typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: res.status, json, headers: res.headers };
  };

  return {
    ...server,
    url: server.url,
    get openSockets() {
      return server.openSockets;
    },
    post,
    async token(authorSlug, role) {
      await insertAuthor(server.db, { slug: authorSlug, name: authorSlug.replace(/-/g, " ") });
      return server.services.auth.createToken(authorSlug, role as Role);
    },
    async request<R, V>(doc: TypedDocumentNode<R, V>, variables?: V, options: RequestOptions = {}) {
      const res = await fetch(server.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/graphql-response+json, application/json",
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...options.headers,
        },
        body: JSON.stringify({ query: print(doc), variables }),
      });
      const json = (await res.json()) as { data?: R; errors?: GraphQLResult<R>["errors"] };
      return { status: res.status, data: json.data, errors: json.errors, headers: res.headers };
    },
    async stop() {
      await server.stop();
      await database.drop();
      rmSync(imageDir, { recursive: true, force: true });
    },
  };
}
