/**
 * Converts analysed layers into tfjs-layers serialisations (`{ className, config }` with tfjs' camelCase
 * keys and values, as `tf.serialization` / `Sequential.fromConfig` read them), so that a model read from
 * Python can be rebuilt with `tf.sequential`. Pure: no tfjs import, no DOM, no vscode.
 *
 * A layer converts only where tfjs computes the same thing as Keras, in a model. Where tfjs has no such
 * layer or option (GRU with Keras' default `reset_after=True`, grouped convolutions, Conv1DTranspose, 1D/3D
 * padding…), or has it but builds or runs it wrong in tfjs-layers 4.22 (Resizing, CenterCrop, causal or
 * channels_first Conv1D, Cropping2D of a None dimension, normalisation on rank > 4…), the result is
 * `{ unsupported }` with the reason in plain words. Where tfjs' defaults differ from Keras' (recurrent
 * activation, LSTM's unit_forget_bias), Keras' are written out. Keras' defaults come from the layer
 * catalogue, because an analysed layer's `config` holds only its signature's arguments and the ones the
 * source wrote. test/unit/oracle.test.ts and randomModels.test.ts check the conversions against tfjs.
 */
import { ruleFor } from '../layers/catalogue';
import type { ModelResult, Shape } from '../types';

/** One tfjs layer, as `tf.serialization` deserialises it. */
export interface TfjsLayerConfig {
  className: string;
  config: Record<string, unknown>;
}

export interface TfjsUnsupported {
  unsupported: string;
}

export type TfjsConversion = TfjsLayerConfig | TfjsUnsupported;

/** What `toTfjs` reads of a layer: an analysed layer, or the `inner` of a wrapper. */
export interface LayerSpec {
  type: string;
  /** A subclass that keeps its Keras parent's rules is built as that parent. */
  baseType?: string;
  config: Record<string, unknown>;
  inner?: { type: string; config: Record<string, unknown> };
  name?: string;
  /** With the batch dimension; used where tfjs' support depends on the input (its rank, None dimensions). */
  inputShape?: Shape | null;
  /** With the batch dimension; gives Reshape's -1 its value. */
  outputShape?: Shape | null;
}

export interface ToTfjsOptions {
  /** Put this input shape (batch dimension first) on the layer as `batchInputShape`: the first layer of a model. */
  batchInputShape?: Shape;
  /** Leave out the layer's `name` (tfjs then makes a unique one). Default: the analysed layer's name is kept. */
  omitName?: boolean;
  /**
   * Also convert Resizing and CenterCrop, which tfjs 4.22 computes correctly on a tensor given to the layer
   * itself but not inside a model: Resizing's symbolic output shape is wrong (so `tf.sequential` cannot build
   * the layers after it) and its call fails there; CenterCrop overwrites its input's symbolic shape with its
   * output's (so the model's input shape is wrong). Default: refused.
   */
  allowWrongSymbolicShape?: boolean;
}

export interface UnsupportedLayer {
  index: number;
  name: string;
  type: string;
  reason: string;
}

export interface TfjsModelConfig {
  name: string;
  /**
   * The layers for `tf.sequential`, in order, the first with the model's input shape as `batchInputShape`.
   * They stop before the first layer that cannot be converted, so they always make a buildable model
   * (the model's first layers); `layers.length === model.layers.length` when every layer converted.
   */
  layers: TfjsLayerConfig[];
  /** Every layer that could not be converted, with the reason. */
  unsupported: UnsupportedLayer[];
  /** Set when no model can be built at all, whatever the layers: the input shape is unknown. */
  reason?: string;
}

export function isUnsupported(c: TfjsConversion): c is TfjsUnsupported {
  return 'unsupported' in c;
}

/** A reason to refuse a layer, thrown inside the converters and turned into `{ unsupported }`. */
class NoEquivalent extends Error {}

function refuse(reason: string): never {
  throw new NoEquivalent(reason);
}

