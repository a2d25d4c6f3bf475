/**
 * The program text the analysis reads, and the map from its offsets back to what the user sees: lines and
 * columns of a file, or of a notebook cell. A notebook's code cells are joined, in order, into one
 * program (the book's notebooks start a model in one cell and add layers in later ones).
 */
import type { Position, Range } from '../types';

export interface Segment {
  /** Offsets of the segment in `text`. */
  start: number;
  end: number;
  /** Notebook cell index, when the segment is a cell. */
  cell?: number;
}

/** Index of the first element of the ascending `xs` greater than `x`. */
function firstAbove(xs: number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class SourceText {
  private readonly lineStarts: number[];

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
      this.lineStarts = [0];
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
      return;
    }
    const old = previous.source;
    const delta = text.length - old.text.length;
    const oldSuffixStart = old.text.length - previous.suffix;
    // Line starts up to the edit are kept; those after it move by the length change; between, scan. (The old starts
    // are sorted: the two ends are found by binary search, not by a pass over every line.)
    const starts = old.lineStarts.slice(0, firstAbove(old.lineStarts, previous.prefix));
    for (let i = text.indexOf('\n', previous.prefix); i >= 0 && i + 1 <= oldSuffixStart + delta; i = text.indexOf('\n', i + 1))
      if (i + 1 > previous.prefix) starts.push(i + 1);
    const after = firstAbove(old.lineStarts, oldSuffixStart);
    for (let k = after; k < old.lineStarts.length; k++) starts.push(old.lineStarts[k] + delta);
    this.lineStarts = starts;
  }

  /** The 0-based line that holds `offset`. */
  lineIndex(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Offset of the first character of a 0-based line. */
  lineStart(lineIndex: number): number {
    return this.lineStarts[lineIndex] ?? this.text.length;
  }

  lineText(lineIndex: number): string {
    const start = this.lineStarts[lineIndex];
    const next = this.lineStarts[lineIndex + 1];
    return this.text.slice(start, next === undefined ? this.text.length : next - 1).replace(/\r$/, '');
  }

  segmentAt(offset: number): Segment {
    for (const s of this.segments) if (offset >= s.start && offset <= s.end) return s;
    return this.segments[this.segments.length - 1];
  }

  position(offset: number): Position & { cell?: number } {
    const line = this.lineIndex(offset);
    const seg = this.segmentAt(offset);
    const column = offset - this.lineStarts[line] + 1;
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
 * offset: such lines become comments of the same length.
 */
export function maskIPython(cellText: string): string {
  if (NON_PYTHON_CELL_MAGIC.test(cellText))
    return cellText
      .split('\n')
      .map((l) => (l.length ? '#' + l.slice(1) : l))
      .join('\n');
  return cellText.replace(/^([ \t]*)[%!]/gm, '$1#');
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
