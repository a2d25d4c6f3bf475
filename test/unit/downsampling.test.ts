/** The downsampling what-if: each variant is the source with one call replaced, analysed by the core. */
import { strict as assert } from 'node:assert';
import { downsamplingVariants } from '../../src/panel/downsampling';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { ModelRunner } from '../../webview/tfjs/runner';
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

  it('adds "no downsampling at all": every pooling call of the model replaced by Identity(), with the book\'s giant Dense layer', () => {
    const variants = downsamplingVariants(model, layer, { text, from, to }, 'k');
    const none = variants.find((v) => v.label === 'No downsampling');
    assert.ok(none);
    assert.equal(none.code, 'layers.Identity()');
    // Both MaxPooling2D((2, 2)) calls are gone: the third convolution sees 22×22×64, and Flatten gives 30,976 features.
    const rows = none.model.layers.map((l) => [l.type, l.outputShape, l.params]);
    assert.deepEqual(rows, [
      ['Conv2D', [null, 26, 26, 32], 320],
      ['Identity', [null, 26, 26, 32], 0],
      ['Conv2D', [null, 24, 24, 64], 18_496],
      ['Identity', [null, 24, 24, 64], 0],
      ['Conv2D', [null, 22, 22, 64], 36_928],
      ['Flatten', [null, 30_976], 0],
      ['Dense', [null, 64], 30_976 * 64 + 64],
      ['Dense', [null, 10], 650],
    ]);
    assert.equal(none.model.totalParams, 320 + 18_496 + 36_928 + 30_976 * 64 + 64 + 650);
    // Without pooling the third 3×3 convolution sees only a 7×7 window of the input (the book's point).
    assert.deepEqual(none.model.layers[4].receptiveField?.size, [7, 7]);
  });

  it("gives max pooling, average pooling and a stride-2 convolution with the core's shapes, params and fields", () => {
    assert.equal(text.slice(from, to), 'layers.MaxPooling2D((2, 2))');
    const variants = downsamplingVariants(model, layer, { text, from, to }, 'k').filter((v) => v.label !== 'No downsampling');
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

  it('works on a Functional model: the pooling node of the toy ResNet, each variant a graph the runner builds and runs', async () => {
    await tf.setBackend('cpu');
    const src = example('functional_resnet.py');
    const resnet = modelNamed(src, 'toy_resnet');
    const pool = resnet.layers.find((l) => l.type === 'MaxPooling2D')!;
    const start =
      src
        .split('\n')
        .slice(0, pool.range.start.line - 1)
        .join('\n').length + 1;
    const [a, b] = [start + pool.range.start.column - 1, start + pool.range.end.column - 1];
    assert.equal(src.slice(a, b), 'layers.MaxPooling2D(3)(x)');
    const variants = downsamplingVariants(resnet, pool, { text: src, from: a, to: b }, 'k');
    assert.deepEqual(
      variants.map((v) => [v.model.layers[pool.index].type, v.model.layers[pool.index].outputShape, v.model.totalParams]),
      [
        ['MaxPooling2D', [null, 9, 9, 64], 223_242],
        ['AveragePooling2D', [null, 9, 9, 64], 223_242],
        ['Conv2D', [null, 9, 9, 64], 223_242 + 3 * 3 * 64 * 64 + 64],
        // Global average pooling before its Dense: without the pooling the parameters stay, the maps are 28×28.
        ['Identity', [null, 28, 28, 64], 223_242],
      ],
    );
    assert.equal(variants[2].code, "layers.Conv2D(64, kernel_size=(3, 3), strides=(3, 3), padding='valid')");
    for (const v of variants) {
      assert.ok(v.model.graph);
      const runner = new ModelRunner();
      try {
        assert.equal(runner.build(v.model).stopReason, null);
        const map = runner.run(new Float32Array(32 * 32 * 3).fill(0.5), [32, 32, 3]).find((m) => m.index === pool.index);
        assert.deepEqual(map?.shape, v.label === 'No downsampling' ? [28, 28, 64] : [9, 9, 64], v.label);
      } finally {
        runner.dispose();
      }
    }
  });
});
