/**
 * Train on a folder…, the host's side (src/imageFolder.ts, src/panel/folderMessages.ts) on a real temporary folder
 * of tiny PNGs written here: classes sorted as Keras sorts them, images taken in turn from each class under a cap,
 * an unreadable file named and skipped, too few images and too few classes said with their numbers, the messages
 * the webview gets valid as it checks them. And the webview's pure side (webview/train/folder.ts): the channel
 * conversion and the per-class held-out split.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { folderInSource, folderNotes, MIN_PER_CLASS, readImageFolder, sniffImage, tooFewImages, type FolderFs } from '../../src/imageFolder';
import { folderMessages } from '../../src/panel/folderMessages';
import { isHostMessage } from '../../src/protocol';
import { folderDataset, folderImageCap, toPixels } from '../../webview/train/folder';
import { png } from './support/png';

const nodeFs: FolderFs = {
  list: async (p) => (await readdir(p, { withFileTypes: true })).map((e) => ({ name: e.name, directory: e.isDirectory() })),
  size: async (p) => (await stat(p)).size,
  read: async (p) => new Uint8Array(await readFile(p)),
};

describe('Train on a folder: reading it on the host', () => {
  let root: string;
  const make = (files: Record<string, Buffer | string>) => {
    const dir = mkdtempSync(join(root, 'set-'));
    for (const [name, data] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), data);
    }
    return dir;
  };
  const red = png(3, 2, () => [255, 0, 0]);
  const grey = png(4, 4, (x, y) => [x * 60, x * 60, x * 60 + (y > 9 ? 1 : 0)]);
  /** n PNGs in each class folder. */
  const classes = (n: Record<string, number>) =>
    Object.fromEntries(
      Object.entries(n).flatMap(([c, k]) => Array.from({ length: k }, (_, i) => [`${c}/${String(i).padStart(3, '0')}.png`, i % 2 ? red : grey])),
    );

  before(() => (root = mkdtempSync(join(tmpdir(), 'layerlens-folder-'))));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('reads one subfolder per class, sorted as Python sorts names (upper case first), recursively, ignoring other files', async () => {
    const dir = make({
      ...classes({ dogs: 5, Cats: 6, birds: 5 }),
      'birds/nested/deep.PNG': red,
      'birds/readme.txt': 'not an image',
      'dogs/.hidden.png': red,
      'notes.md': '# loose',
    });
    const r = await readImageFolder(nodeFs, dir);
    assert.deepEqual(r.classes, ['Cats', 'birds', 'dogs']);
    assert.deepEqual(r.foundPerClass, [6, 6, 5]);
    assert.equal(r.found, 17);
    assert.equal(r.images.length, 17);
    assert.deepEqual(
      [0, 1, 2].map((k) => r.images.filter((i) => i.label === k).length),
      [6, 6, 5],
    );
    assert.ok(r.images.some((i) => i.name === 'birds/nested/deep.PNG' && i.label === 1 && i.format === 'png'));
    assert.equal(r.ignored, 1);
    assert.equal(r.loose, 1);
    assert.equal(r.unreadable.length, 0);
    assert.equal(r.problem, null);
    assert.deepEqual(folderNotes(r), [
      '1 file under the class folders is not an image (by name) and ignored, as Keras does.',
      '1 file beside the class folders is ignored: images go in one subfolder per class.',
    ]);
  });

  it('skips an unreadable file (not an image, empty), naming it and saying why, and keeps the rest', async () => {
    const dir = make({ ...classes({ a: 6, b: 6 }), 'a/broken.png': 'this is text, not a PNG', 'b/empty.jpg': '' });
    const r = await readImageFolder(nodeFs, dir);
    assert.equal(r.images.length, 12);
    assert.deepEqual(r.unreadable, [
      { name: 'a/broken.png', why: 'not a PNG, JPEG, BMP or GIF image' },
      { name: 'b/empty.jpg', why: 'empty' },
    ]);
    assert.equal(r.problem, null);
    assert.match(folderNotes(r)[0], /^2 files were unreadable and skipped: a\/broken\.png \(not a PNG, JPEG, BMP or GIF image\), b\/empty\.jpg \(empty\)\.$/);
  });

  it('too few: a class under the minimum, or fewer than 2 classes, says the numbers; the webview gets a folderError', async () => {
    const few = await readImageFolder(nodeFs, make({ ...classes({ cats: 6, dogs: 3 }), 'dogs/bad.png': 'x' }));
    assert.equal(
      few.problem,
      `Too few images: each class needs at least ${MIN_PER_CLASS} readable images (some to train on, at least one held out); dogs/ has 3.`,
    );
    const [message, ...rest] = [...folderMessages('pets/', few)];
    assert.equal(rest.length, 0);
    assert.ok(isHostMessage(message));
    assert.equal(message.type, 'folderError');
    assert.match((message as { message: string }).message, /dogs\/ has 3\. 1 file was unreadable and skipped: dogs\/bad\.png/);

    const one = await readImageFolder(nodeFs, make(classes({ cats: 8 })));
    assert.equal(one.problem, 'Training on a folder needs at least 2 classes, one subfolder each (as image_dataset_from_directory reads it); found 1 (cats/).');
    const none = [...folderMessages('flat/', await readImageFolder(nodeFs, make({ 'a.png': red })))];
    assert.match((none[0] as { message: string }).message, /^No class folders in flat\/: put each class's images in a subfolder of its own/);
    assert.equal(tooFewImages(['a', 'b'], [5, 5]), null);
  });

  it('a cap takes images in turn from each class, and says how many of how many were read', async () => {
    const r = await readImageFolder(nodeFs, make(classes({ a: 10, b: 3, c: 10 })), 13);
    assert.equal(r.images.length, 13);
    assert.deepEqual(
      [0, 1, 2].map((k) => r.images.filter((i) => i.label === k).length),
      [5, 3, 5],
    );
    assert.equal(r.notRead, 10);
    assert.match(folderNotes(r)[0], /^Read 13 of the 23 images found \(at most 5,000/);
  });

  it('the messages: folderStart with the classes and notes, then the bytes in batches, the last marked; each valid as the webview checks it', async () => {
    const dir = make(classes({ x: 70, y: 5 }));
    const r = await readImageFolder(nodeFs, dir);
    const messages = [...folderMessages('xy/', r)];
    assert.deepEqual(
      messages.map((m) => [m.type, m.type === 'folderImages' ? [m.images.length, m.last] : null]),
      [
        ['folderStart', null],
        ['folderImages', [64, false]],
        ['folderImages', [11, true]],
      ],
    );
    for (const m of messages) assert.ok(isHostMessage(structuredClone(m)), m.type);
    const start = messages[0] as Extract<(typeof messages)[0], { type: 'folderStart' }>;
    assert.deepEqual([start.classes, start.total], [['x', 'y'], 75]);
    const first = (messages[1] as Extract<(typeof messages)[0], { type: 'folderImages' }>).images[0];
    assert.equal(first.mime, 'image/png');
    assert.ok(Buffer.from(first.data, 'base64').equals(grey));
  });

  it('knows the formats by their first bytes, and the folder a source names', () => {
    assert.equal(sniffImage(red), 'png');
    assert.equal(sniffImage(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])), 'jpeg');
    assert.equal(sniffImage(new TextEncoder().encode('GIF89a......')), 'gif');
    assert.equal(sniffImage(new Uint8Array([0x42, 0x4d, ...Array(30).fill(0)])), 'bmp');
    assert.equal(sniffImage(new TextEncoder().encode('<svg>')), null);
    assert.equal(folderInSource('ds = keras.utils.image_dataset_from_directory(\n    "data/flowers", image_size=(64, 64))'), 'data/flowers');
    assert.equal(folderInSource("image_dataset_from_directory(directory='pets')"), 'pets');
    assert.equal(folderInSource('image_dataset_from_directory(path)'), null);
  });
});

