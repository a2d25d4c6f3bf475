/**
 * The analysis' diagnostics as the editor lists them. A line that several models share (a function called more
 * than once, each call building a model of its own) can carry one diagnostic per model: the same message is
 * listed once; messages that differ say which model, and which call built it, each is for. Pure logic, no
 * `vscode`, so that the unit tests can run it.
 */
import type { AnalysisResult, Diagnostic, ModelResult } from '../core';
import { rangeKey, whereText } from './layerGroups';

export function editorDiagnostics(result: AnalysisResult): Diagnostic[] {
  const out: Diagnostic[] = [...result.diagnostics];
  const byPlace = new Map<string, { model: ModelResult; diagnostic: Diagnostic }[]>();
  for (const model of result.models)
    for (const diagnostic of model.diagnostics) {
      const key = `${rangeKey(diagnostic.range)}|${diagnostic.code}`;
      byPlace.set(key, [...(byPlace.get(key) ?? []), { model, diagnostic }]);
    }
  for (const group of byPlace.values()) {
    // One model's own (a loop's iterations on one line), or the same words for every model: as they are, once each.
    const labelled = new Set(group.map((g) => g.diagnostic.message)).size > 1 && new Set(group.map((g) => g.model)).size > 1;
    const seen = new Set<string>();
    for (const { model, diagnostic } of group) {
      const by = model.builtBy?.call ? `, built by the call at ${whereText(model.builtBy.call)}` : '';
      const message = labelled ? `${diagnostic.message} (model \`${model.name}\`${by})` : diagnostic.message;
      if (seen.has(message)) continue;
      seen.add(message);
      out.push(labelled ? { ...diagnostic, message } : diagnostic);
    }
  }
  return out;
}
