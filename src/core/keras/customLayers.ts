/**
 * Code of the user's that Keras runs on tensors, followed for the Keras host (issue 21 §3–4): a `Lambda`'s function
 * (`traceLambda`), and a custom `Layer` subclass's `build` and `call` (`traceCustom`), run on placeholder tensors of
 * the input's shape; the weights `add_weight` and `tf.Variable` make, and the constants, noise and ranges `call`
 * makes, as tensors of known shapes.
 */
import type { SyntaxNode } from '@lezer/common';
import { classAttribute, type Instance } from '../python/objects';
import { MAX_CALL_DEPTH, Scope, type ParsedArgs } from '../python/scope';
import { cannotResolve, NONE, unknown, type Value } from '../python/values';
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
    const [from, to] = [this.abs(fnNode.from), this.abs(fnNode.to)];
    const fail = (why: string): void => void (layer.traced = { why, from, to });
    const placeholder = this.newNode(operationCall('LambdaInput', 'keras', from, to), [], from, to);
    const input: Value = { kind: 'symbolic', node: placeholder };
    let out: Value;
    if (this.callDepth >= MAX_CALL_DEPTH) return fail(`its calls go deeper than LayerLens follows (${MAX_CALL_DEPTH} calls)`);
    if (fnNode.name === 'LambdaExpression') {
      const body = fnNode.lastChild;
      if (!body || body.name === ':' || body.type.isError) return fail('its body cannot be read');
      const fnScope = new Scope(scope, 'lambda');
      this.parameters(fnNode).forEach((p, i) =>
        this.bind(
          fnScope,
          p.name,
          i === 0 ? input : p.defaultNode ? this.evalExpr(p.defaultNode, scope) : this.unknownNode(p.node, 'it is a parameter of a lambda without a default'),
          this.abs(p.node.from),
        ),
      );
      this.callDepth++;
      try {
        out = this.evalExpr(body, fnScope);
      } finally {
        this.callDepth--;
      }
    } else {
      const fn = this.evalExpr(fnNode, scope);
      if (fn.kind !== 'local' || fn.what !== 'function' || !fn.definition) return fail('it is not a function of this file or a lambda');
      out = this.runFunction(fn, [input], new Map(), null);
    }
    const result = this.asNode(out);
    if (!result) return fail(out.kind === 'unknown' ? cannotResolve(out) : 'it does not return one Keras tensor');
    // Only operations between the placeholder and the result: a layer called inside a Lambda, or a tensor it takes
    // from outside, is not what Keras' Lambda row shows.
    const seen = new Set<GraphNode>();
    for (const stack = [result]; stack.length;) {
      const n = stack.pop() as GraphNode;
      if (n === placeholder || seen.has(n)) continue;
      seen.add(n);
      if (!('type' in n.layer) || !n.layer.operation || !n.inputs.length)
        return fail(n.inputs.length ? 'it calls a layer or a model' : 'it uses a tensor other than its input');
      stack.push(...n.inputs);
    }
    layer.traced = { input: placeholder, output: result, index: out.kind === 'symbolic' ? (out.output ?? 0) : 0 };
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
