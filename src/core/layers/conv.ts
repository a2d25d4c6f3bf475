/** Convolutions: Conv1D/2D/3D, SeparableConv1D/2D, DepthwiseConv1D/2D, Conv1D/2D/3DTranspose. */
import {
  LayerError,
  channelAxis,
  noTfjs,
  pyRepr,
  dataFormat,
  requireInput,
  spatialAxes,
  shapeRepr,
  type FieldStep,
  type InternalShape,
  type LayerContext,
  type ParamPart,
  type Rule,
} from './rule';
import type { Reader, TfjsLayerConfig, TfjsUnsupported } from '../tfjs/toTfjs';
import { checkPadding, checkPositive, padBefore, transposedOutputLength, windowOutputLength, type Padding } from './spatial';

type ConvKind = 'conv' | 'separable' | 'depthwise' | 'transpose';

interface ConvGeometry {
  format: 'channels_last' | 'channels_first';
  axes: number[];
  channelAxis: number;
  inChannels: number;
  kernel: number[];
  strides: number[];
  dilation: number[];
  padding: Padding;
}

function geometry(ctx: LayerContext, rank: number, kind: ConvKind): ConvGeometry {
  const a = ctx.args;
  const format = dataFormat(a);
  const input = ctx.input;
  const r = input ? input.length : rank + 2;
  const axes = spatialAxes(r, format);
  const ch = channelAxis(r, format);
  const c = input ? input[ch] : NaN;
  if (input && c === null)
    throw new LayerError(
      'undefined-dimension',
      `The channel dimension of the inputs should be defined. The input_shape received is ${shapeRepr(input)}, where axis ${ch} (0-based) is the channel dimension, which found to be \`None\`.`,
    );
  const allowed: Padding[] = kind === 'transpose' ? ['valid', 'same'] : rank === 1 && kind === 'conv' ? ['valid', 'same', 'causal'] : ['valid', 'same'];
  const strides = a.ints('strides', rank);
  const dilation = a.ints('dilation_rate', rank);
  // Every Keras convolution refuses this pair in its constructor.
  if (Math.max(...strides) > 1 && Math.max(...dilation) > 1)
    throw new LayerError(
      'invalid-argument',
      `\`strides > 1\` not supported in conjunction with \`dilation_rate > 1\`. Received: strides=${pyRepr(strides)} and dilation_rate=${pyRepr(dilation)}`,
    );
  return {
    format,
    axes,
    channelAxis: ch,
    inChannels: c as number,
    kernel: a.ints('kernel_size', rank),
    strides,
    dilation,
    padding: checkPadding(a.str('padding') || 'valid', allowed),
  };
}

function outChannels(ctx: LayerContext, kind: ConvKind, inChannels: number): number {
  return kind === 'depthwise' ? inChannels * ctx.args.int('depth_multiplier') : ctx.args.int('filters');
}

function convOutput(rank: number, kind: ConvKind) {
  return (ctx: LayerContext): InternalShape => {
    const input = requireInput(ctx);
    const g = geometry(ctx, rank, kind);
    const groups = kind === 'conv' ? ctx.args.int('groups') : 1;
    const filters = outChannels(ctx, kind, g.inChannels);
    if (kind === 'conv' && groups > 1) {
      if (!Number.isNaN(g.inChannels) && g.inChannels % groups !== 0)
        throw new LayerError(
          'invalid-argument',
          `The number of input channels must be evenly divisible by the number of groups. Received groups=${groups}, but the input has ${g.inChannels} channels (full input shape is ${shapeRepr(input)}).`,
        );
      if (!Number.isNaN(filters) && filters % groups !== 0)
        throw new LayerError(
          'invalid-argument',
          `The number of filters must be evenly divisible by the number of groups. Received: groups=${groups}, filters=${filters}.`,
        );
    }
    const out = input.slice();
    const spatial: (number | null)[] = [];
    g.axes.forEach((axis, i) => {
      const len = input[axis];
      const o =
        kind === 'transpose'
          ? transposedOutputLength(len, g.kernel[i], g.strides[i], g.dilation[i], g.padding, outputPadding(ctx, rank)[i])
          : windowOutputLength(len, g.kernel[i], g.strides[i], g.dilation[i], g.padding);
      out[axis] = o;
      spatial.push(o);
    });
    out[g.channelAxis] = filters;
    if (g.padding === 'valid' && kind !== 'transpose') {
      checkPositive(spatial, {
        input,
        detail: `\`kernel shape=${pyRepr([...g.kernel, g.inChannels, filters])}\`, \`dilation_rate=${pyRepr(g.dilation)}\`, \`strides=${pyRepr(g.strides)}\`, \`padding=valid\``,
      });
    }
    return out;
  };
}

