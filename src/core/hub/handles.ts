/**
 * A TF Hub handle, as `hub.KerasLayer(handle)` takes it, read into the image model it names: a tfhub.dev URL
 * (`https://tfhub.dev/google/imagenet/resnet_v2_50/feature_vector/5`, also hub.tensorflow.google.cn) or its Kaggle
 * Models form (`https://www.kaggle.com/models/google/resnet-v2/TensorFlow2/50-feature-vector/2`, also with
 * `frameworks/…/variations/…/versions/…`). A handle LayerLens cannot read into a model of src/core/hub/models.ts
 * (another model, a text embedding, a local SavedModel, TF1's Hub format, a classifier whose head is not known)
 * gets the reason why, to name in a diagnostic: its numbers stay unknown.
 */
import { HUB_ARCHITECTURES, type HubArchitecture } from './models';

export type HubHead = 'feature_vector' | 'classification';

export interface HubModel {
  key: string;
  architecture: HubArchitecture;
  head: HubHead;
  /** The classifier's classes (`classification`); absent for a feature vector. */
  classes?: number;
}

/** A model, or why the handle names none that LayerLens sizes. */
export type HubResolution = HubModel | { why: string };

const SUPPORTED =
  'it sizes the ImageNet feature vectors and classifiers of TF Hub whose architecture keras.applications has (ResNet V1/V2, Inception V3, Inception-ResNet V2, MobileNet V1/V2/V3, EfficientNet B0–B7 and V2)';

/** The head a handle's path names: `feature_vector` (Kaggle: `feature-vector`) or `classification`. */
const head = (word: string): HubHead | null =>
  word === 'feature_vector' || word === 'feature-vector' ? 'feature_vector' : word === 'classification' ? 'classification' : null;

