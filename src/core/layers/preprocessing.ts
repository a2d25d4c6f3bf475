/**
 * Preprocessing layers: Rescaling, Resizing, CenterCrop, Normalization, the Random* augmentations, and the text and
 * category lookups TextVectorization, StringLookup and IntegerLookup.
 */
import type { LayerCall } from '../keras/values';
import {
  Args,
  LayerError,
  noTfjs,
  pyRepr,
  requireInput,
  shapeRepr,
  Unresolved,
  type Dim,
  type InternalShape,
  type LayerContext,
  type PyDefault,
  type Rule,
} from './rule';
import { shapeKeeping } from './core';

/** (batch, height, width, channels) with new height and width; the input must be an image batch. */
function resized(ctx: LayerContext) {
  const input = requireInput(ctx);
  if (input.length !== 4 && input.length !== 3)
    throw new LayerError('incompatible-rank', `Expected an image tensor of rank 3 or 4 (batched). Received: inputs.shape=${shapeRepr(input)}`);
  const out = input.slice();
  out[input.length - 3] = ctx.args.int('height');
  out[input.length - 2] = ctx.args.int('width');
  return out;
}

const normalization: Rule = {
  type: 'Normalization',
  signature: ['axis', 'mean', 'variance', 'invert'],
  defaults: { axis: -1, mean: null, variance: null, invert: false },
  outputShape: (ctx) => requireInput(ctx).slice(),
  params(ctx) {
    const mean = ctx.args.value('mean');
    if (mean !== null && mean !== undefined && !(typeof mean === 'object' && !Array.isArray(mean) && mean.kind === 'none')) return [];
    const input = ctx.input;
    const axis = ctx.args.plain('axis');
    const axes = axis === null ? [] : (Array.isArray(axis) ? axis : [axis]).map((a) => (input ? (Number(a) < 0 ? input.length + Number(a) : Number(a)) : NaN));
    const shape = axes.map((i) => (input ? (input[i] ?? NaN) : NaN));
    // Keras adds mean, variance and a scalar `count` (kept for old saved models), none of them trainable.
    return [
      { label: 'mean', factors: shape, trainable: false },
      { label: 'variance', factors: shape, trainable: false },
      { label: 'count', factors: [1], trainable: false },
    ];
  },
  macs: (_ctx, output) => output.slice(1).reduce<number>((p, d) => p * (d ?? NaN), 1),
  receptiveField: () => 'keep',
  tfjs: noTfjs('Normalization'),
};

const keepImage = { receptiveField: () => 'keep' as const };

/*
 * TextVectorization, StringLookup and IntegerLookup, as Keras 3's `IndexLookup` and `TextVectorization` build them.
 * None has weights: their tables are not variables, and Keras counts 0 parameters. With `output_mode='int'` a lookup
 * keeps its input's shape and TextVectorization gives `(batch, output_sequence_length)`. The other modes end in one
 * axis of `depth`: `max_tokens` with `pad_to_max_tokens=True`, else the vocabulary's size with its OOV indices. That
 * size is known when `vocabulary=` is a list written in the source; otherwise `adapt()` learns it from data when the
 * code runs, and it is unknown here, with a `vocabulary-from-data` note saying how to give it.
 */

const OUTPUT_MODES = ['int', 'one_hot', 'multi_hot', 'count', 'tf_idf'];

/** `output_mode`, with Keras' old spellings (`binary`, `tf-idf`), checked as Keras' `validate_string_arg` does. */
function outputMode(ctx: LayerContext, type: string): string {
  let mode = ctx.args.str('output_mode');
  if (mode === 'binary') mode = 'multi_hot';
  if (mode === 'tf-idf') mode = 'tf_idf';
  if (!OUTPUT_MODES.includes(mode))
    throw new LayerError(
      'invalid-argument',
      `Unknown value for \`output_mode\` argument of ${type}. Allowed values are: ${pyRepr(OUTPUT_MODES)}. Received: output_mode=${mode}`,
    );
  return mode;
}

