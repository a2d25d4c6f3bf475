/**
 * Where Keras 2 (tf.keras 2.x, Keras 2.3 on) and Keras 3 differ, and how the analysis follows the chosen one
 * (`AnalyzeOptions.kerasVersion`, '3' by default). Imports alone cannot tell the version (standalone `keras` was
 * Keras 2 until 2023), so the choice decides wherever the file gives no sign; a construct that only one version
 * accepts gets a diagnostic saying which, whatever the choice. The differences, each checked against Keras' source:
 *
 * - Input layers' default names: Keras 2 `input_1`, `input_2`… (keras/engine/input_layer.py: `'input_' +
 *   str(backend.get_uid('input'))`, uids from 1); Keras 3 `input_layer`, `input_layer_1`… (the class name in
 *   snake case, keras/src/utils/naming.py `auto_name`). See `inputLayerName`.
 * - An unnamed Functional model: Keras 2 prints `Model: "model"`, Keras 3 `Model: "functional"`; an unnamed
 *   Sequential is `sequential` in both. See `unnamedModelName`.
 * - `AveragePooling1D/2D/3D()` without `pool_size`: Keras 2 defaults it (keras/layers/pooling/average_pooling2d.py:
 *   `pool_size=(2, 2)`); Keras 3 requires it (keras/src/layers/pooling/average_pooling2d.py: `def __init__(self,
 *   pool_size, strides=None, ...)`). MaxPooling keeps its default in both (keras/src/layers/pooling/max_pooling2d.py:
 *   `pool_size=(2, 2)`). See layers/pooling.ts.
 * - GRU's `reset_after`: True by default since Keras 2.3 and in Keras 3 (keras/src/layers/rnn/gru.py), so the two
 *   versions agree; Keras before 2.3 defaulted to False and is not modelled (give `reset_after=False`).
 * - Keras 1 argument names and Keras 1/2 module paths (`keras.layers.convolutional`): only Keras 2 reads them
 *   (layers/legacy.ts; the imports are reported by `keras2ModuleNotes`).
 * - Operations on Keras tensors: tf.keras 2 wraps each TensorFlow function called on a Keras tensor, and each Python
 *   operator (which calls one), in a `TFOpLambda` layer (`SlicingOpLambda` for `x[...]`) named `"tf." +` the
 *   function's canonical TF API name, counted from the second (keras/layers/core/tf_op_layer.py: `name = "tf." +
 *   self.symbol`, `unique_object_name(name, zero_based=True)`): `x / 255.` is `tf.math.truediv`, `x[:, 0]`
 *   `tf.__operators__.getitem`; Keras 3 makes rows of its own operations (`true_divide`, `get_item`) and refuses TF
 *   functions. See `keras2OpRow`.
 */
import { chunkToSource, type Chunk } from '../python/chunks';
import type { SourceText } from '../python/sourceText';
import type { AnalysisResult, Diagnostic, KerasVersion } from '../types';
import type { LayerCall } from './values';
import { withFields } from './movedResults';

export const DEFAULT_KERAS_VERSION: KerasVersion = '3';

/**
 * An Input's default name, the `n`-th (from 0) of its model: Keras 2 `input_1`, `input_2`…; Keras 3 `input_layer`,
 * `input_layer_1`…. (Both count across a Python session; LayerLens counts per model, as each model's summary is read
 * on its own.)
 */
export function inputLayerName(n: number, version: KerasVersion): string {
  if (version === '2') return `input_${n + 1}`;
  return n === 0 ? 'input_layer' : `input_layer_${n}`;
}

/**
 * The name Keras gives a model made without `name=`, where LayerLens has no better one (no variable, no function):
 * a Functional model is `model` in Keras 2 and `functional` in Keras 3; a Sequential is `sequential` in both. The
 * interpreter names such a model `functional`; under Keras 2 that becomes `model`.
 */
export function modelName(model: { name: string; explicitName: boolean }, kind: 'sequential' | 'functional', version: KerasVersion): string {
  if (version === '2' && kind === 'functional' && !model.explicitName && model.name === 'functional') return 'model';
  return model.name;
}

