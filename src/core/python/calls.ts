/**
 * Whether a statement's text contains `name(`, exactly as `text.includes(name + '(')` says. The interpreter asks it
 * for every statement it does not walk and every module-level name bound to a model (a statement calling a model
 * is walked): asked with `includes`, that scanned the file once per model name on every analysis. A name made of
 * identifier characters can only match at the end of a run of them just before a `(`, so the runs are found once
 * per statement text (cached by text, like parse trees) and the test is an `endsWith` on a few short strings.
 */
const runsCache = new Map<string, Runs>();
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

/** Space, tab, carriage return and line feed: what may stand between a name and its call's `(`. */
function isSpaceBeforeCall(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

/** A statement text's runs before a `(`: `runs` tight against it, `heads` with spaces between allowed (the same array when no `(` follows a space). */
interface Runs {
  runs: string[];
  heads: string[];
}

/** Start of the run of identifier characters that ends at `end` (`end` itself when there is none). */
function runStart(text: string, end: number): number {
  let start = end;
  for (let w = start > 0 ? runCharBefore(text, start) : 0; w > 0; w = start > 0 ? runCharBefore(text, start) : 0) start -= w;
  return start;
}

/**
 * Walks back from each `(` over identifier characters (a pass over the brackets, not a regular expression over every
 * character: a cold analysis asks this of most statements of the file), and for `heads` over spaces, tabs and line
 * breaks first (`build_model (x)`). One pass for both: the interpreter asks for the runs and walkCallers for the
 * heads of nearly every statement of a cold analysis.
 */
function findRuns(text: string): Runs {
  const runs = new Set<string>();
  let heads: Set<string> | undefined;
  for (let p = text.indexOf('('); p >= 0; p = text.indexOf('(', p + 1)) {
    const start = runStart(text, p);
    if (start < p) {
      const run = text.slice(start, p);
      runs.add(run);
      heads?.add(run);
      continue;
    }
    let end = p;
    while (end > 0 && isSpaceBeforeCall(text.charCodeAt(end - 1))) end--;
    if (end === p) continue;
    const spaced = runStart(text, end);
    if (spaced < end) (heads ??= new Set(runs)).add(text.slice(spaced, end));
  }
  const tight = [...runs];
  return { runs: tight, heads: heads ? [...heads] : tight };
}

function cachedRuns(text: string): Runs {
  let runs = runsCache.get(text);
  if (!runs) {
    if (runsCache.size >= CACHE_LIMIT) runsCache.clear();
    runs = findRuns(text);
    runsCache.set(text, runs);
  }
  return runs;
}

/** The distinct names written just before a `(`, spaces between allowed: the names a statement may call. */
export function callHeads(text: string): string[] {
  return cachedRuns(text).heads;
}

/** callHeads of a text made for one question (a slice of a statement): not kept, as no later analysis asks it again. */
export function callHeadsOnce(text: string): string[] {
  return findRuns(text).heads;
}

/** The distinct runs of identifier characters just before a `(` in `text`. */
export function callRuns(text: string): string[] {
  return cachedRuns(text).runs;
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
  /**
   * How many members end with each pair of code units (a one-unit member: its unit, negated): a run whose end no
   * member shares is passed over without slicing it (most runs, `Dense(` or `range(`: a keystroke's analysis asks
   * this of every statement between a group's own).
   */
  private readonly ends = new Map<number, number>();

  private static end(name: string): number {
    const n = name.length;
    return n >= 2 ? name.charCodeAt(n - 2) * 65536 + name.charCodeAt(n - 1) : -1 - name.charCodeAt(0);
  }

  override add(name: string): this {
    if (this.has(name) || name.length === 0) return super.add(name);
    if (!IDENTIFIER.test(name)) this.others.add(name);
    const end = CalledNames.end(name);
    this.ends.set(end, (this.ends.get(end) ?? 0) + 1);
    return super.add(name);
  }

  override delete(name: string): boolean {
    if (!this.has(name)) return false;
    this.others.delete(name);
    const end = CalledNames.end(name);
    const count = (this.ends.get(end) ?? 1) - 1;
    if (count > 0) this.ends.set(end, count);
    else this.ends.delete(end);
    return super.delete(name);
  }

  override clear(): void {
    this.others.clear();
    this.ends.clear();
    super.clear();
  }

  calledIn(text: string): boolean {
    if (this.size === 0) return false;
    const runs = callRuns(text);
    for (let r = 0; r < runs.length; r++) {
      const run = runs[r];
      const n = run.length;
      const last = run.charCodeAt(n - 1);
      if (!this.ends.has(-1 - last) && !(n >= 2 && this.ends.has(run.charCodeAt(n - 2) * 65536 + last))) continue;
      for (let k = 0; k < n; k++) if (this.has(k === 0 ? run : run.slice(k))) return true;
    }
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
