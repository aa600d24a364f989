import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../context";
import { AFTER_ARG, FIRST_ARG, pageRequest } from "../../shared/pagination";
import { Role } from "../auth/role";
import { CreateWebhookInput, UpdateWebhookInput } from "./webhook.inputs";
import { DELIVERY_CURSOR } from "./webhook.service";
import { CreateWebhookPayload, Webhook, WebhookDelivery, WebhookDeliveryConnection } from "./webhook.types";

const WEBHOOK_ID = { description: "The endpoint's id; NOT_FOUND when there is none." };

@Resolver(() => Webhook)
export class WebhookResolver {
  @Authorized(Role.ADMIN)
  @Query(() => [Webhook], { description: "ADMIN: every webhook endpoint (at most 100), oldest first." })
  webhooks(@Ctx() ctx: Context): Promise<Webhook[]> {
    return ctx.services.webhook.list();
  }

  @Authorized(Role.ADMIN)
  @Query(() => Webhook, { description: "ADMIN: one webhook endpoint." })
  webhook(@Ctx() ctx: Context, @Arg("id", () => ID, WEBHOOK_ID) id: string): Promise<Webhook> {
    return ctx.services.webhook.get(id);
  }

  @FieldResolver(() => WebhookDeliveryConnection, {
    description: "The endpoint's delivery log: every attempt, newest first (kept as long as feed events).",
  })
  async deliveries(
    @Root() webhook: Webhook,
    @Ctx() ctx: Context,
    @Arg("first", () => Int, { nullable: true, description: FIRST_ARG }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: AFTER_ARG }) after?: string | null,
  ): Promise<InstanceType<typeof WebhookDeliveryConnection>> {
    const page = pageRequest(first, after, DELIVERY_CURSOR);
    return new WebhookDeliveryConnection(await ctx.services.webhook.deliveries(webhook.dbId, page));
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => CreateWebhookPayload, {
    description:
      "ADMIN: a new endpoint, told about events from now on (signed JSON POSTs; see README, Webhooks). The " +
      "secret is returned here only.",
  })
  createWebhook(
    @Ctx() ctx: Context,
    @Arg("input", () => CreateWebhookInput, { description: "The endpoint." }) input: CreateWebhookInput,
  ): Promise<CreateWebhookPayload> {
    return ctx.services.webhook.create(input);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => Webhook, { description: "ADMIN: changes an endpoint; active: true enables a FAILING one." })
  updateWebhook(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, WEBHOOK_ID) id: string,
    @Arg("input", () => UpdateWebhookInput, { description: "What changes." }) input: UpdateWebhookInput,
  ): Promise<Webhook> {
    return ctx.services.webhook.update(id, input);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => Boolean, { description: "ADMIN: deletes an endpoint and its log; false when there was none." })
  deleteWebhook(@Ctx() ctx: Context, @Arg("id", () => ID, WEBHOOK_ID) id: string): Promise<boolean> {
    return ctx.services.webhook.delete(id);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => WebhookDelivery, {
    description:
      "ADMIN: sends the event of a logged attempt again, now, with the same Newsgraph-Delivery id, and returns " +
      "the new attempt. The endpoint's cursor and its in-order deliveries are not affected.",
  })
  redeliverWebhookEvent(
    @Ctx() ctx: Context,
    @Arg("deliveryId", () => ID, { description: "A WebhookDelivery's id from the endpoint's log." }) deliveryId: string,
  ): Promise<WebhookDelivery> {
    return ctx.services.webhook.redeliver(deliveryId);
  }
}
