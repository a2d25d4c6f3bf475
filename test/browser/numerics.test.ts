/** Feature maps computed on WebGL in headless Chromium match tfjs' CPU backend within 1e-3, layer by layer. */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { toPreviewModel } from '../../src/panel/previewModel';
import { example, modelNamed } from '../unit/support/fixtures';
import { launch, openBundlePage } from './support/webviewPage';

describe('WebGL against the CPU backend', function () {
  this.timeout(120000);
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => browser?.close());

  for (const [file, name] of [
    ['mnist_convnet.py', 'model'],
    ['mnist_convnet_no_pooling.py', 'model_no_max_pool'],
  ] as const) {
    it(`${file}: every layer's maps agree within 1e-3`, async () => {
      const page = await openBundlePage(browser, join(__dirname, 'numerics.entry.ts'));
      const preview = toPreviewModel(modelNamed(example(file), name), 'k');
      const result = (await page.evaluate((m) => (window as unknown as { compareBackends(m: unknown): Promise<unknown> }).compareBackends(m), preview)) as {
        backend: string;
        perLayer: { maxAbsDiff: number; maxAbs: number; size: number }[];
      };
      assert.equal(result.backend, 'webgl');
      assert.equal(result.perLayer.length, preview.layers.length);
      result.perLayer.forEach((l, i) => assert.ok(l.maxAbsDiff <= 1e-3, `layer ${i}: max |webgl - cpu| = ${l.maxAbsDiff} (values up to ${l.maxAbs})`));
      await page.close();
    });
  }
});
