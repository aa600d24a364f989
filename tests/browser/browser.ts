/**
 * Shared pieces of the browser tests: Debian's chromium driven by
 * playwright-core (no browser download), the widget build, GraphQL over HTTP
 * as "another client", and polling helpers with generous deadlines.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { chromium } from "playwright-core";
import { buildWidgetOnce } from "../support/build-once";
import type { TestServer } from "../support/server";

export const CHROMIUM = "/usr/bin/chromium";
export const WAIT_MS = 10_000;

/** describe(), or describe.skip() with a clear message when chromium is not installed. */
export function describeInBrowser(name: string, body: () => void): void {
  if (existsSync(CHROMIUM)) {
    describe(name, body);
    return;
  }
  console.warn(`SKIPPED browser tests "${name}": ${CHROMIUM} is missing. Install it with: apt-get install -y chromium`);
  describe.skip(name, body);
}

/** Builds dist/widget/live-blog.js (what the server serves at /widget/live-blog.js), once per test run. */
export const buildWidget = buildWidgetOnce;

export interface Browser {
  context: BrowserContext;
  /**
   * Every Content-Security-Policy violation any page of this browser reported, as
   * "directive: blocked (source)". The pages must work under their CSP: a test file checks this is empty.
   */
  cspViolations: string[];
  close(): Promise<void>;
}

const CSP_TAG = "newsgraph-csp-violation";

/** Headless chromium with a new, empty user data dir. */
export async function launchBrowser(): Promise<Browser> {
  const userDataDir = mkdtempSync(join(tmpdir(), "newsgraph-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 1280, height: 800 },
    timeout: 60_000,
  });
  context.setDefaultTimeout(WAIT_MS);
  const cspViolations: string[] = [];
  // Runs before any page script (and is not itself subject to the page's CSP).
  await context.addInitScript(`document.addEventListener("securitypolicyviolation", (e) => {
    console.error(${JSON.stringify(CSP_TAG)}, e.violatedDirective + ": " + e.blockedURI + " (" + e.sourceFile + ":" + e.lineNumber + ")");
  });`);
  const watch = (page: Page) =>
    page.on("console", (message) => {
      const text = message.text();
      if (text.startsWith(CSP_TAG)) cspViolations.push(`${page.url()}: ${text.slice(CSP_TAG.length).trim()}`);
      else if (message.type() === "error" && /Content Security Policy/i.test(text)) {
        cspViolations.push(`${page.url()}: ${text}`);
      }
    });
  context.pages().forEach(watch);
  context.on("page", watch);
  return {
    context,
    cspViolations,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns something truthy; fails after `timeoutMs` saying what it waited for. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  what: string | (() => string | Promise<string>),
  timeoutMs = WAIT_MS,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === "string" ? what : await what()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs an operation over HTTP as another client; fails on GraphQL errors. */
export async function gql<T = any>(
  server: TestServer,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const res = await server.post({ query, variables }, token ? { token } : {});
  if (res.json?.errors?.length || !res.json?.data) {
    throw new Error(`GraphQL failed (${res.status}): ${JSON.stringify(res.json)}`);
  }
  return res.json.data as T;
}

export async function articleId(server: TestServer, slug: string): Promise<string> {
  const data = await gql<{ article: { id: string } }>(
    server,
    "query ($slug: String!) { article(slug: $slug) { id } }",
    {
      slug,
    },
  );
  return data.article.id;
}

/** Posts an approved (post-moderation) comment as a reader on another client. */
export async function postComment(
  server: TestServer,
  articleIdValue: string,
  body: string,
  authorName = "Second Reader",
  parentId: string | null = null,
): Promise<{ id: string; status: string }> {
  const data = await gql<{ addComment: { comment: { id: string; status: string } } }>(
    server,
    "mutation ($input: AddCommentInput!) { addComment(input: $input) { comment { id status } } }",
    { input: { articleId: articleIdValue, parentId, authorName, email: "reader@example.com", body } },
  );
  return data.addComment.comment;
}

/** Resolves once the server's feed has at least `count` live subscriptions set up. */
export function waitForSubscriptions(server: TestServer, count: number): Promise<true> {
  return eventually(
    () => server.services.feedDispatcher.listenerCount >= count || undefined,
    () => `${count} feed subscriptions (have ${server.services.feedDispatcher.listenerCount})`,
  );
}

/**
 * Resolves once no subscription is left (the previous test's pages are gone). Generous: a socket
 * cut while offline may only be noticed by the server's keep-alive (12 s).
 */
export function waitForNoSubscriptions(server: TestServer): Promise<true> {
  return eventually(
    () => server.services.feedDispatcher.listenerCount === 0 || undefined,
    () => `no feed subscriptions (have ${server.services.feedDispatcher.listenerCount})`,
    30_000,
  );
}

/**
 * Where browser tests save their screenshots: a temporary folder, so `npm test`
 * never rewrites tracked files. `npm run docs:screenshots` points it at docs/
 * (NEWSGRAPH_SCREENSHOTS=docs) to refresh README's images on purpose.
 */
export function screenshotPath(name: string): string {
  const dir = process.env.NEWSGRAPH_SCREENSHOTS
    ? resolve(__dirname, "../..", process.env.NEWSGRAPH_SCREENSHOTS)
    : join(tmpdir(), "newsgraph-screenshots");
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
