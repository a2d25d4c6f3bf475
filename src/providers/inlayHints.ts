/** The output shape at the end of each layer call, e.g. `(None, 11, 11, 64)`; parameters optional. */
import * as vscode from 'vscode';
import { formatCount, formatShape } from '../core';
import { inDocument, toRange, type AnalysisCache } from '../analysisCache';
import { config } from '../config';
import { guard } from '../log';

export class InlayHintsProvider implements vscode.InlayHintsProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeInlayHints = this.changed.event;

  constructor(private readonly cache: AnalysisCache) {}

  refresh(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }

  provideInlayHints(doc: vscode.TextDocument, range: vscode.Range): vscode.InlayHint[] {
    return guard('inlay hints', [], () => {
      if (!config.inlayHintsEnabled()) return [];
      const analysis = this.cache.get(doc);
      const withParams = config.inlayHintsParams();
      const hints: vscode.InlayHint[] = [];
      for (const model of analysis.result.models) {
        for (const layer of model.layers) {
          if (!layer.outputShape || !inDocument(layer.range, doc, analysis)) continue;
          const end = toRange(layer.range).end;
          if (!range.contains(end)) continue;
          const label = withParams && layer.params !== null ? `${formatShape(layer.outputShape)} · ${formatCount(layer.params)} params` : formatShape(layer.outputShape);
          const hint = new vscode.InlayHint(end, label, vscode.InlayHintKind.Type);
          hint.paddingLeft = true;
          hint.tooltip = `${layer.name} (${layer.type}) output shape`;
          hints.push(hint);
        }
      }
      return hints;
    });
  }
}
