/**
 * The summary panel's page (no script runs in it) in Chromium: a model used as a layer is one row, and the
 * "Expand nested models" checkbox shows its own rows under it, indented, through CSS alone (Keras' expand_nested).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { analyze } from '../../src/core';
import { summaryHtml } from '../../src/panel/summaryHtml';
import { launch } from './support/webviewPage';

describe('summary panel page in Chromium', function () {
  this.timeout(60_000);
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => browser?.close());

  it("the book's VGG16 feature extractor: one vgg16 row; Expand nested models shows its 19 layers under it", async () => {
    const models = analyze(readFileSync(join(__dirname, '../../examples/vgg16_feature_extraction.py'), 'utf8')).models;
    const model = models.find((m) => m.name === 'model')!;
    const page = await browser.newPage();
    await page.setContent(summaryHtml(model, 'n0nce'));
    const visible = () => page.locator('tbody tr:visible').allInnerTexts();
    const rows = await visible();
    assert.deepEqual(
      rows.map((r) => r.split('\t')[0]),
      ['vgg16 (Functional)', 'flatten (Flatten)', 'dense (Dense)', 'dense_1 (Dense)'],
    );
    assert.match(rows[0], /\(None, 4, 4, 512\)\t14,714,688/);
    await page.getByLabel('Expand nested models').check();
    const expanded = await visible();
    assert.equal(expanded.length, 4 + 19);
    assert.match(expanded[1], /^└ input_layer \(InputLayer\)\t\(None, 150, 150, 3\)/);
    assert.match(expanded[2], /^└ block1_conv1 \(Conv2D\)\t\(None, 150, 150, 64\)\t1,792/);
    assert.match(expanded[20], /^flatten \(Flatten\)/);
    // A model without a nested one has no checkbox.
    await page.setContent(
      summaryHtml(
        models.find((m) => m.name === 'vgg16')!,
        'n0nce',
      ),
    );
    assert.equal(await page.getByLabel('Expand nested models').count(), 0);
    await page.close();
  });
});
