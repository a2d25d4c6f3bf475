/** Hovers, inlay hints and code lenses, through the commands VS Code itself uses to ask providers. */
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { closeAll, hoverAt, inlayLabels, openExample, setConfig, waitFor } from '../support';

describe("hover, inlay hints, code lens on the book's convnet", () => {
  afterEach(closeAll);

  it('hover on a layer call: type and name, shapes, parameter breakdown, receptive field, MACs, links', async () => {
    const { document } = await openExample('mnist_convnet.py');
    // line 8: model.add(layers.Conv2D(64, (3, 3), activation='relu'))
    const text = await hoverAt(document, 7, 30);
    assert.match(text, /\*\*conv2d_1\*\* · `Conv2D`/);
    assert.match(text, /`\(None, 13, 13, 32\)` → `\(None, 11, 11, 64\)`/);
    assert.match(text, /3×3×32×64 kernel \+ 64 bias = 18,496/);
    assert.match(text, /\*\*Receptive field:\*\* 8×8 \(jump 2, offset 0\)/);
    assert.match(text, /sees an 8×8 window of the input/);
    assert.match(text, /\*\*MACs:\*\* 2,230,272/);
    assert.match(text, /\[Preview activations\]\(command:layerlens\.previewActivations\?/);
    assert.match(text, /\[Show model summary\]\(command:layerlens\.showSummary\?/);
  });

  it('hover on the Sequential( call and on the model variable shows the model summary', async () => {
    const { document } = await openExample('mnist_convnet.py');
    for (const col of [12, 1]) {
      const text = await hoverAt(document, 4, col);
      assert.match(text, /\| conv2d_2 \(Conv2D\) \| \(None, 3, 3, 64\) \| 36,928 \| 18×18 \|/, `column ${col}`);
      assert.match(text, /Total params: \*\*93,322\*\*/);
    }
  });

  it("inlay hints give each layer's output shape at the end of its call, optionally with params", async () => {
    const { document } = await openExample('mnist_convnet.py');
    const labels = await inlayLabels(document);
    assert.deepEqual(
      labels.map((l) => [l.line, l.label]),
      [
        [5, '(None, 26, 26, 32)'],
        [6, '(None, 13, 13, 32)'],
        [7, '(None, 11, 11, 64)'],
        [8, '(None, 5, 5, 64)'],
        [9, '(None, 3, 3, 64)'],
        [10, '(None, 576)'],
        [11, '(None, 64)'],
        [12, '(None, 10)'],
      ],
    );
    await setConfig('inlayHints.params', true);
    try {
      await waitFor(async () => (await inlayLabels(document)).some((l) => l.label === '(None, 11, 11, 64) · 18,496 params'), 'params appear in the hints');
      await setConfig('inlayHints.enabled', false);
      await waitFor(async () => (await inlayLabels(document)).length === 0, 'hints turn off');
    } finally {
      await setConfig('inlayHints.params', undefined);
      await setConfig('inlayHints.enabled', undefined);
    }
  });

  it('code lens above the model: layers, params with bytes, receptive field, and two actions', async () => {
    const { document } = await openExample('mnist_convnet.py');
    // The model's lens gets its title when VS Code resolves it (as it does for the lenses in view), and this command
    // lists resolved lenses after the others; the editor shows a line's lenses in the order the provider gave them.
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 10);
    const byTitle = new Map(lenses.map((l) => [l.command?.title, l]));
    assert.deepEqual([...byTitle.keys()].sort(), ['8 layers · 93,322 params (364.5 KB) · RF 18×18', 'Preview activations', 'Summary']);
    assert.deepEqual(
      lenses.map((l) => l.range.start.line),
      [4, 4, 4],
    );
    assert.equal(byTitle.get('8 layers · 93,322 params (364.5 KB) · RF 18×18')?.command?.command, 'layerlens.showSummary');
    assert.equal(byTitle.get('Preview activations')?.command?.command, 'layerlens.previewActivations');
    assert.equal(byTitle.get('Summary')?.command?.command, 'layerlens.showSummary');
  });

  it('hints follow the document as it is edited, never stale', async () => {
    const editor = await openExample('mnist_convnet.py');
    const doc = editor.document;
    // Delete the first pooling layer (line 7): the later shapes grow.
    await editor.edit((b) => b.delete(doc.lineAt(6).rangeIncludingLineBreak));
    const labels = await inlayLabels(doc);
    assert.deepEqual(
      labels.slice(0, 3).map((l) => l.label),
      ['(None, 26, 26, 32)', '(None, 24, 24, 64)', '(None, 12, 12, 64)'],
    );
    const text = await hoverAt(doc, 6, 30);
    assert.match(text, /\*\*Receptive field:\*\* 5×5/);
    await vscode.commands.executeCommand('undo');
    assert.equal((await inlayLabels(doc))[1].label, '(None, 13, 13, 32)');
  });
});
