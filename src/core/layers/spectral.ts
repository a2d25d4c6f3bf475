/**
 * `SpectralNormalization(layer, power_iterations=1)` (Keras 3 and tf.keras 2.13+): the wrapped layer, whose kernel
 * is divided by its largest singular value at each call. Its output is the wrapped layer's; its weights are the
 * wrapped layer's plus `vector_u`, a non-trainable `(1, kernel.shape[-1])` estimate of a singular vector. Keras
 * takes the layer's `kernel`, or an Embedding's `embeddings`, and refuses a layer that has neither.
 */
import { LayerError, noTfjs, requireInput, type ParamPart, type Rule } from './rule';
import { checkedInner, frozenIfSo, innerLayer } from './recurrent';

/**
 * The wrapped layer's weights, with the one Keras normalises: its `kernel` attribute (DepthwiseConv's is its
 * depthwise kernel; SeparableConv has none, and a recurrent layer's kernels belong to its cell) or `embeddings`.
 */
function wrappedWeights(ctx: Parameters<Rule['outputShape']>[0]): { parts: ParamPart[]; kernel: ParamPart } {
  const { rule, args } = innerLayer(ctx, 'SpectralNormalization');
  const parts = frozenIfSo(args, rule.params?.({ args, input: ctx.input }) ?? []);
  const named = rule.type.startsWith('DepthwiseConv') ? ['depthwise kernel'] : ['kernel', 'embeddings'];
  const kernel = rule.recurrent ? undefined : parts.find((p) => named.includes(p.label));
  if (!kernel) throw new LayerError('invalid-argument', `${rule.type} object has no attribute 'kernel' nor 'embeddings'`);
  return { parts, kernel };
}

export const spectralNormalization: Rule = {
  type: 'SpectralNormalization',
  signature: ['layer', 'power_iterations'],
  defaults: { power_iterations: 1 },
  wraps: true,
  outputShape(ctx) {
    const { rule, args } = checkedInner(ctx, 'SpectralNormalization', requireInput(ctx));
    const out = rule.outputShape({ args, input: ctx.input });
    wrappedWeights(ctx);
    return out;
  },
  params(ctx) {
    const { parts, kernel } = wrappedWeights(ctx);
    return [...parts, { label: 'vector_u', factors: [1, kernel.factors[kernel.factors.length - 1]], trainable: false }];
  },
  macs(ctx, output) {
    const { rule, args } = innerLayer(ctx, 'SpectralNormalization');
    return rule.macs?.({ args, input: ctx.input }, output) ?? 0;
  },
  receptiveField(ctx, output) {
    const { rule, args } = innerLayer(ctx, 'SpectralNormalization');
    return rule.receptiveField?.({ args, input: ctx.input }, output) ?? null;
  },
  tfjs: noTfjs('SpectralNormalization'),
};
