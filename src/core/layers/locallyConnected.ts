/**
 * tf.keras 2's LocallyConnected1D and LocallyConnected2D (Keras 3 dropped them): a convolution whose weights are
 * not shared, a kernel of its own at every output position. Output as a 'valid' convolution's; weights, as tf.keras
 * 2 builds them: a kernel of (output positions, kernel size × input channels, filters) and a bias of (output
 * positions, filters). Padding is 'valid' only, as tf.keras documents it ("'same' may be supported in the future").
 */
import { LayerError, channelAxis, dataFormat, noTfjs, product, requireInput, spatialAxes, type InternalShape, type LayerContext, type Rule } from './rule';
import { checkPositive, windowOutputLength } from './spatial';

function geometry(ctx: LayerContext, rank: number) {
  const input = requireInput(ctx);
  const padding = (ctx.args.str('padding') || 'valid').toLowerCase();
  if (padding !== 'valid') throw new LayerError('unsupported', `LayerLens sizes ${ctx.args.rule.type} only with padding='valid'. Received: padding=${padding}`);
  const format = dataFormat(ctx.args);
  const kernel = ctx.args.ints('kernel_size', rank);
  const strides = ctx.args.ints('strides', rank);
  const axes = spatialAxes(input.length, format);
  const sides = axes.map((axis, i) => windowOutputLength(input[axis], kernel[i], strides[i], 1, 'valid'));
  checkPositive(sides, { input, detail: `\`kernel_size=${kernel}\`, \`strides=${strides}\`` });
  return { input, format, kernel, sides, channels: input[channelAxis(input.length, format)] };
}

function locallyConnected(rank: number): Rule {
  const type = `LocallyConnected${rank}D`;
  return {
    type,
    signature: ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'activation', 'use_bias'],
    defaults: { strides: 1, padding: 'valid', data_format: null, activation: null, use_bias: true, implementation: 1 },
    tuples: { kernel_size: { n: rank }, strides: { n: rank } },
    inputSpec: { ndim: rank + 2 },
    initializers: ['kernel_initializer'],
    outputShape(ctx): InternalShape {
      const { input, format, sides } = geometry(ctx, rank);
      const filters = ctx.args.int('filters');
      return format === 'channels_first' ? [input[0], filters, ...sides] : [input[0], ...sides, filters];
    },
    params(ctx) {
      const { kernel, sides, channels } = geometry(ctx, rank);
      const positions = product(sides) ?? NaN;
      const filters = ctx.args.int('filters');
      const parts = [{ label: 'kernel', factors: [positions, product(kernel) ?? NaN, channels ?? NaN, filters], trainable: true }];
      if (ctx.args.bool('use_bias')) parts.push({ label: 'bias', factors: [positions, filters], trainable: true });
      return parts;
    },
    // Every weight of the kernel is used once per sample.
    macs(ctx) {
      const { kernel, sides, channels } = geometry(ctx, rank);
      return (product(sides) ?? NaN) * (product(kernel) ?? NaN) * (channels ?? NaN) * ctx.args.int('filters');
    },
    receptiveField: () => null,
    tfjs: noTfjs(type),
  };
}

export const locallyConnectedRules: Rule[] = [locallyConnected(1), locallyConnected(2)];
