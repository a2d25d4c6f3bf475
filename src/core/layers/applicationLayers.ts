/**
 * Layers that keras.applications define for their own architectures (`keras.src.applications.*`), which the
 * architectures written in src/core/applications call: InceptionResNetV2's residual scaling and ConvNeXt's
 * LayerScale and StochasticDepth. Their shapes and weights follow Keras 3's classes.
 */
import { noTfjs, product, requireInput, type Rule } from './rule';
import { shapeKeeping } from './core';

/** `CustomScaleLayer(scale)([x, up])`: `x + up * scale`, no weights. */
const customScale: Rule = {
  type: 'CustomScaleLayer',
  signature: ['scale'],
  defaults: {},
  multiInput: true,
  outputShape: (ctx) => (ctx.inputs?.[0] ?? requireInput(ctx)).slice(),
  receptiveField: () => 'keep',
  tfjs: noTfjs('CustomScaleLayer'),
};

/** `LayerScale(init_values, projection_dim)`: one trainable scale per channel (`gamma`, projection_dim values). */
const layerScale = shapeKeeping(
  'LayerScale',
  ['init_values', 'projection_dim'],
  {},
  {
    params: (ctx) => [{ label: 'gamma', factors: [ctx.args.int('projection_dim')], trainable: true }],
    // One multiply per element, as BatchNormalization's scale is counted.
    macs: (_ctx, output) => product(output.slice(1)) ?? NaN,
    tfjs: noTfjs('LayerScale'),
  },
);

/** `StochasticDepth(drop_path_rate)`: drops the residual branch while training; the identity at inference. */
const stochasticDepth = shapeKeeping('StochasticDepth', ['drop_path_rate'], {}, { tfjs: noTfjs('StochasticDepth') });

export const applicationLayerRules: Rule[] = [customScale, layerScale, stochasticDepth];

/** Their names: `keras.layers` has no such classes. */
export const APPLICATION_LAYERS = new Set(applicationLayerRules.map((r) => r.type));
