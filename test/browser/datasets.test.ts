/**
 * The datasets Train offers, in the activation webview in headless Chromium: Fashion-MNIST's clothes (fetched under
 * the page's CSP, their class names on the prediction bars, training starts on them), and a folder of the user's
 * images sent as the host sends them (src/panel/folderMessages.ts): the browser decodes PNG, BMP and GIF, resizes
 * them to the model's input and converts them to its channels, skips and names one that does not decode, splits
 * them per class, and trains on them. No time is asserted.
 */
import { strict as assert } from 'node:assert';
import type { Browser } from 'playwright-core';
import { analyze, readTraining } from '../../src/core';
import { sniffImage, type FolderImage, type FolderRead } from '../../src/imageFolder';
import { folderMessages } from '../../src/panel/folderMessages';
import { toPreviewModel } from '../../src/panel/previewModel';
import type { HostMessage } from '../../src/protocol';
import { png } from '../unit/support/png';
import { launch, openWebview } from './support/webviewPage';

function modelMessage(source: string): HostMessage {
  const [model] = analyze(source).models;
  return { type: 'model', model: { ...toPreviewModel(model, 'test#model'), training: readTraining(source, model) }, memoryLimitMB: 1024 };
}

const CONVNET = `from keras import layers, models
model = models.Sequential()
model.add(layers.Conv2D(8, (3, 3), activation='relu', input_shape=(28, 28, 1)))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Flatten())
model.add(layers.Dense(10, activation='softmax'))
model.compile(optimizer='rmsprop', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(x, y, epochs=1, batch_size=32)
`;

/** An 8×8 grey input and a head of `units`. */
const small = (units: number) => `import keras
from keras import layers
inputs = keras.Input((8, 8, 1))
x = layers.Conv2D(4, 3, activation='relu')(inputs)
x = layers.Flatten()(x)
outputs = layers.Dense(${units}, activation='softmax')(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
model.fit(x, y, epochs=2, batch_size=4)
`;

/** A 24-bit BMP of w×h pixels, all `rgb`. */
function bmp(w: number, h: number, rgb: [number, number, number]): Buffer {
  const row = Math.ceil((w * 3) / 4) * 4;
  const b = Buffer.alloc(54 + row * h);
  b.write('BM', 0, 'ascii');
  b.writeUInt32LE(b.length, 2);
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(w, 18);
  b.writeInt32LE(h, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(24, 28);
  b.writeUInt32LE(row * h, 34);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) b.set([rgb[2], rgb[1], rgb[0]], 54 + y * row + x * 3);
  return b;
}

/** A 1×1 white GIF. */
const GIF = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

