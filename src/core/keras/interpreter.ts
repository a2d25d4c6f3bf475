/**
 * The Keras host of the Python evaluator (python/evaluator.ts): what Keras code means. It implements the evaluator's
 * protocol for Keras objects (calls, attributes, operators, indexing and truth of layers, Keras tensors, Sequential
 * and Functional models) and builds, while the file runs, every `Sequential` model with the layers given to it or
 * added later (`makeModel`, `callModelMethod`) and every layer call (`makeLayer`). Its levels: tensorGraph.ts (Keras
 * tensors, Functional graphs, applications), customLayers.ts (Lambdas and custom layers followed), modelClasses.ts
 * (the file's classes as Keras sees them, functions nothing calls).
 */
import type { SyntaxNode } from '@lezer/common';
import type { KerasVersion } from '../types';
import { ruleFor } from '../layers/catalogue';
import { readLegacyArguments } from '../layers/legacy';
import { OPERATIONS, OPS_FUNCTIONS } from '../layers/merge';
import { MATMUL } from '../layers/ops';
import { lookupVocabularySize } from '../layers/preprocessing';
import { libraryCall } from '../python/library';
import { methodUsage } from '../python/functions';
import type { CallSite, Group, ParsedArgs, PythonProgram, Scope } from '../python/scope';
import { NONE, type Value } from '../python/values';
import { ApplicationError } from './applications';
import { ModelClasses, HYPERPARAMETERS, HYPERPARAMETER_METHOD, methodOwners } from './modelClasses';
import { isSuperInit } from './objects';
import { canonicalPath, classifySymbol, conventionalBinding, TENSOR_MAKER } from './symbols';
import { DEFAULT_KERAS_VERSION } from './versions';
import { automaticNameClass } from './layerRun';
import { KerasGraph, MODEL_TENSORS, modelOutput } from './tensorGraph';
import { callOp, preprocessInput, tensorOpFor } from './tensorOps';
import { kerasTruth, type AddedLayer, type FunctionalBuilder, type GraphNode, type LayerCall, type ModelBuilder } from './values';

export { underFileBounds } from './tensorGraph';
export type { FileNote, Group, Usage } from '../python/scope';

/** The program as the Keras host reads it: the evaluator's, with the analysis' mode and the Keras version. */
export interface Program extends PythonProgram {
  /** The reference analysis (every chunk walked): nothing is cached across analyses, keras.applications' builds included. */
  reference?: boolean;
  /** The Keras version the numbers are for (keras/versions.ts); Keras 3 where not given. */
  kerasVersion?: KerasVersion;
}

export class Interpreter extends ModelClasses {
  /**
   * `library`: the program is an architecture of keras.applications (src/core/applications), run for a user's
   * call: its `raise ValueError(...)` are Keras' errors for the call's arguments.
   */
  constructor(program: Program, library = false, group: Group | null = null) {
    super(program, library, group);
  }

  // ---- the evaluator's protocol for Keras objects ---------------------------------------------

  /** A Sequential model bound at module level: a statement that re-binds or calls it runs (`model(np.zeros(...))`). */
  protected watches(value: Value): boolean {
    return value.kind === 'model';
  }

  protected canonical(path: string): string {
    return canonicalPath(path);
  }

  protected starBinding(path: string): boolean {
    return classifySymbol(path).kind !== 'other';
  }

  protected conventional(name: string): string | null {
    return conventionalBinding(name);
  }

  /** A Sequential model's variable bound again: layers added to the name later are not this model's. */
  protected rebound(name: string, previous: Value, next: Value | null, at: { from: number; to: number; line?: number }): void {
    if (previous.kind !== 'model' || (next?.kind === 'model' && next.model === previous.model)) return;
    previous.model.notes.push({
      code: 'model-reassigned',
      severity: 'information',
      message:
        at.line === undefined
          ? `\`${name}\` is re-assigned here; layers added to \`${name}\` after this line are not part of this model.`
          : `\`${name}\` is re-assigned at line ${at.line}; layers added after that are not part of this model.`,
      from: at.from,
      to: at.to,
    });
  }

  protected hostTruth(v: Value): boolean | null {
    return kerasTruth(v);
  }

  /** `raise ValueError(message)` in an architecture's Python: the message, as Keras words it, for the user's call. */
  protected raised(message: string | null): never {
    throw new ApplicationError(message ?? 'Keras rejects these arguments');
  }

