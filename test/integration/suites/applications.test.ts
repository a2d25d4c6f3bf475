/**
 * keras.applications in the editor (issue 12): the book's VGG16 feature extraction (examples/vgg16_feature_extraction.py).
 * The `VGG16(...)` call shows the base's output, its totals and its stages; the Sequential built on it counts it as
 * one row, frozen by `conv_base.trainable = False`.
 */
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { closeAll, hoverAt, inlayLabels, openExample, waitFor } from '../support';

const FILE = 'vgg16_feature_extraction.py';

describe('keras.applications in the editor', () => {
  afterEach(closeAll);

  it("inlay hints: the base's output at the VGG16 call, and each layer of the model built on it", async () => {
    const { document } = await openExample(FILE);
    const labels = await waitFor(async () => {
      const now = await inlayLabels(document);
      return now.length >= 5 ? now : undefined;
    }, 'hints');
    assert.deepEqual(
      labels.map((l) => [l.line + 1, l.label]),
      [
        [9, '(None, 4, 4, 512)'],
        [12, '(None, 4, 4, 512)'],
        [13, '(None, 8192)'],
        [14, '(None, 256)'],
        [15, '(None, 1)'],
      ],
    );
  });

  it('the hover on VGG16 shows the architecture, its totals and its stages; the lens its totals', async () => {
    const { document } = await openExample(FILE);
    const text = await waitFor(async () => {
      const t = await hoverAt(document, 6, 14);
      return t.includes('keras.applications') ? t : undefined;
    }, 'hover on VGG16');
    assert.match(text, /vgg16.*VGG16.*from keras\.applications.*19 layers/);
    assert.match(text, /\(None, 150, 150, 3\).*→.*\(None, 4, 4, 512\)/);
    assert.match(text, /14,714,688 \(0 trainable, 14,714,688 non-trainable\)/, 'conv_base.trainable = False freezes it');
    assert.match(text, /block5_pool/);
    const lenses = await waitFor(async () => {
      const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 10);
      const here = (all ?? []).filter((l) => l.range.start.line === 6);
      return here.length ? here : undefined;
    }, 'lenses on the VGG16 line');
    assert.ok(
      lenses.some((l) => /^19 layers · 14,714,688 params/.test(l.command?.title ?? '')),
      lenses.map((l) => l.command?.title).join(' | '),
    );
  });

  it('the base added to a Sequential is one row, with its totals', async () => {
    const { document } = await openExample(FILE);
    const text = await waitFor(async () => {
      const t = await hoverAt(document, 11, 12);
      return t.includes('Functional') ? t : undefined;
    }, 'hover on model.add(conv_base)');
    assert.match(text, /vgg16.*Functional/);
    assert.match(text, /14,714,688/);
  });
});
