/**
 * A layer's starting weights in tfjs: each initializer argument a rule lists (`Rule.initializers`), as the source
 * wrote it (`kernel_initializer='he_normal'`) or by Keras' default for that argument, in tfjs' words. The preview
 * seeds the random ones, so that the same model shows the same maps every time. Pure: no tfjs import.
 */
import type { TfjsLayerConfig } from './toTfjs';

/** Keras 3's default for each initializer argument whose values are drawn at random (the same in every layer that has it). */
export const KERAS_INITIALIZER_DEFAULTS: Record<string, string> = {
  kernel_initializer: 'glorot_uniform',
  recurrent_initializer: 'orthogonal',
  depthwise_initializer: 'glorot_uniform',
  pointwise_initializer: 'glorot_uniform',
  embeddings_initializer: 'uniform',
};

/** Keras' initializer names → tfjs' classes, with Keras' parameters where they differ from tfjs' defaults. */
const TFJS_INITIALIZERS: Record<string, { className: string; config?: Record<string, number> }> = {
  glorot_uniform: { className: 'GlorotUniform' },
  glorot_normal: { className: 'GlorotNormal' },
  he_uniform: { className: 'HeUniform' },
  he_normal: { className: 'HeNormal' },
  lecun_uniform: { className: 'LeCunUniform' },
  lecun_normal: { className: 'LeCunNormal' },
  orthogonal: { className: 'Orthogonal' },
  // Keras 3's RandomUniform, RandomNormal and TruncatedNormal defaults (tfjs' are the same numbers, written out).
  uniform: { className: 'RandomUniform', config: { minval: -0.05, maxval: 0.05 } },
  random_uniform: { className: 'RandomUniform', config: { minval: -0.05, maxval: 0.05 } },
  normal: { className: 'RandomNormal', config: { mean: 0, stddev: 0.05 } },
  random_normal: { className: 'RandomNormal', config: { mean: 0, stddev: 0.05 } },
  truncated_normal: { className: 'TruncatedNormal', config: { mean: 0, stddev: 0.05 } },
  zeros: { className: 'Zeros' },
  ones: { className: 'Ones' },
};

/** The tfjs classes whose values are random: the ones the preview gives a seed. */
export const RANDOM_INITIALIZERS = new Set([
  'GlorotUniform',
  'GlorotNormal',
  'HeUniform',
  'HeNormal',
  'LeCunUniform',
  'LeCunNormal',
  'Orthogonal',
  'RandomUniform',
  'RandomNormal',
  'TruncatedNormal',
]);

/** `kernel_initializer` → `kernelInitializer`. */
export function tfjsKey(kerasArgument: string): string {
  return kerasArgument.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * The tfjs initializer for one argument: the written name (case and `RandomUniform`-style spellings as Keras
 * accepts them), else Keras' default for the argument. A value that is not a name LayerLens knows (an initializer
 * object, an unresolved value) falls back to the default: the preview's weights are a stand-in either way.
 */
export function tfjsInitializer(kerasArgument: string, written: unknown): TfjsLayerConfig {
  const name = typeof written === 'string' ? written.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase() : null;
  const found = (name && TFJS_INITIALIZERS[name]) || TFJS_INITIALIZERS[KERAS_INITIALIZER_DEFAULTS[kerasArgument] ?? 'glorot_uniform'];
  return { className: found.className, config: { ...(found.config ?? {}) } };
}
