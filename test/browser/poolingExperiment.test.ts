/**
 * The pooling experiment in the activation webview in headless Chromium, where WebGL is drawn in software
 * (SwiftShader): Train each moves the model and its comparison to WASM first, as Train does, and trains every
 * variant there on the same data (a small folder of the user's images, sent as the host sends it), each variant's
 * curve and accuracy shown. No time is asserted.
 */
import { strict as assert } from 'node:assert';
import type { Browser } from 'playwright-core';
import { analyze, readTraining } from '../../src/core';
import { sniffImage, type FolderImage, type FolderRead } from '../../src/imageFolder';
import { downsamplingVariants } from '../../src/panel/downsampling';
import { folderMessages } from '../../src/panel/folderMessages';
import { toPreviewModel } from '../../src/panel/previewModel';
import { callSpan } from '../unit/support/fixtures';
import { png } from '../unit/support/png';
import { HARDWARE_RENDERER, launch, openWebview, RECORD_WEBGL, type WebviewPage } from './support/webviewPage';

const SOURCE = `import keras
from keras import layers
model = keras.Sequential([
    keras.Input((8, 8, 1)),
    layers.Conv2D(4, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(2),
    layers.Flatten(),
    layers.Dense(2, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x, y, epochs=2, batch_size=4)
`;

interface Variants {
  training: boolean;
  variants: { label: string; seen: number | null; error: string | null; validation: number }[];
}

/** The page with the model, a folder of `perClass` images of each class read, and the comparison open. */
async function openExperiment(browser: Browser, perClass: number, initScript?: string) {
  const w = await openWebview(browser, undefined, initScript);
  await w.waitForPosted('ready');
  const [model] = analyze(SOURCE).models;
  const preview = { ...toPreviewModel(model, 'test#model'), training: readTraining(SOURCE, model) };
  await w.send({ type: 'model', model: preview, memoryLimitMB: 1024 });
  assert.equal((await w.waitForPosted('status')).backend, 'webgl');
  const app = w.page.locator('ll-app');

  // A folder: dark-left and dark-right halves, `perClass` of each; 20% of each held out.
  await app.getByRole('button', { name: 'Train on a folder…' }).click();
  const images: FolderImage[] = [];
  for (const [label, name] of ['left', 'right'].entries()) {
    const bytes = png(8, 8, (x) => (x < 4 === (label === 0) ? [0, 0, 0] : [255, 255, 255]));
    for (let i = 0; i < perClass; i++) images.push({ label, name: `${name}/${i}.png`, format: sniffImage(bytes)!, bytes });
  }
  const read: FolderRead = {
    classes: ['left', 'right'],
    images,
    found: 2 * perClass,
    foundPerClass: [perClass, perClass],
    unreadable: [],
    ignored: 0,
    loose: 0,
    notRead: 0,
    problem: null,
  };
  for (const m of folderMessages('halves/', read)) await w.send(m);
  await app.locator('.training .row', { hasText: 'Train on the folder halves/' }).waitFor();

  const pool = model.layers[1];
  const n = (await w.posted()).length;
  await w.send({ type: 'whatIf', model: preview.key, index: 1, variants: downsamplingVariants(model, pool, callSpan(SOURCE, pool), preview.key, 0) });
  await w.waitForPosted('status', n);
  await app.locator('.whatif').waitFor();
  return { w, app };
}

async function variants(w: WebviewPage): Promise<Variants> {
  return w.page.evaluate((): Variants => {
    const c = (
      document.querySelector('ll-app') as unknown as {
        preview: {
          whatIfTraining: boolean;
          whatIf: {
            variants: {
              variant: { label: string };
              training?: { trainer: { seen: number; epochValidation: unknown[] } | null; error: string | null };
            }[];
          } | null;
        };
      }
    ).preview;
    return {
      training: c.whatIfTraining,
      variants: (c.whatIf?.variants ?? []).map((v) => ({
        label: v.variant.label,
        seen: v.training?.trainer?.seen ?? null,
        error: v.training?.error ?? null,
        validation: v.training?.trainer?.epochValidation.length ?? 0,
      })),
    };
  });
}

