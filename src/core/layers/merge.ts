/**
 * Merge layers, which take several tensors (Functional models): Add, Subtract, Multiply, Average, Maximum,
 * Minimum (element-wise, with Keras' broadcasting), Concatenate and Dot. No weights, no MACs (README: Definitions).
 * Shapes and errors follow Keras 3's `keras/src/layers/merging`.
 */
import type { Value } from '../python/values';
import { pyList } from '../repr';
import { calledInputs, LayerError, noTfjs, pyRepr, shapeRepr, type Dim, type InternalShape, type LayerContext, type PyDefault, type Rule } from './rule';

/**
 * The inputs of a merge layer, as Keras 3's `Merge.build` checks them: a list (or tuple) of tensors, one or more;
 * one tensor not in a list is refused. Unresolved when one of them is unknown.
 */
function inputsOf(ctx: LayerContext): InternalShape[] {
  if ((ctx.called?.form ?? 'one') === 'one')
    throw new LayerError(
      'invalid-argument',
      `A merge layer should be called on a list of inputs. Received: input_shape=${shapeRepr(ctx.input)} (not a list of shapes)`,
    );
  return calledInputs(ctx);
}

const list = (inputs: InternalShape[]) => pyList(inputs.map(shapeRepr));

/** Keras' `_compute_elemwise_op_output_shape`: the shapes without the batch, broadcast from the right. */
export function broadcastShapes(a: Dim[], b: Dim[]): Dim[] {
  const out: Dim[] = [];
  const n = Math.max(a.length, b.length);
  for (let i = 1; i <= n; i++) {
    const x = a.length - i >= 0 ? a[a.length - i] : 1;
    const y = b.length - i >= 0 ? b[b.length - i] : 1;
    let d: Dim;
    if (x === null || y === null) d = x === 1 ? y : y === 1 ? x : null;
    else if (x === 1) d = y;
    else if (y === 1 || x === y) d = x;
    else throw new LayerError('incompatible-shapes', `Inputs have incompatible shapes. Received shapes ${shapeRepr(a)} and ${shapeRepr(b)}`);
    out.unshift(d);
  }
  return out;
}

function elementwise(type: string, exactlyTwo = false): Rule {
  return {
    type,
    signature: [],
    defaults: {},
    multiInput: true,
    outputShape(ctx) {
      const inputs = inputsOf(ctx);
      if (exactlyTwo && inputs.length !== 2)
        throw new LayerError('invalid-argument', `A \`${type}\` layer should be called on exactly 2 inputs. Received: input_shape=${list(inputs)}`);
      const batch = inputs.map((s) => s[0]).find((d) => d !== null) ?? null;
      const rest = inputs.map((s) => s.slice(1)).reduce((a, b) => broadcastShapes(a, b));
      return [batch, ...rest];
    },
    receptiveField: () => 'keep',
    tfjs: TFJS_MERGE.has(type)
      ? (r) => {
          if (r.tensorCount() < 2) r.refuse(`tfjs’ ${type} takes two tensors or more; this one takes a tensor and a number.`);
          return { className: type, config: {} };
        }
      : noTfjs(type),
  };
}

/** The element-wise merge layers tfjs has (not Subtract, nor the operations Keras 3 adds: TrueDivide, Power…). */
const TFJS_MERGE = new Set(['Add', 'Multiply', 'Average', 'Maximum', 'Minimum']);

/**
 * Arithmetic on Keras tensors (`x + y`, `x * 0.5`, `-x`, `ops.add(x, y)`): Keras 3 makes an operation (`Add`,
 * `Multiply`, `TrueDivide`, `Negative`…) that its summary prints as a row, without weights. With one tensor (the
 * other side a number) the shape is the tensor's; with two, Keras' broadcasting.
 */
export function operationRule(type: string): Rule {
  let rule = operationRules.get(type);
  if (!rule) operationRules.set(type, (rule = makeOperationRule(type)));
  return rule;
}

/** One rule per operation, made when first needed. */
const operationRules = new Map<string, Rule>();