/** What the handle names: the hub model, or why LayerLens does not size it. */
export function resolveHubHandle(handle: string): HubResolution {
  const text = handle.trim();
  const url = /^(?:https?:\/\/)?([^/?#]+)(\/[^?#]*)?(?:[?#].*)?$/i.exec(text);
  if (!url || !url[1].includes('.')) return { why: `\`${text}\` is not a TF Hub or Kaggle Models URL (a local or downloaded SavedModel is not read)` };
  const host = url[1].toLowerCase();
  const parts = (url[2] ?? '').split('/').filter(Boolean);
  if (host === 'tfhub.dev' || host === 'hub.tensorflow.google.cn') return fromTfHub(parts, text);
  if (host === 'www.kaggle.com' || host === 'kaggle.com') return fromKaggle(parts, text);
  return { why: `\`${text}\` is not a TF Hub or Kaggle Models URL` };
}

function unknownModel(text: string): { why: string } {
  return { why: `LayerLens does not know the TF Hub model \`${text}\`: ${SUPPORTED}` };
}

/**
 * tfhub.dev paths, `publisher/…/head/version`. TF Hub published google/imagenet's models in TF1's Hub format up
 * to version 3 and as TF2 SavedModels from version 4; tf2-preview, tensorflow/efficientnet and EfficientNetV2 are
 * TF2 SavedModels.
 */
function fromTfHub(parts: string[], text: string, tf2 = false): HubResolution {
  const version = Number(parts[parts.length - 1]);
  if (!Number.isInteger(version) && !tf2) return { why: `\`${text}\` names no version of a TF Hub model` };
  const path = Number.isInteger(version) ? parts.slice(0, -1) : parts;
  const h = head(path[path.length - 1] ?? '');
  if (!h) return unknownModel(text);
  const [publisher, collection, name] = path;
  let key: string | null = null;
  let classes: number | null | undefined;
  if (publisher === 'google' && collection === 'imagenet' && path.length === 4) {
    const v2 = /^efficientnet_v2_imagenet(1k|21k|21k_ft1k)_(b[0-3]|s|m|l)$/.exec(name);
    if (v2) {
      key = `efficientnet_v2_${v2[2]}`;
      // Trained on ImageNet-21k alone, its classifier has 21k-ImageNet's classes, which LayerLens does not count.
      if (v2[1] === '21k') classes = null;
    } else {
      key = imagenetKey(name);
      if (key && !tf2 && version < 4)
        return {
          why: `\`${text}\` is version ${version}, in TF1's Hub format (TF2 SavedModels are version 4 and later), which LayerLens does not size`,
        };
    }
  } else if (publisher === 'google' && collection === 'tf2-preview' && path.length === 4) {
    key = name === 'mobilenet_v2' ? 'mobilenet_v2_100' : name === 'inception_v3' ? 'inception_v3' : null;
  } else if (publisher === 'tensorflow' && collection === 'efficientnet' && path.length === 4 && /^b[0-7]$/.test(name)) {
    key = `efficientnet_${name}`;
  } else if (publisher === 'google' && collection === 'efficientnet' && /^b[0-7]$/.test(name)) {
    return { why: `\`${text}\` is in TF1's Hub format (tensorflow/efficientnet/${name} is its TF2 SavedModel), which LayerLens does not size` };
  }
  const architecture = key ? HUB_ARCHITECTURES[key] : undefined;
  if (!key || !architecture) return unknownModel(text);
  if (h === 'feature_vector') return { key, architecture, head: h };
  const count = classes === undefined ? architecture.classes : classes;
  if (count === null)
    return {
      why: `LayerLens knows the feature vector of \`${text}\` but not the weights of its classification head, so it leaves this classifier unknown (use its feature_vector handle and a Dense layer of your own for exact numbers)`,
    };
  return { key, architecture, head: h, classes: count };
}

/** `resnet_v2_50`, `inception_v3`, `mobilenet_v2_140_224`, `mobilenet_v3_small_100_224`… → a key of the table. */
function imagenetKey(name: string): string | null {
  if (/^resnet_v[12]_(50|101|152)$/.test(name) || name === 'inception_v3' || name === 'inception_resnet_v2') return name;
  const v1 = /^mobilenet_v1_(025|050|075|100)_(128|160|192|224)$/.exec(name);
  if (v1) return `mobilenet_v1_${v1[1]}`;
  const v2 = /^mobilenet_v2_(035|050|075|100|130|140)_(96|128|160|192|224)$/.exec(name);
  if (v2) return `mobilenet_v2_${v2[1]}`;
  const v3 = /^mobilenet_v3_(small|large)_(075|100|minimalistic_100)_224$/.exec(name);
  if (v3) return `mobilenet_v3_${v3[1]}_${v3[2]}`;
  return null;
}

/**
 * Kaggle Models: `models/owner/model/framework/variation[/version]`, or the same with `frameworks/`, `variations/`
 * and `versions/` before each. Only the TensorFlow 2 framework is a SavedModel that `hub.KerasLayer` builds as
 * TF2; each such variation is read as the tfhub.dev handle it was published from.
 */
function fromKaggle(parts: string[], text: string): HubResolution {
  if (parts[0] !== 'models') return unknownModel(text);
  const rest = parts.slice(1).filter((p, i, all) => !(['frameworks', 'variations', 'versions'].includes(p.toLowerCase()) && i >= 2 && i < all.length - 1));
  const [owner, model, framework, variation] = rest;
  if (!variation) return { why: `\`${text}\` names no variation of a Kaggle model` };
  if (framework.toLowerCase() !== 'tensorflow2')
    return { why: `\`${text}\` is the model's ${framework} form, not a TensorFlow 2 SavedModel, which LayerLens does not size` };
  const name = kaggleName(`${owner}/${model}`.toLowerCase(), variation);
  if (!name) return unknownModel(text);
  return fromTfHub([...name.split('/')], text, true);
}

/** A Kaggle variation as its tfhub.dev path (`google/resnet-v2`, `50-feature-vector` → `google/imagenet/resnet_v2_50/feature_vector`). */
function kaggleName(model: string, variation: string): string | null {
  const v = variation.toLowerCase();
  const tail = /(?:^|-)(feature-vector|classification)$/.exec(v);
  if (!tail) return null;
  const h = tail[1] === 'feature-vector' ? 'feature_vector' : 'classification';
  const body = v.slice(0, -tail[0].length);
  switch (model) {
    case 'google/resnet-v1':
    case 'google/resnet-v2':
      return /^(50|101|152)$/.test(body) ? `google/imagenet/${model.slice(7).replace('-', '_')}_${body}/${h}` : null;
    case 'google/mobilenet-v1':
    case 'google/mobilenet-v2':
      if (body === 'tf2-preview' && model.endsWith('v2')) return `google/tf2-preview/mobilenet_v2/${h}`;
      return /^\d{3}-\d{2,3}$/.test(body) ? `google/imagenet/${model.slice(7).replace('-', '_')}_${body.replace('-', '_')}/${h}` : null;
    case 'google/mobilenet-v3':
      return /^(small|large)-(075|100|minimalistic-100)-224$/.test(body) ? `google/imagenet/mobilenet_v3_${body.replace(/-/g, '_')}/${h}` : null;
    case 'google/inception-v3':
      return body === '' ? `google/imagenet/inception_v3/${h}` : body === 'tf2-preview' ? `google/tf2-preview/inception_v3/${h}` : null;
    case 'google/inception-resnet-v2':
      return body === '' ? `google/imagenet/inception_resnet_v2/${h}` : null;
    case 'tensorflow/efficientnet':
      return /^b[0-7]$/.test(body) ? `tensorflow/efficientnet/${body}/${h}` : null;
    case 'google/efficientnet-v2': {
      const m = /^imagenet(1k|21k|21k-ft1k)-(b[0-3]|s|m|l)$/.exec(body);
      return m ? `google/imagenet/efficientnet_v2_imagenet${m[1].replace('-', '_')}_${m[2]}/${h}` : null;
    }
    default:
      return null;
  }
}
