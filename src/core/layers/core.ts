/** Dense, Flatten, Reshape, Permute, RepeatVector and the layers that keep their input's shape. */
import { LayerError, lastDim, product, pyRepr, requireInput, shapeRepr, type PyDefault, type Rule } from './rule';

/** A layer that returns its input's shape and has no weights (activations, dropout, noise…). */
export function shapeKeeping(type: string, signature: string[], defaults: Record<string, PyDefault> = {}, extra: Partial<Rule> = {}): Rule {
  return { type, signature, defaults, outputShape: (ctx) => requireInput(ctx).slice(), receptiveField: () => 'keep', ...extra };
}

const dense: Rule = {
  type: 'Dense',
  signature: ['units', 'activation', 'use_bias'],
  defaults: { activation: null, use_bias: true },
  inputSpec: { minNdim: 2 },
  outputShape(ctx) {
    const input = requireInput(ctx);
    if (input[input.length - 1] === null)
      throw new LayerError('undefined-dimension', `The last dimension of the inputs to a Dense layer should be defined. Found None. Full input shape received: ${shapeRepr(input)}`);
    return [...input.slice(0, -1), ctx.args.int('units')];
  },
  params(ctx) {
    const units = ctx.args.int('units');
    const parts = [{ label: 'kernel', factors: [lastDim(ctx), units], trainable: true }];
    if (ctx.args.bool('use_bias')) parts.push({ label: 'bias', factors: [units], trainable: true });
    return parts;
  },
  macs(ctx, output) {
    // Dense on rank > 2 applies the same kernel at every position of the leading axes.
    const positions = product(output.slice(1, -1)) ?? NaN;
    return positions * lastDim(ctx) * ctx.args.int('units');
  },
  // On rank > 2 Dense works per position, so the spatial axes and their windows are kept.
  receptiveField: (ctx) => (ctx.input && ctx.input.length > 2 ? 'keep' : null),
};

const flatten: Rule = {
  type: 'Flatten',
  signature: ['data_format'],
  defaults: { data_format: null },
  outputShape(ctx) {
    const input = requireInput(ctx);
    if (input.length === 1) return [input[0], 1];
    const size = product(input.slice(1));
    if (size === null)
      ctx.warn?.(
        'flatten-unknown',
        `Flatten of ${shapeRepr(input)}: a dimension other than the batch is None (known only when the model runs), so the flattened size is unknown and a Dense layer after it cannot be built.`,
      );
    return [input[0], size];
  },
  receptiveField: () => null,
};

const reshape: Rule = {
  type: 'Reshape',
  signature: ['target_shape'],
  defaults: {},
  outputShape(ctx) {
    const input = requireInput(ctx);
    const target = ctx.args.plain('target_shape');
    const dims: number[] = (Array.isArray(target) ? target : [target]).map((d) => (typeof d === 'number' ? d : NaN));
    if (dims.filter((d) => d === -1).length > 1)
      throw new LayerError('invalid-argument', `There must be at most one unknown dimension (-1) in \`target_shape\`. Received: target_shape=${pyRepr(dims)}.`);
    const inSize = product(input.slice(1));
    if (inSize === null || Number.isNaN(inSize) || dims.some((d) => Number.isNaN(d))) return [input[0], ...dims.map((d) => (d === -1 ? NaN : d))];
    const known = dims.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    if (!dims.includes(-1)) {
      if (known !== inSize)
        throw new LayerError('reshape-size', `The total size of the tensor must be unchanged. Received: input_shape=${shapeRepr(input.slice(1))}, target_shape=${pyRepr(dims)}`);
      return [input[0], ...dims];
    }
    if (known === 0 || inSize % known !== 0)
      throw new LayerError('reshape-size', `The total size of the tensor must be unchanged, however, the input size cannot by divided by the specified dimensions in target_shape. Received: input_shape=${shapeRepr(input.slice(1))}, target_shape=${pyRepr(dims)}`);
    return [input[0], ...dims.map((d) => (d === -1 ? inSize / known : d))];
  },
  receptiveField: () => null,
};

const permute: Rule = {
  type: 'Permute',
  signature: ['dims'],
  defaults: {},
  outputShape(ctx) {
    const input = requireInput(ctx);
    const dims = ctx.args.plain('dims');
    if (!Array.isArray(dims)) throw new LayerError('invalid-argument', `Argument \`dims\` must be a tuple of axes. Received: dims=${pyRepr(dims)}`);
    const sorted = [...dims].map(Number).sort((a, b) => a - b);
    if (sorted.some((d, i) => d !== i + 1) || dims.length !== input.length - 1)
      throw new LayerError('invalid-argument', `Invalid permutation argument \`dims\` for Permute Layer. The set of indices in \`dims\` must be consecutive and start from 1. Received dims=${pyRepr(dims)}`);
    return [input[0], ...dims.map((d) => input[Number(d)])];
  },
  receptiveField: () => null,
};

const repeatVector: Rule = {
  type: 'RepeatVector',
  signature: ['n'],
  defaults: {},
  inputSpec: { ndim: 2 },
  outputShape(ctx) {
    const input = requireInput(ctx);
    return [input[0], ctx.args.int('n'), input[1]];
  },
  receptiveField: () => null,
};

export const coreRules: Rule[] = [
  dense,
  flatten,
  reshape,
  permute,
  repeatVector,
  shapeKeeping('Activation', ['activation']),
  shapeKeeping('Dropout', ['rate', 'noise_shape', 'seed'], { noise_shape: null, seed: null }),
  shapeKeeping('SpatialDropout1D', ['rate', 'seed'], { seed: null }, { inputSpec: { ndim: 3 } }),
  shapeKeeping('SpatialDropout2D', ['rate', 'data_format', 'seed'], { data_format: null, seed: null }, { inputSpec: { ndim: 4 } }),
  shapeKeeping('SpatialDropout3D', ['rate', 'data_format', 'seed'], { data_format: null, seed: null }, { inputSpec: { ndim: 5 } }),
  shapeKeeping('GaussianNoise', ['stddev', 'seed'], { seed: null }),
  shapeKeeping('GaussianDropout', ['rate', 'seed'], { seed: null }),
  shapeKeeping('AlphaDropout', ['rate', 'noise_shape', 'seed'], { noise_shape: null, seed: null }),
  shapeKeeping('ActivityRegularization', ['l1', 'l2'], { l1: 0, l2: 0 }),
  shapeKeeping('Masking', ['mask_value'], { mask_value: 0 }),
  shapeKeeping('Identity', []),
];
