/**
 * Every model as one graph of nodes (issue 19), which propagate.ts walks the same way whatever the model:
 * - a Sequential model is a chain from an implicit Input, as Keras 3 builds it (a leading `Input(...)` is that
 *   Input, not a layer);
 * - a Functional model is the layer calls its outputs depend on, from its Inputs;
 * - a model used as a layer is one node, whose own graph propagate.ts runs for it;
 * - a `keras.applications` architecture is a Functional model (keras/applications.ts builds it).
 * Edges are node indices, so nothing downstream matches layers by name.
 */
import type { InternalShape } from '../layers/rule';
import type { AddedLayer, FunctionalBuilder, GraphNode, LayerCall, ModelBuilder } from './values';

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

/** What a node takes: another node's output (which of its outputs: an LSTM's states are 1 and 2). */
export interface ModelEdge {
  node: number;
  output: number;
}

/**
 * What a node's row is known by: a layer's calls share one row (shared weights), so a Functional node's key is its
 * layer; each entry of a Sequential model is a row of its own, keyed by its node.
 */
export type RowKey = object;

/** An Input of the model. */
export interface InputNode {
  kind: 'input';
  /**
   * Where its shape comes from: the Sequential model's own (its leading Input, first layer, `build()` or a comment:
   * findInputShape); an Input call's arguments; or given (a model used as a layer runs on what it is called on).
   */
  shape: { model: ModelBuilder } | { entry: AddedLayer; statementFrom: number } | { given: InternalShape | null };
  /** Its row, a Functional model's Input (as Keras prints them; a Sequential model's Input is no row): its InputLayer call. */
  row: LayerCall | null;
  /** The interpreter's node, for a Functional model: what shapes given for a traced graph's inputs are keyed by. */
  tensor?: GraphNode;
  from: number;
  to: number;
}

/** A layer called on tensors, or a model used as a layer. */
export interface LayerNode {
  kind: 'layer';
  entry: AddedLayer;
  /** The tensors it takes; the last `keywordInputs` of them came by keyword (`initial_state=`) and only connect the graph. */
  inputs: ModelEdge[];
  keywordInputs: number;
  /** The call said which output of each input it takes (GraphNode.inputOutputs): its row lists them (`inboundTensors`). */
  listsOutputs?: true;
  /**
   * How a Functional model's node calls its layer: on one tensor (`called` absent) or on several (GraphNode.called).
   * Absent for a layer added to a Sequential model, which Keras' `add` calls on the layer before's output.
   */
  onTensors?: { called?: GraphNode['called'] };
  row: RowKey;
  tensor?: GraphNode;
}

export type ModelNode = InputNode | LayerNode;

export interface ModelGraph {
  kind: 'sequential' | 'functional';
  /** In the order they run: each after the nodes it takes (and, in a Functional model, in source order where it can). */
  nodes: ModelNode[];
  /** The model's Inputs, in the order it takes them. */
  inputs: number[];
  outputs: ModelEdge[];
  /** The rows in the order the model lists them (Keras' summary order). */
  rows: RowKey[];
  /** Inputs the outputs depend on that are not among the model's `inputs`: Keras' "Graph disconnected". */
  disconnected: GraphNode[];
}

/**
 * A Sequential model as a chain: its Input (the model's shape, or the one given when it is used as a layer), then
 * each layer on the output of the one before. With its own Input, a leading `Input(...)` entry is that Input; run on
 * a given shape (a model used as a layer), every entry is a node.
 */
export function sequentialGraph(model: ModelBuilder, given?: { shape: InternalShape | null }): ModelGraph {
  const first = model.layers[0]?.value;
  const ownInput = !given && first?.kind === 'layer' && first.layer.type === 'InputLayer';
  const input: InputNode = { kind: 'input', shape: given ? { given: given.shape } : { model }, row: null, from: model.from, to: model.to };
  const nodes: ModelNode[] = [input];
  for (const entry of ownInput ? model.layers.slice(1) : model.layers) {
    const node: LayerNode = { kind: 'layer', entry, inputs: [{ node: nodes.length - 1, output: 0 }], keywordInputs: 0, row: {} };
    node.row = node;
    nodes.push(node);
  }
  return {
    kind: 'sequential',
    nodes,
    inputs: [0],
    outputs: [{ node: nodes.length - 1, output: 0 }],
    rows: nodes.flatMap((n) => (n.kind === 'layer' ? [n.row] : [])),
    disconnected: [],
  };
}

/** A Functional model's graph: the nodes its outputs depend on, and its Inputs. */
export function functionalGraph(model: FunctionalBuilder): ModelGraph {
  const { nodes: order, disconnected } = reachable(model);
  const index = new Map(order.map((n, i) => [n, i]));
  const nodes = order.map((n): ModelNode => {
    const entry: AddedLayer = { value: valueOf(n.layer), from: n.from, to: n.to, conditional: false };
    if (n.inputs.length === 0)
      return {
        kind: 'input',
        shape: { entry, statementFrom: (n.layer as LayerCall).statementFrom ?? n.from },
        row: n.layer as LayerCall,
        tensor: n,
        from: n.from,
        to: n.to,
      };
    return {
      kind: 'layer',
      entry,
      inputs: n.inputs.map((input, k) => ({ node: index.get(input) ?? -1, output: n.inputOutputs?.[k] ?? 0 })),
      keywordInputs: n.keywordInputs ?? 0,
      ...(n.inputOutputs ? { listsOutputs: true as const } : {}),
      onTensors: n.called ? { called: n.called } : {},
      row: n.layer,
      tensor: n,
    };
  });
  return {
    kind: 'functional',
    nodes,
    inputs: model.inputs.map((i) => index.get(i) ?? -1),
    outputs: model.outputs.map((o, i) => ({ node: index.get(o) ?? -1, output: model.outputIndices?.[i] ?? 0 })),
    rows: kerasOrder(model),
    disconnected,
  };
}

/** A node's layer as an entry of a layer list: a layer call, or a Sequential or Functional model used as a layer. */
function valueOf(layer: GraphNode['layer']): AddedLayer['value'] {
  if ('type' in layer) return { kind: 'layer', layer };
  if ('outputs' in layer) return { kind: 'functional', model: layer };
  return { kind: 'model', model: layer };
}

/**
 * The nodes the outputs depend on, and the model's Inputs, in the order they run (sourceOrder). An Input reached
 * that is not among the model's inputs is Keras' "Graph disconnected" error (listed in the order it was reached).
 */
function reachable(model: FunctionalBuilder): { nodes: GraphNode[]; disconnected: GraphNode[] } {
  const seen = new Set<GraphNode>();
  const stack = [...model.outputs];
  for (let n = stack.pop(); n; n = stack.pop()) {
    if (seen.has(n)) continue;
    seen.add(n);
    stack.push(...n.inputs);
  }
  const declared = new Set(model.inputs);
  const disconnected = [...seen].filter((n) => n.inputs.length === 0 && !declared.has(n));
  for (const i of model.inputs) seen.add(i);
  return { nodes: sourceOrder([...seen]), disconnected };
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
