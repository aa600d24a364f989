/**
 * The widget as a live blog, in a real browser (Debian's chromium via
 * playwright-core), on the demo page /live/SLUG of a real server: entries
 * arriving at the top, the "N new updates" banner and the title counter for a
 * reader scrolled away, edits, deletions and pins applied in place, and the
 * changes made while the page was offline applied once each on its return.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
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
  screenshotPath,
  waitForNoSubscriptions,
  waitForSubscriptions,
} from "./browser";

/** Screenshots go to screenshots/ under the usual folder: docs/screenshots/ with `npm run docs:screenshots`. */
function shot(name: string): string {
  const path = screenshotPath(`screenshots/${name}`);
  mkdirSync(dirname(path), { recursive: true });
  return path;
}

describeInBrowser("live-blog widget: the live blog", () => {
  let server: TestServer;
  let browser: Browser;
  let origin: string;
  let editor: string;

  beforeAll(async () => {
    await buildWidget();
    server = await startTestServer({ commentRateLimit: 100_000 });
    origin = new URL(server.url).origin;
    browser = await launchBrowser();
    editor = await server.token("live-desk", "EDITOR");
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

  async function startLive(slug: string): Promise<string> {
    const id = await articleId(server, slug);
    await gql(server, "mutation ($id: ID!) { startLiveBlog(articleId: $id) { id isLive } }", { id }, editor);
    return id;
  }

  async function addEntry(id: string, body: string, extra: Record<string, unknown> = {}): Promise<string> {
    const data = await gql<{ addLiveEntry: { id: string } }>(
      server,
      "mutation ($input: AddLiveEntryInput!) { addLiveEntry(input: $input) { id } }",
      { input: { articleId: id, body, ...extra } },
      editor,
    );
    return data.addLiveEntry.id;
  }

  const updateEntry = (id: string, input: Record<string, unknown>) =>
    gql(
      server,
      "mutation ($id: ID!, $input: UpdateLiveEntryInput!) { updateLiveEntry(id: $id, input: $input) { id } }",
      { id, input },
      editor,
    );
  const deleteEntry = (id: string) => gql(server, "mutation ($id: ID!) { deleteLiveEntry(id: $id) }", { id }, editor);
  const pinEntry = (id: string) => gql(server, "mutation ($id: ID!) { pinLiveEntry(id: $id) { id } }", { id }, editor);

  /** Opens the demo page and waits until liveBlog, commentThread, articleUpdated and the topic list are live. */
  async function openLive(slug: string): Promise<{ page: Page; errors: string[]; sent: any[] }> {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    const sent: any[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("websocket", (ws) =>
      ws.on("framesent", (frame) => {
        try {
          sent.push(JSON.parse(String(frame.payload)));
        } catch {
          // not JSON
        }
      }),
    );
    const response = await page.goto(`${origin}/live/${slug}`);
    expect(response?.status()).toBe(200);
    await waitUntilLive(page);
    return { page, errors, sent };
  }

  async function waitUntilLive(page: Page): Promise<void> {
    await page.locator("[data-newsgraph-article] .ngw-status[data-state=live]").waitFor();
    await page.locator("[data-newsgraph-article] .ngw-live").waitFor({ state: "attached" });
    await waitForSubscriptions(server, 4);
  }

  const widget = (page: Page) => page.locator("[data-newsgraph-article]");
  /** The entries' ids in page order (pinned first), held ones included. */
  const shownIds = (page: Page) =>
    widget(page)
      .locator(".ngw-entry")
      .evaluateAll((els) => els.map((el) => el.getAttribute("data-entry-id")));
  const entry = (page: Page, id: string) => widget(page).locator(`.ngw-entry[data-entry-id="${id}"]`);

  async function inViewport(page: Page, locator: ReturnType<Page["locator"]>): Promise<boolean> {
    const box = await locator.boundingBox();
    const viewport = page.viewportSize()!;
    return !!box && box.y >= -2 && box.y < viewport.height;
  }

  const PARAGRAPHS = (n: number) =>
    Array.from(
      { length: n },
      (_, i) => `Paragraph ${i + 1}: crews on the Quay report the tide gauge still rising, with spray over the wall.`,
    ).join("\n\n");

  test("the topic sidebar lists the topic's articles but never the article being read", async () => {
    const slug = "heatwave-warning-hottest-week-on-record";
    await startLive(slug);
    const { page } = await openLive(slug);
    const topic = page.locator("[data-newsgraph-topic]");
    const topicSlug = (await topic.getAttribute("data-newsgraph-topic"))!;
    await topic.locator(".ngw-card").first().waitFor();
    const shown = await topic
      .locator(".ngw-card a")
      .evaluateAll((links) => links.map((a) => new URL((a as unknown as { href: string }).href).pathname));
    // The same list as the topic's newest articles, without this one (which is among them).
    const listed = await gql<{ topic: { articles: { nodes: { slug: string }[] } } }>(
      server,
      "query ($slug: String!) { topic(slug: $slug) { articles(first: 20) { nodes { slug } } } }",
      { slug: topicSlug },
    );
    const slugs = listed.topic.articles.nodes.map((n) => n.slug);
    expect(slugs).toContain(slug);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown).not.toContain(`/live/${slug}`);
    expect(await topic.locator(".ngw-card").count()).toBe(new Set(shown).size);
  });

  test("entries appear at the top; scrolled away, a banner and the title counter say how many are new", async () => {
    const id = await startLive("heatwave-warning-hottest-week-on-record");
    const key = await addEntry(id, "The Met Office has issued an amber warning for the whole coast.", {
      title: "Amber heat warning issued",
      isKeyEvent: true,
    });
    for (let i = 1; i <= 5; i++) await addEntry(id, PARAGRAPHS(4), { title: `Morning update ${i}` });
    const { page, errors } = await openLive("heatwave-warning-hottest-week-on-record");
    const w = widget(page);

    expect(await w.locator(".ngw-live-badge").textContent()).toBe("LIVE");
    expect(await w.locator(".ngw-live-ended").isVisible()).toBe(false);
    expect((await shownIds(page)).length).toBe(6);
    // The key-events timeline: the title, with its time; a click takes the reader to the entry.
    const timeline = w.locator(".ngw-keyevent");
    expect(await timeline.count()).toBe(1);
    expect(await timeline.textContent()).toContain("Amber heat warning issued");
    await timeline.locator("button").click();
    await eventually(() => inViewport(page, entry(page, key)), "the key event scrolled into view");
    await page.evaluate("window.scrollTo(0, 0)");

    // At the top: a new entry is inserted first, with its relative time, absolute on hover, and byline.
    const first = await addEntry(id, "Water bottles are being handed out at the station.", {
      title: "Water at the station",
    });
    await eventually(async () => (await shownIds(page))[0] === first, "the new entry at the top");
    const top = entry(page, first);
    expect(await top.isVisible()).toBe(true);
    expect(await top.locator(".ngw-entry-title").textContent()).toBe("Water at the station");
    expect(await top.locator(".ngw-rel").textContent()).toBe("just now");
    expect(await top.locator(".ngw-rel").getAttribute("title")).toMatch(/\d/);
    expect(await top.locator(".ngw-entry-byline").textContent()).toBeTruthy();
    expect(await w.locator(".ngw-live-banner").isVisible()).toBe(false);
    const title = await page.title();
    expect(title).not.toMatch(/^\(\d+\) /);
    await w.locator(".ngw-live").screenshot({ path: shot("live-blog-entries.png") });

    // Scrolled away: the entries wait behind "2 new updates", and the tab title counts them.
    await page.evaluate("window.scrollTo(0, document.body.scrollHeight)");
    await eventually(async () => (await page.evaluate<number>("window.scrollY")) > 500, "the page scrolled down");
    const a = await addEntry(id, "Schools will close at noon tomorrow.", { title: "Schools close early" });
    const b = await addEntry(id, "The beach car parks are full.", { title: "Car parks full" });
    const banner = w.locator(".ngw-live-banner");
    await eventually(
      async () => (await banner.isVisible()) && (await banner.textContent()) === "2 new updates",
      () => banner.textContent().then((t) => `the banner saying 2 new updates (it says ${t})`),
    );
    expect(await page.title()).toBe(`(2) ${title}`);
    expect(await entry(page, a).isVisible()).toBe(false);
    await page.screenshot({ path: shot("live-blog-banner.png"), fullPage: false });

    await banner.click();
    await eventually(() => inViewport(page, entry(page, b)), "the newest entry scrolled into view");
    expect((await shownIds(page)).slice(0, 3)).toEqual([b, a, first]);
    expect(await entry(page, a).isVisible()).toBe(true);
    expect(await banner.isVisible()).toBe(false);
    expect(await page.title()).toBe(title);

    // Ending: the badge goes, the note comes, the entries stay.
    await gql(server, "mutation ($id: ID!) { endLiveBlog(articleId: $id) { id } }", { id }, editor);
    await w.locator(".ngw-live-ended", { hasText: "This live blog has ended" }).waitFor();
    expect(await w.locator(".ngw-live-badge").isVisible()).toBe(false);
    expect((await shownIds(page)).length).toBe(9);
    expect(errors).toEqual([]);
  });

  test("an edit replaces the entry in place, a pin moves it first, a delete removes it", async () => {
    const id = await startLive("lantern-festival-returns-to-the-quay");
    const a = await addEntry(id, "Lanterns are being lit along the harbour wall.", { title: "First lanterns" });
    const b = await addEntry(id, "The parade has reached the fish market.", { title: "Parade at the market" });
    const c = await addEntry(id, "Fireworks are due at ten.", { title: "Fireworks soon" });
    const { page, errors } = await openLive("lantern-festival-returns-to-the-quay");
    expect(await shownIds(page)).toEqual([c, b, a]);

    await page.evaluate(`document.querySelector('[data-entry-id="${b}"]').dataset.marker = "same-element"`);
    await updateEntry(b, { title: "Parade at the fish market", body: "The parade has **reached** the fish market." });
    await entry(page, b).locator(".ngw-entry-title", { hasText: "Parade at the fish market" }).waitFor();
    expect(await shownIds(page)).toEqual([c, b, a]);
    expect(await entry(page, b).locator(".ngw-entry-body strong").textContent()).toBe("reached");
    expect(await entry(page, b).locator(".ngw-entry-updated").textContent()).toMatch(/^Updated \d{1,2}:\d{2}/);
    expect(await entry(page, c).locator(".ngw-entry-updated").count()).toBe(0);

    await pinEntry(a);
    await eventually(async () => (await shownIds(page)).join() === [a, c, b].join(), "the pinned entry first");
    expect(await entry(page, a).getAttribute("class")).toContain("ngw-entry-pinned");
    await widget(page)
      .locator(".ngw-live")
      .screenshot({ path: shot("live-blog-pinned.png") });
    // Pinning another one unpins the first, which goes back to its place.
    await pinEntry(c);
    await eventually(async () => (await shownIds(page)).join() === [c, b, a].join(), "the newly pinned entry first");
    expect(await entry(page, a).getAttribute("class")).not.toContain("ngw-entry-pinned");

    await deleteEntry(b);
    await eventually(async () => (await shownIds(page)).join() === [c, a].join(), "the deleted entry gone");
    expect(await entry(page, b).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  test("an add, an edit, a delete and a comment rejection made while offline are applied once each on return", async () => {
    const slug = "averne-rovers-clinch-promotion";
    const id = await startLive(slug);
    const a = await addEntry(id, "Kick-off at the Dockside ground.", { title: "Kick-off" });
    const b = await addEntry(id, "Rovers lead 1-0 after a header from the corner.", {
      title: "Goal!",
      isKeyEvent: true,
    });
    const c = await addEntry(id, "Half time: still 1-0.", { title: "Half time" });
    const kept = await postComment(server, id, "What a header. Promotion is on.", "Terrace Regular");
    const rejected = await postComment(server, id, "Something the site cannot publish.", "Rude Fan");
    const { page, sent } = await openLive(slug);
    await entry(page, c).waitFor();
    await widget(page).locator(`.ngw-comment[data-comment-id="${rejected.id}"]`).waitFor();
    const liveKey = `newsgraph:cursor:live:${id}`;
    const stored = () => page.evaluate(`JSON.parse(sessionStorage.getItem(${JSON.stringify(liveKey)}))`);
    const storedAtStart = await stored();
    expect(typeof storedAtStart).toBe("string");
    // An event before the outage moves the cursor on: the resubscription must carry the new one, not the first.
    await updateEntry(c, { title: "Half time: 1-0" });
    await entry(page, c).locator(".ngw-entry-title", { hasText: "Half time: 1-0" }).waitFor();
    const storedBefore = await stored();
    expect(storedBefore).not.toBe(storedAtStart);

    await browser.context.setOffline(true);
    await widget(page).locator(".ngw-status", { hasText: "Reconnecting" }).waitFor();
    sent.length = 0;
    const d = await addEntry(id, "Second half under way.", { title: "Second half" });
    await updateEntry(a, { title: "Kick-off (delayed ten minutes)" });
    await deleteEntry(b);
    await gql(
      server,
      "mutation ($id: ID!) { moderateComment(id: $id, status: REJECTED) { id status } }",
      { id: rejected.id },
      editor,
    );
    expect(await entry(page, d).count()).toBe(0); // nothing can have arrived

    await browser.context.setOffline(false);
    await widget(page).locator(".ngw-status[data-state=live]").waitFor();
    const fresh = await gql(
      server,
      `query ($id: ID!) { article(id: $id) { commentCount
        liveEntries(first: 100) { nodes { id title editedAt } }
        comments(first: 50) { nodes { id replies(first: 10) { nodes { id replies(first: 5) { nodes { id } } } } } } } }`,
      { id },
    );
    const expectedEntries: string[] = fresh.article.liveEntries.nodes.map((n: { id: string }) => n.id);
    // The whole public thread, replies included (the seed's thread has some).
    type Node = { id: string; replies?: { nodes: Node[] } };
    const flatten = (nodes: Node[]): string[] => nodes.flatMap((n) => [n.id, ...flatten(n.replies?.nodes ?? [])]);
    const expectedComments = flatten(fresh.article.comments.nodes);
    expect(expectedEntries).toEqual([d, c, a]);
    await eventually(
      async () => (await shownIds(page)).join() === expectedEntries.join(),
      async () => `the entries ${expectedEntries.join()} (showing ${(await shownIds(page)).join()})`,
    );
    const commentIds = () =>
      widget(page)
        .locator(".ngw-comment")
        .evaluateAll((els) => els.map((el) => el.getAttribute("data-comment-id")));
    await eventually(
      async () => [...(await commentIds())].sort().join() === [...expectedComments].sort().join(),
      async () => `the comments ${expectedComments.join()} (showing ${(await commentIds()).join()})`,
    );
    // Each once, as the query has them.
    expect((await commentIds()).length).toBe(expectedComments.length);
    expect(expectedComments).toContain(kept.id);
    expect(expectedComments).not.toContain(rejected.id);
    expect(await entry(page, a).locator(".ngw-entry-title").textContent()).toBe("Kick-off (delayed ten minutes)");
    expect(await entry(page, a).locator(".ngw-entry-updated").count()).toBe(1);
    expect(await widget(page).locator(".ngw-keyevent").count()).toBe(0); // the deleted key event left the timeline
    expect(await widget(page).locator(".ngw-comments-title").textContent()).toBe(
      `${fresh.article.commentCount} comments`,
    );
    // It resumed with the cursor of the last event it had applied.
    const resubscribed = sent.find((m) => m.type === "subscribe" && /liveBlog\(/.test(m.payload?.query));
    expect(resubscribed?.payload.variables.since).toBe(storedBefore);
    await widget(page)
      .locator(".ngw-live")
      .screenshot({ path: shot("live-blog-after-offline.png") });
  });

  test("serves the resumable-subscription module; a reconnect resubscribes with the last cursor", async () => {
    const res = await fetch(`${origin}/widget/resumable.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/javascript/);
    await startLive("merrow-rowing-club-boathouse-appeal");
    const { page } = await openLive("merrow-rowing-club-boathouse-appeal");
    // A stand-in for graphql-ws: it re-sends the payload object it was given on each retry, as graphql-ws does.
    const result = await page.evaluate(`(async () => {
      const { subscribeResumable, sessionCursorStore } = await import("${origin}/widget/resumable.js");
      const sent = [];
      let sink;
      let payloadRef;
      const client = { subscribe(payload, s) { payloadRef = payload; sink = s; sent.push(JSON.stringify(payload.variables)); return () => {}; } };
      const retry = () => sent.push(JSON.stringify(payloadRef.variables));
      const got = [];
      const sub = subscribeResumable(client, {
        query: "subscription ($articleId: ID!, $since: String) { liveBlog(articleId: $articleId, since: $since) { cursor } }",
        variables: { articleId: "A" }, since: "c0", store: sessionCursorStore("resumable-test"),
      }, { next: (data) => got.push(data.liveBlog.cursor) });
      sink.next({ data: { liveBlog: { cursor: "c1" } } });
      sink.next({ data: { liveBlog: { cursor: "c2" } } });
      retry();
      sink.error(new Error("socket closed for good"));
      await new Promise((r) => setTimeout(r, 1200));
      sub.unsubscribe();
      return { sent, got, cursor: sub.cursor, stored: sessionStorage.getItem("newsgraph:cursor:resumable-test") };
    })()`);
    expect(result).toEqual({
      sent: ['{"articleId":"A","since":"c0"}', '{"articleId":"A","since":"c2"}', '{"articleId":"A","since":"c2"}'],
      got: ["c1", "c2"],
      cursor: "c2",
      stored: '"c2"',
    });
  });
});
