/**
 * Keras tensors and the graphs they make, for the Keras host (keras/interpreter.ts): `keras.Input(...)`, a layer called
 * on tensors (`callLayerOnTensors`), operations on tensors (`x + y`, `tensorOperation`), a tensor's static shape
 * (`tensorShape`, the graph run up to it), `keras.Model(inputs, outputs)` (`makeFunctional`), keras.applications
 * (`makeApplication`), and a Sequential model's tensors (`sequentialGraph`).
 */
import type { SyntaxNode } from '@lezer/common';
import { ruleFor } from '../layers/catalogue';
import { opOutputCount } from '../layers/ops';
import { Args } from '../layers/rule';
import { Evaluator } from '../python/evaluator';
import { MAX_STATEMENTS, type ParsedArgs, type Scope } from '../python/scope';
import { cannotResolve, NONE, type Value } from '../python/values';
import { buildApplication } from './applications';
import { kerasOrder, type FunctionalGraph, type TensorBinding } from './modelGraph';
import { runFunctional } from './propagate';
import { tensorFunction } from './tensorFunctions';
import { ELLIPSIS, getItemOp, sliceItem, type OpHost } from './tensorOps';
import type { FunctionalBuilder, GraphNode, LayerCall, ModelBuilder } from './values';
import type { Program } from './interpreter';

/** Tensors a list operation may return as a Python list (`tf.unstack` of a long axis stays one value, its outputs unknown). */
const MAX_LIST_OUTPUTS = 1_000;

/** Models a file may make: a loop or recursion making one per iteration stops here (a file of a few hundred model functions is ordinary). */
export const MAX_MODELS = 2_000;
/** Layer calls on tensors (Functional graph nodes) a file may make. */
export const MAX_GRAPH_NODES = 10_000;
/** Models one loop may make (one per iteration of a sweep): past this the loop is left uncertain. */
const MAX_MODELS_PER_LOOP = 50;

/** Whether counts summed over the separate runs of a program's groups stay under every file-wide bound. */
export function underFileBounds(statements: number, models: number, graphNodes: number): boolean {
  return statements < MAX_STATEMENTS && models < MAX_MODELS && graphNodes < MAX_GRAPH_NODES;
}

export abstract class KerasGraph extends Evaluator {
  declare protected readonly program: Program;

  readonly models: ModelBuilder[] = [];

  readonly functionals: FunctionalBuilder[] = [];

  private nodeCount = 0;

  /** Sequential and Functional models made so far, for the bounds. */
  modelCount(): number {
    return this.models.length + this.functionals.length;
  }

  get graphNodes(): number {
    return this.nodeCount;
  }

  /** The nodes this interpreter made (kept for a library run, whose nodes are placed at the user's call). */
  readonly createdNodes = new Set<GraphNode>();

  /** Each layer's calls on tensors, in order: `layer.output`, `base.get_layer(name).output`. */
  protected readonly layerNodes = new WeakMap<LayerCall, GraphNode[]>();

  /** A Sequential model as a graph (`base.input`, `base.output`), made once for its layers so far. */
  private readonly sequentialGraphs = new WeakMap<ModelBuilder, { count: number; input: GraphNode; output: GraphNode }>();

  /** The node of each `keras.Input(...)`, made when it is first used as a tensor. */
  private readonly inputNodes = new Map<LayerCall, GraphNode>();

  /** Every assignment of a Keras tensor to a variable, in the order they ran: the models' `tensors` (see TensorBinding). */
  private readonly tensorBindings: TensorBinding[] = [];

  /** Records `name = <Keras tensor>`: a layer's output, or a `keras.Input(...)`. */
  protected noteTensor(name: string, target: SyntaxNode, value: Value): void {
    const tensor = value.kind === 'symbolic' ? value.node : value.kind === 'layer' && value.layer.type === 'InputLayer' ? value.layer : null;
    if (tensor && target.name === 'VariableName') this.tensorBindings.push({ name, from: this.abs(target.from), to: this.abs(target.to), tensor });
  }

