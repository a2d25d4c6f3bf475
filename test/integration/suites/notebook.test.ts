/** A model built across notebook cells: hovers, hints and diagnostics in the cells that hold each layer. */
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { activated, closeAll, hoverAt, inlayLabels, layerlensDiagnostics, waitFor } from '../support';

function cell(source: string): vscode.NotebookCellData {
  return new vscode.NotebookCellData(vscode.NotebookCellKind.Code, source, 'python');
}

describe('notebooks', () => {
  afterEach(closeAll);

  it('imports, constants and model.add calls in earlier cells count', async () => {
    const data = new vscode.NotebookData([
      cell('from keras import layers, models\nIMG = 28'),
      cell('model = models.Sequential()\nmodel.add(layers.Conv2D(32, (3, 3), input_shape=(IMG, IMG, 1)))'),
      new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, 'Pooling halves the map.', 'markdown'),
      cell('model.add(layers.MaxPooling2D((2, 2)))\nmodel.add(layers.Flatten())\nmodel.add(layers.Dense(50000))\nmodel.add(layers.Dense(10))'),
    ]);
    const nb = await vscode.workspace.openNotebookDocument('jupyter-notebook', data);
    await vscode.window.showNotebookDocument(nb);
    await activated();
    const second = nb.cellAt(1).document;
    const fourth = nb.cellAt(3).document;
    assert.deepEqual(
      (await inlayLabels(second)).map((l) => l.label),
      ['(None, 26, 26, 32)'],
    );
    assert.deepEqual(
      (await inlayLabels(fourth)).map((l) => l.label),
      ['(None, 13, 13, 32)', '(None, 5408)', '(None, 50000)', '(None, 10)'],
    );
    const text = await hoverAt(fourth, 0, 20);
    assert.match(text, /`\(None, 26, 26, 32\)` → `\(None, 13, 13, 32\)`/);
    assert.match(text, /4×4/);
    const warning = await waitFor(() => layerlensDiagnostics(fourth.uri).find((d) => d.code === 'large-dense'), 'the large-dense warning in the fourth cell');
    assert.equal(warning.range.start.line, 2);
    assert.equal(layerlensDiagnostics(second.uri).length, 0);
  });
});
