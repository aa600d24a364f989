/**
 * `live demo`: keeps a live blog moving on a running server, so that a new user sees the widget
 * (/live/SLUG) work without writing code. Every --every seconds it posts a plausible entry, now and
 * then edits or deletes one of those it posted, and prints one line per action on stdout. It talks
 * GraphQL over HTTP with a token (an EDITOR's, to start the live blog when it is not live), and
 * never opens the database, so it runs next to the embedded server.
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { CommandError, UnavailableError, UsageError } from "./cli-errors";

export const DEFAULT_URL = "http://localhost:4000/graphql";

/** What the demo posts, in turn (titles on some, a key event now and then). */
const ENTRIES: { title?: string; body: string; keyEvent?: boolean }[] = [
  {
    body: "Our reporter in the room says the mood has shifted in the last few minutes. More as soon as we have it.",
  },
  {
    title: "Reader question",
    body: "A reader asks when any of this takes effect. The short answer: not before the start of next month, and parts of it need a second vote.",
  },
  {
    body: "A statement has just arrived from the residents' association: they *welcome the debate* but say they will be watching the detail closely.",
  },
  {
    title: "The numbers so far",
    body: "Where things stand:\n\n- three speakers for\n- two against\n- one undecided, who has asked to speak again later",
  },
  {
    body: "A short pause while officers check a point of procedure. Several people have stepped out into the corridor.",
  },
  {
    title: "Decision",
    body: "The motion has been carried by a show of hands. We will have the reaction shortly.",
    keyEvent: true,
  },
  {
    body: "Photos from outside: a small but steady crowd has gathered, some with placards, most with umbrellas.",
  },
  {
    body: "One of the opposition members has asked for the vote to be recorded by name. The chair has agreed.",
  },
  {
    title: "What the experts say",
    body: 'An economist we spoke to calls the plan "ambitious but affordable, if the forecasts hold". Others are less sure.',
  },
  {
    body: "Thanks to everyone commenting below. We are reading all of it and will put some of your questions to the people in the room.",
  },
  {
    title: "Reaction",
    body: "The first reactions are in, and they are mixed: local businesses sound relieved, campaigners disappointed.",
  },
  {
    body: "We are hearing that a further announcement is expected within the hour. Stay with us.",
  },
];

const EDIT_NOTE = "\n\n*This entry was updated with more detail.*";

interface Options {
  url: string;
  token: string;
  slug: string;
  everyMs: number;
  count: number | null;
}

interface GraphQLError {
  message: string;
  extensions?: { code?: string };
}

/** The server refused the operation: its first error, as one line. */
class RefusedError extends CommandError {
  constructor(
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

function options(args: string[]): Options {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      article: { type: "string" },
      every: { type: "string" },
      count: { type: "string" },
      url: { type: "string" },
      token: { type: "string" },
    },
  });
  if (positionals.length) throw new UsageError(`live demo takes no argument "${positionals[0]}"`);
  if (!values.article) throw new UsageError("live demo needs --article SLUG");
  const every = values.every === undefined ? 10 : Number(values.every);
  if (!/^[0-9]*\.?[0-9]+$/.test(values.every ?? "10") || !(every > 0) || every > 86_400) {
    throw new UsageError("--every must be a number of seconds above 0 (fractions allowed: 0.5)");
  }
  let count: number | null = null;
  if (values.count !== undefined) {
    count = Number(values.count);
    if (!/^[0-9]+$/.test(values.count) || !Number.isSafeInteger(count) || count < 1) {
      throw new UsageError("--count must be a whole number of at least 1");
    }
  }
  const token = values.token ?? process.env.NEWSGRAPH_TOKEN;
  if (!token) {
    throw new UsageError(
      "live demo needs a token: --token or NEWSGRAPH_TOKEN (npm run -s cli -- token create --author demo-editor --role EDITOR)",
    );
  }
  const url = values.url ?? DEFAULT_URL;
  try {
    new URL(url);
  } catch {
    throw new UsageError(`--url "${url}" is not a URL`);
  }
  return { url, token, slug: values.article, everyMs: every * 1000, count };
}

/** One GraphQL request; a refusal or an unreachable server becomes the CLI's one-line errors. */
async function graphql<T>(o: Options, query: string, variables: Record<string, unknown>, signal: AbortSignal) {
  let res: Response;
  try {
    res = await fetch(o.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/graphql-response+json, application/json",
        authorization: `Bearer ${o.token}`,
      },
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw error;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new UnavailableError(
      `cannot reach ${o.url} (${cause?.code ?? cause?.message ?? (error as Error).message}): is the server running?`,
    );
  }
  let text: string;
  try {
    text = await res.text();
  } catch (error) {
    if (signal.aborted) throw error;
    throw new UnavailableError(`${o.url} broke off its answer (${(error as Error).message})`);
  }
  let body: { data?: T | null; errors?: GraphQLError[] };
  try {
    body = JSON.parse(text);
  } catch {
    throw new UnavailableError(`${o.url} answered HTTP ${res.status} without GraphQL: is that the GraphQL endpoint?`);
  }
  const first = body.errors?.[0];
  if (first) throw new RefusedError(first.extensions?.code, `${first.message} (${first.extensions?.code ?? "ERROR"})`);
  if (!body.data) throw new UnavailableError(`${o.url} answered HTTP ${res.status} without data`);
  return body.data;
}

