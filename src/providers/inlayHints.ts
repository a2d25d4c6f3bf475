/**
 * The output shape at the end of each layer call, e.g. `(None, 11, 11, 64)`; parameters optional. A call that made
 * several layers (a loop, a function called more than once) gets one hint listing them (see hintLabel).
 */
import * as vscode from 'vscode';
import { inDocument, toRange, type AnalysisCache } from '../analysisCache';
import { config } from '../config';
import { formatCount, formatShape, rowsExtent, type ModelResult } from '../core';
import { guard } from '../log';
import { groupLayersByRange, hintLabel, hintTooltip } from './layerGroups';
import { Refreshable } from './refreshable';

/**
 * Where a layer's hint goes: at the end of its line (after `)`, `,` and the like, before a comment), so it
 * reads like the shape column of a summary; at the end of the call itself when another layer call ends later
 * on the same line.
 */
export function hintPosition(doc: vscode.TextDocument, callEnd: vscode.Position, allEnds: vscode.Position[]): vscode.Position {
  if (allEnds.some((e) => e.line === callEnd.line && e.character > callEnd.character)) return callEnd;
  const text = doc.lineAt(callEnd.line).text;
  const code = text
    .slice(callEnd.character)
    .replace(/\s*#.*$/, '')
    .trimEnd();
  return new vscode.Position(callEnd.line, callEnd.character + code.length);
}

/**
 * Whether a model's rows may lie in the editor's `range` (the lines in view): the models whose rows lie elsewhere are
 * left out before their rows are read, because reading the rows of a model an edit moved moves them (see the core's
 * rowsExtent), and a large file holds hundreds of models. A hint sits on its call's last line; a model whose rows
 * cannot be placed (a notebook's cells) is kept.
 */
function mayHaveRowsIn(model: ModelResult, range: vscode.Range): boolean {
  if (model.application) return true;
  const extent = rowsExtent(model);
  return !extent || (extent.first.line - 1 <= range.end.line && extent.last.line - 1 >= range.start.line);
}

export class InlayHintsProvider extends Refreshable implements vscode.InlayHintsProvider {
  readonly onDidChangeInlayHints = this.onChange;

  /** The editor's own limit on a line's hints decides how much a list shows: follow it when it changes. */
  private readonly lengthWatch = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('editor.inlayHints.maximumLength')) this.refresh();
  });

  constructor(private readonly cache: AnalysisCache) {
    super();
  }

  override dispose(): void {
    this.lengthWatch.dispose();
    super.dispose();
  }

  provideInlayHints(doc: vscode.TextDocument, range: vscode.Range): vscode.InlayHint[] {
    return guard('inlay hints', [], () => {
      if (!config.inlayHintsEnabled()) return [];
      const analysis = this.cache.get(doc);
      const options = {
        params: config.inlayHintsParams(),
        // VS Code cuts a line's hints after this many characters (0: never): shorten lists to fit instead.
        maxLength: vscode.workspace.getConfiguration('editor', doc).get<number>('inlayHints.maximumLength', 43),
      };
      // One hint per layer call: a call a loop runs (or a function called several times) made several layers.
      const groups = groupLayersByRange(
        analysis.result.models.filter((m) => mayHaveRowsIn(m, range)),
        (l) => inDocument(l.range, doc, analysis),
      );
      const ends = groups.map((g) => toRange(g.range).end);
      const hints: vscode.InlayHint[] = [];
      groups.forEach((group, i) => {
        if (!group.members.some((m) => m.layer.outputShape)) return;
        const at = hintPosition(doc, ends[i], ends);
        if (!range.contains(at)) return;
        const hint = new vscode.InlayHint(at, hintLabel(group, options), vscode.InlayHintKind.Type);
        hint.paddingLeft = true;
        const only = group.members.length === 1 ? group.members[0].layer : undefined;
        hint.tooltip = only
          ? `${only.name} (${only.type}) output shape`
          : `${group.members.length} layers from this call (output shapes):\n${hintTooltip(group)}`;
        hints.push(hint);
      });
      // A keras.applications call (`VGG16(...)`): the model's output, as a layer call shows its own.
      for (const model of analysis.result.models) {
        if (!model.application) continue;
        const last = model.layers[model.layers.length - 1];
        if (!last?.outputShape || !inDocument(model.range, doc, analysis)) continue;
        const at = hintPosition(doc, toRange(model.range).end, ends);
        if (!range.contains(at)) continue;
        const params = options.params ? ` · ${formatCount(model.totalParams)} params` : '';
        const hint = new vscode.InlayHint(at, `${formatShape(last.outputShape)}${params}`, vscode.InlayHintKind.Type);
        hint.paddingLeft = true;
        hint.tooltip = `${model.name} (${model.application}) output shape`;
        hints.push(hint);
      }
      return hints;
    });
  }
}
