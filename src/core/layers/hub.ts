/**
 * `hub.KerasLayer(handle, trainable=False, …)` of tensorflow_hub (a tf.keras 2 layer): a TF Hub model as one layer.
 * For the ImageNet image models whose architecture keras.applications has (src/core/hub), its row is the one
 * tf.keras prints: the feature vector `(None, features)` or the classifier's `(None, classes)`, and every weight
 * of the model; with `trainable=False` (tensorflow_hub's default) all of them non-trainable, with `trainable=True`
 * all but the batch normalization moving statistics. Any other handle is named in an `unknown-layer` warning and
 * its output and weights stay unknown.
 */
import { resolveHubHandle, type HubModel } from '../hub/handles';
import { LayerError, requireInput, shapeRepr, Unresolved, type LayerContext, type ParamPart, type Rule } from './rule';

/** The model the call's handle names; Unresolved (after a warning naming the handle) where LayerLens does not size it. */
function hubModel(ctx: LayerContext, warn: boolean): HubModel {
  // A handle that cannot be resolved statically (`hub.KerasLayer(args.model)`) is named by the Args as an unresolved value.
  const handle = ctx.args.plain('handle');
  if (typeof handle !== 'string') {
    if (warn)
      ctx.warn?.(
        'unknown-layer',
        `LayerLens sizes \`KerasLayer\` only for a TF Hub handle given as a URL: its output and weights are unknown, and so are the shapes after it.`,
      );
    throw new Unresolved();
  }
  const model = resolveHubHandle(handle);
  if ('why' in model) {
    if (warn) ctx.warn?.('unknown-layer', `${model.why}. Its output and weights are unknown, and so are the shapes after it.`);
    throw new Unresolved();
  }
  return model;
}

const kerasLayer: Rule = {
  type: 'KerasLayer',
  signature: ['handle', 'trainable', 'arguments', '_sentinel', 'tags', 'signature', 'signature_outputs_as_dict', 'output_key', 'output_shape', 'load_options'],
  // tensorflow_hub's defaults: unlike a Keras layer, a hub layer is frozen unless `trainable=True`.
  defaults: {
    trainable: false,
    arguments: null,
    tags: null,
    signature: null,
    signature_outputs_as_dict: null,
    output_key: null,
    output_shape: null,
    load_options: null,
  },
  outputShape(ctx) {
    const model = hubModel(ctx, true);
    const input = requireInput(ctx);
    // The image models take a batch of RGB images, (batch, height, width, 3).
    if (input.length !== 4 || (input[3] !== null && input[3] !== 3))
      throw new LayerError(
        'incompatible-rank',
        `The TF Hub model ${model.key} takes a batch of RGB images, shape (batch, height, width, 3); received ${shapeRepr(input)}.`,
      );
    return [input[0], model.head === 'classification' ? (model.classes ?? NaN) : model.architecture.features];
  },
  params(ctx) {
    const model = hubModel(ctx, false);
    const trainable = ctx.args.bool('trainable');
    const { params, movingStats, features } = model.architecture;
    const parts: ParamPart[] = [
      { label: 'weights', factors: [params - movingStats], trainable },
      { label: 'moving statistics', factors: [movingStats], trainable: false },
    ];
    if (model.head === 'classification' && model.classes) parts.push({ label: 'classifier', factors: [features + 1, model.classes], trainable });
    return parts;
  },
  // What the model computes inside is not counted: its multiply-accumulates are unknown, not 0.
  macs: () => NaN,
  tfjs: { unsupported: 'tfjs has no TF Hub KerasLayer: the preview does not download or build hub models.' },
};

export const hubLayerRules: Rule[] = [kerasLayer];

/** Layer classes of tensorflow_hub, not of `keras.layers`. */
export const HUB_LAYERS = new Set(hubLayerRules.map((r) => r.type));
