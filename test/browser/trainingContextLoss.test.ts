/**
 * A WebGL context lost while the model trains on it, in the activation webview in headless Chromium: a real loss
 * (WEBGL_lose_context's loseContext() on every context the page made), not a simulated one. Training goes on on WASM
 * from the copy of its weights and optimizer state, and says so: the loss right after the switch follows on from
 * the loss before it (not an untrained model's ln(10)), the curves keep their points, the second epoch runs, and
 * nothing throws. No time is asserted.
 *
 * WebGL here is SwiftShader, which the page takes for slow and leaves for WASM when training starts (trainOn). To
 * train on WebGL, as on a machine with a GPU, the page is told another renderer name: the contexts, the training
 * and the loss are Chromium's own.
 */
import { strict as assert } from 'node:assert';
import type { Browser } from 'playwright-core';
import { analyze, readTraining } from '../../src/core';
import { toPreviewModel } from '../../src/panel/previewModel';
import type { HostMessage } from '../../src/protocol';
import { HARDWARE_RENDERER, launch, openWebview, RECORD_WEBGL } from './support/webviewPage';

const SOURCE = `from keras import layers
from keras import models

model = models.Sequential()
model.add(layers.Conv2D(8, (3, 3), activation='relu', input_shape=(28, 28, 1)))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Flatten())
model.add(layers.Dense(10, activation='softmax'))

model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(train_images, train_labels, epochs=2, batch_size=64)
`;

interface Seen {
  status: string;
  batches: { seen: number; loss: number }[];
  epochValidation: { accuracy: number }[];
  epoch: number;
}

describe('a WebGL context lost while training (Chromium)', function () {
  this.timeout(300_000);
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => browser?.close());

  it('training goes on on WASM from the weights and optimizer state it had reached, the curves keep their points, the epochs go on', async () => {
    const w = await openWebview(browser, undefined, `${RECORD_WEBGL}\n${HARDWARE_RENDERER}`);
    const errors: string[] = [];
    w.page.on('pageerror', (e) => errors.push(e.message));
    await w.waitForPosted('ready');
    const [model] = analyze(SOURCE).models;
    const message: HostMessage = {
      type: 'model',
      model: { ...toPreviewModel(model, 'test#model'), training: readTraining(SOURCE, model) },
      memoryLimitMB: 1024,
    };
    await w.send(message);
    assert.equal((await w.waitForPosted('status')).backend, 'webgl');
    const app = w.page.locator('ll-app');
    await app.getByRole('button', { name: 'Train', exact: true }).click();
    const seen = () =>
      w.page.evaluate((): Seen => {
        const t = (document.querySelector('ll-app') as unknown as { training: { status: string; trainer: Omit<Seen, 'status'> | null } }).training;
        return { status: t.status, batches: t.trainer?.batches ?? [], epochValidation: t.trainer?.epochValidation ?? [], epoch: t.trainer?.epoch ?? 0 };
      });
    const until = async (what: string, done: (s: Seen) => boolean, ms: number) => {
      const deadline = Date.now() + ms;
      let s = await seen();
      while (!done(s) && Date.now() < deadline) {
        await w.page.waitForTimeout(250);
        s = await seen();
      }
      assert.ok(done(s), `${what}: ${s.status}, ${s.batches.length} batches`);
      return s;
    };
    // 50 batches of 64 on WebGL: well under way, the loss well below ln(10).
    const before = await until('50 batches on WebGL', (s) => s.batches.length >= 50, 150_000);
    assert.equal(before.status, 'running');
    assert.equal((await app.locator('.badge').textContent())?.trim(), 'webgl', 'it trains on WebGL');
    const lost = await w.page.evaluate(() => {
      const contexts = (window as unknown as { __glContexts: WebGLRenderingContext[] }).__glContexts;
      contexts.forEach((gl) => gl.getExtension('WEBGL_lose_context')?.loseContext());
      return contexts.length;
    });
    assert.ok(lost > 0, 'tfjs made a WebGL context');
    const note = app.locator('.training-backend');
    await note.waitFor({ timeout: 60_000 });
    const said = (await note.textContent())?.trim() ?? '';
    console.log(`      ${said}`);
    const m =
      /^WebGL context was lost after (\d+) batches: training goes on on WASM from the weights and optimizer state of batch (\d+)( \(the \d+ batch(es)? since (is|are) trained again\))?\.$/.exec(
        said,
      );
    assert.ok(m, said);
    const lostAfter = Number(m[1]);
    const copy = Number(m[2]);
    assert.ok(lostAfter >= before.batches.length && copy <= lostAfter && copy >= 1, `lost after ${lostAfter}, copy of batch ${copy}`);
    assert.equal((await app.locator('.badge').textContent())?.trim(), 'wasm');
    assert.match((await app.locator('.notice').textContent()) ?? '', /WebGL context was lost: running on WASM\./);

    // 20 batches more, on WASM.
    const after = await until('20 batches on WASM', (s) => s.batches.length >= copy + 20, 120_000);
    const losses = after.batches.map((b) => b.loss);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const beforeSwitch = mean(losses.slice(copy - 5, copy));
    const afterSwitch = mean(losses.slice(copy, copy + 5));
    // Untrained, the loss is about ln(10) = 2.30; after 50 batches of Adam it is well below (the first 5's mean
    // against the last 5's before the switch). Carried weights go on from there: within 0.3 of it, over 0.8 below ln(10).
    console.log(
      `      loss: first 5 batches ${mean(losses.slice(0, 5)).toFixed(3)}, 5 before the switch ${beforeSwitch.toFixed(3)}, 5 after ${afterSwitch.toFixed(3)}`,
    );
    assert.ok(mean(losses.slice(0, 5)) - beforeSwitch > 0.8, `the loss fell before the switch: ${mean(losses.slice(0, 5))} → ${beforeSwitch}`);
    assert.ok(Math.abs(afterSwitch - beforeSwitch) < 0.3, `the 5 batches after the switch ${afterSwitch}, the 5 before ${beforeSwitch}`);
    assert.ok(afterSwitch < Math.log(10) - 0.8, `after the switch ${afterSwitch}`);
    // The curves keep their points: one a batch, in order, none twice.
    after.batches.forEach((b, i) => assert.equal(b.seen, (i + 1) * 64, `batch ${i + 1}'s point`));

    // The epochs go on: both end, each validated on the 1,000 held-out digits.
    const done = await until('both epochs', (s) => s.status !== 'running', 240_000);
    assert.equal(done.status, 'done', `ended ${done.status}`);
    assert.equal(done.epochValidation.length, 2);
    assert.equal(done.batches.length, Math.ceil(9000 / 64) * 2);
    assert.ok(done.epochValidation[1].accuracy > 0.8, `validation accuracy ${done.epochValidation[1].accuracy}`);
    assert.match(
      (await app.locator('.controls').textContent())?.replace(/\s+/g, ' ') ?? '',
      /Weights: trained here on 18,000 MNIST digits, validation accuracy \d+\.\d%/,
    );
    assert.deepEqual(errors, [], 'nothing thrown in the page');
    assert.deepEqual(
      (await w.posted()).filter((p) => p.type === 'error'),
      [],
    );
    await w.page.screenshot({ path: 'test-results/webview-context-lost.png' });
    await w.page.close();
  });
});
