/**
 * LayerLens in an untrusted workspace (Restricted Mode). It declares `untrustedWorkspaces: supported` because it
 * runs no code and reads nothing but the open documents, so everything must work there as in a trusted one.
 * Runs only under `run-integration.mjs --restricted` (workspace trust on, the folder never trusted); a normal run
 * skips it.
 */
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { closeAll, hoverAt, inlayLabels, layerlensDiagnostics, openExample, waitFor } from '../support';

interface Api {
  previewStatus(): { backend: string; layersShown: number } | undefined;
}

describe('restricted mode (an untrusted workspace)', function () {
  before(function () {
    if (process.env.LAYERLENS_TEST_RESTRICTED !== '1') this.skip();
  });
  afterEach(closeAll);

  it('the workspace is untrusted', () => {
    assert.strictEqual(vscode.workspace.isTrusted, false);
  });

  it("LayerLens activates, and hints, hover and code lens read the book's convnet", async () => {
    const { document } = await openExample('mnist_convnet.py');
    assert.deepEqual(
      (await inlayLabels(document)).map((l) => l.label),
      ['(None, 26, 26, 32)', '(None, 13, 13, 32)', '(None, 11, 11, 64)', '(None, 5, 5, 64)', '(None, 3, 3, 64)', '(None, 576)', '(None, 64)', '(None, 10)'],
    );
    assert.match(await hoverAt(document, 4, 12), /Total params: \*\*93,322\*\*/);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 10);
    assert.ok(
      (lenses ?? []).some((l) => /93,322 params/.test(l.command?.title ?? '')),
      'the model lens',
    );
  });

  it("diagnostics flag the no-pooling convnet's Dense layer", async () => {
    const { document } = await openExample('mnist_convnet_no_pooling.py');
    const warning = await waitFor(() => layerlensDiagnostics(document.uri).find((d) => d.code === 'large-dense'), 'the large-dense warning');
    assert.match(warning.message, /15,860,224 of the model's 15,921,098/);
  });

  it('the preview panel runs the model and shows its maps', async () => {
    const editor = await openExample('mnist_convnet.py');
    editor.selection = new vscode.Selection(8, 5, 8, 5);
    await vscode.commands.executeCommand('layerlens.previewActivations');
    const api = vscode.extensions.getExtension<Api>('layerlens.layerlens')!.exports;
    const status = await waitFor(() => api.previewStatus(), 'the preview reports its first run', 60_000);
    assert.equal(status.layersShown, 8);
  });
});
