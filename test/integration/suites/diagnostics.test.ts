/** Diagnostics in a real editor: on the offending layer, following edits, cleared on close. */
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { closeAll, layerlensDiagnostics, openExample, openUntitled, setConfig, waitFor } from '../support';

describe('diagnostics', () => {
  afterEach(closeAll);

  it('the no-pooling convnet: the giant Dense after Flatten is warned on its own line', async () => {
    const { document } = await openExample('mnist_convnet_no_pooling.py');
    const diags = await waitFor(() => {
      const found = layerlensDiagnostics(document.uri).filter((d) => d.code === 'large-dense');
      return found.length ? found : undefined;
    }, 'the large-dense warning');
    assert.equal(diags.length, 1);
    assert.equal(diags[0].severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(diags[0].range.start.line, 10);
    assert.match(diags[0].message, /15,860,224 of the model's 15,921,098/);
  });

  it("a shape error appears while typing, in Keras' words, and goes when it is fixed", async () => {
    const src =
      'from keras import layers, models\nm = models.Sequential()\nm.add(layers.Conv2D(32, 3, input_shape=(8, 8, 1)))\nm.add(layers.MaxPooling2D(2))\n';
    const editor = await openUntitled(src);
    const doc = editor.document;
    await editor.edit((b) => b.insert(new vscode.Position(4, 0), 'm.add(layers.Conv2D(64, 5))\n'));
    const errors = await waitFor(() => {
      const found = layerlensDiagnostics(doc.uri).filter((d) => d.code === 'negative-dimension');
      return found.length ? found : undefined;
    }, 'the negative-dimension error');
    assert.equal(errors[0].severity, vscode.DiagnosticSeverity.Error);
    assert.equal(errors[0].range.start.line, 4);
    assert.match(errors[0].message, /^Computed output size would be zero or negative\. Received `inputs shape=\(None, 3, 3, 32\)`/);
    await editor.edit((b) => b.replace(new vscode.Range(4, 24, 4, 25), '2'));
    await waitFor(() => layerlensDiagnostics(doc.uri).every((d) => d.code !== 'negative-dimension'), 'the error to go');
  });

  it('diagnostics can be turned off and on', async () => {
    const { document } = await openExample('mnist_convnet_no_pooling.py');
    await waitFor(() => layerlensDiagnostics(document.uri).length > 0, 'diagnostics');
    await setConfig('diagnostics.enabled', false);
    try {
      await waitFor(() => layerlensDiagnostics(document.uri).length === 0, 'diagnostics off');
    } finally {
      await setConfig('diagnostics.enabled', undefined);
    }
    await waitFor(() => layerlensDiagnostics(document.uri).length > 0, 'diagnostics back');
  });

  it('diagnostics are cleared when the document closes', async () => {
    const editor = await openUntitled('from keras import layers, models\nm = models.Sequential([layers.Dense(4, input_shape=(3,)), layers.Conv2D(2, 3)])\n');
    const uri = editor.document.uri;
    await waitFor(() => layerlensDiagnostics(uri).length > 0, 'the rank error');
    const closed = new Promise<void>((resolve) => {
      const sub = vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.toString() === uri.toString()) {
          sub.dispose();
          resolve();
        }
      });
    });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await closed;
    await waitFor(() => layerlensDiagnostics(uri).length === 0, 'diagnostics cleared on close');
  });
});
