import { Context, Loaders } from "../../context";
import type { Services } from "../services";
import { Viewer } from "../auth/viewer";

/**
 * The context of one subscription. Its payloads resolve through loaders shared
 * with every other subscriber of the same visibility class and renewed per
 * feed batch, so nested fields of an event cost the same for 1 or 10,000
 * subscribers.
 */
export class SubscriptionContext extends Context {
  constructor(
    services: Services,
    viewer: Viewer | null,
    requestId?: string,
    /** Query, operation name and variables: subscribers with the same key share executions. */
    readonly operationKey?: string,
  ) {
    super(services, viewer, requestId);
  }

  override get loaders(): Loaders {
    return this.services.feedDispatcher.sharedLoaders(this.viewer);
  }
}
