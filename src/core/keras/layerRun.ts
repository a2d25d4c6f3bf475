/**
 * One layer through the catalogue's rules: for its input's shape, its output shape, parameters, MACs and receptive
 * field, with diagnostics in Keras' words. The graph a layer sits in is propagate.ts's concern; a layer whose own
 * code is a graph (a custom layer's `call()`, a Lambda's function) runs it through `Walk.runGraph`, which
 * propagate.ts provides, so that this module does not import it.
 */
import { allRules, didYouMean, OPAQUE_LAYERS, ruleFor, UNSIZED_LAYERS } from '../layers/catalogue';
import {
  Args,
  LayerError,
  Unresolved,
  inputSpecError,
  normalizeTuple,
  pyRepr,
  shapeRepr,
  toSnakeCase,
  type CallForm,
  type FieldStep,
  type InternalShape,
  type ParamPart,
  type PyDefault,
  type Rule,
} from '../layers/rule';
import type { SourceText } from '../python/sourceText';
import { cannotResolve, toJson, type Value } from '../python/values';
import { kerasJson, type AddedLayer, type FunctionalBuilder, type GraphNode, type LayerCall } from './values';
import type { Diagnostic, KerasVersion, LayerResult, ModelResult, ReceptiveField, Severity, Shape } from '../types';
import { misspeltKeyword } from '../layers/keywords';
import { operationRule } from '../layers/merge';
import { opRule, type OpKind } from '../layers/ops';
import { keras2OpRow } from './versions';

/** Receptive field state along the spatial axes of the model's input. */
export interface FieldState {
  size: number[];
  jump: number[];
  offset: number[];
}

/** A graph run for its outputs' shapes: the model's result and the shape of each output. */
export interface GraphRun {
  result: ModelResult;
  outputs: (InternalShape | null)[];
}

export interface Walk {
  source: SourceText;
  diagnostics: Diagnostic[];
  /** How many layers of each default name so far (`dense`, `dense_1`…). */
  names: Map<string, number>;
  reported: Set<string>;
  /** The Keras whose defaults and names the walk follows (keras/versions.ts). */
  kerasVersion: KerasVersion;
  /**
   * Runs a graph of layer calls on its own (a custom layer's `call()`, a Lambda's function, traced on placeholders),
   * with shapes given for some of its inputs: the one propagation (propagate.ts runFunctional).
   */
  runGraph: (graph: FunctionalBuilder, given?: Map<GraphNode, InternalShape>) => GraphRun;
}

export function report(walk: Walk, severity: Severity, code: string, message: string, from: number, to: number): void {
  const key = `${code}:${from}:${to}:${message}`;
  if (walk.reported.has(key)) return;
  walk.reported.add(key);
  walk.diagnostics.push({ severity, code, message, range: walk.source.range(from, to) });
}

/** Each input pixel sees itself: the field before any layer, over the input's spatial axes (batch and channels excluded). */
export function initialField(input: InternalShape | null): FieldState | null {
  if (!input || input.length < 3) return null;
  const n = input.length - 2;
  return { size: new Array(n).fill(1), jump: new Array(n).fill(1), offset: new Array(n).fill(0) };
}

export interface LayerRun {
  result: LayerResult;
  output: InternalShape | null;
  field: FieldState | null;
  /** The outputs after the first, for a layer that returns several (`LSTM(return_state=True)`: its states). */
  more?: (InternalShape | null)[];
}

/** A row for the entry before any rule ran: its place, type, name and input, every number unknown. */
export function blankRow(entry: AddedLayer, input: InternalShape | null, walk: Walk, index: number, type: string, name: string): LayerResult {
  const value = entry.value;
  return {
    index,
    type,
    name,
    range: walk.source.range(entry.from, entry.to),
    ...(value.kind === 'layer' && value.layer.via
      ? { via: { function: value.layer.via.function, call: walk.source.range(value.layer.via.from, value.layer.via.to) } }
      : {}),
    inputShape: toShape(input),
    outputShape: null,
    params: null,
    trainableParams: null,
    nonTrainableParams: null,
    macs: null,
    receptiveField: null,
    config: {},
  };
}

/**
 * One entry of a layer list or one node of a graph, on inputs of these shapes: a layer call through its rule, or a
 * value that is no layer (its row unknown). A model used as a layer is a graph of its own: propagate.ts runs it.
 * `called` is how the layer was called on tensors; absent for a layer added to a Sequential model.
 */
