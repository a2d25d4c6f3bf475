/** BatchNormalization, LayerNormalization, GroupNormalization, UnitNormalization and RMSNormalization. */
import {
  LayerError,
  noTfjs,
  product,
  pyRepr,
  requireInput,
  shapeRepr,
  toSnakeCase,
  type Dim,
  type LayerContext,
  type ParamPart,
  type PyDefault,
  type Rule,
} from './rule';

/** The input dims a normalisation's weights span, from its `axis` argument. */
function normAxes(ctx: LayerContext): number[] {
  const input = requireInput(ctx);
  const axis = ctx.args.plain('axis');
  const list = Array.isArray(axis) ? axis : [axis];
  return list.map((a) => {
    const n = Number(a);
    const i = n < 0 ? input.length + n : n;
    if (!Number.isInteger(i) || i <= 0 || i >= input.length)
      throw new LayerError(
        'invalid-argument',
        `Invalid axis: ${pyRepr(axis as never)}. Expected an axis of the input shape ${shapeRepr(input)}, other than the batch axis.`,
      );
    return i;
  });
}

function weightShape(ctx: LayerContext): number[] {
  const input = ctx.input;
  if (!input) return [NaN];
  const dims = normAxes(ctx).map((i) => input[i]);
  if (dims.some((d) => d === null))
    throw new LayerError(
      'undefined-dimension',
      `Axis ${pyRepr(ctx.args.plain('axis') as never)} of input tensor should have a defined dimension but the layer received an input with shape ${shapeRepr(input)}.`,
    );
  return dims as number[];
}

const batchNorm: Rule = {
  type: 'BatchNormalization',
  signature: ['axis', 'momentum', 'epsilon', 'center', 'scale'],
  defaults: { axis: -1, momentum: 0.99, epsilon: 0.001, center: true, scale: true },
  outputShape: (ctx) => (normAxes(ctx), requireInput(ctx).slice()),
  params(ctx) {
    const f = weightShape(ctx);
    const parts: ParamPart[] = [];
    if (ctx.args.bool('scale')) parts.push({ label: 'gamma', factors: f, trainable: true });
    if (ctx.args.bool('center')) parts.push({ label: 'beta', factors: f, trainable: true });
    parts.push({ label: 'moving_mean', factors: f, trainable: false }, { label: 'moving_variance', factors: f, trainable: false });
    return parts;
  },
  // At inference a scale and a shift per element (folded into one multiply-add).
  macs: (_ctx, output) => product(output.slice(1)) ?? NaN,
  receptiveField: () => 'keep',
  tfjs(r) {
    const axis = r.get('axis');
    const single = Array.isArray(axis) && axis.length === 1 ? (axis[0] as unknown) : axis;
    if (typeof single !== 'number' || !Number.isInteger(single))
      return Array.isArray(axis) ? r.refuse('tfjs’ BatchNormalization takes a single axis.') : r.refuseValue('axis', axis);
    if (r.spec.inputShape && r.spec.inputShape.length > 4) r.refuse('tfjs’ BatchNormalization runs only on inputs of rank 2 to 4.');
    return {
      className: 'BatchNormalization',
      config: { axis: single, momentum: r.num('momentum'), epsilon: r.num('epsilon'), center: r.bool('center'), scale: r.bool('scale') },
    };
  },
};

/**
 * Keras 3 refuses a weight with a None dimension when it creates the variable, naming it by the layer's name and
 * the weight's path. A rule knows the name only when written (`name=`); otherwise this is the class's default
 * name, which is Keras' own for the first such layer of a script (a second would be `…_1`).
 */
export function definedWeight(ctx: LayerContext, type: string, path: string, shape: Dim[]): number[] {
  if (shape.some((d) => d === null)) {
    const written = ctx.args.call.args.get('name');
    const name = written?.kind === 'string' ? written.value : toSnakeCase(type);
    throw new LayerError(
      'undefined-dimension',
      `Shapes used to initialize variables must be fully-defined (no \`None\` dimensions). Received: shape=${shapeRepr(shape)} for variable path='${name}/${path}'`,
    );
  }
  return shape as number[];
}

