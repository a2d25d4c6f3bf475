/**
 * The book's models, exactly as "Deep Learning with Python" prints their summaries (shapes, parameters),
 * plus the seed's receptive-field and MAC figures.
 */
import { strict as assert } from 'node:assert';
import { example, modelNamed } from './support/fixtures';

const shapes = (m: { layers: { outputShape: unknown }[] }) => m.layers.map((l) => l.outputShape);
const params = (m: { layers: { params: number | null }[] }) => m.layers.map((l) => l.params);

describe("the book's models", () => {
  it('MNIST convnet (§5.1): shapes, 93,322 parameters, 2,794,240 MACs, receptive fields 3, 4, 8, 10, 18', () => {
    const m = modelNamed(example('mnist_convnet.py'), 'model');
    assert.deepEqual(shapes(m), [
      [null, 26, 26, 32],
      [null, 13, 13, 32],
      [null, 11, 11, 64],
      [null, 5, 5, 64],
      [null, 3, 3, 64],
      [null, 576],
      [null, 64],
      [null, 10],
    ]);
    assert.deepEqual(params(m), [320, 0, 18496, 0, 36928, 0, 36928, 650]);
    assert.equal(m.totalParams, 93322);
    assert.equal(m.trainableParams, 93322);
    assert.equal(m.nonTrainableParams, 0);
    assert.equal(m.macs, 2794240);
    assert.deepEqual(
      m.layers.slice(0, 5).map((l) => l.receptiveField?.size),
      [
        [3, 3],
        [4, 4],
        [8, 8],
        [10, 10],
        [18, 18],
      ],
    );
    assert.deepEqual(m.layers[4].receptiveField?.jump, [4, 4]);
    assert.deepEqual(
      m.layers.slice(5).map((l) => l.receptiveField),
      [null, null, null],
    );
    assert.deepEqual(
      m.layers.map((l) => l.name),
      ['conv2d', 'max_pooling2d', 'conv2d_1', 'max_pooling2d_1', 'conv2d_2', 'flatten', 'dense', 'dense_1'],
    );
    assert.equal(m.diagnostics.length, 0);
  });

  it('the same convnet without pooling: 7×7 field at the third convolution and a warned Dense(512) of 15,860,224', () => {
    const m = modelNamed(example('mnist_convnet_no_pooling.py'), 'model_no_max_pool');
    assert.deepEqual(shapes(m), [
      [null, 26, 26, 32],
      [null, 24, 24, 64],
      [null, 22, 22, 64],
      [null, 30976],
      [null, 512],
      [null, 10],
    ]);
    assert.deepEqual(
      m.layers.slice(0, 3).map((l) => l.receptiveField?.size),
      [
        [3, 3],
        [5, 5],
        [7, 7],
      ],
    );
    assert.equal(m.layers[4].params, 15860224);
    assert.equal(m.totalParams, 15921098);
    const warning = m.diagnostics.find((d) => d.code === 'large-dense');
    assert.ok(warning, 'large-dense warning');
    assert.equal(warning.severity, 'warning');
    assert.match(warning.message, /15,860,224 of the model's 15,921,098/);
    assert.match(warning.message, /[Pp]ooling/);
    assert.equal(warning.range.start.line, 11);
  });

  it('cats vs dogs convnet (§5.2): 3,453,121 parameters, no large-Dense warning on its 7×7 map', () => {
    const m = modelNamed(example('cats_vs_dogs.py'), 'model');
    assert.deepEqual(shapes(m), [
      [null, 148, 148, 32],
      [null, 74, 74, 32],
      [null, 72, 72, 64],
      [null, 36, 36, 64],
      [null, 34, 34, 128],
      [null, 17, 17, 128],
      [null, 15, 15, 128],
      [null, 7, 7, 128],
      [null, 6272],
      [null, 512],
      [null, 1],
    ]);
    assert.deepEqual(params(m), [896, 0, 18496, 0, 73856, 0, 147584, 0, 0, 3211776, 513]);
    assert.equal(m.totalParams, 3453121);
    assert.ok(!m.diagnostics.some((d) => d.code === 'large-dense'));
  });

  it('IMDB Dense net (§3.4): 160,305 parameters', () => {
    const m = modelNamed(example('imdb.py'), 'model');
    assert.deepEqual(shapes(m), [
      [null, 16],
      [null, 16],
      [null, 1],
    ]);
    assert.deepEqual(params(m), [160016, 272, 17]);
    assert.equal(m.totalParams, 160305);
  });

  it('Embedding + Flatten (§6.1): 80,161 parameters', () => {
    const m = modelNamed(example('imdb.py'), 'embedding_model');
    assert.deepEqual(m.inputShape, [null, 20]);
    assert.deepEqual(shapes(m), [
      [null, 20, 8],
      [null, 160],
      [null, 1],
    ]);
    assert.deepEqual(params(m), [80000, 0, 161]);
    assert.equal(m.totalParams, 80161);
    assert.deepEqual(m.diagnostics, []);
  });

  it('Embedding + LSTM (§6.2): 328,353 parameters with no input length given', () => {
    const m = modelNamed(example('imdb.py'), 'lstm_model');
    assert.deepEqual(shapes(m), [
      [null, null, 32],
      [null, 32],
      [null, 1],
    ]);
    assert.deepEqual(params(m), [320000, 8320, 33]);
    assert.equal(m.totalParams, 328353);
  });
});

describe("the book's convnet as a notebook spread over cells", () => {
  it('gives the same 93,322 parameters, with each layer in its own cell', () => {
    const m = modelNamed(example('mnist_convnet.ipynb'), 'model', 'mnist_convnet.ipynb');
    assert.equal(m.totalParams, 93322);
    assert.deepEqual(
      m.layers.map((l) => l.range.cell),
      [2, 2, 4, 4, 4, 5, 5, 5],
    );
    assert.deepEqual(m.layers[7].outputShape, [null, 10]);
  });
});
