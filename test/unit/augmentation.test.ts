/**
 * tf.keras 2's RandomHeight and RandomWidth, which Keras 3 dropped: each draws a new height (width) for every
 * batch, so that side is None in the analysis, as tf.keras' compute_output_shape says, and the other axes are
 * kept. tfjs-layers runs the real RandomWidth: the drawn side varies from call to call within the factor's
 * range, and the rest is the analysis' shape. (Its RandomHeight is in its sources but not in its bundle: nothing
 * imports it. Keras 3's own augmentations are checked against Keras in kerasLayers.test.ts.)
 */
import { strict as assert } from 'node:assert';
import { analyze } from '../../src/core';
import { tfjs } from './support/tfjsOracle';

const HEAD = 'from tensorflow import keras\nfrom tensorflow.keras import layers\n\n';

function analysed(layer: string, shape: string) {
  const result = analyze(`${HEAD}model = keras.Sequential([keras.Input(shape=${shape}), layers.${layer}])\n`);
  const model = result.models[0];
  const diagnostics = [...result.diagnostics, ...model.diagnostics].map((d) => [d.severity, d.message]);
  return { layer: model.layers[model.layers.length - 1], diagnostics };
}

describe('RandomHeight and RandomWidth (tf.keras 2)', function () {
  this.timeout(60000);

  it('RandomWidth(0.25) against tfjs running it: the drawn width is None, the rest kept, no weights', () => {
    const { layer, diagnostics } = analysed('RandomWidth(0.25)', '(32, 40, 3)');
    assert.deepEqual(diagnostics, []);
    const tf = tfjs();
    const tfLayer = tf.layers.randomWidth({ factor: 0.25 });
    const shapes = Array.from({ length: 20 }, () => tf.tidy(() => (tfLayer.apply(tf.zeros([1, 32, 40, 3])) as import('@tensorflow/tfjs').Tensor).shape));
    const drawn = new Set(shapes.map((s) => s[2] as number));
    assert.ok(drawn.size > 1, `tfjs drew ${[...drawn].join(', ')}`);
    for (const d of drawn) assert.ok(d >= 30 && d <= 50, `drawn ${d}`);
    for (const s of shapes) assert.deepEqual(layer.outputShape, [null, s[1], null, s[3]]);
    assert.equal(layer.params, tfLayer.countParams());
  });

  it('RandomHeight((-0.2, 0.3)): the drawn height is None, the rest kept, no weights', () => {
    const { layer, diagnostics } = analysed('RandomHeight((-0.2, 0.3))', '(32, 40, 3)');
    assert.deepEqual(diagnostics, []);
    assert.deepEqual([layer.outputShape, layer.params], [[null, null, 40, 3], 0]);
  });

  it('on a tensor of rank 2: refused, in the words of the tf.image.resize it calls', () => {
    const { layer, diagnostics } = analysed('RandomHeight(0.2)', '(8,)');
    assert.equal(layer.outputShape, null);
    assert.deepEqual(diagnostics, [['error', "'images' must have either 3 or 4 dimensions."]]);
  });
});
