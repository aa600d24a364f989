import { LoaderOptions, loader } from "../../shared/loaders";
import type { Services } from "../services";

export function createTopicLoaders(services: Services, options: LoaderOptions) {
  return {
    byId: loader(options, (ids: readonly number[]) => services.topic.byIds(ids)),
    bySlug: loader(options, (slugs: readonly string[]) => services.topic.bySlugs(slugs)),
  };
}

export type TopicLoaders = ReturnType<typeof createTopicLoaders>;