function outputPadding(ctx: LayerContext, rank: number): (number | null)[] {
  const v = ctx.args.value('output_padding');
  if (v === null || v === undefined || (typeof v === 'object' && !Array.isArray(v) && v.kind === 'none')) return new Array(rank).fill(null);
  const padding = ctx.args.ints('output_padding', rank);
  const strides = ctx.args.ints('strides', rank);
  if (padding.some((p, i) => p >= strides[i]))
    throw new LayerError('invalid-argument', `\`output_padding\` must be < \`strides\`. output_padding=${pyRepr(padding)}, strides=${pyRepr(strides)}`);
  return padding;
}

function convParams(rank: number, kind: ConvKind) {
  return (ctx: LayerContext): ParamPart[] => {
    const a = ctx.args;
    const format = dataFormat(a);
    const r = ctx.input ? ctx.input.length : rank + 2;
    const cin = ctx.input ? (ctx.input[channelAxis(r, format)] ?? NaN) : NaN;
    const k = a.ints('kernel_size', rank);
    const useBias = a.bool('use_bias');
    const parts: ParamPart[] = [];
    if (kind === 'conv') {
      const groups = a.int('groups');
      const filters = a.int('filters');
      parts.push({ label: 'kernel', factors: [...k, cin / groups, filters], trainable: true });
      if (useBias) parts.push({ label: 'bias', factors: [filters], trainable: true });
    } else if (kind === 'transpose') {
      const filters = a.int('filters');
      parts.push({ label: 'kernel', factors: [...k, filters, cin], trainable: true });
      if (useBias) parts.push({ label: 'bias', factors: [filters], trainable: true });
    } else if (kind === 'depthwise') {
      const dm = a.int('depth_multiplier');
      parts.push({ label: 'depthwise kernel', factors: [...k, cin, dm], trainable: true });
      if (useBias) parts.push({ label: 'bias', factors: [cin * dm], trainable: true });
    } else {
      const dm = a.int('depth_multiplier');
      const filters = a.int('filters');
      parts.push({ label: 'depthwise kernel', factors: [...k, cin, dm], trainable: true });
      parts.push({ label: 'pointwise kernel', factors: [cin * dm, filters], trainable: true });
      if (useBias) parts.push({ label: 'bias', factors: [filters], trainable: true });
    }
    return parts;
  };
}

function convMacs(rank: number, kind: ConvKind) {
  return (ctx: LayerContext, output: InternalShape): number => {
    const input = requireInput(ctx);
    const g = geometry(ctx, rank, kind);
    const kprod = g.kernel.reduce((x, y) => x * y, 1);
    const outPositions = g.axes.reduce((p, axis) => p * (output[axis] ?? NaN), 1);
    const inPositions = g.axes.reduce((p, axis) => p * (input[axis] ?? NaN), 1);
    const cin = g.inChannels;
    switch (kind) {
      case 'conv':
        return outPositions * ctx.args.int('filters') * kprod * (cin / ctx.args.int('groups'));
      case 'transpose':
        return inPositions * cin * kprod * ctx.args.int('filters');
      case 'depthwise':
        return outPositions * cin * ctx.args.int('depth_multiplier') * kprod;
      case 'separable': {
        const dm = ctx.args.int('depth_multiplier');
        return outPositions * cin * dm * kprod + outPositions * cin * dm * ctx.args.int('filters');
      }
    }
  };
}

