/**
 * A model too large to train in the preview is refused before anything is built or trained, from the core's
 * estimates (webview/train/fit.ts trainingRefusal, through webview/app/training.ts): an epoch of too many
 * multiply-accumulates (the core's count per sample, three times for the backward pass, times the training digits),
 * and training memory over the preview's limit (the core's parameters and per-sample bytes). A model within both
 * starts. The session is driven with a stand-in host whose runner fails the test if training reaches it.
 */
import { strict as assert } from 'node:assert';
import { analyze, readTraining } from '../../src/core';
import { formatCount } from '../../src/core/format';
import { toPreviewModel } from '../../src/panel/previewModel';
import type { PreviewModel } from '../../src/protocol';
import { TrainingSession, type TrainingHost } from '../../webview/app/training';
import type { ModelRunner } from '../../webview/tfjs/runner';
import type { Digits } from '../../webview/train/digits';
import { TRAIN_MACS_LIMIT, trainingRefusal } from '../../webview/train/fit';

const convnet = (filters: number) => `import keras
from keras import layers
model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(${filters}, 3, activation="relu"),
    layers.Conv2D(${filters}, 3, activation="relu"),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x_train, y_train, epochs=1, batch_size=32)
`;

function preview(source: string): PreviewModel {
  const [model] = analyze(source).models;
  return { ...toPreviewModel(model, 'test#model'), training: readTraining(source, model) };
}

/** The digits' split as the session sees it: 9,000 to train (no pixels are needed to be refused). */
const DIGITS = { train: { count: 9000 }, validation: { count: 1000 } } as unknown as Digits;

/** Runs the session's Train with a host whose runner must not be asked for a model to train. */
async function train(model: PreviewModel, memoryLimitMB: number): Promise<{ session: TrainingSession; reachedTraining: boolean }> {
  let reachedTraining = false;
  const runner = {
    trainingModel: () => {
      reachedTraining = true;
      return null;
    },
    firstKernel: () => null,
  } as unknown as ModelRunner;
  const host: TrainingHost = {
    runner,
    memoryLimitMB: () => memoryLimitMB,
    loadDigits: async () => DIGITS,
    now: () => 0,
    yieldToPage: async () => undefined,
    changed: () => undefined,
    redraw: () => undefined,
    trained: () => assert.fail('nothing was trained'),
    backend: () => ({ name: 'cpu', webglLost: false }),
    rebuild: () => null,
    switched: () => undefined,
  };
  const session = new TrainingSession(host, model);
  await session.start();
  return { session, reachedTraining };
}

describe('a model too large to train here is refused before it starts, from the core’s estimates', () => {
  it('an epoch over TRAIN_MACS_LIMIT multiply-accumulates (the core’s count × 3 × 9,000 digits): hours, refused with the numbers', async () => {
    const model = preview(convnet(512));
    assert.ok(model.macs !== null && model.macs * 3 * 9000 > TRAIN_MACS_LIMIT, `${model.macs} per digit`);
    const { session, reachedTraining } = await train(model, 1024);
    assert.equal(session.status, 'failed');
    assert.equal(reachedTraining, false, 'refused before the model to train was asked for');
    assert.equal(session.trainer, null);
    assert.equal(
      session.message,
      `An epoch of "model" on the 9,000 training digits is about ${(model.macs * 3 * 9000).toExponential(1)} multiply-accumulates (three times a run's ${formatCount(model.macs)} per digit): hours in the preview. Train a smaller model here.`,
    );
  });

  it('training memory over the limit (the core’s weights × 4 for gradients and Adam’s slots, and a batch’s activations): refused with the numbers', async () => {
    const model = preview(convnet(64));
    assert.ok(model.totalParams !== null && model.estimatedBytes !== null);
    const activations = model.estimatedBytes - model.totalParams * 4;
    const mb = (model.totalParams * 16 + activations * 32 * 2) / (1024 * 1024);
    const limit = Math.floor(mb / 2);
    const { session, reachedTraining } = await train(model, limit);
    assert.equal(session.status, 'failed');
    assert.equal(reachedTraining, false);
    assert.equal(
      session.message,
      `Training "model" needs about ${mb.toFixed(0)} MB (${formatCount(model.totalParams)} weights with their gradients and optimizer state, and a batch of 32's activations), over the preview's limit of ${limit} MB. Use a smaller batch_size in fit(...), or raise "layerlens.preview.memoryLimitMB".`,
    );
  });

  it('a model within both limits is not refused, and goes on to build its model to train', async () => {
    const model = preview(convnet(8));
    assert.equal(trainingRefusal(model, 32, 9000, 1024), null);
    const { session, reachedTraining } = await train(model, 1024);
    assert.equal(reachedTraining, true);
    // The stand-in runner has no model: the session says the preview could not build it (not a refusal).
    assert.match(session.message ?? '', /could not build every layer/);
  });
});
