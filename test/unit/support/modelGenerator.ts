/**
 * A seeded generator of random, valid Keras `Sequential` models written as Python source, for the
 * differential test against tfjs (randomModels.test.ts). Each seed gives one model:
 *
 * - a family: image (Conv2D/pooling blocks while the spatial size allows, then Flatten or global pooling
 *   and Dense), sequence (Embedding or features, Conv1D/RNN/Bidirectional, then a last RNN or pooling and
 *   Dense), MLP (Dense, normalisation, reshaping), volume (Conv3D) or video (TimeDistributed then an RNN);
 * - layers whose arguments fit the current shape, which the generator tracks (only so that it writes
 *   models Keras accepts; the expected numbers come from tfjs, not from here);
 * - sometimes None dimensions (sequences of any length, fully convolutional images), channels_first,
 *   frozen layers (`trainable=False`), GRU with Keras' default reset_after=True;
 * - a source style: how Keras is imported (`keras.layers`, `tf.keras.layers`, `import ... as kl`, bare
 *   names, `import *`, Keras 3's `import keras`), list or `model.add` style, top level or inside
 *   `def build_model()`, the input given by `input_shape=` (with `batch_size=`), `batch_input_shape=`,
 *   `input_dim=`, Embedding's `input_length=`, `keras.Input(shape=...)` or `Input(batch_shape=...)`,
 *   `InputLayer(...)`, `model.build(...)` or a `# layerlens: input_shape=(...)` comment; positional or
 *   keyword arguments, tuples, lists or ints, layer aliases (MaxPool2D), module constants (`IMG_SIZE = 28`)
 *   in shapes and units.
 *
 * Not generated: a function parameter whose default is a bare name (`def build_model(n=N)`), because the
 * interpreter takes such a default name for a parameter of its own; nor a float with a trailing dot (`1./255`),
 * which reads as a syntax error. Both are reported, with reproductions, in randomModels.test.ts.
 */
import { int, pick, rng } from './random';

type Rng = () => number;

/** A Python value as the generator writes it. */
type Py = number | string | boolean | null | { float: number } | { expr: string } | { tuple: Py[] } | { list: Py[] } | Layer;

interface Arg {
  name: string;
  value: Py;
}

interface Layer {
  type: string;
  /** Arguments in Keras' signature order; the leading ones listed in POSITIONAL may be written positionally. */
  args: Arg[];
}

export interface GeneratedModel {
  seed: number;
  family: string;
  /** How the source is written, for the failure message. */
  style: string;
  source: string;
  /** The input shape the source gives, batch dimension first. */
  inputShape: (number | null)[];
  layerCount: number;
}

/** Keras' leading positional parameters per layer (Keras 3 signatures). */
const POSITIONAL: Record<string, string[]> = {
  Dense: ['units', 'activation'],
  Conv1D: ['filters', 'kernel_size', 'strides', 'padding'],
  Conv2D: ['filters', 'kernel_size', 'strides', 'padding'],
  Conv3D: ['filters', 'kernel_size', 'strides', 'padding'],
  SeparableConv1D: ['filters', 'kernel_size', 'strides', 'padding'],
  SeparableConv2D: ['filters', 'kernel_size', 'strides', 'padding'],
  DepthwiseConv2D: ['kernel_size', 'strides', 'padding', 'depth_multiplier'],
  Conv1DTranspose: ['filters', 'kernel_size', 'strides', 'padding'],
  Conv2DTranspose: ['filters', 'kernel_size', 'strides', 'padding'],
  Conv3DTranspose: ['filters', 'kernel_size', 'strides', 'padding'],
  Pooling: ['pool_size', 'strides', 'padding'],
  Dropout: ['rate'],
  SpatialDropout1D: ['rate'],
  SpatialDropout2D: ['rate'],
  SpatialDropout3D: ['rate'],
  GaussianNoise: ['stddev'],
  GaussianDropout: ['rate'],
  Embedding: ['input_dim', 'output_dim'],
  SimpleRNN: ['units', 'activation'],
  LSTM: ['units', 'activation'],
  GRU: ['units', 'activation'],
  Bidirectional: ['layer', 'merge_mode'],
  TimeDistributed: ['layer'],
  Reshape: ['target_shape'],
  Permute: ['dims'],
  RepeatVector: ['n'],
  Padding: ['padding'],
  Cropping: ['cropping'],
  UpSampling: ['size'],
  Activation: ['activation'],
  BatchNormalization: ['axis'],
  LayerNormalization: ['axis'],
  Rescaling: ['scale', 'offset'],
  Resizing: ['height', 'width'],
  CenterCrop: ['height', 'width'],
  LeakyReLU: ['negative_slope'],
  Masking: ['mask_value'],
};

function positionalNames(type: string): string[] {
  if (POSITIONAL[type]) return POSITIONAL[type];
  if (/Pool(ing)?[123]D$/.test(type) && !type.startsWith('Global')) return POSITIONAL.Pooling;
  if (type.startsWith('ZeroPadding')) return POSITIONAL.Padding;
  if (type.startsWith('Cropping')) return POSITIONAL.Cropping;
  if (type.startsWith('UpSampling')) return POSITIONAL.UpSampling;
  return [];
}

const ACTIVATIONS = ['relu', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'gelu', 'swish', 'softplus', 'linear', 'relu6', 'softsign'];
const ALIASES: Record<string, string[]> = {
  MaxPooling1D: ['MaxPool1D'],
  MaxPooling2D: ['MaxPool2D'],
  MaxPooling3D: ['MaxPool3D'],
  AveragePooling1D: ['AvgPool1D'],
  AveragePooling2D: ['AvgPool2D'],
  AveragePooling3D: ['AvgPool3D'],
  GlobalMaxPooling1D: ['GlobalMaxPool1D'],
  GlobalMaxPooling2D: ['GlobalMaxPool2D'],
  GlobalAveragePooling1D: ['GlobalAvgPool1D'],
  GlobalAveragePooling2D: ['GlobalAvgPool2D'],
  GlobalAveragePooling3D: ['GlobalAvgPool3D'],
  Conv2D: ['Convolution2D'],
};

