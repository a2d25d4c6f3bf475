/**
 * Code of the user's that Keras runs on tensors, followed for the Keras host (issue 21 §3–4): a `Lambda`'s function
 * (`traceLambda`), and a custom `Layer` subclass's `build` and `call` (`traceCustom`), run on placeholder tensors of
 * the input's shape; the weights `add_weight` and `tf.Variable` make, and the constants, noise and ranges `call`
 * makes, as tensors of known shapes.
 */
import type { SyntaxNode } from '@lezer/common';
import { chunkToSource } from '../python/chunks';
import { classAttribute, type Instance } from '../python/objects';
import { MAX_CALL_DEPTH, Scope, type ParsedArgs } from '../python/scope';
import { cannotResolve, NONE, unknown, type Value } from '../python/values';
import { runFunctional } from './propagate';
import { KerasGraph, operationCall } from './tensorGraph';
import type { CustomTrace, GraphNode, LayerCall } from './values';

export abstract class CustomLayers extends KerasGraph {
  /**
   * `layers.Lambda(lambda t: t[:, -1, :])`, `Lambda(fn)` with `def fn(x): ...`: the function run once on a
   * placeholder tensor, so that the layer's output follows its input through the operations it applies (propagate
   * runs them for each input); where the function does something else (calls a layer, uses another tensor, returns
   * no tensor), why, for the layer's warning.
   */
  protected traceLambda(layer: LayerCall, argList: SyntaxNode | null, scope: Scope): void {
    let fnNode: SyntaxNode | null = null;
    for (let c = argList?.firstChild ?? null; c && !fnNode; c = c.nextSibling)
      if (c.name === 'VariableName' && c.nextSibling?.name === 'AssignOp') {
        if (this.text(c) === 'function') fnNode = c.nextSibling.nextSibling;
        c = c.nextSibling.nextSibling ?? c;
      } else if (c.name !== '(' && c.name !== ',' && c.name !== ')' && !c.type.isError) fnNode = c;
    if (!fnNode || fnNode.name === '*' || fnNode.name === '**') return;
    const fn = { node: fnNode, scope, cur: this.cur };
    this.lambdaFunctions.set(layer, fn);
    const [from, to] = [this.abs(fnNode.from), this.abs(fnNode.to)];
    const placeholder = this.newNode(operationCall('LambdaInput', 'keras', from, to), [], from, to);
    const out = this.applyLambda(fn, { kind: 'symbolic', node: placeholder });
    const why = typeof out === 'string' ? out : this.onlyOperations(out, [placeholder]);
    layer.traced = why !== null ? { why, from, to } : { input: placeholder, output: this.asNode(out as Value) as GraphNode, index: indexOf(out as Value) };
  }

  /** Each Lambda's function, as written where the layer is made (its statement's cursor too), for its calls on a list of tensors. */
  private readonly lambdaFunctions = new WeakMap<LayerCall, LambdaFunction>();

  /** A Lambda's function applied to `input` (a placeholder, or a list of them): what it returns, or why it could not run. */
  private applyLambda(fn: LambdaFunction, input: Value): Value | string {
    if (this.callDepth >= MAX_CALL_DEPTH) return `its calls go deeper than LayerLens follows (${MAX_CALL_DEPTH} calls)`;
    // The function may be applied from a later statement (`l1 = Lambda(...)`, then `l1([a, b])`): its nodes are read in its own.
    const saved = this.cur;
    this.cur = fn.cur;
    try {
      return this.applyIn(fn, input);
    } finally {
      this.cur = saved;
    }
  }

