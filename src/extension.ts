/**
 * Activation: build the context (output channel, analysis cache, providers, commands) and register it all
 * with disposable owners. Nothing is analysed until a Python document asks. Activation errors are shown,
 * because VS Code shows nothing when activate() throws.
 */
import * as vscode from 'vscode';
import { AnalysisCache, notebookOf, type DocumentAnalysis } from './analysisCache';
import { registerCommands } from './commands';
import { onConfigChange } from './config';
import { initLog, logError, logInfo, recentLog, reportInternalError } from './log';
import { ActivationPanel } from './panel/activationPanel';
import type { ShownModel } from './panel/previewModel';
import { summaryShown, updateSummaryPanel } from './panel/summaryPanel';
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
  /** For tests: the model the preview shows and its highlighted layer; undefined when no preview is open. */
  previewShown(): ShownModel | undefined;
  /** For tests: the model the summary panel shows; undefined when it is closed. */
  summaryShown(): ShownModel | undefined;
  /** For tests: hands the open preview a message as if its webview had posted it; resolves once it is handled. */
  previewReceive(message: unknown): Promise<void>;
  /** For tests: the LayerLens output channel's recent entries. */
  recentLog(): string[];
}

/** The analysis cache, reporting each analysis that ended in an internal error (the core caught an exception). */
class ReportingCache extends AnalysisCache {
  private readonly seen = new WeakSet<DocumentAnalysis>();

  override get(doc: vscode.TextDocument): DocumentAnalysis {
    return this.report(super.get(doc), notebookOf(doc)?.uri ?? doc.uri);
  }

  override forNotebook(nb: vscode.NotebookDocument): DocumentAnalysis {
    return this.report(super.forNotebook(nb), nb.uri);
  }

  private report(analysis: DocumentAnalysis, uri: vscode.Uri): DocumentAnalysis {
    if (this.seen.has(analysis)) return analysis;
    this.seen.add(analysis);
    for (const d of analysis.result.diagnostics) if (d.code === 'internal-error') reportInternalError(uri.scheme === 'file' ? uri.fsPath : uri.toString(), d);
    return analysis;
  }
}

export function activate(context: vscode.ExtensionContext): LayerLensApi {
  const started = performance.now();
  const channel = initLog();
  context.subscriptions.push(channel);
  try {
    const cache = new ReportingCache();
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
        // Cells added, removed or moved: the summary follows its model (by id) to its new cell.
        if (e.contentChanges.length > 0) updateSummaryPanel(e.notebook.uri, cache.forNotebook(e.notebook).result.models);
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
  return {
    previewStatus: () => ActivationPanel.active?.lastStatus,
    activationMs: performance.now() - started,
    previewShown: () => ActivationPanel.active?.shown(),
    summaryShown,
    previewReceive: async (message) => {
      const panel = ActivationPanel.active;
      if (!panel) throw new Error('no preview is open');
      await panel.receive(message);
    },
    recentLog,
  };
}

export function deactivate(): void {}