/**
 * Module paths that only Keras 1 and Keras 2 had, as they are imported (`from keras.layers.convolutional import
 * Conv2D`, `tensorflow.python.keras.layers.core`). Keras 3 keeps its modules under `keras.src`, which is not one of
 * these (its `keras.src.layers.core` is Keras 3's own).
 */
const KERAS2_MODULE =
  /^(?:keras|tensorflow\.keras|tensorflow\.python\.keras|tf_keras)\.(?:layers\.(?:convolutional|core|pooling|recurrent|normalization|embeddings|advanced_activations|noise|wrappers|local|merge|convolutional_recurrent|cudnn_recurrent)|engine|legacy)(?=\.|$)/;
/**
 * `from MODULE import …` and `import MODULE[ as x], …` where a statement starts: at the start of a line, or after a
 * `;` (`import keras; from keras.layers.core import Dense`).
 */
const IMPORTS = /(?:^|[;\n])[ \t]*(?:from\s+([\w.]+)\s+import\b|import\s+([\w.]+(?:\s+as\s+\w+)?(?:[ \t]*,[ \t]*[\w.]+(?:\s+as\s+\w+)?)*))/g;

/**
 * One diagnostic per import of a Keras 1/2 module path in a top-level statement: code valid in Keras 2 only,
 * whichever version is chosen (information under Keras 2, a warning under Keras 3, which cannot import it).
 */
export function keras2ModuleNotes(source: SourceText, chunks: readonly Chunk[], version: KerasVersion): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const chunk of chunks) {
    for (const m of oldModulesIn(chunk.text)) {
      const start = chunkToSource(chunk, m.at);
      out.push({
        severity: version === '3' ? 'warning' : 'information',
        code: 'keras-version',
        message: `\`${m.name}\` is a Keras 1/2 module path: valid in Keras 2 only (Keras 3 has no \`${m.old}\`)${
          version === '3' ? '; the numbers are for Keras 3 (the setting layerlens.kerasVersion, or --keras 2, reads the file as Keras 2)' : ''
        }.`,
        range: source.range(start, start + m.name.length),
      });
    }
  }
  return out;
}

const NO_MODULES: { name: string; at: number; old: string }[] = [];
const oldModulesCache = new Map<string, { name: string; at: number; old: string }[]>();

/** Forgets the statements' module paths (a cold analysis, as `clearParseCache` asks). */
export function clearOldModules(): void {
  oldModulesCache.clear();
}

/** The Keras 1/2 module paths a statement imports, with their offsets in its text: cached by text (asked on every keystroke). */
function oldModulesIn(text: string): { name: string; at: number; old: string }[] {
  let found = oldModulesCache.get(text);
  if (found) return found;
  if (!text.includes('import')) found = NO_MODULES;
  else {
    const modules: { name: string; at: number }[] = [];
    for (const match of text.matchAll(IMPORTS)) {
      const at = match.index + match[0].length;
      if (match[1]) modules.push({ name: match[1], at: text.lastIndexOf(match[1], at) });
      else {
        let offset = text.lastIndexOf('import', at - match[2].length);
        for (const part of match[2].split(',')) {
          const name = part.trim().split(/\s+/)[0];
          const where = text.indexOf(name, offset);
          modules.push({ name, at: where });
          offset = where + name.length;
        }
      }
    }
    found = [];
    for (const m of modules) {
      const old = KERAS2_MODULE.exec(m.name);
      if (old) found.push({ ...m, old: old[0] });
    }
    if (found.length === 0) found = NO_MODULES;
  }
  if (oldModulesCache.size >= 20000) oldModulesCache.clear();
  oldModulesCache.set(text, found);
  return found;
}

/**
 * The TensorFlow function each Python operator on a Keras tensor calls in tf.keras 2, as its `TFOpLambda` row is
 * named. Each name is one printed tf.keras 2 summaries show (test/unit/kerasVersions.test.ts cites them).
 */
const OPERATOR_SYMBOLS: Record<string, string> = {
  '+': '__operators__.add',
  '-': 'math.subtract',
  '*': 'math.multiply',
  '/': 'math.truediv',
  '@': 'linalg.matmul',
  '[]': '__operators__.getitem',
};

