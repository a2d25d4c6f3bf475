/**
 * Starting weights in the preview: each rule lists its randomly drawn weights' initializer arguments; toTfjs gives
 * each its tfjs initializer, as written or by Keras 3's default for that argument, and the runner seeds them.
 */
import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { toTfjs, type TfjsLayerConfig } from '../../src/core/tfjs/toTfjs';
import { toPreviewModel } from '../../src/panel/previewModel';
import { ModelRunner } from '../../webview/tfjs/runner';
import { modelNamed } from './support/fixtures';

const HEAD = 'import keras\nfrom keras import layers\n';

/** The tfjs config of the model's layer `index`. */
function config(layers: string, index = 0): Record<string, unknown> {
  const model = modelNamed(`${HEAD}m = keras.Sequential([keras.Input((8, 8, 3)), ${layers}])\n`, 'm');
  const c = toTfjs(model.layers[index]);
  assert.ok(!('unsupported' in c), JSON.stringify(c));
  return (c as TfjsLayerConfig).config;
}

describe('initializers in the preview', () => {
  it("Keras 3's defaults: glorot_uniform kernels, orthogonal recurrent kernels, uniform(±0.05) embeddings", () => {
    assert.deepEqual(config('layers.Conv2D(4, 3)').kernelInitializer, { className: 'GlorotUniform', config: {} });
    assert.deepEqual(config('layers.Flatten(), layers.Dense(2)', 1).kernelInitializer, { className: 'GlorotUniform', config: {} });
    const sep = config('layers.SeparableConv2D(4, 3)');
    assert.deepEqual(
      [sep.depthwiseInitializer, sep.pointwiseInitializer, sep.kernelInitializer],
      [{ className: 'GlorotUniform', config: {} }, { className: 'GlorotUniform', config: {} }, undefined],
    );
    const model = modelNamed(`${HEAD}m = keras.Sequential([keras.Input((5,)), layers.Embedding(10, 4), layers.Bidirectional(layers.LSTM(3))])\n`, 'm');
    assert.deepEqual((toTfjs(model.layers[0]) as TfjsLayerConfig).config.embeddingsInitializer, {
      className: 'RandomUniform',
      config: { minval: -0.05, maxval: 0.05 },
    });
    const lstm = ((toTfjs(model.layers[1]) as TfjsLayerConfig).config.layer as TfjsLayerConfig).config;
    assert.deepEqual(
      [lstm.kernelInitializer, lstm.recurrentInitializer],
      [
        { className: 'GlorotUniform', config: {} },
        { className: 'Orthogonal', config: {} },
      ],
    );
    assert.equal(config('layers.MaxPooling2D()').kernelInitializer, undefined, 'a layer without weights has none');
  });

  it('as the source writes them, in either of Keras’ spellings', () => {
    assert.deepEqual(config("layers.Conv2D(4, 3, kernel_initializer='he_normal')").kernelInitializer, { className: 'HeNormal', config: {} });
    assert.deepEqual(config("layers.Conv2D(4, 3, kernel_initializer='HeNormal')").kernelInitializer, { className: 'HeNormal', config: {} });
    assert.deepEqual(config("layers.DepthwiseConv2D(3, depthwise_initializer='truncated_normal')").depthwiseInitializer, {
      className: 'TruncatedNormal',
      config: { mean: 0, stddev: 0.05 },
    });
    // An initializer object is not read: Keras' default stands in (the preview's weights are a stand-in anyway).
    assert.deepEqual(config('layers.Conv2D(4, 3, kernel_initializer=keras.initializers.HeNormal(seed=1))').kernelInitializer, {
      className: 'GlorotUniform',
      config: {},
    });
  });

  it("the runner builds with them: kernel_initializer='ones' or 'zeros' gives the outputs they must", async () => {
    await tf.setBackend('cpu');
    for (const [init, expected] of [
      ['ones', [6, 6]],
      ['zeros', [0, 0]],
    ] as const) {
      const model = modelNamed(`${HEAD}m = keras.Sequential([keras.Input((3,)), layers.Dense(2, kernel_initializer='${init}')])\n`, 'm');
      const runner = new ModelRunner();
      try {
        runner.build(toPreviewModel(model, 'k'));
        assert.deepEqual(Array.from(runner.run(new Float32Array([1, 2, 3]), [3])[0].values), expected, init);
      } finally {
        runner.dispose();
      }
    }
  });
});
