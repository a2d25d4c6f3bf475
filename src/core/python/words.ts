/** The identifiers in a statement's text (its strings' words too), cached by text: asked of the same statements on every keystroke. */
const wordsCache = new Map<string, string[]>();
const CACHE_LIMIT = 20000;
const WORD = /[\p{L}_][\p{L}\p{N}_]*/gu;

export function clearWordsCache(): void {
  wordsCache.clear();
}

/** The distinct identifiers in `text` (strings' words too, which only finds more). */
export function wordsOf(text: string): string[] {
  let words = wordsCache.get(text);
  if (!words) {
    if (wordsCache.size >= CACHE_LIMIT) wordsCache.clear();
    words = [...new Set(text.match(WORD))];
    wordsCache.set(text, words);
  }
  return words;
}
