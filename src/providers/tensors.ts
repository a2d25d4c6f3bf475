/**
 * Functional models in the editor: which Keras tensor a variable under the cursor holds. The core lists each
 * assignment of a tensor to a variable (`ModelResult.tensors`); here a name in the source is matched to one of them:
 * where it is assigned, where a layer call takes it (the layers feeding that call decide, so `x` in
 * `x = layers.Conv2D(...)(x)` is the earlier `x`, also in a loop), or elsewhere the latest assignment above it in
 * the same function. Pure text logic, no `vscode`, so that the unit tests can run it.
 */
import type { ModelResult, Range, TensorResult } from '../core';
import { rangeContains, rangeKey, type LayerGroup } from './layerGroups';

/** A tensor with the model it belongs to (its index in the analysis' `models`). */
export interface PlacedTensor {
  model: ModelResult;
  modelIndex: number;
  tensor: TensorResult;
}

/** Every tensor of the models, `keep` filtering by where it is assigned (e.g. this document). */
export function allTensors(models: ModelResult[], keep: (r: Range) => boolean = () => true): PlacedTensor[] {
  return models.flatMap((model, modelIndex) => (model.tensors ?? []).filter((t) => keep(t.range)).map((tensor) => ({ model, modelIndex, tensor })));
}

/** The tensors assigned to the variable at a 1-based position (several where the assignment ran more than once). */
export function tensorsAssignedAt(tensors: PlacedTensor[], line: number, column: number): PlacedTensor[] {
  const hit = tensors.find((t) => rangeContains(t.tensor.range, line, column));
  if (!hit) return [];
  const key = rangeKey(hit.tensor.range);
  return tensors.filter((t) => rangeKey(t.tensor.range) === key);
}

/**
 * The layer call an assignment takes its value from (`x = layers.Conv2D(...)(x)`): a call starting on the
 * assignment's line, after the variable, that made the assigned tensors. Undefined for `x = y`.
 */
export function callAssigned(groups: LayerGroup[], assigned: PlacedTensor[]): LayerGroup | undefined {
  const first = assigned[0]?.tensor.range;
  if (!first) return undefined;
  return groups.find(
    (g) =>
      g.range.cell === first.cell &&
      g.range.start.line === first.start.line &&
      g.range.start.column >= first.end.column &&
      assigned.every((a) => g.members.some((m) => m.modelIndex === a.modelIndex && m.layer.name === a.tensor.layer)),
  );
}

/** The tensors named `name` that feed a layer call: the ones whose layer is among the call's inbound layers. */
export function tensorsFeeding(tensors: PlacedTensor[], group: LayerGroup, name: string): PlacedTensor[] {
  const feeding = new Set(group.members.flatMap((m) => (m.layer.inbound?.[m.call ?? 0] ?? []).map((layer) => `${m.modelIndex}:${layer}`)));
  const found = tensors.filter((t) => t.tensor.name === name && feeding.has(`${t.modelIndex}:${t.tensor.layer}`));
  // One variable may hold the same tensor twice (`y = x` after `x = ...`): the nearest assignment above the call is the one read.
  const before = found.filter((t) => !after(t.tensor.range, group.range));
  const byLayer = new Map<string, PlacedTensor>();
  for (const t of before.length ? before : found) byLayer.set(`${t.modelIndex}:${t.tensor.layer}`, t);
  return [...byLayer.values()];
}

function after(a: Range, b: Range): boolean {
  return (
    (a.cell ?? -1) - (b.cell ?? -1) > 0 ||
    ((a.cell ?? -1) === (b.cell ?? -1) && (a.start.line > b.start.line || (a.start.line === b.start.line && a.start.column > b.start.column)))
  );
}

const DEF = /^\s*(async\s+)?def\s/;

/** The indentation of a line, or null for a blank or comment-only line. */
function indentOf(text: string): number | null {
  if (/^\s*(#.*)?$/.test(text)) return null;
  return /^[ \t]*/.exec(text)?.[0].length ?? 0;
}

/**
 * The 1-based line of the `def` whose body holds a line, or 0 at module level: going up, each line less indented
 * than every line below it opens a block that holds it.
 */
export function enclosingDef(line: number, lineText: (line: number) => string | undefined): number {
  let current = indentOf(lineText(line) ?? '') ?? Infinity;
  for (let l = line - 1; l >= 1 && current > 0; l--) {
    const text = lineText(l);
    if (text === undefined) break;
    const indent = indentOf(text);
    if (indent === null || indent >= current) continue;
    if (DEF.test(text)) return l;
    current = indent;
  }
  return 0;
}

/**
 * A variable read outside any layer call (`keras.Model(inputs, outputs)`, `return x`): the tensors of the latest
 * assignment of `name` on an earlier line of the same function (or, at module level, an earlier line or cell), as
 * Python would read it where nothing rebinds the name. `lineText(cell, line)` reads the source.
 */
export function tensorsReadAt(
  tensors: PlacedTensor[],
  name: string,
  at: { line: number; cell?: number },
  lineText: (cell: number | undefined, line: number) => string | undefined,
): PlacedTensor[] {
  const scope = enclosingDef(at.line, (l) => lineText(at.cell, l));
  const candidates = tensors.filter((t) => {
    const r = t.tensor.range;
    if (t.tensor.name !== name) return false;
    if ((r.cell ?? -1) > (at.cell ?? -1)) return false;
    if (r.cell === at.cell) return r.start.line < at.line && enclosingDef(r.start.line, (l) => lineText(r.cell, l)) === scope;
    // Another (earlier) cell: module level only, on both sides.
    return scope === 0 && enclosingDef(r.start.line, (l) => lineText(r.cell, l)) === 0;
  });
  if (!candidates.length) return [];
  const latest = candidates.reduce((best, t) => (after(t.tensor.range, best.tensor.range) ? t : best));
  const key = rangeKey(latest.tensor.range);
  return candidates.filter((t) => rangeKey(t.tensor.range) === key);
}
