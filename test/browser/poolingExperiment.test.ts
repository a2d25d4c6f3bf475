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
import { launch, openWebview } from './support/webviewPage';

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

describe('the pooling experiment (Chromium)', function () {
  this.timeout(180_000);
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => browser?.close());

  it('Train each moves the model and the comparison from software WebGL to WASM, then trains every variant there', async () => {
    const w = await openWebview(browser);
    await w.waitForPosted('ready');
    const [model] = analyze(SOURCE).models;
    const preview = { ...toPreviewModel(model, 'test#model'), training: readTraining(SOURCE, model) };
    await w.send({ type: 'model', model: preview, memoryLimitMB: 1024 });
    assert.equal((await w.waitForPosted('status')).backend, 'webgl');
    const app = w.page.locator('ll-app');

    // A folder: dark-left and dark-right halves, 6 of each; 10 to train on, 2 held out.
    await app.getByRole('button', { name: 'Train on a folder…' }).click();
    const images: FolderImage[] = [];
    for (const [label, name] of ['left', 'right'].entries()) {
      const bytes = png(8, 8, (x) => (x < 4 === (label === 0) ? [0, 0, 0] : [255, 255, 255]));
      for (let i = 0; i < 6; i++) images.push({ label, name: `${name}/${i}.png`, format: sniffImage(bytes)!, bytes });
    }
    const read: FolderRead = {
      classes: ['left', 'right'],
      images,
      found: 12,
      foundPerClass: [6, 6],
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
    await app.locator('.whatif').getByRole('button', { name: 'Train each' }).click();
    const state = () =>
      w.page.evaluate((): Variants => {
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
});
