/**
 * The one propagation: a model's graph (modelGraph.ts), whatever the model, walked node by node in the order it
 * runs, each layer through its rule (layerRun.ts) with the shapes of the tensors it takes. A layer that fails leaves
 * what depends on it unknown, but the summary always covers the rest. Rows are layers, as Keras prints them: a layer
 * called twice (shared weights) is one row, its parameters counted once, with each call's inbound layers; a
 * Functional model's Inputs have rows of their own, a Sequential model's Input has none. A model used as a layer is
 * one row whose own graph runs here too.
 */
import type { InternalShape } from '../layers/rule';
import { product, pyRepr, shapeRepr } from '../layers/rule';
import type { SourceText } from '../python/sourceText';
import { cannotResolve } from '../python/values';
import type { AddedLayer, FunctionalBuilder, GraphNode, LayerCall, ModelBuilder } from './values';
import type { KerasVersion, LayerResult, ModelResult, TensorResult } from '../types';
import { BYTES_PER_PARAM } from '../format';
import { findInputShape } from './inputShape';
import { blankRow, initialField, report, runLayer, toShape, type FieldState, type GraphRun, type LayerRun, type Walk } from './layerRun';
import {
  functionalGraph,
  sequentialGraph,
  type FunctionalGraph,
  type InputNode,
  type LayerNode,
  type ModelGraph,
  type RowKey,
  type TensorBinding,
} from './modelGraph';
import { largeDenseWarning } from './warnings';
import { DEFAULT_KERAS_VERSION, inputLayerName, modelName } from './versions';

/** A fresh walk over one model: its diagnostics, and the default names given so far. */
export function newWalk(source: SourceText, kerasVersion: KerasVersion = DEFAULT_KERAS_VERSION): Walk {
  return {
    source,
    diagnostics: [],
    names: new Map(),
    reported: new Set(),
    kerasVersion,
    runGraph: (graph, given) => runFunctional(graph, source, kerasVersion, given),
  };
}

export function analyzeModel(model: ModelBuilder, source: SourceText, kerasVersion: KerasVersion = DEFAULT_KERAS_VERSION): ModelResult {
  const walk = newWalk(source, kerasVersion);
  for (const n of model.notes) report(walk, n.severity, n.code, n.message, n.from, n.to);
  const { runs, layers } = propagate(sequentialGraph(model), walk);
  if (isFrozen(model)) layers.forEach(freeze);
  const result = modelResult('sequential', model, runs[0]?.shape ?? null, layers, walk);
  const warning = largeDenseWarning(result);
  if (warning) walk.diagnostics.push(warning);
  return result;
}

export function analyzeFunctional(model: FunctionalGraph, source: SourceText, kerasVersion: KerasVersion = DEFAULT_KERAS_VERSION): ModelResult {
  return runFunctional(model, source, kerasVersion).result;
}

/** A Functional model's result, and the shape of each of its outputs (what a model that calls this one as a layer gets). */
export function runFunctional(
  model: FunctionalGraph,
  source: SourceText,
  kerasVersion: KerasVersion = DEFAULT_KERAS_VERSION,
  /** Shapes given for input nodes (a Lambda's placeholder: its function's operations run on the layer's input). */
  given?: Map<GraphNode, InternalShape>,
): GraphRun {
  const walk = newWalk(source, kerasVersion);
  for (const n of model.notes) report(walk, n.severity, n.code, n.message, n.from, n.to);
  const graph = functionalGraph(model);
  for (const n of graph.disconnected)
    report(
      walk,
      'error',
      'graph-disconnected',
      `Graph disconnected: cannot find parent for the Input at this line, which the outputs depend on; it is not among the model's \`inputs\`.`,
      n.from,
      n.to,
    );
  const { runs, made, layers } = propagate(graph, walk, given);
  if (isFrozen(model)) layers.forEach(freeze);
  const first = graph.inputs.length ? runs[graph.inputs[0]] : undefined;
  const result = modelResult('functional', model, first?.shape ?? null, layers, walk);
  result.inputs = graph.inputs.map((i) => ({ name: made[i]?.row.name ?? '?', shape: toShape(runs[i]?.shape ?? null) }));
  if (model.application) result.application = model.application;
  const tensors = tensorsOf(model, graph, made, source);
  if (tensors.length) result.tensors = tensors;
  return { result, outputs: graph.outputs.map((o) => outputShape(runs[o.node], o.output)) };
}