export function runLayer(
  entry: AddedLayer,
  input: InternalShape | null,
  field: FieldState | null,
  walk: Walk,
  index: number,
  inputs?: InternalShape[],
  called?: CallForm,
): LayerRun {
  const value = entry.value;
  const blank = (type: string, name: string): LayerResult => blankRow(entry, input, walk, index, type, name);
  if (value.kind !== 'layer') {
    if (value.kind === 'unknown')
      report(walk, 'information', 'unresolved-value', `${cannotResolve(value)}: shapes after it are unknown.`, value.from, value.to);
    else report(walk, 'warning', 'not-a-layer', `This is not a layer LayerLens can read: shapes after it are unknown.`, entry.from, entry.to);
    return { result: blank('?', '?'), output: null, field: null };
  }
  const call = value.layer;
  for (const n of call.notes ?? []) report(walk, n.severity, n.code, n.message, n.from, n.to);
  if (call.unknownCall) return runUnknownCall(call, call.unknownCall, input, field, walk, blank, called);
  // Under Keras 2, an operation on Keras tensors is the TFOpLambda row tf.keras 2 prints (keras/versions.ts).
  const tfOp = walk.kerasVersion === '2' ? keras2OpRow(call) : null;
  const name = layerName(call, walk, tfOp?.name);
  const rule = call.op
    ? opRule(call.op.kind as OpKind, call.type, call.op.tf)
    : call.operation
      ? operationRule(call.type)
      : call.origin === 'keras'
        ? ruleFor(call.type)
        : undefined;
  if (call.type === 'InputLayer') {
    report(
      walk,
      'warning',
      'misplaced-input',
      'An Input can only be the first layer of a Sequential model; LayerLens ignores this one.',
      call.calleeFrom,
      call.calleeTo,
    );
    return {
      result: { ...blank('InputLayer', name), outputShape: toShape(input), params: 0, trainableParams: 0, nonTrainableParams: 0, macs: 0 },
      output: input,
      field,
    };
  }
  if (!rule) {
    const result = blank(call.type, name);
    result.config = configOf(call, undefined);
    // A custom `Layer` subclass whose `call()` LayerLens follows: one row, its weights summed (issue 21 §4).
    if (call.custom) return runCustom(call, call.custom, inputs ?? (input ? [input] : null), called, walk, result);
    // A Lambda given `output_shape=(...)`: Keras takes that shape (batch added) instead of tracing the function.
    let declared = call.type === 'Lambda' ? lambdaOutput(call, input) : null;
    // A Lambda whose function LayerLens followed (tensorOps.ts): its operations run on this input.
    const traced = call.type === 'Lambda' && !declared ? runTraced(call, input, called, walk) : null;
    if (traced === 'reported') return { result, output: null, field: null };
    declared ??= traced;
    if (declared) {
      Object.assign(result, { outputShape: toShape(declared), params: 0, trainableParams: 0, nonTrainableParams: 0, macs: 0 });
      return { result, output: declared, field: null };
    }
    unknownLayer(call, walk);
    return { result, output: null, field: null };
  }
  const run = runRule(rule, call, entry, input, field, walk, blank(tfOp?.type ?? call.subclass ?? rule.type, name), inputs, called);
  // A subclass's row, or tf.keras 2's TFOpLambda row, is its rule's layer or operation for the preview (toTfjs).
  if (call.subclass || tfOp) run.result.baseType = rule.type;
  if (call.operation) run.result.operation = true;
  return run;
}

/**
 * A call LayerLens does not evaluate, on Keras tensors (`tf.nn.swish(x)`): a row named after the function, whose
 * output is its input's shape where the function is elementwise and unknown otherwise; no weights where the
 * function is a library's plain function, unknown weights otherwise. The diagnostic names the call.
 */
