import { diffLines, diffWordsWithSpace } from "diff";
import type { ChangeObject } from "diff";
import { DiffChunkKind } from "./article-revision.types";
import type { DiffChunk } from "./article-revision.types";

/** Longest time a word or line diff may take (each) before a coarser one is used: bodies run to 200,000 characters. */
export const DIFF_TIMEOUT_MS = 150;

const chunks = (changes: ChangeObject<string>[]): DiffChunk[] =>
  changes
    .filter((c) => c.value.length > 0)
    .map((c) => ({
      kind: c.added ? DiffChunkKind.ADDED : c.removed ? DiffChunkKind.REMOVED : DiffChunkKind.UNCHANGED,
      text: c.value,
    }));

/**
 * The diff of two texts as chunks: by words, then by lines if that takes
 * longer than DIFF_TIMEOUT_MS, then as the old text removed and the new added.
 */
export function diffText(from: string, to: string): DiffChunk[] {
  if (from === to) return from ? [{ kind: DiffChunkKind.UNCHANGED, text: from }] : [];
  const words = diffWordsWithSpace(from, to, { timeout: DIFF_TIMEOUT_MS });
  if (words) return chunks(words);
  const lines = diffLines(from, to, { timeout: DIFF_TIMEOUT_MS });
  if (lines) return chunks(lines);
  return [
    ...(from ? [{ kind: DiffChunkKind.REMOVED, text: from }] : []),
    ...(to ? [{ kind: DiffChunkKind.ADDED, text: to }] : []),
  ];
}