  private applyIn(fn: LambdaFunction, input: Value): Value | string {
    if (fn.node.name === 'LambdaExpression') {
      const body = fn.node.lastChild;
      if (!body || body.name === ':' || body.type.isError) return 'its body cannot be read';
      const fnScope = new Scope(fn.scope, 'lambda');
      this.parameters(fn.node).forEach((p, i) =>
        this.bind(
          fnScope,
          p.name,
          i === 0
            ? input
            : p.defaultNode
              ? this.evalExpr(p.defaultNode, fn.scope)
              : this.unknownNode(p.node, 'it is a parameter of a lambda without a default'),
          this.abs(p.node.from),
        ),
      );
      this.callDepth++;
      try {
        return this.evalExpr(body, fnScope);
      } finally {
        this.callDepth--;
      }
    }
    const value = this.evalExpr(fn.node, fn.scope);
    if (value.kind !== 'local' || value.what !== 'function' || !value.definition) return 'it is not a function of this file or a lambda';
    const mark = this.uncertainLog.length;
    const out = this.runFunction(value, [input], new Map(), null);
    const branch = this.uncertainLog[mark];
    return branch
      ? `it takes \`${branch.keyword}\` on something LayerLens cannot decide${branch.why ? ` (${branch.why})` : ''}, so its output depends on how it runs`
      : out;
  }

  /**
   * Null where `out` is a Keras tensor made of operations only, from the placeholders; else why not: a layer
   * called inside a Lambda, or a tensor it takes from outside, is not what Keras' Lambda row shows.
   */
  private onlyOperations(out: Value, placeholders: GraphNode[]): string | null {
    const result = this.asNode(out);
    if (!result) return out.kind === 'unknown' ? cannotResolve(out) : 'it does not return one Keras tensor';
    const seen = new Set<GraphNode>();
    for (const stack = [result]; stack.length;) {
      const n = stack.pop() as GraphNode;
      if (placeholders.includes(n) || seen.has(n)) continue;
      seen.add(n);
      if (!('type' in n.layer) || !n.layer.operation || !n.inputs.length)
        return n.inputs.length ? 'it calls a layer or a model' : 'it uses a tensor other than its input';
      stack.push(...n.inputs);
    }
    return null;
  }

  /**
   * `Lambda(lambda t: t[0] * t[1])([a, b])`, `Lambda(lambda xs: tf.concat(xs, -1))(parts)`: a Lambda called on a
   * list or tuple of tensors runs its function on that list (Keras passes it whole). Its function is run on
   * placeholders of these tensors' shapes here, at the call, so that a function it cannot follow is named at
   * once (a note, with the Lambda's warning); where it can be followed, the layer's row runs it for its inputs'
   * shapes (`LayerCall.custom`, as a custom layer's `call()`: one row, no weights). A Lambda given
   * `output_shape=` keeps Keras' declared shape.
   */
  protected override callLayerOnTensors(layer: LayerCall, input: Value | undefined, call: SyntaxNode, separate = false, keywordTensors: Value[] = []): Value {
    if (layer.type === 'Lambda' && input?.kind === 'seq' && !separate && !layer.custom && !layer.args.has('output_shape') && this.lambdaFunctions.has(layer))
      this.traceLambdaOnList(layer, input);
    return super.callLayerOnTensors(layer, input, call, separate, keywordTensors);
  }

  private traceLambdaOnList(layer: LayerCall, list: Value & { kind: 'seq' }): void {
    if (list.unknownLength || !list.items.length || !list.items.every((v) => this.asNode(v))) return;
    const shapes = list.items.map((v) => this.staticShape(this.asNode(v) as GraphNode, v.kind === 'symbolic' ? (v.output ?? 0) : 0));
    const form = list.tuple ? 'tuple' : 'list';
    if (shapes.every((s) => s)) {
      const trace = this.traceLambdaOn(layer, shapes as (number | null)[][], form);
      const why = 'why' in trace ? trace.why : this.traceFails(trace);
      if (why !== null) {
        const fn = this.lambdaFunctions.get(layer) as LambdaFunction;
        (layer.notes ??= []).push({
          severity: 'information',
          code: 'lambda-layer',
          message: `This Lambda's function, run on the ${form} of ${shapes.length} tensors it is called on, cannot be followed: ${why}.`,
          from: chunkToSource(fn.cur.chunk, fn.node.from),
          to: chunkToSource(fn.cur.chunk, fn.node.to),
        });
        return;
      }
    }
    layer.custom = (given, calledAs) => this.traceLambdaOn(layer, given, calledAs);
  }