/** Converts one analysed layer (or a wrapper's inner layer) to its tfjs serialisation. */
export function toTfjs(spec: LayerSpec, options: ToTfjsOptions = {}): TfjsConversion {
  const layer = spec.baseType ? { ...spec, type: spec.baseType } : spec;
  try {
    const out = convert(layer, options);
    if (!options.omitName && layer.name && layer.name !== '?') out.config.name = layer.name;
    if (layer.config.trainable === false) out.config.trainable = false;
    if (options.batchInputShape) out.config.batchInputShape = options.batchInputShape.slice();
    return out;
  } catch (e) {
    if (e instanceof NoEquivalent) return { unsupported: e.message };
    throw e;
  }
}

/** The model's layers as tfjs serialisations for `tf.sequential`, with the layers that could not be converted. */
export function toTfjsModelConfig(model: ModelResult): TfjsModelConfig {
  const result: TfjsModelConfig = { name: model.name, layers: [], unsupported: [] };
  if (model.kind === 'functional') result.reason = 'The preview runs Sequential models only, so far; this Functional model is analysed in the editor (hints, hover, summary).';
  else if (!model.inputShape) result.reason = 'The model has no input shape, and tf.sequential needs one on its first layer.';
  let complete = !result.reason;
  model.layers.forEach((layer, index) => {
    let conversion: TfjsConversion;
    if (!layer.outputShape) conversion = { unsupported: 'LayerLens could not work out this layer’s output shape.' };
    else conversion = toTfjs(layer, index === 0 && model.inputShape ? { batchInputShape: model.inputShape } : {});
    if (isUnsupported(conversion)) {
      result.unsupported.push({ index, name: layer.name, type: layer.type, reason: conversion.unsupported });
      complete = false;
    } else if (complete) result.layers.push(conversion);
  });
  return result;
}

/** Reads a layer's arguments: as written, else Keras' default from the catalogue. */
class Reader {
  private readonly defaults: Record<string, unknown>;

  constructor(readonly spec: LayerSpec) {
    this.defaults = ruleFor(spec.type)?.defaults ?? {};
  }

  /** The value, `undefined` when neither written nor defaulted. */
  get(name: string): unknown {
    if (name in this.spec.config) return this.spec.config[name];
    return this.defaults[name];
  }

  has(name: string): boolean {
    return this.get(name) !== undefined && this.get(name) !== null;
  }

  int(name: string): number {
    const v = this.get(name);
    if (typeof v === 'boolean') return Number(v);
    if (typeof v !== 'number' || !Number.isInteger(v)) refuse(unknownValue(name, v));
    return v;
  }

  num(name: string): number {
    const v = this.get(name);
    if (typeof v === 'boolean') return Number(v);
    if (typeof v !== 'number') refuse(unknownValue(name, v));
    return v;
  }

  /** An int or a tuple of `n` ints (Keras' `standardize_tuple`), as an array of `n`. */
  ints(name: string, n: number): number[] {
    const v = this.get(name);
    if (typeof v === 'number' && Number.isInteger(v)) return new Array(n).fill(v);
    if (Array.isArray(v) && v.length === n && v.every((x) => typeof x === 'number' && Number.isInteger(x))) return v.slice() as number[];
    return refuse(unknownValue(name, v));
  }

  /** Python truthiness of the argument, as the rules read it (None is false). */
  bool(name: string): boolean {
    return Boolean(this.get(name));
  }

  str(name: string): string | null {
    const v = this.get(name);
    if (v === null || v === undefined) return null;
    if (typeof v !== 'string') refuse(unknownValue(name, v));
    return v;
  }
}

function unknownValue(name: string, v: unknown): string {
  return v === null || v === undefined ? `\`${name}\` is not known statically.` : `\`${name}=${JSON.stringify(v)}\` has no tfjs equivalent.`;
}

/** Keras activation names → tfjs'. Names tfjs lacks, or computes differently, are refused. */
const ACTIVATIONS: Record<string, string> = {
  linear: 'linear',
  relu: 'relu',
  relu6: 'relu6',
  sigmoid: 'sigmoid',
  softmax: 'softmax',
  log_softmax: 'logSoftmax',
  softplus: 'softplus',
  softsign: 'softsign',
  tanh: 'tanh',
  elu: 'elu',
  selu: 'selu',
  // Keras' `gelu` activation is the exact (erf) form, as tfjs' `gelu`.
  gelu: 'gelu',
  mish: 'mish',
  swish: 'swish',
  silu: 'swish',
};