/**
 * LayerNormalization's weights as Keras 3's build makes them: the input's dims at the sorted axes (an int axis is
 * one), Python's indexing (negative from the end, the batch axis allowed, out of range an IndexError); gamma when
 * `scale` (or the deprecated `rms_scaling`), beta when `center` and not `rms_scaling`, in that order, each refused
 * when a dim is None.
 */
function layerNormWeights(ctx: LayerContext): ParamPart[] {
  const input = requireInput(ctx);
  const axis = ctx.args.plain('axis');
  if (typeof axis !== 'number' && !Array.isArray(axis))
    throw new LayerError('invalid-argument', `Expected an int or a list/tuple of ints for the argument 'axis', but received: ${pyRepr(axis)}`);
  const axes = Array.isArray(axis) ? axis.map((a) => (typeof a === 'number' ? a : NaN)).sort((a, b) => a - b) : [axis];
  const shape = axes.map((a) => dimAt(input, a));
  const rms = ctx.args.bool('rms_scaling');
  const parts: ParamPart[] = [];
  if (ctx.args.bool('scale') || rms) parts.push({ label: 'gamma', factors: definedWeight(ctx, 'LayerNormalization', 'gamma', shape), trainable: true });
  if (ctx.args.bool('center') && !rms) parts.push({ label: 'beta', factors: definedWeight(ctx, 'LayerNormalization', 'beta', shape), trainable: true });
  return parts;
}

const layerNorm: Rule = {
  type: 'LayerNormalization',
  signature: ['axis', 'epsilon', 'center', 'scale'],
  defaults: { axis: -1, epsilon: 0.001, center: true, scale: true, rms_scaling: false },
  outputShape: (ctx) => (layerNormWeights(ctx), requireInput(ctx).slice()),
  params: layerNormWeights,
  macs: (_ctx, output) => product(output.slice(1)) ?? NaN,
  receptiveField: () => 'keep',
  tfjs(r) {
    const axis = r.get('axis');
    const axes = Array.isArray(axis) ? axis : [axis];
    if (!axes.every((a) => typeof a === 'number' && Number.isInteger(a))) r.refuseValue('axis', axis);
    if (r.bool('rms_scaling')) r.refuse('tfjs’ LayerNormalization has no `rms_scaling`.');
    if (r.spec.inputShape && r.spec.inputShape.length > 4) r.refuse('tfjs’ LayerNormalization runs only on inputs of rank 2 to 4.');
    return {
      className: 'LayerNormalization',
      config: { axis: Array.isArray(axis) ? axes : axis, epsilon: r.num('epsilon'), center: r.bool('center'), scale: r.bool('scale') },
    };
  },
};

/** An `axis` as Keras 3's constructors keep it: an int, or a list (a tuple becomes a list), printed so. */
function axisRepr(axis: PyDefault | undefined): string {
  return pyRepr(axis, { list: true });
}

/** Python's `shape[i]`: negative from the end; Keras' IndexError when out of range. */
function dimAt(input: (number | null)[], axis: number): number | null {
  const i = axis < 0 ? input.length + axis : axis;
  if (!Number.isInteger(i) || i < 0 || i >= input.length) throw new LayerError('invalid-argument', 'tuple index out of range');
  return input[i];
}

/**
 * `UnitNormalization(axis=-1)`: each sample divided by its L2 norm over the axes; no weights. Keras 3's
 * compute_output_shape allows any axis in [-rank, rank), the batch axis too.
 */
const unitNorm: Rule = {
  type: 'UnitNormalization',
  signature: ['axis'],
  defaults: { axis: -1 },
  outputShape(ctx) {
    const input = requireInput(ctx);
    const axis = ctx.args.plain('axis');
    for (const a of Array.isArray(axis) ? axis : [axis])
      if (typeof a !== 'number' || a >= input.length || a < -input.length)
        throw new LayerError('invalid-argument', `Axis ${axisRepr(axis)} is out of bounds for input shape ${shapeRepr(input)}.`);
    return input.slice();
  },
  receptiveField: () => 'keep',
  tfjs: noTfjs('UnitNormalization'),
};