/**
 * TF functions LayerLens evaluates, by their own name, to their canonical API name (the first of their
 * `tf_export` names, which `get_canonical_name_for_symbol` gives): `tf.reduce_mean` is `math.reduce_mean`,
 * `tf.nn.swish` `nn.silu` (`@tf_export("nn.silu", "nn.swish")`). Only names printed tf.keras 2 summaries show,
 * or the same function under another of its names; another function's row keeps LayerLens' name (README Limits).
 */
const TF_SYMBOLS: Record<string, string> = {
  relu: 'nn.relu',
  silu: 'nn.silu',
  swish: 'nn.silu',
  softmax: 'nn.softmax',
  exp: 'math.exp',
  log: 'math.log',
  square: 'math.square',
  cast: 'cast',
  reduce_sum: 'math.reduce_sum',
  reduce_mean: 'math.reduce_mean',
  reshape: 'reshape',
  expand_dims: 'expand_dims',
  tile: 'tile',
  concat: 'concat',
  stack: 'stack',
  split: 'split',
  matmul: 'linalg.matmul',
  depth_to_space: 'nn.depth_to_space',
  bias_add: 'nn.bias_add',
  subtract: 'math.subtract',
  multiply: 'math.multiply',
  truediv: 'math.truediv',
};

/**
 * The row tf.keras 2 prints for an operation on Keras tensors, where LayerLens knows its name: the name's base
 * (numbered per model as any row) and its type. Null: not such an operation, or one whose tf.keras 2 name
 * LayerLens does not know (a `keras.ops` / `keras.backend` function, a TF function outside TF_SYMBOLS).
 */
export function keras2OpRow(call: LayerCall): { name: string; type: 'TFOpLambda' | 'SlicingOpLambda' } | null {
  const symbol = call.operator ? OPERATOR_SYMBOLS[call.operator] : call.op?.tfName ? TF_SYMBOLS[call.op.tfName] : undefined;
  if (!symbol) return null;
  return { name: `tf.${symbol}`, type: call.operator === '[]' ? 'SlicingOpLambda' : 'TFOpLambda' };
}

/** Diagnostics that show code only Keras 2 accepts, under either version (`keras2ModuleNotes`, legacy.ts, pooling.ts). */
const KERAS2_SIGNS = new Set(['keras-version', 'legacy-spelling']);

/** The file's first sign of Keras 2 in an analysis (by position), with the code its message quotes first; null if none. */
function firstKeras2Sign(result: AnalysisResult): { sign: string; range: Diagnostic['range'] } | null {
  let first: Diagnostic | null = null;
  const before = (a: Diagnostic['range'], b: Diagnostic['range']) =>
    (a.cell ?? 0) !== (b.cell ?? 0)
      ? (a.cell ?? 0) < (b.cell ?? 0)
      : a.start.line !== b.start.line
        ? a.start.line < b.start.line
        : a.start.column < b.start.column;
  for (const d of [...result.diagnostics, ...result.models.flatMap((m) => m.diagnostics)])
    if (KERAS2_SIGNS.has(d.code) && (!first || before(d.range, first.range))) first = d;
  if (!first) return null;
  const quoted = /`([^`]+)`/.exec(first.message)?.[1] ?? first.code;
  return { sign: quoted.length > 48 ? `${quoted.slice(0, 45)}...` : quoted, range: first.range };
}

/**
 * `'auto'`: Keras 2 where the file shows a sign only Keras 2 accepts, else Keras 3. The signs are diagnostics either
 * version's analysis gives, so one analysis decides: run as `first` (the version this document's last analysis
 * chose, so that an edit that keeps the choice analyses once), and again as the other where it decides otherwise.
 * Each model of a Keras 2 file says which sign chose it (`kerasVersionFrom`).
 */
export function chooseVersion(run: (version: KerasVersion) => AnalysisResult, first: KerasVersion = DEFAULT_KERAS_VERSION): AnalysisResult {
  let result = run(first);
  let sign = firstKeras2Sign(result);
  const wanted: KerasVersion = sign ? '2' : '3';
  if (wanted !== first) {
    result = run(wanted);
    sign = firstKeras2Sign(result);
  }
  if (!sign) return result;
  // New model objects: a document's next analysis may reuse these results (statement groups), which must not change.
  const from = { sign: sign.sign, range: sign.range };
  return { ...result, models: result.models.map((m) => (m.kerasVersion === '2' ? withFields(m, { kerasVersionFrom: from }) : m)) };
}
