/**
 * A statement group's results moved to where an edit put their statements (issue 19: Enter, a deleted line or a pasted
 * block move every statement after them, and re-running every group after the edit made such an edit cost as much
 * as a cold analysis). A result's positions lie in statements the edit left alone, which begin and end at line
 * starts: a position at or after the end of the edited text moves as that end moved, one before it stays.
 *
 * A model's own positions (its line, range, diagnostics, `builtBy`) move at once. Its rows (`layers`, `tensors`) are
 * most of what an edit would copy (a 20,000-line file's models hold thousands), and an editor reads the rows of the
 * few models in view: they are moved when first read, from the rows as the group's run made them and the shifts of
 * the edits since (`Placed`), so that a row is copied once however many edits moved it unread.
 */
import type { Diagnostic, LayerResult, ModelResult, Position, Range } from '../types';

/** Where the edited text ended, before and after the edit (one-segment sources: lines count from the file's start). */
export interface EditShift {
  oldEnd: Position;
  newEnd: Position;
}

/** A model as its group's run made it, and the shifts of the edits since, oldest first. */
export interface Placed {
  made: ModelResult;
  shifts: EditShift[];
}

/** Shifts kept unapplied, at most: past them, the rows are moved at once and the model becomes the one made. */
const MAX_SHIFTS = 16;

/** A message that names a line (`re-assigned at line 12`) says it in words that moving its range does not change. */
const NAMES_A_LINE = /\bline \d/;

function movePosition(p: Position, shift: EditShift): Position {
  const { oldEnd, newEnd } = shift;
  if (p.line < oldEnd.line || (p.line === oldEnd.line && p.column < oldEnd.column)) return p;
  if (p.line === oldEnd.line) return { line: newEnd.line, column: newEnd.column + (p.column - oldEnd.column) };
  return { line: p.line + (newEnd.line - oldEnd.line), column: p.column };
}

function moveRange<R extends Range>(r: R, shifts: readonly EditShift[]): R {
  let start = r.start;
  let end = r.end;
  for (const shift of shifts) {
    start = movePosition(start, shift);
    end = movePosition(end, shift);
  }
  return start === r.start && end === r.end ? r : { ...r, start, end };
}

function moveLayer(layer: LayerResult, shifts: readonly EditShift[]): LayerResult {
  const range = moveRange(layer.range, shifts);
  if (range === layer.range && !layer.nested && !layer.via && !layer.calls) return layer;
  const moved: LayerResult = { ...layer, range };
  if (layer.via) moved.via = { ...layer.via, call: moveRange(layer.via.call, shifts) };
  if (layer.calls) moved.calls = layer.calls.map((c) => ({ ...c, range: moveRange(c.range, shifts) }));
  if (layer.nested) moved.nested = layer.nested.map((l) => moveLayer(l, shifts));
  return moved;
}

/**
 * `target[key]` made by `make` when first read (an own, enumerable property, so that JSON, structured clones, spreads
 * and deep comparisons see it as the plain value it then becomes); assigning it first just sets it.
 */
function lazily<T extends object, K extends keyof T>(target: T, key: K, make: () => T[K]): void {
  const settle = (value: T[K]) => Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get: () => {
      const value = make();
      settle(value);
      return value;
    },
    set: settle,
  });
}

/**
 * The model moved by one more edit's `shift`, with every range in it (and its line) moved, or null where one of its
 * messages names a line. Every field of the result types that holds a range is moved here: the differential test
 * along chains of edits (test/unit/reference.test.ts) fails on one left out.
 */
export function movedModel(placed: Placed, shift: EditShift): { model: ModelResult; placed: Placed } | null {
  const shifts = [...placed.shifts, shift];
  const made = placed.made;
  const diagnostics: Diagnostic[] = [];
  for (const d of made.diagnostics) {
    if (NAMES_A_LINE.test(d.message)) return null;
    diagnostics.push(moveDiagnostic(d, shifts));
  }
  const range = moveRange(made.range, shifts);
  const model: ModelResult = { ...made, line: made.line + (range.start.line - made.range.start.line), range, diagnostics };
  if (made.builtBy) {
    const { call, passed } = made.builtBy;
    model.builtBy = { ...made.builtBy };
    if (call) model.builtBy.call = moveRange(call, shifts);
    if (passed) model.builtBy.passed = moveRange(passed, shifts);
  }
  if (shifts.length > MAX_SHIFTS) {
    model.layers = made.layers.map((l) => moveLayer(l, shifts));
    if (made.tensors) model.tensors = made.tensors.map((t) => ({ ...t, range: moveRange(t.range, shifts) }));
    return { model, placed: { made: model, shifts: [] } };
  }
  lazily(model, 'layers', () => made.layers.map((l) => moveLayer(l, shifts)));
  const tensors = made.tensors;
  if (tensors) lazily(model, 'tensors', () => tensors.map((t) => ({ ...t, range: moveRange(t.range, shifts) })));
  return { model, placed: { made, shifts } };
}

function moveDiagnostic(diagnostic: Diagnostic, shifts: readonly EditShift[]): Diagnostic {
  const range = moveRange(diagnostic.range, shifts);
  return range === diagnostic.range ? diagnostic : { ...diagnostic, range };
}

export function movedDiagnostic(diagnostic: Diagnostic, shift: EditShift): Diagnostic | null {
  return NAMES_A_LINE.test(diagnostic.message) ? null : moveDiagnostic(diagnostic, [shift]);
}
