import { randomUUID } from "node:crypto";
import { LoaderOptions } from "./shared/loaders";
import { Viewer } from "./modules/auth/viewer";
import { Services } from "./modules/services";
import { createArticleLoaders } from "./modules/article/article.loaders";
import { createAuthorLoaders } from "./modules/author/author.loaders";
import { createCommentLoaders } from "./modules/comment/comment.loaders";
import { createTopicLoaders } from "./modules/topic/topic.loaders";

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

export type Loaders = ReturnType<typeof createLoaders>;

function createLoaders(services: Services, viewer: Viewer | null, options: LoaderOptions) {
  return {
    article: createArticleLoaders(services, viewer, options),
    author: createAuthorLoaders(services, options),
    topic: createTopicLoaders(services, options),
    comment: createCommentLoaders(services, viewer, options),
  };
}

/** What every resolver receives: who asks, and this request's own loaders (caches die with it). */
export class Context {
  private ownLoaders: Loaders | undefined;

  constructor(
    readonly services: Services,
    readonly viewer: Viewer | null,
    readonly requestId: string = randomUUID(),
    readonly clientIp: string = "unknown",
    private readonly loaderOptions: LoaderOptions = { batch: true },
  ) {}

  /** This request's loaders, made on first use; subscriptions share theirs per feed event (feed-dispatcher.ts). */
  get loaders(): Loaders {
    this.ownLoaders ??= createLoaders(this.services, this.viewer, this.loaderOptions);
    return this.ownLoaders;
  }
}
