/**
 * Writes a model's weights as Keras 3's `model.save_weights` does, so that `model.load_weights(path)` in Keras 3
 * loads them into the model the source builds. No vscode: the extension host writes the bytes where the user chose.
 *
 * The file Keras 3 writes (a `.weights.h5`, the same as a `.keras` archive's model.weights.h5):
 *   layers/<key>/vars/0, 1, …   the layer's variables in its order (trainable first: kernel, bias; then
 *                               non-trainable: a BatchNormalization's moving mean and variance), float32
 *   layers/<key>/vars           attribute `name`: the layer's own name (Keras writes it; loading ignores it)
 *   layers/<key>/layers/…       the layers of a model used as a layer, keyed the same way
 *   vars                        the model's own (none), attribute `name`: the model's name
 * where <key> is the layer's class in snake case, numbered per class in the model's order (keras3Keys), whatever
 * its `name=`. Layers without variables get an empty `vars` group, as Keras writes them.
 *
 * What Keras checks when it loads (keras/src/saving/saving_lib.py, Layer.load_own_variables): each layer's `vars`
 * holds exactly as many arrays as the layer has variables, each array's shape is the variable's, and no link or
 * external storage is used. A layer whose group is missing loads nothing and fails the count unless it has no
 * variables.
 */
import type { LayerWeights } from '../protocol';
import { h5Dataset, h5Group, writeHdf5, type H5Group } from './hdf5Writer';
import { keras3Keys, WeightsError } from './readWeights';

export interface TensorToSave {
  shape: readonly number[];
  /** Row-major (C order), as Keras stores a variable. */
  values: ArrayLike<number>;
}

export interface LayerToSave {
  /** The layer's name in the model (its `name=`, or the one Keras gives it). */
  name: string;
  /** Its class as the source calls it (`Conv2D`, `BatchNormalization`): Keras 3 files key layers by it. */
  type: string;
  /** Its variables in Keras' order (`layer.weights`: trainable, then non-trainable). */
  tensors: readonly TensorToSave[];
  /** A model used as a layer (a pretrained base): its own layers, in its order. */
  layers?: readonly LayerToSave[];
}

export interface ModelToSave {
  /** The model's name (`sequential`, `functional`, its `name=`): Keras writes it on the root `vars` group. */
  name: string;
  /**
   * Every layer in Keras' order (`model.layers`: a Functional model's InputLayer included, a Sequential's not),
   * those without variables too: a layer's key counts the layers of its class before it.
   */
  layers: readonly LayerToSave[];
}

function layersGroup(layers: readonly LayerToSave[]): H5Group {
  const keys = keras3Keys(layers);
  const group = h5Group();
  layers.forEach((l, i) => {
    const vars = h5Group(Object.fromEntries(l.tensors.map((t, k) => [String(k), h5Dataset(t.shape, t.values)])), { name: l.name });
    group.children[keys[i]] = h5Group(l.layers ? { vars, layers: layersGroup(l.layers) } : { vars });
  });
  return group;
}

/** The bytes of the Keras 3 `.weights.h5` file holding `model`'s weights. */
export function writeKeras3Weights(model: ModelToSave): Uint8Array {
  return writeHdf5(h5Group({ layers: layersGroup(model.layers), vars: h5Group({}, { name: model.name }) }));
}

/** What modelToSave reads of a model's layers: the preview's (PreviewLayer), in Keras' order. */
export interface ModelLayer {
  name: string;
  type: string;
  /** The core's count (a BatchNormalization's moving statistics included, as Keras counts them); null if unknown. */
  params: number | null;
  nested?: { layers: readonly ModelLayer[] };
}

/**
 * The model to save, from its layers (the preview's, in Keras' order) and the weights the webview holds for them by
 * layer name (LayerWeights, each layer's tensors in Keras' order, as tfjs' `getWeights()` gives them). Throws
 * WeightsError rather than write a file Keras would refuse or load wrongly: a layer with parameters but no
 * weights, weights for no layer of the model, or weights whose size is not the layer's parameter count.
 */
export function modelToSave(name: string, layers: readonly ModelLayer[], weights: readonly LayerWeights[]): ModelToSave {
  const byName = new Map(weights.map((w) => [w.layer, w]));
  const unknown = weights.find((w) => !layers.some((l) => l.name === w.layer));
  if (unknown) throw new WeightsError(`There are weights for a layer "${unknown.layer}", which the model does not have.`);
  const toSave = (l: ModelLayer): LayerToSave => {
    const w = byName.get(l.name);
    if (l.nested) {
      // A Sequential's model.layers leaves out its InputLayer (the preview lists it): Keras writes no group for it.
      const inner = l.type === 'Sequential' ? l.nested.layers.filter((n) => n.type !== 'InputLayer') : l.nested.layers;
      return { name: l.name, type: l.type, tensors: [], layers: modelToSave(l.name, inner, w?.layers ?? []).layers };
    }
    const tensors = w?.tensors ?? [];
    const size = tensors.reduce((s, t) => s + t.values.length, 0);
    if (l.params === null && tensors.length === 0)
      throw new WeightsError(`Layer "${l.name}" (${l.type}) has an unknown number of parameters and no weights: its weights cannot be saved.`);
    if (l.params !== null && size !== l.params)
      throw new WeightsError(
        size === 0 && !w
          ? `There are no weights for layer "${l.name}" (${l.type}), which has ${l.params} parameters.`
          : `The weights of layer "${l.name}" (${l.type}) hold ${size} numbers; the layer has ${l.params} parameters.`,
      );
    return { name: l.name, type: l.type, tensors };
  };
  return { name, layers: layers.map(toSave) };
}

/**
 * A path ending in `.weights.h5`: Keras 3's `load_weights` reads a file in this layout only under such a name (a
 * plain `.h5` goes to its Keras 2 loader, which finds no layers in this layout: "found 0 saved layers"). Keras
 * compares the name case-sensitively.
 */
export function withWeightsSuffix(path: string): string {
  if (path.endsWith('.weights.h5')) return path;
  return path.replace(/\.(h5|hdf5)$/i, '') + '.weights.h5';
}

/** `<source stem>.weights.h5`, beside the source: `mnist_convnet.py` → `mnist_convnet.weights.h5`. */
export function defaultWeightsName(sourcePath: string): string {
  const base = sourcePath.split('/').pop() || 'model';
  const stem = base.includes('.') && !base.startsWith('.') ? base.slice(0, base.lastIndexOf('.')) : base;
  return `${stem}.weights.h5`;
}
