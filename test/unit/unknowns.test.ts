/**
 * "Never a wrong number" (issue 18): what cannot be known statically is unknown, says so where it arises, stays
 * local, and makes the model's warning; what can be known from the call that runs the code is taken from it.
 * Each case is written the way notebooks write it (a class list read from a folder, a trainer class built with its
 * own arguments, `Input(shape=X_train.shape[1:])` with the LayerLens comment); the truth for known numbers is
 * tfjs-layers, or the same model written out with the values by hand.
 */
import { strict as assert } from 'node:assert';
import type { AnalysisResult, Diagnostic, ModelResult } from '../../src/core';
import { analyze, withoutPositions } from './support/metamorphic';
import { checkModel } from './support/tfjsOracle';
import { formatTable } from '../../src/core/format';
import { defaultsNote } from '../../src/providers/layerGroups';

const HEAD = 'import os\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n';

function only(result: AnalysisResult, name?: string): ModelResult {
  const models = name ? result.models.filter((m) => m.name === name) : result.models;
  assert.equal(models.length, 1, `one model${name ? ` named ${name}` : ''}: ${result.models.map((m) => m.name).join(', ')}`);
  return models[0];
}

function all(result: AnalysisResult): Diagnostic[] {
  return [...result.diagnostics, ...result.models.flatMap((m) => m.diagnostics)];
}

function codes(result: AnalysisResult): string[] {
  return all(result).map((d) => d.code);
}

