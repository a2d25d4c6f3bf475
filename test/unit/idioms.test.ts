/**
 * Loops, conditions, factories and built lists, as real Keras code writes them (issue 10 §2–4). Each case is
 * checked two ways, neither of them written here as numbers:
 * - tfjs-layers rebuilds the analysed model and must agree on every layer's shape and parameters;
 * - the same model written out by hand, without the idiom, must analyse identically (apart from positions).
 */
import { strict as assert } from 'node:assert';
import type { ModelResult } from '../../src/core';
import { analyze, comparableModel } from './support/metamorphic';
import { checkModel } from './support/tfjsOracle';

const HEAD = 'from tensorflow import keras\nfrom tensorflow.keras import layers\n';

interface Case {
  idiom: string;
  source: string;
  /** The model written out without the idiom. */
  plain: string;
  /** Which model of `source` (by name); the only one by default. */
  model?: string;
}

const CONV_PLAIN = `${HEAD}model = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(64, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(128, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
`;

const CASES: Case[] = [
  {
    idiom: 'for over a list literal, model.add in the body',
    source: `${HEAD}model = keras.Sequential([keras.Input(shape=(32, 32, 3))])
for filters in [32, 64, 128]:
    model.add(layers.Conv2D(filters, 3, padding="same", activation="relu"))
    model.add(layers.MaxPooling2D())
model.add(layers.Flatten())
model.add(layers.Dense(10, activation="softmax"))
`,
    plain: CONV_PLAIN,
  },
  {
    idiom: 'for over range(n) with a module constant, values computed from the loop variable',
    source: `${HEAD}NUM_BLOCKS = 3
BASE = 32
model = keras.Sequential()
model.add(keras.Input(shape=(32, 32, 3)))
for i in range(NUM_BLOCKS):
    model.add(layers.Conv2D(BASE * 2 ** i, 3, padding="same", activation="relu"))
    model.add(layers.MaxPooling2D())
model.add(layers.Flatten())
model.add(layers.Dense(10, activation="softmax"))
`,
    plain: CONV_PLAIN,
  },
  {
    idiom: 'enumerate with a tuple target, and an if on the index giving the first layer its input shape',
    source: `${HEAD}FILTERS = (32, 64, 128)
model = keras.Sequential()
for i, f in enumerate(FILTERS):
    if i == 0:
        model.add(layers.Conv2D(f, 3, padding="same", activation="relu", input_shape=(32, 32, 3)))
    else:
        model.add(layers.Conv2D(f, 3, padding="same", activation="relu"))
    model.add(layers.MaxPooling2D())
model.add(layers.Flatten())
model.add(layers.Dense(10, activation="softmax"))
`,
    plain: CONV_PLAIN.replace(
      '    keras.Input(shape=(32, 32, 3)),\n    layers.Conv2D(32, 3, padding="same", activation="relu"),',
      '    layers.Conv2D(32, 3, padding="same", activation="relu", input_shape=(32, 32, 3)),',
    ),
  },
  {
    idiom: 'zip over two lists, nested loops, break and continue under known conditions',
    source: `${HEAD}model = keras.Sequential([keras.Input(shape=(64, 64, 1))])
for filters, kernel in zip([16, 32, 64, 128], [5, 3, 3, 3]):
    if filters == 32:
        continue
    if filters > 64:
        break
    for _ in range(2):
        model.add(layers.Conv2D(filters, kernel, activation="relu"))
    model.add(layers.MaxPooling2D(2))
model.add(layers.GlobalAveragePooling2D())
`,
    plain: `${HEAD}model = keras.Sequential([
    keras.Input(shape=(64, 64, 1)),
    layers.Conv2D(16, 5, activation="relu"),
    layers.Conv2D(16, 5, activation="relu"),
    layers.MaxPooling2D(2),
    layers.Conv2D(64, 3, activation="relu"),
    layers.Conv2D(64, 3, activation="relu"),
    layers.MaxPooling2D(2),
    layers.GlobalAveragePooling2D(),
])
`,
  },
  {
    idiom: 'while with a counter, and if/elif/else on a string constant',
    source: `${HEAD}ARCH = "mlp"
model = keras.Sequential([keras.Input(shape=(784,))])
if ARCH == "cnn":
    model.add(layers.Reshape((28, 28, 1)))
elif ARCH in ("mlp", "dense"):
    units = 512
    while units >= 128:
        model.add(layers.Dense(units, activation="relu"))
        model.add(layers.Dropout(0.2))
        units //= 2
else:
    model.add(layers.Dense(1))
model.add(layers.Dense(10, activation="softmax"))
`,
    plain: `${HEAD}model = keras.Sequential([
    keras.Input(shape=(784,)),
    layers.Dense(512, activation="relu"),
    layers.Dropout(0.2),
    layers.Dense(256, activation="relu"),
    layers.Dropout(0.2),
    layers.Dense(128, activation="relu"),
    layers.Dropout(0.2),
    layers.Dense(10, activation="softmax"),
])
`,
  },
  {
    idiom: 'a factory called with positional and keyword arguments (the call site decides the numbers)',
    source: `${HEAD}def build_model(input_shape=(28, 28, 1), num_classes=10, width=32):
    model = keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(width, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(width * 2, 3, activation="relu"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(num_classes, activation="softmax" if num_classes > 2 else "sigmoid"),
    ])
    return model

model = build_model((64, 64, 3), num_classes=5, width=16)
`,
    plain: `${HEAD}model = keras.Sequential([
    keras.Input(shape=(64, 64, 3)),
    layers.Conv2D(16, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(32, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(5, activation="softmax"),
])
`,
  },
  {
    idiom: 'a factory called with **kwargs of a dict literal and *args of a tuple',
    source: `${HEAD}def make(n_inputs, *hidden, dropout=0.0, **head):
    model = keras.Sequential([keras.Input(shape=(n_inputs,))])
    for units in hidden:
        model.add(layers.Dense(units, activation="relu"))
        if dropout:
            model.add(layers.Dropout(dropout))
    model.add(layers.Dense(head.get("classes", 1), activation=head.get("activation", "sigmoid")))
    return model

config = {"classes": 3, "activation": "softmax"}
sizes = (64, 32)
model = make(20, *sizes, dropout=0.5, **config)
`,
    plain: `${HEAD}model = keras.Sequential([
    keras.Input(shape=(20,)),
    layers.Dense(64, activation="relu"),
    layers.Dropout(0.5),
    layers.Dense(32, activation="relu"),
    layers.Dropout(0.5),
    layers.Dense(3, activation="softmax"),
])
`,
  },
  {
    idiom: 'a helper returning a list of layers, spread into the list and looped over',
    source: `${HEAD}def conv_block(filters, kernel_size=3):
    return [layers.Conv2D(filters, kernel_size, padding="same", activation="relu"), layers.MaxPooling2D()]

model = keras.Sequential([keras.Input(shape=(32, 32, 3)), *conv_block(32), *conv_block(64)])
for layer in conv_block(128):
    model.add(layer)
model.add(layers.Flatten())
model.add(layers.Dense(10, activation="softmax"))
`,
    plain: CONV_PLAIN,
  },
  {
    idiom: 'a list built with append, extend and insert, then Sequential(blocks)',
    source: `${HEAD}blocks = [layers.MaxPooling2D()]
blocks.insert(0, layers.Conv2D(32, 3, padding="same", activation="relu"))
for f in [64, 128]:
    blocks.append(layers.Conv2D(f, 3, padding="same", activation="relu"))
    blocks.append(layers.MaxPooling2D())
blocks.extend([layers.Flatten(), layers.Dense(10, activation="softmax")])
model = keras.Sequential([keras.Input(shape=(32, 32, 3))] + blocks)
`,
    plain: CONV_PLAIN,
  },
  {
    idiom: 'a list concatenated with a comprehension, list() and a slice of a known list',
    source: `${HEAD}hidden = [layers.Dense(8, activation="relu") for _ in range(2)]
head = list([layers.Dense(4), layers.Dense(2), layers.Dense(1)])[1:]
model = keras.Sequential([keras.Input(shape=(16,)), layers.Dense(32)] + hidden + head)
`,
    plain: `${HEAD}model = keras.Sequential([
    keras.Input(shape=(16,)),
    layers.Dense(32),
    layers.Dense(8, activation="relu"),
    layers.Dense(8, activation="relu"),
    layers.Dense(2),
    layers.Dense(1),
])
`,
  },
  {
    idiom: "if __name__ == '__main__': the script's model",
    source: `${HEAD}def get_model(units):
    return keras.Sequential([keras.Input(shape=(4,)), layers.Dense(units)], name="model")

if __name__ == "__main__":
    model = get_model(3)
`,
    plain: `${HEAD}model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3)], name="model")\n`,
  },
];

