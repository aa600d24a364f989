import type { LoaderOptions } from "../../shared/loaders";
import { loader } from "../../shared/loaders";
import type { LoaderServices } from "../loaders";

/** Per-request image loaders. */
export function createImageLoaders(services: LoaderServices, options: LoaderOptions) {
  const { image } = services;
  return {
    byId: loader(options, (ids: readonly number[]) => image.byIds(ids)),
  };
}

export type ImageLoaders = ReturnType<typeof createImageLoaders>;
