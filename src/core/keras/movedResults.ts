/**
 * A statement group's results moved to where an edit put their statements (issue 19: Enter, a deleted line or a pasted
 * block move every statement after them, and re-running every group after the edit made such an edit cost as much
 * as a cold analysis). A result's positions lie in statements the edit left alone, which begin and end at line
 * starts: a position at or after the end of the edited text moves as that end moved, one before it stays.
 *
 * A model's own positions (its line, range, diagnostics, `builtBy`) move at once, from the model as the last analysis
 * gave it, by the last edit's shift alone. Its rows (`layers`, `tensors`) are most of what an edit would copy (a
 * 20,000-line file's models hold thousands), and an editor reads the rows of the few models in view: they are moved
 * when first read, from the rows as last read (or as the group's run made them) and the shifts of the edits since
 * (`Pending`), so that a row is copied once however many edits moved it unread.
 */
import type { Diagnostic, LayerResult, ModelResult, Position, Range } from '../types';

/** Where the edited text ended, before and after the edit (one-segment sources: lines count from the file's start). */
export interface EditShift {
  oldEnd: Position;
  newEnd: Position;
}

/** A model's shifts before any edit moved it. */
const NO_SHIFTS: readonly EditShift[] = [];

/** Each list of shifts some model's rows wait on, with the last edit's shift after it: models moved by the same edits share one. */
export type ShiftsAfter = Map<readonly EditShift[], readonly EditShift[]>;

/** Where a model's rows lie: the first and last position of their calls (see rowsExtent). */
export interface RowsExtent {
  first: Position;
  last: Position;
}

/** Shifts kept unapplied, at most: past them, the rows are moved at once and the moved model is their next base. */
const MAX_SHIFTS = 32;

/** A message that names a line (`re-assigned at line 12`) says it in words that moving its range does not change. */
const NAMES_A_LINE = /\bline \d/;

/**
 * `p` moved by each shift in turn (one object made at the end, not one per shift: a model's rows wait to be read
 * through many edits, and go through all of their shifts when they are).
 */
function moveThrough(p: Position, shifts: readonly EditShift[]): Position {
  let { line, column } = p;
  for (const { oldEnd, newEnd } of shifts) {
    if (line < oldEnd.line || (line === oldEnd.line && column < oldEnd.column)) continue;
    if (line === oldEnd.line) column = newEnd.column + (column - oldEnd.column);
    line += newEnd.line - oldEnd.line;
  }
  return line === p.line && column === p.column ? p : { line, column };
}

function moveRange<R extends Range>(r: R, shifts: readonly EditShift[]): R {
  const start = moveThrough(r.start, shifts);
  const end = moveThrough(r.end, shifts);
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
 * What a moved model's rows wait on until first read: the model whose rows they are moved from (as made, or as last
 * read), the shifts since (oldest first), where they lie now, and which of them were read since (see settle).
 */
interface Pending {
  base: ModelResult;
  shifts: readonly EditShift[];
  extent: RowsExtent | null;
  /** Bits: 1 once `layers` was read (or set), 2 once `tensors` was. */
  read: number;
  /** The model's fields in their order, read once from the model its group's run made (not enumerated per edit). */
  keys: readonly (keyof ModelResult)[];
}

/** A moved model's pending rows: a property no enumeration, JSON, spread or deep comparison sees. */
const PENDING = Symbol('rows moved when first read');
type Moved = ModelResult & { [PENDING]?: Pending };

type RowsKey = 'layers' | 'tensors';

function settle<K extends RowsKey>(model: Moved, key: K, value: ModelResult[K]): ModelResult[K] {
  Object.defineProperty(model, key, { value, writable: true, enumerable: true, configurable: true });
  (model[PENDING] as Pending).read |= key === 'layers' ? 1 : 2;
  return value;
}

/**
 * `layers` and `tensors` of a moved model: own, enumerable accessors that move the rows when first read and then
 * become the plain values (so that JSON, structured clones, spreads and deep comparisons see plain data); assigning
 * one first just sets it. One getter and setter for every model, not closures per model: objects that share them
 * share their shape and stay small (closures per model made each one a dictionary, and the scavenges that copy them
 * twice as long).
 */
