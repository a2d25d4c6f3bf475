/** Hover on a layer call: shapes, parameters, receptive field, cost. On the model: its summary. */
import * as vscode from 'vscode';
import { layerMarkdown, modelMarkdownTable, type LayerResult, type ModelResult } from '../core';
import { inDocument, toRange, type AnalysisCache } from '../analysisCache';
import { COMMANDS } from '../commandIds';
import { guard } from '../log';

function commandLink(title: string, command: string, args: unknown[]): string {
  return `[${title}](command:${command}?${encodeURIComponent(JSON.stringify(args))})`;
}

function links(doc: vscode.TextDocument, modelIndex: number, layer?: LayerResult): string {
  const target = [doc.uri.toString(), modelIndex, layer?.index ?? null];
  return `${commandLink('Preview activations', COMMANDS.previewActivations, target)} · ${commandLink('Show model summary', COMMANDS.showSummary, target)}`;
}

export function hoverProvider(cache: AnalysisCache): vscode.HoverProvider {
  return {
    provideHover(doc, pos) {
      return guard('hover', undefined, () => {
        const analysis = cache.get(doc);
        for (const [index, model] of analysis.result.models.entries()) {
          const mine = (r: LayerResult['range']) => inDocument(r, doc, analysis) && toRange(r).contains(pos);
          // The innermost layer call under the cursor (a wrapper's inner layer is part of its call).
          const layer = model.layers.find((l) => mine(l.range));
          const md = new vscode.MarkdownString(undefined, true);
          md.isTrusted = { enabledCommands: [COMMANDS.previewActivations, COMMANDS.showSummary] };
          if (layer) {
            md.appendMarkdown([...layerMarkdown(layer), '', links(doc, index, layer)].join('\n'));
            return new vscode.Hover(md, toRange(layer.range));
          }
          if (mine(model.range) || onModelName(doc, pos, model, analysis)) {
            md.appendMarkdown([...modelMarkdownTable(model), '', links(doc, index)].join('\n'));
            return new vscode.Hover(md);
          }
        }
        return undefined;
      });
    },
  };
}

/** The cursor is on the model's variable where the model is made (`model = models.Sequential()`). */
function onModelName(doc: vscode.TextDocument, pos: vscode.Position, model: ModelResult, analysis: ReturnType<AnalysisCache['get']>): boolean {
  if (!inDocument(model.range, doc, analysis)) return false;
  const word = doc.getWordRangeAtPosition(pos, /[A-Za-z_][\w.]*/);
  if (!word || doc.getText(word) !== model.name) return false;
  // Any use of the name inside the model's own statements counts (`model.add`, `model.build`).
  return model.layers.some((l) => inDocument(l.range, doc, analysis) && l.range.start.line - 1 === pos.line) || model.range.start.line - 1 === pos.line;
}
