/**
 * The webview's model runner, on tfjs' CPU backend in node: the maps it produces have the core's shapes,
 * runs leak no tensors, seeded weights give the same maps every time, and inputs are shaped as the model wants.
 */
import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { ModelRunner } from '../../webview/tfjs/runner';
import { centreCrop, fromRgba, inputGeometry, patternPlane, toChannels } from '../../webview/tfjs/inputs';
import { memoryRefusal, toPreviewModel } from '../../src/panel/previewModel';
import { example, modelNamed } from './support/fixtures';

describe('webview model runner (tfjs CPU backend)', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  const preview = () => toPreviewModel(modelNamed(example('mnist_convnet.py'), 'model'), 'test#model');

  it("builds the book's convnet and returns every layer's map with the core's shape", () => {
    const p = preview();
    const runner = new ModelRunner();
    const built = runner.build(p);
    assert.deepEqual(built, { built: 8, stopReason: null });
    const g = inputGeometry(p.inputShape)!;
    const maps = runner.run(toChannels(patternPlane('digit', g.height, g.width), g), [g.height, g.width, g.channels]);
    assert.deepEqual(
      maps.map((m) => [null, ...m.shape]),
      p.layers.map((l) => l.outputShape),
    );
    const probs = maps[7].values;
    assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-5, 'softmax sums to 1');
    runner.dispose();
  });

  it('keeps tf.memory().numTensors constant over runs, and seeded weights make the same maps', () => {
    const p = preview();
    const g = inputGeometry(p.inputShape)!;
    const input = toChannels(patternPlane('checkerboard', g.height, g.width), g);
    const a = new ModelRunner();
    a.build(p);
    const first = a.run(input, [28, 28, 1]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) a.run(input, [28, 28, 1]);
    assert.equal(tf.memory().numTensors, before);
    const b = new ModelRunner();
    b.build(p);
    const again = b.run(input, [28, 28, 1]);
    assert.deepEqual(Array.from(again[2].values.slice(0, 50)), Array.from(first[2].values.slice(0, 50)));
    a.dispose();
    b.dispose();
  });

  it('stops before a layer tfjs cannot build and says why', () => {
    const src =
      'from keras import layers, models\nm = models.Sequential([layers.Conv2D(4, 3, input_shape=(8, 8, 1)), layers.Conv2D(4, 3, groups=2), layers.Flatten()])';
    const p = toPreviewModel(modelNamed(src, 'm'), 'k');
    const runner = new ModelRunner();
    const built = runner.build(p);
    assert.equal(built.built, 1);
    assert.match(built.stopReason ?? '', /conv2d_1 \(Conv2D\)/);
    runner.dispose();
  });

  it('loads matching weights, and refuses mismatching ones naming the layer, changing nothing', () => {
    const src = 'from keras import layers, models\nm = models.Sequential([layers.Dense(2, input_shape=(3,))])';
    const p = toPreviewModel(modelNamed(src, 'm'), 'k');
    const runner = new ModelRunner();
    runner.build(p, [
      {
        layer: 'dense',
        tensors: [
          { shape: [3, 2], values: [1, 0, 0, 1, 1, 1] },
          { shape: [2], values: [0.5, -0.5] },
        ],
      },
    ]);
    const out = runner.run(new Float32Array([1, 2, 3]), [3]);
    assert.deepEqual(Array.from(out[0].values), [4.5, 4.5]);
    assert.throws(
      () =>
        runner.build(p, [
          {
            layer: 'dense',
            tensors: [
              { shape: [4, 2], values: new Array(8).fill(0) },
              { shape: [2], values: [0, 0] },
            ],
          },
        ]),
      /Layer "dense" \(Dense\) expects weights of shapes \[\[3,2\],\[2\]\] but the file has \[\[4,2\],\[2\]\]/,
    );
    runner.dispose();
  });

  it('shapes inputs: patterns, grey and RGB images, centre crops', () => {
    const plane = patternPlane('vertical-edges', 28, 28);
    assert.equal(plane.length, 784);
    assert.notEqual(plane[0], plane[4], 'stripes change along x');
    assert.equal(plane[0], plane[28], 'and not along y');
    const shifted = patternPlane('digit-shifted', 28, 28);
    const centred = patternPlane('digit', 28, 28);
    assert.equal(
      shifted.reduce((a, b) => a + b, 0),
      centred.reduce((a, b) => a + b, 0),
      'the same digit, moved',
    );
    const rgba = new Uint8ClampedArray([255, 0, 0, 255, 0, 0, 255, 255]);
    assert.deepEqual(Array.from(fromRgba(rgba, { height: 1, width: 2, channels: 3 })), [1, 0, 0, 0, 0, 1]);
    assert.ok(Math.abs(fromRgba(rgba, { height: 1, width: 2, channels: 1 })[0] - 0.299) < 1e-6);
    assert.deepEqual(centreCrop(200, 100, 28, 28), { x: 50, y: 0, w: 100, h: 100 });
    assert.equal(inputGeometry([null, 100]), null);
  });
});

describe('preview memory limit', () => {
  it('refuses a model over layerlens.preview.memoryLimitMB before anything is built, with the estimate and the setting', () => {
    const vgg = `from keras import layers, models\nm = models.Sequential([layers.Input(shape=(224, 224, 3)), layers.Conv2D(64, 3, padding='same'), layers.Conv2D(64, 3, padding='same'), layers.Flatten(), layers.Dense(4096)])`;
    const p = toPreviewModel(modelNamed(vgg, 'm'), 'k');
    // 224·224·64·4096 weights in the Dense layer alone: about 49 GB.
    const message = memoryRefusal(p, 1024);
    assert.match(
      message ?? '',
      /^This model needs about \d+ MB \(weights plus one input's activations\), over the preview's limit of 1024 MB\. Raise "layerlens\.preview\.memoryLimitMB"/,
    );
    assert.equal(memoryRefusal(toPreviewModel(modelNamed(example('mnist_convnet.py'), 'model'), 'k'), 1024), null);
  });
});
