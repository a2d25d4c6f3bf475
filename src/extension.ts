/**
 * Activation: build the context (output channel, analysis cache, providers, commands) and register it all
 * with disposable owners. Nothing is analysed until a Python document asks. Activation errors are shown,
 * because VS Code shows nothing when activate() throws.
 */
import * as vscode from 'vscode';
import { AnalysisCache, notebookOf } from './analysisCache';
import { registerCommands } from './commands';
import { onConfigChange } from './config';
import { initLog, logError, logInfo } from './log';
import { ActivationPanel } from './panel/activationPanel';
import { updateSummaryPanel } from './panel/summaryPanel';
import { CodeLensProvider } from './providers/codeLens';
import { DiagnosticsPublisher } from './providers/diagnostics';
import { hoverProvider } from './providers/hover';
import { InlayHintsProvider } from './providers/inlayHints';

const PYTHON: vscode.DocumentSelector = [
  { language: 'python', scheme: 'file' },
  { language: 'python', scheme: 'untitled' },
  { language: 'python', scheme: 'vscode-notebook-cell' },
  { language: 'python', scheme: 'vscode-remote' },
  { language: 'python', scheme: 'vscode-vfs' },
];

/** What activate() returns: read by the integration tests, which run in another extension. */
export interface LayerLensApi {
  /** What the activation preview last reported: backend, layers shown, time of the last run. */
  previewStatus(): ActivationPanel['lastStatus'];
  /** How long activate() took, in milliseconds. */
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): LayerLensApi {
  const started = performance.now();
  const channel = initLog();
  context.subscriptions.push(channel);
  try {
    const cache = new AnalysisCache();
    const inlayHints = new InlayHintsProvider(cache);
    const codeLenses = new CodeLensProvider(cache);
    const diagnostics = new DiagnosticsPublisher(cache);
    const isPython = (doc: vscode.TextDocument) => doc.languageId === 'python';

    context.subscriptions.push(
      inlayHints,
      codeLenses,
      diagnostics,
      vscode.languages.registerHoverProvider(PYTHON, hoverProvider(cache)),
      vscode.languages.registerInlayHintsProvider(PYTHON, inlayHints),
      vscode.languages.registerCodeLensProvider(PYTHON, codeLenses),
      ...registerCommands({ cache, extensionUri: context.extensionUri }),
      vscode.workspace.onDidOpenTextDocument((doc) => isPython(doc) && diagnostics.publish(doc)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!isPython(e.document) || e.contentChanges.length === 0) return;
        diagnostics.schedule(e.document);
        const analysis = cache.get(e.document);
        updateSummaryPanel(notebookOf(e.document)?.uri ?? e.document.uri, analysis.result.models);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        diagnostics.clear(doc);
        if (!notebookOf(doc)) cache.forget(doc.uri);
      }),
      vscode.workspace.onDidCloseNotebookDocument((nb) => {
        for (const cell of nb.getCells()) diagnostics.clear(cell.document);
        cache.forget(nb.uri);
      }),
      vscode.workspace.onDidChangeNotebookDocument((e) => {
        const first = e.notebook.getCells().find((c) => isPython(c.document));
        if (first) diagnostics.schedule(first.document);
      }),
      onConfigChange(() => {
        inlayHints.refresh();
        codeLenses.refresh();
        diagnostics.refreshAll();
      }),
    );
    // Documents already open are analysed just after activation returns, so that activating costs no analysis.
    const initial = setTimeout(() => {
      for (const doc of vscode.workspace.textDocuments) if (isPython(doc)) diagnostics.publish(doc);
    }, 0);
    context.subscriptions.push({ dispose: () => clearTimeout(initial) });
    logInfo(`LayerLens is active (activation took ${(performance.now() - started).toFixed(1)} ms).`);
  } catch (e) {
    logError('activate', e);
    void vscode.window.showErrorMessage('LayerLens could not start; see the LayerLens output channel.');
  }
  return { previewStatus: () => ActivationPanel.active?.lastStatus, activationMs: performance.now() - started };
}

export function deactivate(): void {}
