/** Preprocessing layers: Rescaling, Resizing, CenterCrop, Normalization and the Random* augmentations. */
import { LayerError, noTfjs, requireInput, shapeRepr, type LayerContext, type Rule } from './rule';
import { shapeKeeping } from './core';

/** (batch, height, width, channels) with new height and width; the input must be an image batch. */
function resized(ctx: LayerContext) {
  const input = requireInput(ctx);
  if (input.length !== 4 && input.length !== 3)
    throw new LayerError('incompatible-rank', `Expected an image tensor of rank 3 or 4 (batched). Received: inputs.shape=${shapeRepr(input)}`);
  const out = input.slice();
  out[input.length - 3] = ctx.args.int('height');
  out[input.length - 2] = ctx.args.int('width');
  return out;
}

const normalization: Rule = {
  type: 'Normalization',
  signature: ['axis', 'mean', 'variance', 'invert'],
  defaults: { axis: -1, mean: null, variance: null, invert: false },
  outputShape: (ctx) => requireInput(ctx).slice(),
  params(ctx) {
    const mean = ctx.args.value('mean');
    if (mean !== null && mean !== undefined && !(typeof mean === 'object' && !Array.isArray(mean) && mean.kind === 'none')) return [];
    const input = ctx.input;
    const axis = ctx.args.plain('axis');
    const axes = axis === null ? [] : (Array.isArray(axis) ? axis : [axis]).map((a) => (input ? (Number(a) < 0 ? input.length + Number(a) : Number(a)) : NaN));
    const shape = axes.map((i) => (input ? (input[i] ?? NaN) : NaN));
    // Keras adds mean, variance and a scalar `count` (kept for old saved models), none of them trainable.
    return [
      { label: 'mean', factors: shape, trainable: false },
      { label: 'variance', factors: shape, trainable: false },
      { label: 'count', factors: [1], trainable: false },
    ];
  },
  macs: (_ctx, output) => output.slice(1).reduce<number>((p, d) => p * (d ?? NaN), 1),
  receptiveField: () => 'keep',
  tfjs: noTfjs('Normalization'),
};

const keepImage = { receptiveField: () => 'keep' as const };

export const preprocessingRules: Rule[] = [
  shapeKeeping(
    'Rescaling',
    ['scale', 'offset'],
    { offset: 0 },
    {
      tfjs(r) {
        const scale = r.get('scale');
        const offset = r.get('offset');
        if (typeof scale !== 'number') return r.refuseValue('scale', scale);
        if (typeof offset !== 'number') return r.refuseValue('offset', offset);
        return { className: 'Rescaling', config: { scale, offset } };
      },
    },
  ),
  {
    type: 'Resizing',
    signature: ['height', 'width', 'interpolation', 'crop_to_aspect_ratio'],
    defaults: { interpolation: 'bilinear', crop_to_aspect_ratio: false },
    outputShape: resized,
    receptiveField: () => null,
    tfjs(r) {
      if (!r.options.allowWrongSymbolicShape)
        r.refuse('tfjs’ Resizing reports a wrong output shape ([height, width, channels], no batch axis) and fails inside a model.');
      const interpolation = r.str('interpolation') ?? 'bilinear';
      if (interpolation !== 'nearest' && interpolation !== 'bilinear') r.refuse(`tfjs’ Resizing has no interpolation="${interpolation}".`);
      return {
        className: 'Resizing',
        config: { height: r.int('height'), width: r.int('width'), interpolation, cropToAspectRatio: r.bool('crop_to_aspect_ratio') },
      };
    },
  },
  {
    type: 'CenterCrop',
    signature: ['height', 'width'],
    defaults: {},
    outputShape: resized,
    receptiveField: () => null,
    tfjs(r) {
      if (!r.options.allowWrongSymbolicShape) r.refuse('tfjs’ CenterCrop writes its output shape over its input’s, which breaks the model’s input shape.');
      return { className: 'CenterCrop', config: { height: r.int('height'), width: r.int('width') } };
    },
  },
  {
    type: 'RandomCrop',
    signature: ['height', 'width', 'seed'],
    defaults: { seed: null },
    outputShape: resized,
    receptiveField: () => null,
    tfjs: noTfjs('RandomCrop'),
  },
  normalization,
  shapeKeeping('RandomFlip', ['mode', 'seed'], { mode: 'horizontal_and_vertical', seed: null }, { ...keepImage, tfjs: noTfjs('RandomFlip') }),
  shapeKeeping(
    'RandomRotation',
    ['factor', 'fill_mode', 'interpolation', 'seed'],
    { fill_mode: 'reflect', interpolation: 'bilinear', seed: null },
    { ...keepImage, tfjs: noTfjs('RandomRotation') },
  ),
  shapeKeeping(
    'RandomZoom',
    ['height_factor', 'width_factor', 'fill_mode', 'interpolation', 'seed'],
    { width_factor: null, fill_mode: 'reflect', interpolation: 'bilinear', seed: null },
    { ...keepImage, tfjs: noTfjs('RandomZoom') },
  ),
  shapeKeeping(
    'RandomTranslation',
    ['height_factor', 'width_factor', 'fill_mode', 'interpolation', 'seed'],
    { fill_mode: 'reflect', interpolation: 'bilinear', seed: null },
    { ...keepImage, tfjs: noTfjs('RandomTranslation') },
  ),
  shapeKeeping('RandomContrast', ['factor', 'seed'], { seed: null }, { ...keepImage, tfjs: noTfjs('RandomContrast') }),
  shapeKeeping(
    'RandomBrightness',
    ['factor', 'value_range', 'seed'],
    { value_range: [0, 255], seed: null },
    { ...keepImage, tfjs: noTfjs('RandomBrightness') },
  ),
];
