// Training in code-server: the book's convnet (examples/mnist_convnet.py, no compile/fit in it, so Keras'
// defaults as LayerLens uses them: Adam at 0.001, one epoch, batches of 64) trained for one full epoch on the 9,000
// bundled training digits, on WASM (the preview moves it there from the software WebGL this machine has); the curves
// are drawn; the validation accuracy on the 1,000 held-out digits is printed and must pass chance (10%) by a stated
// margin; then Save weights… writes a Keras 3 .weights.h5 beside the source through VS Code's save dialog, which is
// read back with the reader Load weights… uses. No time is asserted: the waits only bound a stuck run.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Frame } from 'playwright-core';
import { analyze } from '../../src/core';
import { toPreviewModel } from '../../src/panel/previewModel';
import { matchLayers, readKerasWeights } from '../../src/weights/readWeights';
import { openConvnetPreview } from './support/preview';
import { startWorkbench, type Workbench } from './support/workbench';

/** Validation accuracy after one epoch must be at least chance (0.10) plus this: 0.90, the aim. */
const MARGIN_OVER_CHANCE = 0.8;

interface TrainingState {
  status: string;
  seen: number;
  total: number;
  batches: number;
  epochValidation: { seen: number; loss: number; accuracy: number }[];
  samplesPerSecond: number | null;
  message: string | null;
}

const TRAINING = `(() => {
  const t = document.querySelector('ll-app').training;
  const tr = t && t.trainer;
  return {
    status: t ? t.status : 'none',
    seen: tr ? tr.seen : 0,
    total: tr ? tr.total : 0,
    batches: tr ? tr.batches.length : 0,
    epochValidation: tr ? tr.epochValidation : [],
    samplesPerSecond: tr ? tr.samplesPerSecond : null,
    message: t ? t.message : null,
  };
})()`;

/**
 * Polls the webview's training state until `done` holds (frame.evaluate each time: waitForFunction with a string
 * would eval it in the page, which the webview's CSP refuses).
 */
async function until(what: string, done: (s: TrainingState) => boolean, timeoutMs: number): Promise<TrainingState> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const s = (await frame.evaluate(TRAINING)) as TrainingState;
    if (done(s)) return s;
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}: ${JSON.stringify({ ...s, epochValidation: s.epochValidation.length })}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

let frame: Frame;