/** Writes one generated model; `shape` is the current output shape without the batch dimension. */
class Builder {
  readonly layers: Layer[] = [];
  shape: number[];
  /**
   * Some input dims are None: the generator tracks a placeholder length for them (so arguments fit) and
   * avoids what Keras refuses on unknown dims (Flatten then Dense, Reshape, weights over a None axis).
   */
  variable = false;
  /** An Embedding(mask_zero=True) or Masking came first: its mask reaches the layers after it. */
  masked = false;

  constructor(
    readonly r: Rng,
    input: number[],
    readonly channelsFirst = false,
  ) {
    this.shape = input.slice();
  }

  chance(p: number): boolean {
    return this.r() < p;
  }

  add(type: string, args: (Arg | null | false)[], shape: number[]): void {
    this.layers.push({ type, args: args.filter((a): a is Arg => !!a) });
    this.shape = shape;
  }

  /** The spatial dims and channel count of the current shape (spatial rank = shape.length - 1). */
  get spatial(): number[] {
    return this.channelsFirst ? this.shape.slice(1) : this.shape.slice(0, -1);
  }

  get channels(): number {
    return this.channelsFirst ? this.shape[0] : this.shape[this.shape.length - 1];
  }

  withSpatial(spatial: number[], channels = this.channels): number[] {
    return this.channelsFirst ? [channels, ...spatial] : [...spatial, channels];
  }

  format(): Arg | null {
    return this.channelsFirst ? { name: 'data_format', value: 'channels_first' } : null;
  }

  /** An int or a tuple of `n` ints, written either way when they are all equal. */
  tupleArg(name: string, values: number[], allowScalar = true): Arg {
    const same = values.every((v) => v === values[0]);
    if (same && allowScalar && this.chance(0.6)) return { name, value: values[0] };
    return { name, value: this.chance(0.7) ? { tuple: values } : { list: values } };
  }

  activation(p = 0.5): Arg | null {
    return this.chance(p) ? { name: 'activation', value: pick(this.r, ACTIVATIONS) } : null;
  }
}

const outLen = (len: number, k: number, s: number, d: number, pad: string) =>
  pad === 'valid' ? Math.floor((len - d * (k - 1) - 1) / s) + 1 : Math.floor((len - 1) / s) + 1;

// ---------------------------------------------------------------------------------------------------------
// Spatial layers, for 1, 2 and 3 spatial dimensions.

/** `n` values from `choices`, all equal with probability `same`. */
function perAxis(b: Builder, n: number, choices: number[], same = 0.6): number[] {
  const xs = Array.from({ length: n }, () => pick(b.r, choices));
  if (b.chance(same)) xs.fill(xs[0]);
  return xs;
}

function conv(b: Builder, rank: number, kind: 'conv' | 'separable' | 'depthwise'): boolean {
  const r = b.r;
  const kernel = perAxis(b, rank, [1, 2, 3, 3, 5]);
  const strides = b.chance(0.65) ? new Array(rank).fill(1) : perAxis(b, rank, [1, 2, 2, 3]);
  // Keras refuses strides > 1 together with dilation_rate > 1.
  const dilation = strides.every((x) => x === 1) && b.chance(0.2) ? perAxis(b, rank, [1, 2, 3], 0.7) : new Array(rank).fill(1);
  const causal = rank === 1 && kind === 'conv' && b.chance(0.15);
  const padding = causal ? 'causal' : pick(r, ['valid', 'same']);
  const spatial = b.spatial.map((len, i) => outLen(len, kernel[i], strides[i], dilation[i], padding === 'causal' ? 'same' : padding));
  if (spatial.some((d) => d < 1)) return false;
  const type = kind === 'conv' ? `Conv${rank}D` : kind === 'separable' ? `SeparableConv${rank}D` : `DepthwiseConv${rank}D`;
  const dm = kind !== 'conv' && b.chance(0.4) ? pick(r, [2, 3]) : 1;
  const filters = kind === 'depthwise' ? b.channels * dm : pick(r, [4, 8, 16, 24, 32]);
  if (filters > 96) return false;
  const stridesArg = strides.every((x) => x === 1) && b.chance(0.6) ? null : b.tupleArg('strides', strides);
  const paddingArg = padding === 'valid' && b.chance(0.5) ? null : { name: 'padding', value: padding };
  const args: (Arg | null)[] =
    kind === 'depthwise'
      ? [b.tupleArg('kernel_size', kernel), stridesArg, paddingArg, dm > 1 ? { name: 'depth_multiplier', value: dm } : null]
      : [{ name: 'filters', value: filters }, b.tupleArg('kernel_size', kernel), stridesArg, paddingArg];
  args.push(b.format());
  if (dilation.some((d) => d > 1)) args.push(b.tupleArg('dilation_rate', dilation));
  if (kind === 'separable' && dm > 1) args.push({ name: 'depth_multiplier', value: dm });
  args.push(b.activation(0.5));
  if (b.chance(0.15)) args.push({ name: 'use_bias', value: false });
  b.add(type, args, b.withSpatial(spatial, filters));
  return true;
}