function runUnknownCall(
  call: LayerCall,
  unknownCall: NonNullable<LayerCall['unknownCall']>,
  input: InternalShape | null,
  field: FieldState | null,
  walk: Walk,
  blank: (type: string, name: string) => LayerResult,
  called?: CallForm,
): LayerRun {
  const base = /(\w+)$/.exec(call.type)?.[1] ?? call.type;
  const n = walk.names.get(base) ?? 0;
  walk.names.set(base, n + 1);
  const result = blank(call.type, n === 0 ? base : `${base}_${n}`);
  result.operation = true;
  const weights = unknownCall.weightless ? 0 : null;
  Object.assign(result, { params: weights, trainableParams: weights, nonTrainableParams: weights });
  const output = unknownCall.keepsShape && (called?.tensors ?? 1) === 1 ? input : null;
  const text = unknownCall.text.length > 80 ? `${unknownCall.text.slice(0, 77)}...` : unknownCall.text;
  if (unknownCall.keepsShape && (called?.tensors ?? 1) === 1)
    report(
      walk,
      'information',
      'unevaluated-call',
      `\`${text}\` is a call LayerLens does not evaluate; it is elementwise, so its output has its input's shape.`,
      call.from,
      call.to,
    );
  else
    report(
      walk,
      'warning',
      'unevaluated-call',
      `\`${text}\` is a call LayerLens does not evaluate: its output's shape is unknown${unknownCall.weightless ? '' : ', and so are its weights'}, so the numbers that depend on it are unknown.`,
      call.from,
      call.to,
    );
  if (output) Object.assign(result, { outputShape: toShape(output), macs: 0, receptiveField: field ? toField(field) : null });
  return { result, output, field: output ? field : null };
}

/**
 * A Lambda whose function LayerLens ran on a placeholder (interpreter's traceLambda): the operations it applied,
 * run on this input; null where there is no such trace or the layer was called on several tensors (the trace took
 * one); 'reported' where the function could not be followed, or its output's shape could not be worked out, and a
 * warning names why.
 */
function runTraced(call: LayerCall, input: InternalShape | null, called: CallForm | undefined, walk: Walk): InternalShape | null | 'reported' {
  const trace = call.traced;
  if (!trace || !input || (called && (called.form !== 'one' || called.tensors !== 1))) return null;
  const warn = (why: string, from: number, to: number): 'reported' => {
    report(
      walk,
      'warning',
      'lambda-layer',
      `A Lambda layer runs its function, which LayerLens follows through the operations it applies to its input, but not here: ${why}. Shapes after it are unknown.`,
      from,
      to,
    );
    return 'reported';
  };
  if ('why' in trace) return warn(trace.why, trace.from, trace.to);
  const graph = {
    name: '',
    explicitName: false,
    inputs: [trace.input],
    outputs: [trace.output],
    outputIndices: [trace.index],
    from: call.from,
    to: call.to,
    notes: [],
  };
  const { result, outputs } = walk.runGraph(graph, new Map([[trace.input, input]]));
  if (outputs[0]) return outputs[0];
  const first =
    result.diagnostics.find((d) => d.severity !== 'information' && d.code !== 'incomplete-model') ??
    result.diagnostics.find((d) => d.code !== 'incomplete-model');
  return warn(first ? first.message.replace(/\.$/, '') : "its output's shape could not be worked out", call.calleeFrom, call.calleeTo);
}

/**
 * A custom layer (`class Sampling(layers.Layer)`) called on tensors of these shapes: its `call()` run on
 * placeholders (the interpreter's traceCustom), whose graph runs here for the row's output shape and its sublayers'
 * weights, plus what `add_weight` and `tf.Variable` made; as Keras' summary shows it, one row. Where `call()` cannot
 * be followed, the `custom-layer` warning says why, and `compute_output_shape`'s shape is used where it gives one.
 */