describe('datasets in the webview (Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => browser?.close());

  it('Fashion-MNIST: chosen with Clothes (kept), its class names on the bars, trained on under the CSP', async () => {
    const w = await openWebview(browser);
    await w.waitForPosted('ready');
    await w.send(modelMessage(CONVNET));
    await w.waitForPosted('status');
    const app = () => w.page.locator('ll-app');
    assert.match((await app().locator('.training .row b').first().textContent()) ?? '', /Train on MNIST digits/);
    await app().getByRole('button', { name: 'Clothes', exact: true }).click();
    assert.match(
      (await app().locator('.training .row').first().textContent())?.replace(/\s+/g, ' ') ?? '',
      /Train on Fashion-MNIST clothes ?2,500 to train, 500 held out/,
    );
    assert.equal(await app().getByRole('button', { name: 'Clothes', exact: true }).getAttribute('aria-pressed'), 'true');
    const bars = await app().locator('ll-layer[data-index="3"]').locator('.bar > span:first-child').allTextContents();
    assert.deepEqual(bars, ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']);
    assert.equal(((await w.page.evaluate(() => (window as unknown as { __state: { dataset: string } }).__state)) as { dataset: string }).dataset, 'clothes');
    await app().getByRole('button', { name: 'Train', exact: true }).click();
    const seen = () =>
      w.page.evaluate(
        () => (document.querySelector('ll-app') as unknown as { training: { trainer: { seen: number } | null } | null }).training?.trainer?.seen ?? 0,
      );
    const deadline = Date.now() + 90_000;
    while ((await seen()) < 320 && Date.now() < deadline) await w.page.waitForTimeout(300);
    assert.ok((await seen()) >= 320, `trained on ${await seen()} images`);
    assert.match((await app().locator('.training progress + .muted').textContent())?.replace(/\s+/g, ' ') ?? '', /of 2,500 images/);
    await app().getByRole('button', { name: 'Stop' }).click();
    await w.page.waitForFunction(() => (document.querySelector('ll-app') as unknown as { training: { status: string } | null }).training?.status === 'stopped');
    assert.match((await app().locator('.controls').textContent())?.replace(/\s+/g, ' ') ?? '', /Weights: trained here on [\d,]+ Fashion-MNIST images/);
    assert.deepEqual(await w.cspViolations(), []);
    assert.deepEqual(w.outsideRequests, []);
  });

  it('a folder: decoded, resized, made grey, one bad image named and skipped, split per class, trained on; a head of the wrong size is told so', async () => {
    const w = await openWebview(browser);
    await w.waitForPosted('ready');
    await w.send(modelMessage(small(3)));
    await w.waitForPosted('status');
    const app = () => w.page.locator('ll-app');
    const before = (await w.posted()).length;
    await app().getByRole('button', { name: 'Train on a folder…' }).click();
    const asked = await w.waitForPosted('pickFolder', before);
    assert.equal(asked.maxImages, 5000);

    // Class "left": 16×12 PNGs, black on the left half and pure red on the right; class "right": BMPs and a GIF.
    const halves = png(16, 12, (x) => (x < 8 ? [0, 0, 0] : [255, 0, 0]));
    const images: FolderImage[] = [];
    const add = (label: number, name: string, bytes: Buffer) => images.push({ label, name, format: sniffImage(bytes)!, bytes });
    for (let i = 0; i < 6; i++) add(0, `left/${i}.png`, halves);
    // A PNG whose signature is right and whose data is not: the host cannot tell, the browser does not decode it.
    add(0, 'left/corrupt.png', Buffer.concat([halves.subarray(0, 20), Buffer.alloc(40, 7)]));
    for (let i = 0; i < 5; i++) add(1, `right/${i}.bmp`, bmp(5, 9, [0, 0, 255]));
    add(1, 'right/white.gif', GIF);
    const read: FolderRead = {
      classes: ['left', 'right'],
      images,
      found: images.length,
      foundPerClass: [7, 6],
      unreadable: [],
      ignored: 0,
      loose: 0,
      notRead: 0,
      problem: null,
    };
    for (const m of folderMessages('shapes/', read)) await w.send(m);
    await w.page.waitForFunction(
      () => (document.querySelector('ll-app') as unknown as { preview: { folder: { status: string } } }).preview.folder.status !== 'loading',
    );
    const folder = await w.page.evaluate(() => {
      const f = (
        document.querySelector('ll-app') as unknown as {
          preview: {
            folder: {
              status: string;
              notes: string[];
              problem: string | null;
              data: { train: { count: number; labels: Uint8Array; pixels: Uint8Array }; validation: { count: number } };
            };
          };
        }
      ).preview.folder;
      const t = f.data.train;
      const left = t.labels.findIndex((l) => l === 0);
      return {
        status: f.status,
        notes: f.notes,
        problem: f.problem,
        counts: [t.count, f.data.validation.count],
        left: Array.from(t.pixels.subarray(left * 64, left * 64 + 8)),
      };
    });
    assert.equal(folder.status, 'ready', folder.problem ?? '');
    assert.deepEqual(folder.counts, [10, 2]);
    assert.equal(folder.notes[0], '12 images in 2 classes, resized to 8×8 grey: 10 to train, 2 held out (20% of each class).');
    assert.ok(folder.notes.includes('1 image did not decode and was skipped: left/corrupt.png.'), folder.notes.join('\n'));
    assert.ok(
      folder.notes.some((n) => /^11 colour images were converted to grey for the model's 1-channel input \(0\.2989 R/.test(n)),
      folder.notes.join('\n'),
    );
    // The first row of a "left" image, resized 16 → 8 wide: black on the left, red's grey (0.2989 × 255 = 76) on the right.
    assert.deepEqual(folder.left.slice(0, 3), [0, 0, 0]);
    assert.deepEqual(folder.left.slice(5), [76, 76, 76]);
    // The model's head has 3 units for 2 classes: Train says so and stays off.
    assert.match(
      (await app().locator('.training-unavailable').textContent()) ?? '',
      /^The folder shapes\/ has 2 classes \(left, right\): the model's last layer must give 2 outputs \(Dense\(2, activation="softmax"\)\); "dense" gives \(3\)\.$/,
    );
    // The source fixed: the folder stays chosen, and trains.
    await w.send(modelMessage(small(2)));
    await app().locator('.training-unavailable').waitFor({ state: 'detached' });
    assert.match(
      (await app().locator('.training .row').first().textContent())?.replace(/\s+/g, ' ') ?? '',
      /Train on the folder shapes\/ ?10 to train, 2 held out/,
    );
    await app().getByRole('button', { name: 'Train', exact: true }).click();
    await w.page.waitForFunction(
      () => (document.querySelector('ll-app') as unknown as { training: { status: string } | null }).training?.status === 'done',
      undefined,
      { timeout: 60_000 },
    );
    assert.match((await app().locator('.controls').textContent())?.replace(/\s+/g, ' ') ?? '', /Weights: trained here on 20 images of the folder shapes\//);
    const bars = await app().locator('ll-layer[data-index="3"]').locator('.bar > span:first-child').allTextContents();
    assert.deepEqual(bars, ['left', 'right']);
    assert.deepEqual(await w.cspViolations(), []);
  });

  it('a folder with too few images after decoding says the numbers; a folderError is shown as it comes', async () => {
    const w = await openWebview(browser);
    await w.waitForPosted('ready');
    await w.send(modelMessage(small(2)));
    await w.waitForPosted('status');
    const app = () => w.page.locator('ll-app');
    const good = png(4, 4, () => [9, 9, 9]);
    const images: FolderImage[] = [
      ...Array.from({ length: 5 }, (_, i): FolderImage => ({ label: 0, name: `a/${i}.png`, format: 'png', bytes: good })),
      ...Array.from({ length: 5 }, (_, i): FolderImage => ({
        label: 1,
        name: `b/${i}.png`,
        format: 'png',
        bytes: i < 2 ? good : Buffer.concat([good.subarray(0, 16), Buffer.alloc(8)]),
      })),
    ];
    const read: FolderRead = { classes: ['a', 'b'], images, found: 10, foundPerClass: [5, 5], unreadable: [], ignored: 0, loose: 0, notRead: 0, problem: null };
    for (const m of folderMessages('ab/', read)) await w.send(m);
    await app().locator('.folder-problem').waitFor();
    assert.equal(
      await app().locator('.folder-problem').textContent(),
      'Too few images: each class needs at least 5 images that decode (some to train on, at least one held out); b/ has 2.',
    );
    assert.match((await app().locator('.folder-notes').textContent()) ?? '', /3 images did not decode and were skipped: b\/2\.png, b\/3\.png, b\/4\.png\./);
    await w.send({ type: 'folderError', message: 'No class folders in flat/.' });
    await app().locator('.folder-problem', { hasText: 'No class folders in flat/.' }).waitFor();
  });
});