  /** Why a traced function's graph gives no output shape for its inputs' shapes (its first diagnostic); null where it gives one. */
  private traceFails(trace: Extract<CustomTrace, { inputs: GraphNode[] }>): string | null {
    const graph = {
      name: '',
      explicitName: false,
      inputs: trace.inputs,
      outputs: [trace.output],
      outputIndices: [trace.index],
      from: trace.output.from,
      to: trace.output.to,
      notes: [],
    };
    const { result, outputs } = runFunctional(graph, this.program.source, this.program.kerasVersion, trace.given);
    if (outputs[0]) return null;
    const first =
      result.diagnostics.find((d) => d.severity !== 'information' && d.code !== 'incomplete-model') ??
      result.diagnostics.find((d) => d.code !== 'incomplete-model');
    return first ? first.message.replace(/\.$/, '') : "its output's shape could not be worked out";
  }

  /** Each Lambda's runs on a list, by its inputs' shapes and how it is called. */
  private readonly lambdaTraces = new WeakMap<LayerCall, Map<string, CustomTrace>>();

  private traceLambdaOn(layer: LayerCall, shapes: (number | null)[][], form: 'one' | 'list' | 'tuple' | 'arguments'): CustomTrace {
    const fn = this.lambdaFunctions.get(layer) as LambdaFunction;
    const [from, to] = [chunkToSource(fn.cur.chunk, fn.node.from), chunkToSource(fn.cur.chunk, fn.node.to)];
    const key = `${form}:${JSON.stringify(shapes.map((s) => s.map((d) => (d !== null && Number.isNaN(d) ? 'nan' : d))))}`;
    let cache = this.lambdaTraces.get(layer);
    if (!cache) this.lambdaTraces.set(layer, (cache = new Map()));
    const cached = cache.get(key);
    if (cached) return cached;
    let trace: CustomTrace;
    if (form === 'arguments') trace = { why: 'it is called on tensors as separate arguments (Keras takes the second as a mask)', from, to };
    else {
      const placeholders = shapes.map((shape) => {
        const n = this.newNode(operationCall('LambdaInput', 'keras', from, to), [], from, to);
        this.constants.set(n, shape);
        return n;
      });
      const tensors: Value[] = placeholders.map((node) => ({ kind: 'symbolic', node }));
      const out = this.applyLambda(fn, form === 'one' ? tensors[0] : { kind: 'seq', items: tensors, tuple: form === 'tuple' });
      const why = typeof out === 'string' ? out : this.onlyOperations(out, placeholders);
      trace =
        why !== null
          ? { why, from, to }
          : {
              inputs: placeholders,
              output: this.asNode(out as Value) as GraphNode,
              index: indexOf(out as Value),
              given: new Map(placeholders.map((n, i) => [n, shapes[i]])),
              weights: [],
            };
    }
    cache.set(key, trace);
    return trace;
  }

  /** The custom layers whose `build` / `call` run now (innermost last). */
  private readonly tracing: Instance[] = [];

  /** Each custom layer's traces, by its inputs' shapes and how it is called. */
  private readonly customTraces = new WeakMap<LayerCall, Map<string, CustomTrace | null>>();

  /**
   * `Sampling()([z_mean, z_log_var])`, `TransformerBlock(...)(x)`: the custom layer's `build` (once, with the input's
   * shape, as Keras runs it at the first call) and `call` run on placeholders of these shapes, so that its row has
   * the shape `call` returns and the weights its sublayers, `add_weight` and `tf.Variable` make (issue 21 §4).
   */
  protected traceCustom(layer: LayerCall, record: Instance, shapes: (number | null)[][], form: 'one' | 'list' | 'tuple' | 'arguments'): CustomTrace | null {
    const key = `${form}:${JSON.stringify(shapes.map((s) => s.map((d) => (d !== null && Number.isNaN(d) ? 'nan' : d))))}`;
    let cache = this.customTraces.get(layer);
    if (!cache) this.customTraces.set(layer, (cache = new Map()));
    if (cache.has(key)) return cache.get(key) ?? null;
    cache.set(key, null);
    const trace = this.runCustomTrace(layer, record, shapes, form);
    cache.set(key, trace);
    return trace;
  }