  protected unpackHost(value: Value, i: number): Value | undefined {
    return value.kind === 'symbolic' ? this.unpackedOutput(value, i) : undefined;
  }

  /** `layer.trainable = False`, `model.layers[0].trainable = False`, `conv_base.trainable = False`: freezing after construction. */
  protected setHostAttribute(target: SyntaxNode, value: Value, scope: Scope): boolean {
    if (target.lastChild?.name !== 'PropertyName' || this.text(target.lastChild) !== 'trainable' || !target.firstChild) return false;
    const owner = this.evalExpr(target.firstChild, scope);
    // Under control flow LayerLens cannot decide, the assignment may not run: the layer's state is unknown.
    const undecided = this.conditional[this.conditional.length - 1];
    const state = undecided
      ? this.unknownNode(target, `it is set under \`${undecided.keyword}\`${undecided.why ? ` (${undecided.why})` : ''}, so whether it runs is not known`)
      : value;
    if (owner.kind === 'layer') owner.layer.args.set('trainable', state);
    else if (owner.kind === 'model' || owner.kind === 'functional') this.setTrainable(owner.model, state, new Set());
    return owner.kind === 'layer' || owner.kind === 'model' || owner.kind === 'functional';
  }

  protected assigned(name: string, target: SyntaxNode, value: Value): void {
    this.noteTensor(name, target, value);
  }

  /** `x + y`, `x * 0.5`, `x @ w` with a Keras tensor among the operands: an operation row. */
  protected binaryHost(op: string, a: Value, b: Value, node: SyntaxNode): Value | null {
    if (op === '@') {
      const site = { from: this.abs(node.from), to: this.abs(node.to), calleeFrom: this.abs(node.from), calleeTo: this.abs(node.to) };
      const product = callOp(this.opHost, MATMUL, { positional: [{ value: a }, { value: b }], keywords: new Map(), starArgs: false, starKwargs: false }, site);
      if (product?.kind === 'symbolic' && 'type' in product.node.layer) product.node.layer.operator = '@';
      if (product) return product;
    }
    return OPERATIONS[op] ? this.tensorOperation(OPERATIONS[op], [a, b], node, op) : null;
  }

  protected unaryHost(op: string, v: Value, node: SyntaxNode): Value | null {
    return op === '-' ? this.tensorOperation('Negative', [v], node, 'neg') : null;
  }

  protected indexHost(obj: Value, node: SyntaxNode, objNode: SyntaxNode, scope: Scope): Value | null {
    return this.sliceTensor(obj, node, objNode, scope);
  }

  /** A layer's several outputs as their list (`states = LSTM(8, return_state=True)(x)[1:]`). */
  protected sequenceOf(obj: Value): Value | null {
    return obj.kind === 'symbolic' && obj.output === undefined ? this.severalOutputs(obj.node) : null;
  }

  protected libraryRun(program: Program): KerasGraph {
    return new Interpreter(program, true);
  }

  /** A Keras tensor's `shape`; a model's tensors, `layers`, `get_layer` and methods. */
  protected attributeOf(obj: Value, name: string, node: SyntaxNode): Value | undefined {
    // `x.shape` of a Keras tensor: its static shape, batch included, as Keras gives it (`(None, 112, 112, 32)`).
    const tensor = name === 'shape' ? this.asNode(obj) : null;
    if (tensor) return this.tensorShape(tensor, node, obj.kind === 'symbolic' ? (obj.output ?? 0) : 0);
    // A Functional model's tensors (`base.output`, as code built on a pretrained base reads it).
    if (obj.kind === 'functional' && (name === 'output' || name === 'input'))
      return name === 'output' ? modelOutput(obj.model, 0) : { kind: 'symbolic', node: obj.model.inputs[0] };
    if (obj.kind === 'functional' && (name === 'outputs' || name === 'inputs'))
      return {
        kind: 'seq',
        items: name === 'outputs' ? obj.model.outputs.map((_n, i) => modelOutput(obj.model, i)) : obj.model.inputs.map((n) => ({ kind: 'symbolic', node: n })),
        tuple: false,
      };
    // `model.layers`: a new list of its layers so far, as Keras returns it (without its InputLayer, as Keras leaves it out).
    if (obj.kind === 'model' && name === 'layers')
      return {
        kind: 'seq',
        items: obj.model.layers.map((e) => e.value).filter((v, i) => !(i === 0 && v.kind === 'layer' && v.layer.type === 'InputLayer')),
        tuple: false,
      };
    // A Sequential model's tensors (`base.input`, `base.output`): its layers as a graph, from its Input.
    if (obj.kind === 'model' && MODEL_TENSORS.has(name)) return this.sequentialTensor(obj.model, name, node);
    if ((obj.kind === 'model' || obj.kind === 'functional') && name === 'get_layer') return { kind: 'bound', self: obj, method: name };
    if (obj.kind === 'functional' && name === 'layers') return this.functionalLayers(obj.model, node);
    if (obj.kind === 'model') return { kind: 'method', model: obj.model, method: name };
    return undefined;
  }