  /** A node; `from`/`to` are source offsets of the call. */
  protected newNode(layer: GraphNode['layer'], inputs: (GraphNode | Value)[], from: number, to: number): GraphNode {
    const nodes = inputs.map((i) => ('id' in i ? i : (this.asNode(i) as GraphNode)));
    const node: GraphNode = { id: this.nodeCount++, layer, inputs: nodes, from, to };
    // Which output of each input (`initial_state=[h, c]`: an LSTM's second and third).
    const outputs = inputs.map((i) => ('kind' in i && i.kind === 'symbolic' ? (i.output ?? 0) : 0));
    if (outputs.some((o) => o > 0)) node.inputOutputs = outputs;
    if (this.library) this.createdNodes.add(node);
    if ('type' in layer) {
      const calls = this.layerNodes.get(layer);
      if (calls) calls.push(node);
      else this.layerNodes.set(layer, [node]);
    }
    return node;
  }

  /** A Keras tensor: a layer's output, or a `keras.Input(...)` (an InputLayer call, so that it also works as a Sequential's first element). */
  protected asNode(v: Value): GraphNode | null {
    if (v.kind === 'symbolic') return v.node;
    if (v.kind === 'layer' && v.layer.type === 'InputLayer') {
      let node = this.inputNodes.get(v.layer);
      if (!node) this.inputNodes.set(v.layer, (node = this.newNode(v.layer, [], v.layer.from, v.layer.to)));
      return node;
    }
    return null;
  }

  /**
   * `layer(x)`, `layer([x, y])` or `mha(q, v)` (`separate`): a new node when every input is a Keras tensor, or
   * some are and the others are unknown values (`add([x, foo(x)])`: the node's output is unknown, and the
   * analysis says which value); else the result is unknown.
   */
  protected callLayerOnTensors(layer: LayerCall, input: Value | undefined, call: SyntaxNode, separate = false, keywordTensors: Value[] = []): Value {
    const values = input?.kind === 'seq' ? input.items : input ? [input] : [];
    const nodes = values.map((v) => this.asNode(v));
    const known = values.filter((_v, i) => nodes[i] !== null);
    const unknown = values.filter((v, i): v is Value & { kind: 'unknown' } => !nodes[i] && v.kind === 'unknown');
    if (known.length === 0 || known.length + unknown.length < values.length)
      return this.unknownNode(call, 'it is a layer called on something that is not a Keras tensor LayerLens can follow');
    const node = this.newNode(layer, [...known, ...keywordTensors], this.abs(call.from), this.abs(call.to));
    if (keywordTensors.length) node.keywordInputs = keywordTensors.length;
    if (separate || input?.kind === 'seq') node.called = { form: separate ? 'arguments' : input?.kind === 'seq' && input.tuple ? 'tuple' : 'list', unknown };
    // A custom layer's `call()` is followed here, for these inputs' shapes, so that what it reads is read while the file runs.
    if (layer.custom) this.tensorShape(node, call);
    return { kind: 'symbolic', node };
  }

  /**
   * `x + y`, `x * 0.5`, `-x`, `ops.add(x, y)` with a Keras tensor among the operands: a node of an operation that
   * Keras prints as a row (`add (Add)`), on the tensors among them; null when no operand is a Keras tensor.
   */
  protected tensorOperation(type: string, operands: Value[], node: SyntaxNode, operator?: string): Value | null {
    const tensors = operands.map((v) => this.asNode(v));
    if (!tensors.some((t) => t)) return null;
    // An unknown operand (`x * scale`, `x + pos(x)`) leaves the result unknown, as a node, so that the model is still analysed.
    const unknown = operands.filter((v, i): v is Value & { kind: 'unknown' } => !tensors[i] && v.kind === 'unknown');
    if (operands.some((v, i) => !tensors[i] && v.kind !== 'number' && v.kind !== 'bool' && v.kind !== 'unknown'))
      return this.unknownNode(node, 'it is arithmetic on a Keras tensor and a value LayerLens cannot follow');
    const [from, to] = [this.abs(node.from), this.abs(node.to)];
    const call = operationCall(type, 'keras', from, to);
    if (operator) call.operator = operator;
    const made = this.newNode(
      call,
      operands.filter((_v, i) => tensors[i] !== null),
      from,
      to,
    );
    if (unknown.length) made.called = { form: 'arguments', unknown };
    return { kind: 'symbolic', node: made };
  }

  protected readonly shapes = new Map<GraphNode, Value>();