function convTranspose(b: Builder, rank: number): boolean {
  const r = b.r;
  const kernel = perAxis(b, rank, [1, 2, 3, 4]);
  const strides = perAxis(b, rank, [1, 2, 2, 3]);
  const padding = pick(r, ['valid', 'same']);
  // Keras wants each output_padding below its stride.
  const op = strides.some((x) => x > 1) && b.chance(0.3) ? strides.map((x) => int(r, 0, x - 1)) : null;
  const spatial = b.spatial.map((len, i) => {
    const [k, st] = [kernel[i], strides[i]];
    if (op === null) return padding === 'valid' ? len * st + Math.max(k - st, 0) : len * st;
    return (len - 1) * st + k - 2 * (padding === 'same' ? Math.floor(k / 2) : 0) + op[i];
  });
  if (spatial.some((d) => d > 48 || d < 1)) return false;
  const filters = pick(r, [2, 4, 8, 16]);
  b.add(
    `Conv${rank}DTranspose`,
    [
      { name: 'filters', value: filters },
      b.tupleArg('kernel_size', kernel),
      strides.some((x) => x > 1) || b.chance(0.3) ? b.tupleArg('strides', strides) : null,
      { name: 'padding', value: padding },
      op !== null ? b.tupleArg('output_padding', op) : null,
      b.format(),
      b.activation(0.4),
    ],
    b.withSpatial(spatial, filters),
  );
  return true;
}

function pool(b: Builder, rank: number): boolean {
  const r = b.r;
  const p = perAxis(b, rank, [1, 2, 2, 3], 0.7);
  const strides = b.chance(0.5) ? null : perAxis(b, rank, [1, 2, 3], 0.7);
  const padding = pick(r, ['valid', 'valid', 'same']);
  const spatial = b.spatial.map((len, i) => outLen(len, p[i], (strides ?? p)[i], 1, padding));
  if (spatial.some((d) => d < 1)) return false;
  const base = b.chance(0.5) ? `MaxPooling${rank}D` : `AveragePooling${rank}D`;
  const type = b.chance(0.3) ? ALIASES[base][0] : base;
  b.add(
    type,
    [
      // Only MaxPooling may leave pool_size out: Keras 3 requires it of AveragePooling (valid in Keras 2 only).
      p.every((x) => x === 2) && b.chance(0.4) && base.startsWith('Max') ? null : b.tupleArg('pool_size', p),
      strides === null ? null : b.tupleArg('strides', strides),
      padding === 'valid' && b.chance(0.6) ? null : { name: 'padding', value: padding },
      b.format(),
    ],
    b.withSpatial(spatial),
  );
  return true;
}

function padCropUp(b: Builder, rank: number): boolean {
  const r = b.r;
  const which = pick(r, ['ZeroPadding', 'Cropping', 'UpSampling']);
  const type = `${which}${rank}D`;
  const fmt = rank === 1 ? null : b.format();
  if (which === 'UpSampling') {
    const size = Array.from({ length: rank }, () => pick(r, [1, 2, 2, 3]));
    const spatial = b.spatial.map((len, i) => len * size[i]);
    if (spatial.some((d) => d > 48) || b.spatial.reduce((a, c) => a * c, 1) * size.reduce((a, c) => a * c, 1) > 4096) return false;
    b.add(type, [rank === 1 ? { name: 'size', value: size[0] } : b.tupleArg('size', size), fmt], b.withSpatial(spatial));
    return true;
  }
  const amounts = Array.from({ length: rank }, () => [int(r, 0, 2), int(r, 0, 2)] as [number, number]);
  const symmetric = b.chance(0.4);
  if (symmetric) for (const a of amounts) a[1] = a[0];
  const name = which === 'Cropping' ? 'cropping' : 'padding';
  let value: Py;
  if (rank === 1) value = symmetric && b.chance(0.5) ? amounts[0][0] : { tuple: amounts[0] };
  else if (symmetric && amounts.every((a) => a[0] === amounts[0][0]) && b.chance(0.5)) value = amounts[0][0];
  else if (symmetric) value = { tuple: amounts.map((a) => a[0]) };
  else value = { tuple: amounts.map((a) => ({ tuple: a })) };
  const spatial = b.spatial.map((len, i) => (which === 'Cropping' ? len - amounts[i][0] - amounts[i][1] : len + amounts[i][0] + amounts[i][1]));
  if (spatial.some((d) => d < 1 || d > 64)) return false;
  b.add(type, [{ name, value }, fmt], b.withSpatial(spatial));
  return true;
}

