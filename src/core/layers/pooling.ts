/** Pooling: Max/AveragePooling1D/2D/3D, their global forms, and Keras 3's adaptive pooling. */
import {
  channelAxis,
  dataFormat,
  LayerError,
  noTfjs,
  pyRepr,
  requireInput,
  spatialAxes,
  type FieldStep,
  type InternalShape,
  type LayerContext,
  type Rule,
} from './rule';
import { checkPadding, checkPositive, padBefore, windowOutputLength } from './spatial';

function windows(ctx: LayerContext, rank: number) {
  const a = ctx.args;
  const pool = a.ints('pool_size', rank);
  const strides = a.value('strides') === null || isNone(a.value('strides')) ? pool : a.ints('strides', rank);
  return { pool, strides, padding: checkPadding(a.str('padding') || 'valid', ['valid', 'same']), format: dataFormat(a) };
}

function isNone(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as { kind?: string }).kind === 'none';
}

/**
 * `AveragePooling2D()` without `pool_size`: Keras 2 defaults it to 2 per axis (keras/layers/pooling/average_pooling2d.py,
 * `pool_size=(2, 2)`), Keras 3 requires it (keras/src/layers/pooling/average_pooling2d.py, `def __init__(self,
 * pool_size, strides=None, ...)`; likewise 1D and 3D). MaxPooling has the default in both (Keras 3's
 * max_pooling2d.py: `pool_size=(2, 2)`). Under Keras 3 it is Python's TypeError; under Keras 2 a note says the call
 * is valid in Keras 2 only.
 */
function checkPoolSize(ctx: LayerContext, type: string, two: number | number[]): void {
  if (!type.startsWith('Average') || ctx.args.has('pool_size')) return;
  const keras2 = `\`${type}()\` without \`pool_size\` is valid in Keras 2 only, where it defaults to ${pyRepr(two)}`;
  if (ctx.kerasVersion === '2') ctx.note?.('keras-version', `${keras2}; Keras 3 requires \`pool_size\`.`);
  else throw new LayerError('keras-version', `${type}.__init__() missing 1 required positional argument: 'pool_size' (Keras 3 requires it; ${keras2}).`);
}

function poolRule(type: string, rank: number, aliases: string[]): Rule {
  const two = rank === 1 ? 2 : new Array(rank).fill(2);
  return {
    type,
    aliases,
    signature: ['pool_size', 'strides', 'padding', 'data_format'],
    defaults: { pool_size: two, strides: null, padding: 'valid', data_format: null },
    tuples: { pool_size: { n: rank }, strides: { n: rank } },
    inputSpec: { ndim: rank + 2 },
    outputShape(ctx) {
      checkPoolSize(ctx, type, two);
      const input = requireInput(ctx);
      const w = windows(ctx, rank);
      const out = input.slice();
      const spatial = spatialAxes(input.length, w.format).map(
        (axis, i) => (out[axis] = windowOutputLength(input[axis], w.pool[i], w.strides[i], 1, w.padding)),
      );
      if (w.padding === 'valid')
        checkPositive(spatial, { input, detail: `\`pool_size=${pyRepr(w.pool)}\`, \`strides=${pyRepr(w.strides)}\`, \`padding=valid\`` });
      return out;
    },
    receptiveField(ctx, output): FieldStep {
      const input = requireInput(ctx);
      const w = windows(ctx, rank);
      return {
        kernel: w.pool,
        stride: w.strides,
        dilation: w.pool.map(() => 1),
        padBefore: spatialAxes(input.length, w.format).map((axis, i) => padBefore(input[axis], output[axis], w.pool[i], w.strides[i], 1, w.padding)),
      };
    },
    tfjs(r) {
      const format = r.dataFormat();
      const config: Record<string, unknown> = { poolSize: r.ints('pool_size', rank), padding: r.padding(['valid', 'same']) };
      if (r.has('strides')) config.strides = r.ints('strides', rank);
      // tfjs' 1D pooling reads (batch, steps, channels) only.
      if (rank === 1 && format === 'channelsFirst') r.refuse(`tfjs’ ${type} has no data_format="channels_first".`);
      if (rank > 1) config.dataFormat = format;
      return { className: type, config };
    },
  };
}

