/**
 * Whether a statement's text contains `name(`, exactly as `text.includes(name + '(')` says. The interpreter asks it
 * for every statement it does not walk and every module-level name bound to a model (a statement calling a model
 * is walked): asked with `includes`, that scanned the file once per model name on every analysis. A name made of
 * identifier characters can only match at the end of a run of them just before a `(`, so the runs are found once
 * per statement text (cached by text, like parse trees) and the test is an `endsWith` on a few short strings.
 */
const runsCache = new Map<string, string[]>();
const CACHE_LIMIT = 20000;
const IDENTIFIER_CHAR = /^[\p{L}\p{N}_]$/u;
const IDENTIFIER = /^[\p{L}\p{N}_]+$/u;

export function clearCallsCache(): void {
  runsCache.clear();
}

/** A name made of identifier characters only (others are looked for as text). */
export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** Width (1 or 2 code units) of the identifier character that ends at `end` (exclusive), or 0 if there is none. */
function runCharBefore(text: string, end: number): number {
  const c = text.charCodeAt(end - 1);
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95) return 1;
  if (c < 128) return 0;
  // A surrogate pair is one character, as for the `u` flag; a lone surrogate is none of ours.
  const pair = c >= 0xdc00 && c <= 0xdfff && end >= 2 && text.charCodeAt(end - 2) >= 0xd800 && text.charCodeAt(end - 2) <= 0xdbff;
  const width = pair ? 2 : 1;
  return IDENTIFIER_CHAR.test(text.slice(end - width, end)) ? width : 0;
}

/**
 * Walks back from each `(` over identifier characters (a pass over the brackets, not a regular expression over every
 * character: a cold analysis asks this of most statements of the file).
 */
function findRuns(text: string): string[] {
  const runs = new Set<string>();
  for (let p = text.indexOf('('); p >= 0; p = text.indexOf('(', p + 1)) {
    let start = p;
    for (let w = start > 0 ? runCharBefore(text, start) : 0; w > 0; w = start > 0 ? runCharBefore(text, start) : 0) start -= w;
    if (start < p) runs.add(text.slice(start, p));
  }
  return [...runs];
}

/** The distinct runs of identifier characters just before a `(` in `text`. */
export function callRuns(text: string): string[] {
  let runs = runsCache.get(text);
  if (!runs) {
    if (runsCache.size >= CACHE_LIMIT) runsCache.clear();
    runs = findRuns(text);
    runsCache.set(text, runs);
  }
  return runs;
}

/**
 * A set of names whose calls a statement's text is asked about, all at once: `calledIn(text)` is `callsName(text, n)`
 * for some member `n`. A cold analysis asks it of every statement it does not walk, with every module-level name
 * bound to a model (hundreds in a model-dense file): asked name by name, that was a scan per name and statement.
 * Here each run before a `(` is looked up by its suffixes instead (a name made of identifier characters matches
 * exactly the runs that end with it); the rare other names are looked for as text.
 */
export class CalledNames extends Set<string> {
  private readonly others = new Set<string>();

  override add(name: string): this {
    if (!IDENTIFIER.test(name)) this.others.add(name);
    return super.add(name);
  }

  override delete(name: string): boolean {
    this.others.delete(name);
    return super.delete(name);
  }

  override clear(): void {
    this.others.clear();
    super.clear();
  }

  calledIn(text: string): boolean {
    if (this.size === 0) return false;
    for (const run of callRuns(text)) for (let k = 0; k < run.length; k++) if (this.has(k === 0 ? run : run.slice(k))) return true;
    for (const name of this.others) if (text.includes(`${name}(`)) return true;
    return false;
  }
}

export function callsName(text: string, name: string): boolean {
  // `net.model(`: a dotted or subscripted target is looked for as text.
  if (!IDENTIFIER.test(name)) return text.includes(`${name}(`);
  for (const run of callRuns(text)) if (run.endsWith(name)) return true;
  return false;
}