/** Layers that keep the shape and work on any rank (activations, normalisation, noise). */
function shapeKeeping(b: Builder, spatialRank: number): boolean {
  const r = b.r;
  const channelAxis = b.channelsFirst ? 1 : -1;
  // Not Softmax under a mask: Softmax adds a (batch, steps) mask to (batch, steps, features) logits, which
  // does not broadcast (tfjs fails running it).
  const choice = pick(r, [
    'bn',
    'bn',
    'ln',
    'act',
    'relu',
    'leaky',
    'prelu',
    'elu',
    'dropout',
    'dropout',
    'spatial',
    'noise',
    ...(b.masked ? [] : ['softmax']),
  ]);
  const same = b.shape.slice();
  switch (choice) {
    case 'bn':
      b.add(
        'BatchNormalization',
        [
          channelAxis === 1 ? { name: 'axis', value: 1 } : null,
          b.chance(0.2) ? { name: 'center', value: false } : null,
          b.chance(0.2) ? { name: 'momentum', value: { float: 0.9 } } : null,
        ],
        same,
      );
      return true;
    case 'ln':
      b.add(
        'LayerNormalization',
        [b.chance(0.3) && b.shape.length > 1 && !b.variable ? { name: 'axis', value: { list: b.shape.map((_, i) => i + 1).slice(-2) } } : null],
        same,
      );
      return true;
    case 'act':
      b.add('Activation', [{ name: 'activation', value: pick(r, ACTIVATIONS) }], same);
      return true;
    case 'relu':
      b.add('ReLU', [b.chance(0.3) ? { name: 'max_value', value: { float: 6 } } : null], same);
      return true;
    case 'leaky':
      b.add('LeakyReLU', [b.chance(0.5) ? { name: 'negative_slope', value: { float: 0.2 } } : null], same);
      return true;
    case 'prelu':
      b.add(
        'PReLU',
        [
          spatialRank > 0 && (b.variable || b.chance(0.6))
            ? { name: 'shared_axes', value: { list: b.spatial.map((_, i) => i + (b.channelsFirst ? 2 : 1)) } }
            : null,
        ],
        same,
      );
      return true;
    case 'elu':
      b.add('ELU', [], same);
      return true;
    case 'dropout':
      b.add('Dropout', [{ name: 'rate', value: { float: pick(r, [0.1, 0.25, 0.5]) } }], same);
      return true;
    case 'spatial':
      if (spatialRank < 1 || spatialRank > 3) return false;
      b.add(`SpatialDropout${spatialRank}D`, [{ name: 'rate', value: { float: 0.2 } }, spatialRank > 1 ? b.format() : null], same);
      return true;
    case 'noise':
      if (b.chance(0.5)) b.add('GaussianNoise', [{ name: 'stddev', value: { float: 0.1 } }], same);
      else b.add('GaussianDropout', [{ name: 'rate', value: { float: 0.1 } }], same);
      return true;
    case 'softmax':
      b.add('Softmax', [], same);
      return true;
  }
  return false;
}

function dense(b: Builder, units: number, activation?: string): void {
  b.add(
    'Dense',
    [
      { name: 'units', value: units },
      activation ? { name: 'activation', value: activation } : b.activation(0.6),
      b.chance(0.1) ? { name: 'use_bias', value: false } : null,
    ],
    [...b.shape.slice(0, -1), units],
  );
}

/** Flatten, or global pooling (sometimes with keepdims, then Flatten). */
function collapse(b: Builder, rank: number): void {
  const size = b.shape.reduce((a, c) => a * c, 1);
  if (size <= 6000 && !b.variable && b.chance(0.5)) {
    b.add('Flatten', [b.format()], [size]);
    return;
  }
  const base = b.chance(0.5) ? `GlobalAveragePooling${rank}D` : `GlobalMaxPooling${rank}D`;
  const type = ALIASES[base] && b.chance(0.3) ? ALIASES[base][0] : base;
  const keep = b.chance(0.2);
  b.add(type, [b.format(), keep ? { name: 'keepdims', value: true } : null], keep ? b.withSpatial(b.spatial.map(() => 1)) : [b.channels]);
  if (keep) b.add('Flatten', [b.format()], [b.channels]);
}

function head(b: Builder, classes: Py): void {
  for (let i = int(b.r, 0, 2); i > 0; i--) {
    dense(b, pick(b.r, [16, 32, 64]));
    if (b.chance(0.4)) b.add('Dropout', [{ name: 'rate', value: { float: 0.5 } }], b.shape);
  }
  const n = typeof classes === 'number' ? classes : 10;
  b.add(
    'Dense',
    [
      { name: 'units', value: classes },
      { name: 'activation', value: n === 1 ? 'sigmoid' : 'softmax' },
    ],
    [n],
  );
}

// ---------------------------------------------------------------------------------------------------------
// Families.

interface Plan {
  family: string;
  /** The input shape without the batch dimension (a placeholder length where the model's is None). */
  input: number[];
  builder: Builder;
  /** Input axes (0-based, batch excluded) written as None: variable-length models. */
  none?: number[];
}

function image(r: Rng, classes: Py): Plan {
  const size = pick(r, [16, 24, 28, 32, 40]);
  const h = r() < 0.5 ? size : int(r, 12, 40);
  const w = r() < 0.5 ? h : int(r, 12, 40);
  const c = pick(r, [1, 3, 3, 4]);
  const channelsFirst = r() < 0.15;
  const b = new Builder(r, channelsFirst ? [c, h, w] : [h, w, c], channelsFirst);
  // A fully convolutional model on images of any size: (None, None, channels).
  b.variable = !channelsFirst && r() < 0.12;
  if (!channelsFirst && !b.variable && b.chance(0.25)) {
    const pre = pick(r, ['rescale', 'resize', 'crop', 'flip']);
    // Not `1./255`: a float with a trailing dot reads as a syntax error (see randomModels.test.ts).
    if (pre === 'rescale')
      b.add(
        'Rescaling',
        [{ name: 'scale', value: { expr: pick(r, ['1.0 / 255', '1 / 255.0', '1 / 127.5']) } }, b.chance(0.4) ? { name: 'offset', value: { float: -1 } } : null],
        b.shape,
      );
    if (pre === 'resize') {
      const s = pick(r, [16, 20, 24]);
      b.add(
        'Resizing',
        [
          { name: 'height', value: s },
          { name: 'width', value: s },
        ],
        [s, s, c],
      );
    }
    if (pre === 'crop') {
      const ch = int(r, 8, h);
      const cw = int(r, 8, w);
      b.add(
        'CenterCrop',
        [
          { name: 'height', value: ch },
          { name: 'width', value: cw },
        ],
        [ch, cw, c],
      );
    }
    if (pre === 'flip') b.add('RandomFlip', [{ name: 'mode', value: 'horizontal' }], b.shape);
  }
  const n = int(r, 2, 9);
  for (let tries = 0; b.layers.length < n && tries < 40; tries++) {
    const what = pick(r, ['conv', 'conv', 'conv', 'sep', 'dw', 'pool', 'pool', 'keep', 'keep', 'pad', 'tconv', 'dense4', 'permute']);
    if (what === 'conv') conv(b, 2, 'conv');
    else if (what === 'sep') conv(b, 2, 'separable');
    else if (what === 'dw') conv(b, 2, 'depthwise');
    else if (what === 'pool') pool(b, 2);
    else if (what === 'keep') shapeKeeping(b, 2);
    else if (what === 'pad') padCropUp(b, 2);
    else if (what === 'tconv') convTranspose(b, 2);
    else if (what === 'dense4' && !channelsFirst && b.channels <= 32) dense(b, pick(r, [4, 8]));
    else if (what === 'permute' && !channelsFirst) b.add('Permute', [{ name: 'dims', value: { tuple: [2, 1, 3] } }], [b.shape[1], b.shape[0], b.shape[2]]);
  }
  const [sh, sw, sc] = b.shape;
  if (!channelsFirst && !b.variable && sh * sw <= 400 && b.chance(0.2)) {
    // The feature map read as a sequence of pixels.
    const target = pick(r, [
      [-1, sc],
      [sh * sw, sc],
      [sh, -1],
    ]);
    const known = target.filter((d) => d !== -1).reduce((x, y) => x * y, 1);
    b.add(
      'Reshape',
      [{ name: 'target_shape', value: { tuple: target } }],
      target.map((d) => (d === -1 ? (sh * sw * sc) / known : d)),
    );
    for (let i = int(r, 0, 2); i > 0; i--) b.chance(0.5) ? conv(b, 1, 'conv') : addRecurrent(b, true);
    sequenceEnd(b);
  } else collapse(b, 2);
  head(b, classes);
  if (b.variable) return { family: 'image (any size)', input: [h, w, c], builder: b, none: [0, 1] };
  return { family: channelsFirst ? 'image (channels_first)' : 'image', input: channelsFirst ? [c, h, w] : [h, w, c], builder: b };
}

