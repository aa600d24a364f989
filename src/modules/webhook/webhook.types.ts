import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { connectionType } from "../../shared/pagination";

export enum WebhookStatus {
  ACTIVE = "ACTIVE",
  PAUSED = "PAUSED",
  FAILING = "FAILING",
}
registerEnumType(WebhookStatus, {
  name: "WebhookStatus",
  description: "Whether an endpoint receives deliveries.",
  valuesConfig: {
    ACTIVE: { description: "Delivered to, in log order; a failing delivery is retried with backoff." },
    PAUSED: { description: "Switched off by an admin (updateWebhook active: false); its cursor stays." },
    FAILING: {
      description:
        "Its deliveries failed for longer than WEBHOOK_RETRY_WINDOW_MS (a day by default): nothing is sent until " +
        "an admin enables it again (updateWebhook active: true), which resumes at the event that failed.",
    },
  },
});

/** A global id of the webhook module's own: these are not nodes (node(id:) is for public content). */
export const encodeWebhookId = (kind: "Webhook" | "WebhookDelivery", id: number) =>
  Buffer.from(`${kind}:${id}`).toString("base64url");

export function decodeWebhookId(kind: "Webhook" | "WebhookDelivery", globalId: string): number | null {
  if (globalId.length > 64 || !/^[A-Za-z0-9_-]+$/.test(globalId)) return null;
  const match = /^(\w+):([1-9][0-9]{0,9})$/.exec(Buffer.from(globalId, "base64url").toString("utf8"));
  if (!match || match[1] !== kind || Number(match[2]) > 2_147_483_647) return null;
  return Number(match[2]);
}

@ObjectType({ simpleResolvers: true, description: "ADMIN: an endpoint that is told about events of the feed log." })
export class Webhook {
  dbId: number;

  @Field(() => ID, { description: "The endpoint's id." })
  get id(): string {
    return encodeWebhookId("Webhook", this.dbId);
  }

  @Field({ description: "Where deliveries are POSTed." })
  url: string;

  @Field(() => [String], { description: "The event kinds it receives (see createWebhook)." })
  eventKinds: string[];

  @Field(() => [String], {
    description: "Topic filter: when not empty, only events whose article has one of these topics (now) are sent.",
  })
  topicSlugs: string[];

  @Field(() => WebhookStatus, { description: "Whether it receives deliveries." })
  status: WebhookStatus;

  @Field(() => String, {
    description: "The feed position it has reached: events up to this id were acknowledged or filtered out.",
  })
  ackedEventId: string;

  @Field(() => Int, { description: "Failed attempts at the event it waits on; 0 when deliveries succeed." })
  attempt: number;

  @Field(() => Date, { nullable: true, description: "When the next retry is due, while one is waiting." })
  nextAttemptAt: Date | null;

  @Field(() => Date, { nullable: true, description: "Since when deliveries fail without a success between." })
  failingSince: Date | null;

  @Field(() => String, { nullable: true, description: "Why the last attempt failed, until one succeeds." })
  lastError: string | null;

  @Field(() => Date, { description: "When it was created." })
  createdAt: Date;

  @Field(() => Date, { description: "When an admin last changed it." })
  updatedAt: Date;
}

@ObjectType({ simpleResolvers: true, description: "One attempt to deliver one event to one endpoint." })
export class WebhookDelivery {
  dbId: number;
  webhookDbId: number;

  @Field(() => ID, { description: "The attempt's id (for redeliverWebhookEvent)." })
  get id(): string {
    return encodeWebhookId("WebhookDelivery", this.dbId);
  }

  @Field({
    description:
      "The Newsgraph-Delivery header it carried: the same for every attempt at one event, so receivers dedupe by it.",
  })
  deliveryId: string;

  @Field(() => String, { description: "The feed event's id (a bigint, as a string)." })
  eventId: string;

  @Field({ description: "The event's kind." })
  eventKind: string;

  @Field(() => Int, { description: "1 for the first attempt at this event, then 2, 3, ...; redeliveries count on." })
  attempt: number;

  @Field(() => Int, { nullable: true, description: "The receiver's HTTP status; null when none came." })
  statusCode: number | null;

  @Field(() => String, { nullable: true, description: "What went wrong without a status (timeout, refused, ...)." })
  error: string | null;

  @Field({ description: "True when the receiver answered 2xx." })
  succeeded: boolean;

  @Field({ description: "True for a redeliverWebhookEvent attempt." })
  redelivery: boolean;

  @Field(() => Int, { description: "How long the attempt took, in ms." })
  durationMs: number;

  @Field(() => Date, { description: "When the attempt was made." })
  createdAt: Date;
}

export const WebhookDeliveryConnection = connectionType(WebhookDelivery, "WebhookDelivery");

@ObjectType({ simpleResolvers: true, description: "A new endpoint, with its signing secret." })
export class CreateWebhookPayload {
  @Field(() => Webhook, { description: "The endpoint." })
  webhook: Webhook;

  @Field({ description: "The signing secret: shown here once, never readable again (updateWebhook sets a new one)." })
  secret: string;
}
