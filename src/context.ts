import { randomUUID } from "node:crypto";
import { Tags } from "./cache/cache-tags";
import type { LoaderOptions } from "./shared/loaders";
import { nodeTypeOf } from "./shared/node-id";
import type { Viewer } from "./modules/auth/viewer";
import type { Article } from "./modules/article/article.entity";
import { createLoaders, type Loaders } from "./modules/loaders";
import type { Services } from "./modules/services";

export interface ContextSource {
  /** The Authorization header, or connectionParams.authorization over WebSocket. */
  authorization?: string | null;
  requestId?: string;
  /** The caller's address, for rate limits. */
  clientIp?: string;
  loaderOptions?: LoaderOptions;
}

/** Authenticates the caller (UNAUTHENTICATED for a bad token) and builds the request's context. */
export async function createContext(services: Services, source: ContextSource): Promise<Context> {
  const viewer = await services.auth.authenticate(source.authorization);
  return new Context(services, viewer, source.requestId, source.clientIp, source.loaderOptions);
}

/** What every resolver receives: who asks, and this request's own loaders (caches die with it). */
export class Context {
  private ownLoaders: Loaders | undefined;
  /** What this response read, when it may be cached (response-cache.ts); null otherwise. */
  tags: Set<string> | null = null;
  /** Set by a resolver whose answer no cache may keep (a draft preview): private, no-store, never stored. */
  private uncacheable = false;

  constructor(
    readonly services: Services,
    readonly viewer: Viewer | null,
    readonly requestId: string = randomUUID(),
    readonly clientIp: string = "unknown",
    private readonly loaderOptions: LoaderOptions = { batch: true },
  ) {}

  /**
   * The article a preview token opened in this request (Query.articlePreview): the nested fields that lead
   * back to it (a comment's or a live entry's `article`) answer with it. No other path reads it: the loaders
   * keep to the viewer's sight, so article(id:) and node(id:) still do not show it.
   */
  private readonly previewed = new Map<number, Article>();

  grantPreview(article: Article): void {
    this.previewed.set(article.dbId, article);
  }

  previewedArticle(id: number): Article | undefined {
    return this.previewed.get(id);
  }

  /** Marks this response as one no cache may keep, whatever the cache hints say. */
  noStore(): void {
    this.uncacheable = true;
    this.tags = null;
  }

  get mayStore(): boolean {
    return !this.uncacheable;
  }

  startTagging(): void {
    if (this.uncacheable) return;
    this.tags ??= new Set();
  }

  /** Records cache tags; for free when the response is not being cached. */
  tag(...tags: string[]): void {
    if (this.tags) for (const t of tags) this.tags.add(t);
  }

  /** Tags the entities in a resolver's result (one, a list, or a page's nodes) and returns it unchanged. */
  tagged<T>(value: T, ...lists: string[]): T {
    if (!this.tags) return value;
    this.tag(...lists);
    const items = Array.isArray(value)
      ? value
      : value && typeof value === "object" && "nodes" in value
        ? (value as { nodes: unknown[] }).nodes
        : [value];
    for (const item of items) {
      const type = item && typeof item === "object" ? nodeTypeOf(item) : undefined;
      if (type) this.tags.add(Tags.entity(type, (item as { dbId: number }).dbId));
    }
    return value;
  }

  /** This request's loaders, made on first use; subscriptions share theirs per feed event (feed-dispatcher.ts). */
  get loaders(): Loaders {
    this.ownLoaders ??= createLoaders(this.services, this.viewer, this.loaderOptions);
    return this.ownLoaders;
  }
}

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