  /** A Keras tensor's static shape: the graph that makes it, run up to it (once per tensor). */
  protected tensorShape(tensor: GraphNode, at: SyntaxNode, output = 0): Value {
    const cached = output === 0 ? this.shapes.get(tensor) : undefined;
    if (cached) return cached;
    const shape = this.staticShape(tensor, output);
    const value: Value = shape
      ? {
          kind: 'seq',
          items: shape.map((d) =>
            d === null
              ? NONE
              : Number.isNaN(d)
                ? this.unknownNode(at, 'LayerLens could not work out this dimension')
                : { kind: 'number', value: d, isInt: true },
          ),
          tuple: true,
        }
      : this.unknownNode(at, "LayerLens could not work out this tensor's shape");
    if (output === 0) this.shapes.set(tensor, value);
    return value;
  }

  /** Output `output` of a tensor's node, its shape as the graph that makes it gives it (NaN: a dimension not known); null where unknown. */
  protected staticShape(tensor: GraphNode, output: number): (number | null)[] | null {
    const inputs = new Set<GraphNode>();
    const seen = new Set<GraphNode>();
    const stack = [tensor];
    for (let n = stack.pop(); n; n = stack.pop()) {
      if (seen.has(n)) continue;
      seen.add(n);
      if (n.inputs.length === 0) inputs.add(n);
      stack.push(...n.inputs);
    }
    const graph = {
      name: '',
      explicitName: false,
      inputs: [...inputs],
      outputs: [tensor],
      outputIndices: [output],
      from: tensor.from,
      to: tensor.to,
      notes: [],
    };
    const given = new Map([...inputs].flatMap((n) => (this.constants.has(n) ? [[n, this.constants.get(n) as (number | null)[]] as const] : [])));
    return runFunctional(graph, this.program.source, this.program.kerasVersion, given.size ? given : undefined).outputs[0];
  }

  /**
   * An architecture's interpreter given the user's tensor (`input_tensor=inputs`): its shape as the user's file
   * gives it (the architecture's Python reads `input_tensor.shape`, and its own text cannot place the user's Input).
   */
  knowShape(tensor: GraphNode, shape: Value): void {
    this.shapes.set(tensor, shape);
  }

  /** The tensors of `inputs=` / `outputs=`: one, a list or tuple, or a dict's values; null when any is not a Keras tensor. */
  private tensorsOf(v: Value | undefined): { nodes: GraphNode[]; outputs: number[] } | { failed: Value | undefined } {
    if (!v) return { failed: v };
    // A list whose length is unknown (grown in a loop LayerLens cannot count) is no known list of tensors.
    if (v.kind === 'seq' && v.unknownLength) return { failed: v };
    const items = v.kind === 'seq' ? v.items : v.kind === 'dict' ? [...v.entries.values()] : [v];
    const nodes = items.map((x) => this.asNode(x));
    if (!nodes.length) return { failed: v };
    const failed = items.findIndex((_x, i) => !nodes[i]);
    if (failed >= 0) return { failed: items[failed] };
    return { nodes: nodes as GraphNode[], outputs: items.map((x) => (x.kind === 'symbolic' ? (x.output ?? 0) : 0)) };
  }

