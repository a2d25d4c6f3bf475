/** Advanced activation layers. PReLU is the only one with weights. */
import { requireInput, type Rule } from './rule';
import { shapeKeeping } from './core';

const prelu: Rule = {
  ...shapeKeeping('PReLU', ['alpha_initializer', 'alpha_regularizer', 'alpha_constraint', 'shared_axes'], {
    alpha_initializer: 'zeros',
    alpha_regularizer: null,
    alpha_constraint: null,
    shared_axes: null,
  }),
  params(ctx) {
    const input = requireInput(ctx);
    const shape = input.slice(1).map((d) => d ?? NaN);
    const shared = ctx.args.plain('shared_axes');
    for (const axis of Array.isArray(shared) ? shared : shared === null || shared === undefined ? [] : [shared]) shape[Number(axis) - 1] = 1;
    return [{ label: 'alpha', factors: shape, trainable: true }];
  },
  tfjs(r) {
    const shared = r.get('shared_axes');
    const config: Record<string, unknown> = {};
    if (shared !== null && shared !== undefined) {
      const axes = Array.isArray(shared) ? shared : [shared];
      if (!axes.every((a) => typeof a === 'number' && Number.isInteger(a))) r.refuseValue('shared_axes', shared);
      config.sharedAxes = axes;
    }
    return { className: 'PReLU', config };
  },
};

export const activationRules: Rule[] = [
  shapeKeeping(
    'ReLU',
    ['max_value', 'negative_slope', 'threshold'],
    { max_value: null, negative_slope: 0, threshold: 0 },
    {
      tfjs(r) {
        const slope = r.num('negative_slope');
        const threshold = r.num('threshold');
        const maxValue = r.get('max_value');
        if (threshold !== 0) r.refuse('tfjs’ ReLU has no `threshold`.');
        if (maxValue !== null && maxValue !== undefined && typeof maxValue !== 'number') r.refuseValue('max_value', maxValue);
        if (slope !== 0) {
          if (maxValue !== null && maxValue !== undefined) r.refuse('tfjs has no ReLU with both `negative_slope` and `max_value`.');
          return { className: 'LeakyReLU', config: { alpha: slope } };
        }
        return { className: 'ReLU', config: maxValue === null || maxValue === undefined ? {} : { maxValue } };
      },
    },
  ),
  shapeKeeping(
    'LeakyReLU',
    ['negative_slope'],
    { negative_slope: 0.3 },
    // Keras 2 called the slope `alpha`, Keras 3 `negative_slope`.
    { tfjs: (r) => ({ className: 'LeakyReLU', config: { alpha: 'alpha' in r.spec.config ? r.num('alpha') : r.num('negative_slope') } }) },
  ),
  prelu,
  shapeKeeping(
    'ELU',
    ['alpha'],
    { alpha: 1 },
    {
      tfjs(r) {
        const alpha = r.num('alpha');
        if (alpha !== 1) r.refuse('tfjs’ ELU supports only alpha=1.');
        return { className: 'ELU', config: { alpha } };
      },
    },
  ),
  shapeKeeping(
    'Softmax',
    ['axis'],
    { axis: -1 },
    {
      tfjs(r) {
        const axis = r.get('axis');
        if (typeof axis !== 'number' || !Number.isInteger(axis))
          return Array.isArray(axis) ? r.refuse('tfjs’ Softmax takes a single axis.') : r.refuseValue('axis', axis);
        // tfjs builds a Softmax over any axis but runs it only over the last.
        const rank = r.spec.inputShape?.length;
        if (axis !== -1 && !(rank !== undefined && axis === rank - 1)) r.refuse('tfjs runs Softmax only over the last axis.');
        return { className: 'Softmax', config: { axis } };
      },
    },
  ),
  shapeKeeping('ThresholdedReLU', ['theta'], { theta: 1 }, { tfjs: (r) => ({ className: 'ThresholdedReLU', config: { theta: r.num('theta') } }) }),
];
