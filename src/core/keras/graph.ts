/**
 * Functional models: `keras.Model(inputs, outputs)` over a graph of layer calls. The nodes between the inputs and
 * the outputs run in topological order (creation order: a node's inputs are always older) through the same
 * layer rules as a Sequential model's; a merge layer gets every input's shape. Rows are layers, as Keras prints
 * them: a layer called twice (shared weights) is one row, its parameters counted once, with each call's inbound
 * layers; the Input layers have rows of their own.
 */
import type { InternalShape } from '../layers/rule';
import type { SourceText } from '../python/sourceText';
import { cannotResolve } from '../python/values';
import type { AddedLayer, FunctionalBuilder, GraphNode, LayerCall } from './values';
import type { KerasVersion, LayerResult, ModelResult, TensorResult } from '../types';
import { findInputShape } from './inputShape';
import { freeze, initialField, isFrozen, modelResult, newWalk, report, runLayer, toShape, type FieldState, type Walk } from './propagate';
import { DEFAULT_KERAS_VERSION, inputLayerName } from './versions';

/**
 * A variable assigned a Keras tensor (`x = layers.Conv2D(...)(x)`, `inputs = keras.Input(...)`): the interpreter
 * records each assignment; a model lists those whose tensor is one of its nodes. An Input is its InputLayer call
 * (its node is made when it is first used as a tensor).
 */
export interface TensorBinding {
  name: string;
  from: number;
  to: number;
  tensor: GraphNode | LayerCall;
}

/** A Functional model with the tensor assignments of its file (the interpreter's list, shared by its models). */
export type FunctionalGraph = FunctionalBuilder & { tensors?: readonly TensorBinding[] };

/** A node's output: its layer's row, its shape, and which call of that layer made it (Keras' node index). */
interface NodeOutput {
  row: LayerResult;
  shape: LayerResult['outputShape'];
  call: number;
}

interface NodeRun {
  shape: InternalShape | null;
  field: FieldState | null;
  /** The outputs after the first, for a layer that returns several (`LSTM(return_state=True)`: its states). */
  more?: (InternalShape | null)[];
}

/** The shape of output `k` of a node's run (unknown when the run has no such output). */
function outputShape(run: NodeRun | undefined, k: number): InternalShape | null {
  if (!run) return null;
  return k === 0 ? run.shape : (run.more?.[k - 1] ?? null);
}

export function analyzeFunctional(model: FunctionalGraph, source: SourceText, kerasVersion: KerasVersion = DEFAULT_KERAS_VERSION): ModelResult {
  return runFunctional(model, source, kerasVersion).result;
}

