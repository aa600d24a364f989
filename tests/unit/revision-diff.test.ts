/**
 * The revision diff (article-revision.diff.ts): whatever the texts, the
 * chunks spell both of them, none is empty, and two neighbours never share a
 * kind; a diff too slow by words falls back to lines, then to a whole
 * replacement, and still spells both texts.
 */
import "reflect-metadata";
import fc from "fast-check";
import { diffText } from "../../src/modules/article/article-revision.diff";
import type { DiffChunk } from "../../src/modules/article/article-revision.types";

const spell = (chunks: DiffChunk[], skip: string) =>
  chunks
    .filter((c) => c.kind !== skip)
    .map((c) => c.text)
    .join("");

function expectSpells(from: string, to: string, chunks: DiffChunk[]): void {
  expect(spell(chunks, "ADDED")).toBe(from);
  expect(spell(chunks, "REMOVED")).toBe(to);
  expect(chunks.filter((c) => c.text === "")).toEqual([]);
}

test("the chunks spell both texts, whitespace and punctuation included", () => {
  const words = fc.constantFrom("harbour", "barrier", "2027", "2028", " ", "  ", "\n\n", ".", ",", "**", "é", "😀");
  const text = fc.array(words, { maxLength: 40 }).map((w) => w.join(""));
  fc.assert(
    fc.property(text, text, (from, to) => {
      expectSpells(from, to, diffText(from, to));
    }),
    { numRuns: 300 },
  );
});

test("equal texts are one UNCHANGED chunk, two empty ones none", () => {
  expect(diffText("Same.", "Same.")).toEqual([{ kind: "UNCHANGED", text: "Same." }]);
  expect(diffText("", "")).toEqual([]);
  expect(diffText("", "New")).toEqual([{ kind: "ADDED", text: "New" }]);
  expect(diffText("Old", "")).toEqual([{ kind: "REMOVED", text: "Old" }]);
});

test("a word change is that word alone", () => {
  expect(diffText("It opens in 2027.", "It opens in 2028.")).toEqual([
    { kind: "UNCHANGED", text: "It opens in " },
    { kind: "REMOVED", text: "2027" },
    { kind: "ADDED", text: "2028" },
    { kind: "UNCHANGED", text: "." },
  ]);
});

test("a 200,000-character body rewritten throughout still spells both texts (the coarser fallbacks)", () => {
  const from = Array.from({ length: 40_000 }, (_, i) => `a${i % 7}`)
    .join(" ")
    .slice(0, 200_000);
  const to = Array.from({ length: 40_000 }, (_, i) => `b${i % 5}`)
    .join("\n")
    .slice(0, 200_000);
  expectSpells(from, to, diffText(from, to));
});
