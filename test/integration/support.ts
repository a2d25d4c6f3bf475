/** Helpers for suites that run inside a real VS Code extension host, on a copy of examples/. */
import * as assert from 'node:assert';
import * as vscode from 'vscode';

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

export async function openExample(name: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(name));
  const editor = await vscode.window.showTextDocument(doc);
  await activated();
  return editor;
}

export async function openUntitled(content: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ language: 'python', content });
  const editor = await vscode.window.showTextDocument(doc);
  await activated();
  return editor;
}

export async function activated(): Promise<void> {
  const ext = vscode.extensions.getExtension('layerlens.layerlens');
  assert.ok(ext, 'LayerLens is installed');
  await waitFor(() => ext.isActive, 'LayerLens activates');
}

/** Polls until `check` returns a truthy value (never a timed assertion: the limit only bounds a hang). */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, limitMs = 15000): Promise<NonNullable<T>> {
  const end = Date.now() + limitMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

export async function hoverAt(doc: vscode.TextDocument, line: number, character: number): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, character));
  return hoverText(hovers ?? []);
}

export async function inlayLabels(doc: vscode.TextDocument): Promise<{ line: number; label: string }[]> {
  const end = doc.lineAt(doc.lineCount - 1).range.end;
  const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>(
    'vscode.executeInlayHintProvider',
    doc.uri,
    new vscode.Range(0, 0, end.line, end.character),
  );
  return (hints ?? []).map((h) => ({ line: h.position.line, label: typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('') }));
}

export function layerlensDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'LayerLens');
}

export async function setConfig(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('layerlens').update(key, value, vscode.ConfigurationTarget.Global);
}

/** Closes every editor, reverting unsaved changes first so that no "save?" dialog waits for an answer. */
export async function closeAll(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const dirty = vscode.window.visibleTextEditors.find((e) => e.document.isDirty);
    if (!dirty) break;
    await vscode.window.showTextDocument(dirty.document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