/** The model's result, and the shape of each of its outputs (what a model that calls this one as a layer gets). */
export function runFunctional(
  model: FunctionalGraph,
  source: SourceText,
  kerasVersion: KerasVersion = DEFAULT_KERAS_VERSION,
  /** Shapes given for input nodes (a Lambda's placeholder: its function's operations run on the layer's input). */
  given?: Map<GraphNode, InternalShape>,
): { result: ModelResult; outputs: (InternalShape | null)[] } {
  const walk = newWalk(source, kerasVersion);
  for (const n of model.notes) report(walk, n.severity, n.code, n.message, n.from, n.to);
  const nodes = reachable(model, walk);
  const runs = new Map<GraphNode, NodeRun>();
  const rows = new Map<GraphNode['layer'], LayerResult>();
  /** Each node's row, its own output shape (a shared layer's calls differ) and which call of the row's layer it is. */
  const outputs = new Map<GraphNode, NodeOutput>();
  for (const node of nodes) {
    const entry = {
      value: valueOf(node.layer),
      from: node.from,
      to: node.to,
      conditional: false,
    };
    let run: NodeRun;
    let result: LayerResult;
    if (node.inputs.length === 0) {
      // An Input: its shape, and a row of its own, as Keras prints Functional models.
      const shape = given?.get(node);
      const input = shape
        ? { shape }
        : findInputShape(
            {
              name: '',
              explicitName: false,
              from: node.from,
              to: node.to,
              layers: [entry],
              statementFrom: (node.layer as LayerCall).statementFrom ?? node.from,
              conditionalDepth: 0,
              notes: [],
            },
            source,
            (sev, code, msg, from, to) => report(walk, sev, code, msg, from, to),
          );
      run = { shape: input.shape, field: initialField(input.shape) };
      result = {
        index: 0,
        type: 'InputLayer',
        name: inputName(walk, node.layer as LayerCall),
        range: source.range(node.from, node.to),
        inputShape: toShape(input.shape),
        outputShape: toShape(input.shape),
        params: 0,
        trainableParams: 0,
        nonTrainableParams: 0,
        macs: 0,
        receptiveField: null,
        config: {},
      };
    } else {
      // The layer's own inputs; tensors given by keyword (`initial_state=`) come after them and only connect the graph.
      const own = node.inputs.length - (node.keywordInputs ?? 0);
      const inputs = node.inputs.slice(0, own).map((n, k) => ({
        shape: outputShape(runs.get(n), node.inputOutputs?.[k] ?? 0),
        field: (node.inputOutputs?.[k] ?? 0) === 0 ? (runs.get(n)?.field ?? null) : null,
      }));
      // Values among the call's tensors that LayerLens could not follow: tensors of unknown shape.
      const unknown = node.called?.unknown ?? [];
      for (const u of unknown) report(walk, 'information', 'unresolved-value', `${cannotResolve(u)}: shapes after it are unknown.`, u.from, u.to);
      const known = unknown.length === 0 && inputs.every((i) => i.shape);
      const field = unknown.length ? null : mergeFields(inputs.map((i) => i.field));
      // A shared layer's later calls run for their shapes, but must not take a new name.
      const names = rows.has(node.layer) ? new Map(walk.names) : null;
      const called = { form: node.called?.form ?? 'one', tensors: inputs.length + unknown.length } as const;
      const layerRun = runLayer(
        entry,
        inputs[0].shape,
        field,
        walk,
        0,
        known && (node.called || inputs.length > 1) ? (inputs.map((i) => i.shape) as InternalShape[]) : undefined,
        called,
      );
      if (names) walk.names = names;
      run = { shape: known || called.tensors === 1 ? layerRun.output : null, field: layerRun.field };
      if (layerRun.more) run.more = known || called.tensors === 1 ? layerRun.more : layerRun.more.map(() => null);
      result = layerRun.result;
    }
    runs.set(node, run);
    const inbound = node.inputs.map((n) => rows.get(n.layer)?.name ?? '?');
    const inboundCalls = node.inputs.map((n) => outputs.get(n)?.call ?? 0);
    const inboundTensors = node.inputs.map((_n, k) => node.inputOutputs?.[k] ?? 0);
    const inboundShapes = node.inputs.map((n, k) => toShape(outputShape(runs.get(n), inboundTensors[k])));
    const row = rows.get(node.layer);
    const call = { range: source.range(node.from, node.to), inputShape: result.inputShape, outputShape: result.outputShape };
    if (row) {
      // A shared layer: one row, its weights once, its MACs for every call; each call's inbound layers, place and shapes listed.
      row.inbound = [...(row.inbound ?? []), inbound];
      row.inboundShapes = [...(row.inboundShapes ?? []), inboundShapes];
      row.inboundCalls = [...(row.inboundCalls ?? []), inboundCalls];
      if (row.inboundKeywords || node.keywordInputs)
        row.inboundKeywords = [...(row.inboundKeywords ?? row.inbound.slice(0, -1).map(() => 0)), node.keywordInputs ?? 0];
      if (row.inboundTensors || node.inputOutputs)
        row.inboundTensors = [...(row.inboundTensors ?? row.inbound.slice(0, -1).map((c) => c.map(() => 0))), inboundTensors];
      row.macs = row.macs === null || result.macs === null ? null : row.macs + result.macs;
      row.calls ??= [{ range: row.range, inputShape: row.inputShape, outputShape: row.outputShape }];
      row.calls.push(call);
      outputs.set(node, { row, shape: call.outputShape, call: row.calls.length - 1 });
      continue;
    }
    result.inbound = node.inputs.length ? [inbound] : [];
    result.inboundShapes = node.inputs.length ? [inboundShapes] : [];
    result.inboundCalls = node.inputs.length ? [inboundCalls] : [];
    if (node.inputOutputs) result.inboundTensors = [inboundTensors];
    if (node.keywordInputs) result.inboundKeywords = [node.keywordInputs];
    rows.set(node.layer, result);
    outputs.set(node, { row: result, shape: result.outputShape, call: 0 });
  }
  const layers = kerasOrder(model).flatMap((layer) => rows.get(layer) ?? []);
  layers.forEach((l, i) => (l.index = i));
  if (isFrozen(model)) layers.forEach(freeze);
  const first = model.inputs[0] ? runs.get(model.inputs[0]) : undefined;
  const result = modelResult('functional', model, first?.shape ?? null, layers, walk);
  result.inputs = model.inputs.map((i) => {
    const row = rows.get(i.layer);
    return { name: row?.name ?? '?', shape: toShape(runs.get(i)?.shape ?? null) };
  });
  if (model.application) result.application = model.application;
  const tensors = tensorsOf(model, nodes, outputs, source);
  if (tensors.length) result.tensors = tensors;
  return { result, outputs: model.outputs.map((o, i) => outputShape(runs.get(o), model.outputIndices?.[i] ?? 0)) };
}