/** An optional int argument: null for None, NaN when unknown. */
function optionalInt(ctx: LayerContext, name: string): number | null {
  try {
    const v = ctx.args.plain(name);
    return typeof v === 'number' ? v : v === null || v === undefined ? null : NaN;
  } catch (e) {
    if (e instanceof Unresolved) return NaN;
    throw e;
  }
}

/** How a lookup is set up: its class and special tokens (TextVectorization's inner StringLookup: mask `''`, one OOV index). */
interface Lookup {
  type: string;
  mask: PyDefault | undefined;
  oov: PyDefault | undefined;
  numOov: number;
}

/**
 * The lookup's mode, and the size of its last axis in a counting mode (`one_hot`, `multi_hot`, `count`, `tf_idf`);
 * NaN when only data decides it. Checks the arguments as `IndexLookup.__init__` and `set_vocabulary` do, in their order.
 */
function lookupDepth(ctx: LayerContext, lookup: Lookup): { mode: string; depth: number; size: number } {
  const { type, mask, oov, numOov } = lookup;
  const maxTokens = optionalInt(ctx, 'max_tokens');
  const pad = ctx.args.bool('pad_to_max_tokens');
  if (maxTokens !== null && maxTokens <= 1)
    throw new LayerError('invalid-argument', `If set, \`max_tokens\` must be greater than 1. Received: max_tokens=${maxTokens}`);
  if (pad && maxTokens === null) throw new LayerError('invalid-argument', 'If pad_to_max_tokens is True, must set `max_tokens`. Received: max_tokens=None');
  if (numOov < 0) throw new LayerError('invalid-argument', `\`num_oov_indices\` must be greater than or equal to 0. Received: num_oov_indices=${numOov}`);
  const mode = outputMode(ctx, type);
  if (ctx.args.bool('invert') && mode !== 'int')
    throw new LayerError('invalid-argument', `\`output_mode\` must be \`'int'\` when \`invert\` is true. Received: output_mode=${mode}`);
  const written = ctx.args.value('vocabulary');
  const given = written !== null && written !== undefined && !(typeof written === 'object' && !Array.isArray(written) && written.kind === 'none');
  if (mode === 'tf_idf' && given && ctx.args.plain('idf_weights') === null)
    throw new LayerError(
      'invalid-argument',
      'When specifying the `vocabulary` argument, in TF-IDF output mode, the `idf_weights` argument must also be provided.',
    );
  // The vocabulary's size as set_vocabulary counts it: its tokens (without the mask and OOV tokens it may start with) plus the special indices.
  const size = (forMode: string): number => {
    let vocabulary: PyDefault | undefined;
    try {
      vocabulary = ctx.args.plain('vocabulary');
    } catch (e) {
      // A vocabulary LayerLens cannot resolve (`vectorizer.get_vocabulary()`): its size is unknown, the rest of the shape is not.
      if (e instanceof Unresolved) return NaN;
      throw e;
    }
    if (typeof vocabulary === 'string') {
      ctx.note?.(
        'vocabulary-from-data',
        `${type} reads its vocabulary from the file '${vocabulary}' when the code runs; LayerLens reads no files, so the size of its output's last axis is unknown.`,
      );
      return NaN;
    }
    if (!Array.isArray(vocabulary)) return NaN;
    if (vocabulary.length === 0) throw new LayerError('invalid-argument', 'Cannot set an empty vocabulary. Received: vocabulary=[]');
    const oovStart = mask !== null && mask !== undefined && forMode === 'int' ? 1 : 0;
    const special = [...new Array(oovStart).fill(mask), ...new Array(Math.max(numOov, 0)).fill(oov)];
    const start = oovStart + numOov;
    const tokens = special.every((t, i) => vocabulary[i] === t) ? vocabulary.slice(start) : vocabulary;
    if (mask !== null && mask !== undefined && tokens.includes(mask))
      throw new LayerError(
        'invalid-argument',
        `Found reserved mask token at unexpected location in \`vocabulary\`. Note that passed \`vocabulary\` does not need to include the OOV and mask tokens. Either remove all mask and OOV tokens, or include them only at the start of the vocabulary in precisely this order: [${special.map((t) => pyRepr(t)).join(', ')}]. Received: mask_token=${typeof mask === 'string' ? mask : pyRepr(mask)} at vocabulary index [${vocabulary.lastIndexOf(mask)}]`,
      );
    return start + tokens.length;
  };
  const n = given ? size(mode) : NaN;
  if (given && maxTokens !== null && n > maxTokens)
    throw new LayerError(
      'invalid-argument',
      `Attempted to set a vocabulary larger than the maximum vocab size. Received vocabulary size is ${n}; \`max_tokens\` is ${maxTokens}.`,
    );
  if (mode === 'int') return { mode, depth: NaN, size: n };
  if (pad) return { mode, depth: maxTokens ?? NaN, size: n };
  if (given) return { mode, depth: n, size: n };
  ctx.note?.(
    'vocabulary-from-data',
    `${type}(output_mode='${mode}') gives one value per vocabulary entry, and its vocabulary is learnt from data by \`adapt()\` when the code runs${maxTokens === null || Number.isNaN(maxTokens) ? '' : ` (at most max_tokens=${maxTokens})`}: LayerLens cannot know its size. Pass \`vocabulary=[...]\`, or \`pad_to_max_tokens=True\` with \`max_tokens\`, to fix it.`,
  );
  return { mode, depth: NaN, size: NaN };
}