  private runCustomTrace(layer: LayerCall, record: Instance, shapes: (number | null)[][], form: 'one' | 'list' | 'tuple' | 'arguments'): CustomTrace {
    const cls = record.cls;
    const [from, to] = [layer.calleeFrom, layer.calleeTo];
    const shapeValue: Value =
      form === 'one' || form === 'arguments' ? shapeAsValue(shapes[0]) : { kind: 'seq', items: shapes.map(shapeAsValue), tuple: form === 'tuple' };
    const fail = (why: string): CustomTrace => {
      const declared = this.declaredShape(record, shapeValue);
      return { why, from, to, ...(declared ? { declared } : {}) };
    };
    const callFn = classAttribute(cls, 'call');
    if (callFn?.kind !== 'local' || !callFn.definition) return fail('its `call` is not a method LayerLens can read');
    if (this.callDepth >= MAX_CALL_DEPTH) return fail(`its calls go deeper than LayerLens follows (${MAX_CALL_DEPTH} calls)`);
    const mark = this.uncertainLog.length;
    const placeholders = shapes.map((shape) => {
      const n = this.newNode(operationCall('CustomInput', 'keras', from, to), [], from, to);
      this.constants.set(n, shape);
      return n;
    });
    const tensors: Value[] = placeholders.map((node) => ({ kind: 'symbolic', node }));
    const args: Value[] = form === 'one' ? tensors.slice(0, 1) : form === 'arguments' ? tensors : [{ kind: 'seq', items: tensors, tuple: form === 'tuple' }];
    let out: Value;
    this.tracing.push(record);
    try {
      const build = classAttribute(cls, 'build');
      if (!record.built && build?.kind === 'local' && build.definition) {
        record.built = true;
        build.definition.calls++;
        this.runFunction(build, [record.self, shapeValue], new Map(), null);
      }
      callFn.definition.calls++;
      out = this.runFunction(callFn, [record.self, ...args], new Map(), null);
    } finally {
      this.tracing.pop();
    }
    const branch = this.uncertainLog[mark];
    if (branch)
      return fail(
        `it takes \`${branch.keyword}\` on something LayerLens cannot decide${branch.why ? ` (${branch.why})` : ''}, so its output depends on how it runs`,
      );
    if (out.kind === 'seq' && out.items.length > 1 && out.items.every((i) => this.asNode(i))) return fail('its `call` returns several tensors');
    const result = this.asNode(out);
    if (!result) return fail(out.kind === 'unknown' ? cannotResolve(out) : 'its `call` does not return a Keras tensor');
    const given = new Map<GraphNode, (number | null)[]>();
    const seen = new Set<GraphNode>();
    for (const stack = [result]; stack.length;) {
      const n = stack.pop() as GraphNode;
      if (seen.has(n)) continue;
      seen.add(n);
      if (n.inputs.length === 0) {
        const shape = this.constants.get(n);
        if (!shape) return fail('its `call` uses a Keras tensor other than its inputs');
        given.set(n, shape);
      }
      stack.push(...n.inputs);
    }
    const weights = (record.weights ?? []).map((w) => {
      const dims = dimsOf(w.shape);
      const t = w.trainable;
      return {
        params: dims ? dims.reduce<number>((a, d) => a * (d ?? NaN), 1) : NaN,
        trainable: t === undefined || t.kind === 'none' ? true : t.kind === 'bool' ? t.value : t.kind === 'number' ? t.value !== 0 : null,
      };
    });
    return { inputs: placeholders, output: result, index: out.kind === 'symbolic' ? (out.output ?? 0) : 0, given, weights };
  }

