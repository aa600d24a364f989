/**
 * The live-blog widget in a real browser (Debian's chromium via playwright-core),
 * on the demo article pages /live/SLUG of a real server. The seeded article SLUG
 * is commented on only by the test that checks its seeded thread; the tests
 * that comment or edit use articles of their own, so any order passes.
 */
import type { Page } from "playwright-core";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";
import type { Browser } from "./browser";
import {
  articleId,
  buildWidget,
  describeInBrowser,
  eventually,
  gql,
  launchBrowser,
  postComment,
  waitForNoSubscriptions,
  waitForSubscriptions,
  screenshotPath,
} from "./browser";

const SLUG = "ferry-fares-frozen-in-draft-budget";

describeInBrowser("live-blog widget", () => {
  let server: TestServer;
  let browser: Browser;
  let origin: string;
  let ferryId: string;
  let editor: string;

  beforeAll(async () => {
    await buildWidget();
    server = await startTestServer({ commentRateLimit: 100_000 });
    origin = new URL(server.url).origin;
    browser = await launchBrowser();
    ferryId = await articleId(server, SLUG);
    editor = await server.token("ed", "EDITOR");
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  afterEach(async () => {
    for (const page of browser.context.pages()) await page.close();
    await waitForNoSubscriptions(server);
    // The demo pages work under their strict CSP: nothing they (or the widget) do is refused.
    expect(browser.cspViolations).toEqual([]);
  });

  let published = 0;
  /**
   * A published article of the calling test's own, in City Hall (so its demo page has both widgets, as
   * SLUG's has). The tests that comment on an article or edit it use one: SLUG's demo thread and text
   * stay as seeded, for the test that checks them.
   */
  async function ownArticle(title: string): Promise<{ id: string; slug: string }> {
    const created = await gql<{ createArticle: { id: string; slug: string } }>(
      server,
      "mutation ($input: CreateArticleInput!) { createArticle(input: $input) { id slug } }",
      {
        input: {
          title: `${title} (${++published})`,
          standfirst: "Fennick Island's crossings, as they happen.",
          body: "Port Averne City Council and the ferry operator report here as the day goes on.",
          topicSlugs: ["city-hall"],
        },
      },
      editor,
    );
    await gql(
      server,
      "mutation ($id: ID!) { publishArticle(id: $id) { id } }",
      { id: created.createArticle.id },
      editor,
    );
    return created.createArticle;
  }

  /** Opens the demo page and waits until its widgets are live (every subscription set up on the server). */
  async function openDemo(slug = SLUG): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    const response = await page.goto(`${origin}/live/${slug}`);
    expect(response?.status()).toBe(200);
    await waitUntilLive(page);
    return { page, errors };
  }

  async function waitUntilLive(page: Page): Promise<void> {
    await page.locator("[data-newsgraph-article] .ngw-status[data-state=live]").waitFor();
    const widgets = await page.locator("[data-newsgraph-article], [data-newsgraph-topic]").count();
    // Article mode subscribes to commentAdded and articleUpdated; topic mode to articlePublished.
    await waitForSubscriptions(server, widgets === 2 ? 3 : 2);
  }

  const article = (page: Page) => page.locator("[data-newsgraph-article]");
  const commentBodies = (page: Page, text: string) =>
    article(page).locator(".ngw-comment-body").filter({ hasText: text });

  async function inViewport(page: Page, selector: ReturnType<Page["locator"]>): Promise<boolean> {
    const box = await selector.boundingBox();
    const viewport = page.viewportSize()!;
    return !!box && box.y >= 0 && box.y + box.height <= viewport.height;
  }

  test("serves the bundle, and a 404 page for an unknown article", async () => {
    const js = await fetch(`${origin}/widget/live-blog.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(await js.text()).toContain("data-newsgraph-article");
    const missing = await fetch(`${origin}/live/no-such-article`, { headers: { accept: "text/html" } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await missing.text()).toContain("Page not found");
  });

  test("shows the article, its thread and the comment form; a comment from another client appears live", async () => {
    const { page, errors } = await openDemo();
    const widget = article(page);
    expect(await widget.locator("h1.ngw-title").textContent()).toBe(
      "Ferry fares frozen for a year as council unveils draft budget",
    );
    expect(await widget.locator(".ngw-standfirst").textContent()).toContain("Fennick Island commuters get a reprieve");
    expect(await widget.locator(".ngw-byline .ngw-authors").textContent()).toBe("By Maya Okafor and Declan Shore");
    expect(await widget.locator(".ngw-body h2").textContent()).toBe("Where the money comes from");
    // Replies are nested under the comment they answer.
    const martin = widget
      .locator(".ngw-comment")
      .filter({ has: page.locator(":scope > article .ngw-author", { hasText: "Martin Ferris" }) });
    expect(await martin.locator(".ngw-replies .ngw-comment-body").textContent()).toContain(
      "There's no road to the island, Martin.",
    );
    expect(await widget.locator(".ngw-comments-title").textContent()).toBe("4 comments");

    // The form of a news page.
    const form = widget.locator("form.ngw-form");
    expect(await form.locator(".ngw-form-note").textContent()).toBe(
      "Your email address will not be published. Required fields are marked *",
    );
    const labels = (await form.locator(".ngw-field label").allTextContents()).map((l) => l.trim());
    expect(labels).toEqual(["Comment *", "Name *", "Email *", "Website"]);
    for (const name of ["body", "authorName", "email"]) {
      expect(await form.locator(`[name=${name}]`).getAttribute("required")).not.toBeNull();
    }
    expect(await form.locator("[name=website]").getAttribute("required")).toBeNull();
    const honeypot = await form.locator("[name=honeypot]").boundingBox();
    expect(honeypot === null || honeypot.x + honeypot.width <= 0).toBe(true);

    // The reader is at the top of the page: a new comment lands in the thread without moving the page,
    // and a pill says so.
    expect(await page.evaluate("window.scrollY")).toBe(0);
    const body = "Live from the quay: the 07:10 crossing left on time this morning.";
    await postComment(server, ferryId, body, "Ines Calloway");
    const live = commentBodies(page, body);
    await live.waitFor({ state: "attached" });
    const pill = page.locator(".ngw-pill:visible");
    await pill.waitFor();
    expect(await pill.textContent()).toContain("1 new comment");
    expect(await page.evaluate("window.scrollY")).toBe(0);
    expect(await widget.locator(".ngw-comments-title").textContent()).toBe("5 comments");

    await pill.click();
    await eventually(() => inViewport(page, live), "the new comment to be scrolled into view");
    await page.locator(".ngw-pill:visible").waitFor({ state: "detached" });
    expect(await commentBodies(page, body).count()).toBe(1);

    await page.screenshot({ path: screenshotPath("widget.png"), fullPage: true });
    expect(errors).toEqual([]);
  });

  test("after the network is cut, the comments posted meanwhile appear exactly once each, in order", async () => {
    const own = await ownArticle("Outage watch");
    const { page } = await openDemo(own.slug);
    const sent: any[] = [];
    page.on("websocket", (ws) =>
      ws.on("framesent", (frame) => {
        try {
          sent.push(JSON.parse(String(frame.payload)));
        } catch {
          // not JSON: ignore
        }
      }),
    );
    const key = `newsgraph:cursor:article:${own.id}`;
    const storedCursor = () => page.evaluate(`JSON.parse(sessionStorage.getItem(${JSON.stringify(key)}))`);

    await postComment(server, own.id, "Before the outage: any news on the night ferry?");
    await commentBodies(page, "Before the outage").waitFor({ state: "attached" });
    const cursorBefore = await storedCursor();
    expect(typeof cursorBefore).toBe("string");

    await browser.context.setOffline(true);
    await article(page).locator(".ngw-status", { hasText: "Reconnecting" }).waitFor();
    const bodies = ["Outage comment one", "Outage comment two", "Outage comment three"];
    for (const body of bodies) await postComment(server, own.id, body, "Offline Tester");
    // The page has no network: nothing can have arrived yet.
    expect(await commentBodies(page, "Outage comment").count()).toBe(0);

    await browser.context.setOffline(false);
    await eventually(
      async () => (await commentBodies(page, "Outage comment").count()) >= 3,
      "the three comments posted while offline",
    );
    await article(page).locator(".ngw-status[data-state=live]").waitFor();
    // Resumed from the last cursor it had seen.
    const resubscribed = sent.find((m) => m.type === "subscribe" && /commentAdded/.test(m.payload?.query));
    expect(resubscribed?.payload.variables.since).toBe(cursorBefore);
    await waitForSubscriptions(server, 3);
    await expectThreadOnce(page, bodies);

    // A reload resumes the same way: rendered from the query, resubscribed with the stored cursor, nothing twice.
    const cursorAfter = await storedCursor();
    expect(cursorAfter).not.toBe(cursorBefore);
    sent.length = 0;
    await page.reload();
    await waitUntilLive(page);
    const afterReload = sent.find((m) => m.type === "subscribe" && /commentAdded/.test(m.payload?.query));
    expect(afterReload?.payload.variables.since).toBe(cursorAfter);
    await expectThreadOnce(page, bodies);
    await postComment(server, own.id, "Outage comment four, after the reload");
    await commentBodies(page, "Outage comment four").waitFor({ state: "attached" });
    await expectThreadOnce(page, [...bodies, "Outage comment four, after the reload"]);
  });

  /** The outage comments appear once each, in this order, and no comment is shown twice. */
  async function expectThreadOnce(page: Page, bodies: string[]): Promise<void> {
    const texts = await article(page).locator(".ngw-comment-body").allTextContents();
    expect(texts.filter((t) => t.startsWith("Outage comment"))).toEqual(bodies);
    const ids = await article(page)
      .locator(".ngw-comment")
      .evaluateAll((els) => els.map((el) => el.getAttribute("data-comment-id")));
    expect(new Set(ids).size).toBe(ids.length);
  }

  test("on a first visit, a comment made between the page's query and its subscription still appears", async () => {
    const own = await ownArticle("First visit");
    await postComment(server, own.id, "Already here when the page queries its thread.");
    const page = await browser.context.newPage();
    // Hold the live connection back: every WebSocket attempt is refused until `released`.
    let released = false;
    let refused = 0;
    await page.routeWebSocket(/\/graphql$/, (ws) => {
      if (!released) {
        refused++;
        void ws.close();
        return;
      }
      ws.connectToServer();
    });
    await page.goto(`${origin}/live/${own.slug}`);
    await article(page).locator(".ngw-comment").first().waitFor(); // rendered from the query
    await eventually(() => refused > 0, "a refused WebSocket attempt");
    const body = "Posted while the widget had its thread but no subscription yet.";
    await postComment(server, own.id, body);
    released = true;
    await commentBodies(page, body).waitFor({ state: "attached" });
    await waitUntilLive(page);
    expect(await commentBodies(page, body).count()).toBe(1);
  });

  test("a stored cursor the server does not know is dropped, and the widget goes live without it", async () => {
    const own = await ownArticle("Stale cursor");
    const page = await browser.context.newPage();
    const key = `newsgraph:cursor:article:${own.id}`;
    const unknown = Buffer.from("e:1:987654321").toString("base64url");
    await page.addInitScript(
      `sessionStorage.setItem(${JSON.stringify(key)}, ${JSON.stringify(JSON.stringify(unknown))})`,
    );
    await page.goto(`${origin}/live/${own.slug}`);
    await waitUntilLive(page);
    const body = "Live again after a stale cursor.";
    await postComment(server, own.id, body);
    await commentBodies(page, body).waitFor({ state: "attached" });
    const stored = await page.evaluate(`JSON.parse(sessionStorage.getItem(${JSON.stringify(key)}))`);
    expect(typeof stored).toBe("string");
    expect(stored).not.toBe(unknown);
  });

  test("deep replies load on demand, and the deepest level offers no Reply", async () => {
    const slug = "harbour-flood-barrier-delayed-again";
    const id = await articleId(server, slug);
    let parent: string | null = null;
    for (let depth = 0; depth <= 5; depth++) {
      parent = (await postComment(server, id, `Chain level ${depth}`, `Level ${depth}`, parent)).id;
    }
    const { page } = await openDemo(slug);
    const level = (n: number) => commentBodies(page, `Chain level ${n}`);
    // The page brings two levels of replies; deeper ones come with "Show 1 more reply", two levels at a time.
    for (const n of [0, 1, 2]) await level(n).waitFor({ state: "attached" });
    expect(await level(3).count()).toBe(0);
    await article(page).getByRole("button", { name: "Show 1 more reply" }).click();
    await level(3).waitFor({ state: "attached" });
    await level(4).waitFor({ state: "attached" });
    expect(await level(5).count()).toBe(0);
    await article(page).getByRole("button", { name: "Show 1 more reply" }).click();
    await level(5).waitFor({ state: "attached" });
    expect(await article(page).locator(".ngw-more button").count()).toBe(0);
    const replyButtons = async (n: number) =>
      article(page)
        .locator(".ngw-comment")
        .filter({ has: page.locator(":scope > article .ngw-comment-body", { hasText: `Chain level ${n}` }) })
        .locator(":scope > article .ngw-actions button", { hasText: "Reply" })
        .count();
    expect(await replyButtons(4)).toBe(1);
    expect(await replyButtons(5)).toBe(0);
  });

  test("a comment containing markup is shown as text", async () => {
    const own = await ownArticle("Markup");
    const { page } = await openDemo(own.slug);
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    let dialogs = 0;
    page.on("dialog", (dialog) => {
      dialogs++;
      void dialog.dismiss();
    });
    const evil = `<img src=x onerror="window.__pwned=1;alert(1)"> <b>bold?</b> <script>window.__pwned=2</script>`;
    await postComment(server, own.id, evil, "<i>Mallory</i>");

    const check = async () => {
      const body = commentBodies(page, "<img src=x");
      await body.waitFor({ state: "attached" });
      expect(await body.textContent()).toBe(evil);
      const comment = article(page)
        .locator(".ngw-comment")
        .filter({ has: page.locator(".ngw-comment-body", { hasText: "<img src=x" }) });
      expect(await comment.locator(".ngw-author").textContent()).toBe("<i>Mallory</i>");
      expect(
        await article(page).locator(".ngw-thread img, .ngw-thread script, .ngw-thread b, .ngw-thread i").count(),
      ).toBe(0);
      expect(await page.evaluate("window.__pwned")).toBeUndefined();
    };
    await check(); // arrived live
    await page.reload();
    await waitUntilLive(page);
    await check(); // rendered from the query
    expect(dialogs).toBe(0);
    expect(requests.filter((url) => /\/x$/.test(url))).toEqual([]);
  });

  test("an article body that bypassed the server's sanitiser (a bad row) still runs no script", async () => {
    const slug = "library-hours-budget-consultation";
    const evil =
      `<p>Opening hours <strong>change</strong> <a href="https://example.org/hours" onclick="window.__pwned=1">here</a>.</p>` +
      `<img src=x onerror="window.__pwned=2"><script>window.__pwned=3</script>` +
      `<p><a href="javascript:window.__pwned=4">more</a><iframe src="/graphql"></iframe>` +
      `<svg><script>window.__pwned=5</script></svg><style>body{display:none}</style></p>`;
    // Written the way no mutation can (sanitiser bypass, migration, manual fix): straight into the row.
    await server.db.query("UPDATE articles SET body_html = $1 WHERE slug = $2", [evil, slug]);
    const requests: string[] = [];
    const page = await browser.context.newPage();
    page.on("request", (request) => requests.push(request.url()));
    await page.goto(`${origin}/live/${slug}`);
    await waitUntilLive(page);
    const body = article(page).locator(".ngw-body");
    await body.locator("strong", { hasText: "change" }).waitFor();
    expect(await body.textContent()).toBe("Opening hours change here.more");
    expect(await body.locator("img, script, iframe, svg, style, [onclick]").count()).toBe(0);
    expect(await body.locator("a").evaluateAll((links) => links.map((a) => a.getAttribute("href")))).toEqual([
      "https://example.org/hours",
      null,
    ]);
    await body.locator("a", { hasText: "more" }).click();
    expect(await page.evaluate("window.__pwned")).toBeUndefined();
    expect(requests.filter((url) => /\/x$/.test(url))).toEqual([]);
    // Chromium reports the row's inline handlers and <style> to the page's CSP as the inert copy is
    // parsed (and refuses them there too); nothing else may be reported.
    const refused =
      /^\S+\/live\/library-hours-budget-consultation: ((script-src-attr|style-src-elem): inline|(Executing inline event handler|Applying inline style) violates)/;
    expect(browser.cspViolations.splice(0).filter((v) => !refused.test(v))).toEqual([]);
  });

  test("an edit to the article refreshes it in place", async () => {
    const own = await ownArticle("Fares");
    const { page } = await openDemo(own.slug);
    await page.evaluate("window.__sameDocument = true");
    await gql(
      server,
      "mutation ($id: ID!, $input: UpdateArticleInput!) { updateArticle(id: $id, input: $input) { id } }",
      {
        id: own.id,
        input: {
          standfirst: "Correction: the freeze covers the Inner Sound crossing only.",
          body: "Port Averne City Council will freeze ferry fares.\n\n## Update\n\nThe island route is **included**.",
        },
      },
      editor,
    );
    await article(page).locator(".ngw-standfirst", { hasText: "Correction: the freeze" }).waitFor();
    await article(page).locator(".ngw-body h2", { hasText: "Update" }).waitFor();
    expect(await article(page).locator(".ngw-body strong").textContent()).toBe("included");
    expect(await page.evaluate("window.__sameDocument")).toBe(true);
  });

  test("topic mode lists the topic's latest articles and shows a newly published one at the top", async () => {
    const { page } = await openDemo();
    const topic = page.locator("[data-newsgraph-topic]");
    expect(await topic.getAttribute("data-newsgraph-topic")).toBe("city-hall");
    expect(await topic.locator(".ngw-topic-title").textContent()).toBe("City Hall");
    expect(await topic.locator(".ngw-card").count()).toBeGreaterThan(1);

    const title = "Night ferry returns to the Inner Sound after council vote";
    const created = await gql<{ createArticle: { id: string } }>(
      server,
      "mutation ($input: CreateArticleInput!) { createArticle(input: $input) { id } }",
      {
        input: {
          title,
          standfirst: "A late crossing is back.",
          body: "The night ferry is back.",
          topicSlugs: ["city-hall"],
        },
      },
      editor,
    );
    await gql(
      server,
      "mutation ($id: ID!) { publishArticle(id: $id) { id } }",
      { id: created.createArticle.id },
      editor,
    );
    await eventually(
      async () => (await topic.locator(".ngw-card").first().locator(".ngw-card-title").textContent()) === title,
      "the new article at the top of the topic list",
    );
    expect(await topic.locator(".ngw-card-title", { hasText: title }).count()).toBe(1);
    expect(await topic.locator(".ngw-card").first().locator("a").getAttribute("href")).toMatch(
      new RegExp(`^${origin}/live/[a-z0-9-]+$`),
    );
  });
});