/** `IndexLookup.compute_output_shape`: `int` keeps the shape; `one_hot` adds the depth (replacing a last axis of 1); the others replace the last axis. */
function lookupShape(input: InternalShape, mode: string, depth: number): InternalShape {
  if (mode === 'int') return input.slice();
  const last: Dim | undefined = input[input.length - 1];
  if (mode === 'one_hot') {
    if (input.length > 1 && Number.isNaN(last)) throw new Unresolved();
    return input.length > 1 && last === 1 ? [...input.slice(0, -1), depth] : [...input, depth];
  }
  return [...input.slice(0, -1), depth];
}

/** A StringLookup's or IntegerLookup's special tokens, checked as its `__init__` checks them. */
function lookupSettings(ctx: LayerContext, type: 'StringLookup' | 'IntegerLookup'): Lookup {
  {
    const numOov = ctx.args.int('num_oov_indices');
    if (type === 'IntegerLookup') {
      const maxTokens = optionalInt(ctx, 'max_tokens');
      if (maxTokens !== null && maxTokens <= 1)
        throw new LayerError(
          'invalid-argument',
          `If \`max_tokens\` is set for \`IntegerLookup\`, it must be greater than 1. Received: max_tokens=${maxTokens}`,
        );
      if (numOov < 0)
        throw new LayerError(
          'invalid-argument',
          `The value of \`num_oov_indices\` argument for \`IntegerLookup\` must >= 0. Received: num_oov_indices=${numOov}`,
        );
    }
    return { type, mask: ctx.args.plain('mask_token'), oov: ctx.args.plain('oov_token'), numOov };
  }
}

function lookupRule(type: 'StringLookup' | 'IntegerLookup', signature: string[], defaults: Record<string, PyDefault>): Rule {
  const settings = (ctx: LayerContext): Lookup => lookupSettings(ctx, type);
  return {
    type,
    signature,
    defaults,
    outputShape(ctx) {
      const { mode, depth } = lookupDepth(ctx, settings(ctx));
      return lookupShape(requireInput(ctx), mode, depth);
    },
    receptiveField: () => null,
    tfjs: noTfjs(type),
  };
}

const stringLookup = lookupRule(
  'StringLookup',
  ['max_tokens', 'num_oov_indices', 'mask_token', 'oov_token', 'vocabulary', 'idf_weights', 'invert', 'output_mode', 'pad_to_max_tokens', 'sparse', 'encoding'],
  {
    max_tokens: null,
    num_oov_indices: 1,
    mask_token: null,
    oov_token: '[UNK]',
    vocabulary: null,
    idf_weights: null,
    invert: false,
    output_mode: 'int',
    pad_to_max_tokens: false,
    sparse: false,
    encoding: 'utf-8',
    salt: null,
  },
);