  /** A layer's `output` / `input`, its given `name`, a lookup layer's `vocabulary_size`. */
  protected attributeAfter(obj: Value, name: string, node: SyntaxNode): Value | undefined {
    if (obj.kind === 'layer') {
      // `layer.output` / `layer.input` of a layer called once on Keras tensors (`base.get_layer(name).output`).
      if (name === 'output' || name === 'input') return this.layerTensor(obj.layer, name, node);
      // `layer.name` of a layer given `name=` (keras.applications name every layer): `if layer.name == "block5_conv1":`.
      const given = name === 'name' ? obj.layer.args.get('name') : undefined;
      if (given?.kind === 'string') return given;
      if (name === 'vocabulary_size' && obj.layer.origin === 'keras' && VOCABULARY_LAYERS.has(obj.layer.type))
        return { kind: 'bound', self: obj, method: name };
    }
    return undefined;
  }

  /** `super().__init__(...)` of a `keras.Model` subclass being made, and `self.add_weight(...)` of a custom layer. */
  protected beforeCall(site: CallSite): Value | null {
    const { node, calleeNode, argList, scope } = site;
    if (this.constructing.length && isSuperInit(calleeNode, (n) => this.text(n))) {
      const done = this.superInit(node, calleeNode, argList, scope);
      if (done) return done;
    }
    return this.addWeight(node, calleeNode, argList, scope);
  }

