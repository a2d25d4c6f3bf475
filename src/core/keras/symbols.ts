/** What an imported name refers to in Keras, whichever way it was imported. */
import { isApplication } from '../applications';
import { OPAQUE_LAYERS, ruleFor } from '../layers/catalogue';
import { MERGE_FUNCTIONS } from '../layers/merge';
import { APPLICATION_LAYERS } from '../layers/applicationLayers';
import { HUB_LAYERS } from '../layers/hub';

/** Maps the many spellings of the Keras package to one: `tensorflow.keras.layers` → `keras.layers`. */
export function canonicalPath(path: string): string {
  return remembered(canonicalPaths, path, spellOut);
}

function spellOut(path: string): string {
  return path
    .replace(/^kerastuner(?=\.|$)/, 'keras_tuner')
    .replace(/^keras_tuner\.engine\.hyperparameters(?:\.hyperparameters)?(?=\.|$)/, 'keras_tuner')
    .replace(/^tensorflow\.python\.keras(?=\.|$)/, 'keras')
    .replace(/^tensorflow\.compat\.v[12]\.keras(?=\.|$)/, 'keras')
    .replace(/^tensorflow\.keras(?=\.|$)/, 'keras')
    .replace(/^tf_keras(?=\.|$)/, 'keras')
    .replace(/^keras\._tf_keras\.keras(?=\.|$)/, 'keras')
    .replace(/^keras\.api\._v2\.keras(?=\.|$)/, 'keras')
    .replace(/^keras\.src(?=\.|$)/, 'keras');
}

export type SymbolKind =
  | { kind: 'sequential' }
  | { kind: 'input'; type: 'Input' | 'InputLayer' }
  | { kind: 'layer'; type: string }
  | { kind: 'opaque-layer'; type: string }
  | { kind: 'unknown-layer'; type: string }
  /** Makes a model LayerLens does not analyse (yet): what it is, in a few words. */
  | { kind: 'unanalysed-model'; what: string }
  /** `keras.Model(inputs, outputs)`. */
  | { kind: 'functional' }
  /** An architecture of `keras.applications` LayerLens knows (`VGG16`). */
  | { kind: 'application'; name: string }
  /** `layers.add([x, y])` and the other merge functions: the layer class they make. */
  | { kind: 'merge-function'; type: string }
  | { kind: 'other' };

export function classifySymbol(path: string): SymbolKind {
  return remembered(symbolKinds, path, classify);
}

/**
 * canonicalPath's and classifySymbol's answers, by path: the evaluator asks them on every call and attribute of an
 * imported name (each call nine regular expressions, or a split and the catalogue), for a few hundred paths a file.
 * The answers are shared: nothing changes them.
 */
const canonicalPaths = new Map<string, string>();
const symbolKinds = new Map<string, SymbolKind>();

/** Forgets them (clearParseCache: a cold analysis starts without them, as the editor's first one does). */
export function clearSymbolCaches(): void {
  canonicalPaths.clear();
  symbolKinds.clear();
}

function remembered<T>(cache: Map<string, T>, path: string, answer: (path: string) => T): T {
  let known = cache.get(path);
  if (known === undefined) {
    if (cache.size >= 5000) cache.clear();
    known = answer(path);
    cache.set(path, known);
  }
  return known;
}

function classify(path: string): SymbolKind {
  const segments = path.split('.');
  const last = segments[segments.length - 1];
  if (last === 'from_preset') return { kind: 'unanalysed-model', what: `\`${segments.slice(-2).join('.')}(...)\` loads a preset when the code runs` };
  // tensorflow_hub's KerasLayer (`hub.KerasLayer`, `from tensorflow_hub import KerasLayer`).
  if (segments[0] === 'tensorflow_hub') return HUB_LAYERS.has(last) ? { kind: 'layer', type: last } : { kind: 'other' };
  if (segments[0] !== 'keras') return { kind: 'other' };
  if (last === 'Sequential') return { kind: 'sequential' };
  if ((last === 'Model' || last === 'Functional') && !segments.includes('layers')) return { kind: 'functional' };
  if (segments.includes('layers') && MERGE_FUNCTIONS[last]) return { kind: 'merge-function', type: MERGE_FUNCTIONS[last] };
  if (last === 'load_model')
    return { kind: 'unanalysed-model', what: '`load_model(...)` reads a saved model when the code runs, and LayerLens does not open the file' };
  if (segments[1] === 'applications' && isApplication(last)) return { kind: 'application', name: last };
  // Layers an architecture defines for itself (`keras.src.applications.convnext.LayerScale`).
  if (segments[1] === 'applications' && segments.length === 4 && APPLICATION_LAYERS.has(last)) return { kind: 'layer', type: last };
  if (segments[1] === 'applications' && /^[A-Z]/.test(last))
    return { kind: 'unanalysed-model', what: `\`${last}\` from keras.applications is not analysed yet` };
  if (last === 'Input' || last === 'InputLayer') return { kind: 'input', type: last };
  if (!segments.includes('layers')) return { kind: 'other' };
  const rule = APPLICATION_LAYERS.has(last) || HUB_LAYERS.has(last) ? undefined : ruleFor(last);
  if (rule) return { kind: 'layer', type: rule.type };
  if (OPAQUE_LAYERS.has(last)) return { kind: 'opaque-layer', type: last };
  if (/^[A-Z]/.test(last) && last !== 'Layer') return { kind: 'unknown-layer', type: last };
  return { kind: 'other' };
}

/** Where a name that nothing binds most likely comes from, by the conventions of Keras code. */
export function conventionalBinding(name: string): string | null {
  switch (name) {
    case 'tf':
      return 'tensorflow';
    case 'keras':
      return 'keras';
    case 'layers':
      return 'keras.layers';
    case 'models':
      return 'keras.models';
    case 'np':
      return 'numpy';
    case 'ops':
      return 'keras.ops';
    case 'Sequential':
      return 'keras.Sequential';
    case 'Input':
    case 'InputLayer':
      return `keras.layers.${name}`;
  }
  if ((ruleFor(name) && !HUB_LAYERS.has(name)) || OPAQUE_LAYERS.has(name)) return `keras.layers.${name}`;
  return null;
}

/** Functions that make an array of a literal shape: `shape=` or the first argument (`rand`/`randn`: every argument is a side). */
export const TENSOR_MAKER = /^(?:numpy|tensorflow|keras|jax)(?:\.\w+)*\.(ones|zeros|empty|full|normal|uniform|truncated_normal|rand|randn)$/;
