/** Embedding, ReversibleEmbedding, SimpleRNN, LSTM, GRU and the wrappers Bidirectional and TimeDistributed. */
import {
  Args,
  LayerError,
  noTfjs,
  inputSpecError,
  lastDim,
  toSnakeCase,
  pyRepr,
  requireInput,
  shapeRepr,
  type InternalShape,
  type LayerContext,
  type ParamPart,
  type Rule,
} from './rule';
import { didYouMean } from './nearMiss';
import { ruleFor } from './registry';
import type { Shape } from '../types';

const rnnDefaults = { activation: 'tanh', use_bias: true, return_sequences: false, return_state: false, go_backwards: false, stateful: false, unroll: false };

/** Weight matrices per gate: SimpleRNN 1, LSTM 4, GRU 3. */
function recurrentRule(type: string, gates: number, extraDefaults: Record<string, string | boolean | number> = {}): Rule {
  return {
    type,
    signature: ['units', 'activation'],
    defaults: { ...rnnDefaults, ...extraDefaults },
    inputSpec: { ndim: 3 },
    recurrent: true,
    initializers: ['kernel_initializer', 'recurrent_initializer'],
    outputShape(ctx) {
      const input = requireInput(ctx);
      // In a Functional model the states are more outputs (moreOutputs); a Sequential model cannot pass them on.
      if (!ctx.called && ctx.args.bool('return_state'))
        throw new LayerError('unsupported', `${type}(return_state=True) returns a list of tensors, which a Sequential model cannot pass on.`);
      const units = ctx.args.int('units');
      return ctx.args.bool('return_sequences') ? [input[0], input[1], units] : [input[0], units];
    },
    // Keras' LSTM returns [output, h, c] with return_state; GRU and SimpleRNN [output, h]. Each state is (batch, units).
    outputCount: (args) => (args.bool('return_state') ? (type === 'LSTM' ? 3 : 2) : 1),
    moreOutputs(ctx, output) {
      const units = ctx.args.int('units');
      return Array.from({ length: (this.outputCount?.(ctx.args) ?? 1) - 1 }, () => [output[0], units]);
    },
    params(ctx) {
      const units = ctx.args.int('units');
      const parts: ParamPart[] = [
        { label: 'kernel', factors: [lastDim(ctx), gates * units], trainable: true },
        { label: 'recurrent kernel', factors: [units, gates * units], trainable: true },
      ];
      if (ctx.args.bool('use_bias')) {
        // GRU with reset_after (Keras' default) keeps separate input and recurrent biases.
        const resetAfter = type === 'GRU' && ctx.args.bool('reset_after');
        parts.push({ label: 'bias', factors: resetAfter ? [2, gates * units] : [gates * units], trainable: true });
      }
      return parts;
    },
    macs(ctx) {
      const input = requireInput(ctx);
      const units = ctx.args.int('units');
      return (input[1] ?? NaN) * gates * units * (lastDim(ctx) + units);
    },
    receptiveField: () => null,
    tfjs(r) {
      if (r.bool('return_state')) r.refuse(`${type}(return_state=True) returns several tensors, which a Sequential model cannot pass on.`);
      if (type === 'GRU' && r.bool('reset_after'))
        r.refuse('tfjs’ GRU has only reset_after=False; Keras’ default is reset_after=True (separate input and recurrent biases).');
      const config: Record<string, unknown> = {
        units: r.int('units'),
        activation: r.activation(),
        useBias: r.bool('use_bias'),
        returnSequences: r.bool('return_sequences'),
        goBackwards: r.bool('go_backwards'),
        stateful: r.bool('stateful'),
        // `unroll` changes nothing in the result; tfjs ignores it (with a console warning), so it is left out.
      };
      // tfjs' default recurrent activation is Keras 2's hard sigmoid; Keras' is sigmoid.
      if (type !== 'SimpleRNN') config.recurrentActivation = r.activation('recurrent_activation');
      if (type === 'LSTM') config.unitForgetBias = r.get('unit_forget_bias') === undefined ? true : r.bool('unit_forget_bias');
      if (r.has('dropout')) config.dropout = r.num('dropout');
      if (r.has('recurrent_dropout')) config.recurrentDropout = r.num('recurrent_dropout');
      return { className: type, config };
    },
  };
}

