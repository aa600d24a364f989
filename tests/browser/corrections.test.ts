/**
 * Correction notes on the demo article page (/live/SLUG) in a real browser
 * (Debian's chromium via playwright-core): the seeded corrected article shows
 * its note, and a note delivered by articleUpdated appears in place while a
 * silent fix adds none. The live test uses an article of its own.
 */
import type { Page } from "playwright-core";
import { demoCorrections } from "../../src/seed/demo-content";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";
import type { Browser } from "./browser";
import {
  buildWidget,
  describeInBrowser,
  gql,
  launchBrowser,
  waitForNoSubscriptions,
  waitForSubscriptions,
} from "./browser";

const CORRECTED = demoCorrections[0]!;

describeInBrowser("correction notes on the demo page", () => {
  let server: TestServer;
  let browser: Browser;
  let origin: string;
  let editor: string;

  beforeAll(async () => {
    await buildWidget();
    server = await startTestServer();
    origin = new URL(server.url).origin;
    browser = await launchBrowser();
    editor = await server.token("corrections-editor", "EDITOR");
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  afterEach(async () => {
    for (const page of browser.context.pages()) await page.close();
    await waitForNoSubscriptions(server);
    expect(browser.cspViolations).toEqual([]);
  });

  /** Opens the demo page and waits until its widgets are live (every subscription set up on the server). */
  async function openDemo(slug: string): Promise<Page> {
    const page = await browser.context.newPage();
    const response = await page.goto(`${origin}/live/${slug}`);
    expect(response?.status()).toBe(200);
    await page.locator("[data-newsgraph-article] .ngw-status[data-state=live]").waitFor();
    const widgets = await page.locator("[data-newsgraph-article], [data-newsgraph-topic]").count();
    // Article mode subscribes to commentAdded and articleUpdated; topic mode to articlePublished.
    await waitForSubscriptions(server, widgets === 2 ? 3 : 2);
    return page;
  }

  const notes = (page: Page) => page.locator("[data-newsgraph-article] .ngw-corrections .ngw-correction");

  /** Each note's text and its <time>'s datetime, in page order. */
  const shown = (page: Page) =>
    notes(page).evaluateAll((els) =>
      els.map((el) => [el.textContent, el.querySelector("time")?.getAttribute("datetime") ?? null]),
    );

  const formatted = (page: Page, iso: string) =>
    page.evaluate(
      (value) => new Date(value).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }),
      iso,
    );

  test("the seeded corrected article shows its note under the headline", async () => {
    const { article } = await gql<{ article: { corrections: { text: string; createdAt: string }[] } }>(
      server,
      "query ($slug: String!) { article(slug: $slug) { corrections { text createdAt } } }",
      { slug: CORRECTED.article },
    );
    expect(article.corrections.map((c) => c.text)).toEqual([CORRECTED.text]);
    const page = await openDemo(CORRECTED.article);
    const at = article.corrections[0]!.createdAt;
    expect(await shown(page)).toEqual([[`Correction, ${await formatted(page, at)}: ${CORRECTED.text}`, at]]);
    expect(await page.locator("[data-newsgraph-article] .ngw-story-head .ngw-corrections").isVisible()).toBe(true);
  });

  test("a correction delivered live appears in place; a silent fix adds none", async () => {
    const { createArticle } = await gql<{ createArticle: { id: string; slug: string } }>(
      server,
      "mutation ($input: CreateArticleInput!) { createArticle(input: $input) { id slug } }",
      {
        input: {
          title: "Ferry timetable changes from Monday",
          body: "The 07:15 sailing moves to 07:05.",
          topicSlugs: ["city-hall"],
        },
      },
      editor,
    );
    await gql(server, "mutation ($id: ID!) { publishArticle(id: $id) { id } }", { id: createArticle.id }, editor);
    const page = await openDemo(createArticle.slug);
    await page.evaluate("window.__sameDocument = true");
    expect(await notes(page).count()).toBe(0);
    expect(await page.locator("[data-newsgraph-article] .ngw-corrections").isHidden()).toBe(true);

    const update = (input: Record<string, unknown>) =>
      gql<{ updateArticle: { corrections: { text: string; createdAt: string }[] } }>(
        server,
        "mutation ($id: ID!, $input: UpdateArticleInput!) { updateArticle(id: $id, input: $input) { corrections { text createdAt } } }",
        { id: createArticle.id, input },
        editor,
      );
    const first = await update({
      body: "The 07:15 sailing moves to 06:55.",
      correction: "An earlier version gave the new time as 07:05.",
    });
    const firstAt = first.updateArticle.corrections[0]!.createdAt;
    await notes(page).first().waitFor();
    expect(await shown(page)).toEqual([
      [`Correction, ${await formatted(page, firstAt)}: An earlier version gave the new time as 07:05.`, firstAt],
    ]);

    // A silent fix: the body changes in place, the notes stay as they were.
    await update({ body: "The 07:15 sailing moves to 06:55 from Monday." });
    await page.locator("[data-newsgraph-article] .ngw-body", { hasText: "from Monday" }).waitFor();
    expect(await notes(page).count()).toBe(1);

    const second = await update({ correction: "The change starts on Monday 3 March, not Monday 10 March." });
    const secondAt = second.updateArticle.corrections[1]!.createdAt;
    await notes(page).nth(1).waitFor();
    expect((await shown(page)).map(([, at]) => at)).toEqual([firstAt, secondAt]);
    expect(await notes(page).nth(1).textContent()).toBe(
      `Correction, ${await formatted(page, secondAt)}: The change starts on Monday 3 March, not Monday 10 March.`,
    );
    expect(await page.evaluate("window.__sameDocument")).toBe(true);
  });
});
