/**
 * Splits Python source into top-level statements ("chunks") with a light tokenizer that follows Python's lexical
 * rules: strings (prefixes, triple quotes, f-strings), comments, brackets and backslash continuations. Inside
 * brackets a statement goes on whatever the layout, as in Python. Two things rest on it:
 * - speed: only chunks that can matter to a model are parsed (see `analyze.ts`), and parsed chunks are
 *   cached by their text, so one keystroke re-parses one chunk;
 * - half-typed code: a bracket left open while the user types would make any Python parser swallow the
 *   rest of the file. Only a bracket that nothing after it closes (Python would stop at the end of the file with
 *   "'(' was never closed") is taken to end where a line that looks like a new statement starts at or left of the
 *   indentation of the line that opened it; the missing closers are inserted (in the chunk's own text, with a map
 *   back to source offsets). A bracket closed later, on any line at any indentation, is never ended early.
 */
import { BracketFates, CLOSER, isDigit, isNameChar, matchingOpener, skipString } from './lexical';

export interface Insertion {
  /** Absolute source offset the text was inserted at. */
  at: number;
  length: number;
}

export interface Chunk {
  /** Absolute offsets of the chunk in the source. */
  start: number;
  end: number;
  /**
   * The text given to the parser: the source slice with comments blanked (spaces, so offsets hold) and any
   * inserted closers. Blanking comments here, once, means no reader of the syntax tree ever meets one: a
   * comment inside brackets can never be taken for an element or an argument.
   */
  text: string;
  insertions: Insertion[];
  /** The segment (notebook cell) the chunk belongs to. */
  segment: number;
  /** Brackets that do not pair up in this chunk, in the order CPython's tokenizer meets them. */
  bracketErrors: BracketError[];
  /**
   * Where the chunk ended brackets nothing closed (`from`: the start of the line that did, `open`: the brackets'
   * offsets, outermost first). An edit after the chunk can close them; `rechunk` asks again.
   */
  recovered: { from: number; open: number[] }[];
}

/** A bracket that does not pair up, with what CPython's tokenizer says of it. */
export interface BracketError {
  /** `never-closed`: an opener nothing closes; `mismatch`: a closer of another kind than the innermost open bracket; `unmatched`: a closer with none open. */
  kind: 'never-closed' | 'mismatch' | 'unmatched';
  /** Absolute offset of the bracket CPython points at: the opener never closed, or the closer. */
  at: number;
  char: string;
  /** For a mismatch, the innermost open bracket (absolute offset). */
  opener?: number;
  openerChar?: string;
}

export interface ChunkedSource {
  chunks: Chunk[];
}

