/**
 * Which model a position in the editor belongs to, for the commands run at the cursor (Show Model Summary, Preview
 * Activations) and the preview's cursor sync. Pure, no `vscode`, so that the unit tests can run it; positions are
 * the core's (1-based lines and columns, a notebook cell's lines counted from its top).
 */
import { rowsExtent, type ModelResult, type Range } from './core';
import { rangeContains } from './providers/layerGroups';

/**
 * Whether `line` may lie in a model's call or its span: between the first and the last line of its call and rows,
 * read without reading the rows (rowsExtent); a model whose rows it cannot place (in notebook cells) may hold any.
 */
function mayHold(model: ModelResult, line: number): boolean {
  const extent = rowsExtent(model);
  if (!extent) return true;
  return line >= Math.min(model.range.start.line, extent.first.line) && line <= Math.max(model.range.end.line, extent.last.line);
}

const startsBefore = (a: Range, b: Range) => a.start.line < b.start.line || (a.start.line === b.start.line && a.start.column <= b.start.column);

/**
 * The lines a model's code covers. A Sequential model: from its `Sequential(` call to its last layer. A Functional
 * model: from its first Input (`inputs = keras.Input(...)`) to the end of its `keras.Model(...)` call, so a blank
 * line, a comment or a line of arithmetic between them belongs to it; Inputs after the call, or in another cell,
 * do not count (the span is then the call alone).
 */
export function modelSpan(model: ModelResult): { start: Range; end: Range } {
  if (model.kind === 'functional') {
    let start = model.range;
    for (const l of model.layers) if (l.type === 'InputLayer' && l.range.cell === model.range.cell && startsBefore(l.range, start)) start = l.range;
    return { start, end: model.range };
  }
  const last = model.layers[model.layers.length - 1];
  return { start: model.range, end: last ? last.range : model.range };
}

/**
 * The model a position belongs to: the one whose `Sequential(` / `keras.Model(` call or one of whose layer calls
 * contains it; else the one whose span (modelSpan) holds its line, the narrowest where spans nest (a Sequential
 * written between a Functional model's Input and its `keras.Model(` call). `here` says whether a range lies in the
 * document the position is in (a notebook's other cells do not).
 */
export function modelAtPosition(all: ModelResult[], here: (r: Range) => boolean, line: number, column: number): ModelResult | undefined {
  // Only the models whose call and rows reach the line: the rows of a model an edit moved are moved when first read,
  // and a large file holds hundreds of models (a hover, or the cursor moving under the preview, asks this).
  const models = all.filter((m) => mayHold(m, line));
  const hits = (r: Range) => here(r) && rangeContains(r, line, column);
  const direct = models.find((m) => hits(m.range) || m.layers.some((l) => hits(l.range)));
  if (direct) return direct;
  let best: ModelResult | undefined;
  let bestLines = Infinity;
  for (const m of models) {
    const { start, end } = modelSpan(m);
    if (start.cell !== end.cell || !here(start)) continue;
    if (line < start.start.line || line > end.end.line) continue;
    const lines = end.end.line - start.start.line;
    if (lines < bestLines) [best, bestLines] = [m, lines];
  }
  return best;
}