const ROWS = { layers: rowsAccessor('layers'), tensors: rowsAccessor('tensors') };

/** A model's rows of each kind, moved from the made model's by the shifts. */
const MOVE_ROWS: { [K in RowsKey]: (made: ModelResult, shifts: readonly EditShift[]) => ModelResult[K] } = {
  layers: (made, shifts) => made.layers.map((l) => moveLayer(l, shifts)),
  tensors: (made, shifts) => made.tensors?.map((t) => ({ ...t, range: moveRange(t.range, shifts) })),
};

function rowsAccessor<K extends RowsKey>(key: K): PropertyDescriptor {
  return {
    enumerable: true,
    configurable: true,
    get(this: Moved) {
      const { base, shifts } = this[PENDING] as Pending;
      return settle(this, key, MOVE_ROWS[key](base, shifts));
    },
    set(this: Moved, value: ModelResult[K]) {
      settle(this, key, value);
    },
  };
}

/**
 * An empty plain object (its prototype Object.prototype, as a literal's) made by a constructor: V8 sizes the objects a
 * constructor makes to the fields they are given (slack tracking), so a moved model's dozen fields lie in the object
 * itself, where `{}` has room for four and puts the rest in a separate array, grown as they are added.
 */
const ModelShell = function ModelShell() {} as unknown as new () => object;
ModelShell.prototype = Object.prototype;

/** The descriptor of PENDING's value, reused: a property defined per moved model should allocate nothing more. */
const pendingDescriptor: PropertyDescriptor = { value: undefined };

function setPending(model: Moved, pending: Pending): Moved {
  pendingDescriptor.value = pending;
  Object.defineProperty(model, PENDING, pendingDescriptor);
  pendingDescriptor.value = undefined;
  return model;
}

/**
 * `model`'s fields, in the order `keys` gives, copied into a ModelShell: the rows whose bit is in `waiting` (1 layers,
 * 2 tensors) as accessors (see ROWS), the others moved from `moveFrom` at once or, without it, copied. (Not a copy
 * whose rows are then made accessors: changing a field's kind makes the object a dictionary, twice the size.)
 */
function shellOf(model: ModelResult, keys: readonly (keyof ModelResult)[], waiting: number, moveFrom?: Pick<Pending, 'base' | 'shifts'>): Moved {
  const copy = new ModelShell() as Moved;
  const fields = copy as unknown as Record<string, unknown>;
  for (const k of keys) {
    const bit = k === 'layers' ? 1 : k === 'tensors' ? 2 : 0;
    if (bit & waiting) Object.defineProperty(copy, k, ROWS[k as RowsKey]);
    else if (bit && moveFrom) fields[k] = MOVE_ROWS[k as RowsKey](moveFrom.base, moveFrom.shifts);
    else fields[k] = model[k];
  }
  return copy;
}

/**
 * `model` (as the last analysis gave it) moved by the last edit's `shift`, with every range in it (and its line)
 * moved, or null where one of its messages names a line. Every field of the result types that holds a range is moved
 * here: the differential test along chains of edits (test/unit/reference.test.ts) fails on one left out. An edit
 * moves every model after it, hundreds in a large file: this makes one object per model, and a few per range moved.
 */