/** A node's run: its output's shape and receptive field. */
interface NodeRun {
  shape: InternalShape | null;
  field: FieldState | null;
  /** The outputs after the first, for a layer that returns several (`LSTM(return_state=True)`: its states). */
  more?: (InternalShape | null)[];
}

/** What a node made: its layer's row, its own output's shape (a shared layer's calls differ) and which call of the row's layer it is (Keras' node index). */
interface NodeOutput {
  row: LayerResult;
  shape: LayerResult['outputShape'];
  call: number;
}

/** The shape of output `k` of a node's run (unknown when the run has no such output). */
function outputShape(run: NodeRun | undefined, k: number): InternalShape | null {
  if (!run) return null;
  return k === 0 ? run.shape : (run.more?.[k - 1] ?? null);
}

/**
 * Every node of the graph in order: each layer on the shapes of the tensors it takes. Returns each node's run and
 * what it made (by node index), and the rows in the model's order, each with its index; a Functional model's rows
 * carry their edges (`inbound`, by name for the summary, and `inboundRows`, by row).
 */
function propagate(
  graph: ModelGraph,
  walk: Walk,
  given?: Map<GraphNode, InternalShape>,
): { runs: (NodeRun | undefined)[]; made: (NodeOutput | undefined)[]; layers: LayerResult[] } {
  const runs: (NodeRun | undefined)[] = [];
  const made: (NodeOutput | undefined)[] = [];
  const rows = new Map<RowKey, LayerResult>();
  const functional = graph.kind === 'functional';
  graph.nodes.forEach((node, i) => {
    const { run, result } = node.kind === 'input' ? runInput(node, walk, given) : runNode(node, walk, runs, rows);
    runs[i] = run;
    if (!result) return;
    const key = node.row as RowKey;
    const inputs = node.kind === 'layer' ? node.inputs : [];
    if (!functional) {
      rows.set(key, result);
      made[i] = { row: result, shape: result.outputShape, call: 0 };
      return;
    }
    const inbound = inputs.map((e) => made[e.node]?.row.name ?? '?');
    const inboundCalls = inputs.map((e) => made[e.node]?.call ?? 0);
    const inboundTensors = inputs.map((e) => e.output);
    const inboundShapes = inputs.map((e) => toShape(outputShape(runs[e.node], e.output)));
    const keywords = node.kind === 'layer' ? node.keywordInputs : 0;
    const listsOutputs = node.kind === 'layer' && node.listsOutputs;
    const row = rows.get(key);
    const call = {
      range: walk.source.range(node.kind === 'layer' ? node.entry.from : node.from, node.kind === 'layer' ? node.entry.to : node.to),
      inputShape: result.inputShape,
      outputShape: result.outputShape,
    };
    if (row) {
      // A shared layer: one row, its weights once, its MACs for every call; each call's inbound layers, place and shapes listed.
      row.inbound = [...(row.inbound ?? []), inbound];
      row.inboundShapes = [...(row.inboundShapes ?? []), inboundShapes];
      row.inboundCalls = [...(row.inboundCalls ?? []), inboundCalls];
      if (row.inboundKeywords || keywords) row.inboundKeywords = [...(row.inboundKeywords ?? row.inbound.slice(0, -1).map(() => 0)), keywords];
      if (row.inboundTensors || listsOutputs)
        row.inboundTensors = [...(row.inboundTensors ?? row.inbound.slice(0, -1).map((c) => c.map(() => 0))), inboundTensors];
      // Node indices until the rows are in order, then row indices (below).
      row.inboundRows?.push(inputs.map((e) => e.node));
      row.macs = row.macs === null || result.macs === null ? null : row.macs + result.macs;
      row.calls ??= [{ range: row.range, inputShape: row.inputShape, outputShape: row.outputShape }];
      row.calls.push(call);
      made[i] = { row, shape: call.outputShape, call: row.calls.length - 1 };
      return;
    }
    result.inbound = inputs.length ? [inbound] : [];
    result.inboundShapes = inputs.length ? [inboundShapes] : [];
    result.inboundCalls = inputs.length ? [inboundCalls] : [];
    if (listsOutputs) result.inboundTensors = [inboundTensors];
    if (keywords) result.inboundKeywords = [keywords];
    result.inboundRows = inputs.length ? [inputs.map((e) => e.node)] : [];
    rows.set(key, result);
    made[i] = { row: result, shape: result.outputShape, call: 0 };
  });
  const layers = graph.rows.flatMap((key) => rows.get(key) ?? []);
  layers.forEach((l, i) => (l.index = i));
  if (functional) {
    // Edges as rows of this list: -1 where the layer taken is no row of it (a tensor made before one of the model's Inputs).
    const listed = new Set(layers);
    for (const l of layers)
      for (const call of l.inboundRows ?? [])
        call.forEach((n, k) => {
          const row = made[n]?.row;
          call[k] = row && listed.has(row) ? row.index : -1;
        });
  }
  return { runs, made, layers };
}

