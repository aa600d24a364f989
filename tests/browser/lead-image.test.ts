/**
 * The demo page (/live/SLUG) in a real browser shows the article's lead image through the widget:
 * an <img> with srcset and sizes whose chosen candidate loads (a WebP rendition made on demand),
 * alt text, caption and credit; an editor's change of the lead image reaches the open page live.
 */
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";
import { picture, upload } from "../images/image-fixtures";
import type { Browser } from "./browser";
import {
  articleId,
  buildWidget,
  describeInBrowser,
  eventually,
  gql,
  launchBrowser,
  waitForSubscriptions,
} from "./browser";

/** What the tests read of an <img> in the page (the test project has no DOM types). */
interface ImageElement {
  decode(): Promise<void>;
  getAttribute(name: string): string | null;
  alt: string;
  currentSrc: string;
  naturalWidth: number;
  closest(selector: string): { querySelector(selector: string): { textContent: string | null } | null } | null;
}

const SLUG = "ferry-fares-frozen-in-draft-budget";
/** The article whose lead image the second test changes (SLUG's stays as seeded, for the first). */
const CHANGED = "heatwave-warning-hottest-week-on-record";

describeInBrowser("lead images on the demo page", () => {
  let server: TestServer;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    await buildWidget();
    server = await startTestServer({});
    origin = new URL(server.url).origin;
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("shows the seeded lead image with srcset, sizes, alt text and caption, and loads a rendition", async () => {
    const page = await browser.context.newPage();
    const images: { url: string; status: number; type: string | null }[] = [];
    page.on("response", (r) => {
      if (new URL(r.url()).pathname.startsWith("/images/")) {
        images.push({ url: r.url(), status: r.status(), type: r.headers()["content-type"] ?? null });
      }
    });
    expect((await page.goto(`${origin}/live/${SLUG}`))?.status()).toBe(200);
    const img = page.locator("[data-newsgraph-article] figure.ngw-lead img");
    await img.waitFor();
    const shown = await img.evaluate((el: ImageElement) =>
      el.decode().then(() => ({
        srcset: el.getAttribute("srcset")!,
        sizes: el.getAttribute("sizes"),
        alt: el.alt,
        currentSrc: el.currentSrc,
        naturalWidth: el.naturalWidth,
        caption: el.closest("figure")!.querySelector("figcaption")?.textContent ?? null,
      })),
    );
    const candidates = shown.srcset.split(", ").map((c: string) => c.split(" ") as [string, string]);
    // The demo pictures are 1280 wide: every allowed width up to it, as absolute URLs on the server.
    expect(candidates.map(([, w]) => w)).toEqual(["320w", "640w", "960w", "1280w"]);
    for (const [url, width] of candidates) {
      expect(url).toMatch(new RegExp(`^${origin}/images/[A-Za-z0-9_-]{22}/${width!.slice(0, -1)}\\.webp$`));
    }
    expect(shown.sizes).toBe("(max-width: 46rem) 100vw, 46rem");
    expect(shown.alt).toMatch(/^An illustration of the harbour at sunset/);
    expect(shown.caption).toContain("Illustration: newsgraph demo");
    expect(candidates.map(([url]) => url)).toContain(shown.currentSrc);
    expect(shown.naturalWidth).toBeGreaterThan(0);
    const loaded = images.find((r) => r.url === shown.currentSrc);
    expect(loaded).toMatchObject({ status: 200, type: "image/webp" });
    expect(browser.cspViolations).toEqual([]);
    await page.close();
  });

  it("follows an editor's change of the lead image on the open page", async () => {
    const editor = await server.token("lead-editor", "EDITOR");
    const page = await browser.context.newPage();
    await page.goto(`${origin}/live/${CHANGED}`);
    await page.locator("[data-newsgraph-article] .ngw-status[data-state=live]").waitFor();
    await waitForSubscriptions(server, 3);
    const uploaded = await upload(server.url, await picture(800, 450, "png"), { token: editor, type: "image/png" });
    expect(uploaded.status).toBe(201);
    await gql(
      server,
      "mutation ($id: ID!, $input: UpdateArticleInput!) { updateArticle(id: $id, input: $input) { id } }",
      {
        id: await articleId(server, CHANGED),
        input: { leadImage: { imageId: uploaded.json.id, alt: "A new picture of the ferry", credit: "Staff" } },
      },
      editor,
    );
    const img = page.locator("[data-newsgraph-article] figure.ngw-lead img");
    await eventually(async () => (await img.getAttribute("alt")) === "A new picture of the ferry", "the new alt text");
    const srcset = (await img.getAttribute("srcset"))!;
    // 800 wide: 320, 640, then the 960 rendition at its own 800 pixels (never enlarged).
    expect(srcset.split(", ").map((c) => c.split(" ")[1])).toEqual(["320w", "640w", "800w"]);
    expect(await page.locator("[data-newsgraph-article] figure.ngw-lead figcaption").textContent()).toBe("Staff");
    expect(await img.evaluate((el: ImageElement) => el.decode().then(() => el.naturalWidth > 0))).toBe(true);
    expect(browser.cspViolations).toEqual([]);
    await page.close();
  });
});
