/**
 * The program text the analysis reads, and the map from its offsets back to what the user sees: lines and
 * columns of a file, or of a notebook cell. A notebook's code cells are joined, in order, into one
 * program (the book's notebooks start a model in one cell and add layers in later ones).
 */
import type { Position, Range } from '../types';
import { skipString } from './lexical';

export interface Segment {
  /** Offsets of the segment in `text`. */
  start: number;
  end: number;
  /** Notebook cell index, when the segment is a cell. */
  cell?: number;
}

export class SourceText {
  /**
   * Line starts: `starts[k]`, plus `shift` from line `shiftFrom` on. An edit that adds or removes no line break keeps
   * the previous version's array and only moves the lines after it (typing on one line moves them again: the shifts
   * add up), instead of copying some 20,000 numbers per keystroke.
   */
  private readonly starts: Int32Array;
  private readonly count: number;
  private readonly shiftFrom: number;
  private readonly shift: number;

  /**
   * With `previous` (an earlier version of the same file) and the lengths of the text both share at the
   * start and the end, only the edited lines are scanned for line breaks.
   */
  constructor(
    readonly text: string,
    readonly segments: Segment[] = [{ start: 0, end: text.length }],
    previous?: { source: SourceText; prefix: number; suffix: number },
  ) {
    if (!previous) {
      const list = [0];
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) list.push(i + 1);
      this.starts = Int32Array.from(list);
      this.count = list.length;
      this.shiftFrom = this.count;
      this.shift = 0;
      return;
    }
    const old = previous.source;
    const delta = text.length - old.text.length;
    const oldSuffixStart = old.text.length - previous.suffix;
    // Line starts up to the edit are kept; those after it move by the length change; between, scan.
    const kept = old.firstAbove(previous.prefix);
    const after = old.firstAbove(oldSuffixStart);
    const mid: number[] = [];
    for (let i = text.indexOf('\n', previous.prefix); i >= 0 && i + 1 <= oldSuffixStart + delta; i = text.indexOf('\n', i + 1))
      if (i + 1 > previous.prefix) mid.push(i + 1);
    let same = mid.length === after - kept;
    for (let k = 0; same && k < mid.length; k++) same = mid[k] === old.lineStart(kept + k);
    if (same && (delta === 0 || old.shift === 0 || old.shiftFrom === after)) {
      this.starts = old.starts;
      this.count = old.count;
      this.shiftFrom = delta === 0 ? old.shiftFrom : old.shift === 0 ? after : old.shiftFrom;
      this.shift = old.shift + delta;
      return;
    }
    const count = kept + mid.length + (old.count - after);
    const starts = new Int32Array(count);
    for (let k = 0; k < kept; k++) starts[k] = old.lineStart(k);
    for (let k = 0; k < mid.length; k++) starts[kept + k] = mid[k];
    for (let k = after, to = kept + mid.length; k < old.count; k++, to++) starts[to] = old.lineStart(k) + delta;
    this.starts = starts;
    this.count = count;
    this.shiftFrom = count;
    this.shift = 0;
  }

  /** Number of line starts at or before `offset` (the index of the first one after it). */
  private firstAbove(offset: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.lineStart(mid) <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The 0-based line that holds `offset`. */
  lineIndex(offset: number): number {
    return Math.max(0, this.firstAbove(offset) - 1);
  }

  /** Offset of the first character of a 0-based line. */
  lineStart(lineIndex: number): number {
    if (lineIndex < 0 || lineIndex >= this.count) return this.text.length;
    return this.starts[lineIndex] + (lineIndex >= this.shiftFrom ? this.shift : 0);
  }

  lineText(lineIndex: number): string {
    const start = this.lineStart(lineIndex);
    const next = lineIndex + 1 < this.count ? this.lineStart(lineIndex + 1) : undefined;
    return this.text.slice(start, next === undefined ? this.text.length : next - 1).replace(/\r$/, '');
  }

  segmentAt(offset: number): Segment {
    for (const s of this.segments) if (offset >= s.start && offset <= s.end) return s;
    return this.segments[this.segments.length - 1];
  }

  position(offset: number): Position & { cell?: number } {
    const line = this.lineIndex(offset);
    const seg = this.segmentAt(offset);
    const column = offset - this.lineStart(line) + 1;
    if (seg.cell === undefined) return { line: line + 1, column };
    return { line: line - this.lineIndex(seg.start) + 1, column, cell: seg.cell };
  }

  range(from: number, to: number): Range {
    const a = this.position(from);
    const b = this.position(Math.max(from, to));
    const range: Range = { start: { line: a.line, column: a.column }, end: { line: b.line, column: b.column } };
    if (a.cell !== undefined) range.cell = a.cell;
    return range;
  }
}