/** An Input: its shape, and for a Functional model a row of its own (as Keras prints Functional models). */
function runInput(node: InputNode, walk: Walk, given?: Map<GraphNode, InternalShape>): { run: NodeRun; result: LayerResult | null } {
  const report_ = (sev: Parameters<typeof report>[1], code: string, msg: string, from: number, to: number) => report(walk, sev, code, msg, from, to);
  const source = node.shape;
  const shape =
    'given' in source
      ? source.given
      : 'model' in source
        ? findInputShape(source.model, walk.source, report_).shape
        : ((node.tensor && given?.get(node.tensor)) ??
          findInputShape(
            {
              name: '',
              explicitName: false,
              from: node.from,
              to: node.to,
              layers: [source.entry],
              statementFrom: source.statementFrom,
              conditionalDepth: 0,
              notes: [],
            },
            walk.source,
            report_,
          ).shape);
  const run = { shape, field: initialField(shape) };
  if (!node.row) return { run, result: null };
  const result: LayerResult = {
    index: 0,
    type: 'InputLayer',
    name: inputName(walk, node.row),
    range: walk.source.range(node.from, node.to),
    inputShape: toShape(shape),
    outputShape: toShape(shape),
    params: 0,
    trainableParams: 0,
    nonTrainableParams: 0,
    macs: 0,
    receptiveField: null,
    config: {},
  };
  return { run, result };
}

/**
 * A layer (or a model used as a layer) on the tensors it takes: its own inputs (tensors given by keyword, such as
 * `initial_state=`, come after them and only connect the graph), and, for a Functional model's node, how it was called.
 */
function runNode(node: LayerNode, walk: Walk, runs: (NodeRun | undefined)[], rows: Map<RowKey, LayerResult>): { run: NodeRun; result: LayerResult } {
  const own = node.inputs.length - node.keywordInputs;
  const inputs = node.inputs.slice(0, own).map((e) => ({
    shape: outputShape(runs[e.node], e.output),
    field: e.output === 0 ? (runs[e.node]?.field ?? null) : null,
  }));
  // Values among the call's tensors that LayerLens could not follow: tensors of unknown shape.
  const called = node.onTensors?.called;
  const unknown = called?.unknown ?? [];
  for (const u of unknown) report(walk, 'information', 'unresolved-value', `${cannotResolve(u)}: shapes after it are unknown.`, u.from, u.to);
  const known = unknown.length === 0 && inputs.every((i) => i.shape);
  const field = unknown.length ? null : mergeFields(inputs.map((i) => i.field));
  // A shared layer's later calls run for their shapes, but must not take a new name.
  const names = rows.has(node.row) ? new Map(walk.names) : null;
  const form = node.onTensors ? ({ form: called?.form ?? 'one', tensors: inputs.length + unknown.length } as const) : undefined;
  const several = node.onTensors && known && (called || inputs.length > 1);
  const layerRun = runEntry(node.entry, inputs[0].shape, field, walk, rows.size, several ? (inputs.map((i) => i.shape) as InternalShape[]) : undefined, form);
  if (names) walk.names = names;
  const single = (form?.tensors ?? 1) === 1;
  const run: NodeRun = { shape: known || single ? layerRun.output : null, field: layerRun.field };
  if (layerRun.more) run.more = known || single ? layerRun.more : layerRun.more.map(() => null);
  const entry = node.entry;
  if (entry.conditional) {
    // Added where LayerLens cannot tell whether or how often it runs: what follows it is unknown.
    layerRun.result.timesUnknown = true;
    report(
      walk,
      'warning',
      'conditional-layer',
      `This layer is added inside \`${entry.conditionalKeyword ?? 'if'}\`: whether or how often it runs cannot be known statically${entry.conditionalWhy ? ` (${entry.conditionalWhy})` : ''}, so shapes after it are unknown.`,
      entry.from,
      entry.to,
    );
    return { run: { shape: null, field: null }, result: layerRun.result };
  }
  return { run, result: layerRun.result };
}