const embedding: Rule = {
  type: 'Embedding',
  signature: ['input_dim', 'output_dim', 'embeddings_initializer', 'embeddings_regularizer', 'embeddings_constraint', 'mask_zero'],
  defaults: { embeddings_initializer: 'uniform', embeddings_regularizer: null, embeddings_constraint: null, mask_zero: false },
  outputShape: (ctx) => [...requireInput(ctx), ctx.args.int('output_dim')],
  params: (ctx) => [{ label: 'embeddings', factors: [ctx.args.int('input_dim'), ctx.args.int('output_dim')], trainable: true }],
  receptiveField: () => null,
  tfjs: (r) => ({ className: 'Embedding', config: { inputDim: r.int('input_dim'), outputDim: r.int('output_dim'), maskZero: r.bool('mask_zero') } }),
  initializers: ['embeddings_initializer'],
};

/**
 * Keras 3's `ReversibleEmbedding(input_dim, output_dim, tie_weights=True)`: an Embedding that can also project back
 * to the vocabulary (`reverse=True`, which LayerLens does not follow); untied, it keeps its own
 * `(output_dim, input_dim)` reverse matrix.
 */
const reversibleEmbedding: Rule = {
  ...embedding,
  type: 'ReversibleEmbedding',
  signature: ['input_dim', 'output_dim', 'tie_weights', 'embeddings_initializer', 'embeddings_regularizer', 'embeddings_constraint', 'mask_zero'],
  defaults: { ...embedding.defaults, tie_weights: true },
  params(ctx) {
    const [inputDim, outputDim] = [ctx.args.int('input_dim'), ctx.args.int('output_dim')];
    const parts: ParamPart[] = [{ label: 'embeddings', factors: [inputDim, outputDim], trainable: true }];
    if (!ctx.args.bool('tie_weights')) parts.push({ label: 'reverse_embeddings', factors: [outputDim, inputDim], trainable: true });
    return parts;
  },
  tfjs: noTfjs('ReversibleEmbedding'),
};

/** The wrapped layer's rule and arguments, or a LayerError naming what is wrong. */
export function innerLayer(ctx: LayerContext, wrapper: string): { rule: Rule; args: Args } {
  const call = ctx.args.layer('layer');
  if (!call)
    throw new LayerError(
      'invalid-argument',
      `Please initialize \`${wrapper}\` layer with a \`keras.layers.Layer\` instance. Received: layer=${pyRepr(ctx.args.plain('layer'))}`,
    );
  const rule = ruleFor(call.type);
  if (!rule)
    throw new LayerError(
      'unknown-layer',
      `LayerLens does not know the layer \`${call.type}\`${didYouMean(call.type)} inside ${wrapper}: shapes from here on are unknown.`,
    );
  const args = new Args(rule, call, ctx.args);
  return { rule, args };
}

/** The wrapped layer's rule checked against the input it will see, as Keras checks any layer's input. */
export function checkedInner(ctx: LayerContext, wrapper: string, input: InternalShape | null): { rule: Rule; args: Args } {
  const inner = innerLayer(ctx, wrapper);
  const error = input ? inputSpecError(inner.rule, input, toSnakeCase(inner.rule.type)) : null;
  if (error) throw new LayerError('incompatible-rank', error);
  return inner;
}

/** Keras freezes a wrapped layer written with `trainable=False`: its weights stay in the count, not trainable. */
export function frozenIfSo(args: Args, parts: ParamPart[]): ParamPart[] {
  const trainable = args.call.args.get('trainable');
  return trainable?.kind === 'bool' && !trainable.value ? parts.map((p) => ({ ...p, trainable: false })) : parts;
}

