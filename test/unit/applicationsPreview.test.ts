/**
 * keras.applications in the preview: the webview's runner builds each architecture from the core's graph with
 * tfjs-layers (tfjs infers every shape itself), on tfjs' CPU backend in node. Where tfjs has every layer, the whole
 * graph builds and tfjs' parameter count is the core's (itself Keras 3.15's, see applications.test.ts); a forward
 * pass gives every row a map of the core's shape. Where tfjs lacks a layer, the runner names it.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { analyze, type ModelResult } from '../../src/core';
import { toPreviewModel } from '../../src/panel/previewModel';
import { matchLayers, readKerasWeights } from '../../src/weights/readWeights';
import { ModelRunner } from '../../webview/tfjs/runner';

function application(call: string): ModelResult {
  const model = analyze(`import keras\nbase = keras.applications.${call}\n`).models[0];
  assert.ok(model, call);
  return model;
}

/** The oracle script's input: ((sin(x / 3 + c) + cos(y / 5 - c)) / 4 + 0.5) at row y, column x, channel c. */
function mobilenetInput(): Float32Array {
  const input = new Float32Array(32 * 32 * 3);
  for (let y = 0; y < 32; y++)
    for (let x = 0; x < 32; x++) for (let c = 0; c < 3; c++) input[(y * 32 + x) * 3 + c] = (Math.sin(x / 3 + c) + Math.cos(y / 5 - c)) / 4 + 0.5;
  return input;
}