describe('the pooling experiment (Chromium)', function () {
  this.timeout(180_000);
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => browser?.close());

  it('Train each moves the model and the comparison from software WebGL to WASM, then trains every variant there', async () => {
    const { w, app } = await openExperiment(browser, 6);
    await app.locator('.whatif').getByRole('button', { name: 'Train each' }).click();
    const state = () => variants(w);
    const deadline = Date.now() + 150_000;
    let s = await state();
    while ((s.training || s.variants.length !== 4 || s.variants.some((v) => v.validation < 2)) && Date.now() < deadline) {
      await w.page.waitForTimeout(250);
      s = await state();
    }
    assert.deepEqual(s.variants, [
      { label: 'Max pooling', seen: 20, error: null, validation: 2 },
      { label: 'Average pooling', seen: 20, error: null, validation: 2 },
      { label: 'Strided convolution', seen: 20, error: null, validation: 2 },
      { label: 'No downsampling', seen: 20, error: null, validation: 2 },
    ]);
    assert.equal((await app.locator('.badge').textContent())?.trim(), 'wasm');
    assert.equal((await app.locator('.training-backend').textContent())?.trim(), 'Training on WASM, which trains faster here than WebGL.');
    assert.equal(await app.locator('.whatif .variant').count(), 4, 'the comparison stayed open, built again on WASM');
    assert.deepEqual(
      (await w.posted()).filter((p) => p.type === 'error'),
      [],
    );
    assert.deepEqual(await w.cspViolations(), []);
    await w.page.close();
  });

  it('a WebGL context lost while the variants train on WebGL stops the experiment with a message; Train each then trains them on WASM', async () => {
    // As on a machine with a GPU: the experiment trains on WebGL. 40 images a class: 64 to train on, 16 batches an epoch.
    const { w, app } = await openExperiment(browser, 40, `${RECORD_WEBGL}\n${HARDWARE_RENDERER}`);
    await app.locator('.whatif').getByRole('button', { name: 'Train each' }).click();
    const deadline = Date.now() + 60_000;
    let s = await variants(w);
    while (!((s.variants[0]?.seen ?? 0) >= 12) && Date.now() < deadline) {
      await w.page.waitForTimeout(100);
      s = await variants(w);
    }
    assert.ok(s.training && (s.variants[0]?.seen ?? 0) >= 12, JSON.stringify(s));
    assert.equal((await app.locator('.badge').textContent())?.trim(), 'webgl');
    await w.page.evaluate(() =>
      (window as unknown as { __glContexts: WebGLRenderingContext[] }).__glContexts.forEach((gl) => gl.getExtension('WEBGL_lose_context')?.loseContext()),
    );
    // It does not wait for ever on the lost context: the experiment ends, says why, and the comparison is back on WASM.
    await app.locator('.message', { hasText: 'WebGL context was lost during the pooling experiment, which stopped' }).waitFor({ timeout: 30_000 });
    assert.equal(
      (await app.locator('.message', { hasText: 'pooling experiment' }).textContent())?.trim(),
      'WebGL context was lost during the pooling experiment, which stopped: Train each trains the variants again, on WASM.',
    );
    const stopped = Date.now() + 30_000;
    while (((s = await variants(w)).training || s.variants.length !== 4) && Date.now() < stopped) await w.page.waitForTimeout(100);
    assert.equal(s.training, false);
    assert.deepEqual(
      s.variants.map((v) => v.seen),
      [null, null, null, null],
      'a new comparison, built on WASM',
    );
    assert.equal((await app.locator('.badge').textContent())?.trim(), 'wasm');
    await app.locator('.whatif').getByRole('button', { name: 'Train each' }).click();
    const again = Date.now() + 120_000;
    while (((s = await variants(w)).training || s.variants.some((v) => v.validation < 2)) && Date.now() < again) await w.page.waitForTimeout(250);
    assert.deepEqual(
      s.variants.map((v) => [v.seen, v.error]),
      [
        [128, null],
        [128, null],
        [128, null],
        [128, null],
      ],
    );
    await w.page.close();
  });
});