/** An entry on its input: a model used as a layer runs its own graph; anything else is one layer (layerRun.ts). */
function runEntry(
  entry: AddedLayer,
  input: InternalShape | null,
  field: FieldState | null,
  walk: Walk,
  index: number,
  inputs?: InternalShape[],
  called?: Parameters<typeof runLayer>[6],
): LayerRun {
  const value = entry.value;
  if (value.kind !== 'model' && value.kind !== 'functional') return runLayer(entry, input, field, walk, index, inputs, called);
  const blank = (type: string, name: string) => blankRow(entry, input, walk, index, type, name);
  return value.kind === 'model' ? runNested(value.model, input, walk, blank) : runNestedFunctional(value.model, input, walk, blank, entry);
}

/** A model's result from its rows: totals, activation memory and where it was built, the same for Sequential and Functional models. */
export function modelResult(
  kind: NonNullable<ModelResult['kind']>,
  model: Pick<ModelBuilder, 'name' | 'explicitName' | 'from' | 'to' | 'builtBy'>,
  inputShape: InternalShape | null,
  layers: LayerResult[],
  walk: Walk,
): ModelResult {
  const { source } = walk;
  const sum = (f: (l: LayerResult) => number | null) => sumOf(layers, f);
  // Every output a layer returns is held (an LSTM's states too).
  const activations = sum((l) =>
    (l.outputShapes ?? [l.outputShape]).reduce<number | null>((total, s) => {
      const size = s ? nullIfNaN(product(s.slice(1))) : null;
      return total === null || size === null ? null : total + size;
    }, 0),
  );
  const result: ModelResult = {
    name: modelName(model, kind, walk.kerasVersion),
    kerasVersion: walk.kerasVersion,
    kind,
    line: source.position(model.from).line,
    range: source.range(model.from, model.to),
    inputShape: toShape(inputShape),
    layers,
    totalParams: sum((l) => l.params),
    trainableParams: sum((l) => l.trainableParams),
    nonTrainableParams: sum((l) => l.nonTrainableParams),
    macs: sum((l) => l.macs),
    activationBytes: activations === null ? null : activations * BYTES_PER_PARAM,
    diagnostics: walk.diagnostics,
  };
  if (model.builtBy)
    result.builtBy = {
      function: model.builtBy.function,
      ...(model.builtBy.call ? { call: source.range(model.builtBy.call.from, model.builtBy.call.to) } : {}),
      ...(model.builtBy.passed ? { passed: source.range(model.builtBy.passed.from, model.builtBy.passed.to) } : {}),
      ...(model.builtBy.calledOn ? { calledOn: source.range(model.builtBy.calledOn.from, model.builtBy.calledOn.to) } : {}),
      ...(model.builtBy.tuner ? { tuner: true as const } : {}),
    };
  return result;
}

/** The sum over layers of a number, null as soon as one layer's is unknown. */
export function sumOf(layers: LayerResult[], f: (l: LayerResult) => number | null): number | null {
  let total = 0;
  for (const l of layers) {
    const v = f(l);
    if (v === null) return null;
    total += v;
  }
  return total;
}

function nullIfNaN(x: number | null): number | null {
  return x === null || Number.isNaN(x) ? null : x;
}

