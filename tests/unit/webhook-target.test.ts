import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { backoffMs } from "../../src/modules/webhook/webhook-backoff";
import { sendWebhook } from "../../src/modules/webhook/webhook-sender";
import { signatureHeader } from "../../src/modules/webhook/webhook-signature";
import { isPrivateAddress, targetProblem, urlProblem } from "../../src/modules/webhook/webhook-target";
import { verifySignature } from "../webhook/receiver";

test.each([
  "127.0.0.1",
  "127.255.0.9",
  "10.0.0.1",
  "172.16.5.5",
  "192.168.1.1",
  "169.254.169.254",
  "100.64.0.1",
  "0.0.0.0",
  "224.0.0.1",
  "255.255.255.255",
  "::",
  "::1",
  "fe80::1",
  "fd12:3456::1",
  "ff02::1",
  "::ffff:127.0.0.1",
  "::ffff:7f00:1",
  "::ffff:10.0.0.1",
  "64:ff9b::a00:1",
])("%s is not a public address", (address) => {
  expect(isPrivateAddress(address)).toBe(true);
});

test.each(["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])("%s is public", (address) => {
  expect(isPrivateAddress(address)).toBe(false);
});

test("URLs: http(s) only, no credentials, bounded; names that resolve to loopback are refused", async () => {
  expect(urlProblem("ftp://example.com/")).toMatch(/http/);
  expect(urlProblem("not a url")).toMatch(/http/);
  expect(urlProblem("http://user:pw@example.com/")).toMatch(/password/);
  expect(urlProblem(`https://example.com/${"a".repeat(2000)}`)).toMatch(/2000/);
  expect(urlProblem("https://example.com/hook?x=1")).toBeUndefined();
  expect(await targetProblem("http://localhost:9/", false)).toMatch(/non-public/);
  expect(await targetProblem("http://0x7f000001/", false)).toMatch(/non-public/);
  expect(await targetProblem("http://localhost:9/", true)).toBeUndefined();
});

test("the sender refuses a loopback target unless allowed, and follows no redirect", async () => {
  let hits = 0;
  const server = createServer((_, res) => {
    hits += 1;
    res.writeHead(302, { location: "http://example.com/" }).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  try {
    for (const url of [
      `http://127.0.0.1:${port}/`,
      `http://localhost:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
    ]) {
      const refused = await sendWebhook(url, "{}", {}, { timeoutMs: 1000, allowPrivate: false });
      expect(refused).toMatchObject({ statusCode: null, error: expect.stringMatching(/refused/) });
    }
    expect(hits).toBe(0);
    const allowed = await sendWebhook(`http://127.0.0.1:${port}/`, "{}", {}, { timeoutMs: 1000, allowPrivate: true });
    expect(allowed).toMatchObject({ statusCode: 302, error: null });
    expect(hits).toBe(1);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test("the signature verifies with README's recipe, and not with another secret, body or an old timestamp", () => {
  const now = Math.floor(Date.now() / 1000);
  const header = signatureHeader("whsec_test_secret_123", '{"a":1}', now);
  expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  expect(verifySignature("whsec_test_secret_123", header, '{"a":1}')).toBe(true);
  expect(verifySignature("whsec_other_secret_12", header, '{"a":1}')).toBe(false);
  expect(verifySignature("whsec_test_secret_123", header, '{"a":2}')).toBe(false);
  const old = signatureHeader("whsec_test_secret_123", '{"a":1}', now - 600);
  expect(verifySignature("whsec_test_secret_123", old, '{"a":1}')).toBe(false);
});

test("backoff doubles per attempt between half and all of its ceiling, capped", () => {
  expect(backoffMs(1, 1000, 60_000, () => 0)).toBe(500);
  expect(backoffMs(1, 1000, 60_000, () => 1)).toBe(1000);
  expect(backoffMs(4, 1000, 60_000, () => 1)).toBe(8000);
  expect(backoffMs(30, 1000, 60_000, () => 1)).toBe(60_000);
  expect(backoffMs(30, 1000, 60_000, () => 0)).toBe(30_000);
});
