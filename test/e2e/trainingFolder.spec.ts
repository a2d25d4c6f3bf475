// Train on a folder… in code-server: a folder of PNGs in class subfolders, as image_dataset_from_directory reads it,
// written by the test (50 horizontal and 50 vertical bars, 16×16, at random places); the source names it, so VS
// Code's folder dialog opens there and its button ("Train on this folder") picks it, as a user does. The extension
// host reads the images, the preview decodes them at the model's input size, holds out 20% of each class, and trains
// on them (on WASM: this machine's WebGL is software); the curves are drawn and the validation accuracy is printed,
// over chance (50%) by a stated margin. Then a folder that cannot be trained on (one class with 3 images, one file
// that is no image) gets its message, and Train goes back to the digits. No time is asserted: the waits only bound a stuck run.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Frame } from 'playwright-core';
import { png } from '../unit/support/png';
import { startWorkbench, type Workbench } from './support/workbench';

const SOURCE = `import keras
from keras import layers

train_ds = keras.utils.image_dataset_from_directory("shapes", image_size=(16, 16), color_mode="grayscale")

model = keras.Sequential([
    keras.Input(shape=(16, 16, 1)),
    layers.Conv2D(8, 3, activation="relu"),
    layers.MaxPooling2D(2),
    layers.Flatten(),
    layers.Dense(2, activation="softmax"),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(train_ds, epochs=5, batch_size=8)
`;

/** Validation accuracy must be at least chance (0.5, two classes) plus this. */
const MARGIN_OVER_CHANCE = 0.3;

/** A 16×16 PNG: a white bar 3 pixels thick and 6 to 12 long, horizontal or vertical, at a random place on black. */
function bar(horizontal: boolean, random: () => number): Buffer {
  const length = 6 + Math.floor(random() * 7);
  const along = Math.floor(random() * (16 - length + 1));
  const across = Math.floor(random() * 14);
  return png(16, 16, (x, y) => {
    const [a, c] = horizontal ? [x, y] : [y, x];
    const on = a >= along && a < along + length && c >= across && c < across + 3;
    return on ? [255, 255, 255] : [0, 0, 0];
  });
}

/** mulberry32: the same pictures on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The workspace: the source, shapes/{horizontal,vertical}/ with 50 bars each, and few/ that cannot be trained on. */
function writeWorkspace(dir: string): void {
  fs.writeFileSync(path.join(dir, 'shapes.py'), SOURCE);
  const random = seeded(2024);
  for (const [name, horizontal] of [
    ['horizontal', true],
    ['vertical', false],
  ] as const) {
    fs.mkdirSync(path.join(dir, 'shapes', name), { recursive: true });
    for (let i = 0; i < 50; i++) fs.writeFileSync(path.join(dir, 'shapes', name, `${name}_${i}.png`), bar(horizontal, random));
  }
  fs.mkdirSync(path.join(dir, 'few', 'horizontal'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'few', 'vertical'), { recursive: true });
  for (let i = 0; i < 6; i++) fs.writeFileSync(path.join(dir, 'few', 'horizontal', `h${i}.png`), bar(true, random));
  fs.writeFileSync(path.join(dir, 'few', 'horizontal', 'broken.png'), 'this is not an image');
  for (let i = 0; i < 3; i++) fs.writeFileSync(path.join(dir, 'few', 'vertical', `v${i}.png`), bar(false, random));
}

interface TrainingState {
  status: string;
  dataset: string;
  seen: number;
  total: number;
  epochValidation: { loss: number; accuracy: number }[];
  message: string | null;
}

const TRAINING = `(() => {
  const app = document.querySelector('ll-app');
  const t = app.training;
  const tr = t && t.trainer;
  return {
    status: t ? t.status : 'none',
    dataset: t ? t.dataset.title : '',
    seen: tr ? tr.seen : 0,
    total: tr ? tr.total : 0,
    epochValidation: tr ? tr.epochValidation : [],
    message: t ? t.message : null,
  };
})()`;

let frame: Frame;

