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
    assert.ok(
      ext,
      `extension ${EXTENSION_ID} is installed; installed: ${vscode.extensions.all
        .map((e) => e.id)
        .filter((id) => !id.startsWith('vscode.'))
        .join(', ')}`,
    );
  });

  it('becomes active after opening examples/mnist_convnet.py', async function () {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
    const doc = await vscode.workspace.openTextDocument(path.join(workspaceRoot(), 'mnist_convnet.py'));
    const editor = await vscode.window.showTextDocument(doc);
    assert.strictEqual(editor.document.languageId, 'python');
    await waitFor(() => ext.isActive, 30_000, `${EXTENSION_ID} to activate`);
    assert.strictEqual(ext.isActive, true);
    // Reported, not asserted: tests never judge wall-clock time.
    const api = ext.exports as { activationMs?: number };
    assert.strictEqual(typeof api.activationMs, 'number');
    this.test!.title += ` (activate() took ${api.activationMs!.toFixed(1)} ms)`;
  });

  it('declares what it needs: untrusted workspaces, Python and notebooks, its four commands', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      capabilities: { untrustedWorkspaces: { supported: boolean } };
      activationEvents: string[];
      contributes: { commands: { command: string; category: string }[] };
    };
    assert.strictEqual(pkg.capabilities.untrustedWorkspaces.supported, true);
    assert.deepStrictEqual(pkg.activationEvents, ['onLanguage:python', 'onNotebook:jupyter-notebook']);
    assert.deepStrictEqual(
      pkg.contributes.commands.map((c) => `${c.category}: ${c.command}`),
      [
        'LayerLens: layerlens.showSummary',
        'LayerLens: layerlens.previewActivations',
        'LayerLens: layerlens.copySummaryMarkdown',
        'LayerLens: layerlens.setInputShape',
      ],
    );
  });
});
