/**
 * Whether a statement's text contains `name(`, exactly as `text.includes(name + '(')` says. The interpreter asks it
 * for every statement it does not walk and every module-level name bound to a model (a statement calling a model
 * is walked): asked with `includes`, that scanned the file once per model name on every analysis. A name made of
 * identifier characters can only match at the end of a run of them just before a `(`, so the runs are found once
 * per statement text (cached by text, like parse trees) and the test is an `endsWith` on a few short strings.
 */
const runsCache = new Map<string, string[]>();
const CACHE_LIMIT = 20000;
const IDENTIFIER_RUN = /[\p{L}\p{N}_]+(?=\()/gu;
const IDENTIFIER = /^[\p{L}\p{N}_]+$/u;

export function clearCallsCache(): void {
  runsCache.clear();
}

/** A name made of identifier characters only (others are looked for as text). */
export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** The distinct runs of identifier characters just before a `(` in `text`. */
export function callRuns(text: string): string[] {
  let runs = runsCache.get(text);
  if (!runs) {
    if (runsCache.size >= CACHE_LIMIT) runsCache.clear();
    runs = text.includes('(') ? [...new Set(text.match(IDENTIFIER_RUN))] : [];
    runsCache.set(text, runs);
  }
  return runs;
}

export function callsName(text: string, name: string): boolean {
  // `net.model(`: a dotted or subscripted target is looked for as text.
  if (!IDENTIFIER.test(name)) return text.includes(`${name}(`);
  for (const run of callRuns(text)) if (run.endsWith(name)) return true;
  return false;
}