function makeOperationRule(type: string): Rule {
  return {
    ...elementwise(type),
    outputShape(ctx) {
      const inputs = calledInputs(ctx);
      if (inputs.length === 1) return inputs[0];
      // Tensors of different ranks (a custom layer's `x + positions`, `inputs @ w + b`): NumPy's broadcasting of the
      // whole shapes, as Keras 3's operations and TensorFlow's apply it.
      if (inputs.some((s) => s.length !== inputs[0].length)) return inputs.reduce((a, b) => broadcastShapes(a, b));
      const batch = inputs.map((s) => s[0]).find((d) => d !== null) ?? null;
      return [batch, ...inputs.map((s) => s.slice(1)).reduce((a, b) => broadcastShapes(a, b))];
    },
  };
}

/** The operation each Python operator on Keras tensors makes, by Keras 3's class name. */
export const OPERATIONS: Record<string, string> = {
  '+': 'Add',
  '-': 'Subtract',
  '*': 'Multiply',
  '/': 'TrueDivide',
  '//': 'FloorDivide',
  '%': 'Mod',
  '**': 'Power',
};

/** `keras.ops` functions that are the same operations (`ops.add(x, y)`). */
export const OPS_FUNCTIONS: Record<string, string> = {
  add: 'Add',
  subtract: 'Subtract',
  multiply: 'Multiply',
  divide: 'TrueDivide',
  true_divide: 'TrueDivide',
  negative: 'Negative',
};

const concatenate: Rule = {
  type: 'Concatenate',
  signature: ['axis'],
  defaults: { axis: -1 },
  multiInput: true,
  outputShape(ctx) {
    // Keras 3's `Concatenate.build`: a list of at least one tensor.
    if ((ctx.called?.form ?? 'one') === 'one')
      throw new LayerError(
        'invalid-argument',
        `A \`Concatenate\` layer should be called on a list of at least 1 input. Received: input_shape=${shapeRepr(ctx.input)}`,
      );
    const inputs = calledInputs(ctx);
    const rank = inputs[0].length;
    const raw = ctx.args.int('axis');
    const axis = raw < 0 ? rank + raw : raw;
    const mismatch = () =>
      new LayerError(
        'incompatible-shapes',
        `A \`Concatenate\` layer requires inputs with matching shapes except for the concatenation axis. Received: input_shape=${list(inputs)}`,
      );
    if (inputs.some((s) => s.length !== rank) || axis < 0 || axis >= rank) throw mismatch();
    const out: Dim[] = inputs[0].slice();
    for (const s of inputs.slice(1))
      for (let i = 0; i < rank; i++) {
        if (i === axis) continue;
        if (out[i] === null) out[i] = s[i];
        else if (s[i] !== null && s[i] !== out[i]) throw mismatch();
      }
    const sizes = inputs.map((s) => s[axis]);
    out[axis] = sizes.some((d) => d === null) ? null : sizes.reduce<number>((a, b) => a + (b as number), 0);
    return out;
  },
  // Concatenating along the channels keeps the spatial windows; along a spatial axis it does not.
  receptiveField: (ctx) => {
    const rank = ctx.input?.length ?? 0;
    const raw = ctx.args.int('axis');
    return (raw < 0 ? rank + raw : raw) === rank - 1 ? 'keep' : null;
  },
  tfjs: (r) => ({ className: 'Concatenate', config: { axis: r.int('axis') } }),
};

/** Python's repr of an argument as written: a list stays a list (`[1, 2, 3]`), a tuple a tuple. */
function writtenRepr(v: Value | PyDefault | undefined, plain: PyDefault | undefined): string {
  const isList = v !== null && typeof v === 'object' && !Array.isArray(v) && v.kind === 'seq' && !v.tuple;
  return pyRepr(plain, { list: isList });
}

/**
 * `Dot(axes, normalize=False)([x, y])`: Keras 3's `Dot.build` and `compute_output_shape`. Each input loses its
 * dot axis, the second also its batch axis; a result of rank 1 gets a trailing 1. An int axis counts from the end
 * of each input when negative; a pair is used as written (Python's negative indexing). `layers.dot([x, y])`
 * leaves `axes` at that function's default, -1 (the class has none).
 */