/** `model.trainable = False`. */
export function isFrozen(model: ModelBuilder | FunctionalBuilder): boolean {
  return model.trainable?.kind === 'bool' && !model.trainable.value;
}

/** Every weight of the layer becomes non-trainable. */
export function freeze(layer: LayerResult): void {
  if (layer.params === null) return;
  layer.trainableParams = 0;
  layer.nonTrainableParams = layer.params;
}

/**
 * A nested model's numbers for an input shape, computed once: models nested in models nested in models (code
 * that builds each from the last) would otherwise be walked again at every level. ModelBuilders are made anew
 * by each analysis, so the cache lives as long as the analysis does.
 */
const nestedRuns = new WeakMap<
  ModelBuilder,
  Map<string, { output: InternalShape | null; layers: LayerResult[]; totals: Pick<LayerResult, 'params' | 'trainableParams' | 'nonTrainableParams' | 'macs'> }>
>();
/** Models being walked as layers right now: a model added to itself (or to a model inside it) is not walked again. */
const walkingNested = new Set<ModelBuilder | FunctionalBuilder>();

/** A nested Sequential used as a layer: its layers run on this input (its graph's Input takes it) and show as one row. */
function runNested(model: ModelBuilder, input: InternalShape | null, walk: Walk, blank: (t: string, n: string) => LayerResult): LayerRun {
  const result = blank('Sequential', modelName(model, 'sequential', walk.kerasVersion));
  if (walkingNested.has(model)) return { result, output: null, field: null };
  const key = input ? input.map(String).join(',') : 'unknown';
  let byInput = nestedRuns.get(model);
  if (!byInput) nestedRuns.set(model, (byInput = new Map()));
  let run = byInput.get(key);
  if (!run) {
    walkingNested.add(model);
    try {
      const graph = sequentialGraph(model, { shape: input });
      const inner = propagate(graph, newWalk(walk.source, walk.kerasVersion));
      const sum = (f: (l: LayerResult) => number | null) => sumOf(inner.layers, f);
      const [last] = graph.outputs;
      run = {
        output: outputShape(inner.runs[last.node], last.output),
        layers: inner.layers,
        totals: {
          params: sum((l) => l.params),
          trainableParams: sum((l) => l.trainableParams),
          nonTrainableParams: sum((l) => l.nonTrainableParams),
          macs: sum((l) => l.macs),
        },
      };
    } finally {
      walkingNested.delete(model);
    }
    byInput.set(key, run);
  }
  Object.assign(result, run.totals);
  result.nested = run.layers;
  if (isFrozen(model)) freeze(result);
  result.outputShape = toShape(run.output);
  return { result, output: run.output, field: null };
}

/**
 * A Functional model used as a layer (`conv_base` in `Sequential([conv_base, Flatten(), ...])`, `base(x)`): one row
 * with its totals and its output, as Keras prints it. It runs on its own Input; an input of another shape is
 * Keras' incompatible-input error.
 */
function runNestedFunctional(
  model: FunctionalBuilder,
  input: InternalShape | null,
  walk: Walk,
  blank: (t: string, n: string) => LayerResult,
  at: AddedLayer,
): LayerRun {
  const name = modelName(model, 'functional', walk.kerasVersion);
  const result = blank('Functional', name);
  let run = functionalRuns.get(model);
  if (!run) {
    if (walkingNested.has(model)) return { result, output: null, field: null };
    walkingNested.add(model);
    try {
      functionalRuns.set(model, (run = runFunctional(model, walk.source, walk.kerasVersion)));
    } finally {
      walkingNested.delete(model);
    }
  }
  const { result: inner, outputs } = run;
  const expected = inner.inputShape;
  if (input && expected && (input.length !== expected.length || expected.some((d, i) => i > 0 && d !== null && input[i] !== d && !Number.isNaN(input[i])))) {
    report(
      walk,
      'error',
      'incompatible-input',
      `Input 0 of layer "${name}" is incompatible with the layer: expected shape=${pyRepr(expected)}, found shape=${shapeRepr(input)}`,
      at.from,
      at.to,
    );
    return { result, output: null, field: null };
  }
  Object.assign(result, { params: inner.totalParams, trainableParams: inner.trainableParams, nonTrainableParams: inner.nonTrainableParams, macs: inner.macs });
  result.nested = inner.layers;
  const output = outputs.length === 1 ? outputs[0] : null;
  result.outputShape = toShape(output);
  return { result, output, field: null };
}

