import type { LoaderOptions } from "../../shared/loaders";
import { loader } from "../../shared/loaders";
import type { LoaderServices } from "../loaders";

export function createAuthorLoaders(services: LoaderServices, options: LoaderOptions) {
  return {
    byId: loader(options, (ids: readonly number[]) => services.author.byIds(ids)),
    bySlug: loader(options, (slugs: readonly string[]) => services.author.bySlugs(slugs)),
  };
}

export type AuthorLoaders = ReturnType<typeof createAuthorLoaders>;
