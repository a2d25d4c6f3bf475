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
};

export const activationRules: Rule[] = [
  shapeKeeping('ReLU', ['max_value', 'negative_slope', 'threshold'], { max_value: null, negative_slope: 0, threshold: 0 }),
  shapeKeeping('LeakyReLU', ['negative_slope'], { negative_slope: 0.3 }),
  prelu,
  shapeKeeping('ELU', ['alpha'], { alpha: 1 }),
  shapeKeeping('Softmax', ['axis'], { axis: -1 }),
  shapeKeeping('ThresholdedReLU', ['theta'], { theta: 1 }),
];