/** A Functional model's own run, once per analysis (it does not depend on what it is called on). */
const functionalRuns = new WeakMap<FunctionalBuilder, GraphRun>();

/**
 * The file's tensor assignments by the tensor assigned, each with its place in the list: every Functional model of
 * the file shares the list, and a model asks it only about its own nodes (scanning it for each model cost a file of
 * many small models as much as their propagation). The list is whole by the time a model's result is made.
 */
const bindingsByTensor = new WeakMap<readonly TensorBinding[], { length: number; index: Map<GraphNode | LayerCall, number[]> }>();

function bindingsIndex(all: readonly TensorBinding[]): Map<GraphNode | LayerCall, number[]> {
  const known = bindingsByTensor.get(all);
  if (known && known.length === all.length) return known.index;
  const index = new Map<GraphNode | LayerCall, number[]>();
  all.forEach((b, k) => {
    const list = index.get(b.tensor);
    if (list) list.push(k);
    else index.set(b.tensor, [k]);
  });
  bindingsByTensor.set(all, { length: all.length, index });
  return index;
}

/** The variables assigned this model's tensors, in source order (one per assignment and tensor: a loop's are several). */
function tensorsOf(model: FunctionalGraph, graph: ModelGraph, made: (NodeOutput | undefined)[], source: SourceText): TensorResult[] {
  const all = model.tensors;
  if (!all?.length) return [];
  const byTensor = new Map<GraphNode | LayerCall, number>();
  graph.nodes.forEach((n, i) => n.tensor && byTensor.set(n.tensor, i));
  // An Input is known by its InputLayer call: the binding saw the call, the graph made the node later.
  graph.nodes.forEach((n, i) => n.kind === 'input' && n.tensor && 'type' in n.tensor.layer && byTensor.set(n.tensor.layer, i));
  // The assignments of this graph's tensors, in the order they ran.
  const index = bindingsIndex(all);
  const mine = [...byTensor.keys()].flatMap((t) => index.get(t) ?? []).sort((a, b) => a - b);
  const seen = new Set<string>();
  const out: { from: number; tensor: TensorResult }[] = [];
  for (const k of mine) {
    const b = all[k];
    const i = byTensor.get(b.tensor);
    const node = i === undefined ? undefined : graph.nodes[i];
    const output = i === undefined ? undefined : made[i];
    if (!node?.tensor || !output) continue;
    const key = `${b.from}:${node.tensor.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ from: b.from, tensor: { name: b.name, range: source.range(b.from, b.to), layer: output.row.name, shape: output.shape } });
  }
  return out.sort((a, b) => a.from - b.from).map((t) => t.tensor);
}

/** Keras 3 names Inputs `input_layer`, `input_layer_1`…, Keras 2 `input_1`, `input_2`…, unless `name=` is given. */
function inputName(walk: Walk, call: LayerCall): string {
  const given = call.args.get('name');
  if (given?.kind === 'string') return given.value;
  const key = inputLayerName(0, walk.kerasVersion);
  const n = walk.names.get(key) ?? 0;
  walk.names.set(key, n + 1);
  return inputLayerName(n, walk.kerasVersion);
}

/**
 * The receptive field where branches meet: the union of the inputs' windows when their jumps agree (one window
 * covers both), else unknown.
 */
function mergeFields(fields: (FieldState | null)[]): FieldState | null {
  if (fields.length === 1) return fields[0];
  if (fields.some((f) => !f)) return null;
  const fs = fields as FieldState[];
  const axes = fs[0].size.length;
  if (fs.some((f) => f.size.length !== axes || f.jump.some((j, i) => j !== fs[0].jump[i]))) return null;
  const offset = fs[0].offset.map((_, i) => Math.min(...fs.map((f) => f.offset[i])));
  const end = fs[0].offset.map((_, i) => Math.max(...fs.map((f) => f.offset[i] + f.size[i])));
  return { size: end.map((e, i) => e - offset[i]), jump: fs[0].jump.slice(), offset };
}