function recurrentLayer(b: Builder, returnSequences: boolean): Layer {
  const r = b.r;
  const type = pick(r, ['SimpleRNN', 'LSTM', 'GRU']);
  const units = pick(r, [4, 8, 12, 16]);
  const args: (Arg | null)[] = [{ name: 'units', value: units }, b.chance(0.15) ? { name: 'activation', value: 'relu' } : null];
  if (type === 'GRU' && b.chance(0.75)) args.push({ name: 'reset_after', value: false });
  if (returnSequences) args.push({ name: 'return_sequences', value: true });
  if (b.chance(0.1)) args.push({ name: 'go_backwards', value: true });
  if (b.chance(0.1)) args.push({ name: 'dropout', value: { float: 0.1 } });
  return { type, args: args.filter((a): a is Arg => !!a) };
}

function addRecurrent(b: Builder, returnSequences: boolean): void {
  const steps = b.shape[0];
  const inner = recurrentLayer(b, returnSequences);
  const units = inner.args[0].value as number;
  if (b.chance(0.35)) {
    const mode = pick(b.r, [null, 'concat', 'sum', 'mul', 'ave']);
    const out = mode === null || mode === 'concat' ? units * 2 : units;
    b.add('Bidirectional', [{ name: 'layer', value: inner }, mode ? { name: 'merge_mode', value: mode } : null], returnSequences ? [steps, out] : [out]);
  } else b.add(inner.type, inner.args, returnSequences ? [steps, units] : [units]);
}

/** From (steps, features) to a vector: a last RNN, global pooling or Flatten. */
function sequenceEnd(b: Builder): void {
  const end = pick(b.r, b.variable ? ['rnn', 'pool'] : ['rnn', 'rnn', 'pool', 'flatten']);
  if (end === 'rnn') addRecurrent(b, false);
  else if (end === 'pool') b.add(b.chance(0.5) ? 'GlobalMaxPooling1D' : 'GlobalAveragePooling1D', [], [b.shape[1]]);
  else b.add('Flatten', [], [b.shape[0] * b.shape[1]]);
}

/** A layer made for one step, wrapped in TimeDistributed. */
function timeDistributed(b: Builder, make: (step: Builder) => unknown): void {
  const step = new Builder(b.r, b.shape.slice(1));
  step.masked = b.masked;
  make(step);
  if (step.layers.length !== 1) return;
  b.add('TimeDistributed', [{ name: 'layer', value: step.layers[0] }], [b.shape[0], ...step.shape]);
}

