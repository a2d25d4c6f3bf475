/**
 * Training that loses its backend part-way (webview/train/trainer.ts's Recovery; in the page, a lost WebGL context):
 * the trainer gives up the batch under way, which never ends, and goes on from its copy of the weights and the
 * optimizer's state on a model built again, with the same samples in the same order. Checked against the same
 * training without the loss, on tfjs' CPU backend with the real digits: every batch's loss, the validation and the
 * final weights agree (to float32 rounding, 1e-5), for each optimizer tfjs has (Adam's bias correction and Adamax's
 * step counter need the step it had reached), and no tensor is left behind.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type * as tfl from '@tensorflow/tfjs-layers';
import { analyze, readTraining } from '../../src/core';
import { toPreviewModel } from '../../src/panel/previewModel';
import type { PreviewModel } from '../../src/protocol';
import { ModelRunner } from '../../webview/tfjs/runner';
import { decodeDigits, gunzip, type Digits } from '../../webview/train/digits';
import { trainingPlan } from '../../webview/train/fit';
import { Trainer, type Recovery } from '../../webview/train/trainer';

const source = (optimizer: string) => `import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(4, 3, activation="relu"),
    layers.BatchNormalization(),
    layers.MaxPooling2D(2),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer=${optimizer}, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=3, batch_size=16)
`;

function preview(text: string): PreviewModel {
  const [model] = analyze(text).models;
  return { ...toPreviewModel(model, 'test#model'), training: readTraining(text, model) };
}

function built(model: PreviewModel): ModelRunner {
  const runner = new ModelRunner();
  assert.equal(runner.build(model).stopReason, null);
  return runner;
}

/** 64 training digits in batches of 16, three times: 12 batches, 4 an epoch. */
const BUDGET = { trainSamples: 64, validationSamples: 50 };

interface Run {
  losses: number[];
  validation: number[];
  weights: Float32Array[];
  tensorsAfterEpochs: number[];
  trainer: Trainer;
}

/** Trains the model; with `loseAfter`, the backend is lost once that many batches are done, while the next is under way. */
async function train(model: PreviewModel, digits: Digits, loseAfter: number | null): Promise<Run> {
  const plan = trainingPlan(model, model.training!);
  assert.equal(plan.mismatch, null);
  let runner = built(model);
  const first = runner.trainingModel()!;
  let lost = false;
  let announce: (why: string) => void = () => undefined;
  const recovery: Recovery = {
    lost: new Promise<string>((resolve) => (announce = resolve)),
    isLost: () => lost,
    rebuild: async () => {
      // As the page does: the lost backend's model is let go of, and the model built again (initial weights).
      runner.dispose();
      runner = built(model);
      return runner.trainingModel();
    },
  };
  const tensorsAfterEpochs: number[] = [];
  const trainer: Trainer = new Trainer({
    model: first,
    inputShape: [28, 28, 1],
    digits,
    settings: plan.settings,
    seed: 11,
    ...BUDGET,
    now: () => performance.now(),
    yieldToPage: () => new Promise((resolve) => setImmediate(resolve)),
    onProgress: () => {
      if (loseAfter === null || lost || trainer.batches.length !== loseAfter) return;
      // The next batch never ends, as tfjs' reads never do on a lost WebGL context; the loss is announced a moment later.
      lost = true;
      (first as tfl.LayersModel).trainOnBatch = () => new Promise(() => undefined);
      setTimeout(() => announce('WebGL context was lost'), 20);
    },
    onEpoch: () => tensorsAfterEpochs.push(tf.memory().numTensors),
    recovery,
  });
  assert.equal(await trainer.run(), 'done');
  const weights = runner.trainingModel()!.weights.map((w) => Float32Array.from(w.read().dataSync() as Float32Array));
  trainer.dispose();
  runner.dispose();
  return { losses: trainer.batches.map((b) => b.loss), validation: trainer.epochValidation.map((v) => v.loss), weights, tensorsAfterEpochs, trainer };
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  assert.equal(a.length, b.length, `${what}: lengths`);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= 1e-5 * Math.max(1, Math.abs(b[i])), `${what}[${i}]: ${a[i]} against ${b[i]}`);
}

describe('training goes on after its backend is lost (tfjs CPU backend)', function () {
  this.timeout(120_000);
  let digits: Digits;

  before(async () => {
    await tf.setBackend('cpu');
    digits = decodeDigits(await gunzip(new Uint8Array(readFileSync(join(__dirname, '..', '..', 'dist', 'mnist.bin.gz')))));
  });

  const optimizers = [
    ['adam', 'keras.optimizers.Adam(learning_rate=0.01)'],
    ['rmsprop', '"rmsprop"'],
    ['sgd with momentum', 'keras.optimizers.SGD(learning_rate=0.05, momentum=0.9)'],
    ['adamax', 'keras.optimizers.Adamax(learning_rate=0.01)'],
    ['adagrad', 'keras.optimizers.Adagrad(learning_rate=0.05)'],
    ['adadelta', 'keras.optimizers.Adadelta(learning_rate=1.0)'],
  ];
  for (const [name, optimizer] of optimizers)
    it(`${name}: lost during batch 6 (epoch 2), it trains on from its copy exactly as it would have without the loss`, async () => {
      const model = preview(source(optimizer));
      const start = tf.memory().numTensors;
      const plain = await train(model, digits, null);
      const recovered = await train(model, digits, 5);
      assert.equal(tf.memory().numTensors, start, 'nothing left behind');
      const r = recovered.trainer.recovered;
      assert.ok(r, 'it recovered');
      assert.equal(r.why, 'WebGL context was lost');
      assert.equal(r.batches, 5);
      assert.ok(r.retrained >= 0 && r.retrained <= 5, `retrained ${r.retrained}`);
      assert.equal(recovered.losses.length, 12, 'every batch of the three epochs, once');
      close(recovered.losses, plain.losses, 'batch losses');
      close(recovered.validation, plain.validation, 'validation losses');
      recovered.weights.forEach((w, i) => close(w, plain.weights[i], `weight ${i}`));
      // The loss right after the switch follows on from the loss before it, far from an untrained model's ln(10).
      assert.ok(Math.abs(recovered.losses[5] - Math.log(10)) > 0.3, `the loss after the switch ${recovered.losses[5]}`);
      assert.deepEqual(recovered.tensorsAfterEpochs, plain.tensorsAfterEpochs, 'the same tensors after each epoch, loss or not');
    });
});