const comparable = comparableModel;

describe('real Keras idioms: loops, conditions, factories, built lists', () => {
  for (const c of CASES) {
    it(c.idiom, () => {
      const models = analyze(c.source).models;
      const model = c.model ? models.find((m) => m.name === c.model) : models[models.length - 1];
      assert.ok(model, `no model in:\n${c.source}`);
      assert.ok(
        model.layers.every((l) => l.outputShape && l.params !== null),
        `a layer is unknown: ${JSON.stringify(model.diagnostics)}`,
      );
      const report = checkModel(model, { run: true });
      assert.deepEqual(report.mismatches, []);
      assert.ok(
        report.checks.every((ch) => ch.kind === 'tfjs' || ch.kind === 'emulated'),
        JSON.stringify(report.checks),
      );
      const plain = analyze(c.plain).models;
      assert.equal(plain.length, 1);
      assert.deepEqual(comparable(model), comparable(plain[0]));
    });
  }

  it('each call of a factory is a model of its own, named by its variable; the call is recorded', () => {
    const src = `${HEAD}def build_model(input_shape=(28, 28, 1), num_classes=10):
    model = keras.Sequential([keras.Input(shape=input_shape), layers.Flatten(), layers.Dense(num_classes)])
    return model

small = build_model((8, 8, 1), 3)
default = build_model()
`;
    const { models } = analyze(src);
    assert.deepEqual(
      models.map((m) => [m.name, m.inputShape, m.totalParams]),
      [
        ['small', [null, 8, 8, 1], 64 * 3 + 3],
        ['default', [null, 28, 28, 1], 784 * 10 + 10],
      ],
    );
    assert.deepEqual(
      models.map((m) => [m.builtBy?.function, m.builtBy?.call?.start.line]),
      [
        ['build_model', 7],
        ['build_model', 8],
      ],
    );
  });

  it('a factory nothing calls is shown with its defaults, and says so', () => {
    const { models } = analyze(`${HEAD}def build_model(num_classes=10):\n    return keras.Sequential([keras.Input(shape=(4,)), layers.Dense(num_classes)])\n`);
    assert.equal(models.length, 1);
    assert.equal(models[0].totalParams, 50);
    assert.deepEqual(models[0].builtBy, { function: 'build_model' });
  });

  it("model = build_model() then model.add(...): the call's model is extended, and only it", () => {
    const { models } = analyze(`${HEAD}def build_model():
    return keras.Sequential([keras.Input(shape=(4,)), layers.Dense(2)])

a = build_model()
b = build_model()
b.add(layers.Dense(1))
`);
    assert.deepEqual(
      models.map((m) => [m.name, m.layers.length]),
      [
        ['a', 1],
        ['b', 2],
      ],
    );
  });

  it('a parameter without a default, in a function nothing calls, is unknown and named', () => {
    const { models } = analyze(`${HEAD}def build_model(n):\n    return keras.Sequential([keras.Input(shape=(4,)), layers.Dense(n)])\n`);
    assert.equal(models[0].totalParams, null);
    assert.match(models[0].diagnostics.map((d) => d.message).join('\n'), /`n`.*nothing in this file calls `build_model`/);
  });

  it('a loop that would not end is cut off with a warning, and the editor is not stalled', () => {
    const result = analyze(`${HEAD}model = keras.Sequential([keras.Input(shape=(4,))])\nwhile True:\n    model.add(layers.Dense(4))\n`);
    const warning = result.diagnostics.find((d) => d.code === 'evaluation-limit');
    assert.ok(warning, JSON.stringify(result.diagnostics));
    assert.equal(warning.severity, 'warning');
    assert.equal(warning.range.start.line, 4);
    assert.ok(result.models[0].diagnostics.some((d) => d.code === 'conditional-layer'));
  });

  it('range() too long to unroll is unknown, with a diagnostic naming it', () => {
    const { models } = analyze(`${HEAD}model = keras.Sequential([keras.Input(shape=(4,))])\nfor i in range(10 ** 9):\n    model.add(layers.Dense(4))\n`);
    assert.match(models[0].diagnostics.map((d) => d.message).join('\n'), /more than LayerLens unrolls/);
  });

  it('recursion is bounded', () => {
    const { models } = analyze(`${HEAD}def f(n):\n    return f(n + 1)\n\nmodel = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(f(0))])\n`);
    assert.equal(models[0].layers[0].params, null);
    assert.match(models[0].diagnostics.map((d) => d.message).join('\n'), /deeper than LayerLens follows/);
  });
});

