/**
 * Reading trained weights from files this test writes itself in the layouts Keras and TF.js use: HDF5 through
 * h5wasm (the HDF5 C library compiled to wasm, not the reader under test), zips through fflate.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { keras3Keys, matchLayers, readKerasWeights, readTfjsWeights, WeightsError } from '../../src/weights/readWeights';
import { toPreviewModel } from '../../src/panel/previewModel';
import { ModelRunner } from '../../webview/tfjs/runner';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { modelNamed } from './support/fixtures';

/** The part of h5wasm's API these tests use (its package exports ESM only, loaded with import()). */
interface H5Group {
  create_group(name: string): H5Group;
  create_attribute(name: string, value: string[]): void;
  create_dataset(o: { name: string; data: Float32Array; shape: number[] }): void;
}
interface H5File extends H5Group {
  close(): void;
}
interface H5 {
  ready: Promise<unknown>;
  File: new (path: string, mode: 'w') => H5File;
}
let h5: H5;
const dir = mkdtempSync(join(tmpdir(), 'layerlens-weights-'));

const KERNEL = Float32Array.from({ length: 12 }, (_, i) => i / 10);
const BIAS = Float32Array.from([0.5, -0.5, 0.25]);

/** Writes an HDF5 file with h5wasm; `build` fills it. */
function writeH5(name: string, build: (f: H5File) => void): Uint8Array {
  const path = join(dir, name);
  const f = new h5.File(path, 'w');
  build(f);
  f.close();
  return new Uint8Array(readFileSync(path));
}

/** Keras 2 layout: `[model_weights/]<layer>/<layer>/kernel:0`, with `layer_names` and `weight_names`. */
function keras2(f: H5File, underModelWeights: boolean, names = ['dense_7', 'dropout_2']): void {
  const root = underModelWeights ? f.create_group('model_weights') : f;
  root.create_attribute('layer_names', names);
  const g = root.create_group(names[0]);
  g.create_attribute('weight_names', [`${names[0]}/kernel:0`, `${names[0]}/bias:0`]);
  const inner = g.create_group(names[0]);
  inner.create_dataset({ name: 'kernel:0', data: KERNEL, shape: [4, 3] });
  inner.create_dataset({ name: 'bias:0', data: BIAS, shape: [3] });
  root.create_group(names[1]); // Dropout: a group without weights
}

const MODEL = 'from keras import layers, models\nm = models.Sequential([layers.Dense(3, input_shape=(4,)), layers.Dropout(0.5)])';