describe('Training in the preview (code-server, Chromium): one epoch of the digits, then Save weights…', function () {
  this.timeout(900_000);
  let wb: Workbench;
  let csp: () => unknown[];

  before(async () => {
    wb = await startWorkbench({ viewport: { width: 1600, height: 1000 } });
    csp = wb.collectCspViolations();
  });
  after(async () => wb?.close());

  it("trains the book's convnet for one full epoch of the 9,000 digits on WASM; the curves are drawn and the validation accuracy passes 90%", async () => {
    frame = await openConvnetPreview(wb);
    const settings = (await frame.locator('.training .settings').innerText()).replace(/\s+/g, ' ');
    assert.match(settings, /^adam \(default\) · learning rate 0.001 \(default\) · .* · batch 64 \(default\) · 1 epoch \(default\)/);
    await frame.getByRole('button', { name: 'Train', exact: true }).click();
    // Software WebGL here (SwiftShader): the preview moves the model to WASM to train, and says so.
    await frame.locator('.training-backend', { hasText: 'Training on WASM' }).waitFor({ timeout: 60_000 });
    assert.equal((await frame.locator('.badge').innerText()).trim(), 'wasm');
    // One epoch: 141 batches of 64 (the last of 40) and a validation on all 1,000 held-out digits.
    const t = await until('training ends', (s) => ['done', 'stopped', 'failed'].includes(s.status), 780_000);
    assert.equal(t.status, 'done', `training ended ${t.status}: ${t.message}`);
    assert.equal(t.seen, 9000);
    assert.equal(t.total, 9000);
    assert.equal(t.epochValidation.length, 1);
    const accuracy = t.epochValidation[0].accuracy;
    console.log(
      `      validation accuracy after one epoch of 9,000 digits (1,000 held out): ${(accuracy * 100).toFixed(1)}%, loss ${t.epochValidation[0].loss.toFixed(3)}; ${t.samplesPerSecond?.toFixed(0)} digits/s on WASM in code-server's Chromium`,
    );
    assert.ok(accuracy > 0.1 + MARGIN_OVER_CHANCE, `validation accuracy ${accuracy}, not over chance (0.10) by ${MARGIN_OVER_CHANCE}`);
    // The curves: loss and accuracy per batch, per epoch and on the held-out digits.
    assert.equal(await frame.locator('.training svg path.batch').count(), 2);
    assert.equal(await frame.locator('.training svg path.validation').count(), 2);
    assert.equal(await frame.locator('.training svg circle.epoch').count(), 2);
    assert.equal(await frame.locator('ll-kernels canvas').count(), 32, "the first convolution's 32 filters");
    await frame.locator('text=/Weights: trained here on 9,000 MNIST digits, validation accuracy \\d+\\.\\d%/').waitFor({ timeout: 30_000 });
    await wb.screenshot('preview-training-epoch');
  });

  it('Save weights… writes <source stem>.weights.h5 beside the source, a Keras 3 file that reads back as the trained layers', async () => {
    const target = path.join(wb.workspace, 'mnist_convnet.weights.h5');
    assert.equal(fs.existsSync(target), false);
    await frame.getByRole('button', { name: 'Save weights…' }).click();
    // code-server's save dialog is VS Code's simple file dialog: a quick input holding the suggested path.
    const input = wb.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    // It fills in the suggested path a moment after it opens.
    const end = Date.now() + 20_000;
    let value = await input.inputValue();
    while (!value.endsWith('mnist_convnet.weights.h5') && Date.now() < end) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      value = await input.inputValue();
    }
    assert.equal(value, target, 'the dialog suggests <source stem>.weights.h5 beside the source');
    await wb.page.keyboard.press('Enter');
    await wb.page.locator('.notifications-toasts', { hasText: 'LayerLens: saved the weights of model to' }).waitFor({ timeout: 60_000 });
    assert.ok(fs.existsSync(target), `${target} was written`);
    const bytes = new Uint8Array(fs.readFileSync(target));
    assert.deepEqual(Array.from(bytes.slice(0, 8)), [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a], 'the HDF5 signature');
    const file = readKerasWeights(bytes, 'mnist_convnet.weights.h5');
    assert.equal(file.format, 'keras3-weights-h5');
    const model = toPreviewModel(analyze(fs.readFileSync(path.join(wb.workspace, 'mnist_convnet.py'), 'utf8')).models[0], 'e2e');
    const layers = matchLayers(file, model.layers);
    assert.deepEqual(
      layers.map((l) => [l.layer, l.tensors.map((x) => x.shape)]),
      [
        ['conv2d', [[3, 3, 1, 32], [32]]],
        ['conv2d_1', [[3, 3, 32, 64], [64]]],
        ['conv2d_2', [[3, 3, 64, 64], [64]]],
        ['dense', [[576, 64], [64]]],
        ['dense_1', [[64, 10], [10]]],
      ],
    );
    // The trained kernel, not the seeded initial one: the first convolution's kernel as the preview holds it now
    // (its first values, row-major (3, 3, 1, 32) in both).
    const shown = (await frame.evaluate(`(() => {
      const k = document.querySelector('ll-app').training.kernel;
      return Array.from(k.values.slice(0, 9));
    })()`)) as number[];
    const saved = layers[0].tensors[0].values.slice(0, 9);
    shown.forEach((v, i) => assert.ok(Math.abs(v - saved[i]) < 1e-6, `kernel value ${i}: shown ${v}, saved ${saved[i]}`));
    await wb.screenshot('preview-weights-saved');
  });

  it('had no CSP violation (WASM runs under wasm-unsafe-eval)', () => {
    assert.deepEqual(csp(), []);
  });
});