function convField(rank: number, kind: ConvKind) {
  return (ctx: LayerContext, output: InternalShape): FieldStep => {
    if (kind === 'transpose') return null; // a fractional stride: one output unit's window is not a box
    const input = requireInput(ctx);
    const g = geometry(ctx, rank, kind);
    return {
      kernel: g.kernel,
      stride: g.strides,
      dilation: g.dilation,
      padBefore: g.axes.map((axis, i) => padBefore(input[axis], output[axis], g.kernel[i], g.strides[i], g.dilation[i], g.padding)),
    };
  };
}

/** tfjs' Conv1D/2D/3D, SeparableConv2D, DepthwiseConv2D and Conv2D/3DTranspose; tfjs has no 1D separable, depthwise or transposed convolution. */
function convTfjs(type: string, rank: number, kind: ConvKind): ((r: Reader) => TfjsLayerConfig) | TfjsUnsupported {
  if (kind !== 'conv' && rank === 1) return noTfjs(type);
  switch (kind) {
    case 'conv':
      return (r) => {
        if (r.int('groups') !== 1) r.refuse('tfjs’ convolutions have no `groups`.');
        // tfjs' Conv1D accepts padding="causal" but does not implement it, and with channels_first it reports
        // a channels-first shape but computes a channels-last tensor.
        if (rank === 1 && r.padding(['valid', 'same', 'causal']) === 'causal') r.refuse('tfjs’ Conv1D does not implement padding="causal".');
        if (rank === 1 && r.dataFormat() === 'channelsFirst') r.refuse('tfjs’ Conv1D computes data_format="channels_first" as channels_last.');
        return {
          className: type,
          config: {
            filters: r.int('filters'),
            kernelSize: r.ints('kernel_size', rank),
            strides: r.ints('strides', rank),
            padding: r.padding(['valid', 'same']),
            dataFormat: r.dataFormat(),
            dilationRate: r.ints('dilation_rate', rank),
            activation: r.activation(),
            useBias: r.bool('use_bias'),
          },
        };
      };
    case 'separable':
      return (r) => {
        // tfjs adds the bias of a channels_first SeparableConv2D to its channels-last intermediate, which fails.
        if (r.dataFormat() === 'channelsFirst' && r.bool('use_bias')) r.refuse('tfjs’ SeparableConv2D fails with data_format="channels_first" and a bias.');
        return {
          className: type,
          config: {
            filters: r.int('filters'),
            kernelSize: r.ints('kernel_size', 2),
            strides: r.ints('strides', 2),
            padding: r.padding(['valid', 'same']),
            dataFormat: r.dataFormat(),
            dilationRate: r.ints('dilation_rate', 2),
            depthMultiplier: r.int('depth_multiplier'),
            activation: r.activation(),
            useBias: r.bool('use_bias'),
          },
        };
      };
    case 'depthwise':
      return (r) => {
        const dilation = r.ints('dilation_rate', 2);
        // tfjs' DepthwiseConv2D accepts dilationRate but neither its shape nor its kernel use it.
        if (dilation.some((d) => d !== 1)) r.refuse('tfjs’ DepthwiseConv2D ignores `dilation_rate`.');
        return {
          className: type,
          config: {
            kernelSize: r.ints('kernel_size', 2),
            strides: r.ints('strides', 2),
            padding: r.padding(['valid', 'same']),
            depthMultiplier: r.int('depth_multiplier'),
            dataFormat: r.dataFormat(),
            activation: r.activation(),
            useBias: r.bool('use_bias'),
          },
        };
      };
    case 'transpose':
      return (r) => {
        const kernel = r.ints('kernel_size', rank);
        const strides = r.ints('strides', rank);
        const pad = r.padding(['valid', 'same']);
        if (r.ints('dilation_rate', rank).some((d) => d !== 1)) r.refuse(`tfjs’ ${type} has no \`dilation_rate\`.`);
        const op = r.get('output_padding');
        if (op !== null && op !== undefined) {
          // tfjs has no output_padding; it infers the output length as Keras does when output_padding is None,
          // which is the same as the output_padding that gives that length.
          const given = r.ints('output_padding', rank);
          const implied = kernel.map((k, i) => (pad === 'valid' ? Math.max(strides[i] - k, 0) : strides[i] - (k % 2)));
          if (given.some((p, i) => p !== implied[i]))
            r.refuse(`tfjs’ ${type} has no \`output_padding\`; it infers output_padding=${JSON.stringify(implied)} here.`);
        }
        return {
          className: type,
          config: {
            filters: r.int('filters'),
            kernelSize: kernel,
            strides,
            padding: pad,
            dataFormat: r.dataFormat(),
            activation: r.activation(),
            useBias: r.bool('use_bias'),
          },
        };
      };
  }
}

