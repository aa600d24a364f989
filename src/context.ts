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

/** What every resolver receives: who asks, and this request's own loaders (caches die with it). */
export class Context {
  readonly loaders;

  constructor(
    readonly services: Services,
    readonly viewer: Viewer | null,
    readonly requestId: string = randomUUID(),
    readonly clientIp: string = "unknown",
    loaderOptions: LoaderOptions = { batch: true },
  ) {
    this.loaders = {
      article: createArticleLoaders(services, viewer, loaderOptions),
      author: createAuthorLoaders(services, loaderOptions),
      topic: createTopicLoaders(services, loaderOptions),
      comment: createCommentLoaders(services, viewer, loaderOptions),
    };
  }
}
