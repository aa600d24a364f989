/**
 * The widget's own comment form under pre-moderation: the writer sees the
 * comment as awaiting moderation (and nobody else does), until an editor
 * approves it.
 */
import type { Page } from "playwright-core";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";
import type { Browser } from "./browser";
import {
  articleId,
  buildWidget,
  describeInBrowser,
  gql,
  launchBrowser,
  waitForNoSubscriptions,
  waitForSubscriptions,
} from "./browser";

const SLUG = "ferry-fares-frozen-in-draft-budget";

describeInBrowser("live-blog widget under pre-moderation", () => {
  let server: TestServer;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    await buildWidget();
    server = await startTestServer({ commentModeration: "pre", commentRateLimit: 100_000 });
    origin = new URL(server.url).origin;
    browser = await launchBrowser();
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

  async function open(subscriptionsAfter: number): Promise<Page> {
    const page = await browser.context.newPage();
    await page.goto(`${origin}/live/${SLUG}`);
    await page.locator("[data-newsgraph-article] .ngw-status[data-state=live]").waitFor();
    await waitForSubscriptions(server, subscriptionsAfter);
    return page;
  }

  const bodies = (page: Page, text: string) =>
    page.locator("[data-newsgraph-article] .ngw-comment-body").filter({ hasText: text });

  test("a comment from the widget's form awaits moderation for its writer only, then shows normally", async () => {
    // Each demo page has three subscriptions (commentAdded, articleUpdated, articlePublished).
    const writer = await open(3);
    const reader = await open(6);

    const body = "Will the frozen fare apply to the 06:40 freight sailing as well?";
    const form = writer.locator("[data-newsgraph-article] form.ngw-form");
    await form.locator("[name=body]").fill(body);
    await form.locator("[name=authorName]").fill("Ana Ferreira");
    await form.locator("[name=email]").fill("ana@example.org");
    await form.locator("[name=website]").fill("https://example.org/ana");
    // A double click posts once (one idempotency key; the button is disabled while posting).
    await form.locator("button[type=submit]").dblclick();

    const mine = writer
      .locator("[data-newsgraph-article] .ngw-comment")
      .filter({ has: writer.locator(".ngw-comment-body", { hasText: body }) });
    await mine.locator(".ngw-awaiting", { hasText: "awaiting moderation" }).waitFor();
    expect(await form.locator(".ngw-form-status").textContent()).toContain("awaiting moderation");
    expect(await form.locator("[name=body]").inputValue()).toBe("");
    const rows = await server.db.query("SELECT status FROM comments WHERE body = $1", [body]);
    expect(rows).toEqual([{ status: "PENDING" }]);
    expect(await bodies(writer, body).count()).toBe(1);
    expect(await mine.locator(".ngw-author").getAttribute("href")).toBe("https://example.org/ana");

    // Nobody else sees it: not the open reader page, not a fresh one.
    expect(await bodies(reader, body).count()).toBe(0);
    const another = await open(9);
    // A fresh reader sees the article's approved comments (replies too), all of them: the demo thread is short.
    const [approvedBefore] = await server.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM comments c JOIN articles a ON a.id = c.article_id WHERE a.slug = $1 AND c.status = 'APPROVED'",
      [SLUG],
    );
    expect(await another.locator("[data-newsgraph-article] .ngw-comment").count()).toBe(approvedBefore!.n);
    expect(await bodies(another, body).count()).toBe(0);
    await another.close();

    // Its writer still sees it after a reload (kept in this tab's sessionStorage).
    await writer.reload();
    await writer.locator("[data-newsgraph-article] .ngw-status[data-state=live]").waitFor();
    await mine.locator(".ngw-awaiting").waitFor();
    await waitForSubscriptions(server, 6);

    // An editor approves it: it becomes a normal comment for the writer, and appears for the reader.
    const id = await mine.getAttribute("data-comment-id");
    // The id the widget keeps is the stored comment's global id.
    const [stored] = await server.db.query<{ id: number }>("SELECT id FROM comments WHERE body = $1", [body]);
    expect(id).toBe(Buffer.from(`Comment:${stored!.id}`).toString("base64url"));
    const editor = await server.token("ed", "EDITOR");
    const approved = await gql<{ moderateComment: { status: string } }>(
      server,
      "mutation ($id: ID!) { moderateComment(id: $id, status: APPROVED) { status } }",
      { id },
      editor,
    );
    expect(approved.moderateComment.status).toBe("APPROVED");
    await mine.locator(".ngw-awaiting").waitFor({ state: "detached" });
    expect(await mine.getAttribute("class")).not.toContain("ngw-pending");
    expect(await bodies(writer, body).count()).toBe(1);
    await bodies(reader, body).waitFor({ state: "attached" });
    expect(await bodies(reader, body).count()).toBe(1);
    expect(await reader.locator("[data-newsgraph-article] .ngw-awaiting").count()).toBe(0);
    // Nothing is left awaiting moderation in the writer's tab.
    const key = `newsgraph:pending:${await articleId(server, SLUG)}`;
    expect(await writer.evaluate(`sessionStorage.getItem(${JSON.stringify(key)})`)).toBeNull();
  });

  test("a reply posted through the form nests under its comment", async () => {
    const page = await open(3);
    const gwen = page.locator("[data-newsgraph-article] .ngw-comment").filter({
      has: page.locator(":scope > article .ngw-comment-body", { hasText: "Good news for those of us on Fennick" }),
    });
    await gwen.locator(":scope > article .ngw-actions button", { hasText: "Reply" }).click();
    const form = gwen.locator("form.ngw-form");
    expect(await form.locator(".ngw-form-title").textContent()).toBe("Reply to Gwen Ashcombe");
    const body = "Same here: the school run depends on that crossing.";
    await form.locator("[name=body]").fill(body);
    await form.locator("[name=authorName]").fill("Rob Tennant");
    await form.locator("[name=email]").fill("rob@example.org");
    await form.locator("button[type=submit]").click();
    await gwen.locator(".ngw-replies .ngw-comment-body", { hasText: body }).waitFor();
    await gwen.locator(".ngw-replies .ngw-awaiting").waitFor();
    // The form went back below the thread.
    expect(await gwen.locator("form.ngw-form").count()).toBe(0);
    expect(await page.locator("[data-newsgraph-article] .ngw-form-home form.ngw-form").count()).toBe(1);
  });
});
