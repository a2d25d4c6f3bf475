/** The core's diagnostics on the offending ranges, updated as the user types and cleared on close. */
import * as vscode from 'vscode';
import type { Diagnostic } from '../core';
import { documentOf, notebookOf, toRange, type AnalysisCache } from '../analysisCache';
import { config } from '../config';
import { guard } from '../log';
import { editorDiagnostics } from './diagnosticLabels';

const SEVERITY: Record<Diagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

/** Typing pauses shorter than this do not re-run the analysis for diagnostics. */
const DEBOUNCE_MS = 120;

export class DiagnosticsPublisher implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('layerlens');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly cache: AnalysisCache) {}

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.collection.dispose();
  }

  schedule(doc: vscode.TextDocument): void {
    const key = (notebookOf(doc)?.uri ?? doc.uri).toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.publish(doc);
      }, DEBOUNCE_MS),
    );
  }

  publish(doc: vscode.TextDocument): void {
    guard('diagnostics', undefined, () => {
      if (doc.languageId !== 'python' || doc.isClosed) return;
      const analysis = this.cache.get(doc);
      const docs = analysis.notebook ? analysis.notebook.getCells().map((c) => c.document) : [doc];
      const byUri = new Map<string, vscode.Diagnostic[]>(docs.map((d) => [d.uri.toString(), []]));
      if (config.diagnosticsEnabled()) {
        for (const d of editorDiagnostics(analysis.result)) {
          const target = documentOf(d.range, doc, analysis);
          if (!target) continue;
          const diag = new vscode.Diagnostic(toRange(d.range), d.message, SEVERITY[d.severity]);
          diag.code = d.code;
          diag.source = 'LayerLens';
          byUri.get(target.uri.toString())?.push(diag);
        }
      }
      for (const d of docs) this.collection.set(d.uri, byUri.get(d.uri.toString()) ?? []);
    });
  }

  clear(doc: vscode.TextDocument): void {
    this.collection.delete(doc.uri);
  }

  refreshAll(): void {
    for (const doc of vscode.workspace.textDocuments) if (doc.languageId === 'python') this.publish(doc);
  }
}