function runCustom(
  call: LayerCall,
  custom: NonNullable<LayerCall['custom']>,
  inputs: InternalShape[] | null,
  called: CallForm | undefined,
  walk: Walk,
  result: LayerResult,
): LayerRun {
  const unknown = { result, output: null, field: null };
  if (!inputs || inputs.some((s) => !s)) return unknown;
  const trace = custom(inputs, called?.form ?? 'one');
  if (!trace) return unknown;
  const warn = (why: string, from = call.calleeFrom, to = call.calleeTo) =>
    report(
      walk,
      'warning',
      'custom-layer',
      `\`${call.type}\` is a custom layer defined in this file: LayerLens follows its \`call()\`, but not here: ${why}. ${
        'why' in trace && trace.declared ? 'Its shape is the one its `compute_output_shape` returns; its weights are unknown.' : 'Shapes after it are unknown.'
      }`,
      from,
      to,
    );
  if ('why' in trace) {
    warn(trace.why);
    if (!trace.declared) return unknown;
    Object.assign(result, { outputShape: toShape(trace.declared) });
    return { result, output: trace.declared, field: null };
  }
  const graph = {
    name: '',
    explicitName: false,
    // The constants its code made (weights, `tf.range`, noise) are inputs of the graph too, with their shapes given.
    inputs: [...trace.inputs, ...[...trace.given.keys()].filter((n) => !trace.inputs.includes(n))],
    outputs: [trace.output],
    outputIndices: [trace.index],
    from: call.from,
    to: call.to,
    notes: [],
  };
  const run = walk.runGraph(graph, trace.given);
  const output = run.outputs[0];
  const rows = run.result.layers;
  const add = (a: number | null, b: number | null) => (a === null || b === null || Number.isNaN(a) || Number.isNaN(b) ? null : a + b);
  let trainable: number | null = 0;
  let nonTrainable: number | null = 0;
  for (const r of rows) [trainable, nonTrainable] = [add(trainable, r.trainableParams), add(nonTrainable, r.nonTrainableParams)];
  for (const w of trace.weights)
    if (w.trainable === null) [trainable, nonTrainable] = [null, null];
    else if (w.trainable) trainable = add(trainable, w.params);
    else nonTrainable = add(nonTrainable, w.params);
  // `Block(trainable=False)`: every weight is non-trainable.
  const frozen = call.args.get('trainable');
  if (frozen?.kind === 'bool' && !frozen.value)
    [trainable, nonTrainable] = [trainable === null || nonTrainable === null ? null : 0, add(trainable, nonTrainable)];
  const params = add(trainable, nonTrainable);
  const macs = rows.reduce<number | null>((a, r) => add(a, r.macs), 0);
  Object.assign(result, { outputShape: toShape(output), params, trainableParams: trainable, nonTrainableParams: nonTrainable, macs });
  if (!output || params === null) {
    const first =
      run.result.diagnostics.find((d) => d.severity !== 'information' && d.code !== 'incomplete-model') ??
      run.result.diagnostics.find((d) => d.code !== 'incomplete-model');
    const what = !output ? "its output's shape" : 'its weights';
    warn(first ? `${what} could not be worked out (${first.message.replace(/\.$/, '')})` : `${what} could not be worked out`);
  }
  return { result, output, field: null };
}

/** `Lambda(fn, output_shape=(7, 7, 64))`: the declared shape with the input's batch; null when not a known tuple. */
function lambdaOutput(call: LayerCall, input: InternalShape | null): InternalShape | null {
  const declared = call.args.get('output_shape');
  if (declared?.kind !== 'seq') return null;
  const dims = declared.items.map((v) => (v.kind === 'number' && v.isInt ? v.value : v.kind === 'none' ? null : undefined));
  if (dims.some((d) => d === undefined)) return null;
  return [input ? input[0] : null, ...(dims as (number | null)[])];
}

function unknownLayer(call: LayerCall, walk: Walk): void {
  if (call.type === 'Lambda' || OPAQUE_LAYERS.has(call.type))
    report(
      walk,
      'warning',
      'lambda-layer',
      `A ${call.type} layer runs arbitrary code: LayerLens cannot know its output, so shapes after it are unknown.`,
      call.calleeFrom,
      call.calleeTo,
    );
  else if (call.origin === 'custom')
    report(
      walk,
      'warning',
      'custom-layer',
      call.customWhy ?? `\`${call.type}\` is a custom layer defined in this file: LayerLens does not run its code, so shapes after it are unknown.`,
      call.calleeFrom,
      call.calleeTo,
    );
  else
    report(
      walk,
      'warning',
      'unknown-layer',
      UNSIZED_LAYERS.has(call.type)
        ? `LayerLens does not size the layer \`${call.type}\`: ${UNSIZED_LAYERS.get(call.type)}. Shapes after it are unknown.`
        : `LayerLens does not know the layer \`${call.type}\`${didYouMean(call.type)}: shapes after it are unknown.`,
      call.calleeFrom,
      call.calleeTo,
    );
}

