/**
 * Issue 21 §6: the values real code computes sizes with. Each case is written the way public Keras code writes it
 * (a GAN generator ending in `Dense(np.prod(img_shape))` and `Reshape(img_shape)`, a flatten size from
 * `x.shape[1:]`, keras.io's structured-data embeddings sized by `lookup.vocabulary_size()`, a `partial` of Conv2D
 * for a block's convolutions, a config class read through an instance, a factory that adds its dropout layer only
 * when given one). The truth for shapes and parameters is tfjs-layers (`checkModel`, or a tfjs model built from the
 * same architecture), and Keras' own source for what a value is (`IndexLookup.vocabulary_size`, `np.prod`'s type).
 * Every case must also equal the reference analysis (a plain walk of the file), and what cannot be known stays
 * unknown, named.
 */
import { strict as assert } from 'node:assert';
import { analyze as analyzeCore, type AnalysisResult, type ModelResult } from '../../src/core';
import { analyze, comparableModel } from './support/metamorphic';
import { checkModel, tfjs } from './support/tfjsOracle';

let fileKey = 0;

/** The analysis, checked against the reference analysis (every statement walked, nothing cached). */
function run(source: string): AnalysisResult {
  const result = analyze(source, { fileName: `values-${fileKey++}.py` });
  const reference = analyzeCore(source, { reference: true });
  assert.deepEqual(result.models.map(comparableModel), reference.models.map(comparableModel), 'the same models as the reference analysis');
  return result;
}

function only(result: AnalysisResult, name?: string): ModelResult {
  const models = name ? result.models.filter((m) => m.name === name) : result.models;
  assert.equal(models.length, 1, `one model${name ? ` named ${name}` : ''}: ${result.models.map((m) => m.name).join(', ')}`);
  return models[0];
}

function diagnostics(result: AnalysisResult) {
  return [...result.diagnostics, ...result.models.flatMap((m) => m.diagnostics)];
}

const HEAD = 'import math\nimport numpy as np\nimport keras\nfrom keras import layers\n';

