/**
 * The demo page of a draft preview link (/preview/<token>): the draft as readers will see it under a
 * "Preview" banner, with its byline, topics and related articles (published ones only: a sibling draft
 * never shows), under the page's strict CSP, never cached; once the link is revoked the same address
 * says so and shows nothing of the article.
 */
import { ok, unique } from "../factories/newsroom";
import { NewsroomCreateArticleDocument, PreviewCreateDocument, PreviewRevokeDocument } from "../generated/graphql";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";
import type { Browser } from "./browser";
import { describeInBrowser, launchBrowser } from "./browser";

describeInBrowser("draft preview page", () => {
  let server: TestServer;
  let browser: Browser;
  let origin: string;
  let editor: string;

  beforeAll(async () => {
    server = await startTestServer({});
    origin = new URL(server.url).origin;
    editor = await server.token("preview-page-editor", "EDITOR");
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  afterEach(async () => {
    for (const page of browser.context.pages()) await page.close();
    expect(browser.cspViolations).toEqual([]);
  });

  const draft = async (title: string, body: string) =>
    ok(
      await server.request(
        NewsroomCreateArticleDocument,
        {
          input: {
            title,
            standfirst: "What the harbour board will decide next week.",
            body,
            topicSlugs: ["climate"],
            authorSlugs: ["priya-raman"],
          },
        },
        { token: editor },
      ),
    ).createArticle;

  test("the draft shows under a Preview banner, with its content and public-only related articles; revoking ends it", async () => {
    const title = `Harbour wall plan ${unique("t")}`;
    const article = await draft(title, "The board **approved** the wall.\n\nSecond paragraph of the draft.");
    const sibling = await draft(`Sibling draft ${unique("s")}`, "Not for readers yet.");
    const made = ok(
      await server.request(PreviewCreateDocument, { articleId: article.id }, { token: editor }),
    ).createArticlePreview;
    expect(made.url).toBe(`/preview/${made.token}`);

    const page = await browser.context.newPage();
    const response = await page.goto(`${origin}${made.url}`);
    expect(response!.status()).toBe(200);
    expect(response!.headers()["cache-control"]).toBe("private, no-store");
    expect(response!.headers()["x-robots-tag"]).toBe("noindex, nofollow");

    const banner = page.locator(".preview-banner");
    await banner.waitFor();
    expect(await banner.getAttribute("role")).toBe("status");
    expect(await banner.getAttribute("data-preview-status")).toBe("DRAFT");
    expect(await banner.innerText()).toMatch(/^PREVIEW\s*A draft: not public yet\. This link expires at /);
    expect(await banner.locator("time").getAttribute("datetime")).toBe(made.expiresAt);
    // The banner stays in view while the reader scrolls.
    expect(await banner.evaluate((el) => (globalThis as any).getComputedStyle(el).position)).toBe("sticky");

    expect(await page.locator("article h1").innerText()).toBe(title);
    expect(await page.locator("article .standfirst").innerText()).toBe("What the harbour board will decide next week.");
    expect(await page.locator("article .article-body strong").innerText()).toBe("approved");
    expect(await page.locator("article .article-body p").count()).toBe(2);
    expect(await page.locator(".author-name").allInnerTexts()).toEqual(["Priya Raman"]);
    expect(await page.locator(".tags li").allInnerTexts()).toEqual(["Climate"]);
    const related = await page.locator(".related li a").allInnerTexts();
    expect(related.length).toBeGreaterThan(0);
    expect(related).not.toContain(sibling.title);
    expect(await page.content()).not.toContain(sibling.title);
    expect(await page.title()).toBe(`Preview: ${title} · newsgraph demo`);

    ok(await server.request(PreviewRevokeDocument, { id: made.id }, { token: editor }));
    const again = await page.reload();
    expect(again!.status()).toBe(403);
    expect(await page.locator("main").innerText()).toContain("This preview link was revoked.");
    expect(await page.content()).not.toContain(title);
  });

  test("an address that holds no token is 404, a forged token 403; neither shows an article", async () => {
    const page = await browser.context.newPage();
    const none = await page.goto(`${origin}/preview/not-a-token`);
    expect(none!.status()).toBe(404);
    expect(await page.locator("h1").innerText()).toBe("Preview unavailable");
    const forged = await page.goto(`${origin}/preview/p1.${"A".repeat(22)}.${"B".repeat(43)}`);
    expect(forged!.status()).toBe(403);
    expect(await page.locator("main").innerText()).toContain("This preview link is not valid.");
    expect(forged!.headers()["cache-control"]).toBe("private, no-store");
  });
});