function activation(r: Reader, name = 'activation'): string {
  const v = r.get(name);
  if (v === null || v === undefined) return 'linear';
  if (typeof v !== 'string') return refuse(unknownValue(name, v));
  const tfjs = ACTIVATIONS[v];
  if (tfjs) return tfjs;
  if (v === 'hard_sigmoid')
    refuse('Keras 3’s hard_sigmoid is relu6(x + 3) / 6; tfjs’ hardSigmoid is Keras 2’s 0.2·x + 0.5.');
  return refuse(`tfjs has no activation \`${v}\`.`);
}

function dataFormat(r: Reader): 'channelsLast' | 'channelsFirst' {
  const f = r.str('data_format');
  if (f === null) return 'channelsLast';
  switch (f.toLowerCase()) {
    case 'channels_last':
      return 'channelsLast';
    case 'channels_first':
      return 'channelsFirst';
  }
  return refuse(unknownValue('data_format', f));
}

function padding(r: Reader, allowed: string[]): string {
  const p = (r.str('padding') ?? 'valid').toLowerCase();
  if (!allowed.includes(p)) refuse(`tfjs’ layer has no padding="${p}".`);
  return p;
}

function spatialRank(type: string): number {
  const m = /([123])D/.exec(type);
  return m ? Number(m[1]) : 0;
}

/** `(before, after)` pairs per spatial axis, as Keras normalises ZeroPadding/Cropping arguments. */
function pairs(r: Reader, name: string, rank: number): [number, number][] {
  const v = r.get(name);
  const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x);
  if (isInt(v)) return new Array(rank).fill([v, v]);
  if (Array.isArray(v) && v.length === rank)
    return v.map((item) => {
      if (isInt(item)) return [item, item];
      if (Array.isArray(item) && item.length === 2 && isInt(item[0]) && isInt(item[1])) return [item[0], item[1]];
      return refuse(unknownValue(name, v));
    });
  return refuse(unknownValue(name, v));
}

const RECURRENT = new Set(['SimpleRNN', 'LSTM', 'GRU']);

