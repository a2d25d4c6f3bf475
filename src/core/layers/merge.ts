/**
 * Merge layers, which take several tensors (Functional models): Add, Subtract, Multiply, Average, Maximum,
 * Minimum (element-wise, with Keras' broadcasting) and Concatenate. No weights, no MACs (README: Definitions).
 * Shapes and errors follow Keras 3's `keras/src/layers/merging`.
 */
import { LayerError, noTfjs, shapeRepr, type Dim, type InternalShape, type LayerContext, type Rule } from './rule';

function inputsOf(ctx: LayerContext, type: string): InternalShape[] {
  const inputs = ctx.inputs ?? (ctx.input ? [ctx.input] : []);
  if (inputs.length < 2)
    throw new LayerError(
      'invalid-argument',
      `A merge layer should be called on a list of at least 2 inputs. Got ${inputs.length} inputs. Full input_shape received: ${inputs.map(shapeRepr).join(', ')} (${type})`,
    );
  return inputs;
}

const list = (inputs: InternalShape[]) => `[${inputs.map(shapeRepr).join(', ')}]`;

/** Keras' `_compute_elemwise_op_output_shape`: the shapes without the batch, broadcast from the right. */
function broadcast(a: Dim[], b: Dim[]): Dim[] {
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
      const inputs = inputsOf(ctx, type);
      if (exactlyTwo && inputs.length !== 2)
        throw new LayerError('invalid-argument', `A \`${type}\` layer should be called on exactly 2 inputs. Received: input_shape=${list(inputs)}`);
      const batch = inputs.map((s) => s[0]).find((d) => d !== null) ?? null;
      const rest = inputs.map((s) => s.slice(1)).reduce((a, b) => broadcast(a, b));
      return [batch, ...rest];
    },
    receptiveField: () => 'keep',
    // tfjs has the merge layers, but only a Functional model can call one, and the preview builds tf.sequential.
    tfjs: noTfjs(type),
  };
}

/**
 * Arithmetic on Keras tensors (`x + y`, `x * 0.5`, `-x`, `ops.add(x, y)`): Keras 3 makes an operation (`Add`,
 * `Multiply`, `TrueDivide`, `Negative`…) that its summary prints as a row, without weights. With one tensor (the
 * other side a number) the shape is the tensor's; with two, Keras' broadcasting.
 */
export function operationRule(type: string): Rule {
  return {
    ...elementwise(type),
    outputShape(ctx) {
      const inputs = ctx.inputs ?? (ctx.input ? [ctx.input] : []);
      if (inputs.length === 1) return inputs[0];
      const batch = inputs.map((s) => s[0]).find((d) => d !== null) ?? null;
      return [batch, ...inputs.map((s) => s.slice(1)).reduce((a, b) => broadcast(a, b))];
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
    const inputs = inputsOf(ctx, 'Concatenate');
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
  tfjs: noTfjs('Concatenate'),
};

export const mergeRules: Rule[] = [
  elementwise('Add'),
  elementwise('Subtract', true),
  elementwise('Multiply'),
  elementwise('Average'),
  elementwise('Maximum'),
  elementwise('Minimum'),
  concatenate,
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
};