  /** `keras.Model(inputs, outputs, name=)`: a Functional model, when its inputs and outputs are Keras tensors LayerLens followed. */
  protected makeFunctional(
    node: SyntaxNode,
    calleeNode: SyntaxNode,
    argList: SyntaxNode | null,
    scope: Scope,
    parsed?: ParsedArgs,
    /** The name Keras gives it without `name=`: a Model subclass's, in snake case (`Net` → `net`). */
    kerasName?: string,
  ): Value {
    const { positional, keywords } = parsed ?? this.parseArgs(argList, scope);
    const inputs = this.tensorsOf((keywords.get('inputs') ?? positional[0])?.value);
    const outputs = this.tensorsOf((keywords.get('outputs') ?? positional[1])?.value);
    if ('failed' in inputs || 'failed' in outputs) {
      const failed = 'failed' in inputs ? inputs.failed : 'failed' in outputs ? outputs.failed : undefined;
      // The value that could not be followed, by name: where to look, or what to give a `# layerlens:` hint for.
      const which = !failed
        ? ''
        : failed.kind === 'unknown'
          ? `: \`${failed.text}\` (${failed.why})`
          : `: ${'failed' in inputs ? 'an input' : 'an output'} is not a Keras tensor`;
      const what =
        argList && (positional.length || keywords.size)
          ? `a Functional model whose ${'failed' in inputs ? 'inputs' : 'outputs'} LayerLens could not follow${which}`
          : 'a model built without inputs and outputs (a subclass, or one built later)';
      this.notAnalysed(calleeNode, `\`${this.text(calleeNode)}(...)\` makes ${what}, so LayerLens shows no shapes or parameters for it.`);
      return this.unknownNode(node, 'it is a model LayerLens does not analyse');
    }
    const nameArg = keywords.get('name')?.value;
    const model: FunctionalGraph = {
      name: nameArg?.kind === 'string' ? nameArg.value : (kerasName ?? this.pendingName ?? scope.functionName ?? 'functional'),
      explicitName: nameArg?.kind === 'string' || kerasName !== undefined,
      inputs: inputs.nodes,
      outputs: outputs.nodes,
      from: this.abs(node.from),
      to: this.abs(node.to),
      notes: [],
      tensors: this.tensorBindings,
    };
    if (outputs.outputs.some((o) => o > 0)) model.outputIndices = outputs.outputs;
    this.functionals.push(model);
    return { kind: 'functional', model };
  }

  /** `VGG16(include_top=False, input_shape=(150, 150, 3))`: the architecture's own graph, built for these arguments. */
  protected makeApplication(architecture: string, node: SyntaxNode, calleeNode: SyntaxNode, argList: SyntaxNode | null, scope: Scope): Value {
    const { positional, keywords, starArgs, starKwargs } = this.parseArgs(argList, scope);
    if (starArgs || starKwargs) return this.unknownNode(node, `its arguments to \`${architecture}\` come from *args or **kwargs`);
    const at = { from: this.abs(node.from), to: this.abs(node.to) };
    // A tensor given (`input_tensor=inputs`) is passed as the user's own node, with its shape, so that the
    // architecture's graph starts at it: `keras.Model(inputs, head(app.output))` is then connected, as in Keras.
    const given = new Map<GraphNode, Value>();
    const pass = (v: Value): Value => {
      const tensor = this.asNode(v);
      if (!tensor) return v;
      given.set(tensor, this.tensorShape(tensor, node, v.kind === 'symbolic' ? (v.output ?? 0) : 0));
      return v.kind === 'symbolic' ? v : { kind: 'symbolic', node: tensor };
    };
    const built = buildApplication(
      architecture,
      positional.map((p) => pass(p.value)),
      new Map([...keywords].map(([k, v]) => [k, pass(v.value)])),
      at,
      (program) => {
        const library = this.libraryRun(program);
        for (const [tensor, shape] of given) library.knowShape(tensor, shape);
        return library;
      },
      this.program.reference,
    );
    if ('error' in built) {
      this.notes.push({ severity: 'error', code: 'keras-error', message: built.error, from: this.abs(calleeNode.from), to: this.abs(calleeNode.to) });
      return this.unknownNode(node, `Keras rejects these arguments to \`${architecture}\``);
    }
    if ('why' in built) return this.unknownNode(node, built.why);
    this.functionals.push(built.model);
    return { kind: 'functional', model: built.model };
  }

  /**
   * A Functional model's `layers`, in Keras 3's order (as its summary lists them: the Inputs first), without the
   * operations on tensors (`x + y`), which Keras does not list: `for layer in base_model.layers[:100]: layer.trainable
   * = False`. Unknown where the graph holds a call LayerLens does not evaluate (Keras 2 lists those as layers).
   */
  protected functionalLayers(model: FunctionalBuilder, node: SyntaxNode): Value {
    const order = kerasOrder(model);
    if (order.some((l) => 'type' in l && l.unknownCall))
      return this.unknownNode(node, 'the model holds a call LayerLens does not evaluate, which Keras 2 lists as a layer and Keras 3 does not');
    const items: Value[] = [];
    for (const layer of order)
      if (!('type' in layer)) items.push('layers' in layer ? { kind: 'model', model: layer } : { kind: 'functional', model: layer });
      else if (!layer.operation) items.push({ kind: 'layer', layer });
    return { kind: 'seq', items, tuple: false };
  }