/**
 * `GroupNormalization(groups=32, axis=-1, epsilon=1e-3, center=True, scale=True)`: Keras 3's build. The channels
 * (the dim at `axis`) must be known and split into `groups` (-1: one group per channel); gamma and beta have one
 * value per channel, whatever the groups.
 */
function groupChannels(ctx: LayerContext): number {
  const groups = ctx.args.plain('groups');
  if (typeof groups !== 'number' || !Number.isInteger(groups) || (groups <= 0 && groups !== -1))
    throw new LayerError(
      'invalid-argument',
      `Received an invalid value for argument \`groups\`, expected a positive integer (or \`-1\` for instance normalization). Received: groups=${pyRepr(groups)}`,
    );
  const input = requireInput(ctx);
  const axis = ctx.args.int('axis');
  if (Number.isNaN(axis)) return NaN;
  const dim = dimAt(input, axis);
  if (dim === null)
    throw new LayerError(
      'undefined-dimension',
      `Axis ${axis} of input tensor should have a defined dimension but the layer received an input with shape ${shapeRepr(input)}.`,
    );
  const g = groups === -1 ? dim : groups;
  if (dim < g) throw new LayerError('invalid-argument', `Number of groups (${g}) cannot be more than the number of channels (${dim}).`);
  // Keras' words, though it means the channels must be a multiple of the groups.
  if (dim % g !== 0) throw new LayerError('invalid-argument', `Number of groups (${g}) must be a multiple of the number of channels (${dim}).`);
  return dim;
}

const groupNorm: Rule = {
  type: 'GroupNormalization',
  signature: ['groups', 'axis', 'epsilon', 'center', 'scale'],
  defaults: { groups: 32, axis: -1, epsilon: 0.001, center: true, scale: true },
  outputShape: (ctx) => (groupChannels(ctx), requireInput(ctx).slice()),
  params(ctx) {
    const dim = groupChannels(ctx);
    const parts: ParamPart[] = [];
    if (ctx.args.bool('scale')) parts.push({ label: 'gamma', factors: [dim], trainable: true });
    if (ctx.args.bool('center')) parts.push({ label: 'beta', factors: [dim], trainable: true });
    return parts;
  },
  // As LayerNormalization: a scale and a shift per element, folded into one multiply-add.
  macs: (_ctx, output) => product(output.slice(1)) ?? NaN,
  receptiveField: () => 'keep',
  tfjs: noTfjs('GroupNormalization'),
};

/**
 * Keras 3's `RMSNormalization(axis=-1, epsilon=1e-6)`: each sample divided by its root mean square over the axes,
 * times a trainable `scale` with the input's dims at the (sorted) axes, Python-indexed as LayerNormalization's.
 */
function rmsScale(ctx: LayerContext): ParamPart[] {
  const input = requireInput(ctx);
  const axis = ctx.args.plain('axis');
  const axes = Array.isArray(axis) ? axis.map((a) => (typeof a === 'number' ? a : NaN)).sort((a, b) => a - b) : [Number(axis)];
  const shape = axes.map((a) => dimAt(input, a));
  return [{ label: 'scale', factors: definedWeight(ctx, 'RMSNormalization', 'scale', shape), trainable: true }];
}

const rmsNorm: Rule = {
  type: 'RMSNormalization',
  signature: ['axis', 'epsilon'],
  defaults: { axis: -1, epsilon: 1e-6 },
  outputShape: (ctx) => (rmsScale(ctx), requireInput(ctx).slice()),
  params: rmsScale,
  macs: (_ctx, output) => product(output.slice(1)) ?? NaN,
  receptiveField: () => 'keep',
  tfjs: noTfjs('RMSNormalization'),
};

export const normRules: Rule[] = [batchNorm, layerNorm, groupNorm, unitNorm, rmsNorm];