describe('trained weights', () => {
  before(async () => {
    const specifier = 'h5wasm/node';
    h5 = ((await import(specifier)) as { default: H5 }).default;
    await h5.ready;
  });

  it('reads Keras 2 model.save .h5 (under model_weights) and save_weights .h5 (at the root)', () => {
    for (const under of [true, false]) {
      const bytes = writeH5(`k2-${under}.h5`, (f) => keras2(f, under, ['dense', 'dropout']));
      const read = readKerasWeights(bytes, 'model.h5');
      assert.equal(read.format, 'keras-h5');
      assert.equal(read.layers[0].layer, 'dense');
      assert.deepEqual(
        read.layers[0].tensors.map((t) => t.shape),
        [[4, 3], [3]],
      );
      assert.deepEqual(read.layers[0].tensors[1].values, Array.from(BIAS));
    }
  });

  it('reads Keras 3 .weights.h5 and .keras archives', () => {
    const bytes = writeH5('k3.weights.h5', (f) => {
      const vars = f.create_group('layers').create_group('dense').create_group('vars');
      vars.create_dataset({ name: '0', data: KERNEL, shape: [4, 3] });
      vars.create_dataset({ name: '1', data: BIAS, shape: [3] });
    });
    const read = readKerasWeights(bytes, 'model.weights.h5');
    assert.equal(read.format, 'keras3-weights-h5');
    assert.deepEqual(
      read.layers[0].tensors.map((t) => t.shape),
      [[4, 3], [3]],
    );
    const zip = zipSync({ 'config.json': new TextEncoder().encode('{}'), 'model.weights.h5': bytes });
    const fromZip = readKerasWeights(zip, 'model.keras');
    assert.equal(fromZip.format, 'keras3-zip');
    assert.deepEqual(fromZip.layers, read.layers);
  });

  it('reads a TF.js model.json with its shards, and names a missing shard', async () => {
    const all = new Float32Array([...KERNEL, ...BIAS]);
    const half = all.length * 2; // bytes: split the float32s over two shards
    const bin = new Uint8Array(all.buffer);
    const shards: Record<string, Uint8Array> = { 'group1-shard1of2.bin': bin.slice(0, half), 'group1-shard2of2.bin': bin.slice(half) };
    const json = JSON.stringify({
      weightsManifest: [
        {
          paths: Object.keys(shards),
          weights: [
            { name: 'dense/kernel', shape: [4, 3], dtype: 'float32' },
            { name: 'dense/bias', shape: [3], dtype: 'float32' },
          ],
        },
      ],
    });
    const read = await readTfjsWeights(json, 'model.json', async (p) => {
      if (!shards[p]) throw new Error('ENOENT');
      return shards[p];
    });
    assert.equal(read.layers[0].layer, 'dense');
    assert.ok(read.layers[0].tensors[0].values.every((v, i) => Math.abs(v - KERNEL[i]) < 1e-7));
    await assert.rejects(
      readTfjsWeights(json, 'model.json', async (p) => {
        if (p.endsWith('2of2.bin')) throw new Error('ENOENT');
        return shards[p];
      }),
      /needs the shard "group1-shard2of2\.bin", which is missing/,
    );
  });

  it('refuses truncated and corrupted files with a clear message', () => {
    const good = writeH5('good.h5', (f) => keras2(f, true));
    assert.throws(() => readKerasWeights(good.slice(0, 300), 'cut.h5'), /^Error: cut\.h5 is truncated: it has 300 bytes, and its HDF5 header says \d+\.$/);
    const corrupt = good.slice();
    for (let i = 200; i < corrupt.length; i += 7) corrupt[i] ^= 0xff;
    assert.throws(() => readKerasWeights(corrupt, 'bad.h5'), WeightsError);
    assert.throws(() => readKerasWeights(new TextEncoder().encode('not weights'), 'x.h5'), /neither an HDF5 file nor a \.keras archive/);
    assert.throws(() => readKerasWeights(zipSync({ 'config.json': new Uint8Array(1) }), 'x.keras'), /has no model\.weights\.h5 inside/);
    assert.throws(() => readKerasWeights(zipSync({ 'model.weights.h5': good }).slice(0, 100), 'x.keras'), WeightsError);
  });

  it("matches the file's layers to the model by name, else in order, and loads them into the runner", async () => {
    await tf.setBackend('cpu');
    const model = toPreviewModel(modelNamed(MODEL, 'm'), 'k');
    const renamed = readKerasWeights(
      writeH5('renamed.h5', (f) => keras2(f, true)),
      'renamed.h5',
    ); // dense_7: trained in another session
    const matched = matchLayers(renamed, model.layers);
    assert.deepEqual(
      matched.map((l) => l.layer),
      ['dense'],
    );
    const runner = new ModelRunner();
    runner.build(model, matched);
    const out = runner.run(new Float32Array([1, 0, 0, 0]), [4]);
    assert.deepEqual(
      Array.from(out[0].values).map((v) => +v.toFixed(4)),
      [0.5, -0.4, 0.45],
    ); // row 0 of the kernel plus the bias
    runner.dispose();
  });

  it('a Keras 3 weight file of a model whose layers have names of their own: matched by the class names Keras 3 files use, and runs as Keras ran it', async () => {
    // Written by real Keras (scripts/keras-oracle/weights.py): `layers/dense` holds the layer named 'hidden',
    // `layers/dense_1` 'head'; HDF5 lists them alphabetically, batch_normalization first, so matching in order fails.
    await tf.setBackend('cpu');
    const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'weights', 'named_layers.json'), 'utf8')) as {
      source: string;
      layers: string[];
      input: number[][];
      output: number[][];
    };
    const model = toPreviewModel(modelNamed(fixture.source, 'model'), 'k');
    assert.deepEqual(
      model.layers.map((l) => l.name),
      fixture.layers,
    );
    const bytes = new Uint8Array(readFileSync(join(__dirname, '..', 'fixtures', 'weights', 'named_layers.weights.h5')));
    const file = readKerasWeights(bytes, 'named_layers.weights.h5');
    assert.deepEqual(
      file.layers.map((l) => l.layer),
      ['batch_normalization', 'dense', 'dense_1'],
    );
    const matched = matchLayers(file, model.layers);
    assert.deepEqual(
      matched.map((l) => [l.layer, l.tensors.map((t) => t.shape)]),
      [
        ['hidden', [[4, 3], [3]]],
        ['batch_normalization', [[3], [3], [3], [3]]],
        ['head', [[3, 2], [2]]],
      ],
    );
    const runner = new ModelRunner();
    runner.build(model, matched);
    const out = runner.run(Float32Array.from(fixture.input[0]), [4]);
    const last = Array.from(out[out.length - 1].values);
    fixture.output[0].forEach((v, i) => assert.ok(Math.abs(last[i] - v) < 1e-4, `output ${i}: ${last[i]} vs Keras ${v}`));
    runner.dispose();
    // The same file as the model.weights.h5 of a .keras archive.
    const zipped = matchLayers(readKerasWeights(zipSync({ 'model.weights.h5': bytes }), 'named.keras'), model.layers);
    assert.deepEqual(
      zipped.map((l) => l.layer),
      ['hidden', 'batch_normalization', 'head'],
    );
    // A model it does not fit: the message names the layer as the file does, and as the model does.
    const other = toPreviewModel(
      modelNamed(
        "from keras import layers, models\nm = models.Sequential([layers.Dense(3, input_shape=(4,), name='hidden'), layers.Dense(3), layers.Dense(2), layers.Dense(2, name='out')])",
        'm',
      ),
      'k',
    );
    assert.throws(
      () => matchLayers(file, other.layers),
      (e: Error) =>
        e.message ===
        'The file has weights for 3 layer(s) (batch_normalization, dense, dense_1), the model 4; none is named "dense_2" (the Dense layer "dense_1", which Keras 3 files name by its class).',
    );
  });

  it('the keys of a branching Functional model are the ones Keras 3 saved it under (model.layers order, numbered per class)', () => {
    const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'weights', 'named_layers.json'), 'utf8')) as {
      functional: { source: string; keys: Record<string, string> };
    };
    const model = modelNamed(fixture.functional.source, 'model');
    const keys = keras3Keys(model.layers);
    const byName = Object.fromEntries(model.layers.flatMap((l, i) => ((l.params ?? 0) > 0 ? [[l.name, keys[i]]] : [])));
    assert.deepEqual(byName, fixture.functional.keys);
  });

  it('weights for another model: a message naming the first mismatching layer, nothing loaded', () => {
    const model = toPreviewModel(
      modelNamed('from keras import layers, models\nm = models.Sequential([layers.Dense(3, input_shape=(5,)), layers.Dropout(0.5)])', 'm'),
      'k',
    );
    const read = readKerasWeights(
      writeH5('other.h5', (f) => keras2(f, true, ['dense', 'dropout'])),
      'other.h5',
    );
    const runner = new ModelRunner();
    assert.throws(
      () => runner.build(model, matchLayers(read, model.layers)),
      /Layer "dense" \(Dense\) expects weights of shapes \[\[5,3\],\[3\]\] but the file has \[\[4,3\],\[3\]\]/,
    );
    const two = toPreviewModel(
      modelNamed('from keras import layers, models\nm = models.Sequential([layers.Dense(3, input_shape=(4,)), layers.Dense(2)])', 'm'),
      'k',
    );
    assert.throws(() => matchLayers(read, two.layers), /The file has weights for 1 layer\(s\) \(dense\), the model 2; none is named "dense_1" \(Dense\)/);
  });

  it('weights whose later layer does not fit: the tensors made for the earlier layers are disposed (tf.memory().numTensors)', async () => {
    await tf.setBackend('cpu');
    const model = toPreviewModel(
      modelNamed('from keras import layers, models\nm = models.Sequential([layers.Dense(3, input_shape=(4,)), layers.Dense(2)])', 'm'),
      'k',
    );
    const runner = new ModelRunner();
    const before = tf.memory().numTensors;
    runner.build(model);
    runner.dispose();
    assert.equal(tf.memory().numTensors, before, 'building and disposing leaves no tensor');
    const dense = {
      layer: 'dense',
      tensors: [
        { shape: [4, 3], values: Array.from(KERNEL) },
        { shape: [3], values: Array.from(BIAS) },
      ],
    };
    const wrong = {
      layer: 'dense_1',
      tensors: [
        { shape: [5, 2], values: new Array(10).fill(0) },
        { shape: [2], values: [0, 0] },
      ],
    };
    assert.throws(() => runner.build(model, [dense, wrong]), /Layer "dense_1" \(Dense\) expects weights of shapes \[\[3,2\],\[2\]\]/);
    runner.dispose();
    assert.equal(tf.memory().numTensors, before, 'the refused load leaves no tensor behind');
  });

  describe('a TF.js shard that is missing is told from one that cannot be read', () => {
    const json = JSON.stringify({ weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: [{ name: 'dense/bias', shape: [3], dtype: 'float32' }] }] });
    const failing = (e: unknown) => async (): Promise<Uint8Array> => {
      throw e;
    };
    const errno = (code: string) => Object.assign(new Error(`${code}: open 'group1-shard1of1.bin'`), { code });

    it("missing: no such file (Node's ENOENT, VS Code's FileNotFound)", async () => {
      await assert.rejects(
        readTfjsWeights(json, 'model.json', failing(errno('ENOENT'))),
        /^Error: model\.json needs the shard "group1-shard1of1\.bin", which is missing\.$/,
      );
      await assert.rejects(
        readTfjsWeights(json, 'model.json', failing(Object.assign(new Error('file not found'), { code: 'FileNotFound' }))),
        /which is missing\.$/,
      );
      // A real file system: the shard's file is not there.
      const folder = mkdtempSync(join(tmpdir(), 'layerlens-shards-'));
      await assert.rejects(
        readTfjsWeights(json, 'model.json', (p) => readFile(join(folder, p))),
        /which is missing\.$/,
      );
    });

    it("unreadable: permission denied (EACCES, VS Code's NoPermissions), or not a file", async () => {
      await assert.rejects(
        readTfjsWeights(json, 'model.json', failing(errno('EACCES'))),
        /^Error: model\.json needs the shard "group1-shard1of1\.bin", which cannot be read: permission denied\.$/,
      );
      await assert.rejects(
        readTfjsWeights(json, 'model.json', failing(Object.assign(new Error('no permissions'), { code: 'NoPermissions' }))),
        /which cannot be read: permission denied\.$/,
      );
      // A real file system: a folder where the shard should be (root reads any file, so EACCES cannot be made here).
      const folder = mkdtempSync(join(tmpdir(), 'layerlens-shards-'));
      mkdirSync(join(folder, 'group1-shard1of1.bin'));
      await assert.rejects(
        readTfjsWeights(json, 'model.json', (p) => readFile(join(folder, p))),
        /which cannot be read: it is a folder, not a file \(EISDIR\)\.$/,
      );
      await assert.rejects(readTfjsWeights(json, 'model.json', failing(new Error('the disk is on fire'))), /which cannot be read: the disk is on fire$/);
    });
  });
});
