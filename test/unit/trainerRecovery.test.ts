/**
 * Training that loses its backend part-way (webview/train/trainer.ts's Recovery; in the page, a lost WebGL context):
 * the trainer gives up the batch under way, which never ends, and goes on from its copy of the weights and the
 * optimizer's state on a model built again, with the same samples in the same order. Checked against the same
 * training without the loss, on tfjs' CPU backend with the real digits: every batch's loss, the validation and the
 * final weights agree (to float32 rounding, 1e-5; what training moved each weight by, to 0.01% of its largest move), for each optimizer tfjs has (Adam's bias correction and Adamax's
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

/** A convnet with batch normalization (its moving statistics are weights a copy must carry too). */
const convnet = (optimizer: string) => `import keras
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

/** The same on flattened digits, quicker on tfjs' CPU backend: one per optimizer. */
const dense = (optimizer: string) => `import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(784,)),
    layers.Dense(16, activation="relu"),
    layers.BatchNormalization(),
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
  /** What training changed: the final weights less the initial ones (seeded: the same for both runs). */
  moved: Float32Array[];
  tensorsAfterEpochs: number[];
  trainer: Trainer;
}

/** Trains the model; with `loseAfter`, the backend is lost once that many batches are done, while the next is under way. */
async function train(model: PreviewModel, digits: Digits, loseAfter: number | null, snapshotEvery = 1): Promise<Run> {
  const plan = trainingPlan(model, model.training!);
  assert.equal(plan.mismatch, null);
  let runner = built(model);
  const first = runner.trainingModel()!;
  const initial = first.weights.map((w) => Float32Array.from(w.read().dataSync() as Float32Array));
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
    inputShape: model.inputShape!.slice(1) as number[],
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
    // By epoch: an epoch's end trained again after the loss (from a copy taken before it) counts once.
    onEpoch: (epoch) => (tensorsAfterEpochs[epoch] = tf.memory().numTensors),
    recovery,
    snapshotEvery,
  });
  assert.equal(await trainer.run(), 'done');
  const weights = runner.trainingModel()!.weights.map((w) => Float32Array.from(w.read().dataSync() as Float32Array));
  trainer.dispose();
  runner.dispose();
  const moved = weights.map((w, i) => w.map((v, k) => v - initial[i][k]));
  return {
    losses: trainer.batches.map((b) => b.loss),
    validation: trainer.epochValidation.map((v) => v.loss),
    weights,
    moved,
    tensorsAfterEpochs,
    trainer,
  };
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
  // A copy after every batch: the copy of batch 5 carries the optimizer's state after 5 steps. A copy every 3 batches:
  // the copy of batch 3 (epoch 1), batches 4 and 5 trained again, the end of epoch 1 with them.
  const cases: [string, string, number, number][] = [
    ...optimizers.map(([name, optimizer]): [string, string, number, number] => [`a dense network with batch normalization, ${name}`, dense(optimizer), 1, 0]),
    ['a convnet with batch normalization, adam, a copy every 3 batches', convnet(optimizers[0][1]), 3, 2],
  ];
  for (const [name, text, every, retrained] of cases)
    it(`${name}: lost during batch 6 (epoch 2), it trains on from its copy exactly as it would have without the loss`, async () => {
      const model = preview(text);
      const start = tf.memory().numTensors;
      const plain = await train(model, digits, null);
      const recovered = await train(model, digits, 5, every);
      assert.equal(tf.memory().numTensors, start, 'nothing left behind');
      const r = recovered.trainer.recovered;
      assert.ok(r, 'it recovered');
      assert.equal(r.why, 'WebGL context was lost');
      assert.equal(r.batches, 5);
      assert.equal(r.retrained, retrained);
      assert.equal(recovered.losses.length, 12, 'every batch of the three epochs, once');
      close(recovered.losses, plain.losses, 'batch losses');
      close(recovered.validation, plain.validation, 'validation losses');
      recovered.weights.forEach((w, i) => close(w, plain.weights[i], `weight ${i}`));
      // And what training changed in each weight, to 0.01% of its largest change. (Adadelta as tfjs computes it steps
      // about as SGD does once its two accumulators are alike, so a state not carried hardly shows there; the others'
      // losses differ by 0.01 or more from batch 7 when it is not carried.)
      recovered.moved.forEach((m, i) => {
        const scale = plain.moved[i].reduce((a, v) => Math.max(a, Math.abs(v)), 0);
        const worst = m.reduce((a, v, k) => Math.max(a, Math.abs(v - plain.moved[i][k])), 0);
        assert.ok(worst <= 1e-4 * scale + 1e-7, `weight ${i}: moved differently by up to ${worst}, against moves of up to ${scale}`);
      });
      // The loss right after the switch follows on from the loss before it, far from an untrained model's ln(10).
      assert.ok(Math.abs(recovered.losses[5] - Math.log(10)) > 0.3, `the loss after the switch ${recovered.losses[5]}`);
      assert.deepEqual(recovered.tensorsAfterEpochs, plain.tensorsAfterEpochs, `the same tensors after each epoch, loss or not (${r.retrained} retrained)`);
    });
});