/** Lines that can only begin a statement; seeing one inside brackets nothing closes marks where they were left open. */
const STATEMENT_START =
  /^(?:(?:def|class|import|from|return|with|while|try|async|raise|del|pass|assert|global|nonlocal)\b|@|[A-Za-z_][\w.]*\s*(?:=(?!=)|[-+*/]=)|[A-Za-z_][\w.]*\.(?:add|build|compile|fit|summary|pop|save)\s*\()/;

/** Lines at indentation 0 that continue the previous top-level statement rather than start a new one. */
const CONTINUATION_KEYWORD = /^(?:else|elif|except|finally|case)\b/;

/** A line at indentation 0 starting with `head` that belongs to the statement before (`else:`, a decorated `def`). */
function continuesStatement(head: string, afterDecorator: boolean): boolean {
  return CONTINUATION_KEYWORD.test(head) || (afterDecorator && /^(?:def|class|async|@)\b/.test(head));
}

/**
 * Chunks each segment of `source`. Segments are [start, end) offset pairs (one per notebook cell); a
 * plain file is one segment.
 */
export function chunkSource(source: string, segments: [number, number][] = [[0, source.length]]): ChunkedSource {
  const chunks: Chunk[] = [];
  segments.forEach(([segStart, segEnd], segIndex) => chunkSegment(source, segStart, segEnd, segIndex, chunks));
  return { chunks };
}

/**
 * Chunks `src` from `segStart` (which must be the start of a top-level statement). With `stopAt`, stops
 * when a new chunk would begin at one of those offsets, and returns that offset: from there on the
 * caller's earlier chunks still hold.
 */
function chunkSegment(src: string, segStart: number, segEnd: number, segment: number, chunks: Chunk[], stopAt?: (offset: number) => boolean): number | null {
  let chunkStart = -1;
  let bracketErrors: BracketError[] = [];
  let recovered: Chunk['recovered'] = [];
  let insertions: Insertion[] = [];
  let inserted: string[] = [];
  let comments: [number, number][] = [];
  // The open brackets, outermost first: their offsets, and the indentation of the statement each belongs to.
  const open: number[] = [];
  const openIndent: number[] = [];
  // Whether a bracket is closed later: asked only when a line inside brackets looks like a new statement.
  let fates: BracketFates | undefined;
  let lastCodeEnd = segStart; // offset just after the last code character (not comment, not whitespace)
  let prevLineContinues = false; // previous line ended with a backslash
  let prevLineDecorator = false;
  let lineIndent = 0;
  // Indentation of the line the current logical line (statement) began on: a bracket opened on a later
  // physical line of the same statement still belongs to a statement at this indentation.
  let logicalIndent = 0;

  const closeChunk = (end: number) => {
    if (chunkStart < 0) return;
    let text = blankComments(src, chunkStart, end, comments);
    // Apply insertions from the back so earlier offsets stay valid.
    for (let k = insertions.length - 1; k >= 0; k--) {
      const rel = insertions[k].at - chunkStart;
      text = text.slice(0, rel) + inserted[k] + text.slice(rel);
    }
    chunks.push({ start: chunkStart, end, text, insertions, segment, bracketErrors, recovered });
    chunkStart = -1;
    insertions = [];
    inserted = [];
    bracketErrors = [];
    recovered = [];
    comments = [];
  };

  /** Closes the open brackets from index `from` up, with closers inserted after the last code. */
  const insertClosers = (from: number) => {
    let closers = '';
    for (let k = open.length - 1; k >= from; k--) closers += CLOSER[src[open[k]]];
    insertions.push({ at: lastCodeEnd, length: closers.length });
    inserted.push(closers);
    open.length = from;
    openIndent.length = from;
  };

  /** Ends the brackets nothing closes; CPython names the innermost. */
  const closeBrackets = () => {
    if (open.length === 0) return;
    const innermost = open[open.length - 1];
    bracketErrors.push({ kind: 'never-closed', at: innermost, char: src[innermost] });
    insertClosers(0);
  };

  let i = segStart;
  while (i < segEnd) {
    // At the start of a line.
    const lineStart = i;
    let j = i;
    while (j < segEnd && (src.charCodeAt(j) === 32 || src.charCodeAt(j) === 9)) j++;
    lineIndent = j - lineStart;
    const c0 = j < segEnd ? src[j] : '\n';
    const blank = c0 === '\n' || c0 === '\r' || c0 === '#';
    if (!blank) {
      if (
        open.length > 0 &&
        lineIndent <= openIndent[0] &&
        STATEMENT_START.test(src.slice(j, Math.min(j + 80, segEnd))) &&
        !(fates ??= new BracketFates(src, segStart, segEnd)).closes(open[open.length - 1])
      ) {
        recovered.push({ from: lineStart, open: open.slice() });
        closeBrackets();
      }
      if (open.length === 0 && !prevLineContinues) {
        logicalIndent = lineIndent;
        const atTop = lineIndent === 0;
        if (chunkStart < 0) chunkStart = lineStart;
        else if (atTop && c0 !== ')' && c0 !== ']' && c0 !== '}' && !continuesStatement(src.slice(j, Math.min(j + 12, segEnd)), prevLineDecorator)) {
          closeChunk(lineStart);
          if (stopAt?.(lineStart)) return lineStart;
          chunkStart = lineStart;
        }
        prevLineDecorator = atTop && c0 === '@';
      }
    }
    // Scan the rest of the line (and any string that runs over several lines).
    prevLineContinues = false;
    i = j;
    // By char code: this loop reads every character of the file on a cold analysis.
    while (i < segEnd) {
      const c = src.charCodeAt(i);
      if (c === NEWLINE) {
        i++;
        break;
      }
      if (c === HASH) {
        const from = i;
        const eol = src.indexOf('\n', i);
        i = eol < 0 || eol > segEnd ? segEnd : eol;
        comments.push([from, src.charCodeAt(i - 1) === CR ? i - 1 : i]);
        continue;
      }
      if (c === BACKSLASH && (src.charCodeAt(i + 1) === NEWLINE || (src.charCodeAt(i + 1) === CR && src.charCodeAt(i + 2) === NEWLINE))) {
        prevLineContinues = true;
        i += src.charCodeAt(i + 1) === NEWLINE ? 2 : 3;
        break;
      }
      if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
        i = skipString(src, i, segEnd);
        lastCodeEnd = i;
        continue;
      }
      // `1.` (as in `Rescaling(1./255)`) is a float to Python, but the parser reads `1.` as the start of an
      // attribute; a `0` inserted after the dot (mapped back like the closers) makes it `1.0`.
      if (
        c === DOT &&
        i > j &&
        isDigit(src.charCodeAt(i - 1)) &&
        !isNameChar(src.charCodeAt(i + 1)) &&
        src.charCodeAt(i + 1) !== DOT &&
        startsNumber(src, i - 1)
      ) {
        insertions.push({ at: i + 1, length: 1 });
        inserted.push('0');
      }
      if (c === 40 /* ( */ || c === 91 /* [ */ || c === 123 /* { */) {
        open.push(i);
        openIndent.push(logicalIndent);
      } else if (c === 41 /* ) */ || c === 93 /* ] */ || c === 125 /* } */) {
        const ch = src[i];
        const top = open.length - 1;
        if (top >= 0 && CLOSER[src[open[top]]] === ch) {
          open.pop();
          openIndent.pop();
          lastCodeEnd = i + 1;
          i++;
          continue;
        }
        // A closer that is not the innermost bracket's: CPython's tokenizer stops here.
        bracketErrors.push(
          top < 0 ? { kind: 'unmatched', at: i, char: ch } : { kind: 'mismatch', at: i, char: ch, opener: open[top], openerChar: src[open[top]] },
        );
        const k = matchingOpener(src, open, open.length, ch);
        if (k >= 0) {
          // The brackets it skips over were left open: closed before it, so that the parser sees the structure.
          insertClosers(k + 1);
          open.length = k;
          openIndent.length = k;
        }
      }
      if (c !== SPACE && c !== TAB && c !== CR) lastCodeEnd = i + 1;
      i++;
    }
  }
  closeBrackets();
  closeChunk(segEnd);
  return null;
}