function sequence(r: Rng, classes: Py): Plan {
  const tokens = r() < 0.6;
  const steps = int(r, 8, 30);
  const features = int(r, 2, 12);
  // Tokens in groups: (steps, group) integers, embedded to (steps, group, dim).
  const group = tokens && r() < 0.15 ? int(r, 2, 4) : 0;
  const input = tokens ? (group ? [steps, group] : [steps]) : [steps, features];
  const b = new Builder(r, input);
  // Sequences of any length: (None,) tokens or (None, features).
  b.variable = !group && r() < 0.25;
  if (tokens) {
    const dim = pick(r, [8, 16, 32]);
    // No mask over grouped tokens: a (steps, group) mask reaching an RNN is an error (tfjs fails running it).
    const mask = !group && b.chance(0.2) ? { name: 'mask_zero', value: true } : null;
    b.masked = mask !== null;
    b.add('Embedding', [{ name: 'input_dim', value: pick(r, [100, 1000, 5000]) }, { name: 'output_dim', value: dim }, mask], [...input, dim]);
    if (group) {
      if (b.chance(0.5)) b.add('Reshape', [{ name: 'target_shape', value: { tuple: [steps, -1] } }], [steps, group * dim]);
      else timeDistributed(b, (step) => step.add('Flatten', [], [group * dim]));
    }
  } else if (b.chance(0.2)) {
    b.add('Masking', [b.chance(0.5) ? { name: 'mask_value', value: { float: 0 } } : null], b.shape);
    b.masked = true;
  }
  const n = int(r, 1, 6);
  for (let tries = 0; b.layers.length < n + 1 && tries < 40; tries++) {
    const what = pick(r, ['conv', 'conv', 'sep', 'pool', 'rnn', 'rnn', 'keep', 'pad', 'td', 'dense', 'sdrop', 'tconv']);
    if (what === 'conv') conv(b, 1, 'conv');
    else if (what === 'sep') conv(b, 1, 'separable');
    else if (what === 'pool') pool(b, 1);
    else if (what === 'rnn') addRecurrent(b, true);
    else if (what === 'keep') shapeKeeping(b, 1);
    else if (what === 'pad') padCropUp(b, 1);
    else if (what === 'tconv') convTranspose(b, 1);
    else if (what === 'sdrop') b.add('SpatialDropout1D', [{ name: 'rate', value: { float: 0.2 } }], b.shape);
    else if (what === 'dense') dense(b, pick(r, [8, 16]));
    else if (what === 'td')
      timeDistributed(b, (step) => {
        const inner = pick(r, ['dense', 'dense', 'keep']);
        if (inner === 'dense') dense(step, pick(r, [4, 8, 16]));
        else shapeKeeping(step, 0);
      });
  }
  sequenceEnd(b);
  head(b, classes);
  return { family: `sequence (${tokens ? 'tokens' : 'features'}${b.variable ? ', any length' : ''})`, input, builder: b, none: b.variable ? [0] : undefined };
}

function mlp(r: Rng, classes: Py): Plan {
  const n = pick(r, [8, 16, 20, 64, 784]);
  const b = new Builder(r, [n]);
  const count = int(r, 1, 6);
  for (let tries = 0; b.layers.length < count && tries < 30; tries++) {
    const what = pick(r, ['dense', 'dense', 'keep', 'reshape', 'repeat']);
    if (what === 'dense') dense(b, pick(r, [8, 16, 32, 64, 128]));
    else if (what === 'keep') shapeKeeping(b, 0);
    else if (what === 'reshape' && b.shape.length === 1 && b.shape[0] % 4 === 0) {
      const a = b.shape[0] / 4;
      const minus = b.chance(0.5);
      b.add('Reshape', [{ name: 'target_shape', value: { tuple: minus ? [-1, 4] : [a, 4] } }], [a, 4]);
      if (b.chance(0.5)) b.add('Permute', [{ name: 'dims', value: { tuple: [2, 1] } }], [4, a]);
      if (b.chance(0.5)) dense(b, pick(r, [3, 8]));
      if (b.chance(0.5)) addRecurrent(b, false);
      else b.add('Flatten', [], [b.shape.reduce((x, y) => x * y, 1)]);
    } else if (what === 'repeat' && b.shape.length === 1 && b.shape[0] <= 64) {
      const times = int(r, 2, 6);
      b.add('RepeatVector', [{ name: 'n', value: times }], [times, b.shape[0]]);
      addRecurrent(b, false);
    }
  }
  head(b, classes);
  return { family: 'mlp', input: [n], builder: b };
}

function volume(r: Rng, classes: Py): Plan {
  const channelsFirst = r() < 0.2;
  const dims = [int(r, 4, 12), int(r, 4, 12), int(r, 4, 12)];
  const c = pick(r, [1, 2, 3]);
  const input = channelsFirst ? [c, ...dims] : [...dims, c];
  const b = new Builder(r, input, channelsFirst);
  const n = int(r, 1, 5);
  for (let tries = 0; b.layers.length < n && tries < 30; tries++) {
    const what = pick(r, ['conv', 'conv', 'pool', 'pad', 'keep', 'tconv']);
    if (what === 'conv') conv(b, 3, 'conv');
    else if (what === 'pool') pool(b, 3);
    else if (what === 'pad') padCropUp(b, 3);
    else if (what === 'keep') shapeKeeping(b, 3);
    else if (what === 'tconv') convTranspose(b, 3);
  }
  collapse(b, 3);
  head(b, classes);
  return { family: channelsFirst ? 'volume (channels_first)' : 'volume', input, builder: b };
}

function video(r: Rng, classes: Py): Plan {
  const t = int(r, 3, 8);
  const h = int(r, 8, 20);
  const c = pick(r, [1, 3]);
  const b = new Builder(r, [t, h, h, c]);
  const n = int(r, 1, 4);
  for (let tries = 0; b.layers.length < n && tries < 20; tries++) {
    const what = pick(r, ['conv', 'conv', 'pool', 'keep', 'pad']);
    timeDistributed(b, (step) =>
      what === 'conv' ? conv(step, 2, 'conv') : what === 'pool' ? pool(step, 2) : what === 'pad' ? padCropUp(step, 2) : shapeKeeping(step, 2),
    );
  }
  if (b.chance(0.3)) timeDistributed(b, (step) => step.add(pick(r, ['GlobalAveragePooling2D', 'GlobalMaxPooling2D']), [], [step.channels]));
  else timeDistributed(b, (step) => step.add('Flatten', [], [step.shape.reduce((a, x) => a * x, 1)]));
  if (b.chance(0.5)) timeDistributed(b, (step) => dense(step, 16));
  addRecurrent(b, false);
  head(b, classes);
  return { family: 'video', input: [t, h, h, c], builder: b };
}

// ---------------------------------------------------------------------------------------------------------
// Writing Python.

type ImportStyle = 'tf.keras' | 'keras.layers' | 'aliased module' | 'bare names' | 'import *' | 'keras 3';
type InputStyle = 'input_shape' | 'batch_input_shape' | 'input_dim' | 'input_length' | 'Input' | 'Input(batch_shape)' | 'InputLayer' | 'build' | 'comment';

