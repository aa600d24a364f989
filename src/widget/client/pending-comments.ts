import type { CommentData } from "./queries";
import { load, pendingKey, save } from "./storage";

/** A comment of this tab's writer still awaiting moderation, with where it goes in the thread. */
export interface PendingComment extends CommentData {
  parentId: string | null;
}

/** Keeps a held comment for this tab (sessionStorage), once. */
export function rememberPending(articleId: string, comment: CommentData, parentId: string | null): void {
  const pending = load<PendingComment[]>(pendingKey(articleId), []);
  if (!pending.some((p) => p.id === comment.id)) pending.push({ ...comment, parentId });
  save(pendingKey(articleId), pending);
}

/** The held comments the thread does not show yet; those it shows (approved since) are forgotten. */
export function pendingComments(articleId: string, shown: (id: string) => boolean): PendingComment[] {
  const key = pendingKey(articleId);
  const pending = load<PendingComment[]>(key, []);
  const still = pending.filter((p) => !shown(p.id));
  if (still.length !== pending.length) save(key, still.length ? still : null);
  return still;
}

export function forgetPending(articleId: string, id: string): void {
  const key = pendingKey(articleId);
  const pending = load<PendingComment[]>(key, []).filter((p) => p.id !== id);
  save(key, pending.length ? pending : null);
}
