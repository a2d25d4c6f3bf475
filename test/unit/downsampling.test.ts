/** The downsampling what-if: each variant is the source with one call replaced, analysed by the core. */
import { strict as assert } from 'node:assert';
import { downsamplingVariants } from '../../src/panel/downsampling';
import { example, modelNamed } from './support/fixtures';

describe('downsampling what-if', () => {
  const text = example('mnist_convnet.py');
  const model = modelNamed(text, 'model');
  const layer = model.layers[1]; // max_pooling2d
  const lineStart =
    text
      .split('\n')
      .slice(0, layer.range.start.line - 1)
      .join('\n').length + 1;
  const from = lineStart + layer.range.start.column - 1;
  const to = lineStart + layer.range.end.column - 1;

  it("gives max pooling, average pooling and a stride-2 convolution with the core's shapes, params and fields", () => {
    assert.equal(text.slice(from, to), 'layers.MaxPooling2D((2, 2))');
    const variants = downsamplingVariants(model, layer, { text, from, to }, 'k');
    assert.deepEqual(
      variants.map((v) => v.label),
      ['Max pooling', 'Average pooling', 'Strided convolution'],
    );
    assert.deepEqual(
      variants.map((v) => v.code),
      [
        "layers.MaxPooling2D(pool_size=(2, 2), strides=(2, 2), padding='valid')",
        "layers.AveragePooling2D(pool_size=(2, 2), strides=(2, 2), padding='valid')",
        "layers.Conv2D(32, kernel_size=(2, 2), strides=(2, 2), padding='valid')",
      ],
    );
    assert.deepEqual(
      variants.map((v) => v.model.layers[1].type),
      ['MaxPooling2D', 'AveragePooling2D', 'Conv2D'],
    );
    assert.deepEqual(
      variants.map((v) => v.model.layers[1].outputShape),
      [
        [null, 13, 13, 32],
        [null, 13, 13, 32],
        [null, 13, 13, 32],
      ],
    );
    assert.deepEqual(
      variants.map((v) => v.model.layers[1].params),
      [0, 0, 2 * 2 * 32 * 32 + 32],
    );
    const totals = variants.map((v) => v.model.layers.reduce((s, l) => s + (l.params ?? 0), 0));
    assert.deepEqual(totals, [93322, 93322, 93322 + 4128]);
    assert.deepEqual(
      variants.map((v) => v.model.layers[4].receptiveField?.size),
      [
        [18, 18],
        [18, 18],
        [18, 18],
      ],
    );
  });
});
