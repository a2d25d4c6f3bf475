/**
 * Reading how the source trains a model (src/core/keras/training.ts): the arguments of its `compile(...)` and
 * `fit(...)`, on code as the book and Keras' examples write it, and the defaults where the source says nothing.
 */
import { strict as assert } from 'node:assert';
import { analyze } from '../../src/core';
import { readTraining } from '../../src/core/keras/training';
import { readdirSync } from 'node:fs';
import { readNotebook } from '../../src/core/python/sourceText';
import { EXAMPLES, example } from './support/fixtures';

const only = (source: string) => {
  const { models } = analyze(source);
  assert.equal(models.length, 1, `one model, found ${models.length}`);
  return readTraining(source, models[0]);
};

describe('training setup read from compile() and fit()', () => {
  it("the book's convnet (§5.1 and its compile/fit): rmsprop at Keras' 0.001, categorical crossentropy, 5 epochs of 64", () => {
    const source = `${example('mnist_convnet.py')}
model.compile(optimizer='rmsprop', loss='categorical_crossentropy', metrics=['accuracy'])
model.fit(train_images, train_labels, epochs=5, batch_size=64)
`;
    const t = only(source);
    assert.deepEqual(
      {
        optimizer: t.optimizer,
        learningRate: t.learningRate,
        loss: t.loss,
        metrics: t.metrics,
        epochs: t.epochs,
        batchSize: t.batchSize,
        defaults: t.defaults,
      },
      {
        optimizer: 'rmsprop',
        learningRate: 0.001,
        loss: 'categorical_crossentropy',
        metrics: ['accuracy'],
        epochs: 5,
        batchSize: 64,
        defaults: ['learningRate'],
      },
    );
    assert.equal(t.compile?.start.line, 15);
    assert.equal(t.fit?.start.line, 16);
    assert.deepEqual(t.notes, []);
  });

  it('a model with neither call: Adam at 1e-3, one epoch of 64, the loss left to the head; every setting marked a default', () => {
    const t = only(example('mnist_convnet.py'));
    assert.equal(t.optimizer, 'adam');
    assert.equal(t.learningRate, 0.001);
    assert.equal(t.loss, null);
    assert.equal(t.epochs, 1);
    assert.equal(t.batchSize, 64);
    assert.deepEqual(t.defaults, ['optimizer', 'learningRate', 'loss', 'metrics', 'epochs', 'batchSize']);
    assert.equal(t.compile, null);
    assert.equal(t.fit, null);
  });

  it("a Functional model; an optimizer object with its rate from a constant; Keras' defaults where a call leaves an argument out", () => {
    const t = only(`import keras
from keras import layers
LEARNING_RATE = 3e-4
inputs = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(filters=32, kernel_size=3, activation="relu")(inputs)
x = layers.Flatten()(x)
outputs = layers.Dense(10)(x)
model = keras.Model(inputs=inputs, outputs=outputs)
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=LEARNING_RATE),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=[keras.metrics.SparseCategoricalAccuracy()],
)
history = model.fit(train_images, train_labels, epochs=3)
`);
    assert.equal(t.optimizer, 'adam');
    assert.equal(t.learningRate, 3e-4);
    assert.equal(t.loss, 'sparse_categorical_crossentropy');
    assert.equal(t.fromLogits, true);
    assert.deepEqual(t.metrics, ['sparse_categorical_accuracy']);
    assert.equal(t.epochs, 3);
    // Keras' fit() batches 32 samples when batch_size is not given.
    assert.equal(t.batchSize, 32);
    assert.deepEqual(t.defaults, ['batchSize']);
  });

  it('a model a function builds and compiles, fitted through the name its result is bound to; positional arguments', () => {
    const t = only(`from tensorflow import keras
from tensorflow.keras import layers

def build_model():
    model = keras.Sequential([layers.Flatten(input_shape=(28, 28)), layers.Dense(10, activation="softmax")])
    model.compile(keras.optimizers.SGD(0.05, 0.9), "sparse_categorical_crossentropy", metrics=["acc"])
    return model

net = build_model()
net.fit(x_train, y_train, 128, 2)
`);
    assert.deepEqual(
      [t.optimizer, t.learningRate, t.momentum, t.loss, t.metrics, t.batchSize, t.epochs],
      ['sgd', 0.05, 0.9, 'sparse_categorical_crossentropy', ['accuracy'], 128, 2],
    );
    assert.deepEqual(t.defaults, []);
  });

  it('compile() with no optimizer is RMSprop (Keras); an argument that is not a constant is named, and the default used', () => {
    const t = only(`import keras
from keras import layers
model = keras.Sequential([keras.Input((28, 28, 1)), layers.Flatten(), layers.Dense(10, activation="softmax")])
model.compile(loss="sparse_categorical_crossentropy")
model.fit(x, y, epochs=args.epochs, batch_size=None)
`);
    assert.equal(t.optimizer, 'rmsprop');
    assert.equal(t.epochs, 1);
    assert.equal(t.batchSize, 32);
    assert.deepEqual(t.notes, ['epochs=args.epochs could not be read: 1 is used.']);
    assert.deepEqual(t.defaults, ['optimizer', 'learningRate', 'metrics', 'epochs', 'batchSize']);
  });

  it("calls on the same name after it is bound to another model are that model's, not this one's", () => {
    const source = `import keras
from keras import layers
model = keras.Sequential([keras.Input((28, 28, 1)), layers.Flatten(), layers.Dense(10, activation="softmax")], name="first")
model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
model = keras.Sequential([keras.Input((28, 28, 1)), layers.Flatten(), layers.Dense(10, activation="softmax")], name="second")
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x, y, epochs=4)
`;
    const { models } = analyze(source);
    const [first, second] = models.map((m) => readTraining(source, m));
    assert.deepEqual([first.optimizer, first.epochs, first.fit], ['sgd', 1, null]);
    assert.deepEqual([second.optimizer, second.epochs], ['adam', 4]);
  });

  it("a notebook's cells: compile and fit in later cells, their ranges in those cells", () => {
    const cells = [
      { index: 0, text: 'import keras\nfrom keras import layers\n' },
      { index: 2, text: 'model = keras.Sequential([keras.Input((28, 28, 1)), layers.Flatten(), layers.Dense(10, activation="softmax")])\n' },
      { index: 3, text: 'model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])\n' },
      { index: 5, text: '%time\nmodel.fit(x, y, epochs=2, batch_size=16)\n' },
    ];
    const { models } = analyze(cells.map((c) => c.text).join('\n'));
    // The model's range, as the notebook's analysis gives it: in cell 2.
    const model = { ...models[0], range: { ...models[0].range, start: { line: 1, column: 9 }, cell: 2 } };
    const t = readTraining(cells, model);
    assert.deepEqual([t.optimizer, t.epochs, t.batchSize], ['adam', 2, 16]);
    assert.equal(t.compile?.cell, 3);
    assert.deepEqual([t.fit?.cell, t.fit?.start.line], [5, 2]);
  });

  it('half-typed calls and every example file: a setup every time, never an exception', () => {
    const base = `import keras
from keras import layers
model = keras.Sequential([keras.Input((28, 28, 1)), layers.Flatten(), layers.Dense(10, activation="softmax")])
`;
    const halves = [
      'model.compile(',
      'model.compile(optimizer=',
      'model.fit(x, epochs=',
      'model.fit(x, y, batch_size=-3, epochs=0.5)',
      'model.compile(**kw)\nmodel.fit(*a)',
    ];
    for (const tail of halves) {
      const t = only(base + tail + '\n');
      assert.ok(t.epochs >= 1 && t.batchSize >= 1 && t.learningRate > 0, tail);
    }
    assert.deepEqual(only(`${base}model.fit(x, y, batch_size=-3, epochs=0.5)\n`).notes, [
      'epochs=0.5 is not a positive whole number: 1 is used.',
      'batch_size=-3 is not a positive whole number: 32 is used.',
    ]);
    for (const file of readdirSync(EXAMPLES).filter((f) => f.endsWith('.py') || f.endsWith('.ipynb'))) {
      const text = example(file);
      const source = file.endsWith('.ipynb') ? readNotebook(text) : text;
      for (const m of analyze(text, { fileName: file }).models) assert.ok(readTraining(source, m).optimizer, file);
    }
  });
});