const bidirectional: Rule = {
  type: 'Bidirectional',
  signature: ['layer', 'merge_mode', 'weights', 'backward_layer'],
  defaults: { merge_mode: 'concat', weights: null, backward_layer: null },
  wraps: true,
  outputShape(ctx) {
    const { rule, args } = checkedInner(ctx, 'Bidirectional', ctx.input);
    if (!rule.recurrent) throw new LayerError('invalid-argument', `Bidirectional wraps a recurrent layer (SimpleRNN, LSTM, GRU). Received: layer=${rule.type}`);
    // In a Functional model the wrapped layer may return its states (`moreOutputs`): the call form goes with it.
    const out = rule.outputShape({ args, input: ctx.input, called: ctx.called });
    const mode = ctx.args.plain('merge_mode');
    if (mode === 'concat') out[out.length - 1] = (out[out.length - 1] ?? NaN) * 2;
    else if (mode === null) throw new LayerError('unsupported', 'Bidirectional(merge_mode=None) returns two tensors, which a Sequential model cannot pass on.');
    return out;
  },
  // Keras returns [output, *forward states, *backward states] when the wrapped layer has return_state=True.
  outputCount(args) {
    const { rule, args: inner } = innerLayer({ args, input: null }, 'Bidirectional');
    return 2 * (rule.outputCount?.(inner) ?? 1) - 1;
  },
  moreOutputs(ctx, output) {
    const { rule, args } = innerLayer(ctx, 'Bidirectional');
    const states = rule.moreOutputs?.({ args, input: ctx.input, called: ctx.called }, output) ?? [];
    return [...states, ...states.map((s) => [...s])];
  },
  params(ctx) {
    const { rule, args } = innerLayer(ctx, 'Bidirectional');
    const parts = frozenIfSo(args, rule.params?.({ args, input: ctx.input }) ?? []);
    return [...parts.map((p) => ({ ...p, label: `forward ${p.label}` })), ...parts.map((p) => ({ ...p, label: `backward ${p.label}` }))];
  },
  macs(ctx, output) {
    const { rule, args } = innerLayer(ctx, 'Bidirectional');
    return 2 * (rule.macs?.({ args, input: ctx.input }, output) ?? 0);
  },
  receptiveField: () => null,
  tfjs(r) {
    if (r.has('backward_layer')) r.refuse('A Bidirectional with its own `backward_layer` has no tfjs equivalent.');
    const inner = r.spec.inner;
    if (!inner) return r.refuse('The wrapped layer is not known statically.');
    if (!ruleFor(inner.type)?.recurrent) r.refuse(`Bidirectional wraps ${inner.type}, which is not a recurrent layer tfjs knows.`);
    const mode = r.get('merge_mode');
    if (mode === null) r.refuse('Bidirectional(merge_mode=None) returns two tensors, which a Sequential model cannot pass on.');
    if (!['concat', 'sum', 'mul', 'ave'].includes(mode as string)) r.refuseValue('merge_mode', mode);
    return { className: 'Bidirectional', config: { layer: r.inner('Bidirectional', { inputShape: r.spec.inputShape }), mergeMode: mode } };
  },
};

/** TimeDistributed applies the inner layer to each step: the inner layer sees the input without axis 1. */
function stepInput(ctx: LayerContext): InternalShape {
  const input = requireInput(ctx);
  if (input.length < 3)
    throw new LayerError(
      'incompatible-rank',
      `Input 0 of layer "time_distributed" is incompatible with the layer: expected min_ndim=3, found ndim=${input.length}. Full shape received: ${shapeRepr(input)}`,
    );
  return [input[0], ...input.slice(2)];
}

const timeDistributed: Rule = {
  type: 'TimeDistributed',
  signature: ['layer'],
  defaults: {},
  wraps: true,
  inputSpec: { minNdim: 3 },
  outputShape(ctx) {
    const input = requireInput(ctx);
    const { rule, args } = checkedInner(ctx, 'TimeDistributed', stepInput(ctx));
    const inner = rule.outputShape({ args, input: stepInput(ctx) });
    return [input[0], input[1], ...inner.slice(1)];
  },
  params(ctx) {
    const { rule, args } = innerLayer(ctx, 'TimeDistributed');
    return frozenIfSo(args, rule.params?.({ args, input: ctx.input ? stepInput(ctx) : null }) ?? []);
  },
  macs(ctx, output) {
    const input = requireInput(ctx);
    const { rule, args } = innerLayer(ctx, 'TimeDistributed');
    return (input[1] ?? NaN) * (rule.macs?.({ args, input: stepInput(ctx) }, [output[0], ...output.slice(2)]) ?? 0);
  },
  receptiveField: () => null,
  tfjs(r) {
    if (!r.spec.inner) return r.refuse('The wrapped layer is not known statically.');
    const step = (s: Shape | null | undefined) => (s ? [s[0], ...s.slice(2)] : s);
    return {
      className: 'TimeDistributed',
      config: { layer: r.inner('TimeDistributed', { inputShape: step(r.spec.inputShape), outputShape: step(r.spec.outputShape) }) },
    };
  },
};

export const recurrentRules: Rule[] = [
  embedding,
  reversibleEmbedding,
  recurrentRule('SimpleRNN', 1),
  recurrentRule('LSTM', 4, { recurrent_activation: 'sigmoid' }),
  recurrentRule('GRU', 3, { recurrent_activation: 'sigmoid', reset_after: true }),
  bidirectional,
  timeDistributed,
];