function convRule(type: string, rank: number, kind: ConvKind, aliases: string[] = []): Rule {
  const ones = rank === 1 ? 1 : new Array(rank).fill(1);
  const common = { strides: ones, padding: 'valid', data_format: null, dilation_rate: ones, activation: null, use_bias: true };
  const signatures: Record<ConvKind, [string[], Record<string, unknown>]> = {
    conv: [['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'groups', 'activation', 'use_bias'], { groups: 1 }],
    separable: [
      ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'depth_multiplier', 'activation', 'use_bias'],
      { depth_multiplier: 1 },
    ],
    depthwise: [['kernel_size', 'strides', 'padding', 'depth_multiplier', 'data_format', 'dilation_rate', 'activation', 'use_bias'], { depth_multiplier: 1 }],
    transpose: [
      ['filters', 'kernel_size', 'strides', 'padding', 'output_padding', 'data_format', 'dilation_rate', 'activation', 'use_bias'],
      { output_padding: null },
    ],
  };
  const [signature, extra] = signatures[kind];
  return {
    type,
    aliases,
    signature,
    defaults: { ...common, ...(extra as Record<string, null | number>) },
    tuples: { kernel_size: { n: rank }, strides: { n: rank }, dilation_rate: { n: rank }, ...(kind === 'transpose' ? { output_padding: { n: rank } } : {}) },
    inputSpec: { minNdim: rank + 2, maxNdim: rank + 2 },
    outputShape: convOutput(rank, kind),
    params: convParams(rank, kind),
    macs: convMacs(rank, kind),
    receptiveField: convField(rank, kind),
    tfjs: convTfjs(type, rank, kind),
    initializers: CONV_INITIALIZERS[kind],
  };
}

/** The randomly drawn weights of each kind of convolution (biases start at zero). */
const CONV_INITIALIZERS: Record<ConvKind, string[]> = {
  conv: ['kernel_initializer'],
  separable: ['depthwise_initializer', 'pointwise_initializer'],
  depthwise: ['depthwise_initializer'],
  transpose: ['kernel_initializer'],
};

export const convRules: Rule[] = [
  convRule('Conv1D', 1, 'conv', ['Convolution1D']),
  convRule('Conv2D', 2, 'conv', ['Convolution2D']),
  convRule('Conv3D', 3, 'conv', ['Convolution3D']),
  convRule('SeparableConv1D', 1, 'separable', ['SeparableConvolution1D']),
  convRule('SeparableConv2D', 2, 'separable', ['SeparableConvolution2D']),
  convRule('DepthwiseConv1D', 1, 'depthwise'),
  convRule('DepthwiseConv2D', 2, 'depthwise'),
  convRule('Conv1DTranspose', 1, 'transpose', ['Convolution1DTranspose']),
  convRule('Conv2DTranspose', 2, 'transpose', ['Convolution2DTranspose']),
  convRule('Conv3DTranspose', 3, 'transpose', ['Convolution3DTranspose']),
];
