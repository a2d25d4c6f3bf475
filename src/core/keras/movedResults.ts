/**
 * A statement group's results moved to where an edit put their statements (issue 19: Enter, a deleted line or a pasted
 * block move every statement after them, and re-running every group after the edit made such an edit cost as much
 * as a cold analysis). A result's positions lie in statements the edit left alone, which begin and end at line
 * starts: a position at or after the end of the edited text moves as that end moved, one before it stays.
 */
import type { Diagnostic, LayerResult, ModelResult, Position, Range } from '../types';

/** Where the edited text ended, before and after the edit (one-segment sources: lines count from the file's start). */
export interface EditShift {
  oldEnd: Position;
  newEnd: Position;
}

/** A message that names a line (`re-assigned at line 12`) says it in words that moving its range does not change. */
const NAMES_A_LINE = /\bline \d/;

function movePosition(p: Position, shift: EditShift): Position {
  const { oldEnd, newEnd } = shift;
  if (p.line < oldEnd.line || (p.line === oldEnd.line && p.column < oldEnd.column)) return p;
  if (p.line === oldEnd.line) return { line: newEnd.line, column: newEnd.column + (p.column - oldEnd.column) };
  return { line: p.line + (newEnd.line - oldEnd.line), column: p.column };
}

function moveRange<R extends Range>(r: R, shift: EditShift): R {
  const start = movePosition(r.start, shift);
  const end = movePosition(r.end, shift);
  return start === r.start && end === r.end ? r : { ...r, start, end };
}

function moveLayer(layer: LayerResult, shift: EditShift): LayerResult {
  const range = moveRange(layer.range, shift);
  if (range === layer.range && !layer.nested && !layer.via && !layer.calls) return layer;
  const moved: LayerResult = { ...layer, range };
  if (layer.via) moved.via = { ...layer.via, call: moveRange(layer.via.call, shift) };
  if (layer.calls) moved.calls = layer.calls.map((c) => ({ ...c, range: moveRange(c.range, shift) }));
  if (layer.nested) moved.nested = layer.nested.map((l) => moveLayer(l, shift));
  return moved;
}

/**
 * The model with every range in it (and its line) moved, or null where one of its messages names a line. Every field
 * of the result types that holds a range is moved here: the differential test along chains of edits (test/unit/
 * reference.test.ts) fails on one left out.
 */
export function movedModel(model: ModelResult, shift: EditShift): ModelResult | null {
  const diagnostics: Diagnostic[] = [];
  for (const d of model.diagnostics) {
    const m = movedDiagnostic(d, shift);
    if (!m) return null;
    diagnostics.push(m);
  }
  const range = moveRange(model.range, shift);
  const moved: ModelResult = {
    ...model,
    line: model.line + (range.start.line - model.range.start.line),
    range,
    layers: model.layers.map((l) => moveLayer(l, shift)),
    diagnostics,
  };
  if (model.tensors) moved.tensors = model.tensors.map((t) => ({ ...t, range: moveRange(t.range, shift) }));
  if (model.builtBy) {
    const { call, passed, calledOn } = model.builtBy;
    moved.builtBy = { ...model.builtBy };
    if (call) moved.builtBy.call = moveRange(call, shift);
    if (passed) moved.builtBy.passed = moveRange(passed, shift);
    if (calledOn) moved.builtBy.calledOn = moveRange(calledOn, shift);
  }
  return moved;
}

export function movedDiagnostic(diagnostic: Diagnostic, shift: EditShift): Diagnostic | null {
  if (NAMES_A_LINE.test(diagnostic.message)) return null;
  const range = moveRange(diagnostic.range, shift);
  return range === diagnostic.range ? diagnostic : { ...diagnostic, range };
}
