/**
 * ConvLSTM1D/2D/3D: an LSTM whose gates are convolutions, over inputs `(batch, time, *spatial, channels)`
 * (channels first: `(batch, time, channels, *spatial)`), as Keras 3 builds them. Each step's output has the
 * convolution's spatial size and `filters` channels. Weights: an input kernel `kernel_size + (channels, 4 ×
 * filters)`, a recurrent kernel `kernel_size + (filters, 4 × filters)` (a 'same', stride-1 convolution of the
 * state), and a bias of 4 × filters.
 */
import { LayerError, dataFormat, ndimError, requireInput, shapeRepr, type InternalShape, type LayerContext, type ParamPart, type Rule } from './rule';
import { windowOutputLength, type Padding } from './spatial';

/** The input's channels and spatial axes, checked as ConvLSTMCell.build checks them. */
function cellInput(ctx: LayerContext, rank: number) {
  const input = requireInput(ctx);
  // The RNN's InputSpec, in its words.
  if (input.length !== rank + 3) throw ndimError(ctx, rank + 3);
  const first = dataFormat(ctx.args) === 'channels_first';
  // The cell sees one step: the batch, then what follows the time axis.
  const step = [input[0], ...input.slice(2)];
  const spatial = first ? step.slice(2) : step.slice(1, -1);
  const channels = first ? step[1] : step[step.length - 1];
  const shown = shapeRepr(step);
  if (spatial.length === rank && spatial.includes(null))
    throw new LayerError(
      'undefined-dimension',
      `ConvLSTM layers only support static input shapes for the spatial dimension. Received invalid input shape: input_shape=${shown}`,
    );
  if (channels === null)
    throw new LayerError(
      'undefined-dimension',
      `The channel dimension of the inputs (last axis) should be defined. Found None. Full input shape received: input_shape=${shown}`,
    );
  return { input, first, spatial, channels };
}

function convLstm(rank: number): Rule {
  const type = `ConvLSTM${rank}D`;
  return {
    type,
    signature: ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'activation', 'recurrent_activation', 'use_bias'],
    defaults: {
      strides: 1,
      padding: 'valid',
      data_format: null,
      dilation_rate: 1,
      activation: 'tanh',
      recurrent_activation: 'sigmoid',
      use_bias: true,
      unit_forget_bias: true,
      dropout: 0.0,
      recurrent_dropout: 0.0,
      seed: null,
      return_sequences: false,
      return_state: false,
      go_backwards: false,
      stateful: false,
    },
    tuples: { kernel_size: { n: rank }, strides: { n: rank }, dilation_rate: { n: rank } },
    recurrent: true,
    initializers: ['kernel_initializer', 'recurrent_initializer'],
    outputShape(ctx): InternalShape {
      const { input, first, spatial, channels } = cellInput(ctx, rank);
      if (ctx.args.bool('return_state'))
        throw new LayerError('unsupported', `${type}(return_state=True) returns a list of tensors, which a Sequential model cannot pass on.`);
      const kernel = ctx.args.ints('kernel_size', rank);
      const strides = ctx.args.ints('strides', rank);
      const dilation = ctx.args.ints('dilation_rate', rank);
      const written = ctx.args.str('padding') || 'valid';
      const padding = written.toLowerCase() as Padding;
      if (padding !== 'valid' && padding !== 'same')
        throw new LayerError('invalid-argument', `The \`padding\` argument must be a list/tuple or one of {'same', 'valid'}. Received: ${written}`);
      const sides = spatial.map((d, i) => windowOutputLength(d, kernel[i], strides[i], dilation[i], padding));
      // The cell's first convolution refuses, in the words of Keras' conv op (dilation printed as numpy prints it).
      if (sides.some((d) => d !== null && d <= 0))
        throw new LayerError(
          'negative-dimension',
          `Computed output size would be zero or negative. Received \`inputs shape=${shapeRepr([input[0], ...input.slice(2)])}\`, \`kernel shape=${shapeRepr([...kernel, channels, ctx.args.int('filters')])}\`, \`dilation_rate=[${dilation.join(' ')}]\`, \`strides=${shapeRepr(strides)}\`, \`padding=${padding}\`.`,
        );
      const filters = ctx.args.int('filters');
      const state = first ? [filters, ...sides] : [...sides, filters];
      return ctx.args.bool('return_sequences') ? [input[0], input[1], ...state] : [input[0], ...state];
    },
    params(ctx) {
      const { channels } = cellInput(ctx, rank);
      const kernel = ctx.args.ints('kernel_size', rank);
      const filters = ctx.args.int('filters');
      const parts: ParamPart[] = [
        { label: 'kernel', factors: [...kernel, channels ?? NaN, 4 * filters], trainable: true },
        { label: 'recurrent kernel', factors: [...kernel, filters, 4 * filters], trainable: true },
      ];
      if (ctx.args.bool('use_bias')) parts.push({ label: 'bias', factors: [4 * filters], trainable: true });
      return parts;
    },
    // As an LSTM's: per timestep, the kernels' elements, here at each output position (the recurrent kernel runs on
    // the state, which has the output's positions).
    macs(ctx, output) {
      const { channels } = cellInput(ctx, rank);
      const filters = ctx.args.int('filters');
      const first = dataFormat(ctx.args) === 'channels_first';
      const state = ctx.args.bool('return_sequences') ? output.slice(2) : output.slice(1);
      const positions = (first ? state.slice(1) : state.slice(0, -1)).reduce<number>((p, d) => p * (d ?? NaN), 1);
      const taps = ctx.args.ints('kernel_size', rank).reduce((p, k) => p * k, 1);
      const steps = requireInput(ctx)[1] ?? NaN;
      return steps * positions * taps * 4 * filters * ((channels ?? NaN) + filters);
    },
    receptiveField: () => null,
    tfjs:
      rank === 2
        ? (r) => {
            if (r.bool('return_state')) r.refuse(`${type}(return_state=True) returns several tensors, which a Sequential model cannot pass on.`);
            return {
              className: 'ConvLSTM2D',
              config: {
                filters: r.int('filters'),
                kernelSize: r.ints('kernel_size', 2),
                strides: r.ints('strides', 2),
                padding: r.padding(['valid', 'same']),
                dataFormat: r.dataFormat(),
                dilationRate: r.ints('dilation_rate', 2),
                activation: r.activation(),
                recurrentActivation: r.activation('recurrent_activation'),
                useBias: r.bool('use_bias'),
                unitForgetBias: r.get('unit_forget_bias') === undefined ? true : r.bool('unit_forget_bias'),
                returnSequences: r.bool('return_sequences'),
                goBackwards: r.bool('go_backwards'),
                stateful: r.bool('stateful'),
              },
            };
          }
        : { unsupported: `tfjs has no ${type} layer.` },
  };
}

export const convRecurrentRules: Rule[] = [convLstm(1), convLstm(2), convLstm(3)];
