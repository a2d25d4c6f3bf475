/**
 * Attention layers (Functional models): MultiHeadAttention, Attention and AdditiveAttention. Their inputs come in
 * `ctx.inputs` in Keras' order, query, value, then key (which defaults to the value): from the list a Functional
 * call passes (`layers.Attention()([q, v])`), or from separate tensors (`mha(q, v, key=k)`). Shapes, weights and
 * errors follow Keras 3's `keras/src/layers/attention`.
 *
 * MACs count, as everywhere (README: Definitions), the products with the layer's weights: MultiHeadAttention's
 * four projections, and the scales of Attention and AdditiveAttention. The products of queries with keys and of
 * scores with values are between two inputs, not with weights, and are not counted.
 */
import { definedWeight } from './norm';
import {
  calledInputs,
  LayerError,
  noTfjs,
  product,
  pyRepr,
  shapeRepr,
  Unresolved,
  type Dim,
  type InternalShape,
  type LayerContext,
  type ParamPart,
  type PyDefault,
  type Rule,
} from './rule';

/**
 * query, value, key (the value when not given). MultiHeadAttention's call needs a value: one tensor is Keras'
 * TypeError. Unresolved when a tensor is unknown.
 */
export function qvk(ctx: LayerContext): { query: InternalShape; value: InternalShape; key: InternalShape; given: number } {
  if ((ctx.called?.tensors ?? 1) < 2 && (ctx.called?.form ?? 'one') !== 'list')
    throw new LayerError('invalid-argument', "missing a required argument: 'value'");
  const inputs = calledInputs(ctx);
  const [query, value = query, key = value] = inputs;
  return { query, value, key, given: inputs.length };
}