/** Cell magics whose body is not Python: the whole cell is skipped. */
const NON_PYTHON_CELL_MAGIC = /^%%(?!time\b|timeit\b|capture\b|prun\b)\w+/;

/**
 * Hides IPython syntax (`%magic`, `!shell`, `%%cell magic`) from the Python parser without moving any
 * offset: such lines become comments of the same length. Only a line that starts a statement can be one: inside
 * brackets, a string or after a backslash, a line starting with `%` or `!=` continues the statement (`x = (a\n% b)`).
 */
export function maskIPython(cellText: string): string {
  if (NON_PYTHON_CELL_MAGIC.test(cellText))
    return cellText
      .split('\n')
      .map((l) => (l.length ? '#' + l.slice(1) : l))
      .join('\n');
  if (!cellText.includes('%') && !cellText.includes('!')) return cellText;
  let out = '';
  let from = 0;
  let depth = 0;
  let continues = false;
  let i = 0;
  while (i < cellText.length) {
    // At the start of a line.
    let j = i;
    while (cellText[j] === ' ' || cellText[j] === '\t') j++;
    if (depth === 0 && !continues && (cellText[j] === '%' || cellText[j] === '!')) {
      // A magic: the line becomes a comment, whose brackets and quotes count for nothing.
      out += `${cellText.slice(from, j)}#`;
      from = j + 1;
      const nl = cellText.indexOf('\n', j);
      i = nl < 0 ? cellText.length : nl + 1;
      continue;
    }
    continues = false;
    for (i = j; i < cellText.length;) {
      const ch = cellText[i];
      if (ch === '\n') {
        i++;
        break;
      }
      if (ch === '#') {
        const nl = cellText.indexOf('\n', i);
        i = nl < 0 ? cellText.length : nl;
      } else if (ch === '"' || ch === "'") i = skipString(cellText, i, cellText.length);
      else if (ch === '\\' && (cellText[i + 1] === '\n' || cellText[i + 1] === '\r')) {
        continues = true;
        i += 2;
      } else {
        if (ch === '(' || ch === '[' || ch === '{') depth++;
        else if ((ch === ')' || ch === ']' || ch === '}') && depth > 0) depth--;
        i++;
      }
    }
  }
  return from === 0 ? cellText : out + cellText.slice(from);
}

/** Joins code cells into one program, one segment per cell. */
export function joinCells(cells: { index: number; text: string }[]): SourceText {
  let text = '';
  const segments: Segment[] = [];
  for (const cell of cells) {
    if (text.length > 0) text += '\n';
    const start = text.length;
    text += maskIPython(cell.text);
    segments.push({ start, end: text.length, cell: cell.index });
  }
  if (segments.length === 0) segments.push({ start: 0, end: 0 });
  return new SourceText(text, segments);
}

export class NotebookFormatError extends Error {}

/** Reads the code cells of an .ipynb document. Throws NotebookFormatError with a plain message. */
export function readNotebook(json: string): { index: number; text: string }[] {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (e) {
    throw new NotebookFormatError(`not a valid notebook: the file is not JSON (${(e as Error).message})`);
  }
  const cells = (doc as { cells?: unknown })?.cells;
  if (!Array.isArray(cells)) throw new NotebookFormatError('not a valid notebook: it has no "cells" list');
  const out: { index: number; text: string }[] = [];
  cells.forEach((cell, index) => {
    if (!cell || typeof cell !== 'object' || (cell as { cell_type?: unknown }).cell_type !== 'code') return;
    const src = (cell as { source?: unknown }).source;
    const text = Array.isArray(src) ? src.filter((s) => typeof s === 'string').join('') : typeof src === 'string' ? src : '';
    out.push({ index, text });
  });
  return out;
}
