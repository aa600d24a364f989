import { Role, atLeast } from "./role";

/** Who is asking: an authenticated author with the role of their token, or null for anonymous readers. */
export interface Viewer {
  authorId: number;
  role: Role;
  tokenId: number;
}

export const isEditor = (viewer: Viewer | null): boolean => viewer !== null && atLeast(viewer.role, Role.EDITOR);

/** Viewers who see exactly the same things: anonymous readers, all editors, or one writer. */
export const visibilityClass = (viewer: Viewer | null): string =>
  viewer === null ? "anonymous" : isEditor(viewer) ? "editor" : `writer:${viewer.authorId}`;
