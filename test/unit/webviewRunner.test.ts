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

/** Weights for a layer named `dense`, Dense(2) on 3 features: [1, 2, 3] gives [4.5, 4.5]. */
const DENSE_3_TO_2 = [
  {
    layer: 'dense',
    tensors: [
      { shape: [3, 2], values: [1, 0, 0, 1, 1, 1] },
      { shape: [2], values: [0.5, -0.5] },
    ],
  },
];

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
    runner.build(p, DENSE_3_TO_2);
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

  describe('Functional models, built from their graph with tf.model', () => {
    /** Two inputs, a branch, a shared layer called on both branches, a merge: every kind of edge the graph has. */
    const SHARED = `import keras
from keras import layers
img = keras.Input(shape=(12, 12, 2), name="img")
side = keras.Input(shape=(12, 12, 2), name="side")
conv = layers.Conv2D(4, 3, padding="same")
a = conv(img)
b = conv(layers.MaxPooling2D(1)(side))
x = layers.concatenate([a, b])
x = layers.Conv2D(3, 3, strides=2)(x)
y = layers.add([x, layers.Conv2D(3, 3, strides=2)(layers.concatenate([a, b]))])
out = layers.Dense(5, activation="softmax")(layers.Flatten()(y))
model = keras.Model([img, side], out)
`;

    it("the toy ResNet: every row's map, tfjs' own shapes and parameters equal the core's", () => {
      const p = toPreviewModel(modelNamed(example('functional_resnet.py'), 'toy_resnet'), 'k');
      assert.ok(p.graph);
      const runner = new ModelRunner();
      assert.deepEqual(runner.build(p), { built: p.layers.length - 1, stopReason: null });
      const maps = runner.run(toChannels(patternPlane('digit', 32, 32), { height: 32, width: 32, channels: 3 }), [32, 32, 3]);
      assert.deepEqual(
        maps.map((m) => [m.index, [null, ...m.shape]]).sort((x, y) => Number(x[0]) - Number(y[0])),
        p.layers.map((l) => [l.index, l.outputShape]),
      );
      assert.equal(runner.paramCount(), 223_242);
      runner.dispose();
    });

    it('a shared layer is built once (its weights once) and each call runs; every input is fed; nothing leaks', () => {
      const p = toPreviewModel(modelNamed(SHARED, 'model'), 'k');
      const conv = p.layers.find((l) => l.name === 'conv2d');
      assert.deepEqual(conv && [conv.from, conv.to], [
        ['img', 'max_pooling2d'],
        ['concatenate', 'concatenate_1'],
      ]);
      const before = tf.memory().numTensors;
      const runner = new ModelRunner();
      assert.equal(runner.build(p).stopReason, null);
      assert.equal(runner.paramCount(), p.totalParams);
      const input = toChannels(patternPlane('checkerboard', 12, 12), { height: 12, width: 12, channels: 2 });
      const maps = runner.run(input, [12, 12, 2]);
      assert.deepEqual(
        p.layers.map((l) => JSON.stringify(maps.find((m) => m.index === l.index)?.shape)),
        p.layers.map((l) => JSON.stringify(l.outputShape?.slice(1))),
      );
      const side = maps.find((m) => m.index === p.layers.findIndex((l) => l.name === 'side'));
      assert.deepEqual(Array.from(side?.values ?? []), Array.from(input), 'both inputs of that shape take the input');
      const probs = maps.find((m) => m.index === p.layers.length - 1)?.values ?? new Float32Array();
      assert.ok(Math.abs(probs.reduce((x, y) => x + y, 0) - 1) < 1e-5);
      const during = tf.memory().numTensors;
      runner.run(input, [12, 12, 2]);
      assert.equal(tf.memory().numTensors, during);
      runner.dispose();
      assert.equal(tf.memory().numTensors, before, 'disposing frees the shared layer too');
    });

    it('a layer tfjs cannot build is left out with what depends on it; the other branch still runs', () => {
      const src = `import keras
from keras import layers
inputs = keras.Input(shape=(8, 8, 4))
a = layers.Conv2D(4, 3, groups=2)(inputs)
b = layers.Conv2D(4, 3)(inputs)
c = layers.Conv2D(2, 1)(b)
model = keras.Model(inputs, [a, c])
`;
      const p = toPreviewModel(modelNamed(src, 'model'), 'k');
      const runner = new ModelRunner();
      const built = runner.build(p);
      assert.match(built.stopReason ?? '', /^conv2d \(Conv2D\): /);
      const shown = runner.run(new Float32Array(8 * 8 * 4), [8, 8, 4]).map((m) => p.layers[m.index].name);
      assert.deepEqual(shown.sort(), ['conv2d_1', 'conv2d_2', 'input_layer']);
      runner.dispose();
    });

    it('each image-like Input takes the input, resampled to its size and channels; a feature vector takes zeros', () => {
      const src = `import keras
from keras import layers
big = keras.Input((4, 4, 1))
small = keras.Input((2, 2, 3))
meta = keras.Input((5,))
a = layers.GlobalAveragePooling2D()(big)
b = layers.GlobalAveragePooling2D()(small)
model = keras.Model([big, small, meta], layers.concatenate([a, b, layers.Dense(2)(meta)]))
`;
      const p = toPreviewModel(modelNamed(src, 'model'), 'k');
      const runner = new ModelRunner();
      try {
        assert.equal(runner.build(p).stopReason, null);
        const input = Float32Array.from({ length: 16 }, (_, i) => i / 16);
        const maps = runner.run(input, [4, 4, 1]);
        const took = (name: string) => Array.from(maps.find((m) => p.layers[m.index].name === name)?.values ?? []);
        assert.deepEqual(took('input_layer'), Array.from(input));
        // Nearest neighbour: rows 1 and 3, columns 1 and 3 of the 4×4 input; its one channel in each of the three.
        assert.deepEqual(
          took('input_layer_1'),
          [5, 5, 5, 7, 7, 7, 13, 13, 13, 15, 15, 15].map((v) => v / 16),
        );
        assert.deepEqual(took('input_layer_2'), [0, 0, 0, 0, 0]);
      } finally {
        runner.dispose();
      }
    });

    it('loads weights into a Functional model by layer name', () => {
      const src = `import keras
from keras import layers
a = keras.Input((3,)); b = keras.Input((3,))
d = layers.Dense(2)
model = keras.Model([a, b], layers.add([d(a), d(b)]))
`;
      const p = toPreviewModel(modelNamed(src, 'model'), 'k');
      const runner = new ModelRunner();
      runner.build(p, DENSE_3_TO_2);
      const out = runner.run(new Float32Array([1, 2, 3]), [3]);
      // Both inputs take [1, 2, 3]: each call gives [4.5, 4.5], and the add doubles it.
      assert.deepEqual(Array.from(out.find((m) => p.layers[m.index].name === 'add')?.values ?? []), [9, 9]);
      runner.dispose();
    });
  });

  describe('a run one layer at a time (runProgressive), for large models', () => {
    const models = () => [
      toPreviewModel(modelNamed(example('mnist_convnet.py'), 'model'), 'k'),
      toPreviewModel(modelNamed(example('functional_resnet.py'), 'toy_resnet'), 'k'),
    ];

    it('hands over the same maps as a whole run, in order, each as it is read; no tensor is left behind', async () => {
      for (const p of models()) {
        const runner = new ModelRunner();
        runner.build(p);
        const [h, w, c] = p.inputShape!.slice(1) as number[];
        const input = toChannels(patternPlane('digit', h, w), { height: h, width: w, channels: c });
        const whole = runner.run(input, [h, w, c]);
        const before = tf.memory().numTensors;
        const got: { index: number; shape: number[]; values: Float32Array }[] = [];
        assert.equal(
          await runner.runProgressive(
            input,
            [h, w, c],
            (m) => got.push(m),
            () => false,
          ),
          true,
        );
        assert.equal(tf.memory().numTensors, before);
        assert.deepEqual(
          got.map((m) => m.index),
          [...whole.map((m) => m.index)].sort((a, b) => a - b),
          'in the rows’ order',
        );
        for (const m of got) {
          const same = whole.find((x) => x.index === m.index)!;
          assert.deepEqual(m.shape, same.shape);
          assert.ok(
            m.values.every((v, i) => Math.abs(v - same.values[i]) <= 1e-5 * Math.max(1, Math.abs(v))),
            `${p.layers[m.index].name}: the same values`,
          );
        }
        runner.dispose();
      }
    });

    it('stops when cancelled, disposing what it made', async () => {
      const p = models()[0];
      const runner = new ModelRunner();
      runner.build(p);
      const before = tf.memory().numTensors;
      let n = 0;
      const done = await runner.runProgressive(
        new Float32Array(784),
        [28, 28, 1],
        () => n++,
        () => n >= 3,
      );
      assert.deepEqual([done, n], [false, 3]);
      assert.equal(tf.memory().numTensors, before);
      runner.dispose();
    });
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
