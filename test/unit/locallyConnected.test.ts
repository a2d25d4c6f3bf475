/**
 * tf.keras 2's LocallyConnected1D and LocallyConnected2D against the numbers tf.keras' own documentation prints for
 * its examples (https://www.tensorflow.org/versions/r2.13/api_docs/python/tf/keras/layers/LocallyConnected1D and
 * …/LocallyConnected2D; Keras 3 has neither layer, and tfjs neither).
 */
import { strict as assert } from 'node:assert';
import { analyze } from '../../src/core';

const HEAD =
  'from tensorflow.keras.models import Sequential\nfrom tensorflow.keras.layers import LocallyConnected1D, LocallyConnected2D\n\nmodel = Sequential()\n';

function rows(lines: string[]) {
  const result = analyze(HEAD + lines.map((l) => `model.add(${l})\n`).join(''));
  const model = result.models[0];
  const diagnostics = [...result.diagnostics, ...model.diagnostics].map((d) => [d.severity, d.message]);
  return { layers: model.layers.map((l) => [l.outputShape, l.params]), diagnostics };
}

describe('LocallyConnected1D and LocallyConnected2D (tf.keras 2), as its documentation prints them', () => {
  it('LocallyConnected2D: "(None, 30, 30, 64) … this layer will consume (30*30)*(3*3*3*64) + (30*30)*64 parameters", then (None, 28, 28, 32)', () => {
    const { layers, diagnostics } = rows(['LocallyConnected2D(64, (3, 3), input_shape=(32, 32, 3))', 'LocallyConnected2D(32, (3, 3))']);
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(layers[0], [[null, 30, 30, 64], 30 * 30 * (3 * 3 * 3 * 64) + 30 * 30 * 64]);
    assert.deepEqual(layers[1][0], [null, 28, 28, 32]);
    assert.equal(layers[1][1], 28 * 28 * (3 * 3 * 64 * 32) + 28 * 28 * 32);
  });

  it('LocallyConnected1D: (None, 8, 64), then (None, 6, 32)', () => {
    const { layers, diagnostics } = rows(['LocallyConnected1D(64, 3, input_shape=(10, 32))', 'LocallyConnected1D(32, 3)']);
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(
      layers.map((l) => l[0]),
      [
        [null, 8, 64],
        [null, 6, 32],
      ],
    );
    // As the 2D count: a kernel and a bias of its own at each output position.
    assert.deepEqual(
      layers.map((l) => l[1]),
      [8 * (3 * 32 * 64) + 8 * 64, 6 * (3 * 64 * 32) + 6 * 32],
    );
  });

  it("padding='same', which tf.keras documents as not supported yet, is not sized, and says so", () => {
    const { layers, diagnostics } = rows(["LocallyConnected1D(8, 3, padding='same', input_shape=(10, 4))"]);
    assert.deepEqual(layers, [[null, null]]);
    assert.deepEqual(diagnostics, [['error', "LayerLens sizes LocallyConnected1D only with padding='valid'. Received: padding=same"]]);
  });
});