  /** `layer.output` / `layer.input` of a layer called once on Keras tensors (Keras refuses them for a layer called several times). */
  protected layerTensor(layer: LayerCall, name: 'output' | 'input', node: SyntaxNode): Value {
    const nodes = this.layerNodes.get(layer) ?? [];
    if (nodes.length !== 1)
      return this.unknownNode(
        node,
        nodes.length ? `the layer is called ${nodes.length} times, so it has several ${name}s` : 'the layer is not called on a Keras tensor LayerLens followed',
      );
    const [made] = nodes;
    if (name === 'output' || made.inputs.length === 0) return { kind: 'symbolic', node: made };
    if (made.inputs.length - (made.keywordInputs ?? 0) !== 1) return this.unknownNode(node, 'the layer is called on several tensors');
    const output = made.inputOutputs?.[0];
    return output ? { kind: 'symbolic', node: made.inputs[0], output } : { kind: 'symbolic', node: made.inputs[0] };
  }

  /**
   * A Sequential model's `input`, `output`, `inputs` or `outputs`: its layers called in turn from its Input, as
   * Keras builds a Sequential model with an input (`keras.Input(...)` first, or `input_shape=` on its first layer, or
   * `model.build(...)`). Made once for the layers it has, so that a model built on it (`keras.Model(base.input,
   * head(base.output))`) has the base's layers as its own rows, as Keras shows them.
   */
  protected sequentialTensor(model: ModelBuilder, name: string, node: SyntaxNode): Value {
    const graph = this.sequentialGraph(model, node);
    if (!('input' in graph)) return graph;
    const tensor: Value = { kind: 'symbolic', node: name.startsWith('input') ? graph.input : graph.output };
    return name.endsWith('s') ? { kind: 'seq', items: [tensor], tuple: false } : tensor;
  }

  protected sequentialGraph(model: ModelBuilder, node: SyntaxNode): { input: GraphNode; output: GraphNode } | Value {
    const cached = this.sequentialGraphs.get(model);
    if (cached && cached.count === model.layers.length) return cached;
    const entries = model.layers;
    const unsure = entries.find((e) => e.conditional);
    if (unsure)
      return this.unknownNode(node, `a layer of \`${model.name}\` is added under \`${unsure.conditionalKeyword ?? 'if'}\`, so its graph is not known`);
    const first = entries[0]?.value;
    let input: GraphNode | null = first ? this.asNode(first) : null;
    let rest = input ? entries.slice(1) : entries;
    if (!input) {
      const declared = this.sequentialInput(model, first);
      if (!declared) return this.unknownNode(node, `\`${model.name}\` has no input yet: Keras builds a Sequential model without an Input at its first call`);
      input = this.newNode(declared, [], declared.from, declared.to);
      rest = entries;
    }
    let output = input;
    for (const entry of rest) {
      const v = entry.value;
      if (v.kind === 'layer' && v.layer.type !== 'InputLayer') output = this.newNode(v.layer, [output], entry.from, entry.to);
      else if (v.kind === 'model' || v.kind === 'functional') output = this.newNode(v.model, [output], entry.from, entry.to);
      else return this.unknownNode(node, `\`${model.name}\` has a layer LayerLens cannot follow as a graph`);
    }
    const graph = { count: entries.length, input, output };
    this.sequentialGraphs.set(model, graph);
    return graph;
  }

  /** The InputLayer Keras makes for a Sequential model whose first layer declares its input (`input_shape=`), or that `build()` built. */
  private sequentialInput(model: ModelBuilder, first: Value | undefined): LayerCall | null {
    const shape = (v: Value | undefined, batch: boolean): Value | null =>
      v && v.kind === 'seq' ? v : v && v.kind === 'number' && !batch ? { kind: 'seq', items: [v], tuple: true } : null;
    const args = new Map<string, Value>();
    const layer = first?.kind === 'layer' ? first.layer : null;
    const built = model.build ? shape(model.build.value, true) : null;
    const given = layer ? (shape(layer.args.get('input_shape'), false) ?? shape(layer.args.get('input_dim'), false)) : null;
    const batchGiven = layer ? shape(layer.args.get('batch_input_shape'), true) : null;
    if (batchGiven || built) args.set('batch_shape', (batchGiven ?? built) as Value);
    else if (given) args.set('shape', given);
    else return null;
    const at = layer ?? model;
    return {
      type: 'InputLayer',
      origin: 'keras',
      args,
      extraPositional: 0,
      hasStarKwargs: false,
      from: at.from,
      to: at.to,
      calleeFrom: at.from,
      calleeTo: at.to,
    };
  }