interface Writer {
  r: Rng;
  imports: ImportStyle;
  quote: string;
  used: Set<string>;
}

function pyValue(w: Writer, v: Py): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return `${w.quote}${v}${w.quote}`;
  if ('float' in v) return Number.isInteger(v.float) ? `${v.float}.0` : String(v.float);
  if ('expr' in v) return v.expr;
  if ('tuple' in v) return v.tuple.length === 1 ? `(${pyValue(w, v.tuple[0])},)` : `(${v.tuple.map((x) => pyValue(w, x)).join(', ')})`;
  if ('list' in v) return `[${v.list.map((x) => pyValue(w, x)).join(', ')}]`;
  return layerCall(w, v);
}

/** Where layer classes are reached from, per import style. */
function layerPrefix(w: Writer): string {
  switch (w.imports) {
    case 'tf.keras':
      return 'tf.keras.layers.';
    case 'keras.layers':
    case 'keras 3':
      return 'layers.';
    case 'aliased module':
      return 'kl.';
    default:
      return '';
  }
}

function className(w: Writer, type: string): string {
  const alias = ALIASES[type] && w.r() < 0.25 ? pick(w.r, ALIASES[type]) : type;
  w.used.add(alias);
  return `${layerPrefix(w)}${alias}`;
}

function layerCall(w: Writer, layer: Layer, extra: string[] = []): string {
  const leading = positionalNames(layer.type);
  let positional = 0;
  while (positional < layer.args.length && leading[positional] === layer.args[positional].name) positional++;
  const k = Math.floor(w.r() * (positional + 1));
  const parts = layer.args.map((a, i) => (i < k ? pyValue(w, a.value) : `${a.name}=${pyValue(w, a.value)}`));
  // Now and then a frozen layer (or a frozen wrapped layer).
  const frozen = w.r() < 0.04 ? ['trainable=False'] : [];
  const cls = className(w, layer.type);
  // `Convolution2D(f, a, b)` with three positional arguments is Keras 1's kernel (a, b), as Keras 2 reads it.
  if (/Convolution\dD$/.test(cls) && k === 3) parts[2] = `${layer.args[2].name}=${parts[2]}`;
  return `${cls}(${[...parts, ...extra, ...frozen].join(', ')})`;
}

/** `keras.Input(shape=...)` and its spellings; `batch` writes `batch_shape=` instead. */
function inputCall(w: Writer, shape: string, batch: string | null): string {
  w.used.add('Input');
  const arg = batch ? `batch_shape=${batch}` : w.r() < 0.3 ? shape : `shape=${shape}`;
  switch (w.imports) {
    case 'tf.keras':
      return w.r() < 0.5 ? `tf.keras.Input(${arg})` : `tf.keras.layers.Input(${arg})`;
    case 'keras.layers':
    case 'keras 3':
      return w.r() < 0.5 ? `keras.Input(${arg})` : `layers.Input(${arg})`;
    case 'aliased module':
      return `kl.Input(${arg})`;
    default:
      return `Input(${arg})`;
  }
}

function sequentialName(w: Writer): string {
  switch (w.imports) {
    case 'tf.keras':
      return pick(w.r, ['tf.keras.Sequential', 'tf.keras.models.Sequential']);
    case 'keras.layers':
      return pick(w.r, ['keras.Sequential', 'keras.models.Sequential', 'models.Sequential']);
    case 'keras 3':
      return 'keras.Sequential';
    default:
      return 'Sequential';
  }
}

function header(w: Writer, seqName: string): string[] {
  const lines: string[] = [];
  switch (w.imports) {
    case 'tf.keras':
      lines.push('import tensorflow as tf');
      break;
    case 'keras.layers':
      lines.push(
        'import tensorflow as tf',
        'from tensorflow import keras',
        seqName.startsWith('models.') ? 'from tensorflow.keras import layers, models' : 'from tensorflow.keras import layers',
      );
      break;
    case 'keras 3':
      lines.push('import keras', 'from keras import layers');
      break;
    case 'aliased module':
      lines.push('import tensorflow.keras.layers as kl', 'from tensorflow.keras.models import Sequential');
      break;
    case 'bare names': {
      const names = [...w.used].filter((n) => n !== 'Input').sort();
      lines.push('import numpy as np', `from tensorflow.keras.models import Sequential`);
      if (w.used.has('Input')) names.push('Input');
      // A long import wrapped in brackets, as formatters write it.
      if (names.length > 4) lines.push(`from tensorflow.keras.layers import (\n    ${names.join(',\n    ')},\n)`);
      else lines.push(`from tensorflow.keras.layers import ${names.join(', ')}`);
      break;
    }
    case 'import *':
      lines.push('from tensorflow.keras.models import Sequential', 'from tensorflow.keras.layers import *');
      break;
  }
  return lines;
}

