import type { LoaderOptions } from "../../shared/loaders";
import { loader, pageLoader } from "../../shared/loaders";
import type { Viewer } from "../auth/viewer";
import type { LoaderServices } from "../loaders";

export function createLiveEntryLoaders(services: LoaderServices, viewer: Viewer | null, options: LoaderOptions) {
  const { liveEntry } = services;
  const count = {
    all: loader(options, (ids: readonly number[]) => liveEntry.counts(ids, false)),
    keyEvents: loader(options, (ids: readonly number[]) => liveEntry.counts(ids, true)),
  };
  return {
    byId: loader(options, (ids: readonly number[]) => liveEntry.byIds(viewer, ids)),
    /** A page of each article's entries, newest first. */
    page: pageLoader(options, (ids, page) => liveEntry.pages(ids, page, false, (id) => count.all.load(id))),
    /** A page of each article's key events, newest first. */
    keyEvents: pageLoader(options, (ids, page) => liveEntry.pages(ids, page, true, (id) => count.keyEvents.load(id))),
    pinned: loader(options, (ids: readonly number[]) => liveEntry.pinned(ids)),
  };
}

export type LiveEntryLoaders = ReturnType<typeof createLiveEntryLoaders>;