  /**
   * `x[:, -1, :]`, `x[..., 0]`, `x[:, None]` on a Keras tensor of one output: Keras 3's GetItem (tensorOps.ts), each
   * item of the key evaluated (an index, a slice's bounds, `...`, `None`). Null where `obj` is no such tensor: a
   * layer's several outputs, or the result of a call LayerLens does not know (it may be a list).
   */
  protected sliceTensor(obj: Value, node: SyntaxNode, objNode: SyntaxNode, scope: Scope): Value | null {
    const tensor = this.asNode(obj);
    if (!tensor || (obj.kind === 'symbolic' && obj.output === undefined && this.severalOutputs(tensor))) return null;
    // `tf.split(x, n)[0]` where LayerLens does not know n: the list's first tensor, its shape unknown.
    if (obj.kind === 'symbolic' && obj.output === undefined && listOperation(tensor)) {
      const index = objNode.nextSibling?.nextSibling;
      const i = index && index.nextSibling?.name === ']' ? this.evalExpr(index, scope) : null;
      return i?.kind === 'number' && i.isInt && i.value >= 0 ? { ...obj, output: i.value } : null;
    }
    const layer = tensor.layer;
    if (!('type' in layer) || (layer.origin !== 'keras' && layer.type !== 'InputLayer') || (layer.unknownCall && !layer.unknownCall.keepsShape)) return null;
    const groups: SyntaxNode[][] = [[]];
    for (let c = objNode.nextSibling?.nextSibling ?? null; c && c.name !== ']'; c = c.nextSibling)
      if (c.name === ',') groups.push([]);
      else groups[groups.length - 1].push(c);
    if (groups.length > 1 && !groups[groups.length - 1].length) groups.pop(); // `x[0,]`
    const key = groups.map((g): Value => {
      if (g.length === 1 && g[0].name === 'Ellipsis') return ELLIPSIS;
      if (!g.some((c) => c.name === ':')) return g.length === 1 ? this.evalExpr(g[0], scope) : this.unknownNode(node);
      const bounds: Value[] = [NONE, NONE, NONE];
      let side = 0;
      for (const c of g)
        if (c.name === ':') side++;
        else if (side < 3) bounds[side] = this.evalExpr(c, scope);
      return sliceItem(bounds[0], bounds[1], bounds[2]);
    });
    const site = { from: this.abs(node.from), to: this.abs(node.to), calleeFrom: this.abs(node.from), calleeTo: this.abs(node.to) };
    return getItemOp(this.opHost, obj, key, site);
  }

  /** What tensorOps needs of the interpreter: its Keras tensors, and making a node. */
  protected readonly opHost: OpHost = {
    asNode: (v) => this.asNode(v),
    node: (call, inputs, called) => {
      const node = this.newNode(call, inputs, call.from, call.to);
      if (called) node.called = called;
      // `tf.split(x, 2)`, `ops.unstack(x, axis=1)` return a Python list, of as many tensors as they split into.
      return (listOperation(node) && this.listOutputs(node)) || { kind: 'symbolic', node };
    },
  };

  /**
   * Output `i` of a tensor being unpacked (`a, b = call(x)`): of a layer known to return several, or of one whose
   * outputs LayerLens does not know anyway (a custom layer, a call it does not evaluate: their shapes stay unknown);
   * a Keras layer that returns one tensor cannot be unpacked (Keras refuses to iterate it), so that is unknown.
   */
  protected unpackedOutput(value: Value & { kind: 'symbolic' }, i: number): Value | undefined {
    if (value.output !== undefined) return undefined;
    const several = this.severalOutputs(value.node);
    if (several?.kind === 'seq') return several.items[i];
    const layer = value.node.layer;
    // An operation returning a list whose length LayerLens does not know (`tf.split(x, n)`): its outputs' shapes are unknown too.
    const opaque =
      'type' in layer &&
      (layer.unknownCall ? !layer.unknownCall.keepsShape : layer.origin === 'custom' || layer.origin === 'unknown' || listOperation(value.node));
    return opaque ? { ...value, output: i } : undefined;
  }

