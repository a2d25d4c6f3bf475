/**
 * Splits Python source into top-level statements ("chunks") with a light tokenizer that knows strings,
 * comments and brackets. Two things rest on it:
 * - speed: only chunks that can matter to a model are parsed (see `analyze.ts`), and parsed chunks are
 *   cached by their text, so one keystroke re-parses one chunk;
 * - half-typed code: a bracket left open while the user types would make any Python parser swallow the
 *   rest of the file. When a line that can only start a statement appears at or left of the indentation
 *   of the line that opened the bracket, the missing closers are inserted (in the chunk's own text, with a
 *   map back to source offsets) and a syntax diagnostic is reported, as CPython would: "'(' was never closed".
 */

export interface Insertion {
  /** Absolute source offset the text was inserted at. */
  at: number;
  length: number;
}

export interface Chunk {
  /** Absolute offsets of the chunk in the source. */
  start: number;
  end: number;
  /** The text given to the parser: the source slice with any inserted closers. */
  text: string;
  insertions: Insertion[];
  /** The segment (notebook cell) the chunk belongs to. */
  segment: number;
}

export interface UnclosedBracket {
  /** Absolute offset of the opening bracket. */
  at: number;
  char: string;
}

export interface ChunkedSource {
  chunks: Chunk[];
  unclosed: UnclosedBracket[];
}

const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** Lines that can only begin a statement; seeing one inside open brackets means the brackets were left open. */
const STATEMENT_START =
  /^(?:(?:def|class|import|from|return|with|while|try|async|raise|del|pass|assert|global|nonlocal)\b|@|[A-Za-z_][\w.]*\s*(?:=(?!=)|[-+*/]=)|[A-Za-z_][\w.]*\.(?:add|build|compile|fit|summary|pop|save)\s*\()/;

/** Lines at indentation 0 that continue the previous top-level statement rather than start a new one. */
const CONTINUATION_KEYWORD = /^(?:else|elif|except|finally|case)\b/;

/**
 * Chunks each segment of `source`. Segments are [start, end) offset pairs (one per notebook cell); a
 * plain file is one segment.
 */
export function chunkSource(source: string, segments: [number, number][] = [[0, source.length]]): ChunkedSource {
  const chunks: Chunk[] = [];
  const unclosed: UnclosedBracket[] = [];
  segments.forEach(([segStart, segEnd], segIndex) => chunkSegment(source, segStart, segEnd, segIndex, chunks, unclosed));
  return { chunks, unclosed };
}

function chunkSegment(
  src: string,
  segStart: number,
  segEnd: number,
  segment: number,
  chunks: Chunk[],
  unclosed: UnclosedBracket[],
): void {
  let chunkStart = -1;
  let insertions: Insertion[] = [];
  let inserted: string[] = [];
  const stack: { char: string; at: number; indent: number }[] = [];
  let lastCodeEnd = segStart; // offset just after the last code character (not comment, not whitespace)
  let prevLineContinues = false; // previous line ended with a backslash
  let prevLineDecorator = false;
  let lineIndent = 0;

  const closeChunk = (end: number) => {
    if (chunkStart < 0) return;
    let text = src.slice(chunkStart, end);
    // Apply insertions from the back so earlier offsets stay valid.
    for (let k = insertions.length - 1; k >= 0; k--) {
      const rel = insertions[k].at - chunkStart;
      text = text.slice(0, rel) + inserted[k] + text.slice(rel);
    }
    chunks.push({ start: chunkStart, end, text, insertions, segment });
    chunkStart = -1;
    insertions = [];
    inserted = [];
  };

  const closeBrackets = () => {
    if (stack.length === 0) return;
    unclosed.push({ at: stack[0].at, char: stack[0].char });
    const closers = stack.map((s) => CLOSER[s.char]).reverse().join('');
    insertions.push({ at: lastCodeEnd, length: closers.length });
    inserted.push(closers);
    stack.length = 0;
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
      if (stack.length > 0 && lineIndent <= stack[0].indent && STATEMENT_START.test(src.slice(j, Math.min(j + 80, segEnd)))) {
        closeBrackets();
      }
      if (stack.length === 0 && !prevLineContinues) {
        const atTop = lineIndent === 0;
        const head = src.slice(j, Math.min(j + 12, segEnd));
        if (chunkStart < 0) chunkStart = lineStart;
        else if (atTop && !CONTINUATION_KEYWORD.test(head) && !(prevLineDecorator && /^(?:def|class|async|@)\b/.test(head)) && c0 !== ')' && c0 !== ']' && c0 !== '}') {
          closeChunk(lineStart);
          chunkStart = lineStart;
        }
        prevLineDecorator = atTop && c0 === '@';
      }
    }
    // Scan the rest of the line (and any string that runs over several lines).
    prevLineContinues = false;
    i = j;
    while (i < segEnd) {
      const ch = src[i];
      if (ch === '\n') {
        i++;
        break;
      }
      if (ch === '#') {
        while (i < segEnd && src[i] !== '\n') i++;
        continue;
      }
      if (ch === '\\' && (src[i + 1] === '\n' || (src[i + 1] === '\r' && src[i + 2] === '\n'))) {
        prevLineContinues = true;
        i += src[i + 1] === '\n' ? 2 : 3;
        break;
      }
      if (ch === '"' || ch === "'") {
        i = skipString(src, i, segEnd);
        lastCodeEnd = i;
        continue;
      }
      if (ch === '(' || ch === '[' || ch === '{') {
        stack.push({ char: ch, at: i, indent: stack.length ? stack[stack.length - 1].indent : lineIndent });
      } else if (ch === ')' || ch === ']' || ch === '}') {
        // A closer that does not match the innermost opener is a typo; skipping it keeps the
        // statement's real structure (popping would end the statement early and split it).
        if (stack.length && CLOSER[stack[stack.length - 1].char] === ch) stack.pop();
      }
      if (ch !== ' ' && ch !== '\t' && ch !== '\r') lastCodeEnd = i + 1;
      i++;
    }
  }
  closeBrackets();
  closeChunk(segEnd);
}

/** Returns the offset just after the string literal starting at `i` (a quote character). */
function skipString(src: string, i: number, end: number): number {
  const q = src[i];
  const triple = src[i + 1] === q && src[i + 2] === q;
  // A string prefix (r, b, f, rb…) never changes where the string ends, except that in raw strings a
  // backslash still escapes the quote for the tokenizer's purposes, exactly as for ordinary strings.
  if (triple) {
    i += 3;
    while (i < end) {
      const ch = src[i];
      if (ch === '\\') {
        i += 2;
        continue;
      }
      if (ch === q && src[i + 1] === q && src[i + 2] === q) return i + 3;
      i++;
    }
    return end;
  }
  i++;
  while (i < end) {
    const ch = src[i];
    if (ch === '\\') {
      i += 2;
      continue;
    }
    if (ch === q) return i + 1;
    if (ch === '\n') return i; // unterminated: CPython stops the string at the line's end
    i++;
  }
  return end;
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

