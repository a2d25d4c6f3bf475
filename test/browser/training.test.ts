/**
 * Training in the activation webview, in headless Chromium with WebGL (SwiftShader): the page fetches the bundled
 * digits under its CSP, trains a convnet with the settings its compile/fit give, and shows the curves,
 * the first convolution's kernels and the progress; the loss falls and the accuracy passes chance by a stated margin
 * (the digits' order and the initial weights are seeded). No time is asserted.
 */
import { strict as assert } from 'node:assert';
import type { Browser } from 'playwright-core';
import { analyze, readTraining } from '../../src/core';
import { toPreviewModel } from '../../src/panel/previewModel';
import { isWebviewMessage, type HostMessage, type WebviewMessage } from '../../src/protocol';
import { launch, openWebview } from './support/webviewPage';

/**
 * A convnet of the book's shape, smaller, to keep the test short on a loaded machine (WASM trains the book's own at
 * a few hundred digits per second here; the bench measures it).
 */
const SOURCE = `from keras import layers
from keras import models

model = models.Sequential()
model.add(layers.Conv2D(8, (3, 3), activation='relu', input_shape=(28, 28, 1)))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Flatten())
model.add(layers.Dense(10, activation='softmax'))

model.compile(optimizer='rmsprop', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(train_images, train_labels, epochs=1, batch_size=32)
`;

function convnetWithTraining(): HostMessage {
  const [model] = analyze(SOURCE).models;
  return { type: 'model', model: { ...toPreviewModel(model, 'test#model'), training: readTraining(SOURCE, model) }, memoryLimitMB: 1024 };
}

interface Curves {
  status: string;
  batches: { loss: number; accuracy: number }[];
  validation: number;
}

describe('training in the webview (Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => browser?.close());

  it('trains a small convnet on the bundled digits: the curves and kernels show, the loss falls, the accuracy passes chance; Stop keeps the weights', async () => {
    const w = await openWebview(browser);
    await w.waitForPosted('ready');
    await w.send(convnetWithTraining());
    await w.waitForPosted('status');
    const app = () => w.page.locator('ll-app');
    const settings = await app().locator('.training .settings').textContent();
    assert.match(
      settings ?? '',
      /^rmsprop · learning rate 0.001 \(default\) · sparse categorical crossentropy · batch 32 · 1 epoch — from compile at line 10, fit at line 11$/,
    );
    // WebGL is drawn in software here (SwiftShader): Train moves the model to WASM, which trains far faster, and says so.
    assert.equal((await app().locator('.badge').textContent())?.trim(), 'webgl');
    await app().getByRole('button', { name: 'Train', exact: true }).click();
    await app().locator('.training-backend', { hasText: 'Training on WASM, which trains faster here than WebGL.' }).waitFor({ timeout: 30_000 });
    assert.equal((await app().locator('.badge').textContent())?.trim(), 'wasm');
    assert.match(
      (await app().locator('.badge').getAttribute('title')) ?? '',
      /WebAssembly with SIMD, 1 thread \(threads need cross-origin isolation, which a VS Code webview does not have\)/,
    );
    const curves = () =>
      w.page.evaluate((): Curves => {
        const t = (
          document.querySelector('ll-app') as unknown as { training: { status: string; trainer: { batches: Curves['batches']; validation: unknown[] } | null } }
        ).training;
        return { status: t.status, batches: t.trainer?.batches ?? [], validation: t.trainer?.validation.length ?? 0 };
      });
    // 40 batches of 32: 1,280 digits. Then Stop.
    const deadline = Date.now() + 100_000;
    let seen = await curves();
    while (seen.batches.length < 40 && Date.now() < deadline) {
      await w.page.waitForTimeout(500);
      seen = await curves();
    }
    assert.ok(seen.batches.length >= 40, `trained ${seen.batches.length} batches (${seen.status})`);
    assert.equal(seen.status, 'running');
    const progress = (await app().locator('.training progress + .muted').textContent())?.replace(/\s+/g, ' ').trim();
    assert.match(progress ?? '', /epoch 1 of 1 · [\d,]+ of 9,000 digits · \d+ digits\/s · .+ left/);
    const paths = await app().locator('.training svg path.batch').count();
    assert.equal(paths, 2, 'a loss and an accuracy curve');
    assert.equal(await app().locator('ll-kernels canvas').count(), 8, "the first convolution's 8 filters");
    await w.page.screenshot({ path: 'test-results/webview-training.png', fullPage: false });
    await app().getByRole('button', { name: 'Stop' }).click();
    await w.page.waitForFunction(() => (document.querySelector('ll-app') as unknown as { training: { status: string } }).training.status === 'stopped');
    const done = await curves();
    const first = done.batches[0].loss;
    const last10 = done.batches.slice(-10);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // Untrained: about ln(10) = 2.3 and 10% accuracy.
    assert.ok(Math.abs(first - Math.log(10)) < 0.5, `first batch's loss ${first}`);
    assert.ok(mean(last10.map((b) => b.loss)) < first - 1.0, `the last 10 batches' mean loss ${mean(last10.map((b) => b.loss))}, the first ${first}`);
    assert.ok(mean(last10.map((b) => b.accuracy)) > 0.6, `the last 10 batches' mean accuracy ${mean(last10.map((b) => b.accuracy))}`);
    assert.ok(done.validation >= 1, 'validation on held-out digits every 25 batches');
    assert.match(
      (await app().locator('.controls').textContent())?.replace(/\s+/g, ' ') ?? '',
      /Weights: trained here on [\d,]+ MNIST digits, validation accuracy \d+\.\d%/,
    );
    // Save weights…: the trained weights go to the host by layer name, in Keras' order, valid as the host checks them.
    await app().getByRole('button', { name: 'Save weights…' }).click();
    const saved = await w.waitForPosted('saveWeights');
    assert.ok(isWebviewMessage(saved));
    assert.deepEqual(
      (saved as Extract<WebviewMessage, { type: 'saveWeights' }>).layers.map((l) => [l.layer, l.tensors.map((t) => t.shape)]),
      [
        ['conv2d', [[3, 3, 1, 8], [8]]],
        ['dense', [[1352, 10], [10]]],
      ],
    );
    // WASM, under the page's CSP ('wasm-unsafe-eval'): no violation, nothing fetched from outside.
    assert.deepEqual(await w.cspViolations(), []);
    assert.deepEqual(w.outsideRequests, []);
  });
});
