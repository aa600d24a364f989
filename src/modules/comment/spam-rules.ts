/** What holds a comment for moderation in post-moderation mode (besides a repeated body, checked in SQL). */
export interface SpamRules {
  /** Lowercase words; a comment containing any of them as a word waits for an editor. */
  bannedWords: readonly string[];
  /** More links than this and the comment waits. */
  maxLinks: number;
}

const LINK = /\b(?:https?:\/\/|www\.)\S+/gi;

/** Why the comment should wait for a moderator, or null when nothing holds it. */
export function holdReason(rules: SpamRules, body: string, honeypot: string | null): string | null {
  if (honeypot !== null && honeypot.trim() !== "") return "honeypot";
  if ((body.match(LINK) ?? []).length > rules.maxLinks) return "links";
  // Stryker disable next-line ConditionalExpression: equivalent, some() of no banned words is false; the test only saves the split
  if (rules.bannedWords.length) {
    const words = new Set(body.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? []);
    if (rules.bannedWords.some((w) => words.has(w))) return "banned word";
  }
  return null;
}
