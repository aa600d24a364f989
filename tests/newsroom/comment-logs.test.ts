/**
 * What the server's own log says about commenters: nothing that holds their
 * email. The server runs with its real logger (createLogger) at trace level,
 * writing into memory; every line is scanned for every form of the addresses
 * this file submitted, after writes that fail in the database (a trigger that
 * refuses them, naming the address in its DETAIL as a constraint's "Failing
 * row contains (...)" would) and after a NUL inside the address: by a test
 * (after writes of its own) and once more after the last test.
 */
import { Writable } from "node:stream";
import { createLogger } from "../../src/logger";
import { commentInput, emailForms, expectError, ok, unique, uniqueEmail } from "../factories/newsroom";
import {
  NewsroomAddCommentDocument,
  NewsroomCreateArticleDocument,
  NewsroomPublishArticleDocument,
} from "../generated/graphql";
import type { TestServer } from "../support/server";
import { startTestServer } from "../support/server";

const raw: string[] = [];
const lines = () =>
  raw
    .join("")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, any>);
let server: TestServer;
let articleId: string;
const submitted: string[] = [];
const REFUSED = "refused-by-trigger";

beforeAll(async () => {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      raw.push(String(chunk));
      done();
    },
  });
  server = await startTestServer({ logLevel: "trace" }, { logger: createLogger("trace", "newsgraph-test", stream) });
  await server.db.query(`
    CREATE FUNCTION refuse_marked_comment() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.email LIKE '%${REFUSED}%' THEN
        RAISE EXCEPTION 'comment refused' USING DETAIL = 'Failing row contains (' || NEW.email || ')';
      END IF;
      RETURN NEW;
    END $$`);
  await server.db.query(
    "CREATE TRIGGER refuse_marked_comment BEFORE INSERT ON comments FOR EACH ROW EXECUTE FUNCTION refuse_marked_comment()",
  );
  const editor = await server.token("maya-okafor", "EDITOR");
  const created = await server.request(
    NewsroomCreateArticleDocument,
    { input: { title: `Logged ${unique("a")}`, body: "Say something." } },
    { token: editor },
  );
  articleId = ok(created).createArticle.id;
  ok(await server.request(NewsroomPublishArticleDocument, { id: articleId }, { token: editor }));
});
afterAll(async () => {
  try {
    // The last test's scan once more, over every line and every address of the file (also those
    // of tests that ran after it).
    expect(leaks(submitted)).toEqual([]);
  } finally {
    await server?.stop();
  }
});

/** Every form of each address (a NUL in it also as JSON writes it, and each part after one) found in the log. */
function leaks(emails: string[]): string[] {
  const text = raw.join("");
  return emails.flatMap((email) =>
    [...emailForms(email), ...emailForms(email.replace("\u0000", "\\u0000")), ...email.split("\u0000").slice(1)]
      .filter((form) => text.includes(form))
      .map((form) => `${JSON.stringify(email)} as ${JSON.stringify(form)}`),
  );
}

const codes = (res: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  (res.errors ?? []).map((e) => e.extensions?.code);

const add = (email: string) => {
  submitted.push(email);
  return server.request(NewsroomAddCommentDocument, { input: commentInput(articleId, { email }) });
};

test("a write the database refuses is INTERNAL_SERVER_ERROR, logged under its request id without the email", async () => {
  const email = uniqueEmail(REFUSED);
  const error = expectError(await add(email), "INTERNAL_SERVER_ERROR");
  const requestId = error.extensions!.requestId;
  const logged = lines().find((l) => l.requestId === requestId && l.msg === "unexpected error");
  // The line is there, with the statement that failed (placeholders only) ...
  expect(logged?.err?.query).toMatch(/INSERT INTO comments/);
  expect(logged?.err?.message).toMatch(/comment refused/);
  expect([logged?.err?.parameters, logged?.err?.detail]).toEqual(["[redacted]", "[redacted]"]);
  // ... and the driver's own line, at debug.
  expect(lines().some((l) => l.msg === "sql failed" && /INSERT INTO comments/.test(l.query))).toBe(true);
});

test("a NUL inside the email is BAD_USER_INPUT naming email, before the database", async () => {
  const email = `nul\u0000${uniqueEmail("byte")}`;
  const before = lines().filter((l) => l.msg === "sql").length;
  const res = await add(email);
  expectError(res, "BAD_USER_INPUT", ["email"]);
  expect(res.status).toBe(200);
  // Trace logs every statement: the refusal sent none that touch comments.
  const after = lines()
    .filter((l) => l.msg === "sql")
    .slice(before);
  expect(after.filter((l) => /comments/.test(l.query))).toEqual([]);
});

test("successful writes log their statements at trace, without the values", async () => {
  const email = uniqueEmail("traced");
  const before = lines().length;
  ok(await add(email));
  const insert = lines()
    .slice(before)
    .find((l) => l.msg === "sql" && /INSERT INTO comments/.test(l.query) && l.parameters);
  expect(insert?.parameters?.length).toBeGreaterThan(5);
});

test("no log line contains any address this file submitted, in any form", async () => {
  // The three kinds of write above, made here too, so the scan covers each whichever tests ran before.
  const own = [uniqueEmail(REFUSED), `nul\u0000${uniqueEmail("byte")}`, uniqueEmail("traced")];
  expect(codes(await add(own[0]!))).toEqual(["INTERNAL_SERVER_ERROR"]);
  expect(codes(await add(own[1]!))).toEqual(["BAD_USER_INPUT"]);
  expect(codes(await add(own[2]!))).toEqual([]);
  expect(lines().length).toBeGreaterThan(50);
  expect(leaks(submitted)).toEqual([]);
});
