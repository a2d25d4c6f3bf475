/**
 * Preprocessing layers that encode values as categories: CategoryEncoding, Discretization and Hashing, as Keras 3's
 * `compute_output_shape` gives their shapes. None has weights: Discretization's boundaries are not variables.
 */
import { calledInputs, LayerError, requireInput, shapeRepr, Unresolved, type Dim, type InternalShape, type LayerContext, type Rule } from './rule';

/** An argument that is an integer, None (null) or unknown (NaN). */
function optionalInt(ctx: LayerContext, name: string): number | null {
  try {
    const v = ctx.args.plain(name);
    return typeof v === 'number' ? v : v === null || v === undefined ? null : NaN;
  } catch (e) {
    if (e instanceof Unresolved) return NaN;
    throw e;
  }
}

/** `one_hot` adds an axis of `depth`, replacing a last axis of 1 where the input has more than one axis. */
function oneHot(input: InternalShape, depth: Dim): InternalShape {
  return input.length > 1 && input[input.length - 1] === 1 ? [...input.slice(0, -1), depth] : [...input, depth];
}

/**
 * `CategoryEncoding(num_tokens, output_mode='multi_hot')`: `multi_hot` and `count` replace the last axis by
 * `num_tokens`; `one_hot` encodes every value (a last axis of 1 is replaced; a rank-1 input gets a new axis).
 */
const categoryEncoding: Rule = {
  type: 'CategoryEncoding',
  signature: ['num_tokens', 'output_mode', 'sparse'],
  defaults: { num_tokens: null, output_mode: 'multi_hot', sparse: false },
  outputShape(ctx) {
    let mode = ctx.args.str('output_mode');
    if (mode === 'binary') mode = 'multi_hot';
    if (!['count', 'one_hot', 'multi_hot'].includes(mode)) throw new LayerError('invalid-argument', `Unknown arg for output_mode: ${mode}`);
    const tokens = optionalInt(ctx, 'num_tokens');
    if (tokens === null)
      throw new LayerError(
        'invalid-argument',
        'num_tokens must be set to use this layer. If the number of tokens is not known beforehand, use the IntegerLookup layer instead.',
      );
    if (tokens < 1) throw new LayerError('invalid-argument', `\`num_tokens\` must be >= 1. Received: num_tokens=${tokens}.`);
    const input = requireInput(ctx);
    if (mode === 'one_hot') return input.length === 1 ? [...input, tokens] : oneHot(input, tokens);
    return [...input.slice(0, -1), tokens];
  },
  receptiveField: () => null,
  tfjs(r) {
    // tfjs-layers 4.22's computeOutputShape writes the output's last axis into the shape it is given, the model's input's.
    if (!r.options.allowWrongSymbolicShape) r.refuse('tfjs’ CategoryEncoding writes its output shape over its input’s, which breaks the model’s input shape.');
    const mode = r.str('output_mode') ?? 'multi_hot';
    const outputMode = { one_hot: 'oneHot', multi_hot: 'multiHot', binary: 'multiHot', count: 'count' }[mode];
    if (!outputMode) return r.refuseValue('output_mode', mode);
    if (r.bool('sparse')) r.refuse('tfjs’ CategoryEncoding has no `sparse`.');
    return { className: 'CategoryEncoding', config: { numTokens: r.int('num_tokens'), outputMode } };
  },
};

const DISCRETIZATION_MODES = ['int', 'one_hot', 'multi_hot', 'count'];

/**
 * `Discretization(bin_boundaries=None, num_bins=None, …)`: `int` keeps the shape; the other modes end in an axis
 * of one value per bin (the boundaries plus one, or `num_bins`, whose boundaries `adapt()` learns): `one_hot`
 * adds it, and `multi_hot` and `count` drop the input's axis 1 (Keras' own reading of its eager output).
 */