const integerLookup = lookupRule(
  'IntegerLookup',
  [
    'max_tokens',
    'num_oov_indices',
    'mask_token',
    'oov_token',
    'vocabulary',
    'vocabulary_dtype',
    'idf_weights',
    'invert',
    'output_mode',
    'sparse',
    'pad_to_max_tokens',
    'oov_method',
    'salt',
  ],
  {
    max_tokens: null,
    num_oov_indices: 1,
    mask_token: null,
    oov_token: -1,
    vocabulary: null,
    vocabulary_dtype: 'int64',
    idf_weights: null,
    invert: false,
    output_mode: 'int',
    sparse: false,
    pad_to_max_tokens: false,
    oov_method: 'floormod',
    salt: null,
  },
);

/**
 * `TextVectorization`: standardises and splits strings, then looks the tokens up with a StringLookup (mask `''`, one
 * OOV index). `int`: `(batch, output_sequence_length)` (None when not given: as long as the longest text). Otherwise
 * the split adds an axis of tokens (None), or, with `split=None`, a rank-1 input gets an axis of 1, and the lookup's
 * shape follows.
 */
const textVectorization: Rule = {
  type: 'TextVectorization',
  signature: [
    'max_tokens',
    'standardize',
    'split',
    'ngrams',
    'output_mode',
    'output_sequence_length',
    'pad_to_max_tokens',
    'vocabulary',
    'idf_weights',
    'sparse',
    'ragged',
    'encoding',
  ],
  defaults: {
    max_tokens: null,
    standardize: 'lower_and_strip_punctuation',
    split: 'whitespace',
    ngrams: null,
    output_mode: 'int',
    output_sequence_length: null,
    pad_to_max_tokens: false,
    vocabulary: null,
    idf_weights: null,
    sparse: false,
    ragged: false,
    encoding: 'utf-8',
  },
  outputShape(ctx) {
    const mode = outputMode(ctx, 'TextVectorization');
    const length = optionalInt(ctx, 'output_sequence_length');
    if (mode !== 'int' && length !== null) {
      if (Number.isNaN(length)) throw new Unresolved();
      throw new LayerError(
        'invalid-argument',
        `\`output_sequence_length\` must not be set if \`output_mode\` is not 'int'. Received output_sequence_length=${length}.`,
      );
    }
    // Its StringLookup: mask '', one OOV index '[UNK]' (its output_mode already checked, in TextVectorization's words).
    const { depth } = lookupDepth(ctx, { type: 'TextVectorization', mask: '', oov: '[UNK]', numOov: 1 });
    const input = requireInput(ctx);
    if (mode === 'int') return [input[0], length];
    const tokens = ctx.args.plain('split') === null ? (input.length <= 1 ? [...input, 1] : input.slice()) : [...input, null];
    return lookupShape(tokens, mode, depth);
  },
  receptiveField: () => null,
  tfjs: noTfjs('TextVectorization'),
};

