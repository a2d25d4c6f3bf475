/** Above each model: `8 layers · 93,322 params (364.5 KB) · RF 18×18 · Preview activations · Summary`. */
import * as vscode from 'vscode';
import { modelLensTitle } from '../core';
import { inDocument, toRange, type AnalysisCache } from '../analysisCache';
import { COMMANDS } from '../commandIds';
import { config } from '../config';
import { guard } from '../log';
import { Refreshable } from './refreshable';

export class CodeLensProvider extends Refreshable implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses = this.onChange;

  constructor(private readonly cache: AnalysisCache) {
    super();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    return guard('code lenses', [], () => {
      if (!config.codeLensEnabled()) return [];
      const analysis = this.cache.get(doc);
      const lenses: vscode.CodeLens[] = [];
      for (const [index, model] of analysis.result.models.entries()) {
        if (!inDocument(model.range, doc, analysis)) continue;
        const line = toRange(model.range).start.line;
        const at = new vscode.Range(line, 0, line, 0);
        const args = [doc.uri.toString(), index, null];
        lenses.push(
          new vscode.CodeLens(at, { title: modelLensTitle(model), command: COMMANDS.showSummary, arguments: args, tooltip: 'Show the model summary' }),
          new vscode.CodeLens(at, { title: 'Preview activations', command: COMMANDS.previewActivations, arguments: args }),
          new vscode.CodeLens(at, { title: 'Summary', command: COMMANDS.showSummary, arguments: args }),
        );
      }
      return lenses;
    });
  }
}