describe('Train on a folder: the images as a dataset (webview/train/folder.ts)', () => {
  it('converts RGBA to grey (tf.image.rgb_to_grayscale weights) or to RGB (alpha dropped), and says whether it had colour', () => {
    const rgba = new Uint8ClampedArray([255, 0, 0, 255, 10, 10, 10, 0]);
    const g = toPixels(rgba, 1);
    assert.deepEqual([...g.pixels], [Math.round(0.2989 * 255), 10]);
    assert.equal(g.coloured, true);
    const c = toPixels(rgba, 3);
    assert.deepEqual([...c.pixels], [255, 0, 0, 10, 10, 10]);
    assert.equal(toPixels(new Uint8ClampedArray([7, 7, 7, 255]), 3).coloured, false);
  });

  it('holds out 20% of each class (at least one), the same split for the same seed', () => {
    const g = { height: 2, width: 2, channels: 1 };
    const images = [
      ...Array.from({ length: 10 }, (_, i) => ({ label: 0, pixels: new Uint8Array(4).fill(i) })),
      ...Array.from({ length: 5 }, (_, i) => ({ label: 1, pixels: new Uint8Array(4).fill(100 + i) })),
    ];
    const d = folderDataset(images, ['a', 'b'], g, 42, 1 / 255);
    assert.deepEqual([d.train.count, d.validation.count], [12, 3]);
    assert.deepEqual([...d.validation.labels].sort(), [0, 0, 1]);
    assert.deepEqual([d.channels, d.classes, d.scale], [1, ['a', 'b'], 1 / 255]);
    const again = folderDataset(images, ['a', 'b'], g, 42, 1 / 255);
    assert.deepEqual([...again.train.pixels], [...d.train.pixels]);
    // Every image is in exactly one part.
    const values = [...d.train.pixels.filter((_, i) => i % 4 === 0), ...d.validation.pixels.filter((_, i) => i % 4 === 0)].sort((a, b) => a - b);
    assert.deepEqual(values, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 100, 101, 102, 103, 104]);
    assert.throws(() => folderDataset(images.slice(0, 12), ['a', 'b'], g, 42, 1), /each class needs at least 5 images that decode .*; b\/ has 2/);
  });

  it('asks for fewer images where the input is large (their decoded pixels stay under 256 MB)', () => {
    assert.equal(folderImageCap({ height: 28, width: 28, channels: 1 }), 5000);
    assert.equal(folderImageCap({ height: 224, width: 224, channels: 3 }), 1783);
  });
});
