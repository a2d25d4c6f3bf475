/**
 * Writing Keras 3 `.weights.h5` files. The files are read back by LayerLens' reader (jsfive) and by the HDF5 C
 * library (h5wasm, the library h5py is built on, compiled to wasm), compared with the files Keras 3 itself wrote
 * for the same models, and checked against the record of real Keras 3 loading them
 * (scripts/keras-oracle/save_weights.py; CI has no Python, so the record is committed with the bytes' hash).
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { analyze } from '../../src/core';
import { toPreviewModel } from '../../src/panel/previewModel';
import { h5Dataset, h5Group, writeHdf5 } from '../../src/weights/hdf5Writer';
import { matchLayers, readKerasWeights, WeightsError } from '../../src/weights/readWeights';
import { defaultWeightsName, modelToSave, withWeightsSuffix, writeKeras3Weights, type LayerToSave } from '../../src/weights/writeWeights';
import { ModelRunner } from '../../webview/tfjs/runner';
import { FIXTURES, savedByKeras, writtenForKeras } from '../../scripts/keras-oracle/write_weights';

/** The part of h5wasm's API these tests use (its package exports ESM only, loaded with import()). */
interface H5Entity {
  type: string;
  attrs: Record<string, { value: unknown; metadata: object }>;
}
interface H5Dataset extends H5Entity {
  value: ArrayLike<number>;
  metadata: { shape: number[]; maxshape: number[]; chunks: number[] | null; type: number; size: number; littleEndian: boolean; signed: boolean };
}
interface H5File {
  paths(): string[];
  get(path: string): H5Entity | H5Dataset;
  close(): void;
}
interface H5 {
  ready: Promise<unknown>;
  File: new (path: string, mode: 'r') => H5File;
}
let h5: H5;
const dir = mkdtempSync(join(tmpdir(), 'layerlens-write-weights-'));

/** Opens bytes with the HDF5 C library (h5wasm reads files from the file system in Node). */
function openH5(bytes: Uint8Array, name: string): H5File {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return new h5.File(path, 'r');
}

const isDataset = (e: H5Entity | H5Dataset): e is H5Dataset => 'metadata' in e && e.type === 'Dataset';

/** Every group and dataset of a file, with what Keras' loading depends on (shapes, element types, storage) and its attributes' names and types. */
function structure(f: H5File): Record<string, unknown> {
  return Object.fromEntries(
    f.paths().map((p) => {
      const e = f.get(p);
      const attrs = Object.fromEntries(Object.entries(e.attrs).map(([k, a]) => [k, a.metadata]));
      if (!isDataset(e)) return [p, { group: true, attrs }];
      const { shape, maxshape, chunks, type, size, littleEndian, signed } = e.metadata;
      return [p, { shape, maxshape, chunks, type, size, littleEndian, signed, attrs }];
    }),
  );
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The oracle's input pattern (saved_by_keras.json's `input`) at the model's input shape, row-major: a vector is its first row. */
function pattern(shape: number[]): Float32Array {
  const [h, w, channels] = shape.length === 1 ? [1, shape[0], 1] : shape;
  const out = new Float32Array(h * w * channels);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) for (let c = 0; c < channels; c++) out[(y * w + x) * channels + c] = (Math.sin(x / 3 + c) + Math.cos(y / 5 - c)) / 4 + 0.5;
  return out;
}

const f32 = (xs: number[]): number[] => xs.map((x) => Math.fround(x));

