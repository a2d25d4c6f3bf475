/** The output shape at the end of each layer call, e.g. `(None, 11, 11, 64)`; parameters optional. */
import * as vscode from 'vscode';
import { formatCount, formatShape } from '../core';
import { inDocument, toRange, type AnalysisCache } from '../analysisCache';
import { config } from '../config';
import { guard } from '../log';
import { Refreshable } from './refreshable';

/**
 * Where a layer's hint goes: at the end of its line (after `)`, `,` and the like, before a comment), so it
 * reads like the shape column of a summary; at the end of the call itself when another layer call ends later
 * on the same line.
 */
export function hintPosition(doc: vscode.TextDocument, callEnd: vscode.Position, allEnds: vscode.Position[]): vscode.Position {
  if (allEnds.some((e) => e.line === callEnd.line && e.character > callEnd.character)) return callEnd;
  const text = doc.lineAt(callEnd.line).text;
  const code = text.slice(callEnd.character).replace(/\s*#.*$/, '').trimEnd();
  return new vscode.Position(callEnd.line, callEnd.character + code.length);
}

export class InlayHintsProvider extends Refreshable implements vscode.InlayHintsProvider {
  readonly onDidChangeInlayHints = this.onChange;

  constructor(private readonly cache: AnalysisCache) {
    super();
  }

  provideInlayHints(doc: vscode.TextDocument, range: vscode.Range): vscode.InlayHint[] {
    return guard('inlay hints', [], () => {
      if (!config.inlayHintsEnabled()) return [];
      const analysis = this.cache.get(doc);
      const withParams = config.inlayHintsParams();
      const hints: vscode.InlayHint[] = [];
      const layers = analysis.result.models.flatMap((m) => m.layers).filter((l) => inDocument(l.range, doc, analysis));
      const ends = layers.map((l) => toRange(l.range).end);
      layers.forEach((layer, i) => {
        if (!layer.outputShape) return;
        const at = hintPosition(doc, ends[i], ends);
        if (!range.contains(at)) return;
        const label = withParams && layer.params !== null ? `${formatShape(layer.outputShape)} · ${formatCount(layer.params)} params` : formatShape(layer.outputShape);
        const hint = new vscode.InlayHint(at, label, vscode.InlayHintKind.Type);
        hint.paddingLeft = true;
        hint.tooltip = `${layer.name} (${layer.type}) output shape`;
        hints.push(hint);
      });
      return hints;
    });
  }
}
