/** The only reader of `layerlens.*` settings. Changes apply without a reload: readers call the getters each time. */
import * as vscode from 'vscode';

const section = () => vscode.workspace.getConfiguration('layerlens');

export const config = {
  inlayHintsEnabled: () => section().get<boolean>('inlayHints.enabled', true),
  inlayHintsParams: () => section().get<boolean>('inlayHints.params', false),
  codeLensEnabled: () => section().get<boolean>('codeLens.enabled', true),
  diagnosticsEnabled: () => section().get<boolean>('diagnostics.enabled', true),
  previewMemoryLimitMB: () => section().get<number>('preview.memoryLimitMB', 1024),
};

/** Calls `listener` when any LayerLens setting changes. */
export function onConfigChange(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('layerlens')) listener();
  });
}