  /**
   * A call of a Keras class or function (`layers.Dense(4)`, `keras.Model(...)`, `VGG16(...)`, `tf.nn.relu(x)`), of a
   * layer or model (`layer(x)`), of a model's method, or of a class of the file; else a call LayerLens does not
   * evaluate (`unevaluatedCall`: on Keras tensors, a node of the graph).
   */
  protected callHost(callee: Value, site: CallSite): Value {
    const { node, calleeNode, argList, scope } = site;
    // `obj.build_model()` on an object LayerLens cannot follow: if a method of that name then runs with its
    // defaults, its model names this call (runUncalledFunctions).
    if (callee.kind === 'unknown' && calleeNode.name === 'MemberExpression' && calleeNode.lastChild?.name === 'PropertyName') {
      const name = this.text(calleeNode.lastChild);
      this.unfollowedMethodCalls.push({ name, from: this.abs(calleeNode.from), to: this.abs(node.to) });
      for (const owner of methodOwners(this.program.chunks).get(name) ?? []) this.usage?.reads.add(methodUsage(name, { name: owner }));
    }
    if (callee.kind === 'method') return this.callModelMethod(callee.model, callee.method, node, argList, scope);
    if (callee.kind === 'bound') return this.objectMethod(callee.self, callee.method, node, argList, scope);
    if (callee.kind === 'symbol') {
      const sym = classifySymbol(callee.path);
      switch (sym.kind) {
        case 'sequential':
          return this.makeModel(node, argList, scope);
        case 'input':
          return this.makeLayer('InputLayer', 'keras', node, calleeNode, argList, scope, sym.type === 'Input' ? INPUT_SIGNATURE : INPUT_LAYER_SIGNATURE);
        case 'layer':
          return this.makeLayer(sym.type, 'keras', node, calleeNode, argList, scope, undefined, callee.path);
        case 'opaque-layer': {
          const made = this.makeLayer(sym.type, 'unknown', node, calleeNode, argList, scope);
          if (sym.type === 'Lambda' && made.kind === 'layer') this.traceLambda(made.layer, argList, scope);
          return made;
        }
        case 'unknown-layer':
          return this.makeLayer(sym.type, 'keras-unknown', node, calleeNode, argList, scope);
        case 'functional':
          return this.makeFunctional(node, calleeNode, argList, scope);
        case 'application':
          return this.makeApplication(sym.name, node, calleeNode, argList, scope);
        case 'merge-function': {
          // `layers.concatenate([x, y], axis=1)`: the layer, called at once on the list.
          // The arguments are evaluated once: the list of tensors first, then the layer's own arguments.
          const { positional, keywords } = this.parseArgs(argList, scope);
          const layer = this.makeLayer(sym.type, 'keras', node, calleeNode, null, scope);
          if (layer.kind !== 'layer') return layer;
          const signature = ruleFor(sym.type)?.signature ?? [];
          positional.slice(1).forEach((p, i) => signature[i] && layer.layer.args.set(signature[i], p.value));
          for (const [k, v] of keywords) if (k !== 'inputs') layer.layer.args.set(k, v.value);
          return this.callLayerOnTensors(layer.layer, positional[0]?.value, node);
        }
        case 'unanalysed-model':
          this.notAnalysed(calleeNode, `${sym.what}, so LayerLens shows no shapes or parameters for it.`);
          this.evalArgsForModels(argList, scope);
          return this.unknownNode(node, 'it is a model LayerLens does not analyse');
        default: {
          const args = this.argumentsOfUnevaluated(argList, scope);
          const { positional, keywords } = args;
          const opsFunction = /^keras\.ops(?:\.numpy)?\.(\w+)$/.exec(callee.path);
          if (opsFunction && OPS_FUNCTIONS[opsFunction[1]]) {
            const operation = this.tensorOperation(
              OPS_FUNCTIONS[opsFunction[1]],
              positional.map((p) => p.value),
              node,
            );
            if (operation) return operation;
          }
          const made = this.customLayerCall(callee.path, args, node, scope);
          if (made) return made;
          // `tf.expand_dims(x, -1)`, `ops.mean(x, axis=1)`, `preprocess_input(inputs)`: operations LayerLens evaluates (tensorOps.ts).
          const at = { from: this.abs(node.from), to: this.abs(node.to), calleeFrom: this.abs(calleeNode.from), calleeTo: this.abs(calleeNode.to) };
          const op = tensorOpFor(callee.path, this.text(calleeNode).replace(/\s+/g, ''));
          const version = (this.program as Program).kerasVersion ?? DEFAULT_KERAS_VERSION;
          const evaluated = op ? callOp(this.opHost, op, args, at) : preprocessInput(this.opHost, callee.path, args, at, version);
          if (evaluated) return evaluated;
          if (callee.path === 'keras.backend.epsilon') return { kind: 'number', value: 1e-7, isInt: false };
          if (callee.path === HYPERPARAMETERS) return callee;
          if (callee.path === 'functools.partial') return this.makePartial(node, args);
          // `np.prod(shape)`, `math.prod(x.shape[1:])`: on values LayerLens knows (a Keras tensor is left to unevaluatedCall).
          if (!args.positional.some((p) => this.tensorsIn(p.value).length)) {
            const computed = libraryCall(
              callee.path,
              positional.map((p) => p.value),
              new Map([...keywords].map(([k, v]) => [k, v.value])),
            );
            if (computed !== null) return typeof computed === 'string' ? this.unknownNode(node, computed) : computed;
          }
          const hyper = HYPERPARAMETER_METHOD.exec(callee.path);
          if (hyper) return this.hyperParameter(hyper[1], node, this.parseArgs(argList, scope));
          const maker = TENSOR_MAKER.exec(callee.path);
          if (maker) {
            const sides = maker[1] === 'rand' || maker[1] === 'randn';
            const shape = sides
              ? { kind: 'seq' as const, items: positional.map((p) => p.value), tuple: true }
              : (keywords.get('shape') ?? keywords.get('size') ?? positional[0])?.value;
            if (shape && shape.kind === 'seq') return { kind: 'tensor', shape };
          }
          return this.unevaluatedCall(node, calleeNode, callee.path, args);
        }
      }
    }
    // `layers.Dense(4)(x)`: a node of a Functional graph.
    if (callee.kind === 'layer') {
      const { positional, keywords } = this.parseArgs(argList, scope);
      // A layer whose call takes several tensors as arguments (`mha(query, value)`, `mha(query=q, value=v, key=k)`).
      const names = callee.layer.origin === 'keras' ? ruleFor(callee.layer.type)?.callInputs : undefined;
      if (names) {
        const given = names.map((n, i) => keywords.get(n) ?? positional[i]).filter((a) => a !== undefined);
        const rest = this.keywordTensors(keywords, new Set(names));
        this.noteUnfollowedTensors(callee.layer, keywords);
        return this.callLayerOnTensors(callee.layer, { kind: 'seq', items: given.map((a) => a.value), tuple: false }, node, true, rest);
      }
      // Keras' graph takes every tensor argument, as its node's inputs: positional ones (`CTCLayer()(labels, x)`) and
      // keyword ones (`lstm(x, initial_state=[h, c])`, `mask=`), which the layer's shape does not come from.
      const first = positional[0] ?? keywords.get('inputs');
      const more = positional.slice(1).filter((p) => this.asNode(p.value));
      const rest = this.keywordTensors(keywords, new Set(['inputs']));
      this.noteUnfollowedTensors(callee.layer, keywords);
      if (first && more.length)
        return this.callLayerOnTensors(callee.layer, { kind: 'seq', items: [first, ...more].map((a) => a.value), tuple: false }, node, true, rest);
      return this.callLayerOnTensors(callee.layer, first?.value, node, false, rest);
    }
    // `model(ops.ones((1, 4)))` builds the model for that input, batch size included, as Keras shows it; a
    // Sequential called on a Keras tensor is one layer of a Functional graph.
    if (callee.kind === 'model') {
      const { positional, keywords } = this.parseArgs(argList, scope);
      const input = positional[0] ?? keywords.get('inputs');
      const tensor = input ? this.asNode(input.value) : null;
      if (input && tensor) return { kind: 'symbolic', node: this.newNode(callee.model, [input.value], this.abs(node.from), this.abs(node.to)) };
      if (input?.value.kind === 'tensor' && !callee.model.build)
        callee.model.build = { value: input.value.shape, from: this.abs(input.node.from), to: this.abs(input.node.to) };
      return this.unknownNode(node, 'it is the output of a model');
    }
    // A Functional model called on a Keras tensor (`base(x)`, `conv_base(inputs)`): one node of the outer graph.
    if (callee.kind === 'functional') {
      const { positional, keywords } = this.parseArgs(argList, scope);
      const input = positional[0] ?? keywords.get('inputs');
      const tensor = input ? this.asNode(input.value) : null;
      if (input && tensor) return { kind: 'symbolic', node: this.newNode(callee.model, [input.value], this.abs(node.from), this.abs(node.to)) };
      return this.unknownNode(node, 'it is the output of a model');
    }
    if (callee.kind === 'local' && callee.what === 'class') {
      // The arguments are evaluated once, for `__init__` and for the layer the call may make.
      const parsed = this.parseArgs(argList, scope);
      return this.instantiateClass(callee, node, calleeNode, argList, parsed, scope);
    }
    if (callee.kind === 'unknown' && calleeNode.name === 'VariableName' && /^[A-Z]/.test(this.text(calleeNode)))
      // An undefined class-like name used as a layer: probably a layer LayerLens does not know.
      return this.makeLayer(this.text(calleeNode), 'unknown', node, calleeNode, argList, scope);
    return this.unevaluatedCall(node, calleeNode, null, this.argumentsOfUnevaluated(argList, scope));
  }

