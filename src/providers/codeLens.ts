/**
 * Above each model: `8 layers · 93,322 params (364.5 KB) · RF 18×18 · Preview activations · Summary`. A model a
 * function of the file built has its lens above the call that built it (each call is a model of its own), not
 * above the `Sequential(` inside the function.
 */
import * as vscode from 'vscode';
import { modelLensTitle, type ModelResult } from '../core';
import { inDocument, modelId, toRange, type AnalysisCache } from '../analysisCache';
import { COMMANDS } from '../commandIds';
import { config } from '../config';
import { guard } from '../log';
import { Refreshable } from './refreshable';

/** Where a model's lens goes: above the call that built it, else above its `Sequential(` call. */
export function lensAnchor(model: ModelResult): ModelResult['range'] {
  return model.builtBy?.call ?? model.range;
}

export class CodeLensProvider extends Refreshable implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses = this.onChange;

  constructor(private readonly cache: AnalysisCache) {
    super();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    return guard('code lenses', [], () => {
      if (!config.codeLensEnabled()) return [];
      const analysis = this.cache.get(doc);
      const models = analysis.result.models;
      // Models whose lenses share a line (a comprehension's calls, two calls on one line) are named in their titles.
      const byLine = new Map<number, number[]>();
      models.forEach((model, index) => {
        const anchor = lensAnchor(model);
        if (!inDocument(anchor, doc, analysis)) return;
        const line = toRange(anchor).start.line;
        byLine.set(line, [...(byLine.get(line) ?? []), index]);
      });
      const lenses: vscode.CodeLens[] = [];
      for (const [line, indices] of [...byLine.entries()].sort((a, b) => a[0] - b[0])) {
        const at = new vscode.Range(line, 0, line, 0);
        for (const index of indices) {
          const model = models[index];
          const args = [doc.uri.toString(), modelId(models, index), null];
          const named = indices.length > 1 ? `${lensName(models, indices, index)}: ` : '';
          lenses.push(
            new ModelLens(at, model, named, args),
            new vscode.CodeLens(at, { title: 'Preview activations', command: COMMANDS.previewActivations, arguments: args }),
            new vscode.CodeLens(at, { title: 'Summary', command: COMMANDS.showSummary, arguments: args }),
          );
        }
      }
      return lenses;
    });
  }

  /**
   * The model's lens gets its title (layers, parameters, receptive field) only when VS Code shows it: the title reads
   * the model's rows, and reading the rows of a model an edit moved moves them (see the core's rowsExtent); a large
   * file holds hundreds of models, of which a screen shows a few.
   */
  resolveCodeLens(lens: vscode.CodeLens): vscode.CodeLens {
    return guard('code lenses', lens, () => {
      if (!(lens instanceof ModelLens)) return lens;
      const { model, named, args } = lens;
      const title = `${named}${modelLensTitle(model)}${model.builtBy && !model.builtBy.call ? ` · defaults of ${model.builtBy.function}()` : ''}`;
      lens.command = { title, command: COMMANDS.showSummary, arguments: args, tooltip: `Show the summary of "${model.name}"` };
      return lens;
    });
  }
}

/** A model's first lens, before VS Code asks for its title (see resolveCodeLens). */
class ModelLens extends vscode.CodeLens {
  constructor(
    range: vscode.Range,
    readonly model: ModelResult,
    /** `name: ` where models share the lens line, else empty. */
    readonly named: string,
    readonly args: unknown[],
  ) {
    super(range);
  }
}

/** The model's name, with `(2 of 3)` where models on one lens line share it. */
function lensName(models: ModelResult[], indices: number[], index: number): string {
  const same = indices.filter((i) => models[i].name === models[index].name);
  return same.length > 1 ? `${models[index].name} (${same.indexOf(index) + 1} of ${same.length})` : models[index].name;
}
