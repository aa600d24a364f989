/**
 * Real HTTP receivers on 127.0.0.1 for the webhook tests. Each records every request it gets (delivery
 * id, event, whether the signature verifies with the endpoint's secret, as README tells integrators to
 * check it) and answers as its `answer` says: a status, or "hang" (never answers until closed).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  deliveryId: string;
  eventId: string;
  kind: string;
  body: any;
  signatureOk: boolean;
  /** The status this receiver answered (null: it hung). */
  answered: number | null;
}

export type Answer = number | "hang" | ((r: Received, n: number) => number | "hang" | Promise<number>);

/** README's verification recipe, verbatim in spirit: HMAC-SHA256 over "t.body", constant-time compare, 5-minute tolerance. */
export function verifySignature(
  secret: string,
  header: string | undefined,
  rawBody: string,
  nowSeconds = Date.now() / 1000,
): boolean {
  const parts = Object.fromEntries((header ?? "").split(",").map((kv) => kv.split("=", 2) as [string, string]));
  const t = Number(parts.t);
  if (!parts.t || !parts.v1 || !Number.isInteger(t) || Math.abs(nowSeconds - t) > 300) return false;
  const expected = createHmac("sha256", secret).update(`${parts.t}.${rawBody}`).digest();
  const given = Buffer.from(parts.v1, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export class Receiver {
  readonly received: Received[] = [];
  secret = "";
  private hanging: ServerResponse[] = [];
  private constructor(
    private readonly server: ReturnType<typeof createServer>,
    public answer: Answer,
  ) {}

  static async start(answer: Answer = 200): Promise<Receiver> {
    const server = createServer();
    const receiver = new Receiver(server, answer);
    server.on("request", (req, res) => void receiver.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  /** Deliveries this receiver acknowledged (answered 2xx), in arrival order. */
  get acked(): Received[] {
    return this.received.filter((r) => r.answered !== null && r.answered >= 200 && r.answered < 300);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const body = JSON.parse(raw);
    const r: Received = {
      deliveryId: String(req.headers["newsgraph-delivery"]),
      eventId: body.event.id,
      kind: String(req.headers["newsgraph-event"]),
      body,
      signatureOk: verifySignature(this.secret, req.headers["newsgraph-signature"] as string, raw),
      answered: null,
    };
    this.received.push(r);
    const answer = typeof this.answer === "function" ? await this.answer(r, this.received.length) : this.answer;
    if (answer === "hang") {
      this.hanging.push(res);
      return;
    }
    r.answered = answer;
    res.writeHead(answer, { "content-type": "text/plain" }).end("ok");
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