describe('nothing silent: models LayerLens does not analyse say so at their line', () => {
  // keras.applications architectures are analysed (test/unit/applications.test.ts): VGG16 is a model here.
  const src = `import keras
from keras import layers
import keras_hub
inputs = keras.Input(shape=(28, 28, 1))
outputs = layers.Dense(10)(layers.Flatten()(inputs))
model = keras.Model(inputs, outputs)
saved = keras.models.load_model("m.keras")
bert = keras_hub.models.BertClassifier.from_preset("bert_base_en")
base = keras.applications.VGG16(weights="imagenet", include_top=False)
class Net(keras.Model):
    def call(self, x):
        return x
`;
  const expected: [number, RegExp][] = [
    [7, /^`load_model\(\.\.\.\)` reads a saved model when the code runs/],
    [8, /^`BertClassifier\.from_preset\(\.\.\.\)` loads a preset when the code runs/],
    [10, /^`Net` subclasses keras\.Model: its layers are wired in `call\(\)`/],
  ];
  it('load_model, from_preset and a subclassed Model each get a warning; the Functional model and VGG16 are analysed', () => {
    const { diagnostics, models } = analyze(src);
    assert.deepEqual(
      models.map((m) => [m.name, m.kind, m.totalParams]),
      [
        ['model', 'functional', 7850],
        ['vgg16', 'functional', 14714688],
      ],
    );
    const unfollowed = analyze('import keras\nmodel = keras.Model(inputs=make_inputs(), outputs=head)\n').diagnostics;
    // The message names the value that could not be followed (issue 18).
    assert.match(
      unfollowed[0].message,
      /^`keras\.Model\(\.\.\.\)` makes a Functional model whose inputs LayerLens could not follow: `make_inputs\(\)` \(it is a call LayerLens does not evaluate\)/,
    );
    const notes = diagnostics.filter((d) => d.code === 'not-analysed');
    assert.equal(notes.length, expected.length, JSON.stringify(diagnostics));
    expected.forEach(([line, message], i) => {
      assert.equal(notes[i].range.start.line, line);
      assert.equal(notes[i].severity, 'warning', 'a model with no numbers at all: at least a warning');
      assert.match(notes[i].message, message);
    });
  });
});