describe('values real code computes sizes with (issue 21 §6)', function () {
  this.timeout(60000);

  describe('np.prod and math.prod', () => {
    it("a generator's head: Dense(np.prod(img_shape)) then Reshape(img_shape), as tfjs builds it", () => {
      const model = only(
        run(`${HEAD}img_shape = (28, 28, 1)
latent_dim = 100
generator = keras.Sequential()
generator.add(layers.Dense(256, input_dim=latent_dim))
generator.add(layers.LeakyReLU(negative_slope=0.2))
generator.add(layers.Dense(np.prod(img_shape), activation="tanh"))
generator.add(layers.Reshape(img_shape))
`),
      );
      assert.deepEqual(
        model.layers.map((l) => l.outputShape),
        [
          [null, 256],
          [null, 256],
          [null, 784],
          [null, 28, 28, 1],
        ],
      );
      assert.equal(model.layers[2].params, 256 * 784 + 784);
      assert.deepEqual(checkModel(model).mismatches, []);
    });

    it("math.prod and int(np.prod(...)) of a Keras tensor's shape[1:] and of K.int_shape(x)[1:]", () => {
      const result = run(`${HEAD}from keras import backend as K
inputs = keras.Input(shape=(7, 7, 64))
x = layers.Conv2D(32, 3, padding="same")(inputs)
flat = layers.Reshape((int(np.prod(x.shape[1:])),))(x)
a = layers.Dense(math.prod(K.int_shape(x)[1:]) // 49)(flat)
b = layers.Dense(np.prod(inputs.shape[1:3]))(a)
model = keras.Model(inputs, b)
`);
      const model = only(result);
      const byName = new Map(model.layers.map((l) => [l.name, l]));
      assert.deepEqual(byName.get('reshape')?.outputShape, [null, 1568]);
      assert.deepEqual(byName.get('dense')?.outputShape, [null, 32]);
      assert.deepEqual(byName.get('dense_1')?.outputShape, [null, 49]);
      // tfjs, the same graph with the numbers written out.
      const tf = tfjs();
      const input = tf.input({ shape: [7, 7, 64] });
      const conv = tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same' }).apply(input) as import('@tensorflow/tfjs').SymbolicTensor;
      const flat = tf.layers.reshape({ targetShape: [1568] }).apply(conv) as import('@tensorflow/tfjs').SymbolicTensor;
      const a = tf.layers.dense({ units: 32 }).apply(flat) as import('@tensorflow/tfjs').SymbolicTensor;
      const b = tf.layers.dense({ units: 49 }).apply(a) as import('@tensorflow/tfjs').SymbolicTensor;
      const reference = tf.model({ inputs: input, outputs: b });
      assert.equal(model.totalParams, reference.countParams());
      assert.deepEqual(
        model.layers.slice(1).map((l) => l.params),
        reference.layers.slice(1).map((l) => l.countParams()),
      );
    });

    it('a None among the dimensions is unknown, named, and the rows before it stay exact', () => {
      const result = run(`${HEAD}inputs = keras.Input(shape=(None, 16))
x = layers.Dense(8)(inputs)
y = layers.Dense(np.prod(x.shape[1:]))(x)
model = keras.Model(inputs, y)
`);
      const model = only(result);
      assert.equal(model.layers[1].params, 136);
      assert.equal(model.layers[2].params, null);
      const note = diagnostics(result).find((d) => d.code === 'unresolved-value');
      assert.ok(
        note,
        diagnostics(result)
          .map((d) => d.code)
          .join(', '),
      );
      assert.match(note.message, /np\.prod\(x\.shape\[1:\]\)/);
      assert.match(note.message, /None/);
    });

    it('math.prod of nothing is 1, as Python gives it', () => {
      const model = only(run(`${HEAD}model = keras.Sequential([keras.Input((3,)), layers.Dense(math.prod(()))])\n`));
      assert.equal(model.layers[0].params, 4);
    });
  });

  describe('StringLookup / IntegerLookup / TextVectorization .vocabulary_size()', () => {
    // keras.io's structured-data examples size an Embedding by the lookup in front of it.
    const embed = (lookup: string) => `${HEAD}vocabulary = ["Private", "Self-emp", "Gov", "Never-worked"]
lookup = ${lookup}
inputs = keras.Input(shape=(1,), dtype="string")
ids = lookup(inputs)
emb = layers.Embedding(input_dim=lookup.vocabulary_size(), output_dim=8)(ids)
model = keras.Model(inputs, emb)
`;
    const cases: [string, number][] = [
      // Keras 3: len(vocabulary) + num_oov_indices (1) + 1 for a mask token with output_mode="int".
      ['layers.StringLookup(vocabulary=vocabulary)', 5],
      ['layers.StringLookup(vocabulary=vocabulary, mask_token=None, num_oov_indices=0)', 4],
      ['layers.StringLookup(vocabulary=vocabulary, num_oov_indices=2, mask_token="")', 7],
      // The mask takes no index in a counting mode.
      ['layers.StringLookup(vocabulary=vocabulary, mask_token="", output_mode="one_hot")', 5],
      // A vocabulary that starts with the OOV token: set_vocabulary strips it.
      ['layers.StringLookup(vocabulary=["[UNK]"] + vocabulary)', 5],
      // TextVectorization's lookup: mask '' and one OOV index.
      ['layers.TextVectorization(vocabulary=vocabulary)', 6],
    ];
    for (const [lookup, size] of cases)
      it(`${lookup}: ${size}`, () => {
        const model = only(run(embed(lookup)));
        const embedding = model.layers.find((l) => l.type === 'Embedding');
        assert.equal(embedding?.params, size * 8);
      });

    it('IntegerLookup of a list of ints', () => {
      const model = only(
        run(`${HEAD}lookup = layers.IntegerLookup(vocabulary=[12, 36, 1138, 42])
model = keras.Sequential([keras.Input((1,)), layers.Embedding(lookup.vocabulary_size(), 4)])
`),
      );
      assert.equal(model.layers[0].params, 5 * 4);
    });

    it('a vocabulary learnt by adapt() is unknown, named', () => {
      const result = run(`${HEAD}lookup = layers.StringLookup()
lookup.adapt(train_ds.map(lambda x, y: x))
model = keras.Sequential([keras.Input((1,)), layers.Embedding(lookup.vocabulary_size(), 4)])
`);
      const model = only(result);
      assert.equal(model.layers[0].params, null);
      const note = diagnostics(result).find((d) => d.code === 'unresolved-value');
      assert.ok(note);
      assert.match(note.message, /vocabulary_size\(\)/);
    });

    it('after set_vocabulary() it is unknown (LayerLens does not follow it), not the size written first', () => {
      const result = run(`${HEAD}lookup = layers.StringLookup(vocabulary=["a", "b"])
lookup.set_vocabulary(read_words("vocab.txt"))
model = keras.Sequential([keras.Input((1,)), layers.Embedding(lookup.vocabulary_size(), 4)])
`);
      assert.equal(only(result).layers[0].params, null);
    });
  });

  describe('functools.partial of a layer', () => {
    it('partial(layers.Conv2D, kernel_size=3, padding="same") is Conv2D with the merged arguments', () => {
      const model = only(
        run(`import functools
import keras
from keras import layers
DefaultConv2D = functools.partial(layers.Conv2D, kernel_size=3, activation="relu", padding="same")
model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    DefaultConv2D(filters=64, kernel_size=7),
    layers.MaxPooling2D(pool_size=2),
    DefaultConv2D(filters=128),
    DefaultConv2D(128),
    layers.MaxPooling2D(pool_size=2),
    layers.Flatten(),
    layers.Dense(units=10, activation="softmax"),
])
`),
      );
      assert.deepEqual(
        model.layers.map((l) => l.type),
        ['Conv2D', 'MaxPooling2D', 'Conv2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense'],
      );
      assert.deepEqual(model.layers[0].outputShape, [null, 28, 28, 64]);
      assert.equal(model.layers[0].params, 7 * 7 * 64 + 64);
      assert.deepEqual(checkModel(model).mismatches, []);
    });

    it("`from functools import partial`, a partial of a partial, and a call keyword overriding the partial's", () => {
      const model = only(
        run(`from functools import partial
import keras
from keras import layers
Conv = partial(layers.Conv2D, kernel_size=3, padding="same")
ConvRelu = partial(Conv, activation="relu")
model = keras.Sequential([keras.Input((16, 16, 3)), ConvRelu(8), Conv(4, kernel_size=1), layers.GlobalAveragePooling2D()])
`),
      );
      assert.equal(model.layers[0].params, 3 * 3 * 3 * 8 + 8);
      assert.equal(model.layers[1].params, 8 * 4 + 4);
      assert.deepEqual(checkModel(model).mismatches, []);
    });

    it('a partial of a block function of the file runs it with the merged arguments', () => {
      const model = only(
        run(`from functools import partial
import keras
from keras import layers
def conv_block(x, filters, kernel_size=3):
    x = layers.Conv2D(filters, kernel_size, padding="same")(x)
    return layers.BatchNormalization()(x)
block = partial(conv_block, kernel_size=1)
inputs = keras.Input((8, 8, 3))
x = block(inputs, 16)
x = block(x, filters=4)
model = keras.Model(inputs, x)
`),
      );
      const convs = model.layers.filter((l) => l.type === 'Conv2D');
      assert.deepEqual(
        convs.map((l) => l.params),
        [3 * 16 + 16, 16 * 4 + 4],
      );
    });
  });

  describe('class constants and attributes read through an instance', () => {
    it('cfg = Cfg(); Dense(cfg.UNITS), Cfg.DROPOUT and self.UNITS in a method', () => {
      const result = run(`${HEAD}class Config:
    UNITS = 7
    DROPOUT = 0.25
    SHAPE = (12,)

    def build(self):
        return keras.Sequential([keras.Input(self.SHAPE), layers.Dense(self.UNITS * 2)], name="from_method")

cfg = Config()
model = keras.Sequential([keras.Input(cfg.SHAPE), layers.Dense(cfg.UNITS), layers.Dropout(Config.DROPOUT)], name="from_instance")
`);
      const model = only(result, 'from_instance');
      assert.equal(model.layers[0].params, 12 * 7 + 7);
      assert.deepEqual(checkModel(model).mismatches, []);
      assert.equal(only(result, 'from_method').layers[0].params, 12 * 14 + 14);
    });

    it('attributes __init__ sets (self.img_shape) reach the methods it calls on self', () => {
      const result = run(`${HEAD}class Autoencoder:
    def __init__(self, img_shape=(28, 28, 1), code=32):
        self.img_shape = img_shape
        self.code = code
        self.decoder = self.build_decoder()

    def build_decoder(self):
        model = keras.Sequential(name="decoder")
        model.add(keras.Input((self.code,)))
        model.add(layers.Dense(np.prod(self.img_shape), activation="sigmoid"))
        model.add(layers.Reshape(self.img_shape))
        return model

ae = Autoencoder(img_shape=(16, 16, 3))
`);
      const model = only(result, 'decoder');
      assert.deepEqual(model.layers[1].outputShape, [null, 16, 16, 3]);
      assert.equal(model.layers[0].params, 32 * 768 + 768);
      assert.deepEqual(checkModel(model).mismatches, []);
    });

    it('an attribute set outside the class, or by another method, is unknown: never the class constant', () => {
      const result = run(`${HEAD}class Cfg:
    UNITS = 7
    WIDTH = 3

    def widen(self):
        self.WIDTH = 9

cfg = Cfg()
cfg.UNITS = int(input())
model = keras.Sequential([keras.Input((2,)), layers.Dense(cfg.UNITS), layers.Dense(cfg.WIDTH)])
`);
      const model = only(result);
      assert.equal(model.layers[0].params, null);
      assert.equal(model.layers[1].params, null);
      const messages = diagnostics(result)
        .filter((d) => d.code === 'unresolved-value')
        .map((d) => d.message)
        .join('\n');
      assert.match(messages, /cfg\.UNITS/);
      assert.match(messages, /cfg\.WIDTH/);
    });

    it('an attribute set under a condition LayerLens cannot decide is unknown', () => {
      const result = run(`${HEAD}import sys
class Cfg:
    def __init__(self):
        self.units = 8
        if len(sys.argv) > 1:
            self.units = 16

cfg = Cfg()
model = keras.Sequential([keras.Input((2,)), layers.Dense(cfg.units)])
`);
      assert.equal(only(result).layers[0].params, null);
    });
  });

  describe('the truth of objects', () => {
    const factory = (call: string) => `${HEAD}def make_model(dropout_layer=None, units=16):
    model = keras.Sequential([keras.Input((10,)), layers.Dense(units, activation="relu")])
    if dropout_layer:
        model.add(dropout_layer)
    model.add(layers.Dense(1))
    return model

model = ${call}
`;

    it('a layer is true: `if dropout_layer: model.add(dropout_layer)` decides, with no conditional-layer', () => {
      const result = run(factory('make_model(layers.Dropout(0.5))'));
      const model = only(result);
      assert.deepEqual(
        model.layers.map((l) => l.type),
        ['Dense', 'Dropout', 'Dense'],
      );
      assert.equal(model.totalParams, 176 + 17);
      assert.ok(!diagnostics(result).some((d) => d.code === 'conditional-layer' || d.code === 'incomplete-model'));
      assert.deepEqual(checkModel(model).mismatches, []);
    });

    it('None is false: the layer is not added', () => {
      const model = only(run(factory('make_model()')));
      assert.deepEqual(
        model.layers.map((l) => l.type),
        ['Dense', 'Dense'],
      );
    });

    it('a Keras tensor is not a bool (Keras refuses it): `if x:` stays undecided, never a number', () => {
      const result = run(`${HEAD}inputs = keras.Input((4,))
x = layers.Dense(4)(inputs)
if x:
    x = layers.Dense(2)(x)
model = keras.Model(inputs, x)
`);
      assert.ok(
        diagnostics(result).some((d) => /`x`/.test(d.message)),
        diagnostics(result)
          .map((d) => d.message)
          .join('\n'),
      );
      assert.ok(result.models.every((m) => m.totalParams === null));
    });

    it('an instance of a class that defines __len__ is not known to be true', () => {
      const result = run(`${HEAD}class Blocks:
    def __len__(self):
        return 0

blocks = Blocks()
model = keras.Sequential([keras.Input((4,)), layers.Dense(4)])
if blocks:
    model.add(layers.Dense(2))
`);
      assert.ok(diagnostics(result).some((d) => d.code === 'conditional-layer'));
    });
  });

  describe("comprehensions over another model's layers", () => {
    // Keras leaves a Sequential model's InputLayer out of `model.layers`.
    it('Sequential([l for l in base.layers] + [Dense(5)]) and base.layers[:-1]', () => {
      const result = run(`${HEAD}base = keras.Sequential([keras.Input((8,)), layers.Dense(16), layers.Dense(4)], name="base")
copy = keras.Sequential([keras.Input((8,))] + [l for l in base.layers] + [layers.Dense(5)], name="copy")
cut = keras.Sequential([keras.Input((8,))] + base.layers[:-1] + [layers.Dense(5)], name="cut")
`);
      assert.deepEqual(
        only(result, 'copy').layers.map((l) => l.params),
        [144, 68, 25],
      );
      assert.deepEqual(
        only(result, 'cut').layers.map((l) => l.params),
        [144, 85],
      );
    });
  });
});
