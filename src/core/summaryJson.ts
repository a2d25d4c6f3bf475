/**
 * The CLI's `--json` output: the analysis as it is, plus what a reader of the JSON cannot work out alone: every input
 * of a model (`inputs`), and, beside each number that is `null` (or shape with a `null` besides the batch) because it
 * cannot be known statically, the reason (`unknown`: field name → the diagnostic that made it unknown, or what it
 * depends on). Nothing is recomputed: a number is printed as the analysis gives it.
 */
import { compareRanges, formatShape, modelInputs, type ModelInput } from './format';
import type { AnalysisResult, Diagnostic, LayerResult, ModelResult, Range } from './types';

/** A layer's or model's fields that hold a number or shape, and are `null` when unknown. */
const LAYER_FIELDS = ['inputShape', 'outputShape', 'params', 'trainableParams', 'nonTrainableParams', 'macs'] as const;
const MODEL_FIELDS = ['inputShape', 'totalParams', 'trainableParams', 'nonTrainableParams', 'macs', 'activationBytes'] as const;

/** Why each unknown field is unknown (a `null` number, a shape with a `null` besides the batch), by field name. */
export type UnknownReasons = Partial<Record<string, string>>;

export type LayerJson = Omit<LayerResult, 'nested'> & { nested?: LayerJson[]; unknown?: UnknownReasons };
export type ModelJson = Omit<ModelResult, 'layers' | 'inputs'> & { inputs: ModelInput[]; layers: LayerJson[]; unknown?: UnknownReasons };
export interface SummaryJson {
  file: string;
  models: ModelJson[];
  diagnostics: Diagnostic[];
}

/**
 * Diagnostics that never make a number unknown (a note on spelling, a warning on a large Dense, …): not a reason.
 * Any other one (an unresolved value, a Lambda, a custom layer, an error Keras would raise) can be.
 */
// (`incomplete-model` repeats the first reason at the model; `input-shape-from-fallback` says a shape was found after all.)
const NOT_A_REASON = new Set([
  'legacy-spelling',
  'large-dense',
  'subclassed-layer',
  'model-reassigned',
  'input-shape-conflict',
  'incomplete-model',
  'input-shape-from-fallback',
]);

/** Compares one end of a range with one end of another: cell, then line, then column. */
function compareEnds(a: Range, aEnd: 'start' | 'end', b: Range, bEnd: 'start' | 'end'): number {
  return (a.cell ?? -1) - (b.cell ?? -1) || a[aEnd].line - b[bEnd].line || a[aEnd].column - b[bEnd].column;
}
const within = (inner: Range, outer: Range) => compareEnds(outer, 'start', inner, 'start') <= 0 && compareEnds(inner, 'end', outer, 'end') <= 0;

/** The axes of a shape (batch aside) that are None: `[1]` for `(None, None, 64)`. */
function noneAxes(shape: LayerResult['inputShape']): number[] {
  return shape ? shape.flatMap((d, i) => (i > 0 && d === null ? [i] : [])) : [];
}

const axesText = (axes: number[]) => `${axes.length === 1 ? 'dimension' : 'dimensions'} ${axes.join(', ')}`;

/** A field is unknown when it is null, or, for a shape, when a dimension besides the batch is. */
function isUnknown(layer: LayerResult, field: (typeof LAYER_FIELDS)[number]): boolean {
  const value = layer[field];
  return value === null || (Array.isArray(value) && noneAxes(value).length > 0);
}

/**
 * Why a layer's number or shape is unknown: a diagnostic at the layer itself; else, for what grows with the input's
 * size (MACs, the output), a None dimension of its input (an Input's own None: known only at run time); else the
 * nearest diagnostic before it (an unresolved value it was given, a layer above it whose output is unknown); else
 * that it cannot be known statically.
 */
function layerReason(layer: LayerResult, field: (typeof LAYER_FIELDS)[number], reasons: Diagnostic[]): string {
  const at = reasons.find((d) => within(d.range, layer.range));
  if (at) return at.message;
  const axes = field === 'macs' || field === 'outputShape' || field === 'inputShape' ? noneAxes(layer.inputShape) : [];
  if (axes.length && layer.type === 'InputLayer') return `the Input leaves ${axesText(axes)} to run time (None in its shape)`;
  if (axes.length) return `depends on ${axesText(axes)} of its input ${formatShape(layer.inputShape)}, known only at run time`;
  const before = reasons.filter((d) => compareEnds(d.range, 'start', layer.range, 'end') <= 0).pop();
  return before?.message ?? 'not known statically';
}

function layerJson(layer: LayerResult, reasons: Diagnostic[]): LayerJson {
  const unknown: UnknownReasons = {};
  for (const f of LAYER_FIELDS) if (isUnknown(layer, f)) unknown[f] = layerReason(layer, f, reasons);
  const { nested, ...rest } = layer;
  return {
    ...rest,
    ...(nested ? { nested: nested.map((n) => layerJson(n, reasons)) } : {}),
    ...(Object.keys(unknown).length ? { unknown } : {}),
  };
}

/** Why a model's total is unknown: the first row whose own number is, named, with its reason. */
function totalReason(layers: LayerJson[], field: 'params' | 'trainableParams' | 'nonTrainableParams' | 'macs'): string {
  const row = layers.find((l) => l[field] === null);
  return row ? `${row.name} (${row.type}): ${row.unknown?.[field] ?? 'not known statically'}` : 'not known statically';
}

/** Activation memory needs every output's size: the first row whose output is not fully known, with its reason. */
function activationReason(layers: LayerJson[]): string {
  const row = layers.find((l) => l.unknown?.outputShape);
  return row ? `${row.name} (${row.type}): output ${formatShape(row.outputShape)}: ${row.unknown?.outputShape}` : 'not known statically';
}

function modelJson(model: ModelResult): ModelJson {
  const reasons = model.diagnostics.filter((d) => !NOT_A_REASON.has(d.code)).sort((a, b) => compareRanges(a.range, b.range));
  const layers = model.layers.map((l) => layerJson(l, reasons));
  const why: Record<(typeof MODEL_FIELDS)[number], () => string> = {
    inputShape: () => {
      const axes = noneAxes(model.inputShape);
      return axes.length ? `the Input leaves ${axesText(axes)} to run time (None in its shape)` : (reasons[0]?.message ?? 'not known statically');
    },
    totalParams: () => totalReason(layers, 'params'),
    trainableParams: () => totalReason(layers, 'trainableParams'),
    nonTrainableParams: () => totalReason(layers, 'nonTrainableParams'),
    macs: () => totalReason(layers, 'macs'),
    activationBytes: () => activationReason(layers),
  };
  const unknown: UnknownReasons = {};
  for (const f of MODEL_FIELDS) if (model[f] === null || (f === 'inputShape' && noneAxes(model.inputShape).length)) unknown[f] = why[f]();
  return { ...model, inputs: modelInputs(model), layers, ...(Object.keys(unknown).length ? { unknown } : {}) };
}

/** The `--json` object for one file. */
export function summaryJson(file: string, result: AnalysisResult): SummaryJson {
  return { file, models: result.models.map(modelJson), diagnostics: result.diagnostics };
}
