/** The palette commands, run as the palette runs them, on the model at the cursor. */
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { closeAll, inlayLabels, openExample, openUntitled, waitFor } from '../support';

function webviewTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview);
}

describe('palette commands', () => {
  afterEach(closeAll);

  it('every command is registered under the LayerLens category', async () => {
    await openExample('mnist_convnet.py');
    const all = await vscode.commands.getCommands(true);
    for (const id of ['layerlens.showSummary', 'layerlens.previewActivations', 'layerlens.copySummaryMarkdown', 'layerlens.setInputShape'])
      assert.ok(all.includes(id), id);
  });

  it('Show Model Summary opens a summary beside the editor for the model at the cursor', async () => {
    const editor = await openExample('mnist_convnet.py');
    editor.selection = new vscode.Selection(8, 5, 8, 5);
    await vscode.commands.executeCommand('layerlens.showSummary');
    const tab = await waitFor(() => webviewTabs().find((t) => t.label === 'Summary: model'), 'the summary tab');
    assert.ok(tab.group.viewColumn !== editor.viewColumn, 'beside the editor');
  });

  it('Copy Model Summary as Markdown puts the table on the clipboard', async () => {
    const editor = await openExample('imdb.py');
    editor.selection = new vscode.Selection(23, 3, 23, 3); // inside lstm_model
    await vscode.commands.executeCommand('layerlens.copySummaryMarkdown');
    const text = await vscode.env.clipboard.readText();
    assert.match(text, /^### Model `lstm_model`/);
    assert.match(text, /\| 1 \| lstm \(LSTM\) \| \(None, 32\) \| 8,320 \|/);
    assert.match(text, /- Total params: 328,353/);
  });

  it('Set Input Shape… writes the layerlens comment above the model, and the hints appear', async () => {
    const editor = await openUntitled('from keras import layers, models\n\nmodel = models.Sequential()\nmodel.add(layers.Conv2D(8, 3))\n');
    const doc = editor.document;
    assert.equal((await inlayLabels(doc)).length, 0, 'no input shape, no hints');
    editor.selection = new vscode.Selection(3, 12, 3, 12);
    await vscode.commands.executeCommand('layerlens.setInputShape', doc.uri.toString(), 0, null, '(28, 28, 1)');
    assert.equal(doc.lineAt(2).text, '# layerlens: input_shape=(28, 28, 1)');
    assert.deepEqual(
      (await inlayLabels(doc)).map((l) => l.label),
      ['(None, 26, 26, 8)'],
    );
    await vscode.commands.executeCommand('layerlens.setInputShape', doc.uri.toString(), 0, null, '32, 32, 3');
    assert.equal(doc.lineAt(2).text, '# layerlens: input_shape=(32, 32, 3)', 'the comment is replaced, not repeated');
    assert.equal(doc.lineAt(3).text, 'model = models.Sequential()');
  });
});
