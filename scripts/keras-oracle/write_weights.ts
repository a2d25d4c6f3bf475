// The middle step of save_weights.py (see its docstring): for each case of test/fixtures/weights/saved_by_keras.json,
// the weights Keras saved, read back with LayerLens' reader and matched to the model LayerLens analyses from the
// source (as the preview holds them: by layer name), written again with LayerLens' writer into OUT_DIR for Keras to
// load. test/unit/writeWeights.test.ts makes the same bytes with `writtenForKeras`.
//   npx tsx scripts/keras-oracle/write_weights.ts OUT_DIR
import '../../test/support/pythonText'; // first: src/core imports its keras.applications as .py text
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../src/core';
import { isChain } from '../../src/core/tfjs/graph';
import { toPreviewModel } from '../../src/panel/previewModel';
import { matchLayers, readKerasWeights } from '../../src/weights/readWeights';
import { modelToSave, writeKeras3Weights } from '../../src/weights/writeWeights';

export const FIXTURES = join(__dirname, '..', '..', 'test', 'fixtures', 'weights');

export interface SavedCase {
  source: string;
  /** The model's variable in the source. */
  model: string;
  /** Keras' own save_weights file, beside this record. */
  file: string;
  /** Keras' model.layers. */
  layers: { name: string; class: string; variables: number }[];
  /** What Keras' predict gave for the record's input. */
  output: number[];
}

export interface SavedByKeras {
  keras: string;
  input: string;
  cases: Record<string, SavedCase>;
}

export function savedByKeras(): SavedByKeras {
  return JSON.parse(readFileSync(join(FIXTURES, 'saved_by_keras.json'), 'utf8')) as SavedByKeras;
}

/** The bytes LayerLens' writer gives for a case's weights, from the model LayerLens finds in its source. */
export function writtenForKeras(c: SavedCase): Uint8Array {
  const found = analyze(c.source).models.find((m) => m.name === c.model);
  if (!found) throw new Error(`LayerLens finds no model "${c.model}" in the source.`);
  const model = toPreviewModel(found, 'oracle');
  const weights = matchLayers(readKerasWeights(new Uint8Array(readFileSync(join(FIXTURES, c.file))), c.file), model.layers);
  return writeKeras3Weights(modelToSave(isChain(model.graph) ? 'sequential' : 'functional', model.layers, weights));
}

if (require.main === module) {
  const out = process.argv[2];
  if (!out) throw new Error('usage: tsx scripts/keras-oracle/write_weights.ts OUT_DIR');
  mkdirSync(out, { recursive: true });
  for (const [name, c] of Object.entries(savedByKeras().cases)) {
    const bytes = writtenForKeras(c);
    writeFileSync(join(out, `${name}.weights.h5`), bytes);
    console.log(`${join(out, name)}.weights.h5: ${bytes.length} bytes`);
  }
}