/** One generated model, its source and what it should read as. */
export function generateModel(seed: number): GeneratedModel {
  const r = rng(seed * 7919 + 17);
  const imports = pick(r, ['tf.keras', 'keras.layers', 'aliased module', 'bare names', 'import *', 'keras 3'] as ImportStyle[]);
  const w: Writer = { r, imports, quote: r() < 0.5 ? "'" : '"', used: new Set() };
  const listStyle = r() < 0.5;
  const inFunction = r() < 0.3;
  const numClasses = pick(r, [1, 2, 5, 10]);
  const classesParam = inFunction && r() < 0.5;
  const constantsWanted = r() < 0.4;
  const classes: Py = classesParam ? { expr: 'num_classes' } : constantsWanted ? { expr: 'NUM_CLASSES' } : numClasses;

  const family = pick(r, ['image', 'image', 'image', 'sequence', 'sequence', 'mlp', 'volume', 'video']);
  const plan =
    family === 'image'
      ? image(r, classes)
      : family === 'sequence'
        ? sequence(r, classes)
        : family === 'mlp'
          ? mlp(r, classes)
          : family === 'volume'
            ? volume(r, classes)
            : video(r, classes);
  const layers = plan.builder.layers;

  const styles: InputStyle[] = ['input_shape', 'input_shape', 'batch_input_shape', 'Input', 'Input', 'Input(batch_shape)', 'InputLayer', 'build', 'comment'];
  // Embedding's own `input_dim` is the vocabulary size: Keras 2 gave its input length as `input_length`.
  if (plan.input.length === 1 && !plan.none && layers[0].type !== 'Embedding') styles.push('input_dim');
  if (plan.input.length === 1 && !plan.none && layers[0].type === 'Embedding') styles.push('input_length');
  const inputStyle = pick(r, styles);
  const useConstants = constantsWanted && !['comment', 'input_dim', 'input_length'].includes(inputStyle);
  const batchSize = ['input_shape', 'batch_input_shape', 'Input(batch_shape)'].includes(inputStyle) && r() < 0.2 ? pick(r, [4, 8, 32]) : null;

  // Module constants for the input dims (`IMG_SIZE = 28`), written in the shape.
  const constLines: string[] = [];
  const dimNames = ['IMG_SIZE', 'WIDTH', 'CHANNELS', 'STEPS', 'FEATURES', 'DEPTH'];
  const none = new Set(plan.none ?? []);
  const written = plan.input.map((d, i) => (none.has(i) ? null : d));
  const shapeItems: string[] = plan.input.map((d, i) => {
    if (none.has(i)) return 'None';
    if (!useConstants || r() < 0.3) return String(d);
    const name = dimNames[i];
    constLines.push(`${name} = ${d}`);
    return name;
  });
  if (constantsWanted && !classesParam) constLines.push(`NUM_CLASSES = ${numClasses}`);
  const tuple = (items: string[]) => (items.length === 1 ? `(${items[0]},)` : r() < 0.85 ? `(${items.join(', ')})` : `[${items.join(', ')}]`);
  const shapeText = tuple(shapeItems);
  const batchText = tuple([batchSize === null ? 'None' : String(batchSize), ...shapeItems]);
  const seqName = sequentialName(w);

  const calls = layers.map((l, i) => {
    const extra: string[] = [];
    if (i === 0) {
      if (inputStyle === 'input_shape') extra.push(`input_shape=${shapeText}`, ...(batchSize ? [`batch_size=${batchSize}`] : []));
      if (inputStyle === 'batch_input_shape') extra.push(`batch_input_shape=${batchText}`);
      if (inputStyle === 'input_dim') extra.push(`input_dim=${shapeItems[0]}`);
      if (inputStyle === 'input_length') extra.push(`input_length=${shapeItems[0]}`);
    }
    return layerCall(w, l, extra);
  });
  let input: string | null = null;
  if (inputStyle === 'Input') input = inputCall(w, shapeText, null);
  if (inputStyle === 'Input(batch_shape)') input = inputCall(w, shapeText, batchText);
  if (inputStyle === 'InputLayer') input = `${className(w, 'InputLayer')}(input_shape=${shapeText})`;

  const ind = inFunction ? '    ' : '';
  const body: string[] = [];
  if (inputStyle === 'comment')
    body.push(`${ind}# layerlens: input_shape=(${written.map((d) => d ?? 'None').join(', ')}${plan.input.length === 1 ? ',' : ''})`);
  if (listStyle) {
    body.push(`${ind}model = ${seqName}([`);
    if (input) body.push(`${ind}    ${input},`);
    for (const c of calls) body.push(`${ind}    ${c},`);
    body.push(`${ind}]${r() < 0.3 ? `, name=${w.quote}generated${w.quote}` : ''})`);
  } else {
    body.push(`${ind}model = ${seqName}()`);
    if (input) body.push(`${ind}model.add(${input})`);
    for (const c of calls) body.push(`${ind}model.add(${c})`);
  }
  if (inputStyle === 'build') body.push(`${ind}model.build(${tuple(['None', ...shapeItems])})`);

  const lines = [...header(w, seqName), ''];
  if (constLines.length) lines.push(...constLines, '');
  if (inFunction) {
    lines.push(
      `def build_model(${classesParam ? `num_classes=${numClasses}` : ''}):`,
      `    """A generated model."""`,
      ...body,
      '    return model',
      '',
      '',
      'model = build_model()',
    );
  } else lines.push(...body);
  if (r() < 0.4) lines.push(`model.compile(optimizer=${w.quote}adam${w.quote}, loss=${w.quote}sparse_categorical_crossentropy${w.quote})`);
  if (r() < 0.3) lines.push('model.summary()');

  // Drawn last, so that every earlier draw (and so every model of a seed) stays what it was: a quarter of the models
  // put each keyword argument on a line of its own at column 0, as tutorial code pasted from a notebook often does.
  const flushLeft = r() < 0.25;
  let source = `${lines.join('\n')}\n`;
  if (flushLeft) source = source.replace(/, ([A-Za-z_]\w*=)(?!=)/g, ',\n$1');

  const style = [
    imports,
    listStyle ? 'list' : 'model.add',
    inFunction ? 'in build_model()' : 'top level',
    `input via ${inputStyle}`,
    useConstants ? 'constants' : 'literals',
    ...(flushLeft ? ['keyword arguments at column 0'] : []),
  ].join(', ');
  return { seed, family: plan.family, style, source, inputShape: [batchSize, ...written], layerCount: layers.length };
}