describe('writing Keras 3 weight files', () => {
  before(async () => {
    const specifier = 'h5wasm/node';
    h5 = ((await import(specifier)) as { default: H5 }).default;
    await h5.ready;
  });

  it('round trip: what the writer writes, the reader and the HDF5 C library read back, nested models and non-trainable variables included', () => {
    const bn = [f32([1, 1.5]), f32([0.1, -0.2]), f32([0.3, 0.4]), f32([0.9, 1.1])];
    const layers: LayerToSave[] = [
      { name: 'input_layer', type: 'InputLayer', tensors: [] },
      {
        name: 'hidden',
        type: 'Dense',
        tensors: [
          { shape: [3, 2], values: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6] },
          { shape: [2], values: [-1, 1] },
        ],
      },
      { name: 'norm', type: 'BatchNormalization', tensors: bn.map((values) => ({ shape: [2], values })) },
      {
        name: 'dense_out',
        type: 'Dense',
        tensors: [
          { shape: [2, 1], values: [7, 8] },
          { shape: [1], values: [0.5] },
        ],
      },
      {
        name: 'base',
        type: 'Functional',
        tensors: [],
        layers: [{ name: 'conv', type: 'Conv2D', tensors: [{ shape: [1, 1, 1, 2], values: [2, 3] }] }],
      },
    ];
    const bytes = writeKeras3Weights({ name: 'functional', layers });
    const read = readKerasWeights(bytes, 'model.weights.h5');
    assert.equal(read.format, 'keras3-weights-h5');
    // HDF5 lists a group's members by name; layers without variables have no arrays to read.
    assert.deepEqual(read.layers, [
      { layer: 'batch_normalization', tensors: bn.map((values) => ({ shape: [2], values })) },
      {
        layer: 'dense',
        tensors: [
          { shape: [3, 2], values: f32([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]) },
          { shape: [2], values: [-1, 1] },
        ],
      },
      {
        layer: 'dense_1',
        tensors: [
          { shape: [2, 1], values: [7, 8] },
          { shape: [1], values: [0.5] },
        ],
      },
      { layer: 'functional', tensors: [], layers: [{ layer: 'conv2d', tensors: [{ shape: [1, 1, 1, 2], values: [2, 3] }] }] },
    ]);
    const f = openH5(bytes, 'round-trip.weights.h5');
    assert.deepEqual(f.paths(), [
      'layers',
      'layers/batch_normalization',
      'layers/batch_normalization/vars',
      ...['0', '1', '2', '3'].map((k) => `layers/batch_normalization/vars/${k}`),
      'layers/dense',
      'layers/dense/vars',
      'layers/dense/vars/0',
      'layers/dense/vars/1',
      'layers/dense_1',
      'layers/dense_1/vars',
      'layers/dense_1/vars/0',
      'layers/dense_1/vars/1',
      'layers/functional',
      'layers/functional/layers',
      'layers/functional/layers/conv2d',
      'layers/functional/layers/conv2d/vars',
      'layers/functional/layers/conv2d/vars/0',
      'layers/functional/vars',
      'layers/input_layer',
      'layers/input_layer/vars',
      'vars',
    ]);
    assert.deepEqual(Array.from((f.get('layers/batch_normalization/vars/3') as H5Dataset).value), bn[3]);
    assert.equal(f.get('layers/dense/vars').attrs.name.value, 'hidden');
    assert.equal(f.get('layers/functional/vars').attrs.name.value, 'base');
    assert.equal(f.get('vars').attrs.name.value, 'functional');
    f.close();
  });

  it('a group with more members than the default symbol table node holds, and names beyond ASCII, read by the C library', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ name: `dense_layer_${i}`, type: 'Dense', tensors: [{ shape: [1], values: [i] }] }));
    const bytes = writeKeras3Weights({ name: 'größe', layers: many });
    const f = openH5(bytes, 'many.weights.h5');
    for (let i = 0; i < 40; i++) assert.deepEqual(Array.from((f.get(`layers/${i ? `dense_${i}` : 'dense'}/vars/0`) as H5Dataset).value), [i]);
    assert.equal(f.get('vars').attrs.name.value, 'größe');
    f.close();
    assert.equal(readKerasWeights(bytes, 'many.weights.h5').layers.length, 40);
  });

  it('the same bytes for the same weights: nothing in the file depends on the clock', async () => {
    const write = () => writeHdf5(h5Group({ a: h5Group({ '0': h5Dataset([2], [1, 2]) }, { name: 'a' }) }));
    const first = write();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.deepEqual(write(), first);
  });

  for (const [name, c] of Object.entries(savedByKeras().cases)) {
    describe(`the Keras oracle's ${name}`, () => {
      const keras = () => new Uint8Array(readFileSync(join(FIXTURES, c.file)));

      it("has the groups, dataset paths, shapes, element types, storage and attributes of the file Keras 3's save_weights wrote", () => {
        const ours = openH5(writtenForKeras(c), `${name}.ours.weights.h5`);
        const theirs = openH5(keras(), `${name}.keras.weights.h5`);
        assert.deepEqual(structure(ours), structure(theirs));
        // Each vars group names its layer. A fresh Keras session names the convnet's layers as LayerLens does; the
        // second model of a session gets numbers (conv2d_3), so its names are compared with Keras' model.layers.
        const kerasNames = c.layers.map((l) => l.name);
        for (const p of ours.paths().filter((p) => /^layers\/[^/]+\/vars$/.test(p))) {
          const mine = ours.get(p).attrs.name.value as string;
          if (name === 'convnet') assert.equal(mine, theirs.get(p).attrs.name.value, p);
          else assert.ok(kerasNames.includes(theirs.get(p).attrs.name.value as string), p);
        }
        ours.close();
        theirs.close();
      });

      it('Keras 3 loaded these very bytes with load_weights and predicted what it predicts with its own file (within 1e-4)', () => {
        const loaded = JSON.parse(readFileSync(join(FIXTURES, 'loaded_by_keras.json'), 'utf8')) as {
          cases: Record<string, { sha256: string; bytes: number; before: number[]; output: number[]; editorAgrees: boolean }>;
        };
        const record = loaded.cases[name];
        const bytes = writtenForKeras(c);
        // A writer whose bytes Keras has not loaded fails here: rerun the oracle (scripts/keras-oracle/README.md).
        assert.equal(sha256(bytes), record.sha256, `the writer's ${name} file is not the one Keras 3 loaded`);
        assert.equal(bytes.length, record.bytes);
        assert.equal(record.editorAgrees, true, "keras.saving.KerasFileEditor found the arrays of Keras' own file in it");
        assert.equal(record.output.length, c.output.length);
        record.output.forEach((v, i) => assert.ok(Math.abs(v - c.output[i]) < 1e-4, `output ${i}: ${v} after loading, Keras' own ${c.output[i]}`));
        // Before loading, the fresh model predicted otherwise: the file's weights are what made the outputs equal.
        assert.ok(Math.max(...record.before.map((v, i) => Math.abs(v - c.output[i]))) > 0.01);
      });

      // The preview does not build a Sequential nested with an Input of its own (the runner stops: "An InputLayer
      // after the first layer has no tfjs equivalent in a Sequential model"), so the nested case is Keras' alone.
      if (name === 'nested') return;
      it("the preview loads the written file back and runs it as Keras ran it (tfjs' CPU backend, within 1e-4)", async () => {
        await tf.setBackend('cpu');
        const found = analyze(c.source).models.find((m) => m.name === c.model);
        assert.ok(found);
        const model = toPreviewModel(found, 'k');
        const runner = new ModelRunner();
        runner.build(model, matchLayers(readKerasWeights(writtenForKeras(c), `${name}.weights.h5`), model.layers));
        const shape = model.inputShape?.slice(1) as number[];
        const out = runner.run(pattern(shape), shape);
        const last = Array.from(out[out.length - 1].values);
        c.output.forEach((v, i) => assert.ok(Math.abs(last[i] - v) < 1e-4, `output ${i}: ${last[i]} vs Keras ${v}`));
        runner.dispose();
      });
    });
  }

  it('file names end in .weights.h5, the only names Keras 3 load_weights reads this layout under', () => {
    assert.deepEqual(['/w/model.weights.h5', '/w/model.h5', '/w/model.HDF5', '/w/model', '/w/my.model.WEIGHTS.H5'].map(withWeightsSuffix), [
      '/w/model.weights.h5',
      '/w/model.weights.h5',
      '/w/model.weights.h5',
      '/w/model.weights.h5',
      '/w/my.model.WEIGHTS.weights.h5',
    ]);
  });

  describe('modelToSave: the preview’s layers and the weights it holds, or why they cannot be saved', () => {
    const model = toPreviewModel(
      analyze(
        'import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((4,)), layers.Dense(3, name="hidden"), layers.Dropout(0.5), layers.Dense(2)])',
      ).models[0],
      'k',
    );
    const hidden = {
      layer: 'hidden',
      tensors: [
        { shape: [4, 3], values: Array(12).fill(0.5) },
        { shape: [3], values: [1, 2, 3] },
      ],
    };
    const dense = {
      layer: 'dense',
      tensors: [
        { shape: [3, 2], values: Array(6).fill(0.25) },
        { shape: [2], values: [0, 1] },
      ],
    };

    it('every layer in order, those without weights too, under the keys Keras 3 reads', () => {
      const toSave = modelToSave('sequential', model.layers, [dense, hidden]);
      assert.deepEqual(
        toSave.layers.map((l) => [l.name, l.type, l.tensors.length]),
        [
          ['hidden', 'Dense', 2],
          ['dropout', 'Dropout', 0],
          ['dense', 'Dense', 2],
        ],
      );
      const read = readKerasWeights(writeKeras3Weights(toSave), 'm.weights.h5');
      assert.deepEqual(matchLayers(read, model.layers), [hidden, dense]);
    });

    it("Save weights…' default file name: the source's stem with .weights.h5 (Keras 3 loads only that suffix)", () => {
      assert.equal(defaultWeightsName('/w/examples/mnist_convnet.py'), 'mnist_convnet.weights.h5');
      assert.equal(defaultWeightsName('/w/nb/chapter5.ipynb'), 'chapter5.weights.h5');
      assert.equal(defaultWeightsName('/w/my.model.v2.py'), 'my.model.v2.weights.h5');
      assert.equal(defaultWeightsName('/w/Untitled-1'), 'Untitled-1.weights.h5');
      assert.equal(withWeightsSuffix(defaultWeightsName('/w/a.py')), 'a.weights.h5');
    });

    it('refuses weights that are missing, of the wrong size, or for a layer the model does not have', () => {
      const refuses = (weights: (typeof hidden)[], message: string) =>
        assert.throws(
          () => modelToSave('sequential', model.layers, weights),
          (e: Error) => e instanceof WeightsError && e.message === message,
        );
      refuses([hidden], 'There are no weights for layer "dense" (Dense), which has 8 parameters.');
      refuses([hidden, { ...dense, tensors: dense.tensors.slice(0, 1) }], 'The weights of layer "dense" (Dense) hold 6 numbers; the layer has 8 parameters.');
      refuses([hidden, dense, { ...dense, layer: 'dense_9' }], 'There are weights for a layer "dense_9", which the model does not have.');
      assert.throws(() => h5Dataset([2, 2], [1, 2, 3]), /An array of shape \[2,2\] needs 4 values, not 3\./);
      assert.throws(() => writeHdf5(h5Group({ 'a/b': h5Group() })), /"a\/b" cannot name a member of an HDF5 group/);
    });
  });
});