export function movedModel(model: ModelResult, shift: EditShift, shiftsAfter: ShiftsAfter): ModelResult | null {
  // The last shift alone: the list of a model no edit moved before (one list per edit).
  let one = shiftsAfter.get(NO_SHIFTS);
  if (!one) shiftsAfter.set(NO_SHIFTS, (one = [shift]));
  if (model.diagnostics.some((d) => NAMES_A_LINE.test(d.message))) return null;
  const diagnostics = model.diagnostics.length === 0 ? model.diagnostics : model.diagnostics.map((d) => moveDiagnostic(d, one));
  const range = moveRange(model.range, one);
  // The rows wait on the shifts since they were last read: a model whose rows were all read is their base.
  const pending = (model as Moved)[PENDING];
  const read = !pending || pending.read === (pending.base.tensors === undefined ? 1 : 3);
  const base = read ? model : pending.base;
  const since = read ? NO_SHIFTS : pending.shifts;
  let shifts = shiftsAfter.get(since);
  if (!shifts) shiftsAfter.set(since, (shifts = [...since, shift]));
  const eager = shifts.length > MAX_SHIFTS;
  // The fields in their order, the rows as accessors unless moved at once.
  const keys = pending?.keys ?? (Object.keys(model) as (keyof ModelResult)[]);
  const moved = eager ? shellOf(model, keys, 0, { base, shifts }) : shellOf(model, keys, 3);
  moved.line = model.line + (range.start.line - model.range.start.line);
  moved.range = range;
  moved.diagnostics = diagnostics;
  if (model.builtBy) {
    const { call, passed, calledOn } = model.builtBy;
    moved.builtBy = { ...model.builtBy };
    if (call) moved.builtBy.call = moveRange(call, one);
    if (passed) moved.builtBy.passed = moveRange(passed, one);
    if (calledOn) moved.builtBy.calledOn = moveRange(calledOn, one);
  }
  if (eager) return moved;
  // A position moves monotonically (one after another stays after it): the extent's ends move to the moved rows' ends.
  const extent = rowsExtent(model);
  return setPending(moved, {
    base,
    shifts,
    extent: extent && { first: moveThrough(extent.first, one), last: moveThrough(extent.last, one) },
    read: 0,
    keys,
  });
}

/**
 * `model` with `fields` set (chooseVersion's `kerasVersionFrom`), as a spread would make it, but the rows of a moved
 * model that wait to be moved still wait: a spread reads them (their accessors), and so moved every model's rows on
 * each keystroke of a Keras 2 file.
 */
export function withFields(model: ModelResult, fields: Partial<ModelResult>): ModelResult {
  const pending = (model as Moved)[PENDING];
  if (!pending) return { ...model, ...fields };
  // The rows already read are plain data now: copied, and read in the copy too.
  const copy = Object.assign(shellOf(model, pending.keys, 3 & ~pending.read), fields);
  const added = (Object.keys(fields) as (keyof ModelResult)[]).filter((k) => !pending.keys.includes(k));
  return setPending(copy, { ...pending, keys: added.length ? [...pending.keys, ...added] : pending.keys });
}

function moveDiagnostic(diagnostic: Diagnostic, shifts: readonly EditShift[]): Diagnostic {
  const range = moveRange(diagnostic.range, shifts);
  return range === diagnostic.range ? diagnostic : { ...diagnostic, range };
}

export function movedDiagnostic(diagnostic: Diagnostic, shift: EditShift): Diagnostic | null {
  return NAMES_A_LINE.test(diagnostic.message) ? null : moveDiagnostic(diagnostic, [shift]);
}

const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.column < b.column);

/**
 * The first and last position of a model's rows (each layer's call, and each call of a shared layer), without reading
 * the rows of a model an edit moved: an editor asks it of every model to find the few in view (inlay hints), and
 * reading a moved model's rows moves them. Null where the model has no rows or they lie in a notebook's cells (lines
 * count per cell there, so positions in two cells do not compare).
 */
export function rowsExtent(model: ModelResult): RowsExtent | null {
  const pending = (model as Moved)[PENDING];
  if (pending) return pending.extent;
  let extent: RowsExtent | null = null;
  const add = (r: Range) => {
    if (r.cell !== undefined) return false;
    if (!extent) extent = { first: r.start, last: r.end };
    else {
      if (before(r.start, extent.first)) extent.first = r.start;
      if (before(extent.last, r.end)) extent.last = r.end;
    }
    return true;
  };
  let plain = true;
  for (const layer of model.layers) {
    plain &&= add(layer.range);
    for (const call of layer.calls ?? []) plain &&= add(call.range);
  }
  return plain ? extent : null;
}