  /**
   * A partial called: its function with the partial's arguments first, then the call's (a keyword of the call
   * overrides the partial's): `Conv = partial(layers.Conv2D, kernel_size=3, padding="same")`, then `Conv(32)` is a
   * Conv2D. A layer, a class of the file, or a library function on tensors (python/evaluator.ts runs a function of the file).
   */
  protected callPartialHost(fn: Value, site: CallSite, parsed: ParsedArgs): Value {
    const { node, calleeNode, argList, scope } = site;
    if (fn.kind === 'symbol') {
      const sym = classifySymbol(fn.path);
      if (sym.kind === 'layer') return this.makeLayer(sym.type, 'keras', node, calleeNode, argList, scope, undefined, fn.path, parsed);
      if (sym.kind === 'unknown-layer') return this.makeLayer(sym.type, 'keras-unknown', node, calleeNode, argList, scope, undefined, undefined, parsed);
      if (sym.kind === 'opaque-layer') return this.makeLayer(sym.type, 'unknown', node, calleeNode, argList, scope, undefined, undefined, parsed);
      if (sym.kind === 'input')
        return this.makeLayer(
          'InputLayer',
          'keras',
          node,
          calleeNode,
          argList,
          scope,
          sym.type === 'Input' ? INPUT_SIGNATURE : INPUT_LAYER_SIGNATURE,
          undefined,
          parsed,
        );
      if (sym.kind === 'other') return this.unevaluatedCall(node, calleeNode, fn.path, parsed);
    }
    if (fn.kind === 'local' && fn.what === 'class') return this.instantiateClass(fn, node, calleeNode, argList, parsed, scope);
    if (fn.kind === 'layer' || fn.kind === 'model' || fn.kind === 'functional')
      return this.unknownNode(node, 'it is a partial of a layer or model object, which LayerLens does not follow');
    return this.unevaluatedCall(node, calleeNode, null, parsed);
  }

