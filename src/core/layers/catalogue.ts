/**
 * The layer catalogue: the one place that knows each Keras layer's arguments, defaults and rules.
 * Hovers, hints, the CLI and the webview all read layers through it.
 */
import { activationRules } from './activation';
import { applicationLayerRules } from './applicationLayers';
import { attentionRules } from './attention';
import { audioRules } from './audio';
import { augmentationRules } from './augmentation';
import { convRules } from './conv';
import { convRecurrentRules } from './convRecurrent';
import { coreRules } from './core';
import { einsumDense } from './einsum';
import { groupQueryAttention } from './groupQueryAttention';
import { hubLayerRules } from './hub';
import { encodingRules } from './encoding';
import { locallyConnectedRules } from './locallyConnected';
import { mergeRules } from './merge';
import { normRules } from './norm';
import { poolingRules } from './pooling';
import { preprocessingRules } from './preprocessing';
import { recurrentRules } from './recurrent';
import { didYouMean, nearestLayerName } from './nearMiss';
import { allRules, registerRules, ruleFor } from './registry';
import { reshapingRules } from './reshaping';
import { rnnRules } from './rnnCell';
import { spectralNormalization } from './spectral';

registerRules([
  ...coreRules,
  ...activationRules,
  ...convRules,
  ...poolingRules,
  ...normRules,
  ...reshapingRules,
  ...preprocessingRules,
  ...augmentationRules,
  ...encodingRules,
  ...audioRules,
  ...recurrentRules,
  ...convRecurrentRules,
  ...locallyConnectedRules,
  spectralNormalization,
  einsumDense,
  groupQueryAttention,
  ...mergeRules,
  ...attentionRules,
  ...applicationLayerRules,
  ...hubLayerRules,
]);
// RNN(cell) and the cells read the recurrent layers' rules, registered above.
registerRules(rnnRules());

/** Keyword arguments every Keras layer takes, beyond its own signature. */
export const COMMON_LAYER_KWARGS = ['name', 'trainable', 'dtype', 'input_shape', 'batch_input_shape', 'input_dim', 'input_length', 'batch_size'];

/** Layers that run arbitrary code: the analysis cannot know their output. */
export const OPAQUE_LAYERS = new Set(['Lambda', 'TFSMLayer', 'TorchModuleWrapper', 'JaxLayer', 'FlaxLayer']);

/**
 * Layers Keras 3 or tf.keras 2 ship that LayerLens names but does not size, and why: the analysis says so where
 * one is used (an `unknown-layer` warning with this reason), and the shapes after it are unknown. Every layer of
 * both lists is either catalogued, opaque, or here (test/unit/layerCoverage.test.ts).
 */
export const UNSIZED_LAYERS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    // Base classes, to subclass rather than to use.
    Layer: 'the base class of every layer: a subclass of it is a custom layer',
    Wrapper: 'an abstract base class of wrappers (TimeDistributed, Bidirectional)',
    AbstractRNNCell: 'an abstract base class of RNN cells (tf.keras 2)',
    // Layers whose output depends on objects LayerLens does not follow.
    DenseFeatures: 'its output is built from `tf.feature_column` objects (tf.keras 2), which LayerLens does not read',
    Pipeline: 'it applies a list of layers that LayerLens does not follow yet',
    Equalization: "Keras 3.15 itself cannot build it into a model: its symbolic call returns its input, which Keras reports as 'part of a cycle'",
    StackedRNNCells: 'a stack of cells runs inside `RNN(...)`, which LayerLens sizes only with one SimpleRNNCell, LSTMCell or GRUCell',
    // Layers with static shapes whose rules are not written yet.
  }),
);

export { ruleFor, allRules, nearestLayerName, didYouMean };