function runRule(
  rule: Rule,
  call: LayerCall,
  entry: AddedLayer,
  input: InternalShape | null,
  field: FieldState | null,
  walk: Walk,
  result: LayerResult,
  inputs?: InternalShape[],
  called?: CallForm,
): LayerRun {
  const args = new Args(rule, call);
  const ctx = {
    args,
    input,
    inputs,
    called,
    kerasVersion: walk.kerasVersion,
    warn: (code: string, message: string) => report(walk, 'warning', code, message, call.calleeFrom, call.to),
    note: (code: string, message: string) => report(walk, 'information', code, message, call.calleeFrom, call.to),
  };
  result.config = configOf(call, rule);
  const inner = rule.wraps ? call.args.get('layer') : undefined;
  if (inner?.kind === 'layer') {
    const innerRule = ruleFor(inner.layer.type);
    result.inner = { type: innerRule?.type ?? inner.layer.type, config: configOf(inner.layer, innerRule) };
  }
  const fail = (e: unknown): null => {
    if (e instanceof LayerError) report(walk, 'error', e.code, e.message, call.calleeFrom, call.to);
    else if (!(e instanceof Unresolved)) throw e;
    return null;
  };
  // A misspelt keyword (`actiavtion=`): Keras refuses the layer, so its output is unknown.
  for (const [key, value] of call.args) {
    const meant = misspeltKeyword(rule, key);
    if (!meant) continue;
    report(
      walk,
      'error',
      'invalid-argument',
      `Unrecognized keyword arguments passed to ${rule.type}: {'${key}': ${pyRepr(toJson(value, kerasJson) as PyDefault)}} (did you mean \`${meant}\`?)`,
      call.calleeFrom,
      call.to,
    );
    return { result, output: null, field: null };
  }

  // Keras' Sequential.add: a layer whose call needs several tensors (`mha(query, value)`) cannot be one of its layers.
  if (!called && (rule.callRequires ?? 1) > 1) {
    const required = (rule.callInputs ?? []).slice(0, rule.callRequires).map((n) => `<Parameter "${n}">`);
    report(
      walk,
      'error',
      'invalid-argument',
      `Layers added to a Sequential model can only have a single required positional argument, the input tensor. Layer ${rule.type} has multiple required positional arguments: [${required.join(', ')}]`,
      call.calleeFrom,
      call.to,
    );
    return { result, output: null, field: null };
  }

  let output: InternalShape | null = null;
  const rankError = input && !rule.multiInput ? inputSpecError(rule, input, result.name) : null;
  if (rankError) report(walk, 'error', 'incompatible-rank', rankError, call.calleeFrom, call.to);
  else {
    try {
      output = rule.outputShape(ctx);
    } catch (e) {
      output = fail(e);
    }
  }

  let parts: ParamPart[] | null = null;
  if (!rankError) {
    try {
      parts = rule.params?.(ctx) ?? [];
    } catch (e) {
      parts = fail(e);
    }
  }
  if (parts) {
    const count = (p: ParamPart) => p.factors.reduce((a, b) => a * b, 1);
    const frozen = call.args.get('trainable');
    const allFrozen = frozen?.kind === 'bool' && !frozen.value;
    // `layer.trainable = ...` where LayerLens cannot tell whether it ran (or to what): which weights train is unknown.
    const unsure = frozen?.kind === 'unknown' && parts.some((p) => p.trainable);
    const trainable = unsure ? NaN : parts.filter((p) => p.trainable && !allFrozen).reduce((s, p) => s + count(p), 0);
    const total = parts.reduce((s, p) => s + count(p), 0);
    result.params = nullIfNaN(total);
    result.trainableParams = nullIfNaN(trainable);
    result.nonTrainableParams = nullIfNaN(total - trainable);
    if (parts.length && result.params !== null) result.paramsBreakdown = parts.map((p) => `${p.factors.join('×')} ${p.label}`).join(' + ');
  }

  if (output) {
    try {
      result.macs = nullIfNaN(rule.macs ? rule.macs(ctx, output) : 0);
    } catch (e) {
      result.macs = fail(e);
    }
  }

  let nextField: FieldState | null = null;
  if (field && output) {
    let step: FieldStep = null;
    try {
      step = rule.receptiveField ? rule.receptiveField(ctx, output) : null;
    } catch (e) {
      step = fail(e);
    }
    nextField = applyField(field, step);
  }
  result.receptiveField = nextField ? toField(nextField) : null;
  result.outputShape = toShape(output);
  let more: (InternalShape | null)[] | undefined;
  if (output && rule.moreOutputs) {
    try {
      more = rule.moreOutputs(ctx, output);
    } catch (e) {
      fail(e);
    }
    if (more?.length) result.outputShapes = [result.outputShape, ...more.map(toShape)];
    else more = undefined;
  }

  checkRepeatedInputShape(call, entry, input, walk);
  for (const u of args.unresolvedRead)
    report(walk, 'information', 'unresolved-value', `${cannotResolve(u)}: the numbers that depend on it are unknown.`, u.from, u.to);
  return more ? { result, output, field: nextField, more } : { result, output, field: nextField };
}