describe('keras.applications in the preview (tfjs-layers, CPU backend)', function () {
  this.timeout(120_000);
  before(async () => {
    await tf.setBackend('cpu');
  });

  const whole = ['VGG16', 'ResNet50', 'ResNet50V2', 'InceptionV3', 'Xception', 'MobileNetV2', 'DenseNet121', 'NASNetMobile', 'EfficientNetV2S'];
  for (const name of whole)
    it(`${name}: every layer builds, and tfjs counts the core's parameters`, () => {
      const model = application(`${name}(weights=None)`);
      const runner = new ModelRunner();
      try {
        const built = runner.build(toPreviewModel(model, 'k'));
        assert.deepEqual(built, { built: model.layers.length - 1, stopReason: null });
        assert.equal(runner.paramCount(), model.totalParams);
      } finally {
        runner.dispose();
      }
    });

  it("MobileNetV2 at 96×96 without its top runs: every row's map has the core's shape", () => {
    const model = application('MobileNetV2(weights=None, include_top=False, input_shape=(96, 96, 3))');
    const runner = new ModelRunner();
    try {
      runner.build(toPreviewModel(model, 'k'));
      const maps = runner.run(new Float32Array(96 * 96 * 3).fill(0.5), [96, 96, 3]);
      const shapes = new Map(maps.map((m) => [m.index, JSON.stringify([null, ...m.shape])]));
      assert.deepEqual(
        model.layers.filter((l) => shapes.get(l.index) !== JSON.stringify(l.outputShape)).map((l) => l.name),
        [],
      );
      assert.equal(maps.length, model.layers.length);
    } finally {
      runner.dispose();
    }
  });

  it("the book's §5.3.1 model, Sequential([conv_base, Flatten, Dense, Dense]): the base is built as a model and applied as one layer", () => {
    const model = analyze(readFileSync(join(__dirname, '../../examples/vgg16_feature_extraction.py'), 'utf8')).models.find((m) => m.name === 'model')!;
    const preview = toPreviewModel(model, 'k');
    assert.deepEqual(
      preview.layers.map((l) => [l.name, l.nested?.layers.length ?? 0]),
      [
        ['vgg16', 19],
        ['flatten', 0],
        ['dense', 0],
        ['dense_1', 0],
      ],
    );
    const runner = new ModelRunner();
    try {
      assert.deepEqual(runner.build(preview), { built: 4, stopReason: null });
      assert.equal(runner.paramCount(), 16_812_353);
    } finally {
      runner.dispose();
    }
  });

  it('a base at 32×32 inside a Sequential and inside a Functional model runs: its row shows the base’s output; nothing leaks', () => {
    const src = `import keras
from keras import layers
base = keras.applications.VGG16(weights=None, include_top=False, input_shape=(32, 32, 3))
head = keras.Sequential([layers.Flatten(), layers.Dense(3)])
seq = keras.Sequential([base, layers.Flatten(), layers.Dense(4)])
inputs = keras.Input((32, 32, 3))
fun = keras.Model(inputs, head(base(inputs)))
`;
    const models = analyze(src).models;
    const before = tf.memory().numTensors;
    for (const [name, expected] of [
      ['seq', [[1, 1, 512], [512], [4]]],
      ['fun', [[32, 32, 3], [1, 1, 512], [3]]],
    ] as const) {
      const model = models.find((m) => m.name === name)!;
      const runner = new ModelRunner();
      try {
        assert.equal(runner.build(toPreviewModel(model, 'k')).stopReason, null, name);
        assert.equal(runner.paramCount(), model.totalParams, name);
        const maps = runner.run(new Float32Array(32 * 32 * 3).fill(0.5), [32, 32, 3]);
        assert.deepEqual(
          maps.map((m) => m.shape),
          expected,
          name,
        );
      } finally {
        runner.dispose();
      }
    }
    assert.equal(tf.memory().numTensors, before, 'the bases’ weights are freed with their runners');
  });

  it("a keras.applications weight file as Keras caches it (~/.keras/models, Keras 2 HDF5) loads by layer name and gives Keras' output", () => {
    const dir = join(__dirname, '../fixtures/weights');
    const expected = JSON.parse(readFileSync(join(dir, 'mobilenet_2_5_32_tf_no_top.json'), 'utf8')) as { call: string; params: number; output: number[] };
    const model = application(expected.call);
    assert.equal(model.totalParams, expected.params);
    const file = readKerasWeights(new Uint8Array(readFileSync(join(dir, 'mobilenet_2_5_32_tf_no_top.h5'))), 'mobilenet_2_5_32_tf_no_top.h5');
    const weights = matchLayers(file, model.layers);
    const runner = new ModelRunner();
    try {
      assert.equal(runner.build(toPreviewModel(model, 'k'), weights).stopReason, null);
      const maps = runner.run(mobilenetInput(), [32, 32, 3]);
      const last = maps.find((m) => m.index === model.layers.length - 1)!;
      assert.deepEqual(last.shape, [1, 1, 256]);
      const worst = Math.max(...expected.output.map((v, i) => Math.abs(v - last.values[i]) / Math.max(1, Math.abs(v))));
      assert.ok(worst < 1e-3, `largest difference from Keras: ${worst}`);
    } finally {
      runner.dispose();
    }
  });

  it("a .keras save of a model built on a base (its weights nested under the base's own) loads into the preview and gives Keras' output", () => {
    const dir = join(__dirname, '../fixtures/weights');
    const expected = JSON.parse(readFileSync(join(dir, 'mobilenet_head.json'), 'utf8')) as { params: number; output: number[] };
    const model = analyze(`import keras
from keras import layers
base = keras.applications.MobileNet(weights=None, include_top=False, input_shape=(32, 32, 3), alpha=0.25)
head = keras.Sequential([base, layers.Flatten(), layers.Dense(3)])
`).models.find((m) => m.name === 'head')!;
    assert.equal(model.totalParams, expected.params);
    const weights = matchLayers(readKerasWeights(new Uint8Array(readFileSync(join(dir, 'mobilenet_head.keras'))), 'mobilenet_head.keras'), model.layers);
    assert.deepEqual(
      weights.map((w) => [w.layer, w.layers?.length ?? 0]),
      [
        [model.layers[0].name, 54],
        ['dense', 0],
      ],
    );
    const runner = new ModelRunner();
    try {
      assert.equal(runner.build(toPreviewModel(model, 'k'), weights).stopReason, null);
      const out = runner.run(mobilenetInput(), [32, 32, 3]).find((m) => m.index === 2)!;
      const worst = Math.max(...expected.output.map((v, i) => Math.abs(v - out.values[i]) / Math.max(1, Math.abs(v))));
      assert.ok(worst < 1e-3, `largest difference from Keras: ${worst} (${Array.from(out.values)} vs ${expected.output})`);
    } finally {
      runner.dispose();
    }
  });

  const refused: [string, RegExp][] = [
    ['EfficientNetB0(weights=None)', /^normalization \(Normalization\): tfjs has no Normalization layer\.$/],
    ['InceptionResNetV2(weights=None)', /^custom_scale_layer \(CustomScaleLayer\): tfjs has no CustomScaleLayer layer\.$/],
    ['MobileNetV3Small(weights=None)', /^activation \(Activation\): tfjs has no activation `hard_swish`\.$/],
    ['ConvNeXtTiny(weights=None)', /\(Normalization\): tfjs has no Normalization layer\.$/],
  ];
  for (const [call, reason] of refused)
    it(`${call.replace(/\(.*/, '')}: the layer tfjs lacks is named, and what depends on it is left out`, () => {
      const model = application(call);
      const runner = new ModelRunner();
      try {
        const built = runner.build(toPreviewModel(model, 'k'));
        assert.match(built.stopReason ?? '', reason);
        assert.ok(built.built < model.layers.length - 1);
      } finally {
        runner.dispose();
      }
    });
});
