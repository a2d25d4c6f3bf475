/**
 * Image augmentation layers added in Keras 3 (`keras.layers.AugMix`, `RandomHue`, `MixUp`…), and tf.keras 2's
 * RandomHeight and RandomWidth. None has weights. The Keras 3 ones keep their input's shape, whatever their
 * arguments (scripts/keras-oracle/layers.py checks a case of each); RandomHeight and RandomWidth draw a new height
 * or width for every batch, so that side is None at build time, as tf.keras' `compute_output_shape` says.
 */
import { channelAxis, dataFormat, LayerError, noTfjs, requireInput, type LayerContext, type PyDefault, type Rule } from './rule';
import { shapeKeeping } from './core';

const RANGE: PyDefault = [0, 255];

/** The Keras 3 augmentations that keep their input's shape: name, positional signature, defaults. */
const KEEPING: [string, string[], Record<string, PyDefault>][] = [
  [
    'AugMix',
    ['value_range', 'num_chains', 'chain_depth', 'factor', 'alpha', 'all_ops', 'interpolation', 'seed', 'data_format'],
    { value_range: RANGE, num_chains: 3, chain_depth: 3, factor: 0.3, alpha: 1.0, all_ops: true, interpolation: 'bilinear', seed: null, data_format: null },
  ],
  ['AutoContrast', ['value_range'], { value_range: RANGE }],
  [
    'ContrastLimitedAdaptiveHistogramEqualization',
    ['value_range', 'clip_limit', 'tile_grid_size', 'data_format'],
    { value_range: RANGE, clip_limit: 4.0, tile_grid_size: [8, 8], data_format: null },
  ],
  ['CutMix', ['factor', 'seed', 'data_format'], { factor: 1.0, seed: null, data_format: null }],
  // On images it changes nothing: it pads or cuts the bounding boxes that come with them, which LayerLens does not see.
  ['MaxNumBoundingBoxes', ['max_number', 'fill_value'], { fill_value: -1 }],
  ['MixUp', ['alpha', 'data_format', 'seed'], { alpha: 0.2, data_format: null, seed: null }],
  [
    'RandAugment',
    ['value_range', 'num_ops', 'factor', 'interpolation', 'seed', 'data_format'],
    { value_range: RANGE, num_ops: 2, factor: 0.5, interpolation: 'bilinear', seed: null, data_format: null },
  ],
  [
    'RandomColorJitter',
    ['value_range', 'brightness_factor', 'contrast_factor', 'saturation_factor', 'hue_factor', 'seed', 'data_format'],
    { value_range: RANGE, brightness_factor: null, contrast_factor: null, saturation_factor: null, hue_factor: null, seed: null, data_format: null },
  ],
  [
    'RandomElasticTransform',
    ['factor', 'scale', 'interpolation', 'fill_mode', 'fill_value', 'value_range', 'seed', 'data_format'],
    { factor: 1.0, scale: 1.0, interpolation: 'bilinear', fill_mode: 'reflect', fill_value: 0.0, value_range: RANGE, seed: null, data_format: null },
  ],
  [
    'RandomErasing',
    ['factor', 'scale', 'fill_value', 'value_range', 'seed', 'data_format'],
    { factor: 1.0, scale: [0.02, 0.33], fill_value: null, value_range: RANGE, seed: null, data_format: null },
  ],
  [
    'RandomGaussianBlur',
    ['factor', 'kernel_size', 'sigma', 'value_range', 'data_format', 'seed'],
    { factor: 1.0, kernel_size: 3, sigma: 1.0, value_range: RANGE, data_format: null, seed: null },
  ],
  // Keras 3's RandomGrayscale keeps the channels: a grey RGB image is still RGB.
  ['RandomGrayscale', ['factor', 'data_format', 'seed'], { factor: 0.5, data_format: null, seed: null }],
  ['RandomHue', ['factor', 'value_range', 'data_format', 'seed'], { value_range: RANGE, data_format: null, seed: null }],
  ['RandomInvert', ['factor', 'value_range', 'seed', 'data_format'], { factor: 1.0, value_range: RANGE, seed: null, data_format: null }],
  [
    'RandomPerspective',
    ['factor', 'scale', 'interpolation', 'fill_value', 'seed', 'data_format'],
    { factor: 1.0, scale: 1.0, interpolation: 'bilinear', fill_value: 0.0, seed: null, data_format: null },
  ],
  ['RandomPosterization', ['factor', 'value_range', 'data_format', 'seed'], { value_range: RANGE, data_format: null, seed: null }],
  ['RandomSaturation', ['factor', 'value_range', 'data_format', 'seed'], { value_range: RANGE, data_format: null, seed: null }],
  ['RandomSharpness', ['factor', 'value_range', 'data_format', 'seed'], { value_range: RANGE, data_format: null, seed: null }],
  [
    'RandomShear',
    ['x_factor', 'y_factor', 'interpolation', 'fill_mode', 'fill_value', 'data_format', 'seed'],
    { x_factor: 0.0, y_factor: 0.0, interpolation: 'bilinear', fill_mode: 'reflect', fill_value: 0.0, data_format: null, seed: null },
  ],
  [
    'Solarization',
    ['addition_factor', 'threshold_factor', 'value_range', 'seed'],
    { addition_factor: 0.0, threshold_factor: 0.0, value_range: RANGE, seed: null },
  ],
];

/** RandomColorDegeneration blends each image with its grey version, computed from exactly three channels. */
const colorDegeneration: Rule = shapeKeeping(
  'RandomColorDegeneration',
  ['factor', 'value_range', 'data_format', 'seed'],
  { value_range: RANGE, data_format: null, seed: null },
  {
    outputShape(ctx: LayerContext) {
      const input = requireInput(ctx);
      const channels = input[channelAxis(input.length, dataFormat(ctx.args))];
      if (channels !== null && !Number.isNaN(channels) && channels !== 3)
        throw new LayerError('incompatible-shape', `Input images must have 3 channels, but received images with ${channels} channels.`);
      return input.slice();
    },
    tfjs: noTfjs('RandomColorDegeneration'),
  },
);

/**
 * tf.keras 2's RandomHeight and RandomWidth (`factor`, `interpolation`, `seed`): channels-last images of rank 3 or
 * 4; the drawn side is None. Keras 3 has neither.
 */
function randomSide(type: 'RandomHeight' | 'RandomWidth'): Rule {
  return {
    type,
    signature: ['factor', 'interpolation', 'seed'],
    defaults: { interpolation: 'bilinear', seed: null },
    outputShape(ctx) {
      const input = requireInput(ctx);
      if (input.length !== 3 && input.length !== 4)
        // tf.keras 2 resizes with tf.image.resize, which refuses in these words.
        throw new LayerError('incompatible-rank', "'images' must have either 3 or 4 dimensions.");
      const out = input.slice();
      out[input.length - (type === 'RandomHeight' ? 3 : 2)] = null;
      return out;
    },
    receptiveField: () => null,
    // tfjs' RandomHeight/RandomWidth report a shape without the batch axis, with -1 for the drawn side.
    tfjs: { unsupported: `tfjs’ ${type} reports a wrong output shape (no batch axis), so a model cannot be built after it.` },
  };
}

export const augmentationRules: Rule[] = [
  ...KEEPING.map(([type, signature, defaults]) => shapeKeeping(type, signature, defaults, { tfjs: noTfjs(type) })),
  colorDegeneration,
  randomSide('RandomHeight'),
  randomSide('RandomWidth'),
];