export const preprocessingRules: Rule[] = [
  shapeKeeping(
    'Rescaling',
    ['scale', 'offset'],
    { offset: 0 },
    {
      tfjs(r) {
        const scale = r.get('scale');
        const offset = r.get('offset');
        if (typeof scale !== 'number') return r.refuseValue('scale', scale);
        if (typeof offset !== 'number') return r.refuseValue('offset', offset);
        return { className: 'Rescaling', config: { scale, offset } };
      },
    },
  ),
  {
    type: 'Resizing',
    signature: ['height', 'width', 'interpolation', 'crop_to_aspect_ratio'],
    defaults: { interpolation: 'bilinear', crop_to_aspect_ratio: false },
    outputShape: resized,
    receptiveField: () => null,
    tfjs(r) {
      if (!r.options.allowWrongSymbolicShape)
        r.refuse('tfjs’ Resizing reports a wrong output shape ([height, width, channels], no batch axis) and fails inside a model.');
      const interpolation = r.str('interpolation') ?? 'bilinear';
      if (interpolation !== 'nearest' && interpolation !== 'bilinear') r.refuse(`tfjs’ Resizing has no interpolation="${interpolation}".`);
      return {
        className: 'Resizing',
        config: { height: r.int('height'), width: r.int('width'), interpolation, cropToAspectRatio: r.bool('crop_to_aspect_ratio') },
      };
    },
  },
  {
    type: 'CenterCrop',
    signature: ['height', 'width'],
    defaults: {},
    outputShape: resized,
    receptiveField: () => null,
    tfjs(r) {
      if (!r.options.allowWrongSymbolicShape) r.refuse('tfjs’ CenterCrop writes its output shape over its input’s, which breaks the model’s input shape.');
      return { className: 'CenterCrop', config: { height: r.int('height'), width: r.int('width') } };
    },
  },
  {
    type: 'RandomCrop',
    signature: ['height', 'width', 'seed'],
    defaults: { seed: null },
    outputShape: resized,
    receptiveField: () => null,
    tfjs: noTfjs('RandomCrop'),
  },
  normalization,
  textVectorization,
  stringLookup,
  integerLookup,
  shapeKeeping('RandomFlip', ['mode', 'seed'], { mode: 'horizontal_and_vertical', seed: null }, { ...keepImage, tfjs: noTfjs('RandomFlip') }),
  shapeKeeping(
    'RandomRotation',
    ['factor', 'fill_mode', 'interpolation', 'seed'],
    { fill_mode: 'reflect', interpolation: 'bilinear', seed: null },
    { ...keepImage, tfjs: noTfjs('RandomRotation') },
  ),
  shapeKeeping(
    'RandomZoom',
    ['height_factor', 'width_factor', 'fill_mode', 'interpolation', 'seed'],
    { width_factor: null, fill_mode: 'reflect', interpolation: 'bilinear', seed: null },
    { ...keepImage, tfjs: noTfjs('RandomZoom') },
  ),
  shapeKeeping(
    'RandomTranslation',
    ['height_factor', 'width_factor', 'fill_mode', 'interpolation', 'seed'],
    { fill_mode: 'reflect', interpolation: 'bilinear', seed: null },
    { ...keepImage, tfjs: noTfjs('RandomTranslation') },
  ),
  shapeKeeping('RandomContrast', ['factor', 'seed'], { seed: null }, { ...keepImage, tfjs: noTfjs('RandomContrast') }),
  shapeKeeping(
    'RandomBrightness',
    ['factor', 'value_range', 'seed'],
    { value_range: [0, 255], seed: null },
    { ...keepImage, tfjs: noTfjs('RandomBrightness') },
  ),
];

/** TextVectorization's inner StringLookup: mask `''`, one OOV index `'[UNK]'`. */
const TEXT_VECTORIZATION_LOOKUP: Lookup = { type: 'TextVectorization', mask: '', oov: '[UNK]', numOov: 1 };

/**
 * `layer.vocabulary_size()` of a StringLookup, IntegerLookup or TextVectorization given `vocabulary=[...]`, as
 * `IndexLookup.vocabulary_size` counts it: the tokens (without the mask and OOV tokens the list may start with), the
 * OOV indices (`num_oov_indices`, 1 by default) and the mask token's index when there is one and `output_mode` is
 * `'int'`. A string saying why it is not known where data decides it (`adapt()`, a vocabulary file) or Keras refuses
 * the layer.
 */
export function lookupVocabularySize(call: LayerCall): number | string {
  const rule = call.type === 'TextVectorization' ? textVectorization : call.type === 'StringLookup' ? stringLookup : integerLookup;
  const ctx: LayerContext = { args: new Args(rule, call), input: null };
  try {
    const lookup = call.type === 'TextVectorization' ? TEXT_VECTORIZATION_LOOKUP : lookupSettings(ctx, call.type as 'StringLookup' | 'IntegerLookup');
    const { size } = lookupDepth(ctx, lookup);
    if (!Number.isNaN(size)) return size;
    const vocabulary = call.args.get('vocabulary');
    return vocabulary && vocabulary.kind !== 'none'
      ? `its vocabulary (\`vocabulary=\`) is not known`
      : `its vocabulary is learnt from data by \`adapt()\` when the code runs`;
  } catch (e) {
    if (e instanceof LayerError) return `Keras refuses the layer: ${e.message}`;
    if (e instanceof Unresolved) return 'an argument of the layer is not known';
    throw e;
  }
}
