import type { LoaderOptions } from "../../shared/loaders";
import { loader } from "../../shared/loaders";
import type { LoaderServices } from "../loaders";

export function createTopicLoaders(services: LoaderServices, options: LoaderOptions) {
  return {
    byId: loader(options, (ids: readonly number[]) => services.topic.byIds(ids)),
    bySlug: loader(options, (slugs: readonly string[]) => services.topic.bySlugs(slugs)),
  };
}

export type TopicLoaders = ReturnType<typeof createTopicLoaders>;