describe('Keras 1 and early Keras 2 spellings', () => {
  it("read as Keras 2 reads them, each with an information note, and the same numbers as today's spelling", () => {
    const old = `from keras.models import Sequential
from keras.layers.convolutional import Convolution2D, MaxPooling2D
from keras.layers.core import Dense, Flatten, Dropout
model = Sequential()
model.add(Convolution2D(32, 3, 3, border_mode='same', input_shape=(28, 28, 1), dim_ordering='tf'))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Flatten())
model.add(Dropout(p=0.5))
model.add(Dense(output_dim=10, activation='softmax'))
`;
    const today = `from keras import layers, models
model = models.Sequential()
model.add(layers.Conv2D(32, (3, 3), padding='same', input_shape=(28, 28, 1), data_format='channels_last'))
model.add(layers.MaxPooling2D(pool_size=(2, 2)))
model.add(layers.Flatten())
model.add(layers.Dropout(rate=0.5))
model.add(layers.Dense(units=10, activation='softmax'))
`;
    const [a] = analyze(old).models;
    const [b] = analyze(today).models;
    const notes = a.diagnostics.filter((d) => d.code === 'legacy-spelling');
    assert.deepEqual(
      notes.map((d) => [d.range.start.line, d.severity]),
      [
        [5, 'information'],
        [5, 'information'],
        [5, 'information'],
        [8, 'information'],
        [9, 'information'],
      ],
    );
    assert.match(notes[0].message, /Keras 1's spelling of `Conv2D\(filters, kernel_size\)`/);
    assert.match(notes[1].message, /`border_mode=` is the Keras 1 spelling of `padding=`/);
    const strip = (m: ModelResult) => comparable({ ...m, diagnostics: m.diagnostics.filter((d) => d.code !== 'legacy-spelling') });
    assert.deepEqual(strip(a), strip(b));
    assert.deepEqual(checkModel(a, { run: true }).mismatches, []);
    assert.equal(a.totalParams, 320 + 14 * 14 * 32 * 10 + 10);
  });
});

describe('models built by a call, and models inside models', () => {
  for (const [call, batch] of [
    ['model(ops.ones((1, 4)))', 1],
    ['y = model(np.zeros((3, 4)))', 3],
    ['model(tf.random.normal(shape=(2, 4)))', 2],
    ['model(keras.random.normal((5, 4)))', 5],
  ] as const) {
    it(`${call} builds the model for that input, batch size included, as Keras shows it`, () => {
      const { models } = analyze(
        `import keras\nfrom keras import layers, ops\nimport numpy as np\nimport tensorflow as tf\nmodel = keras.Sequential([layers.Dense(2, activation="relu"), layers.Dense(1)])\n${call}\n`,
      );
      assert.deepEqual(
        models[0].layers.map((l) => l.outputShape),
        [
          [batch, 2],
          [batch, 1],
        ],
      );
      assert.equal(models[0].totalParams, 13);
    });
  }

  it('a model added to itself is not walked forever', () => {
    const { models } = analyze(`${HEAD}m = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(2)])\nm.add(m)\n`);
    assert.deepEqual(
      models[0].layers.map((l) => l.type),
      ['Dense', 'Sequential'],
    );
  });

  it('a chain of models each nesting the last is walked once per model and input', () => {
    const src = `${HEAD}m = keras.Sequential([layers.Dense(4)])\nfor i in range(45):\n    m = keras.Sequential([m, layers.Dense(4)])\nfinal = keras.Sequential([keras.Input(shape=(4,)), m])\n`;
    const { models } = analyze(src);
    const final = models.find((x) => x.name === 'final');
    assert.ok(final);
    assert.equal(final.totalParams, 46 * 20);
  });
});

describe('subclassed layers', () => {
  const src = `import keras
from keras import layers
import tensorflow as tf

class StandardizedConv2D(layers.Conv2D):
    def convolution_op(self, inputs, kernel):
        mean, var = tf.nn.moments(kernel, axes=[0, 1, 2], keepdims=True)
        return tf.nn.conv2d(inputs, (kernel - mean) / tf.sqrt(var + 1e-10), padding="VALID", strides=list(self.strides))

class Widened(layers.Dense):
    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units * 2))

model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    StandardizedConv2D(32, 3, activation="relu"),
    layers.Flatten(),
    Widened(10),
])
`;
  it("a subclass overriding only call-time methods keeps its parent's rules, under its own name, with a note", () => {
    const [m] = analyze(src).models;
    const conv = m.layers[0];
    assert.deepEqual(
      [conv.type, conv.baseType, conv.name, conv.outputShape, conv.params],
      ['StandardizedConv2D', 'Conv2D', 'standardized_conv2d', [null, 26, 26, 32], 320],
    );
    const note = m.diagnostics.find((d) => d.code === 'subclassed-layer');
    assert.ok(note);
    assert.match(note.message, /`StandardizedConv2D` subclasses Conv2D and overrides only `convolution_op`: LayerLens uses Conv2D's shape and parameter rules/);
  });

  it('a subclass overriding build is unknown, with a diagnostic naming the override', () => {
    const [m] = analyze(src).models;
    assert.equal(m.layers[2].outputShape, null);
    const d = m.diagnostics.find((x) => x.code === 'custom-layer');
    assert.ok(d);
    assert.match(d.message, /`Widened` subclasses Dense but overrides `build`/);
  });

  it('the subclass is built in tfjs as its parent', () => {
    const m = analyze(src.replace('    Widened(10),\n', '    layers.Dense(10),\n')).models[0];
    assert.deepEqual(checkModel(m, { run: true }).mismatches, []);
  });
});

describe('conditions as Python reads them', () => {
  it('`not a and b` is `(not a) and b`, and a statement that binds a name only on a path not taken leaves its earlier value', () => {
    // lezer-python parses `not a and b` as `not (a and b)`; NASNetMobile's `if not include_top and input_shape is None` showed it.
    const { models } = analyze(`${HEAD}a, b, c = False, True, False
n = 1
if not a and b:
    n = 2
m = 1
if not b or c:
    m = 5
k = 3 if not a and not c and b else 4
model = keras.Sequential([keras.Input((4,)), layers.Dense(n), layers.Dense(m), layers.Dense(k)])
`);
    assert.deepEqual(
      models[0].layers.map((l) => l.outputShape),
      [
        [null, 2],
        [null, 1],
        [null, 3],
      ],
    );
  });
});

describe('Lambda layers', () => {
  it('with output_shape=(...) take that shape, batch added, as Keras 3 does; without it the function is traced, or the output is unknown, with a diagnostic', () => {
    // Keras 3.15 prints lambda (None, 28, 28, 1) 0, dense (None, 10) 7,850; lambda (None, 4), dense (None, 2) 10.
    const { models } = analyze(`import keras
from keras import layers
inputs = keras.Input((28, 28, 1))
x = layers.Lambda(lambda t: t / 255.0, output_shape=(28, 28, 1))(inputs)
x = layers.Flatten()(x)
model = keras.Model(inputs, layers.Dense(10)(x))
seq = keras.Sequential([keras.Input((8,)), layers.Lambda(lambda t: t[:, :4], output_shape=(4,)), layers.Dense(2)])
bare = keras.Sequential([keras.Input((8,)), layers.Lambda(lambda t: t[:, :4]), layers.Dense(2)])
opaque = keras.Sequential([keras.Input((8,)), layers.Lambda(lambda t: augment(t)), layers.Dense(2)])
`);
    assert.deepEqual(
      models[0].layers.map((l) => [l.name, l.outputShape, l.params]),
      [
        ['input_layer', [null, 28, 28, 1], 0],
        ['lambda', [null, 28, 28, 1], 0],
        ['flatten', [null, 784], 0],
        ['dense', [null, 10], 7850],
      ],
    );
    assert.deepEqual(
      models[1].layers.map((l) => [l.outputShape, l.params]),
      [
        [[null, 4], 0],
        [[null, 2], 10],
      ],
    );
    // Traced on the input (issue 21 §3): the slice gives (None, 4), as Keras computes it.
    assert.deepEqual(models[2].layers[0].outputShape, [null, 4]);
    assert.ok(!models[2].diagnostics.some((d) => d.code === 'lambda-layer'));
    assert.equal(models[3].layers[0].outputShape, null);
    assert.ok(models[3].diagnostics.some((d) => d.code === 'lambda-layer'));
  });
});