function globalRule(type: string, rank: number, aliases: string[]): Rule {
  return {
    type,
    aliases,
    signature: ['data_format', 'keepdims'],
    defaults: { data_format: null, keepdims: false },
    inputSpec: { ndim: rank + 2 },
    outputShape(ctx): InternalShape {
      const input = requireInput(ctx);
      const format = dataFormat(ctx.args);
      if (ctx.args.bool('keepdims')) {
        const out = input.slice();
        for (const axis of spatialAxes(input.length, format)) out[axis] = 1;
        return out;
      }
      return [input[0], input[channelAxis(input.length, format)]];
    },
    receptiveField: () => null,
    tfjs:
      rank === 3
        ? { unsupported: `tfjs has no ${type}.` }
        : (r) => {
            if (r.bool('keepdims')) r.refuse(`tfjs’ ${type} has no \`keepdims\`.`);
            const format = r.dataFormat();
            if (rank === 1) {
              if (format === 'channelsFirst') r.refuse(`tfjs’ ${type} has no data_format="channels_first".`);
              return { className: type, config: {} };
            }
            return { className: type, config: { dataFormat: format } };
          },
  };
}

/**
 * Keras 3's `AdaptiveMaxPooling2D(output_size)` and the others: whatever the input's size, the output is
 * `(batch, *output_size, channels)` (channels first: `(batch, channels, *output_size)`), `output_size` an int or a
 * tuple of one per side. Keras checks no rank: its compute_output_shape reads the batch and the channels only.
 */
function adaptiveRule(type: string, rank: number): Rule {
  return {
    type,
    signature: ['output_size', 'data_format'],
    defaults: { data_format: null },
    outputShape(ctx) {
      const input = requireInput(ctx);
      const size = ctx.args.plain('output_size');
      const repr = ctx.args.repr('output_size');
      const typeName =
        typeof size === 'number' ? (Number.isInteger(size) ? 'int' : 'float') : Array.isArray(size) ? (repr.startsWith('[') ? 'list' : 'tuple') : 'str';
      if (rank === 1 && Array.isArray(size) && size.length !== 1)
        throw new LayerError('invalid-argument', `For 1D input, \`output_size\` tuple must have length 1. Received: ${repr}`);
      if (!(typeof size === 'number' && Number.isInteger(size)) && !(Array.isArray(size) && size.length === rank))
        throw new LayerError(
          'invalid-argument',
          `\`output_size\` must be an integer or ${['tuple of 1 integer', '(height, width) tuple', '(depth, height, width) tuple'][rank - 1]}. Received: ${repr} of type <class '${typeName}'>`,
        );
      const sides = (typeof size === 'number' ? new Array<number>(rank).fill(size) : size).map((d) => (typeof d === 'number' ? d : NaN));
      return dataFormat(ctx.args) === 'channels_first' ? [input[0], input[1], ...sides] : [input[0], ...sides, input[input.length - 1]];
    },
    receptiveField: () => null,
    tfjs: noTfjs(type),
  };
}

export const poolingRules: Rule[] = [
  ...[1, 2, 3].flatMap((r) => [
    poolRule(`MaxPooling${r}D`, r, [`MaxPool${r}D`]),
    poolRule(`AveragePooling${r}D`, r, [`AvgPool${r}D`]),
    globalRule(`GlobalMaxPooling${r}D`, r, [`GlobalMaxPool${r}D`]),
    globalRule(`GlobalAveragePooling${r}D`, r, [`GlobalAvgPool${r}D`]),
    adaptiveRule(`AdaptiveMaxPooling${r}D`, r),
    adaptiveRule(`AdaptiveAveragePooling${r}D`, r),
  ]),
];