  /** The outputs of a layer's call that returns several (`LSTM(8, return_state=True)`), as a list; null for one output. */
  protected severalOutputs(node: GraphNode): Value | null {
    const call = 'type' in node.layer ? node.layer : null;
    const rule = call?.origin === 'keras' && !call.op ? ruleFor(call.type) : undefined;
    if (!call || !rule?.outputCount) return null;
    let count = 1;
    try {
      count = rule.outputCount(new Args(rule, call));
    } catch {
      return null;
    }
    return count > 1 ? { kind: 'seq', items: Array.from({ length: count }, (_x, output) => ({ kind: 'symbolic', node, output })), tuple: false } : null;
  }

  /**
   * The list an operation returning several tensors gives (`tf.split(x, 3)`: its 3 outputs; `ops.unstack(x,
   * axis=1)`: one per item of axis 1, layers/ops.ts counts them); null where the count is not known (`tf.split(x,
   * n)`), and the call stays one tensor of its outputs, unknown.
   */
  private listOutputs(node: GraphNode): Value | null {
    const op = 'type' in node.layer ? node.layer.op : undefined;
    if (!op) return null;
    const count = opOutputCount(op.kind, op.tf, (node.layer as LayerCall).args, () =>
      node.inputs[0] ? this.staticShape(node.inputs[0], node.inputOutputs?.[0] ?? 0) : null,
    );
    if (count === null || count < 1 || count > MAX_LIST_OUTPUTS) return null;
    return {
      kind: 'seq',
      items: Array.from({ length: count }, (_x, output): Value => (output ? { kind: 'symbolic', node, output } : { kind: 'symbolic', node })),
      tuple: false,
    };
  }

  /** The Keras tensors in a value: itself, or the items of a list, tuple or dict (as Keras flattens a call's arguments). */
  protected tensorsIn(v: Value): Value[] {
    if (v.kind === 'seq') return v.items.flatMap((x) => this.tensorsIn(x));
    if (v.kind === 'dict') return [...v.entries.keys()].sort().flatMap((k) => this.tensorsIn(v.entries.get(k) as Value));
    return this.asNode(v) ? [v] : [];
  }

  /** The Keras tensors among a call's keyword arguments but `except`, in Keras' order (by keyword: it flattens a dict so). */
  protected keywordTensors(keywords: Map<string, { value: Value }>, except: Set<string>): Value[] {
    return [...keywords.keys()]
      .filter((k) => !except.has(k))
      .sort()
      .flatMap((k) => this.tensorsIn((keywords.get(k) as { value: Value }).value));
  }

  /**
   * A call LayerLens does not evaluate (`tf.nn.swish(x)`, `preprocess_input(inputs)`, `mystery(y)`): on Keras
   * tensors, a node of the graph whose inputs are those tensors and whose output is unknown, or its input's shape
   * where the function is known to keep it; so the layers around it keep their rows and the model is not lost.
   * On no tensor, an unknown value. `path`: the callee's canonical path, null when the callee itself is unknown.
   */
  protected unevaluatedCall(node: SyntaxNode, calleeNode: SyntaxNode, path: string | null, args: ParsedArgs): Value {
    const tensors = [...args.positional.flatMap((p) => this.tensorsIn(p.value)), ...this.keywordTensors(args.keywords, new Set())];
    if (!tensors.length) return this.unknownNode(node, 'it is a call LayerLens does not evaluate');
    // `K.int_shape(x)` is `x.shape`, not a tensor.
    const first = this.asNode(tensors[0]);
    if (path === 'keras.backend.int_shape' && first) return this.tensorShape(first, node, tensors[0].kind === 'symbolic' ? (tensors[0].output ?? 0) : 0);
    const [from, to] = [this.abs(node.from), this.abs(node.to)];
    const call: LayerCall = {
      ...operationCall(this.text(calleeNode).replace(/\s+/g, ''), 'unknown', from, to),
      calleeFrom: this.abs(calleeNode.from),
      calleeTo: this.abs(calleeNode.to),
      unknownCall: { text: this.text(node).replace(/\s+/g, ' '), ...tensorFunction(path) },
    };
    return { kind: 'symbolic', node: this.newNode(call, tensors, from, to) };
  }