  /**
   * `model.trainable = False`: as Keras' setter, every layer of the model too, so that a model built on its tensors
   * (`keras.Model(inputs, head(base.output))`) counts the base's layers as frozen, and a later `layer.trainable = True`
   * (fine-tuning) unfreezes that one.
   */
  private setTrainable(model: ModelBuilder | FunctionalBuilder, value: Value, seen: Set<object>): void {
    if (seen.has(model)) return;
    seen.add(model);
    model.trainable = value;
    const each = (layer: GraphNode['layer']) => {
      if ('type' in layer) {
        if (layer.type !== 'InputLayer' && !layer.operation) layer.args.set('trainable', value);
      } else this.setTrainable(layer, value, seen);
    };
    if ('layers' in model) {
      for (const entry of model.layers)
        if (entry.value.kind === 'layer') each(entry.value.layer);
        else if (entry.value.kind === 'model' || entry.value.kind === 'functional') each(entry.value.model);
      return;
    }
    const visited = new Set<GraphNode>();
    const stack = [...model.outputs];
    for (let n = stack.pop(); n; n = stack.pop()) {
      if (visited.has(n) || model.inputs.includes(n)) continue;
      visited.add(n);
      each(n.layer);
      stack.push(...n.inputs);
    }
  }

  /** Arguments of a call LayerLens does not evaluate may still build a model: `train(keras.Sequential([...]))`. */
  private evalArgsForModels(argList: SyntaxNode | null, scope: Scope): void {
    if (!argList) return;
    const saved = this.pendingName;
    this.pendingName = null;
    // Only an argument with a call in it can build a model; names and literals are left alone.
    for (let c = argList.firstChild; c; c = c.nextSibling)
      if (!c.type.isError && c.name !== 'VariableName' && this.text(c).includes('(')) this.evalExpr(c, scope);
    this.pendingName = saved;
  }

  /**
   * The arguments of a call LayerLens does not evaluate, every one evaluated once: they may build a model
   * (`train(keras.Sequential([...]))`, named by its own variable, not the call's) or be Keras tensors.
   */
  private argumentsOfUnevaluated(argList: SyntaxNode | null, scope: Scope): ReturnType<Interpreter['parseArgs']> {
    const saved = this.pendingName;
    this.pendingName = null;
    const args = this.parseArgs(argList, scope);
    this.pendingName = saved;
    return args;
  }

