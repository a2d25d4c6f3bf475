/**
 * The layer catalogue: the one place that knows each Keras layer's arguments, defaults and rules.
 * Hovers, hints, the CLI and the webview all read layers through it.
 */
import { activationRules } from './activation';
import { applicationLayerRules } from './applicationLayers';
import { attentionRules } from './attention';
import { convRules } from './conv';
import { coreRules } from './core';
import { mergeRules } from './merge';
import { normRules } from './norm';
import { poolingRules } from './pooling';
import { preprocessingRules } from './preprocessing';
import { recurrentRules } from './recurrent';
import { didYouMean, nearestLayerName } from './nearMiss';
import { allRules, registerRules, ruleFor } from './registry';
import { reshapingRules } from './reshaping';

registerRules([
  ...coreRules,
  ...activationRules,
  ...convRules,
  ...poolingRules,
  ...normRules,
  ...reshapingRules,
  ...preprocessingRules,
  ...recurrentRules,
  ...mergeRules,
  ...attentionRules,
  ...applicationLayerRules,
]);

/** Keyword arguments every Keras layer takes, beyond its own signature. */
export const COMMON_LAYER_KWARGS = ['name', 'trainable', 'dtype', 'input_shape', 'batch_input_shape', 'input_dim', 'input_length', 'batch_size'];

/** Layers that run arbitrary code: the analysis cannot know their output. */
export const OPAQUE_LAYERS = new Set(['Lambda', 'TFSMLayer', 'TorchModuleWrapper', 'JaxLayer', 'FlaxLayer']);

export { ruleFor, allRules, nearestLayerName, didYouMean };