  /** `compute_output_shape(self, input_shape)` of a custom layer, where it returns a shape LayerLens knows in full. */
  private declaredShape(record: Instance, shapeValue: Value): (number | null)[] | null {
    const fn = classAttribute(record.cls, 'compute_output_shape');
    if (fn?.kind !== 'local' || !fn.definition || this.callDepth >= MAX_CALL_DEPTH) return null;
    const mark = this.uncertainLog.length;
    fn.definition.calls++;
    const out = this.runFunction(fn, [record.self, shapeValue], new Map(), null);
    const dims = out.kind === 'seq' ? dimsOf(out) : null;
    return this.uncertainLog.length === mark && dims && !dims.some((d) => d !== null && Number.isNaN(d)) ? dims : null;
  }

  /** A tensor a custom layer's code makes without inputs (a weight, `tf.range(10)`, noise of a known shape). */
  private constantNode(dims: (number | null)[], node: SyntaxNode): Value {
    const [from, to] = [this.abs(node.from), this.abs(node.to)];
    const made = this.newNode(operationCall('Constant', 'keras', from, to), [], from, to);
    this.constants.set(made, dims);
    return { kind: 'symbolic', node: made };
  }

  /** `self.add_weight(shape=(input_shape[-1], self.units), trainable=True)` in a custom layer: a weight of the instance. */
  protected addWeight(node: SyntaxNode, calleeNode: SyntaxNode, argList: SyntaxNode | null, scope: Scope): Value | null {
    if (calleeNode.name !== 'MemberExpression') return null;
    // Asked of every call: the node's last child is its property, without getChild's array.
    const prop = calleeNode.lastChild;
    const objNode = calleeNode.firstChild;
    if (prop?.name !== 'PropertyName' || !objNode || objNode.name !== 'VariableName' || !WEIGHT_METHODS.has(this.text(prop))) return null;
    const owner = this.evalExpr(objNode, scope);
    const record = this.instanceOf(owner);
    if (!record?.cls.customLayer) return null;
    const { positional, keywords } = this.parseArgs(argList, scope);
    // Keras 2's `add_weight(name, shape, ...)`, Keras 3's `add_weight(shape, initializer, ...)`; no shape: a scalar.
    const first = positional[0]?.value;
    const shape: Value = keywords.get('shape')?.value ?? (first?.kind === 'string' ? positional[1]?.value : first) ?? { kind: 'seq', items: [], tuple: true };
    (record.weights ??= []).push({ shape, trainable: keywords.get('trainable')?.value });
    const dims = dimsOf(shape);
    return dims ? this.constantNode(dims, node) : this.unknownNode(node, 'it is a weight whose shape LayerLens cannot work out');
  }