  /** A method of a layer or a model LayerLens evaluates: `lookup.vocabulary_size()`, `base.get_layer(name)`. */
  private objectMethod(self: Value, method: string, node: SyntaxNode, argList: SyntaxNode | null, scope: Scope): Value {
    const { positional, keywords } = this.parseArgs(argList, scope);
    if (self.kind === 'layer' && method === 'vocabulary_size') {
      // `set_vocabulary(...)` anywhere in the file may have changed it (as text: the statement may be one the analysis
      // does not read). `adapt()` cannot: Keras refuses it on a layer given `vocabulary=`.
      if (/\bset_vocabulary\s*\(/.test(this.program.source.text))
        return this.unknownNode(node, 'the file calls `set_vocabulary(...)`, which can change the vocabulary, and LayerLens does not follow it');
      const size = lookupVocabularySize(self.layer);
      return typeof size === 'string' ? this.unknownNode(node, size) : { kind: 'number', value: size, isInt: true };
    }
    if ((self.kind === 'model' || self.kind === 'functional') && method === 'get_layer') {
      // A Sequential model's layers get their calls (`.output`) from its graph, where it has one.
      if (self.kind === 'model') this.sequentialGraph(self.model, node);
      const name = (keywords.get('name') ?? positional[0])?.value;
      if (name?.kind !== 'string') return name?.kind === 'unknown' ? name : this.unknownNode(node, 'LayerLens finds a layer by its name only');
      const layer = this.layerNamed(self, name.value);
      if (layer) return { kind: 'layer', layer };
      // `get_layer("dense_1")`: a name Keras gives by itself, counted across the session, not one LayerLens can match.
      const automatic = automaticNameClass(name.value);
      if (automatic) {
        const why = `\`${name.value}\` is a name Keras gives a ${automatic} by itself, counting every ${automatic} made before in the Python session (other models' too), so LayerLens cannot tell which layer it is; give the layer \`name="${name.value}"\``;
        const [from, to] = [this.abs(node.from), this.abs(node.to)];
        if (!this.notes.some((n) => n.code === 'unresolved-value' && n.from === from))
          this.notes.push({
            code: 'unresolved-value',
            severity: 'information',
            message: `Cannot resolve \`${this.text(node)}\` statically (${why}): what depends on it is unknown.`,
            from,
            to,
          });
        return this.unknownNode(node, why);
      }
      return this.unknownNode(node, `LayerLens finds no layer given \`name="${name.value}"\` in this model (it finds layers by the \`name=\` they were given)`);
    }
    return this.unknownNode(node, 'it is a call LayerLens does not evaluate');
  }

  /** The layer of a model given `name=` (as keras.applications name theirs): `base.get_layer("block_13_expand_relu")`. */
  private layerNamed(model: Value & { kind: 'model' | 'functional' }, name: string): LayerCall | null {
    const named = (call: LayerCall) => {
      const n = call.args.get('name');
      return n?.kind === 'string' && n.value === name;
    };
    if (model.kind === 'model') {
      for (const e of model.model.layers) if (e.value.kind === 'layer' && named(e.value.layer)) return e.value.layer;
      return null;
    }
    const visited = new Set<GraphNode>();
    const stack = [...model.model.outputs];
    let found: LayerCall | null = null;
    for (let n = stack.pop(); n; n = stack.pop()) {
      if (visited.has(n)) continue;
      visited.add(n);
      if ('type' in n.layer && (found ? n.layer === found : named(n.layer))) {
        found = n.layer;
        // Its calls in this graph, so that `.output` finds them (an architecture's nodes were made by its own run).
        const calls = this.layerNodes.get(found) ?? [];
        if (!calls.includes(n)) this.layerNodes.set(found, [...calls, n]);
      }
      stack.push(...n.inputs);
    }
    return found;
  }

  protected makeLayer(
    type: string,
    origin: LayerCall['origin'],
    node: SyntaxNode,
    calleeNode: SyntaxNode,
    argList: SyntaxNode | null,
    scope: Scope,
    signature?: string[],
    /** The canonical path the class was reached by (`keras.layers.convolutional.Conv2D`), which can date the code. */
    path?: string,
    /** The call's arguments, when the caller evaluated them already. */
    parsed: ParsedArgs = this.parseArgs(argList, scope),
  ): Value {
    const { starArgs, starKwargs } = parsed;
    const rule = origin === 'keras' ? ruleFor(type) : undefined;
    const names = signature ?? rule?.signature ?? [];
    // Keras 1/2 spellings (`border_mode=`, `Convolution2D(32, 3, 3)`) read as Keras 2 reads them, with a note.
    const positionalValues = parsed.positional.map((p) => p.value);
    const keywordValues = new Map([...parsed.keywords].map(([k, v]) => [k, v.value]));
    const written = this.text(calleeNode).split('.').pop() ?? type;
    const legacy = origin === 'keras' ? readLegacyArguments(written, path ?? '', names, rule, positionalValues, keywordValues) : [];
    const args = new Map<string, Value>();
    let extraPositional = 0;
    positionalValues.forEach((value, i) => {
      const at = parsed.positional[Math.min(i, parsed.positional.length - 1)].node;
      if (i < names.length) args.set(names[i], starArgs ? this.unknownNode(at, 'it follows *args') : value);
      else extraPositional++;
    });
    for (const [k, v] of keywordValues) args.set(k, v);
    if (starArgs && argList)
      for (const n of names.slice(positionalValues.length)) if (!args.has(n)) args.set(n, this.unknownNode(argList, 'it may be set by *args'));
    const notes = legacy
      .map((n) => {
        const at = typeof n.at === 'number' ? parsed.positional[n.at]?.node : (parsed.keywords.get(n.at)?.node.prevSibling?.prevSibling ?? null);
        return {
          severity: 'information' as const,
          code: 'legacy-spelling',
          message: n.message,
          from: this.abs((at ?? calleeNode).from),
          to: this.abs((at ?? calleeNode).to),
        };
      })
      .sort((a, b) => a.from - b.from);
    const layer: LayerCall = {
      type,
      origin,
      args,
      extraPositional,
      hasStarKwargs: starKwargs,
      from: this.abs(node.from),
      to: this.abs(node.to),
      calleeFrom: this.abs(calleeNode.from),
      calleeTo: this.abs(calleeNode.to),
      statementFrom: this.statementFrom,
    };
    // (An architecture of keras.applications runs in its own text: its calls are no places in the user's file.)
    const via = this.library ? undefined : this.callSites[this.callSites.length - 1];
    if (via) layer.via = via;
    if (notes.length) layer.notes = notes;
    return { kind: 'layer', layer };
  }

  private makeModel(node: SyntaxNode, argList: SyntaxNode | null, scope: Scope): Value {
    const { positional, keywords } = this.parseArgs(argList, scope);
    const nameArg = keywords.get('name')?.value;
    const model: ModelBuilder = {
      name: nameArg?.kind === 'string' ? nameArg.value : (this.pendingName ?? scope.functionName ?? 'sequential'),
      explicitName: nameArg?.kind === 'string',
      from: this.abs(node.from),
      to: this.abs(node.to),
      layers: [],
      statementFrom: this.statementFrom,
      conditionalDepth: this.conditional.length,
      notes: [],
    };
    const layersArg = keywords.get('layers') ?? positional[0];
    if (layersArg) {
      const listNode = layersArg.node;
      if ((listNode.name === 'ArrayExpression' || listNode.name === 'TupleExpression') && layersArg.value.kind === 'seq') {
        const elementNodes = this.elements(listNode);
        layersArg.value.items.forEach((item, i) => this.addLayer(model, item, elementNodes[i] ?? listNode));
      } else if (layersArg.value.kind === 'seq') {
        const unsure = layersArg.value.unknownLength;
        layersArg.value.items.forEach((item, i) => this.addLayer(model, item, listNode, unsure && i >= unsure.known && i < unsure.end ? unsure : undefined));
      } else if (layersArg.value.kind !== 'none') {
        this.addLayer(model, layersArg.value, listNode);
      }
    }
    this.models.push(model);
    return { kind: 'model', model };
  }

  /** `uncertain`: the layer comes from a list past its certain items (added to it under that control flow). */
  private addLayer(model: ModelBuilder, value: Value, node: SyntaxNode, uncertain?: { keyword: string; why?: string }): void {
    const from = value.kind === 'layer' ? value.layer.from : this.abs(node.from);
    const to = value.kind === 'layer' ? value.layer.to : this.abs(node.to);
    const entry: AddedLayer = { value, from, to, conditional: this.conditional.length > model.conditionalDepth };
    if (uncertain) {
      entry.conditional = true;
      entry.conditionalKeyword = uncertain.keyword;
      entry.conditionalWhy = uncertain.why;
    } else if (entry.conditional) {
      const innermost = this.conditional[this.conditional.length - 1];
      entry.conditionalKeyword = innermost.keyword;
      entry.conditionalWhy = innermost.why;
    }
    model.layers.push(entry);
  }

  private callModelMethod(model: ModelBuilder, method: string, node: SyntaxNode, argList: SyntaxNode | null, scope: Scope): Value {
    const { positional, keywords } = this.parseArgs(argList, scope);
    switch (method) {
      case 'add': {
        const arg = positional[0] ?? keywords.get('layer');
        if (arg) this.addLayer(model, arg.value, arg.node);
        return NONE;
      }
      case 'pop':
        model.layers.pop();
        return NONE;
      case 'build': {
        const arg = positional[0] ?? keywords.get('input_shape');
        if (arg) model.build = { value: arg.value, from: this.abs(arg.node.from), to: this.abs(arg.node.to) };
        return NONE;
      }
      default:
        return this.unknownNode(node, 'it is a call LayerLens does not evaluate');
    }
  }
}

/** Layers with `vocabulary_size()`. */
const VOCABULARY_LAYERS = new Set(['StringLookup', 'IntegerLookup', 'TextVectorization']);

/** `keras.Input(shape, batch_size, dtype, sparse, batch_shape, name, tensor)`. */
const INPUT_SIGNATURE = ['shape', 'batch_size', 'dtype', 'sparse', 'batch_shape', 'name', 'tensor'];
/** `InputLayer(input_shape, batch_size, dtype, input_tensor, sparse, name)` (Keras 2; Keras 3 calls the first `shape`). */
const INPUT_LAYER_SIGNATURE = ['shape', 'batch_size', 'dtype', 'input_tensor', 'sparse', 'name'];