/** A node's layer as an entry of a layer list: a layer call, or a Sequential or Functional model used as a layer. */
function valueOf(layer: GraphNode['layer']): AddedLayer['value'] {
  if ('type' in layer) return { kind: 'layer', layer };
  if ('outputs' in layer) return { kind: 'functional', model: layer };
  return { kind: 'model', model: layer };
}

/** The variables assigned this model's tensors, in source order (one per assignment and tensor: a loop's are several). */
function tensorsOf(model: FunctionalGraph, nodes: GraphNode[], outputs: Map<GraphNode, NodeOutput>, source: SourceText): TensorResult[] {
  if (!model.tensors?.length) return [];
  const byTensor = new Map<GraphNode | LayerCall, GraphNode>();
  for (const n of nodes) byTensor.set(n, n);
  // An Input is known by its InputLayer call: the binding saw the call, the graph made the node later.
  for (const n of nodes) if (n.inputs.length === 0 && 'type' in n.layer) byTensor.set(n.layer, n);
  const seen = new Set<string>();
  const out: { from: number; tensor: TensorResult }[] = [];
  for (const b of model.tensors) {
    const node = byTensor.get(b.tensor);
    const made = node && outputs.get(node);
    if (!made) continue;
    const key = `${b.from}:${node.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ from: b.from, tensor: { name: b.name, range: source.range(b.from, b.to), layer: made.row.name, shape: made.shape } });
  }
  return out.sort((a, b) => a.from - b.from).map((t) => t.tensor);
}

/**
 * The nodes the outputs depend on, in topological order. An Input reached that is not among the model's inputs
 * is Keras' "Graph disconnected" error.
 */
function reachable(model: FunctionalBuilder, walk: Walk): GraphNode[] {
  const seen = new Set<GraphNode>();
  const stack = [...model.outputs];
  for (let n = stack.pop(); n; n = stack.pop()) {
    if (seen.has(n)) continue;
    seen.add(n);
    stack.push(...n.inputs);
  }
  const declared = new Set(model.inputs);
  for (const n of seen)
    if (n.inputs.length === 0 && !declared.has(n))
      report(
        walk,
        'error',
        'graph-disconnected',
        `Graph disconnected: cannot find parent for the Input at this line, which the outputs depend on; it is not among the model's \`inputs\`.`,
        n.from,
        n.to,
      );
  for (const i of model.inputs) seen.add(i);
  return sourceOrder([...seen]);
}