/** Polls the webview's training state (frame.evaluate: the webview's CSP refuses waitForFunction's eval). */
async function until(what: string, done: (s: TrainingState) => boolean, timeoutMs: number): Promise<TrainingState> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const s = (await frame.evaluate(TRAINING)) as TrainingState;
    if (done(s)) return s;
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}: ${JSON.stringify(s)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe('Train on a folder… in code-server: class subfolders of PNGs picked in the dialog, trained on; a folder that cannot be', function () {
  this.timeout(600_000);
  let wb: Workbench;
  let csp: () => unknown[];
  let tmp: string;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-folder-e2e-'));
    writeWorkspace(tmp);
    wb = await startWorkbench({ examples: tmp, viewport: { width: 1600, height: 1000 } });
    csp = wb.collectCspViolations();
  });
  after(async () => {
    await wb?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** Clicks Train on a folder… and picks `folder` (relative to the workspace) in VS Code's folder dialog. */
  async function pickFolder(folder: string): Promise<void> {
    await frame.getByRole('button', { name: 'Train on a folder…' }).click();
    const widget = wb.page.locator('.quick-input-widget');
    const input = widget.locator('.quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    const target = `${path.join(wb.workspace, folder)}/`;
    // The dialog opens at the folder the source's image_dataset_from_directory names; another is typed in.
    const end = Date.now() + 20_000;
    let value = await input.inputValue();
    while (value !== target && Date.now() < end) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      value = await input.inputValue();
      if (value && value !== target && !folder.startsWith('shapes')) {
        await input.fill(target);
        value = await input.inputValue();
      }
    }
    assert.equal(value, target);
    // Its subfolders listed: the dialog is in the folder.
    await widget.locator('.monaco-list-row', { hasText: 'horizontal' }).first().waitFor({ timeout: 20_000 });
    await widget.locator('.monaco-button', { hasText: 'Train on this folder' }).click();
  }

  it('a folder of two classes is read, decoded at 16×16 grey and trained on for 5 epochs: the curves are drawn, the validation accuracy passes chance', async () => {
    await wb.openFile('shapes.py');
    await wb.waitForEditorLineText(8, /\(None, 14, 14, 8\)/, 60_000);
    await wb.goTo(8, 20);
    await wb.runCommand('LayerLens: Preview Activations');
    await wb.page.locator('.tabs-container .tab', { hasText: 'Activations: model' }).waitFor({ timeout: 30_000 });
    frame = await wb.webviewFrame(60_000);
    await frame.locator('ll-layer[data-index="3"] meter').first().waitFor({ timeout: 60_000 });
    // The digits do not fit a 16×16 input with 2 classes: the panel says so until a folder is read.
    await frame.locator('.training-unavailable').waitFor({ timeout: 30_000 });

    await pickFolder('shapes');
    const notes = frame.locator('.folder-notes');
    await notes.waitFor({ timeout: 60_000 });
    const said = (await notes.innerText()).replace(/\s+/g, ' ');
    assert.match(said, /100 images in 2 classes, resized to 16×16 grey: 80 to train, 20 held out \(20% of each class\)\./);
    assert.match(said, /Pixels are given in \[0, 1\] \(divided by 255\)/);
    assert.equal(await frame.locator('.training-unavailable').count(), 0, 'the folder fits the model');
    assert.match((await frame.locator('.training .settings').innerText()).replace(/\s+/g, ' '), /^adam · learning rate 0.01 · .* · batch 8 · 5 epochs/);

    await frame.getByRole('button', { name: 'Train', exact: true }).click();
    const t = await until('training ends', (s) => ['done', 'stopped', 'failed'].includes(s.status), 300_000);
    assert.equal(t.status, 'done', `training ended ${t.status}: ${t.message}`);
    assert.equal(t.dataset, 'folder shapes/');
    assert.equal(t.seen, 400, '80 images, 5 times');
    assert.equal(t.epochValidation.length, 5);
    const accuracy = t.epochValidation[4].accuracy;
    console.log(
      `      validation accuracy after 5 epochs of 80 images of bars (20 held out): ${(accuracy * 100).toFixed(1)}%, loss ${t.epochValidation[4].loss.toFixed(3)}`,
    );
    assert.ok(accuracy >= 0.5 + MARGIN_OVER_CHANCE, `validation accuracy ${accuracy}, not over chance (0.5) by ${MARGIN_OVER_CHANCE}`);
    assert.equal(await frame.locator('.training svg path.batch').count(), 2, 'loss and accuracy per batch');
    assert.equal(await frame.locator('.training svg path.validation').count(), 2, 'loss and accuracy on the held-out images');
    const weights = frame.locator('text=/Weights: trained here on 400 images of the folder shapes\\/, validation accuracy \\d+\\.\\d%/');
    await weights.waitFor({ timeout: 30_000 });
    await wb.screenshot('preview-training-folder');
  });

  it('a folder with too few images in a class and a file that is no image says so, naming both', async () => {
    await pickFolder('few');
    const problem = frame.locator('.folder-problem');
    await problem.waitFor({ timeout: 60_000 });
    const said = (await problem.innerText()).replace(/\s+/g, ' ');
    console.log(`      ${said}`);
    assert.match(said, /^Too few images: each class needs at least 5 readable images \(some to train on, at least one held out\); vertical\/ has 3\./);
    assert.match(said, /1 file was unreadable and skipped: horizontal\/broken\.png \(not a PNG, JPEG, BMP or GIF image\)\./);
    // The folder read before went with the new read: Train is back on the digits, which this model's input does not fit.
    await frame.locator('.training .row', { hasText: 'Train on MNIST digits' }).first().waitFor({ timeout: 10_000 });
    assert.equal(await frame.locator('button.dataset', { hasText: 'Folder' }).count(), 0);
    await frame.locator('.training-unavailable').waitFor({ timeout: 10_000 });
    await wb.screenshot('preview-training-folder-problem');
  });

  it('had no CSP violation', () => {
    assert.deepEqual(csp(), []);
  });
});