describe('unknowns stay unknown', function () {
  this.timeout(60000);

  describe('a list changed where LayerLens cannot tell how often', () => {
    const classifier = (grow: string) => `${HEAD}data_dir = "data/train"
class_names = []
${grow}
model = keras.Sequential([
    layers.Input(shape=(32,)),
    layers.Dense(64, activation="relu"),
    layers.Dense(len(class_names), activation="softmax"),
])
`;

    it('a loop over os.listdir: len() of the list is unknown, named, and the rows before it stay exact', () => {
      const result = analyze(classifier('for d in sorted(os.listdir(data_dir)):\n    class_names.append(d)'));
      const model = only(result);
      assert.deepEqual(model.layers[0].outputShape, [null, 64]);
      assert.equal(model.layers[0].params, 2112);
      assert.equal(model.layers[1].params, null, 'the head has as many units as classes: unknown');
      assert.equal(model.totalParams, null);
      const unresolved = all(result).find((d) => d.code === 'unresolved-value');
      assert.ok(unresolved, codes(result).join(', '));
      assert.match(unresolved.message, /`len\(class_names\)`/);
      assert.match(unresolved.message, /length is unknown/);
      assert.match(unresolved.message, /os\.listdir\(data_dir\)/);
      const warning = model.diagnostics.find((d) => d.code === 'incomplete-model');
      assert.ok(warning, 'the model is not fully analysed: a warning');
      assert.equal(warning.severity, 'warning');
      assert.match(warning.message, /len\(class_names\)/, 'it names the first unknown');
    });

    it('an append under an undecided if, and a comprehension over the list, are unknown too', () => {
      const grown = analyze(classifier('class_names.extend(["cat", "dog"])\nif os.environ.get("BIRDS"):\n    class_names.append("bird")'));
      assert.equal(only(grown).layers[1].params, null);
      const comprehension = analyze(
        `${HEAD}names = []\nfor f in os.listdir("d"):\n    names.append(f)\nsizes = [16 for _ in names]\nmodel = keras.Sequential([layers.Input(shape=(4,)), layers.Dense(len(sizes))])\n`,
      );
      assert.equal(only(comprehension).layers[0].params, null);
    });

    it('+= under an undecided if: the length is unknown after it, a slice of the items from before is known', () => {
      const result = analyze(`${HEAD}names = ["a", "b"]
if os.environ.get("X"):
    names += ["c"]
model = keras.Sequential([layers.Input(shape=(4,)), layers.Dense(len(names[:1])), layers.Dense(len(names))])
`);
      const model = only(result);
      assert.deepEqual(model.layers[0].outputShape, [null, 1]);
      assert.equal(model.layers[0].params, 5);
      assert.equal(model.layers[1].params, null);
      assert.ok(all(result).some((d) => d.code === 'unresolved-value' && /`len\(names\)`/.test(d.message)));
    });

    it('the items from before the loop stay known; a list made anew in code that runs under it is not touched', () => {
      const result = analyze(`${HEAD}units = [32, 16]
for extra in os.listdir("layers"):
    units.append(int(extra))


def head(n):
    parts = []
    parts.append(layers.Dense(n))
    return keras.Sequential([layers.Input(shape=(4,)), layers.Dense(units[0]), layers.Dense(units[1])] + parts)


if os.environ.get("HEAD"):
    model = head(3)
`);
      const model = only(result);
      assert.deepEqual(
        model.layers.map((l) => l.params),
        [160, 528, 51],
        'units[0] and units[1] were there before the loop; parts is made by each call',
      );
      assert.deepEqual(checkModel(model).mismatches, []);
    });

    it('layers appended in such a loop are conditional rows, and the rows after them unknown, not shown once as if known', () => {
      const result = analyze(`${HEAD}blocks = [layers.Input(shape=(8,)), layers.Dense(4)]
for name in os.listdir("cfg"):
    blocks.append(layers.Dense(16))
blocks.append(layers.Dense(2))
model = keras.Sequential(blocks)
`);
      const model = only(result);
      assert.equal(model.layers.length, 3);
      assert.equal(model.layers[0].params, 36);
      assert.equal(model.layers[2].params, null, 'Dense(2) takes the output of an unknown number of Dense(16)');
      const conditional = all(result).filter((d) => d.code === 'conditional-layer');
      assert.equal(conditional.length, 1, 'only the layer added in the loop is conditional');
      assert.equal(conditional[0].range.start.line, 6);
      assert.deepEqual(
        model.layers.map((l) => l.timesUnknown ?? false),
        [false, true, false],
        "the loop's layer may be any number of layers",
      );
      assert.match(formatTable(model), /dense_1 \(Dense\) ×\?/);
    });
  });

  describe('call sites beat defaults', () => {
    const trainer = `${HEAD}
def build_encoder(latent_dim):
    return keras.Sequential([
        layers.Input(shape=(28, 28, 1)),
        layers.Flatten(),
        layers.Dense(latent_dim),
    ])


class Trainer:
    def __init__(self, data, latent_dim=32, lr=1e-3):
        self.latent_dim = latent_dim
        self.encoder = build_encoder(self.latent_dim)
        self.lr = lr
`;

    it("a class's __init__ runs with the arguments it is created with", () => {
      const result = analyze(`${trainer}\ntrainer = Trainer(None, latent_dim=16)\n`);
      const model = only(result);
      assert.deepEqual(model.layers[1].outputShape, [null, 16]);
      assert.equal(model.totalParams, 784 * 16 + 16);
      assert.deepEqual(checkModel(model).mismatches, []);
      assert.ok(model.builtBy?.call, 'built by a call, not with the defaults');
      assert.ok(!codes(result).includes('unresolved-value'), codes(result).join(', '));
    });

    it('each instance builds its own model, positional arguments included', () => {
      const result = analyze(`${trainer}\nsmall = Trainer(None, 8)\nlarge = Trainer(None, latent_dim=64)\n`);
      assert.deepEqual(
        result.models.map((m) => m.layers[1].outputShape),
        [
          [null, 8],
          [null, 64],
        ],
      );
    });

    it('a class nothing creates still shows its defaults, and says so', () => {
      const model = only(analyze(trainer));
      assert.deepEqual(model.layers[1].outputShape, [null, 32]);
      assert.equal(model.builtBy?.call, undefined, 'no call: the defaults were used');
    });

    it('a function passed on to code LayerLens does not run: its defaults, and the place it is passed, are named', () => {
      const source = `${HEAD}import keras_tuner as kt


def build_model(hp=None, units=32):
    model = keras.Sequential([layers.Input(shape=(8,)), layers.Dense(units), layers.Dense(1)])
    return model


# build_model is searched below
tuner = kt.RandomSearch(build_model, objective="val_loss", max_trials=3)
`;
      const model = only(analyze(source));
      assert.equal(model.builtBy?.call, undefined);
      assert.equal(model.builtBy?.passed?.start.line, 13, 'the mention in the comment does not count');
      assert.match(formatTable(model), /Built with the defaults of build_model\(\): nothing in this file calls it; it is passed on at line 13/);
      assert.match(defaultsNote(model) ?? '', /passed on at line 13/);
    });

    it('many functions passed on: each names its own place (one pass over the names of the file)', () => {
      const defs = Array.from(
        { length: 12 },
        (_, i) => `def make_${i}(units=${i + 1}):\n    return keras.Sequential([layers.Input(shape=(4,)), layers.Dense(units)])\n`,
      );
      const uses = Array.from({ length: 12 }, (_, i) => `search_${i} = Searcher(make_${i})  # make_${i}( is not called here`);
      const source = `${HEAD}${defs.join('\n')}\n# make_0 is mentioned in this comment only\n${uses.join('\n')}\n`;
      const result = analyze(source);
      const lineOf = (i: number) => source.split('\n').findIndex((l) => l.startsWith(`search_${i} =`)) + 1;
      assert.equal(result.models.length, 12);
      for (const [i, model] of result.models.entries()) {
        assert.equal(model.layers[0].params, 5 * (i + 1));
        assert.equal(model.builtBy?.passed?.start.line, lineOf(i), `make_${i}`);
        assert.equal(model.builtBy?.passed?.start.column, 21 + (i >= 10 ? 1 : 0), `make_${i}`);
      }
    });

    it('an inherited __init__ runs for the subclass', () => {
      const result = analyze(`${trainer}\nclass FastTrainer(Trainer):\n    pass\n\nfast = FastTrainer(None, latent_dim=4)\n`);
      assert.deepEqual(only(result).layers[1].outputShape, [null, 4]);
    });
  });

  describe('# layerlens: input_shape=(...) where the code gives a shape that cannot be resolved', () => {
    it('Input(shape=X_train.shape[1:]) takes the comment, and says which expression it replaces', () => {
      const result = analyze(`${HEAD}X_train = load()
# layerlens: input_shape=(20,)
inputs = keras.Input(shape=X_train.shape[1:])
x = layers.Dense(8, activation="relu")(inputs)
model = keras.Model(inputs, layers.Dense(1)(x))
`);
      const plain = analyze(`${HEAD}inputs = keras.Input(shape=(20,))
x = layers.Dense(8, activation="relu")(inputs)
model = keras.Model(inputs, layers.Dense(1)(x))
`);
      const model = only(result);
      assert.deepEqual(withoutPositions(model.layers), withoutPositions(only(plain).layers));
      assert.equal(model.totalParams, 177);
      const note = all(result).find((d) => d.code === 'input-shape-from-fallback');
      assert.ok(note, codes(result).join(', '));
      assert.match(note.message, /`X_train\.shape\[1:\]`/);
      assert.ok(!codes(result).includes('incomplete-model'));
    });

    it('a Sequential whose input_shape= is unresolved takes the comment too', () => {
      const result = analyze(`${HEAD}# layerlens: input_shape=(28, 28, 1)
model = keras.Sequential([layers.Conv2D(8, 3, input_shape=x_train.shape[1:]), layers.Flatten(), layers.Dense(10)])
`);
      const model = only(result);
      assert.deepEqual(model.inputShape, [null, 28, 28, 1]);
      assert.deepEqual(checkModel(model).mismatches, []);
    });

    it('a comment that disagrees with a shape the code does give still loses to the code, with a warning', () => {
      const result = analyze(`${HEAD}# layerlens: input_shape=(20,)
model = keras.Sequential([layers.Dense(8, input_shape=(10,))])
`);
      assert.deepEqual(only(result).inputShape, [null, 10]);
      assert.ok(codes(result).includes('input-shape-conflict'));
    });
  });

  describe('a model not fully analysed is a warning', () => {
    it('a model with no input shape gets incomplete-model, naming why', () => {
      const result = analyze(`${HEAD}model = keras.Sequential([layers.Dense(8), layers.Dense(2)])\n`);
      const warning = only(result).diagnostics.find((d) => d.code === 'incomplete-model');
      assert.ok(warning);
      assert.match(warning.message, /No input shape/);
    });

    it('a fully known model gets none, and a model with a shape error gets the error instead', () => {
      assert.ok(!codes(analyze(`${HEAD}model = keras.Sequential([layers.Input(shape=(4,)), layers.Dense(2)])\n`)).includes('incomplete-model'));
      const broken = analyze(`${HEAD}model = keras.Sequential([layers.Input(shape=(4, 4, 1)), layers.Conv2D(8, 9)])\n`);
      assert.ok(codes(broken).includes('negative-dimension'), codes(broken).join(', '));
      assert.ok(!codes(broken).includes('incomplete-model'));
    });

    it('a keras.Model LayerLens cannot follow is a warning, not information', () => {
      const result = analyze(`${HEAD}model = keras.models.load_model("m.keras")\n`);
      const notAnalysed = all(result).filter((d) => d.code === 'not-analysed');
      assert.equal(notAnalysed.length, 1, codes(result).join(', '));
      assert.equal(notAnalysed[0].severity, 'warning');
    });
  });
});
