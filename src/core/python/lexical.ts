/**
 * Python's lexical rules that decide where a statement ends: string literals (prefixes, triple quotes, f-strings
 * with their replacement fields) and brackets, matched the way CPython's tokenizer matches them.
 */

export const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const OPENER: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isNameChar(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;
}

/** The quote at `i` opens an f-string: its prefix (one or two letters right before it, `f`, `rf`, `Fr`…) holds an f. */
export function isFormatted(src: string, i: number): boolean {
  let p = i;
  while (p > 0 && i - p < 3 && isNameChar(src.charCodeAt(p - 1))) p--;
  if (p === i || i - p > 2 || (p > 0 && isNameChar(src.charCodeAt(p - 1)))) return false;
  const prefix = src.slice(p, i);
  return /^[rRbBuU]?[fF][rR]?$/.test(prefix);
}

/**
 * Reads a statement's text in order, over its string literals, to tell whether offsets (asked in increasing order) are
 * in code: an offset inside a string other than an f-string is not (an f-string's fields are code, and what names a
 * model there is worth reading). Reads only as far as it is asked: a mention in a class's docstring, at its top, costs
 * a scan of the class's first lines.
 */
export class CodeReader {
  /** Every string before this offset has been read (the last one may run past the offset last asked). */
  at = 0;
  /** The last string read, other than an f-string: [start, end). */
  private stringStart = 0;
  private stringEnd = 0;

  constructor(private readonly text: string) {}

  inCode(offset: number): boolean {
    const text = this.text;
    while (this.at <= offset) {
      const c = text.charCodeAt(this.at);
      if (c !== 34 /* " */ && c !== 39 /* ' */) {
        this.at++;
        continue;
      }
      const start = this.at;
      this.at = skipString(text, start, text.length);
      if (!isFormatted(text, start)) {
        this.stringStart = start;
        this.stringEnd = this.at;
      }
    }
    return offset < this.stringStart || offset >= this.stringEnd;
  }
}

/** Length of a backslash escape at `k`: a backslash-CRLF is one line continuation, not an escape of the CR. */
function escapeLength(src: string, k: number): number {
  return src[k + 1] === '\r' && src[k + 2] === '\n' ? 3 : 2;
}

/**
 * Returns the offset just after the string literal whose quote is at `i`. A prefix never changes where a string
 * ends (in a raw string a backslash still keeps the next quote in it, as CPython's tokenizer reads it), except an
 * f-string's: a quote inside a replacement field starts a nested string (Python 3.12; code valid for 3.11 never has
 * one with the enclosing quote, so both read it alike). A string left open ends at the line's end (single quotes) or
 * at `end` (triple quotes), as CPython stops it.
 */
export function skipString(src: string, i: number, end: number): number {
  const q = src.charCodeAt(i);
  const triple = src.charCodeAt(i + 1) === q && src.charCodeAt(i + 2) === q;
  const formatted = isFormatted(src, i);
  let k = i + (triple ? 3 : 1);
  // By char code: every string of the file is read here on a cold analysis.
  while (k < end) {
    const c = src.charCodeAt(k);
    if (c === 92 /* \\ */) k += escapeLength(src, k);
    else if (c === q && (!triple || (src.charCodeAt(k + 1) === q && src.charCodeAt(k + 2) === q))) return k + (triple ? 3 : 1);
    else if (c === 10 /* \n */ && !triple) return k;
    else if (formatted && c === 123 /* { */) k = src.charCodeAt(k + 1) === 123 ? k + 2 : skipField(src, k + 1, end, src[i], triple);
    else k++;
  }
  return end;
}

/** The end of an f-string's replacement field whose expression starts at `k` (just after `{` or a spec's nested `{`). */
function skipField(src: string, k: number, end: number, q: string, triple: boolean): number {
  let depth = 0;
  while (k < end) {
    const ch = src[k];
    if (ch === '\n' && !triple) return k;
    if (ch === '"' || ch === "'") {
      k = skipString(src, k, end);
      continue;
    }
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (ch === '}') {
      if (depth === 0) return k + 1;
      depth--;
    } else if (depth <= 0 && (ch === ':' || (ch === '!' && src[k + 1] !== '='))) return skipFormatSpec(src, k + 1, end, q, triple);
    k++;
  }
  return end;
}

