/** BatchNormalization and LayerNormalization. */
import { LayerError, product, pyRepr, requireInput, shapeRepr, type LayerContext, type ParamPart, type Rule } from './rule';

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

const layerNorm: Rule = {
  type: 'LayerNormalization',
  signature: ['axis', 'epsilon', 'center', 'scale'],
  defaults: { axis: -1, epsilon: 0.001, center: true, scale: true },
  outputShape: (ctx) => (normAxes(ctx), requireInput(ctx).slice()),
  params(ctx) {
    const f = weightShape(ctx);
    const parts: ParamPart[] = [];
    if (ctx.args.bool('scale')) parts.push({ label: 'gamma', factors: f, trainable: true });
    if (ctx.args.bool('center')) parts.push({ label: 'beta', factors: f, trainable: true });
    return parts;
  },
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

export const normRules: Rule[] = [batchNorm, layerNorm];
