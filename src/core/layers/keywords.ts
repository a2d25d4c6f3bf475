/**
 * Misspelt keyword arguments. Keras refuses a keyword its layer does not take ("Unrecognized keyword arguments
 * passed to Dense: {'actiavtion': 'elu'}"). The catalogue's signatures list the arguments that change shapes
 * and weights, not every argument Keras accepts (initializers, regularizers…), so a keyword missing from them
 * is refused only when it is a near miss of a name Keras knows and is not itself such a name.
 */
import { within } from './nearMiss';
import { allRules } from './registry';
import type { Rule } from './rule';

/** Keywords every Keras layer takes (base Layer), and common ones the catalogue's signatures leave out. */
const EVERY_LAYER = [
  'name',
  'dtype',
  'trainable',
  'input_shape',
  'batch_input_shape',
  'batch_size',
  'input_dim',
  'input_length',
  'weights',
  'activity_regularizer',
  'autocast',
  'dynamic',
  'input_dtype',
  'kernel_initializer',
  'bias_initializer',
  'kernel_regularizer',
  'bias_regularizer',
  'kernel_constraint',
  'bias_constraint',
  'recurrent_initializer',
  'recurrent_regularizer',
  'recurrent_constraint',
  'depthwise_initializer',
  'pointwise_initializer',
  'depthwise_regularizer',
  'pointwise_regularizer',
  'depthwise_constraint',
  'pointwise_constraint',
  'embeddings_initializer',
  'embeddings_regularizer',
  'embeddings_constraint',
  'beta_initializer',
  'gamma_initializer',
  'moving_mean_initializer',
  'moving_variance_initializer',
  'beta_regularizer',
  'gamma_regularizer',
  'beta_constraint',
  'gamma_constraint',
  'lora_rank',
  'seed',
  'unroll',
  'stateful',
  'go_backwards',
  'time_major',
  'zero_output_for_mask',
];

let known: Set<string> | null = null;

function knownKeywords(): Set<string> {
  known ??= new Set([...EVERY_LAYER, ...allRules().flatMap((r) => [...r.signature, ...Object.keys(r.defaults)])]);
  return known;
}

/** The keyword a misspelt one most likely meant, or null when `key` is not a near miss of the layer's arguments. */
export function misspeltKeyword(rule: Rule, key: string): string | null {
  const names = knownKeywords();
  if (names.has(key) || key.length < 4) return null;
  const candidates = [...rule.signature, ...EVERY_LAYER];
  return candidates.find((c) => within(key, c, key.length < 7 ? 1 : 2)) ?? null;
}
