/**
 * Keras 1 and early Keras 2 spellings that the first edition of Deep Learning with Python and older tutorials
 * use, read as Keras 2's legacy interfaces read them (keras/legacy/interfaces.py): `border_mode=` is `padding=`,
 * `Convolution2D(32, 3, 3)` is `Conv2D(32, (3, 3))`, `output_dim=` on Dense is `units=`, and so on. Each use
 * gets an information note saying what it means today.
 */
import type { Value } from '../python/values';
import type { Rule } from './rule';

/** Old keyword → today's, where today's signature has no argument of the old name. */
const KEYWORDS: Record<string, string> = {
  nb_filter: 'filters',
  filter_length: 'kernel_size',
  output_dim: 'units',
  border_mode: 'padding',
  subsample: 'strides',
  subsample_length: 'strides',
  pool_length: 'pool_size',
  stride: 'strides',
  init: 'kernel_initializer',
  inner_init: 'recurrent_initializer',
  W_regularizer: 'kernel_regularizer',
  b_regularizer: 'bias_regularizer',
  U_regularizer: 'recurrent_regularizer',
  W_constraint: 'kernel_constraint',
  b_constraint: 'bias_constraint',
  bias: 'use_bias',
  dim_ordering: 'data_format',
  dropout_W: 'dropout',
  dropout_U: 'recurrent_dropout',
  p: 'rate',
};

/** Keras 2 names that Keras 3 renamed: read without a note (README: they are understood, as the book uses them). */
const KERAS2_KEYWORDS: Record<string, string> = {
  alpha: 'negative_slope',
  input_shape: 'shape',
  batch_input_shape: 'batch_shape',
};

/** Keras 1's class names whose positional arguments after the first are the kernel's sides. */
const KERAS1_CONV = /^(?:Atrous)?Convolution([123])D$/;
/** Module paths only Keras 1 and 2 had (`keras.layers.convolutional`): code that imports from them runs under Keras 2's legacy interfaces. */
const KERAS2_MODULE = /\.layers\.(?:convolutional|core|pooling|recurrent|normalization|embeddings|advanced_activations|noise|wrappers|local|merge)\./;

export interface LegacyNote {
  message: string;
  /** The argument (keyword or positional index) the note is about. */
  at: string | number;
}

/**
 * Rewrites old arguments in place (`args` holds keyword arguments by name, `positional` the rest) and returns
 * what was rewritten. `written` is the class name as written (`Convolution2D`), `rule` today's rule, if any.
 */
export function readLegacyArguments(
  written: string,
  path: string,
  signature: string[],
  rule: Rule | undefined,
  positional: Value[],
  keywords: Map<string, Value>,
): LegacyNote[] {
  const notes: LegacyNote[] = [];
  for (const [old, value] of [...keywords]) {
    const now = KEYWORDS[old] ?? KERAS2_KEYWORDS[old];
    if (!now || signature.includes(old) || !signature.includes(now) || keywords.has(now)) continue;
    keywords.delete(old);
    keywords.set(
      now,
      old === 'dim_ordering' && value.kind === 'string' ? { kind: 'string', value: value.value === 'th' ? 'channels_first' : 'channels_last' } : value,
    );
    if (KEYWORDS[old])
      notes.push({
        message: `\`${old}=\` is the Keras 1 spelling of \`${now}=\`, valid in Keras 2 only (its legacy interface; Keras 3 refuses it); LayerLens reads it as Keras 2 does.`,
        at: old,
      });
  }
  // Under a Keras 2 module path, `Conv2D(32, 3, 3)` gets the same legacy reading as Keras 1's `Convolution2D`.
  const conv = KERAS1_CONV.exec(written) ?? (KERAS2_MODULE.test(path) ? /^Conv([23])D$/.exec(written) : null);
  const rank = conv ? Number(conv[1]) : 0;
  // Keras 2's conv2d/conv3d_args_preprocessor: exactly the filters and the sides, every side an integer.
  if (rule && rank > 1 && positional.length === rank + 1 && positional.slice(1).every((v) => v.kind === 'number' && v.isInt)) {
    const sides = positional.splice(1, rank);
    positional.splice(1, 0, { kind: 'seq', items: sides, tuple: true });
    const kernel = ['rows', 'cols', 'depth'].slice(0, rank).join(', ');
    const message = KERAS1_CONV.test(written)
      ? `\`${written}(filters, ${kernel})\` is Keras 1's spelling of \`Conv${rank}D(filters, kernel_size)\`; LayerLens reads the kernel size from them, as Keras 2 does (Keras 3 reads them as \`kernel_size, strides, …\`).`
      : `\`${written}(filters, ${kernel})\` from a Keras 2 module (${path.split('.').slice(0, -1).join('.')}), valid in Keras 2 only: Keras 2's legacy interface reads the kernel's ${kernel} here, and so does LayerLens; Keras 3 would read a stride.`;
    notes.push({ message, at: 1 });
  }
  // `Conv2D(64, 3, 3)`: Keras 2's legacy interface read a 3×3 kernel here too; Keras 3 and tf.keras read `strides=3`.
  // Said only where the Keras 2 reading is the likely intent: equal sides of 3 or more (a stride as large as
  // the kernel is rare, while `Conv2D(32, 3, 2)` and `Conv2D(32, 2, 2)` are ordinary Keras 3).
  const today = KERAS2_MODULE.test(path) ? null : /^Conv([23])D$/.exec(written);
  const sides = today ? Number(today[1]) : 0;
  const ints = positional.slice(1).map((v) => (v.kind === 'number' && v.isInt ? v.value : NaN));
  if (rule && sides && positional.length === sides + 1 && ints.every((n) => n === ints[0] && n >= 3))
    notes.push({
      message: `\`${written}(filters, ${positional
        .slice(1)
        .map((v) => (v.kind === 'number' ? v.value : '?'))
        .join(
          ', ',
        )})\`: Keras 3 reads the third argument as \`strides\`, and LayerLens follows it; Keras 2 read ${sides === 2 ? 'rows, cols' : 'the sides'} of the kernel here (Keras 1's \`Convolution${sides}D\`). Write \`kernel_size=(…)\` or \`strides=\` to say which.`,
      at: 2,
    });
  return notes;
}
