import { FrontPageDocument } from "./generated/graphql";
import { startTestServer, TestServer } from "./support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

test("front page", async () => {
  const before = server.db.sql.total;
  const res = await server.request(FrontPageDocument, { first: 5 });
  expect(res.errors).toBeUndefined();
  expect(res.data!.articles.nodes).toHaveLength(5);
  console.log("statements", server.db.sql.total - before);
});
