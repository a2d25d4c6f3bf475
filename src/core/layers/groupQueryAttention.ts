/**
 * Keras 3's `GroupQueryAttention(head_dim, num_query_heads, num_key_value_heads, dropout=0.0, use_bias=True, …)`
 * (class GroupedQueryAttention), called as `gqa(query, value, key=None)`: MultiHeadAttention whose keys and values
 * have fewer heads, each shared by a group of query heads. The output has the query's shape. Weights, as its build
 * makes its EinsumDense sublayers: `query` (query dim, query heads, head_dim), `key` and `value` (their last dim,
 * key/value heads, head_dim), with `use_gate` a `gate` like the query, and `attention_output` (query heads,
 * head_dim, query dim); biases (heads, head_dim) and (query dim,) with `use_bias`.
 */
import { checkValueKey, positions, qvk } from './attention';
import { definedWeight } from './norm';
import { LayerError, noTfjs, pyRepr, shapeRepr, type Dim, type InternalShape, type LayerContext, type ParamPart, type Rule } from './rule';

/** Keras' class name, which its summary prints; `keras.layers` exports it as GroupQueryAttention. */
const TYPE = 'GroupedQueryAttention';

/** The heads and head size, checked as the constructor checks them. */
function heads(ctx: LayerContext): { dim: number; query: number; kv: number } {
  const [dim, query, kv] = [ctx.args.int('head_dim'), ctx.args.int('num_query_heads'), ctx.args.int('num_key_value_heads')];
  if (query % kv !== 0) throw new LayerError('invalid-argument', '`num_query_heads` must be divisible by `num_key_value_heads`.');
  const window = ctx.args.plain('sliding_window');
  if (window !== null && window !== undefined && !(typeof window === 'number' && Number.isInteger(window) && window > 0))
    throw new LayerError('invalid-argument', `\`sliding_window\` must be \`None\` or a positive integer. Received: sliding_window=${pyRepr(window)}`);
  return { dim, query, kv };
}

const last = (s: InternalShape): Dim => s[s.length - 1];

function weights(ctx: LayerContext): ParamPart[] {
  const h = heads(ctx);
  const { query, value, key } = qvk(ctx);
  const bias = ctx.args.bool('use_bias');
  const parts: ParamPart[] = [];
  const dense = (name: string, kernel: Dim[], b: Dim[]) => {
    parts.push({ label: `${name}/kernel`, factors: definedWeight(ctx, TYPE, `${name}/kernel`, kernel), trainable: true });
    if (bias) parts.push({ label: `${name}/bias`, factors: definedWeight(ctx, TYPE, `${name}/bias`, b), trainable: true });
  };
  dense('query', [last(query), h.query, h.dim], [h.query, h.dim]);
  dense('key', [last(key), h.kv, h.dim], [h.kv, h.dim]);
  if (ctx.args.bool('use_gate')) dense('gate', [last(query), h.query, h.dim], [h.query, h.dim]);
  dense('value', [last(value), h.kv, h.dim], [h.kv, h.dim]);
  dense('attention_output', [h.query, h.dim, last(query)], [last(query)]);
  return parts;
}

export const groupQueryAttention: Rule = {
  type: TYPE,
  aliases: ['GroupQueryAttention'],
  signature: ['head_dim', 'num_query_heads', 'num_key_value_heads', 'dropout', 'use_bias', 'sliding_window', 'flash_attention'],
  defaults: { dropout: 0.0, use_bias: true, sliding_window: null, flash_attention: null, use_gate: false, seed: null },
  multiInput: true,
  callInputs: ['query', 'value', 'key'],
  callRequires: 2,
  outputShape(ctx) {
    // Keras builds the layer (its weights) before compute_output_shape checks the shapes.
    weights(ctx);
    const { query, value, key } = qvk(ctx);
    if (last(query) !== last(value))
      throw new LayerError(
        'incompatible-shapes',
        `The last dimension of \`query_shape\` and \`value_shape\` must be equal, but are ${pyRepr(last(query))}, ${pyRepr(last(value))}. Received: query_shape=${shapeRepr(query)}, value_shape=${shapeRepr(value)}`,
      );
    checkValueKey(value, key);
    return query.slice();
  },
  params: weights,
  // The projections, as MultiHeadAttention's: positions × input dim × the projection's outputs.
  macs(ctx) {
    const h = heads(ctx);
    const { query, value, key } = qvk(ctx);
    const dim = (s: InternalShape) => last(s) ?? NaN;
    const q = positions(query) * dim(query) * h.query * h.dim;
    return 2 * q + (ctx.args.bool('use_gate') ? q : 0) + (positions(key) * dim(key) + positions(value) * dim(value)) * h.kv * h.dim;
  },
  receptiveField: () => null,
  tfjs: noTfjs(TYPE),
};
