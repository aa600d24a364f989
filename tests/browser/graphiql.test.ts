/**
 * GraphiQL at /graphql in a real browser, with every request that does not go
 * to the test server aborted (and counted): it must load and work from the
 * server's own assets and under its strict CSP, run queries with an
 * Authorization header (which never reaches the browser's storage), and run
 * subscriptions over graphql-ws.
 */
import type { Page } from "playwright-core";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";
import type { Browser } from "./browser";
import {
  articleId,
  describeInBrowser,
  eventually,
  launchBrowser,
  postComment,
  waitForSubscriptions,
  screenshotPath,
} from "./browser";

describeInBrowser("GraphiQL", () => {
  let server: TestServer;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    server = await startTestServer({ commentRateLimit: 100_000 });
    origin = new URL(server.url).origin;
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
  });

  // A browser of each test's own: GraphiQL keeps its tabs and history in the browser's storage, and
  // each test must find the page as a first visit does (and count only its own CSP reports).
  beforeEach(async () => {
    browser = await launchBrowser();
  }, 120_000);

  afterEach(async () => {
    await browser?.close();
  });

  /** One of GraphiQL's CodeMirror editors. */
  const editor = (page: Page, selector: string) => {
    const cm = `document.querySelector(${JSON.stringify(`${selector} .CodeMirror`)}).CodeMirror`;
    return {
      get: () => page.evaluate(`${cm}.getValue()`),
      /** Replaces the text, then waits until GraphiQL has parsed it (it does so 100 ms after an edit). */
      async set(text: string, operationName: string) {
        await page.evaluate(`${cm}.setValue(${JSON.stringify(text)})`);
        await eventually(
          async () => (await page.evaluate(`${cm}.operationName`)) === operationName,
          `GraphiQL to take in operation ${operationName}`,
        );
      },
    };
  };

  test("loads with no outside request, runs a query with an Authorization header, and a subscription", async () => {
    const page = await browser.context.newPage();
    const outside: string[] = [];
    const requested: string[] = [];
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (new URL(url).origin !== origin) {
        outside.push(url);
        return route.abort();
      }
      return route.continue();
    });
    page.on("request", (request) => requested.push(request.url()));
    const sockets: string[] = [];
    page.on("websocket", (ws) => sockets.push(ws.url()));
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));

    const response = await page.goto(`${origin}/graphql`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-type"]).toMatch(/^text\/html/);
    await page.locator(".graphiql-query-editor .CodeMirror").waitFor();
    const query = editor(page, ".graphiql-query-editor");
    const result = editor(page, ".graphiql-response");

    // Opens with the example front-page query; running it shows the front page.
    expect(await query.get()).toContain("query FrontPage");
    await page.locator(".graphiql-execute-button").click();
    const frontPage = await eventually(async () => {
      const text = String(await result.get());
      return text.includes('"articles"') && text.includes('"title"') ? text : undefined;
    }, "the front-page query's result");
    expect(frontPage).toContain('"authors"');
    await page.screenshot({ path: screenshotPath("graphiql.png") });

    // An Authorization header set in the headers editor reaches the server.
    const token = await server.token("ed", "EDITOR");
    await page.locator("button", { hasText: "Headers" }).click();
    await page.locator(".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror").waitFor();
    await page.evaluate(
      `document.querySelector(".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror").CodeMirror.setValue(${JSON.stringify(
        JSON.stringify({ Authorization: `Bearer ${token}` }),
      )})`,
    );
    await query.set("query Me { viewer { role author { slug } } }", "Me");
    await page.locator(".graphiql-execute-button").click();
    await eventually(async () => String(await result.get()).includes('"role": "EDITOR"'), "viewer.role EDITOR");

    // A subscription runs over graphql-ws and shows events as they come.
    const id = await articleId(server, "ferry-fares-frozen-in-draft-budget");
    const before = server.services.feedDispatcher.listenerCount;
    await query.set(
      `subscription Watch {\n  commentAdded(articleId: ${JSON.stringify(id)}) {\n    cursor\n    comment { authorName body }\n  }\n}`,
      "Watch",
    );
    await page.locator(".graphiql-execute-button").click();
    await waitForSubscriptions(server, before + 1);
    const body = "Seen in GraphiQL: a comment delivered over the subscription.";
    await postComment(server, id, body, "GraphiQL Watcher");
    await eventually(async () => String(await result.get()).includes(body), "the comment in the subscription's result");
    expect(String(await result.get())).toContain('"authorName": "GraphiQL Watcher"');

    // A mutation runs too (with the editor's token), and the open subscription shows what it caused.
    await page.locator(".graphiql-execute-button").click(); // stops the subscription
    await query.set(
      `mutation Post {\n  addComment(input: { articleId: ${JSON.stringify(id)}, authorName: "GraphiQL", email: "g@example.org", body: "Posted from GraphiQL" }) {\n    comment { status body }\n  }\n}`,
      "Post",
    );
    await page.locator(".graphiql-execute-button").click();
    await eventually(
      async () => String(await result.get()).includes('"status": "APPROVED"'),
      async () => `the mutation's result (have ${await result.get()})`,
    );

    expect(outside).toEqual([]);
    expect(requested.filter((url) => new URL(url).origin !== origin)).toEqual([]);
    expect(sockets.length).toBeGreaterThan(0);
    for (const url of sockets) expect(new URL(url).host).toBe(new URL(origin).host);
    expect(errors).toEqual([]);
    expect(browser.cspViolations).toEqual([]);
    await page.close();
  });

  /** Everything in the page's localStorage and sessionStorage, as one text. */
  const storageText = async (page: Page): Promise<string> =>
    String(
      await page.evaluate(`[localStorage, sessionStorage]
        .flatMap((s) => Array.from({ length: s.length }, (_, i) => s.key(i) + "=" + s.getItem(s.key(i))))
        .join("\\n")`),
    );

  const headersEditor = ".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror";

  test("the Authorization header is never stored: not in tabs, history or headers, not even after a reload", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${origin}/graphql`);
    // What an earlier version (shouldPersistHeaders: true) left in storage is scrubbed on load.
    const stale = "stale-token-from-an-earlier-version";
    const staleHeaders = JSON.stringify({ Authorization: `Bearer ${stale}` });
    const staleHistory = { queries: [{ query: "{ viewer { role } }", variables: null, headers: staleHeaders }] };
    await page.evaluate(`
      localStorage.setItem("graphiql:headers", ${JSON.stringify(staleHeaders)});
      localStorage.setItem("graphiql:shouldPersistHeaders", "true");
      localStorage.setItem("graphiql:queries", ${JSON.stringify(JSON.stringify(staleHistory))});`);
    await page.reload();
    await page.locator(".graphiql-query-editor .CodeMirror").waitFor();
    const query = editor(page, ".graphiql-query-editor");
    const result = editor(page, ".graphiql-response");

    const token = await server.token("storage-editor", "EDITOR");
    await page.locator("button", { hasText: "Headers" }).click();
    await page.locator(headersEditor).waitFor();
    await page.evaluate(
      `document.querySelector(${JSON.stringify(headersEditor)}).CodeMirror.setValue(${JSON.stringify(
        JSON.stringify({ Authorization: `Bearer ${token}` }),
      )})`,
    );
    await query.set("query StoredMe { viewer { role author { slug } } }", "StoredMe");
    await page.locator(".graphiql-execute-button").click();
    await eventually(
      async () => String(await result.get()).includes('"slug": "storage-editor"'),
      "viewer as the editor",
    );
    // A second tab, so the tab state holds more than one set of headers.
    await page.locator(".graphiql-tab-add").click();
    await query.set("query SecondTab { __typename }", "SecondTab");
    await page.locator(".graphiql-execute-button").click();
    await eventually(async () => String(await result.get()).includes('"__typename"'), "the second tab's result");

    // GraphiQL does store (the query, its tabs, its history): only the headers are left out.
    const stored = await eventually(async () => {
      const text = await storageText(page);
      // GraphiQL writes its tab state after a debounce: wait for all three before inspecting them.
      const complete = ["query StoredMe", "query SecondTab", "graphiql:queries", "graphiql:tabState"];
      return complete.every((part) => text.includes(part)) ? text : undefined;
    }, "GraphiQL to store its tabs and history");
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(stale);
    expect(stored).not.toMatch(/Bearer/i);

    await page.reload();
    await page.locator(".graphiql-query-editor .CodeMirror").waitFor();
    await eventually(async () => String(await query.get()).includes("SecondTab"), "the restored tabs");
    const afterReload = await storageText(page);
    expect(afterReload).toContain("query StoredMe");
    expect(afterReload).not.toContain(token);
    expect(afterReload).not.toMatch(/Bearer/i);
    // GraphiQL's own "persist headers" setting is not offered (it would say something that is not so).
    await page.locator(".graphiql-sidebar button[aria-label='Open settings dialog']").click();
    await page.locator(".graphiql-dialog").waitFor();
    expect(await page.locator(".graphiql-dialog").textContent()).not.toContain("Persist headers");
    await page.keyboard.press("Escape");
    // The history panel (GraphiQL's plugins render under the CSP too).
    await page.locator(".graphiql-sidebar button[aria-label$='History']").click();
    await page.locator(".graphiql-history").waitFor();
    expect(await storageText(page)).not.toContain(token);
    expect(browser.cspViolations).toEqual([]);
    await page.close();
  });
});