  /**
   * A value LayerLens could not follow given where Keras takes tensors (`initial_state=states`): if it is one, the
   * layers that make it are missing from the graph shown, which the note says, naming the value.
   */
  protected noteUnfollowedTensors(layer: LayerCall, keywords: Map<string, { value: Value }>): void {
    for (const [key, { value }] of keywords) {
      if (!TENSOR_KEYWORDS.has(key)) continue;
      const unfollowed = (value.kind === 'seq' ? value.items : [value]).find((v) => v.kind === 'unknown');
      if (unfollowed?.kind !== 'unknown') continue;
      (layer.notes ??= []).push({
        severity: 'information',
        code: 'unresolved-value',
        message: `${cannotResolve(unfollowed)}: if \`${key}=\` is given a tensor there, the layers that make it are not shown in this model.`,
        from: unfollowed.from,
        to: unfollowed.to,
      });
    }
  }

  /** Tensors a custom layer's code makes without inputs (its placeholders, weights, `tf.range`, noise), with their shapes. */
  protected readonly constants = new Map<GraphNode, (number | null)[]>();

  /** A model LayerLens sees but does not analyse says so at its line, rather than showing nothing. */
  protected notAnalysed(node: SyntaxNode, message: string): void {
    const from = this.abs(node.from);
    if (this.notes.some((n) => n.code === 'not-analysed' && n.from === from)) return;
    // A warning, not information: a model with no numbers at all is the least known of all (`--fail-on warning` fails).
    this.notes.push({ code: 'not-analysed', severity: 'warning', message, from, to: this.abs(node.to) });
  }

  // ---- the evaluator's bounds: models and layer calls -----------------------------------------

  protected loopMark(): number {
    return this.modelCount();
  }

  protected loopLimit(mark: number): string | null {
    if (this.modelCount() - mark >= MAX_MODELS_PER_LOOP) return `it made ${MAX_MODELS_PER_LOOP} models`;
    if (this.modelCount() >= MAX_MODELS) return `${MAX_MODELS.toLocaleString('en-US')} models in this file`;
    if (this.nodeCount >= MAX_GRAPH_NODES) return `${MAX_GRAPH_NODES.toLocaleString('en-US')} layer calls in this file`;
    return null;
  }

  protected callLimit(): string | null {
    return this.modelCount() >= MAX_MODELS || this.nodeCount >= MAX_GRAPH_NODES
      ? `the file has made ${MAX_MODELS.toLocaleString('en-US')} models or ${MAX_GRAPH_NODES.toLocaleString('en-US')} layer calls, more than LayerLens follows`
      : null;
  }

  /** A second interpreter, for a library's program (an architecture of keras.applications, run for the user's call). */
  protected abstract libraryRun(program: Program): KerasGraph;
}

/** A Functional model's output tensor `i` (which output of its node, for a layer that returns several). */
export function modelOutput(model: FunctionalBuilder, i: number): Value {
  const output = model.outputIndices?.[i];
  return output ? { kind: 'symbolic', node: model.outputs[i], output } : { kind: 'symbolic', node: model.outputs[i] };
}

/** An operation that returns a list of tensors (`tf.split`, `unstack`): indexing it picks a tensor, never slices one. */
function listOperation(node: GraphNode): boolean {
  const op = 'type' in node.layer ? node.layer.op : undefined;
  return op?.kind === 'split' || op?.kind === 'unstack';
}

/** A model's tensors, as attributes (`base.output`). */
export const MODEL_TENSORS = new Set(['input', 'output', 'inputs', 'outputs']);

/** Keyword arguments of a layer's call that Keras takes as tensors (graph edges). */
export const TENSOR_KEYWORDS = new Set(['initial_state', 'mask', 'constants', 'attention_mask', 'query_mask', 'value_mask', 'key_mask']);

/** An operation on Keras tensors (`x + y`, a library call on a tensor) as a layer call: a row Keras prints, no layer. */
export function operationCall(type: string, origin: LayerCall['origin'], from: number, to: number): LayerCall {
  return { type, origin, operation: true, args: new Map(), extraPositional: 0, hasStarKwargs: false, from, to, calleeFrom: from, calleeTo: to };
}
