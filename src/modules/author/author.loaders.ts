import { LoaderOptions, loader } from "../../shared/loaders";
import type { Services } from "../services";

export function createAuthorLoaders(services: Services, options: LoaderOptions) {
  return {
    byId: loader(options, (ids: readonly number[]) => services.author.byIds(ids)),
    bySlug: loader(options, (slugs: readonly string[]) => services.author.bySlugs(slugs)),
  };
}

export type AuthorLoaders = ReturnType<typeof createAuthorLoaders>;
