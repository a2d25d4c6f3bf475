/**
 * Hover on a layer call: shapes, parameters, receptive field, cost; where the call made several layers (a loop, a
 * function called more than once), one row per layer and the call that built each. On the model (its variable, its
 * `Sequential(` call, or the call of the function that built it): its summary.
 */
import * as vscode from 'vscode';
import {
  applicationMarkdown,
  formatShape,
  kerasVersionText,
  layerMarkdown,
  modelLensTitle,
  modelMarkdownTable,
  type LayerResult,
  type ModelResult,
} from '../core';
import { inboundMarkdown, tensorMarkdown } from '../core/describe';
import { documentOf, inDocument, modelId, toRange, type AnalysisCache, type DocumentAnalysis } from '../analysisCache';
import { COMMANDS } from '../commandIds';
import { guard } from '../log';
import { builtBySentence, codeSpan, oneLine, defaultsNote, groupAt, groupLayersByRange, groupMarkdown, whereText, type LayerGroup } from './layerGroups';
import { allTensors, callAssigned, tensorsAssignedAt, tensorsFeeding, tensorsReadAt, type PlacedTensor } from './tensors';

function commandLink(title: string, command: string, args: unknown[]): string {
  return `[${title}](command:${command}?${encodeURIComponent(JSON.stringify(args))})`;
}

/** What a hover link passes to a command: the document, the model's id (see modelId) and a layer index. */
function target(doc: vscode.TextDocument, models: ModelResult[], modelIndex: number, layer?: LayerResult): unknown[] {
  return [doc.uri.toString(), modelId(models, modelIndex), layer?.index ?? null];
}

function links(doc: vscode.TextDocument, models: ModelResult[], modelIndex: number, layer?: LayerResult): string {
  const t = target(doc, models, modelIndex, layer);
  return `${commandLink('Preview activations', COMMANDS.previewActivations, t)} · ${commandLink('Show model summary', COMMANDS.showSummary, t)}`;
}

/** The source text of the call that built a model (in this document or, in a notebook, another cell). */
export function callSource(model: ModelResult, doc: vscode.TextDocument, analysis: DocumentAnalysis): string | undefined {
  const call = model.builtBy?.call;
  if (!call) return undefined;
  const where = documentOf(call, doc, analysis);
  return where?.getText(toRange(call)) || undefined;
}

function markdown(): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = { enabledCommands: [COMMANDS.previewActivations, COMMANDS.showSummary] };
  return md;
}

export function hoverProvider(cache: AnalysisCache): vscode.HoverProvider {
  return {
    provideHover(doc, pos) {
      return guard('hover', undefined, () => {
        const analysis = cache.get(doc);
        const models = analysis.result.models;
        const here = (r: LayerResult['range']) => inDocument(r, doc, analysis) && toRange(r).contains(pos);
        const groups = groupLayersByRange(models, (l) => inDocument(l.range, doc, analysis));
        const everyTensor = allTensors(models);
        const tensors = everyTensor.filter((t) => inDocument(t.tensor.range, doc, analysis));

        // Functional models: the variable an assignment binds (`x = layers.Conv2D(...)(x)`): the card of the call it
        // takes (the same as on the call); a variable bound to another variable's tensor: that tensor.
        const assigned = tensorsAssignedAt(tensors, pos.line + 1, pos.character + 1);
        if (assigned.length) {
          const call = callAssigned(groups, assigned);
          const range = toRange(assigned[0].tensor.range);
          return new vscode.Hover(call ? layerHover(call, doc, analysis) : tensorHover(assigned), range);
        }

        // The layer call under the cursor (the innermost of nested Functional calls), with every layer that call made
        // (loop iterations, calls of its function).
        const group = groupAt(groups, pos.line + 1, pos.character + 1);
        // A variable holding a Keras tensor: its shape; in a layer call, the tensor that feeds the call, then the call's card.
        const word = everyTensor.length ? doc.getWordRangeAtPosition(pos, /[A-Za-z_]\w*/) : undefined;
        if (word) {
          const name = doc.getText(word);
          const cell = analysis.notebook?.getCells().find((c) => c.document === doc)?.index;
          const read = group
            ? tensorsFeeding(everyTensor, group, name)
            : tensorsReadAt(everyTensor, name, { line: pos.line + 1, cell }, (c, line) => {
                const d = c === cell ? doc : analysis.notebook?.cellAt(c ?? -1)?.document;
                return d && line >= 1 && line <= d.lineCount ? d.lineAt(line - 1).text : undefined;
              });
          if (read.length) return new vscode.Hover(group ? [tensorHover(read), layerHover(group, doc, analysis)] : tensorHover(read), word);
        }
        if (group) return new vscode.Hover(layerHover(group, doc, analysis), toRange(group.range));

        // The call of a function that built a model: that model (several when the call builds several, as in a comprehension).
        const called = [...models.entries()].filter(([, m]) => m.builtBy?.call && here(m.builtBy.call));
        const callRange = called[0]?.[1].builtBy?.call;
        if (callRange) return new vscode.Hover(modelsHover(called, doc, analysis), toRange(callRange));

        // The `Sequential(` call or the model's variable: every model made there (one per call of its function).
        const made = [...models.entries()].filter(([, m]) => here(m.range) || onModelName(doc, pos, m, analysis));
        if (made.length) return new vscode.Hover(modelsHover(made, doc, analysis));
        return undefined;
      });
    },
  };
}