  /**
   * Calls a custom layer's code makes: `tf.Variable(...)` (a weight of the layer being made or built), and, inside
   * its `build` / `call`, `tf.shape(x)` / `ops.shape(x)` (the static shape), noise and constants of a known shape
   * (`tf.random.normal(shape=...)`, `keras.random.normal`, `tf.zeros`), and `tf.range` / `ops.arange`.
   */
  protected customLayerCall(path: string, args: ParsedArgs, node: SyntaxNode, scope: Scope): Value | null {
    const arg = (name: string, i: number) => args.keywords.get(name) ?? args.positional[i];
    if (VARIABLE.test(path)) {
      const owner = this.tracing[this.tracing.length - 1] ?? this.constructing[this.constructing.length - 1];
      if (!owner?.cls.customLayer) return null;
      const init = arg('initial_value', 0);
      const tensor = init ? this.asNode(init.value) : null;
      let shape: Value | undefined =
        tensor && this.constants.has(tensor)
          ? shapeAsValue(this.constants.get(tensor) as (number | null)[])
          : init?.value.kind === 'tensor'
            ? init.value.shape
            : undefined;
      // `tf.Variable(initial_value=w_init(shape=(input_dim, units)))`: the shape its initializer is called with.
      let initNode: SyntaxNode | null | undefined = init?.node;
      while (initNode?.name === 'ParenthesizedExpression') initNode = initNode.firstChild?.nextSibling;
      if (!shape && initNode?.name === 'CallExpression')
        for (let c = initNode.getChild('ArgList')?.firstChild ?? null; c; c = c.nextSibling)
          if (c.name === 'VariableName' && this.text(c) === 'shape' && c.nextSibling?.name === 'AssignOp' && c.nextSibling.nextSibling)
            shape = this.evalExpr(c.nextSibling.nextSibling, scope);
      shape ??= this.unknownNode(init?.node ?? node, "it is a variable's initial value whose shape LayerLens cannot work out");
      (owner.weights ??= []).push({ shape, trainable: args.keywords.get('trainable')?.value });
      const dims = dimsOf(shape);
      return dims ? this.constantNode(dims, node) : this.unknownNode(node, 'it is a variable whose shape LayerLens cannot work out');
    }
    if (!this.tracing.length) return null;
    if (STATIC_SHAPE.test(path)) {
      const x = arg('x', 0)?.value;
      const tensor = x ? this.asNode(x) : null;
      return tensor ? this.tensorShape(tensor, node, x?.kind === 'symbolic' ? (x.output ?? 0) : 0) : null;
    }
    if (CONSTANT_MAKER.test(path)) {
      const dims = dimsOf(arg('shape', 0)?.value);
      return dims ? this.constantNode(dims, node) : null;
    }
    if (RANGE.test(path)) {
      const tf = path.startsWith('tensorflow');
      const [startArg, limitArg, deltaArg] = [arg('start', 0), arg(tf ? 'limit' : 'stop', 1), arg(tf ? 'delta' : 'step', 2)];
      const num = (v: Value | undefined, fallback: number) => (v === undefined ? fallback : v.kind === 'number' ? v.value : NaN);
      let [start, limit] = [num(startArg?.value, 0), num(limitArg?.value, NaN)];
      if (!limitArg || limitArg.value.kind === 'none') [start, limit] = [0, start];
      const delta = num(deltaArg?.value, 1);
      const n = Number.isNaN(start + limit + delta) || delta === 0 ? NaN : Math.max(0, Math.ceil((limit - start) / delta));
      return this.constantNode([n], node);
    }
    return null;
  }
}

const WEIGHT_METHODS = new Set(['add_weight', 'add_variable']);
const VARIABLE = /^(?:tensorflow|keras)\.Variable$/;
const STATIC_SHAPE = /^(?:tensorflow|keras\.ops|keras\.backend)\.(?:shape|int_shape)$/;
const CONSTANT_MAKER =
  /^(?:tensorflow\.random\.(?:normal|uniform|truncated_normal)|keras\.random\.(?:normal|uniform|truncated_normal)|keras\.backend\.random_(?:normal|uniform)|tensorflow\.(?:zeros|ones)|keras\.ops\.(?:zeros|ones))$/;
const RANGE = /^(?:tensorflow\.range|keras\.ops(?:\.numpy)?\.arange)$/;

/** A Lambda's function: its node, the scope it is made in, and its statement (the evaluator's cursor there). */
interface LambdaFunction {
  node: SyntaxNode;
  scope: Scope;
  cur: CustomLayers['cur'];
}

/** Which output of its node a Keras tensor is (a layer's several outputs). */
function indexOf(v: Value): number {
  return v.kind === 'symbolic' ? (v.output ?? 0) : 0;
}

/** A shape as Python sees it: a tuple, None for an open dimension, unknown for one LayerLens could not work out. */
function shapeAsValue(shape: (number | null)[]): Value {
  return {
    kind: 'seq',
    items: shape.map((d): Value =>
      d === null
        ? NONE
        : Number.isNaN(d)
          ? unknown('dimension', 0, 0, 'LayerLens could not work out this dimension')
          : { kind: 'number', value: d, isInt: true },
    ),
    tuple: true,
  };
}

/** A shape value's dimensions (an int is one): None an open one, NaN one not known; null where it is no shape. */
function dimsOf(v: Value | undefined): (number | null)[] | null {
  if (v?.kind === 'number' && v.isInt) return [v.value];
  if (v?.kind !== 'seq' || v.unknownLength) return null;
  return v.items.map((d) => (d.kind === 'number' && d.isInt ? d.value : d.kind === 'none' ? null : NaN));
}