/**
 * The order the nodes run in: a topological order that follows the source where it can (of the nodes whose
 * inputs are placed, the one written first, then the one made first). Nodes are made as names are needed, which
 * is not always the order they are written in; Keras names unnamed layers in the order the code makes them, so
 * names are given in this order. Rows are listed in Keras' own order (kerasOrder).
 */
function sourceOrder(nodes: GraphNode[]): GraphNode[] {
  const inGraph = new Set(nodes);
  const waiting = new Map<GraphNode, number>();
  const users = new Map<GraphNode, GraphNode[]>();
  for (const n of nodes) {
    const inputs = [...new Set(n.inputs.filter((i) => inGraph.has(i)))];
    waiting.set(n, inputs.length);
    for (const i of inputs) users.set(i, [...(users.get(i) ?? []), n]);
  }
  const before = (a: GraphNode, b: GraphNode) => a.from - b.from || a.id - b.id;
  const ready = nodes.filter((n) => waiting.get(n) === 0);
  const out: GraphNode[] = [];
  while (ready.length) {
    // A linear scan for the earliest: graphs here are at most a few thousand nodes.
    let best = 0;
    for (let i = 1; i < ready.length; i++) if (before(ready[i], ready[best]) < 0) best = i;
    const [n] = ready.splice(best, 1);
    out.push(n);
    for (const u of users.get(n) ?? []) {
      const left = (waiting.get(u) ?? 1) - 1;
      waiting.set(u, left);
      if (left === 0) ready.push(u);
    }
  }
  return out;
}

/**
 * The order Keras 3 lists a Functional model's layers in (`keras/src/ops/function.py`, `map_graph`): by depth,
 * the longest path from the layer to an output, deepest first (the Inputs); layers of equal depth in the order
 * a depth-first walk from the outputs first meets them.
 */
export function kerasOrder(model: FunctionalBuilder): GraphNode['layer'][] {
  const inputs = new Set(model.inputs);
  const finished = new Set<GraphNode>();
  const inProgress = new Set<GraphNode>();
  const postOrder: GraphNode[] = [];
  const firstSeen = new Map<GraphNode['layer'], number>();
  const visit = (node: GraphNode): void => {
    if (finished.has(node) || inProgress.has(node)) return;
    if (node.inputs.length && inputs.has(node)) {
      finished.add(node);
      return;
    }
    if (!firstSeen.has(node.layer)) firstSeen.set(node.layer, firstSeen.size);
    inProgress.add(node);
    for (const input of node.inputs) visit(input);
    inProgress.delete(node);
    finished.add(node);
    postOrder.push(node);
  };
  model.outputs.forEach(visit);
  const inGraph = new Set(postOrder);
  const nodeDepth = new Map<GraphNode, number>();
  const layerDepth = new Map<GraphNode['layer'], number>();
  for (const node of [...postOrder].reverse()) {
    const depth = Math.max(nodeDepth.get(node) ?? 0, layerDepth.get(node.layer) ?? 0);
    layerDepth.set(node.layer, depth);
    nodeDepth.set(node, depth);
    for (const parent of node.inputs) if (inGraph.has(parent)) nodeDepth.set(parent, Math.max(depth + 1, nodeDepth.get(parent) ?? 0));
  }
  for (const input of model.inputs)
    if (!layerDepth.has(input.layer)) {
      layerDepth.set(input.layer, 0);
      firstSeen.set(input.layer, -1);
    }
  return [...layerDepth.keys()].sort((a, b) => (layerDepth.get(b) ?? 0) - (layerDepth.get(a) ?? 0) || (firstSeen.get(a) ?? 0) - (firstSeen.get(b) ?? 0));
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
