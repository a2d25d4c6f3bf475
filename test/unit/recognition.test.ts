/** Every common way people write a Sequential model, and the values LayerLens resolves statically. */
import { strict as assert } from 'node:assert';
import { analyze, analyzeCells } from './support/metamorphic';
import { codes, onlyModel } from './support/fixtures';

describe('recognising models', () => {
  it('book style: models.Sequential() then model.add over several statements', () => {
    const m = onlyModel(
      `from keras import layers, models\nmodel = models.Sequential()\nmodel.add(layers.Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)))\nx = 1\nmodel.add(layers.Flatten())\n`,
    );
    assert.deepEqual(
      m.layers.map((l) => l.type),
      ['Conv2D', 'Flatten'],
    );
    assert.deepEqual(m.layers[1].outputShape, [null, 21632]);
    assert.equal(m.line, 2);
  });

  for (const [label, src] of [
    ['keras.Sequential([...])', 'import keras\nfrom keras import layers\nm = keras.Sequential([layers.Dense(4, input_shape=(3,))])'],
    [
      'Sequential(layers=[...], name=...)',
      'from keras.models import Sequential\nfrom keras.layers import Dense\nm = Sequential(layers=[Dense(4, input_shape=(3,))], name="tiny")',
    ],
    ['tf.keras.Sequential', 'import tensorflow as tf\nm = tf.keras.Sequential([tf.keras.layers.Dense(4, input_shape=(3,))])'],
    ['keras.models.Sequential', 'import keras\nm = keras.models.Sequential([keras.layers.Dense(4, input_shape=(3,))])'],
    ['from tensorflow import keras', 'from tensorflow import keras\nm = keras.Sequential([keras.layers.Dense(4, input_shape=(3,))])'],
    [
      'bare names from tensorflow.keras.layers',
      'from tensorflow.keras.layers import Conv2D, Dense\nfrom tensorflow.keras import Sequential\nm = Sequential([Dense(4, input_shape=(3,))])',
    ],
    ['import *', 'from tensorflow.keras.layers import *\nfrom tensorflow.keras.models import *\nm = Sequential([Dense(4, input_shape=(3,))])'],
    ['aliases', 'import tensorflow.keras.layers as L\nimport tensorflow.keras as K\nm = K.Sequential([L.Dense(4, input_shape=(3,))])'],
  ] as const) {
    it(`recognises ${label}`, () => {
      const m = onlyModel(src);
      assert.deepEqual(m.layers[0].outputShape, [null, 4]);
      assert.equal(m.totalParams, 16);
      if (label.startsWith('Sequential(layers')) assert.equal(m.name, 'tiny');
    });
  }

  it('models inside functions, several per file, named after their variable or function', () => {
    const src = `import keras
from keras import layers

def build_model():
    model = keras.Sequential()
    model.add(layers.Dense(8, input_shape=(4,)))
    return model

def make_classifier(n_classes=3):
    return keras.Sequential([layers.Dense(n_classes, input_shape=(8,))])

other = keras.Sequential([layers.Dense(2, input_shape=(5,))])
`;
    const { models } = analyze(src);
    assert.deepEqual(
      models.map((m) => m.name),
      ['model', 'make_classifier', 'other'],
    );
    assert.deepEqual(
      models.map((m) => m.totalParams),
      [40, 27, 12],
    );
  });

  it('models built inside expressions: tuples, conditionals, walrus, comprehensions, lambdas and calls nothing evaluates', () => {
    const dense = (units: string) => `keras.Sequential([layers.Dense(${units}, input_shape=(3,))])`;
    const src = `import keras
from keras import layers

small, large = ${dense('2')}, ${dense('4')}
wide = True
picked = ${dense('8')} if wide else ${dense('1')}
either = ${dense('5')} if len(sys.argv) > 1 else ${dense('6')}
if (probe := ${dense('7')}):
    pass
ensemble = [${dense('n')} for n in (2, 4)]
history = train(${dense('9')}, epochs=3)
zoo = []
zoo.append(${dense('10')})
make = lambda: ${dense('11')}
guess = [${dense('k')} for k in load_sizes()]
`;
    const { models } = analyze(src);
    assert.deepEqual(
      models.map((m) => [m.name, m.line, m.totalParams]),
      [
        ['small', 4, 8],
        ['large', 4, 16],
        // A known condition picks its branch; an unknown one shows both.
        ['picked', 6, 32],
        ['either', 7, 20],
        ['either', 7, 24],
        ['probe', 8, 28],
        // A comprehension over known values: one model per item.
        ['ensemble', 10, 8],
        ['ensemble', 10, 16],
        // An argument of a call takes no name from the assignment around the call: Keras' default.
        ['sequential', 11, 36],
        ['sequential', 13, 40],
        // A lambda's body is evaluated once, as a function's is.
        ['make', 14, 44],
        // Over values that cannot be known: evaluated once, with the loop variable unknown.
        ['guess', 15, null],
      ],
    );
    assert.match(models[models.length - 1].diagnostics[0].message, /Cannot resolve `k` statically \(it is a loop variable\)/);
  });

  it('a variable bound to what a builder function returns is that model: layers added after the call extend it', () => {
    const src = `from keras import layers, models

def build_model():
    model = models.Sequential()
    model.add(layers.Dense(4, input_shape=(3,)))
    return model

model = build_model()
model.add(layers.Dense(2))
model.fit(x, y)
`;
    const { models } = analyze(src);
    assert.deepEqual(
      models.map((m) => [m.name, m.line, m.layers.map((l) => l.outputShape), m.totalParams]),
      [
        [
          'model',
          4,
          [
            [null, 4],
            [null, 2],
          ],
          26,
        ],
      ],
    );
  });

  it('text inside strings and comments is never a model', () => {
    const src = `# model = keras.Sequential([layers.Dense(3)])
doc = """
model = keras.Sequential()
model.add(layers.Dense(3))
"""
s = 'keras.Sequential([Dense(1)])'
`;
    assert.deepEqual(analyze(src).models, []);
  });

  it('code next to a string that mentions models, and a model built inside an f-string, are still read', () => {
    const src = `from tensorflow import keras
from tensorflow.keras import layers
size = 4
print(f"{keras.Sequential([keras.Input((size,)), layers.Dense(3)]).count_params()} parameters")
note = "keras.Sequential() with model.add(" ; net = keras.Sequential([keras.Input((2,)), layers.Dense(5)])
`;
    assert.deepEqual(
      analyze(src).models.map((m) => m.totalParams),
      [15, 15],
    );
  });

  it('input shape from keras.Input as first element, which is not listed as a layer', () => {
    const m = onlyModel('import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(8, 3)])');
    assert.deepEqual(m.inputShape, [null, 28, 28, 1]);
    assert.equal(m.layers.length, 1);
    assert.deepEqual(m.layers[0].outputShape, [null, 26, 26, 8]);
  });

  it('input shape from InputLayer(input_shape=...) and InputLayer(shape=...)', () => {
    for (const arg of ['input_shape=(10,)', 'shape=(10,)']) {
      const m = onlyModel(`from keras import layers, models\nm = models.Sequential([layers.InputLayer(${arg}), layers.Dense(2)])`);
      assert.deepEqual(m.layers[0].outputShape, [null, 2], arg);
      assert.equal(m.totalParams, 22);
    }
  });

  it('input shape from input_dim, batch_input_shape and Input(batch_size=...)', () => {
    assert.deepEqual(onlyModel('from keras import layers, models\nm = models.Sequential([layers.Dense(2, input_dim=7)])').layers[0].outputShape, [null, 2]);
    assert.deepEqual(
      onlyModel('from keras import layers, models\nm = models.Sequential([layers.Dense(2, batch_input_shape=(16, 7))])').layers[0].outputShape,
      [16, 2],
    );
    assert.deepEqual(
      onlyModel('import keras\nm = keras.Sequential([keras.Input(shape=(7,), batch_size=4), keras.layers.Dense(2)])').layers[0].outputShape,
      [4, 2],
    );
  });

  it('input shape from model.build((None, ...))', () => {
    const m = onlyModel('from keras import layers, models\nm = models.Sequential()\nm.add(layers.Dense(3))\nm.build((None, 5))\n');
    assert.deepEqual(m.inputShape, [null, 5]);
    assert.equal(m.totalParams, 18);
  });

  it('input shape from a `# layerlens: input_shape=(...)` comment above the model', () => {
    const m = onlyModel('from keras import layers, models\n# layerlens: input_shape=(28, 28, 1)\nm = models.Sequential([layers.Conv2D(4, 3)])\n');
    assert.deepEqual(m.layers[0].outputShape, [null, 26, 26, 4]);
    assert.deepEqual(codes(m), []);
  });

  it('without an input shape: parameters that do not depend on it, an information diagnostic, and the model warning that it is not fully known', () => {
    const m = onlyModel('from keras import layers, models\nm = models.Sequential([layers.Embedding(1000, 16), layers.Dense(4)])');
    assert.equal(m.layers[0].params, 16000);
    const n = analyze('from keras import layers, models\nn = models.Sequential([layers.Dense(4)])').models[0];
    assert.equal(n.layers[0].params, null);
    assert.equal(n.layers[0].outputShape, null);
    assert.deepEqual(codes(n), ['missing-input-shape', 'incomplete-model']);
    assert.equal(n.diagnostics[0].severity, 'information');
    assert.equal(n.diagnostics[1].severity, 'warning');
  });

  it('constants, tuples, negative numbers and arithmetic at module and function level', () => {
    const src = `from keras import layers, models
IMG = 28
CHANNELS = 1
SHAPE = (IMG, IMG, CHANNELS)
FILTERS = [16, 32]
def build():
    k = 2 + 1
    half = IMG // 2
    m = models.Sequential()
    m.add(layers.Conv2D(FILTERS[0] * 2, (k, k), padding="same", input_shape=SHAPE))
    m.add(layers.Reshape((half * 2 * IMG, -1)))
    m.add(layers.Dense(FILTERS[-1] - 2 ** 2))
    return m
`;
    const m = onlyModel(src);
    assert.deepEqual(
      m.layers.map((l) => l.outputShape),
      [
        [null, 28, 28, 32],
        [null, 784, 32],
        [null, 784, 28],
      ],
    );
  });

  it('keyword or positional arguments in Keras order', () => {
    const a = onlyModel("from keras import layers, models\nm = models.Sequential([layers.Conv2D(8, 3, 2, 'same', input_shape=(9, 9, 1))])");
    const b = onlyModel(
      "from keras import layers, models\nm = models.Sequential([layers.Conv2D(kernel_size=3, filters=8, padding='same', strides=2, input_shape=(9, 9, 1))])",
    );
    assert.deepEqual(a.layers[0].outputShape, [null, 5, 5, 8]);
    assert.deepEqual(b.layers[0].outputShape, [null, 5, 5, 8]);
  });

  it('an unresolvable value makes what depends on it null, with a diagnostic naming the expression', () => {
    const m = onlyModel(
      'from keras import layers, models\nimport numpy as np\nn = np.random.randint(10)\nm = models.Sequential([layers.Dense(n, input_shape=(4,)), layers.Dense(2)])',
    );
    assert.deepEqual(m.layers[0].outputShape, [null, null]);
    assert.equal(m.layers[0].params, null);
    assert.equal(m.layers[1].params, null);
    const d = m.diagnostics.find((x) => x.code === 'unresolved-value');
    assert.ok(d);
    assert.match(d.message, /`n`|np\.random\.randint\(10\)/);
    assert.equal(d.severity, 'information');
  });

  it('a loop over values that cannot be known: its variable is unknown, and layers added in it make later shapes uncertain', () => {
    const m = onlyModel(
      'from keras import layers, models\nimport json\nm = models.Sequential([layers.Input((8,))])\nfor u in json.load(open("sizes.json")):\n    m.add(layers.Dense(u))\nm.add(layers.Dense(1))',
    );
    assert.ok(codes(m).includes('conditional-layer'));
    assert.equal(m.layers[1].outputShape, null);
    assert.ok(m.diagnostics.some((d) => d.code === 'unresolved-value' && d.message.includes('`u`')));
  });

  it('a Jupyter notebook: code cells in order as one program, positions mapped back to cells', () => {
    const nb = {
      cells: [
        { cell_type: 'markdown', source: ['# MNIST'] },
        { cell_type: 'code', source: ['%matplotlib inline\n', 'from keras import layers, models\n', 'IMG = 28'] },
        { cell_type: 'code', source: 'model = models.Sequential()\nmodel.add(layers.Conv2D(32, (3, 3), input_shape=(IMG, IMG, 1)))' },
        { cell_type: 'code', source: ['!pip list\n', 'model.add(layers.MaxPooling2D((2, 2)))\n', 'model.add(layers.Dense(5, x=1, y=2, z=3))'] },
      ],
    };
    const { models } = analyze(JSON.stringify(nb), { fileName: 'book.ipynb' });
    assert.equal(models.length, 1);
    const m = models[0];
    assert.deepEqual(
      m.layers.map((l) => l.outputShape),
      [
        [null, 26, 26, 32],
        [null, 13, 13, 32],
        [null, 13, 13, 5],
      ],
    );
    assert.deepEqual(m.range.cell, 2);
    assert.deepEqual(m.layers[0].range, { start: { line: 2, column: 11 }, end: { line: 2, column: 63 }, cell: 2 });
    assert.deepEqual(m.layers[1].range.cell, 3);
    assert.equal(m.layers[1].range.start.line, 2);
  });

  it('analyzeCells takes the cells an editor hands over', () => {
    const r = analyzeCells([
      { index: 0, text: 'from keras import layers, models\nmodel = models.Sequential()' },
      { index: 4, text: 'model.add(layers.Dense(3, input_shape=(2,)))' },
    ]);
    assert.equal(r.models[0].totalParams, 9);
    assert.equal(r.models[0].layers[0].range.cell, 4);
  });

  it('ranges are 1-based lines and columns of the layer call, the end column just past it', () => {
    const m = onlyModel(
      "from keras import layers, models\n\nmodel = models.Sequential()\nmodel.add(layers.Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)))\n",
    );
    assert.deepEqual(m.layers[0].range, { start: { line: 4, column: 11 }, end: { line: 4, column: 80 } });
  });
});