/** The end of a replacement field's conversion and format spec (literal text with nested fields), from `k`. */
function skipFormatSpec(src: string, k: number, end: number, q: string, triple: boolean): number {
  while (k < end) {
    const ch = src[k];
    if (ch === '}') return k + 1;
    if ((ch === '\n' && !triple) || ch === q) return k; // the string ends here (or is left open): its reader decides
    if (ch === '\\') k += escapeLength(src, k);
    else if (ch === '{') k = skipField(src, k + 1, end, q, triple);
    else k++;
  }
  return end;
}

/** `text` from where the decorators at its start end (each one a logical line: its brackets may span lines). */
export function withoutDecorators(text: string): string {
  return text.charCodeAt(0) === 64 /* @ */ ? text.slice(afterDecorators(text)) : text;
}

function afterDecorators(text: string): number {
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text[i] !== '@') return i;
    let depth = 0;
    while (i < text.length && !(text[i] === '\n' && depth === 0)) {
      const ch = text[i];
      if (ch === '"' || ch === "'") i = skipString(text, i, text.length);
      else if (ch === '#') while (i < text.length && text[i] !== '\n') i++;
      else {
        if (ch === '(' || ch === '[' || ch === '{') depth++;
        else if ((ch === ')' || ch === ']' || ch === '}') && depth > 0) depth--;
        else if (ch === '\\') i++; // a backslash continuation (or an escape) keeps the line going
        i++;
      }
    }
  }
}

/**
 * Where a closing bracket `ch` goes among the brackets open at offsets `open[0, depth)` (outermost first): the index
 * of the innermost one it matches, or -1. CPython's tokenizer stops at a closer that does not match the innermost
 * bracket; to read on, LayerLens takes it to close every bracket down to the one it matches (they were left open),
 * or, where none matches, leaves it out.
 */
export function matchingOpener(src: string, open: ArrayLike<number>, depth: number, ch: string): number {
  const want = OPENER[ch];
  for (let k = depth - 1; k >= 0; k--) if (src[open[k]] === want) return k;
  return -1;
}

/**
 * Whether brackets are ever closed, for the brackets open at one point and those opened after it: one scan forward
 * from that point to the end of the segment, run only as far as a question needs (so all the questions of one pass
 * over a segment cost one scan). Brackets are matched as `matchingOpener` says, and nothing else: no statement
 * boundary ends a bracket here, which is what tells a bracket Python closes later (valid code laid out in any way)
 * from one left open while the user types.
 */
export class BracketFates {
  private at: number;
  private readonly open: number[];

  /** Scans `src` from `from` (at the start of a line, outside strings) to `end`, with the brackets at offsets `open` open. */
  constructor(
    private readonly src: string,
    from: number,
    private readonly end: number,
    open: readonly number[] = [],
  ) {
    this.at = from;
    this.open = open.slice();
  }

  /** The bracket opened at offset `opener` (one open at the start, or any after it) is closed before the end. */
  closes(opener: number): boolean {
    while (this.at <= opener && this.step());
    const k = this.indexOf(opener);
    if (k < 0) return true; // closed already
    while (this.open.length > k && this.open[k] === opener) if (!this.step()) return false;
    return true;
  }

  /** Index of `opener` among the open brackets (their offsets ascend), or -1. */
  private indexOf(opener: number): number {
    let lo = 0;
    let hi = this.open.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.open[mid] < opener) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.open.length && this.open[lo] === opener ? lo : -1;
  }

  /** Reads one character, string or comment; false at the end. */
  private step(): boolean {
    const { src } = this;
    const i = this.at;
    if (i >= this.end) return false;
    const ch = src[i];
    if (ch === '#') {
      const nl = src.indexOf('\n', i);
      this.at = nl < 0 || nl > this.end ? this.end : nl;
    } else if (ch === '"' || ch === "'") this.at = skipString(src, i, this.end);
    else if (ch === '\\' && (src[i + 1] === '\n' || src[i + 1] === '\r')) this.at = i + escapeLength(src, i);
    else {
      if (ch === '(' || ch === '[' || ch === '{') this.open.push(i);
      else if (ch === ')' || ch === ']' || ch === '}') {
        const k = matchingOpener(src, this.open, this.open.length, ch);
        if (k >= 0) this.open.length = k;
      }
      this.at = i + 1;
    }
    return true;
  }
}