const discretization: Rule = {
  type: 'Discretization',
  signature: ['bin_boundaries', 'num_bins', 'epsilon', 'output_mode', 'sparse'],
  defaults: { bin_boundaries: null, num_bins: null, epsilon: 0.01, output_mode: 'int', sparse: false },
  outputShape(ctx) {
    const mode = ctx.args.str('output_mode');
    if (ctx.args.bool('sparse') && mode === 'int')
      throw new LayerError(
        'invalid-argument',
        `\`sparse=True\` may only be used if \`output_mode\` is \`'one_hot'\`, \`'multi_hot'\`, or \`'count'\`. Received: sparse=True and output_mode=${mode}`,
      );
    if (!DISCRETIZATION_MODES.includes(mode))
      throw new LayerError(
        'invalid-argument',
        `Unknown value for \`output_mode\` argument of Discretization. Allowed values are: (${DISCRETIZATION_MODES.map((m) => `'${m}'`).join(', ')}). Received: output_mode=${mode}`,
      );
    const bins = optionalInt(ctx, 'num_bins');
    if (bins !== null && bins < 0) throw new LayerError('invalid-argument', `\`num_bins\` must be greater than or equal to 0. Received: \`num_bins=${bins}\``);
    let boundaries: unknown;
    try {
      boundaries = ctx.args.plain('bin_boundaries');
    } catch (e) {
      if (!(e instanceof Unresolved)) throw e;
      boundaries = NaN;
    }
    if (bins !== null && boundaries !== null)
      throw new LayerError(
        'invalid-argument',
        `Both \`num_bins\` and \`bin_boundaries\` should not be set. Received: \`num_bins=${bins}\` and \`bin_boundaries=${ctx.args.repr('bin_boundaries')}\``,
      );
    if (bins === null && boundaries === null) throw new LayerError('invalid-argument', 'You need to set either `num_bins` or `bin_boundaries`.');
    const input = requireInput(ctx);
    if (mode === 'int') return input.slice();
    const depth = Array.isArray(boundaries) ? boundaries.length + 1 : (bins ?? NaN);
    if (mode === 'one_hot') return oneHot(input, depth);
    return input.length >= 2 ? [input[0], ...input.slice(2), depth] : [depth];
  },
  receptiveField: () => null,
  tfjs: { unsupported: 'tfjs has no Discretization layer.' },
};

const HASHING_MODES = ['int', 'one_hot', 'multi_hot', 'count'];

/**
 * `Hashing(num_bins, mask_value=None, salt=None, output_mode='int', sparse=False)`: `int` keeps the shape (a bin
 * per value); the other modes replace the last axis by `num_bins`.
 */
const hashing: Rule = {
  type: 'Hashing',
  signature: ['num_bins', 'mask_value', 'salt', 'output_mode', 'sparse'],
  defaults: { mask_value: null, salt: null, output_mode: 'int', sparse: false },
  outputShape(ctx) {
    const bins = optionalInt(ctx, 'num_bins');
    if (bins === null || bins <= 0)
      throw new LayerError(
        'invalid-argument',
        `The \`num_bins\` for \`Hashing\` cannot be \`None\` or non-positive values. Received: num_bins=${bins === null ? 'None' : bins}.`,
      );
    const mode = ctx.args.str('output_mode');
    if (!HASHING_MODES.includes(mode))
      throw new LayerError(
        'invalid-argument',
        `Invalid value for argument \`output_mode\`. Expected one of (${HASHING_MODES.map((m) => `'${m}'`).join(', ')}). Received: output_mode=${mode}`,
      );
    if (ctx.args.bool('sparse') && mode === 'int')
      throw new LayerError(
        'invalid-argument',
        `\`sparse\` may only be true if \`output_mode\` is \`"one_hot"\`, \`"multi_hot"\`, or \`"count"\`. Received: sparse=True and output_mode=${mode}`,
      );
    const input = requireInput(ctx);
    if (mode === 'int') return input.slice();
    return [...input.slice(0, -1), bins];
  },
  receptiveField: () => null,
  tfjs: { unsupported: 'tfjs has no Hashing layer.' },
};

/**
 * `HashedCrossing(num_bins, output_mode='int')` called on a tuple of two features: their crossed hash, with the
 * first's shape in `int` mode; `one_hot` adds an axis of `num_bins` (replacing a last axis of 1).
 */
const hashedCrossing: Rule = {
  type: 'HashedCrossing',
  signature: ['num_bins', 'output_mode', 'sparse'],
  defaults: { output_mode: 'int', sparse: false },
  multiInput: true,
  outputShape(ctx) {
    const mode = ctx.args.str('output_mode');
    if (mode !== 'int' && mode !== 'one_hot')
      throw new LayerError(
        'invalid-argument',
        `Unknown value for \`output_mode\` argument of HashedCrossing. Allowed values are: ('int', 'one_hot'). Received: output_mode=${mode}`,
      );
    const inputs = calledInputs(ctx);
    const shown = ctx.called?.form === 'one' ? shapeRepr(inputs[0]) : `(${inputs.map((i) => shapeRepr(i)).join(', ')})`;
    if (inputs.length !== 2 || ctx.called?.form === 'one')
      throw new LayerError('invalid-argument', `Expected as input a list/tuple of 2 tensors. Received input_shape=${shown}`);
    const [first, second] = inputs;
    if (first[first.length - 1] !== second[second.length - 1])
      throw new LayerError('incompatible-shapes', `Expected the two input tensors to have identical shapes. Received input_shape=${shown}`);
    const bins = ctx.args.int('num_bins');
    if (mode === 'int') return first.slice();
    return first[first.length - 1] !== 1 ? [...first, bins] : [...first.slice(0, -1), bins];
  },
  receptiveField: () => null,
  tfjs: { unsupported: 'tfjs has no HashedCrossing layer.' },
};

export const encodingRules: Rule[] = [categoryEncoding, discretization, hashing, hashedCrossing];