function convert(spec: LayerSpec, options: ToTfjsOptions): TfjsLayerConfig {
  const r = new Reader(spec);
  const type = spec.type;
  const rank = spatialRank(type);
  const layer = (className: string, config: Record<string, unknown>): TfjsLayerConfig => ({ className, config });

  switch (type) {
    case 'Dense':
      return layer('Dense', { units: r.int('units'), activation: activation(r), useBias: r.bool('use_bias') });

    case 'Activation':
      return layer('Activation', { activation: activation(r) });

    case 'Identity':
      // tfjs has no Identity layer (its `Identity` class is an initializer); a linear Activation is the same function.
      return layer('Activation', { activation: 'linear' });

    case 'Flatten': {
      const input = spec.inputShape;
      if (input && input.slice(1).some((d) => d === null)) refuse('tfjs’ Flatten needs every input dimension known.');
      // tfjs' Flatten wants rank ≥ 3; on rank 2 Keras' Flatten changes nothing.
      if (input && input.length === 2) return layer('Activation', { activation: 'linear' });
      return layer('Flatten', { dataFormat: dataFormat(r) });
    }

    case 'Reshape': {
      const target = r.get('target_shape');
      const dims = Array.isArray(target) ? target : [target];
      if (!dims.every((d) => typeof d === 'number' && Number.isInteger(d))) refuse(unknownValue('target_shape', target));
      // tfjs leaves -1 unresolved in its symbolic shape whenever the batch size is unknown, so the layers after
      // it would be built for an unknown dimension; Keras resolves it from the input, as the core did.
      const out = spec.outputShape;
      const resolved = dims.includes(-1) && out && out.length === dims.length + 1 && out.slice(1).every((d) => d !== null) ? out.slice(1) : dims;
      return layer('Reshape', { targetShape: resolved });
    }

    case 'Permute': {
      const dims = r.get('dims');
      if (!Array.isArray(dims) || !dims.every((d) => typeof d === 'number')) return refuse(unknownValue('dims', dims));
      return layer('Permute', { dims: dims.slice() });
    }

    case 'RepeatVector':
      return layer('RepeatVector', { n: r.int('n') });

    case 'Dropout':
    case 'AlphaDropout': {
      const config: Record<string, unknown> = { rate: r.num('rate') };
      const noise = r.get('noise_shape');
      if (noise !== null && noise !== undefined) {
        if (!Array.isArray(noise)) refuse(unknownValue('noise_shape', noise));
        config.noiseShape = noise.slice();
      }
      if (type === 'Dropout' && r.has('seed')) config.seed = r.int('seed');
      return layer(type, config);
    }

    case 'SpatialDropout1D': {
      const config: Record<string, unknown> = { rate: r.num('rate') };
      if (r.has('seed')) config.seed = r.int('seed');
      return layer('SpatialDropout1D', config);
    }

    case 'GaussianNoise':
      return layer('GaussianNoise', { stddev: r.num('stddev') });

    case 'GaussianDropout':
      return layer('GaussianDropout', { rate: r.num('rate') });

    case 'Masking':
      return layer('Masking', { maskValue: r.num('mask_value') });

    // Advanced activations.
    case 'ReLU': {
      const slope = r.num('negative_slope');
      const threshold = r.num('threshold');
      const maxValue = r.get('max_value');
      if (threshold !== 0) refuse('tfjs’ ReLU has no `threshold`.');
      if (maxValue !== null && maxValue !== undefined && typeof maxValue !== 'number') refuse(unknownValue('max_value', maxValue));
      if (slope !== 0) {
        if (maxValue !== null && maxValue !== undefined) refuse('tfjs has no ReLU with both `negative_slope` and `max_value`.');
        return layer('LeakyReLU', { alpha: slope });
      }
      return layer('ReLU', maxValue === null || maxValue === undefined ? {} : { maxValue });
    }

    case 'LeakyReLU':
      // Keras 2 called the slope `alpha`, Keras 3 `negative_slope`.
      return layer('LeakyReLU', { alpha: 'alpha' in spec.config ? r.num('alpha') : r.num('negative_slope') });

    case 'PReLU': {
      const shared = r.get('shared_axes');
      const config: Record<string, unknown> = {};
      if (shared !== null && shared !== undefined) {
        const axes = Array.isArray(shared) ? shared : [shared];
        if (!axes.every((a) => typeof a === 'number' && Number.isInteger(a))) refuse(unknownValue('shared_axes', shared));
        config.sharedAxes = axes;
      }
      return layer('PReLU', config);
    }

    case 'ELU': {
      const alpha = r.num('alpha');
      if (alpha !== 1) refuse('tfjs’ ELU supports only alpha=1.');
      return layer('ELU', { alpha });
    }

    case 'Softmax': {
      const axis = r.get('axis');
      if (typeof axis !== 'number' || !Number.isInteger(axis)) return refuse(Array.isArray(axis) ? 'tfjs’ Softmax takes a single axis.' : unknownValue('axis', axis));
      // tfjs builds a Softmax over any axis but runs it only over the last.
      const rank = spec.inputShape?.length;
      if (axis !== -1 && !(rank !== undefined && axis === rank - 1)) refuse('tfjs runs Softmax only over the last axis.');
      return layer('Softmax', { axis });
    }

    case 'ThresholdedReLU':
      return layer('ThresholdedReLU', { theta: r.num('theta') });

    // Convolutions.
    case 'Conv1D':
    case 'Conv2D':
    case 'Conv3D': {
      if (r.int('groups') !== 1) refuse('tfjs’ convolutions have no `groups`.');
      // tfjs' Conv1D accepts padding="causal" but does not implement it, and with channels_first it reports
      // a channels-first shape but computes a channels-last tensor.
      if (rank === 1 && padding(r, ['valid', 'same', 'causal']) === 'causal') refuse('tfjs’ Conv1D does not implement padding="causal".');
      if (rank === 1 && dataFormat(r) === 'channelsFirst') refuse('tfjs’ Conv1D computes data_format="channels_first" as channels_last.');
      return layer(type, {
        filters: r.int('filters'),
        kernelSize: r.ints('kernel_size', rank),
        strides: r.ints('strides', rank),
        padding: padding(r, ['valid', 'same']),
        dataFormat: dataFormat(r),
        dilationRate: r.ints('dilation_rate', rank),
        activation: activation(r),
        useBias: r.bool('use_bias'),
      });
    }

    case 'SeparableConv2D':
      // tfjs adds the bias of a channels_first SeparableConv2D to its channels-last intermediate, which fails.
      if (dataFormat(r) === 'channelsFirst' && r.bool('use_bias')) refuse('tfjs’ SeparableConv2D fails with data_format="channels_first" and a bias.');
      return layer('SeparableConv2D', {
        filters: r.int('filters'),
        kernelSize: r.ints('kernel_size', 2),
        strides: r.ints('strides', 2),
        padding: padding(r, ['valid', 'same']),
        dataFormat: dataFormat(r),
        dilationRate: r.ints('dilation_rate', 2),
        depthMultiplier: r.int('depth_multiplier'),
        activation: activation(r),
        useBias: r.bool('use_bias'),
      });

    case 'DepthwiseConv2D': {
      const dilation = r.ints('dilation_rate', 2);
      // tfjs' DepthwiseConv2D accepts dilationRate but neither its shape nor its kernel use it.
      if (dilation.some((d) => d !== 1)) refuse('tfjs’ DepthwiseConv2D ignores `dilation_rate`.');
      return layer('DepthwiseConv2D', {
        kernelSize: r.ints('kernel_size', 2),
        strides: r.ints('strides', 2),
        padding: padding(r, ['valid', 'same']),
        depthMultiplier: r.int('depth_multiplier'),
        dataFormat: dataFormat(r),
        activation: activation(r),
        useBias: r.bool('use_bias'),
      });
    }

    case 'Conv2DTranspose':
    case 'Conv3DTranspose': {
      const kernel = r.ints('kernel_size', rank);
      const strides = r.ints('strides', rank);
      const pad = padding(r, ['valid', 'same']);
      if (r.ints('dilation_rate', rank).some((d) => d !== 1)) refuse(`tfjs’ ${type} has no \`dilation_rate\`.`);
      const op = r.get('output_padding');
      if (op !== null && op !== undefined) {
        // tfjs has no output_padding; it infers the output length as Keras does when output_padding is None,
        // which is the same as the output_padding that gives that length.
        const given = r.ints('output_padding', rank);
        const implied = kernel.map((k, i) => (pad === 'valid' ? Math.max(strides[i] - k, 0) : strides[i] - (k % 2)));
        if (given.some((p, i) => p !== implied[i]))
          refuse(`tfjs’ ${type} has no \`output_padding\`; it infers output_padding=${JSON.stringify(implied)} here.`);
      }
      return layer(type, {
        filters: r.int('filters'),
        kernelSize: kernel,
        strides,
        padding: pad,
        dataFormat: dataFormat(r),
        activation: activation(r),
        useBias: r.bool('use_bias'),
      });
    }

    // Pooling.
    case 'MaxPooling1D':
    case 'AveragePooling1D':
    case 'MaxPooling2D':
    case 'AveragePooling2D':
    case 'MaxPooling3D':
    case 'AveragePooling3D': {
      const format = dataFormat(r);
      const config: Record<string, unknown> = { poolSize: r.ints('pool_size', rank), padding: padding(r, ['valid', 'same']) };
      if (r.has('strides')) config.strides = r.ints('strides', rank);
      // tfjs' 1D pooling reads (batch, steps, channels) only.
      if (rank === 1 && format === 'channelsFirst') refuse(`tfjs’ ${type} has no data_format="channels_first".`);
      if (rank > 1) config.dataFormat = format;
      return layer(type, config);
    }

    case 'GlobalMaxPooling1D':
    case 'GlobalAveragePooling1D':
    case 'GlobalMaxPooling2D':
    case 'GlobalAveragePooling2D': {
      if (r.bool('keepdims')) refuse(`tfjs’ ${type} has no \`keepdims\`.`);
      const format = dataFormat(r);
      if (rank === 1) {
        if (format === 'channelsFirst') refuse(`tfjs’ ${type} has no data_format="channels_first".`);
        return layer(type, {});
      }
      return layer(type, { dataFormat: format });
    }

    // Normalisation.
    case 'BatchNormalization': {
      const axis = r.get('axis');
      const single = Array.isArray(axis) && axis.length === 1 ? axis[0] : axis;
      if (typeof single !== 'number' || !Number.isInteger(single)) return refuse(Array.isArray(axis) ? 'tfjs’ BatchNormalization takes a single axis.' : unknownValue('axis', axis));
      if (spec.inputShape && spec.inputShape.length > 4) refuse('tfjs’ BatchNormalization runs only on inputs of rank 2 to 4.');
      return layer('BatchNormalization', { axis: single, momentum: r.num('momentum'), epsilon: r.num('epsilon'), center: r.bool('center'), scale: r.bool('scale') });
    }

    case 'LayerNormalization': {
      const axis = r.get('axis');
      const axes = Array.isArray(axis) ? axis : [axis];
      if (!axes.every((a) => typeof a === 'number' && Number.isInteger(a))) refuse(unknownValue('axis', axis));
      if (r.bool('rms_scaling')) refuse('tfjs’ LayerNormalization has no `rms_scaling`.');
      if (spec.inputShape && spec.inputShape.length > 4) refuse('tfjs’ LayerNormalization runs only on inputs of rank 2 to 4.');
      return layer('LayerNormalization', { axis: Array.isArray(axis) ? axes : axis, epsilon: r.num('epsilon'), center: r.bool('center'), scale: r.bool('scale') });
    }

    // Reshaping.
    case 'ZeroPadding2D':
      return layer('ZeroPadding2D', { padding: pairs(r, 'padding', 2), dataFormat: dataFormat(r) });

    case 'Cropping2D': {
      const format = dataFormat(r);
      const input = spec.inputShape;
      // tfjs subtracts the cropping from a None dimension as if it were 0.
      if (input && (format === 'channelsFirst' ? input.slice(2) : input.slice(1, -1)).some((d) => d === null))
        refuse('tfjs’ Cropping2D cannot crop a dimension of unknown size (None).');
      return layer('Cropping2D', { cropping: pairs(r, 'cropping', 2), dataFormat: format });
    }

    case 'UpSampling2D': {
      const interpolation = r.str('interpolation') ?? 'nearest';
      if (interpolation !== 'nearest' && interpolation !== 'bilinear') refuse(`tfjs’ UpSampling2D has no interpolation="${interpolation}".`);
      return layer('UpSampling2D', { size: r.ints('size', 2), dataFormat: dataFormat(r), interpolation });
    }

    // Preprocessing.
    case 'Rescaling': {
      const scale = r.get('scale');
      const offset = r.get('offset');
      if (typeof scale !== 'number') return refuse(unknownValue('scale', scale));
      if (typeof offset !== 'number') return refuse(unknownValue('offset', offset));
      return layer('Rescaling', { scale, offset });
    }

    case 'Resizing': {
      if (!options.allowWrongSymbolicShape)
        refuse('tfjs’ Resizing reports a wrong output shape ([height, width, channels], no batch axis) and fails inside a model.');
      const interpolation = r.str('interpolation') ?? 'bilinear';
      if (interpolation !== 'nearest' && interpolation !== 'bilinear') refuse(`tfjs’ Resizing has no interpolation="${interpolation}".`);
      return layer('Resizing', { height: r.int('height'), width: r.int('width'), interpolation, cropToAspectRatio: r.bool('crop_to_aspect_ratio') });
    }

    case 'CenterCrop':
      if (!options.allowWrongSymbolicShape)
        refuse('tfjs’ CenterCrop writes its output shape over its input’s, which breaks the model’s input shape.');
      return layer('CenterCrop', { height: r.int('height'), width: r.int('width') });

    // Embedding and recurrent layers.
    case 'Embedding':
      return layer('Embedding', { inputDim: r.int('input_dim'), outputDim: r.int('output_dim'), maskZero: r.bool('mask_zero') });

    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU':
      return recurrent(r, type);

    case 'Bidirectional': {
      if (r.has('backward_layer')) refuse('A Bidirectional with its own `backward_layer` has no tfjs equivalent.');
      if (!spec.inner) return refuse('The wrapped layer is not known statically.');
      if (!RECURRENT.has(spec.inner.type)) refuse(`Bidirectional wraps ${spec.inner.type}, which is not a recurrent layer tfjs knows.`);
      const mode = r.get('merge_mode');
      if (mode === null) refuse('Bidirectional(merge_mode=None) returns two tensors, which a Sequential model cannot pass on.');
      if (!['concat', 'sum', 'mul', 'ave'].includes(mode as string)) refuse(unknownValue('merge_mode', mode));
      return layer('Bidirectional', { layer: inner(spec, 'Bidirectional', options, { inputShape: spec.inputShape }), mergeMode: mode });
    }

    case 'TimeDistributed': {
      if (!spec.inner) return refuse('The wrapped layer is not known statically.');
      const input = spec.inputShape;
      const step = (s: Shape | null | undefined) => (s ? [s[0], ...s.slice(2)] : s);
      return layer('TimeDistributed', { layer: inner(spec, 'TimeDistributed', options, { inputShape: step(input), outputShape: step(spec.outputShape) }) });
    }
  }

  if (type === 'ZeroPadding1D' || type === 'ZeroPadding3D' || type === 'Cropping1D' || type === 'Cropping3D' || type === 'UpSampling1D' || type === 'UpSampling3D')
    refuse(`tfjs has ${type.replace(/[13]D$/, '2D')} only, no ${type}.`);
  if (type === 'GlobalMaxPooling3D' || type === 'GlobalAveragePooling3D') refuse(`tfjs has no ${type}.`);
  if (type === 'Sequential') refuse('A nested Sequential model has no single-layer tfjs equivalent.');
  if (type === 'InputLayer') refuse('An InputLayer after the first layer has no tfjs equivalent in a Sequential model.');
  if (type === '?') refuse('This is not a layer LayerLens can read.');
  if (!ruleFor(type)) refuse(`LayerLens does not know the layer \`${type}\`.`);
  return refuse(`tfjs has no ${type} layer.`);
}