interface ArticleInfo {
  id: string;
  slug: string;
  title: string;
  status: string;
  isLive: boolean;
  authors: { slug: string }[];
}

const time = () => new Date().toISOString().slice(11, 19);
const quote = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}...` : s);

export async function liveDemo(args: string[]): Promise<void> {
  const o = options(args);
  const abort = new AbortController();
  let stopped = false;
  let wake: (() => void) | null = null;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    abort.abort();
    wake?.();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  const posted: string[] = [];
  let actions = 0;
  try {
    const { article } = await graphql<{ article: ArticleInfo | null }>(
      o,
      "query LiveDemoArticle($slug: String!) { article(slug: $slug) { id slug title status isLive authors { slug } } }",
      { slug: o.slug },
      abort.signal,
    );
    if (!article) throw new CommandError(`no article "${o.slug}" (or this token may not see it)`);
    if (article.status !== "PUBLISHED") {
      throw new CommandError(`"${o.slug}" is ${article.status}: only a published article can be a live blog`);
    }
    if (!article.isLive) {
      try {
        await graphql(
          o,
          "mutation LiveDemoStart($id: ID!) { startLiveBlog(articleId: $id) { id isLive } }",
          { id: article.id },
          abort.signal,
        );
      } catch (error) {
        if (error instanceof RefusedError && error.code === "FORBIDDEN") {
          throw new CommandError(
            `"${o.slug}" is not live and this token may not start it: use an EDITOR token, or run startLiveBlog first`,
          );
        }
        throw error;
      }
      console.log(`${time()} started the live blog "${article.title}"`);
    }
    console.error(
      `live demo: posting to "${article.title}" every ${o.everyMs / 1000}s; Ctrl-C stops. ` +
        `Watch it at ${new URL(`/live/${article.slug}`, o.url).href}`,
    );

    let next = 0;
    while (!stopped && (o.count === null || actions < o.count)) {
      if (actions > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, o.everyMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
        if (stopped) break;
      }
      const n = actions++;
      if (n % 6 === 4 && posted.length) {
        const id = posted[posted.length - 1]!;
        const entry = ENTRIES[(next - 1 + ENTRIES.length) % ENTRIES.length]!;
        await graphql(
          o,
          "mutation LiveDemoEdit($id: ID!, $input: UpdateLiveEntryInput!) { updateLiveEntry(id: $id, input: $input) { id } }",
          { id, input: { body: entry.body + EDIT_NOTE } },
          abort.signal,
        );
        console.log(`${time()} edited  ${id}: added a line of detail`);
      } else if (n % 9 === 7 && posted.length > 1) {
        const [id] = posted.splice(posted.length - 2, 1);
        await graphql(o, "mutation LiveDemoDelete($id: ID!) { deleteLiveEntry(id: $id) }", { id: id! }, abort.signal);
        console.log(`${time()} deleted ${id}: posted in error`);
      } else {
        const entry = ENTRIES[next++ % ENTRIES.length]!;
        const byline = article.authors.length ? [article.authors[n % article.authors.length]!.slug] : undefined;
        const { addLiveEntry } = await graphql<{ addLiveEntry: { id: string } }>(
          o,
          "mutation LiveDemoAdd($input: AddLiveEntryInput!) { addLiveEntry(input: $input) { id } }",
          {
            input: {
              articleId: article.id,
              title: entry.title ?? null,
              body: entry.body,
              isKeyEvent: entry.keyEvent ?? false,
              authorSlugs: byline,
              idempotencyKey: `live-demo-${randomUUID()}`,
            },
          },
          abort.signal,
        );
        posted.push(addLiveEntry.id);
        const what = entry.title ?? entry.body;
        console.log(`${time()} added   ${addLiveEntry.id}: "${quote(what)}"${entry.keyEvent ? " (key event)" : ""}`);
      }
    }
  } catch (error) {
    // Ctrl-C during a request: the request is abandoned, which is a clean stop.
    if (!(stopped && abort.signal.aborted && !(error instanceof CommandError || error instanceof UnavailableError))) {
      throw error;
    }
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
  console.error(`live demo: stopped after ${actions} action(s)`);
}