/** Keras 2 ignored `input_shape` on any layer but the first; one that disagrees is worth a word. */
function checkRepeatedInputShape(call: LayerCall, entry: AddedLayer, input: InternalShape | null, walk: Walk): void {
  const given = call.args.get('input_shape');
  if (!given || given.kind !== 'seq' || !input) return;
  const dims = given.items.map((v) => (v.kind === 'number' ? v.value : v.kind === 'none' ? null : NaN));
  const actual = input.slice(1);
  const same = dims.length === actual.length && dims.every((d, i) => d === actual[i] || Number.isNaN(d as number));
  if (!same)
    report(
      walk,
      'warning',
      'input-shape-conflict',
      `This layer's input_shape=${pyRepr(dims)} is ignored: its input is ${shapeRepr(input)}.`,
      entry.from,
      entry.to,
    );
}

function applyField(field: FieldState, step: FieldStep): FieldState | null {
  if (step === null) return null;
  if (step === 'keep') return field;
  if (step.kernel.length !== field.size.length) return null;
  return {
    size: field.size.map((s, i) => s + (step.kernel[i] - 1) * step.dilation[i] * field.jump[i]),
    offset: field.offset.map((o, i) => (step.padBefore[i] === null ? NaN : o - (step.padBefore[i] as number) * field.jump[i])),
    jump: field.jump.map((j, i) => j * step.stride[i]),
  };
}

function toField(f: FieldState): ReceptiveField {
  const clean = (xs: number[]) => xs.map((x) => nullIfNaN(x));
  return { size: clean(f.size), jump: clean(f.jump), offset: clean(f.offset) };
}

/**
 * The Keras class whose default name `name` is (`dense_1`: Dense; `input_2`, `input_layer_1`: InputLayer; a tf.keras 2
 * op's `tf.math.truediv_1`: TFOpLambda), or null. Keras numbers these names across a Python session (every layer of
 * the class made before, in any model, counts), not per model as LayerLens shows them: a name of this form cannot
 * say which layer it is unless it was given (`get_layer`, interpreter.ts).
 */
export function automaticNameClass(name: string): string | null {
  if (/^input_(?:\d+|layer(?:_\d+)?)$/.test(name)) return 'InputLayer';
  if (/^tf\.[\w.]+$/.test(name)) return 'TFOpLambda';
  const base = name.replace(/_\d+$/, '');
  for (const rule of allRules()) if (toSnakeCase(rule.type) === base) return rule.type;
  return null;
}

/** Keras' default layer name: the class in snake case, numbered per model from the second on. */
function layerName(call: LayerCall, walk: Walk, keras2Name?: string): string {
  const given = call.args.get('name');
  if (given?.kind === 'string') return given.value;
  const base = keras2Name ?? call.op?.name ?? toSnakeCase(call.subclass ?? ruleFor(call.type)?.type ?? call.type);
  const n = walk.names.get(base) ?? 0;
  walk.names.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

/** The layer's arguments by name with Keras' defaults filled in, as plain JSON, tuples as Keras normalises them. */
function configOf(call: LayerCall, rule: Rule | undefined): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  if (rule) for (const name of rule.signature) config[name] = name in rule.defaults ? rule.defaults[name] : null;
  for (const [k, v] of call.args) config[k] = toJson(v as Value, kerasJson);
  for (const [name, spec] of Object.entries(rule?.tuples ?? {})) if (name in config) config[name] = normalizeTuple(config[name], spec);
  return config;
}

function nullIfNaN(x: number | null): number | null {
  return x === null || Number.isNaN(x) ? null : x;
}

export function toShape(shape: InternalShape | null): Shape | null {
  return shape ? shape.map((d) => nullIfNaN(d)) : null;
}
