/**
 * Keras Tuner (issue 21 §7): a model-building function the tuner calls (`def build_model(hp)`, a HyperModel's
 * `build(self, hp)`) is shown as the tuner builds its first model: each `hp.Int`/`Float`/`Choice`/`Boolean`/`Fixed`
 * gives its `default=`, else the least or first value; the CLI and the hover say so. Written as the Keras Tuner
 * guides write them; the numbers are checked against tfjs-layers and against the same model with the values by hand.
 */
import { strict as assert } from 'node:assert';
import { formatTable } from '../../src/core/format';
import { defaultsNote } from '../../src/providers/layerGroups';
import { analyze, withoutPositions } from './support/metamorphic';
import { checkModel } from './support/tfjsOracle';

const HEAD = 'import keras_tuner as kt\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n';

describe("Keras Tuner: the search space's first model", function () {
  this.timeout(60000);

  it('build_model(hp) passed to a tuner: hp.Int takes min_value, hp.Choice its default=, hp.Boolean False', () => {
    const result = analyze(`${HEAD}
def build_model(hp):
    model = keras.Sequential()
    model.add(layers.Input(shape=(28, 28)))
    model.add(layers.Flatten())
    model.add(layers.Dense(units=hp.Int("units", min_value=32, max_value=512, step=32), activation="relu"))
    if hp.Boolean("dropout"):
        model.add(layers.Dropout(rate=0.25))
    model.add(layers.Dense(hp.Choice("width", [64, 128], default=128)))
    model.add(layers.Dense(10, activation="softmax"))
    lr = hp.Float("lr", min_value=1e-4, max_value=1e-2, sampling="log")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=lr), loss="categorical_crossentropy")
    return model


tuner = kt.RandomSearch(hypermodel=build_model, objective="val_accuracy", max_trials=3)
`);
    assert.equal(result.models.length, 1);
    const [model] = result.models;
    const plain = analyze(`${HEAD}model = keras.Sequential()
model.add(layers.Input(shape=(28, 28)))
model.add(layers.Flatten())
model.add(layers.Dense(units=32, activation="relu"))
model.add(layers.Dense(128))
model.add(layers.Dense(10, activation="softmax"))
`).models[0];
    assert.deepEqual(withoutPositions(model.layers), withoutPositions(plain.layers));
    assert.equal(model.totalParams, 30634);
    assert.deepEqual(checkModel(model).mismatches, []);
    assert.equal(model.builtBy?.tuner, true);
    assert.match(formatTable(model), /hp\.\* values are Keras Tuner's first/);
    assert.match(defaultsNote(model) ?? '', /`hp` values are the search space's first/);
    assert.ok(!model.diagnostics.some((d) => d.code === 'unresolved-value'), JSON.stringify(model.diagnostics));
  });

  it("a HyperModel's build(self, hp), with hp.Int positional and a kerastuner import", () => {
    const result = analyze(`import kerastuner
from tensorflow import keras
from tensorflow.keras import layers


class MyHyperModel(kerastuner.HyperModel):
    def build(self, hp):
        inputs = keras.Input(shape=(32, 32, 3))
        x = layers.Conv2D(hp.Int("filters", 16, 64, step=16), 3, activation="relu")(inputs)
        x = layers.GlobalAveragePooling2D()(x)
        outputs = layers.Dense(hp.Fixed("classes", 10), activation="softmax")(x)
        return keras.Model(inputs, outputs)


tuner = kerastuner.Hyperband(MyHyperModel(), objective="val_loss")
`);
    assert.equal(result.models.length, 1);
    const [model] = result.models;
    assert.deepEqual(
      model.layers.map((l) => [l.type, l.outputShape, l.params]),
      [
        ['InputLayer', [null, 32, 32, 3], 0],
        ['Conv2D', [null, 30, 30, 16], 448],
        ['GlobalAveragePooling2D', [null, 16], 0],
        ['Dense', [null, 10], 170],
      ],
    );
  });

  it('an hp value LayerLens cannot read is unknown, named, not guessed', () => {
    const result = analyze(`${HEAD}
def build_model(hp):
    return keras.Sequential([layers.Input(shape=(4,)), layers.Dense(hp.Choice("units", UNITS))])
`);
    const [model] = result.models;
    assert.equal(model.layers[0].params, null);
    assert.ok(model.diagnostics.some((d) => d.code === 'unresolved-value'));
  });
});
