/** Dense, Flatten, Reshape, Permute, RepeatVector and the layers that keep their input's shape. */
import type { Reader } from '../tfjs/toTfjs';
import { LayerError, lastDim, noTfjs, product, pyRepr, requireInput, shapeRepr, type PyDefault, type Rule } from './rule';

/** A layer that returns its input's shape and has no weights (activations, dropout, noise…). */
export function shapeKeeping(type: string, signature: string[], defaults: Record<string, PyDefault> = {}, extra: Partial<Rule> = {}): Rule {
  return { type, signature, defaults, keepsShape: true, outputShape: (ctx) => requireInput(ctx).slice(), receptiveField: () => 'keep', ...extra };
}

const dense: Rule = {
  type: 'Dense',
  signature: ['units', 'activation', 'use_bias'],
  defaults: { activation: null, use_bias: true },
  initializers: ['kernel_initializer'],
  inputSpec: { minNdim: 2 },
  outputShape(ctx) {
    const input = requireInput(ctx);
    if (input[input.length - 1] === null)
      throw new LayerError(
        'undefined-dimension',
        `The last dimension of the inputs to a Dense layer should be defined. Found None. Full input shape received: ${shapeRepr(input)}`,
      );
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
  tfjs: (r) => ({ className: 'Dense', config: { units: r.int('units'), activation: r.activation(), useBias: r.bool('use_bias') } }),
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
  tfjs(r) {
    const input = r.spec.inputShape;
    if (input && input.slice(1).some((d) => d === null)) r.refuse('tfjs’ Flatten needs every input dimension known.');
    // tfjs' Flatten wants rank ≥ 3; on rank 2 Keras' Flatten changes nothing.
    if (input && input.length === 2) return { className: 'Activation', config: { activation: 'linear' } };
    return { className: 'Flatten', config: { dataFormat: r.dataFormat() } };
  },
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
        throw new LayerError(
          'reshape-size',
          `The total size of the tensor must be unchanged. Received: input_shape=${shapeRepr(input.slice(1))}, target_shape=${pyRepr(dims)}`,
        );
      return [input[0], ...dims];
    }
    if (known === 0 || inSize % known !== 0)
      throw new LayerError(
        'reshape-size',
        `The total size of the tensor must be unchanged, however, the input size cannot by divided by the specified dimensions in target_shape. Received: input_shape=${shapeRepr(input.slice(1))}, target_shape=${pyRepr(dims)}`,
      );
    return [input[0], ...dims.map((d) => (d === -1 ? inSize / known : d))];
  },
  receptiveField: () => null,
  tfjs(r) {
    const target = r.get('target_shape');
    const dims = Array.isArray(target) ? target : [target];
    if (!dims.every((d) => typeof d === 'number' && Number.isInteger(d))) r.refuseValue('target_shape', target);
    // tfjs leaves -1 unresolved in its symbolic shape whenever the batch size is unknown, so the layers after
    // it would be built for an unknown dimension; Keras resolves it from the input, as the core did.
    const out = r.spec.outputShape;
    const resolved = dims.includes(-1) && out && out.length === dims.length + 1 && out.slice(1).every((d) => d !== null) ? out.slice(1) : dims;
    return { className: 'Reshape', config: { targetShape: resolved } };
  },
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
      throw new LayerError(
        'invalid-argument',
        `Invalid permutation argument \`dims\` for Permute Layer. The set of indices in \`dims\` must be consecutive and start from 1. Received dims=${pyRepr(dims)}`,
      );
    return [input[0], ...dims.map((d) => input[Number(d)])];
  },
  receptiveField: () => null,
  tfjs(r) {
    const dims = r.get('dims');
    if (!Array.isArray(dims) || !dims.every((d) => typeof d === 'number')) return r.refuseValue('dims', dims);
    return { className: 'Permute', config: { dims: dims.slice() } };
  },
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
  tfjs: (r) => ({ className: 'RepeatVector', config: { n: r.int('n') } }),
};

/** Dropout and AlphaDropout: the rate, the noise shape where given, and (Dropout only in tfjs) the seed. */
function dropoutTfjs(type: 'Dropout' | 'AlphaDropout') {
  return (r: Reader) => {
    const config: Record<string, unknown> = { rate: r.num('rate') };
    const noise = r.get('noise_shape');
    if (noise !== null && noise !== undefined) {
      if (!Array.isArray(noise)) r.refuseValue('noise_shape', noise);
      config.noiseShape = noise.slice();
    }
    if (type === 'Dropout' && r.has('seed')) config.seed = r.int('seed');
    return { className: type, config };
  };
}

export const coreRules: Rule[] = [
  dense,
  flatten,
  reshape,
  permute,
  repeatVector,
  shapeKeeping('Activation', ['activation'], {}, { tfjs: (r) => ({ className: 'Activation', config: { activation: r.activation() } }) }),
  shapeKeeping('Dropout', ['rate', 'noise_shape', 'seed'], { noise_shape: null, seed: null }, { tfjs: dropoutTfjs('Dropout') }),
  shapeKeeping(
    'SpatialDropout1D',
    ['rate', 'seed'],
    { seed: null },
    {
      inputSpec: { ndim: 3 },
      tfjs(r) {
        const config: Record<string, unknown> = { rate: r.num('rate') };
        if (r.has('seed')) config.seed = r.int('seed');
        return { className: 'SpatialDropout1D', config };
      },
    },
  ),
  shapeKeeping(
    'SpatialDropout2D',
    ['rate', 'data_format', 'seed'],
    { data_format: null, seed: null },
    { inputSpec: { ndim: 4 }, tfjs: noTfjs('SpatialDropout2D') },
  ),
  shapeKeeping(
    'SpatialDropout3D',
    ['rate', 'data_format', 'seed'],
    { data_format: null, seed: null },
    { inputSpec: { ndim: 5 }, tfjs: noTfjs('SpatialDropout3D') },
  ),
  shapeKeeping('GaussianNoise', ['stddev', 'seed'], { seed: null }, { tfjs: (r) => ({ className: 'GaussianNoise', config: { stddev: r.num('stddev') } }) }),
  shapeKeeping('GaussianDropout', ['rate', 'seed'], { seed: null }, { tfjs: (r) => ({ className: 'GaussianDropout', config: { rate: r.num('rate') } }) }),
  shapeKeeping('AlphaDropout', ['rate', 'noise_shape', 'seed'], { noise_shape: null, seed: null }, { tfjs: dropoutTfjs('AlphaDropout') }),
  shapeKeeping('ActivityRegularization', ['l1', 'l2'], { l1: 0, l2: 0 }, { tfjs: noTfjs('ActivityRegularization') }),
  shapeKeeping('Masking', ['mask_value'], { mask_value: 0 }, { tfjs: (r) => ({ className: 'Masking', config: { maskValue: r.num('mask_value') } }) }),
  // tfjs has no Identity layer (its `Identity` class is an initializer); a linear Activation is the same function.
  shapeKeeping('Identity', [], {}, { tfjs: () => ({ className: 'Activation', config: { activation: 'linear' } }) }),
];