/** The wrapped layer of `wrapper`, converted; `shapes` are the ones it sees. */
function inner(wrapper: LayerSpec, name: string, options: ToTfjsOptions, shapes: Pick<LayerSpec, 'inputShape' | 'outputShape'>): TfjsLayerConfig {
  if (!wrapper.inner) return refuse(`${name} wraps no layer LayerLens can read.`);
  const spec: LayerSpec = { ...wrapper.inner, ...shapes };
  const c = toTfjs(spec, { omitName: true, allowWrongSymbolicShape: options.allowWrongSymbolicShape });
  if (isUnsupported(c)) refuse(`${name}(${spec.type}): ${c.unsupported}`);
  // Keras freezes the wrapped layer with its wrapper; tfjs' wrappers ignore their own `trainable`.
  if (wrapper.config.trainable === false) c.config.trainable = false;
  return c;
}

function recurrent(r: Reader, type: string): TfjsLayerConfig {
  if (r.bool('return_state')) refuse(`${type}(return_state=True) returns several tensors, which a Sequential model cannot pass on.`);
  if (type === 'GRU' && r.bool('reset_after'))
    refuse('tfjs’ GRU has only reset_after=False; Keras’ default is reset_after=True (separate input and recurrent biases).');
  const config: Record<string, unknown> = {
    units: r.int('units'),
    activation: activation(r),
    useBias: r.bool('use_bias'),
    returnSequences: r.bool('return_sequences'),
    goBackwards: r.bool('go_backwards'),
    stateful: r.bool('stateful'),
    // `unroll` changes nothing in the result; tfjs ignores it (with a console warning), so it is left out.
  };
  // tfjs' default recurrent activation is Keras 2's hard sigmoid; Keras' is sigmoid.
  if (type !== 'SimpleRNN') config.recurrentActivation = activation(r, 'recurrent_activation');
  if (type === 'LSTM') config.unitForgetBias = r.get('unit_forget_bias') === undefined ? true : r.bool('unit_forget_bias');
  if (r.has('dropout')) config.dropout = r.num('dropout');
  if (r.has('recurrent_dropout')) config.recurrentDropout = r.num('recurrent_dropout');
  return { className: type, config };
}
