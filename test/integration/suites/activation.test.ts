// Smoke test inside a real extension host: LayerLens is installed, and opening a Keras model file activates it.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'layerlens.layerlens';

function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder (a copy of examples/) is open');
  return folder.uri.fsPath;
}

async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('LayerLens activation', function () {
  this.timeout(60_000);

  it('is installed', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is installed; installed: ${vscode.extensions.all.map((e) => e.id).filter((id) => !id.startsWith('vscode.')).join(', ')}`);
  });

  it('becomes active after opening examples/mnist_convnet.py', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
    const doc = await vscode.workspace.openTextDocument(path.join(workspaceRoot(), 'mnist_convnet.py'));
    const editor = await vscode.window.showTextDocument(doc);
    assert.strictEqual(editor.document.languageId, 'python');
    await waitFor(() => ext.isActive, 30_000, `${EXTENSION_ID} to activate`);
    assert.strictEqual(ext.isActive, true);
  });
});