/** `src[start, end)` with the comments in it replaced by spaces of the same length. */
function blankComments(src: string, start: number, end: number, comments: [number, number][]): string {
  let text = '';
  let at = start;
  for (const [from, to] of comments) {
    if (from < start || to > end) continue;
    text += src.slice(at, from) + ' '.repeat(to - from);
    at = to;
  }
  return text + src.slice(at, end);
}

const NEWLINE = 10;
const CR = 13;
const TAB = 9;
const SPACE = 32;
const HASH = 35;
const BACKSLASH = 92;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;
const DOT = 46;

const BLOCK = 4096;

/**
 * Lengths of the longest common prefix and suffix of two texts (not overlapping). Compares blocks of
 * characters as strings first (a memory compare), then characters, so an edit in a large file costs little.
 */
export function commonEnds(a: string, b: string): { prefix: number; suffix: number } {
  const max = Math.min(a.length, b.length);
  let prefix = 0;
  while (prefix + BLOCK <= max && a.substring(prefix, prefix + BLOCK) === b.substring(prefix, prefix + BLOCK)) prefix += BLOCK;
  while (prefix < max && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  const room = max - prefix;
  while (suffix + BLOCK <= room && a.substring(a.length - suffix - BLOCK, a.length - suffix) === b.substring(b.length - suffix - BLOCK, b.length - suffix))
    suffix += BLOCK;
  while (suffix < room && a.charCodeAt(a.length - 1 - suffix) === b.charCodeAt(b.length - 1 - suffix)) suffix++;
  return { prefix, suffix };
}

/** A chunk moved by `delta` characters: the same text (and string object), shifted offsets. */
function shifted(c: Chunk, delta: number): Chunk {
  if (delta === 0) return c;
  // Every field written out, not spread: an edit that adds a line moves every statement after it, thousands of them,
  // and a literal of one shape is several times faster to make than a spread.
  // The fields in the order chunkSegment writes them: chunks of one shape, whichever made them.
  return {
    start: c.start + delta,
    end: c.end + delta,
    text: c.text,
    // Most statements have none of these: the empty arrays are kept (an edit that adds a line moves every statement after it).
    insertions: c.insertions.length === 0 ? c.insertions : c.insertions.map((i) => ({ at: i.at + delta, length: i.length })),
    segment: c.segment,
    bracketErrors:
      c.bracketErrors.length === 0
        ? c.bracketErrors
        : c.bracketErrors.map((e) => ({ ...e, at: e.at + delta, ...(e.opener === undefined ? {} : { opener: e.opener + delta }) })),
    recovered: c.recovered.length === 0 ? c.recovered : c.recovered.map((r) => ({ from: r.from + delta, open: r.open.map((at) => at + delta) })),
  };
}

/**
 * The chunks of `text` given the chunks of `previous`, an earlier version of the same one-segment source:
 * chunks before the edit are kept, the edited region is chunked again until its chunks line up with the old
 * ones after the edit, and those are kept, moved. Gives exactly what `chunkSource(text)` gives.
 */
export function rechunk(previous: { text: string; chunks: Chunk[] }, text: string, ends = commonEnds(previous.text, text)): ChunkedSource {
  const old = previous.text;
  const oldChunks = previous.chunks;
  if (oldChunks.length === 0 || oldChunks.some((c) => c.segment !== 0)) return chunkSource(text);
  const { prefix, suffix } = ends;
  if (prefix === old.length && prefix === text.length) return { chunks: oldChunks };
  const delta = text.length - old.length;
  // Restart one chunk before the one holding the edit: an edit at a chunk's start can join it to the previous one.
  let first = oldChunks.findIndex((c) => c.end > prefix || c === oldChunks[oldChunks.length - 1]);
  first = Math.max(0, first - 1);
  // A chunk before that one that ended brackets nothing closed did so because nothing up to the end of the file did:
  // the edit may close them now, joining the statements from there on (not an edit of letters and digits alone,
  // which the usual keystroke is: it cannot change a bracket, a string's end or a comment, unless it makes or unmakes
  // a string's f prefix right before a quote: `af"{'x'}"` is not an f-string).
  const quiet =
    BRACKET_NEUTRAL.test(old.slice(prefix, old.length - suffix)) &&
    BRACKET_NEUTRAL.test(text.slice(prefix, text.length - suffix)) &&
    !/['"]/.test(text.slice(text.length - suffix, text.length - suffix + 3));
  if (!quiet) for (let k = 0; k < first; k++) if (oldChunks[k].recovered.length && closedNow(text, oldChunks[k])) first = k;
  // Before the first chunk lie only blank and comment lines, which an edit can turn into code.
  const restart = first === 0 ? 0 : oldChunks[first].start;
  const oldSuffixStart = old.length - suffix;
  // An old chunk after the edit that starts where a new chunk would: from there on the old chunks hold. (Found by
  // binary search over the old chunks' starts, which ascend, rather than a map of them all per keystroke.)
  const syncIndex = (offset: number): number => {
    const at = offset - delta;
    let lo = first + 1;
    let hi = oldChunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (oldChunks[mid].start < at) lo = mid + 1;
      else hi = mid;
    }
    return lo < oldChunks.length && oldChunks[lo].start === at && at > oldSuffixStart ? lo : -1;
  };
  const fresh: Chunk[] = [];
  const stoppedAt = chunkSegment(text, restart, text.length, 0, fresh, (offset) => syncIndex(offset) >= 0);
  // The old list copied once, the chunks chunked again put in place of the old ones there, those after them moved in
  // place (thousands of statements: pushed one by one onto a copy, the list was copied again and again as it grew).
  // A copy, not a list made at its length: that one has holes as far as the engine knows (another elements kind than
  // chunkSource's list), and the passes over the chunks would meet two kinds of list.
  const sync = stoppedAt === null ? oldChunks.length : syncIndex(stoppedAt);
  const chunks = oldChunks.slice();
  chunks.splice(first, sync - first, ...fresh);
  for (let k = first + fresh.length; k < chunks.length; k++) chunks[k] = shifted(chunks[k], delta);
  return { chunks };
}

/** Text that cannot change how brackets pair up: no bracket, quote, comment, backslash, line break or f-string prefix. */
const BRACKET_NEUTRAL = /^[^()[\]{}'"#\\\r\nfF]*$/;

/** Some bracket `chunk` ended, as nothing closed it, is closed in `text` (which has the chunk unchanged). */
function closedNow(text: string, chunk: Chunk): boolean {
  for (const { from, open } of chunk.recovered) if (new BracketFates(text, from, text.length, open).closes(open[open.length - 1])) return true;
  return false;
}

/** The digits ending at `end` start a number literal (not the tail of a name like `x1` or of `1.5`). */
function startsNumber(src: string, end: number): boolean {
  let k = end;
  while (k >= 0 && (isDigit(src.charCodeAt(k)) || src[k] === '_')) k--;
  return k < 0 || (!isNameChar(src.charCodeAt(k)) && src[k] !== '.');
}

/**
 * `text` with its string literals left out (each replaced by `""`), for cheap tests of what a statement's code says:
 * a docstring that mentions `Sequential` or `model.add(` does not make its statement worth parsing. An f-string
 * (an `f` among the letters before the quote) is kept whole: its replacement fields are code. Comments are blanked
 * in a chunk's text already.
 */
export function withoutStrings(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== DOUBLE_QUOTE && c !== SINGLE_QUOTE) continue;
    const end = skipString(text, i, text.length);
    let p = i;
    while (p > 0 && isNameChar(text.charCodeAt(p - 1))) p--;
    if (!/[fF]/.test(text.slice(p, i))) {
      out += `${text.slice(from, i)}""`;
      from = end;
    }
    i = end - 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** Maps an offset in a chunk's (possibly repaired) text back to an absolute source offset. */
export function chunkToSource(chunk: Chunk, local: number): number {
  let shift = 0;
  for (const ins of chunk.insertions) {
    const insLocal = ins.at - chunk.start + shift;
    if (local < insLocal) break;
    if (local < insLocal + ins.length) return ins.at;
    shift += ins.length;
  }
  return chunk.start + local - shift;
}