const dot: Rule = {
  type: 'Dot',
  signature: ['axes', 'normalize'],
  defaults: { normalize: false },
  multiInput: true,
  outputShape(ctx) {
    const written = ctx.args.value('axes');
    const raw = ctx.args.plain('axes') ?? -1;
    if (typeof raw !== 'number') {
      if (!Array.isArray(raw))
        throw new LayerError(
          'invalid-argument',
          `Invalid type for argument \`axes\`: it should be a list or an int. Received: axes=${typeof raw === 'string' ? raw : pyRepr(raw)}`,
        );
      if (raw.length !== 2)
        throw new LayerError(
          'invalid-argument',
          `Invalid format for argument \`axes\`: it should contain two elements. Received: axes=${writtenRepr(written, raw)}`,
        );
      if (!raw.every((a) => typeof a === 'number' && Number.isInteger(a)))
        throw new LayerError(
          'invalid-argument',
          `Invalid format for argument \`axes\`: list elements should be integers. Received: axes=${writtenRepr(written, raw)}`,
        );
    }
    if ((ctx.called?.form ?? 'one') === 'one')
      throw new LayerError('invalid-argument', `A \`Dot\` layer should be called on a list of 2 inputs. Received: input_shape=${shapeRepr(ctx.input)}`);
    const inputs = calledInputs(ctx);
    if (inputs.length !== 2)
      throw new LayerError('invalid-argument', `A \`Dot\` layer should be called on a list of 2 inputs. Received: input_shape=${list(inputs)}`);
    const [shape1, shape2] = inputs;
    // Keras' `%` for a negative int; a pair as written.
    const mod = (a: number, n: number) => ((a % n) + n) % n;
    const axes = typeof raw === 'number' ? (raw < 0 ? [mod(raw, shape1.length), mod(raw, shape2.length)] : [raw, raw]) : (raw as number[]);
    const at = (shape: Dim[], a: number): Dim | undefined => shape[a < 0 ? shape.length + a : a];
    const [d1, d2] = [at(shape1, axes[0]), at(shape2, axes[1])];
    if (d1 === undefined || d2 === undefined) throw new LayerError('invalid-argument', 'tuple index out of range');
    if (d1 !== d2)
      throw new LayerError(
        'incompatible-shapes',
        `Incompatible input shapes: axis values ${pyRepr(d1)} (at axis ${axes[0]}) != ${pyRepr(d2)} (at axis ${axes[1]}). Full input shapes: ${shapeRepr(shape1)}, ${shapeRepr(shape2)}`,
      );
    const without = (shape: Dim[], a: number) => shape.filter((_, i) => i !== (a < 0 ? shape.length + a : a));
    const out = [...without(shape1, axes[0]), ...without(shape2, axes[1]).slice(1)];
    return out.length === 1 ? [...out, 1] : out;
  },
  receptiveField: () => null,
  // tfjs' Dot gives the shapes above for int and pair axes, negative ones included (checked side by side).
  tfjs: (r) => {
    const axes = r.get('axes') ?? -1;
    if (typeof axes !== 'number' && !(Array.isArray(axes) && axes.length === 2 && axes.every((a) => Number.isInteger(a)))) r.refuseValue('axes', axes);
    return { className: 'Dot', config: { axes, normalize: r.bool('normalize') } };
  },
};

export const mergeRules: Rule[] = [
  elementwise('Add'),
  elementwise('Subtract', true),
  elementwise('Multiply'),
  elementwise('Average'),
  elementwise('Maximum'),
  elementwise('Minimum'),
  concatenate,
  dot,
];

/** `layers.add([x, y])` and the other function forms: the layer class each makes and calls at once. */
export const MERGE_FUNCTIONS: Record<string, string> = {
  add: 'Add',
  subtract: 'Subtract',
  multiply: 'Multiply',
  average: 'Average',
  maximum: 'Maximum',
  minimum: 'Minimum',
  concatenate: 'Concatenate',
  dot: 'Dot',
};
