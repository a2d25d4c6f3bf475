/**
 * Training on the real bundled digits with tfjs' CPU backend in Node (webview/train/trainer.ts), from models and
 * settings as the source writes them: the loss falls and the accuracy rises well above chance on held-out digits
 * within a small budget, no tensor stays behind from one epoch to the next, and a loss that blows up stops with a
 * message about the learning rate. Seeded: the digits' order and the initial weights are the same on every run.
 * Margins are stated with each assertion; no time is asserted.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { analyze, readTraining } from '../../src/core';
import { toPreviewModel } from '../../src/panel/previewModel';
import type { PreviewModel } from '../../src/protocol';
import { ModelRunner } from '../../webview/tfjs/runner';
import { decodeDigits, gunzip, type Digits } from '../../webview/train/digits';
import { trainingPlan } from '../../webview/train/fit';
import { Trainer } from '../../webview/train/trainer';

export async function shippedDigits(): Promise<Digits> {
  return decodeDigits(await gunzip(new Uint8Array(readFileSync(join(__dirname, '..', '..', 'dist', 'mnist.bin.gz')))));
}

/** The source's only model as the preview gets it (with its training setup), and a runner built for it. */
export function previewOf(source: string): { preview: PreviewModel; runner: ModelRunner } {
  const [model] = analyze(source).models;
  const preview = { ...toPreviewModel(model, 'test#model'), training: readTraining(source, model) };
  const runner = new ModelRunner();
  assert.equal(runner.build(preview).stopReason, null);
  return { preview, runner };
}

function trainerFor(source: string, digits: Digits, budget: { trainSamples: number; validationSamples: number }, onEpoch?: (e: number) => void) {
  const { preview, runner } = previewOf(source);
  const plan = trainingPlan(preview, preview.training!);
  assert.equal(plan.mismatch, null);
  const model = runner.trainingModel();
  assert.ok(model);
  const builtTensors = tf.memory().numTensors;
  const trainer = new Trainer({
    model,
    inputShape: preview.inputShape!.slice(1) as number[],
    digits,
    settings: plan.settings,
    seed: 7,
    ...budget,
    now: () => performance.now(),
    yieldToPage: () => new Promise((resolve) => setImmediate(resolve)),
    onProgress: () => {},
    onEpoch,
  });
  return { trainer, runner, plan, builtTensors };
}

const MLP = `import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(784,)),
    layers.Dense(64, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.003), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=2, batch_size=32)
`;

describe('training on the bundled digits (tfjs CPU backend)', function () {
  this.timeout(60_000);
  let digits: Digits;

  before(async () => {
    await tf.setBackend('cpu');
    digits = await shippedDigits();
  });

  it('a dense network on flattened digits, as its compile/fit say: the loss falls by over 1.0 and held-out accuracy passes 60% (chance: 10%)', async () => {
    const { trainer, runner, plan } = trainerFor(MLP, digits, { trainSamples: 640, validationSamples: 500 });
    assert.deepEqual(plan.settings, { optimizer: 'adam', learningRate: 0.003, momentum: 0, logits: false, batchSize: 32, epochs: 2 });
    const before = await trainer.validate(500);
    assert.equal(await trainer.run(), 'done');
    trainer.dispose();
    runner.dispose();
    // 640 digits in batches of 32, twice.
    assert.equal(trainer.batches.length, 40);
    assert.equal(trainer.seen, 1280);
    const first = trainer.batches[0].loss;
    // Untrained, the loss is about ln(10) = 2.30, and accuracy about chance.
    assert.ok(Math.abs(first - Math.log(10)) < 0.5, `first batch's loss ${first}`);
    assert.ok(before.accuracy < 0.25, `accuracy before training ${before.accuracy}`);
    const lastEpoch = trainer.epochs[1];
    assert.ok(lastEpoch.loss < first - 1.0, `the last epoch's mean loss ${lastEpoch.loss} against the first batch's ${first}`);
    const held = trainer.epochValidation[1];
    assert.ok(held.accuracy > 0.6, `validation accuracy ${held.accuracy} on 500 held-out digits`);
    assert.ok(held.loss < before.loss - 1.0, `validation loss ${held.loss}, ${before.loss} before`);
  });

  it('a convnet with batch normalization and dropout: tf.memory().numTensors is the same after every epoch, and back where it was once disposed', async () => {
    const counts: number[] = [];
    const start = tf.memory().numTensors;
    const { trainer, runner, builtTensors } = trainerFor(
      `import keras
from keras import layers
model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(4, 3, activation="relu"),
    layers.BatchNormalization(),
    layers.MaxPooling2D(2),
    layers.Dropout(0.25),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
model.fit(x, y, epochs=3, batch_size=32)
`,
      digits,
      { trainSamples: 64, validationSamples: 50 },
      () => counts.push(tf.memory().numTensors),
    );
    assert.equal(await trainer.run(), 'done');
    assert.equal(counts.length, 3);
    assert.deepEqual(counts, [counts[0], counts[0], counts[0]], `tensors after each epoch: ${counts}`);
    trainer.dispose();
    assert.equal(tf.memory().numTensors, builtTensors, "the optimizer's state is freed; the model's weights stay");
    runner.dispose();
    assert.equal(tf.memory().numTensors, start);
  });

  it('a loss that is no longer a number stops training, with a message about the learning rate', async () => {
    const { trainer, runner } = trainerFor(
      MLP.replace('keras.optimizers.Adam(learning_rate=0.003)', 'keras.optimizers.SGD(learning_rate=1e12)')
        .replace('layers.Dense(10, activation="softmax")', 'layers.Dense(10)')
        .replace('loss="sparse_categorical_crossentropy"', 'loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)'),
      digits,
      { trainSamples: 320, validationSamples: 50 },
    );
    assert.equal(await trainer.run(), 'nan');
    trainer.dispose();
    runner.dispose();
    assert.match(trainer.message ?? '', /learning rate \(1000000000000\) is probably too high/);
    assert.ok(trainer.batches.length < 10, `stopped after ${trainer.batches.length} batches`);
  });
});
