/**
 * GRU with reset_after=True (Keras' default since 2.x), which tfjs-layers does not implement, checked
 * against Keras' own weight shapes: kernel (input_dim, 3·units), recurrent_kernel (units, 3·units) and
 * bias (2, 3·units) — keras/src/layers/rnn/gru.py, `GRUCell.build`. With reset_after=False the bias is (3·units,).
 */
import { strict as assert } from 'node:assert';
import { onlyModel } from './support/fixtures';

function kerasGruParams(inputDim: number, units: number, resetAfter: boolean): number {
  const kernel = inputDim * 3 * units;
  const recurrentKernel = units * 3 * units;
  const bias = resetAfter ? 2 * 3 * units : 3 * units;
  return kernel + recurrentKernel + bias;
}

describe('GRU parameters as Keras builds them', () => {
  for (const [inputDim, units] of [
    [16, 32],
    [1, 1],
    [300, 128],
    [7, 3],
  ]) {
    it(`GRU(${units}) on ${inputDim} features, reset_after default (True) and False`, () => {
      const byDefault = onlyModel(`from keras import layers, models\nm = models.Sequential([layers.GRU(${units}, input_shape=(10, ${inputDim}))])`);
      assert.equal(byDefault.layers[0].params, kerasGruParams(inputDim, units, true));
      const legacy = onlyModel(
        `from keras import layers, models\nm = models.Sequential([layers.GRU(${units}, reset_after=False, input_shape=(10, ${inputDim}))])`,
      );
      assert.equal(legacy.layers[0].params, kerasGruParams(inputDim, units, false));
    });
  }

  it('Bidirectional(GRU) doubles it and concatenates the outputs', () => {
    const m = onlyModel(
      'from keras import layers, models\nm = models.Sequential([layers.Bidirectional(layers.GRU(32, return_sequences=True), input_shape=(20, 16))])',
    );
    assert.equal(m.layers[0].params, 2 * kerasGruParams(16, 32, true));
    assert.deepEqual(m.layers[0].outputShape, [null, 20, 64]);
  });
});