/** Which Keras the numbers are for, where Keras 2 and 3 differ (the setting `layerlens.kerasVersion`): one short line. */
function versionLine(models: ModelResult[]): string[] {
  const versions = [...new Set(models.filter((m) => m.kerasVersion !== undefined).map((m) => kerasVersionText(m)))];
  return versions.length ? ['', `_${versions.join(', ')} (setting \`layerlens.kerasVersion\`)_`] : [];
}

/** One layer: its full description; several: a row each, then the links of each model. */
function layerHover(group: LayerGroup, doc: vscode.TextDocument, analysis: DocumentAnalysis): vscode.MarkdownString {
  const models = analysis.result.models;
  const md = markdown();
  if (group.members.length === 1) {
    const { model, modelIndex, layer, call } = group.members[0];
    const by = builtBySentence(model, callSource(model, doc, analysis));
    // A Functional model's layer: which layers feed it (for a merge, each input with its shape).
    const inbound = inboundMarkdown(model, layer, call);
    md.appendMarkdown(
      [
        ...layerMarkdown(layer, call),
        ...(inbound.length ? ['', ...inbound] : []),
        ...(by ? ['', by] : []),
        ...versionLine([model]),
        '',
        links(doc, models, modelIndex, layer),
      ].join('\n'),
    );
    return md;
  }
  const lines = groupMarkdown(group, {
    callSource: (m) => callSource(m, doc, analysis),
    layerLink: ({ modelIndex, layer }) => commandLink(layer.name, COMMANDS.previewActivations, target(doc, models, modelIndex, layer)),
  });
  const perModel = [...new Map(group.members.map((m) => [m.modelIndex, m])).values()];
  lines.push(...versionLine(perModel.map((m) => m.model)));
  const summaries = perModel.map(({ model, modelIndex }) =>
    commandLink(perModel.length > 1 ? model.name : 'Show model summary', COMMANDS.showSummary, target(doc, models, modelIndex)),
  );
  lines.push('', `${perModel.length > 1 ? 'Show model summary: ' : ''}${summaries.join(' · ')} · Click a layer to preview its activations.`);
  md.appendMarkdown(lines.join('\n'));
  return md;
}

/** A variable holding a Keras tensor: its shape and the layer it comes from (one line per run of the code that assigns it). */
function tensorHover(tensors: PlacedTensor[]): vscode.MarkdownString {
  const md = markdown();
  md.appendMarkdown(tensorMarkdown(tensors).join('\n'));
  return md;
}

/** One model: its table (and what built it); several made at one place: a row each, with links. */
function modelsHover(entries: [number, ModelResult][], doc: vscode.TextDocument, analysis: DocumentAnalysis): vscode.MarkdownString {
  const models = analysis.result.models;
  const md = markdown();
  if (entries.length === 1) {
    const [index, model] = entries[0];
    const by = builtBySentence(model, callSource(model, doc, analysis));
    const table = model.application ? applicationMarkdown(model) : modelMarkdownTable(model);
    md.appendMarkdown([...table, ...(by ? ['', by] : []), '', links(doc, models, index)].join('\n'));
    return md;
  }
  const fns = [...new Set(entries.map(([, m]) => m.builtBy?.function).filter((f): f is string => !!f))];
  const lines = [`${fns.length ? fns.map((f) => codeSpan(f)).join(', ') : 'This code'} builds **${entries.length} models** here, one per call:`, ''];
  lines.push('| Model | Built by | Summary | Output |', '|---|---|---|---|');
  for (const [index, model] of entries) {
    const builtBy = model.builtBy;
    const by = builtBy?.call
      ? `${codeSpan(oneLine(callSource(model, doc, analysis) ?? `${builtBy.function}(…)`))} at ${whereText(builtBy.call)}`
      : builtBy
        ? `the defaults of ${codeSpan(builtBy.function)}`
        : '—';
    const last = model.layers[model.layers.length - 1];
    lines.push(
      `| ${commandLink(model.name, COMMANDS.showSummary, target(doc, models, index))} | ${by} | ${modelLensTitle(model)} | \`${formatShape(last?.outputShape ?? model.inputShape)}\` |`,
    );
  }
  const notes = [...new Set(entries.map(([, m]) => defaultsNote(m)).filter((n): n is string => !!n))];
  for (const n of notes) lines.push('', n);
  lines.push('', 'Click a model for its summary.');
  md.appendMarkdown(lines.join('\n'));
  return md;
}

/**
 * The cursor is on the model's variable where the model is made (`model = models.Sequential()`) or where the call
 * of the function that built it is assigned (`small = build_model(...)`).
 */
function onModelName(doc: vscode.TextDocument, pos: vscode.Position, model: ModelResult, analysis: DocumentAnalysis): boolean {
  const word = doc.getWordRangeAtPosition(pos, /[A-Za-z_][\w.]*/);
  if (!word) return false;
  // The variable a model is assigned to where it is made, whatever its name= (`model = keras.Model(..., name="toy_resnet")`).
  if (inDocument(model.range, doc, analysis)) {
    const call = toRange(model.range).start;
    if (call.line === word.end.line && /^\s*=\s*$/.test(doc.lineAt(call.line).text.slice(word.end.character, call.character))) return true;
  }
  if (doc.getText(word) !== model.name) return false;
  const call = model.builtBy?.call;
  if (call && inDocument(call, doc, analysis) && call.start.line - 1 === pos.line) return true;
  if (!inDocument(model.range, doc, analysis)) return false;
  // Any use of the name inside the model's own statements counts (`model.add`, `model.build`).
  return model.layers.some((l) => inDocument(l.range, doc, analysis) && l.range.start.line - 1 === pos.line) || model.range.start.line - 1 === pos.line;
}