const known = (d: Dim | undefined): number => (typeof d === 'number' ? d : NaN);
/** The positions a projection runs at: the dims between the batch and the last. */
export const positions = (shape: InternalShape): number => product(shape.slice(1, -1)) ?? NaN;
const sameDims = (a: Dim[], b: Dim[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/** A positive int argument, in the words of MultiHeadAttention's constructor. */
function positive(ctx: LayerContext, name: string, orNone = false): number {
  const v = ctx.args.plain(name);
  if (orNone && (v === null || v === undefined)) return NaN;
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0)
    throw new LayerError(
      'invalid-argument',
      `Received an invalid value for argument \`${name}\`, expected a positive integer${orNone ? ' or `None`' : ''}. Received: ${name}=${pyRepr(v)}`,
    );
  return v;
}

/** MultiHeadAttention's arguments, checked as its constructor checks them. */
function mhaArgs(ctx: LayerContext): { heads: number; keyDim: number; valueDim: number; output: Dim[] | null } {
  const heads = positive(ctx, 'num_heads');
  const keyDim = positive(ctx, 'key_dim');
  const valueDim = positive(ctx, 'value_dim', true);
  const raw = ctx.args.plain('output_shape');
  // `if output_shape:`: None, 0 and () mean the query's last dimension.
  let output: Dim[] | null = null;
  if (typeof raw === 'number' && raw !== 0) output = [raw];
  else if (Array.isArray(raw) && raw.length) output = raw.map((d) => (typeof d === 'number' ? d : d === null ? null : NaN));
  return { heads, keyDim, valueDim: Number.isNaN(valueDim) ? keyDim : valueDim, output };
}

/** `value_shape[1:-1] != key_shape[1:-1]` in MultiHeadAttention's build and compute_output_shape. */
export function checkValueKey(value: InternalShape, key: InternalShape): void {
  if (!sameDims(value.slice(1, -1), key.slice(1, -1)))
    throw new LayerError(
      'incompatible-shapes',
      `All dimensions of \`value\` and \`key\`, except the last one, must be equal. Received: value_shape=${shapeRepr(value)} and key_shape=${shapeRepr(key)}`,
    );
}

/**
 * MultiHeadAttention's weights, as its build makes its EinsumDense sublayers, in Keras' order: `query` kernel
 * (query dim, heads, key_dim) and bias (heads, key_dim); `key` the same from the key's last dim; with `use_gate`, a
 * `gate` (query dim, heads, value_dim) and (heads, value_dim); `value` (value's dim, heads, value_dim) and
 * (heads, value_dim); `attention_output` (heads, value_dim, *output) and (*output), where output is `output_shape`
 * or the query's last dim. A None among a kernel's dims is Keras' error for that variable.
 */
function mhaWeights(ctx: LayerContext): ParamPart[] {
  const { heads, keyDim, valueDim, output } = mhaArgs(ctx);
  const { query, value, key } = qvk(ctx);
  checkValueKey(value, key);
  const bias = ctx.args.bool('use_bias');
  const last = (s: InternalShape): Dim => s[s.length - 1];
  const parts: ParamPart[] = [];
  const dense = (name: string, kernel: Dim[], b: Dim[]) => {
    parts.push({ label: `${name}/kernel`, factors: definedWeight(ctx, 'MultiHeadAttention', `${name}/kernel`, kernel), trainable: true });
    if (bias) parts.push({ label: `${name}/bias`, factors: definedWeight(ctx, 'MultiHeadAttention', `${name}/bias`, b), trainable: true });
  };
  dense('query', [last(query), heads, keyDim], [heads, keyDim]);
  dense('key', [last(key), heads, keyDim], [heads, keyDim]);
  if (ctx.args.bool('use_gate')) dense('gate', [last(query), heads, valueDim], [heads, valueDim]);
  dense('value', [last(value), heads, valueDim], [heads, valueDim]);
  const out = output ?? [last(query)];
  dense('attention_output', [heads, valueDim, ...out], out);
  return parts;
}

/**
 * `MultiHeadAttention(num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True, output_shape=None,
 * attention_axes=None)` called as `mha(query, value, key=None)`. Output: the query's shape with its last dim
 * replaced by `output_shape` (default: the query's last dim); `attention_axes` changes neither shapes nor weights.
 */
const multiHeadAttention: Rule = {
  type: 'MultiHeadAttention',
  signature: ['num_heads', 'key_dim', 'value_dim', 'dropout', 'use_bias', 'output_shape', 'attention_axes'],
  defaults: { value_dim: null, dropout: 0, use_bias: true, output_shape: null, attention_axes: null, use_gate: false },
  multiInput: true,
  callInputs: ['query', 'value', 'key'],
  callRequires: 2,
  outputShape(ctx) {
    // Keras builds the layer (its weights) before it computes the output's shape.
    mhaWeights(ctx);
    const { output } = mhaArgs(ctx);
    const { query } = qvk(ctx);
    return output ? [...query.slice(0, -1), ...output] : query.slice();
  },
  params: mhaWeights,
  // The four projections (and the gate): positions × input dim × the projection's outputs.
  macs(ctx) {
    const { heads, keyDim, valueDim, output } = mhaArgs(ctx);
    const { query, value, key } = qvk(ctx);
    const last = (s: InternalShape) => known(s[s.length - 1]);
    const out = product(output ?? [last(query)]) ?? NaN;
    const gate = ctx.args.bool('use_gate') ? positions(query) * last(query) * heads * valueDim : 0;
    return (
      positions(query) * last(query) * heads * keyDim +
      positions(key) * last(key) * heads * keyDim +
      gate +
      positions(value) * last(value) * heads * valueDim +
      positions(query) * heads * valueDim * out
    );
  },
  // Each output position attends to every position of the value: no window.
  receptiveField: () => null,
  tfjs: noTfjs('MultiHeadAttention'),
};

/** Attention and AdditiveAttention take `[query, value]` or `[query, value, key]` (`_validate_inputs`). */
function attentionInputs(ctx: LayerContext, type: string): { query: InternalShape; value: InternalShape; key: InternalShape } {
  const form = ctx.called?.form ?? 'one';
  if (form !== 'list') {
    // Keras prints what it got: one shape, or a tuple of them.
    const got = form === 'tuple' && ctx.inputs ? pyRepr(ctx.inputs.map((s) => s.slice()) as PyDefault[]) : shapeRepr(ctx.input);
    if (form === 'tuple' && !ctx.inputs) throw new Unresolved();
    throw new LayerError(
      'invalid-argument',
      `${type} layer must be called on a list of inputs, namely [query, value] or [query, value, key]. Received: inputs=${got}.`,
    );
  }
  const { query, value, key, given } = qvk(ctx);
  if (given < 2 || given > 3)
    throw new LayerError(
      'invalid-argument',
      `${type} layer accepts inputs list of length 2 or 3, namely [query, value] or [query, value, key]. Received length: ${given}.`,
    );
  return { query, value, key };
}

/** The scores' positions: the query's (all dims between the batch and the last) times the key's Tv. */
function scorePositions(query: InternalShape, key: InternalShape): number {
  return key.length >= 3 ? positions(query) * known(key[key.length - 2]) : NaN;
}

/** Output of both: the query's shape with the value's last dimension. */
function attentionOutput(ctx: LayerContext, type: string): InternalShape {
  const { query, value } = attentionInputs(ctx, type);
  return [...query.slice(0, -1), value[value.length - 1]];
}

/**
 * `Attention(use_scale=False, score_mode='dot')`, Luong-style: a scalar `scale` when `use_scale`, and a scalar
 * `concat_score_weight` when `score_mode='concat'`.
 */
const attention: Rule = {
  type: 'Attention',
  signature: ['use_scale', 'score_mode', 'dropout', 'seed'],
  defaults: { use_scale: false, score_mode: 'dot', dropout: 0, seed: null },
  multiInput: true,
  outputShape(ctx) {
    scoreMode(ctx);
    return attentionOutput(ctx, 'Attention');
  },
  params(ctx) {
    const mode = scoreMode(ctx);
    attentionInputs(ctx, 'Attention');
    const parts: ParamPart[] = [];
    if (ctx.args.bool('use_scale')) parts.push({ label: 'scale', factors: [1], trainable: true });
    if (mode === 'concat') parts.push({ label: 'concat_score_weight', factors: [1], trainable: true });
    return parts;
  },
  // dot: the scale multiplies each score; concat: the weight multiplies each score, and the scale each sum's term.
  macs(ctx) {
    const { query, key } = attentionInputs(ctx, 'Attention');
    const scale = ctx.args.bool('use_scale');
    const scores = scorePositions(query, key);
    if (scoreMode(ctx) === 'dot') return scale ? scores : 0;
    return scores + (scale ? scores * known(query[query.length - 1]) : 0);
  },
  receptiveField: () => null,
  tfjs: noTfjs('Attention'),
};

function scoreMode(ctx: LayerContext): string {
  const mode = ctx.args.str('score_mode');
  if (mode !== 'dot' && mode !== 'concat')
    throw new LayerError('invalid-argument', `Invalid value for argument score_mode. Expected one of {'dot', 'concat'}. Received: score_mode=${mode}`);
  return mode;
}

function additiveWeights(ctx: LayerContext): ParamPart[] {
  const { query } = attentionInputs(ctx, 'AdditiveAttention');
  if (!ctx.args.bool('use_scale')) return [];
  return [{ label: 'scale', factors: definedWeight(ctx, 'AdditiveAttention', 'scale', [query[query.length - 1]]), trainable: true }];
}

/** `AdditiveAttention(use_scale=True)`, Bahdanau-style: a `scale` vector of the query's last dimension when `use_scale`. */
const additiveAttention: Rule = {
  type: 'AdditiveAttention',
  signature: ['use_scale', 'dropout'],
  defaults: { use_scale: true, dropout: 0 },
  multiInput: true,
  outputShape: (ctx) => (additiveWeights(ctx), attentionOutput(ctx, 'AdditiveAttention')),
  params: additiveWeights,
  // The scale multiplies each term of each score's sum.
  macs(ctx) {
    const { query, key } = attentionInputs(ctx, 'AdditiveAttention');
    return ctx.args.bool('use_scale') ? scorePositions(query, key) * known(query[query.length - 1]) : 0;
  },
  receptiveField: () => null,
  tfjs: noTfjs('AdditiveAttention'),
};

export const attentionRules: Rule[] = [multiHeadAttention, attention, additiveAttention];
