/** One table of palette commands → handlers, each for "the model at the cursor" (or a model a link names). */
import * as vscode from 'vscode';
import { formatCount, formatMarkdown, formatShape, pyTuple, type ModelResult, type Range as CoreRange } from './core';
import {
  documentOf,
  inDocument,
  modelIndexOf,
  modelsAt,
  modelsCalledAt,
  notebookOf,
  toRange,
  type AnalysisCache,
  type DocumentAnalysis,
} from './analysisCache';
import { COMMANDS } from './commandIds';
import { logError } from './log';
import { ActivationPanel } from './panel/activationPanel';
import { showSummaryPanel } from './panel/summaryPanel';

export interface ModelTarget {
  doc: vscode.TextDocument;
  model: ModelResult;
  layerIndex: number | null;
}

function findDocument(uri: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
}

/**
 * The model a command is for: the one a hover/lens link names ([uri, modelId or modelIndex, layerIndex]), else the
 * one whose function call the cursor is on, else the one at the cursor (asking which when the cursor is in a
 * function that builds several, one per call), else one the user picks from the file's models.
 */
export async function resolveTarget(cache: AnalysisCache, args: unknown[]): Promise<ModelTarget | undefined> {
  const [uri, which, layerIndex] = args;
  if (typeof uri === 'string' && (typeof which === 'number' || typeof which === 'string')) {
    const doc = findDocument(uri);
    const models = doc ? cache.get(doc).result.models : [];
    const model = models[typeof which === 'number' ? which : modelIndexOf(models, which)];
    if (doc && model) return { doc, model, layerIndex: typeof layerIndex === 'number' ? layerIndex : null };
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'python') {
    void vscode.window.showInformationMessage('LayerLens: open a Python file or notebook with a Keras model first.');
    return undefined;
  }
  const doc = editor.document;
  const analysis = cache.get(doc);
  const models = analysis.result.models;
  const cursor = editor.selection.active;
  const called = modelsCalledAt(analysis, doc, cursor);
  if (called.length === 1) return { doc, model: called[0], layerIndex: null };
  const here = called.length > 1 ? called : modelsAt(analysis, doc, cursor);
  // A layer at the cursor: in a notebook, only one in the cursor's own cell (ranges' lines count from each cell's top).
  const layerAt = (m: ModelResult) => m.layers.find((l) => inDocument(l.range, doc, analysis) && toRange(l.range).contains(cursor));
  if (here.length === 1) {
    const layer = layerAt(here[0]);
    return { doc, model: here[0], layerIndex: layer?.index ?? null };
  }
  if (models.length === 0) {
    void vscode.window.showInformationMessage('LayerLens: no Keras model in this file.');
    return undefined;
  }
  if (models.length === 1) return { doc, model: models[0], layerIndex: null };
  const choices = here.length > 1 ? here : models;
  const picked = await vscode.window.showQuickPick(
    choices.map((m) => ({
      label: m.name,
      description: modelPlace(m, doc, analysis),
      detail: `${m.layers.length} layers · ${formatCount(m.totalParams)} params · input ${formatShape(m.inputShape)}`,
      model: m,
    })),
    { placeHolder: here.length > 1 ? `Which model? The code at the cursor builds ${here.length}, one per call.` : 'Which model?' },
  );
  if (!picked) return undefined;
  const layer = here.includes(picked.model) ? layerAt(picked.model) : undefined;
  return { doc, model: picked.model, layerIndex: layer?.index ?? null };
}

/** Where a model comes from, for the quick pick: `line 5`, `line 4 of cell 3` (cells counted from 1, as VS Code does), or the call that built it. */
function modelPlace(m: ModelResult, doc: vscode.TextDocument, analysis: DocumentAnalysis): string {
  const where = (r: CoreRange) => `line ${r.start.line}${r.cell !== undefined ? ` of cell ${r.cell + 1}` : ''}`;
  const call = m.builtBy?.call;
  if (m.builtBy && call) {
    const text = documentOf(call, doc, analysis)?.getText(toRange(call)).replace(/\s+/g, ' ').trim();
    return `${text && text.length <= 60 ? text : `${m.builtBy.function}(…)`}, ${where(call)}`;
  }
  if (m.builtBy) return `${where(m.range)}, defaults of ${m.builtBy.function}()`;
  return where(m.range);
}

/** Handlers get the target and the command's extra arguments (after [uri, modelId, layerIndex]). */
type Handler = (ctx: CommandContext, target: ModelTarget, extra: unknown[]) => Promise<void> | void;

export interface CommandContext {
  cache: AnalysisCache;
  extensionUri: vscode.Uri;
}

const HANDLERS: Record<(typeof COMMANDS)[keyof typeof COMMANDS], Handler> = {
  [COMMANDS.showSummary]: (_ctx, { doc, model }) => showSummaryPanel(model, { uri: notebookOf(doc)?.uri ?? doc.uri, modelName: model.name }),
  [COMMANDS.previewActivations]: (ctx, { doc, model, layerIndex }) => {
    const panel = ActivationPanel.show(ctx.extensionUri, ctx.cache, doc, model);
    if (layerIndex !== null) panel.select(layerIndex);
  },
  [COMMANDS.copySummaryMarkdown]: async (_ctx, { model }) => {
    await vscode.env.clipboard.writeText(formatMarkdown(model));
    void vscode.window.showInformationMessage(`LayerLens: copied the summary of "${model.name}" as Markdown.`);
  },
  [COMMANDS.setInputShape]: (_ctx, target, [shape]) => setInputShape(target, typeof shape === 'string' ? shape : undefined),
};

/** Registers every command; a handler's exception goes to the output channel and a short message. */
export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return Object.entries(HANDLERS).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        const target = await resolveTarget(ctx.cache, args);
        if (target) await handler(ctx, target, args.slice(3));
      } catch (e) {
        logError(id, e);
        void vscode.window.showErrorMessage(`LayerLens: ${id} failed; see the LayerLens output channel.`);
      }
    }),
  );
}

const SHAPE_INPUT = /^\(?\s*((?:\d+|None)(?:\s*,\s*(?:\d+|None))*)\s*,?\s*\)?$/;
const LAYERLENS_COMMENT = /^\s*#\s*layerlens:\s*input_shape\s*=/;

/**
 * "Set Input Shape…": writes `# layerlens: input_shape=(...)` on the line above the model (replacing an old one).
 * The shape can be passed as a fourth argument (scripts, tests); otherwise the user is asked.
 */
async function setInputShape({ doc, model }: ModelTarget, given?: string): Promise<void> {
  const current = model.inputShape ? formatShape(model.inputShape.slice(1)) : '';
  const value =
    given ??
    (await vscode.window.showInputBox({
      title: `Input shape of "${model.name}", without the batch dimension`,
      prompt: 'For example (28, 28, 1) for MNIST images, or (100,) for vectors',
      value: current === '?' ? '' : current,
      validateInput: (v) => (SHAPE_INPUT.test(v.trim()) ? undefined : 'Write a tuple of sizes, e.g. (28, 28, 1); None for a size that varies'),
    }));
  if (value === undefined) return;
  const parsed = SHAPE_INPUT.exec(value.trim());
  if (!parsed) {
    void vscode.window.showErrorMessage(`LayerLens: "${value}" is not an input shape; write a tuple such as (28, 28, 1).`);
    return;
  }
  const dims = parsed[1].split(',').map((s) => s.trim());
  const line = toRange(model.range).start.line;
  const indent = /^\s*/.exec(doc.lineAt(line).text)?.[0] ?? '';
  const comment = `${indent}# layerlens: input_shape=${pyTuple(dims)}`;
  const edit = new vscode.WorkspaceEdit();
  if (line > 0 && LAYERLENS_COMMENT.test(doc.lineAt(line - 1).text)) edit.replace(doc.uri, doc.lineAt(line - 1).range, comment);
  else edit.insert(doc.uri, new vscode.Position(line, 0), `${comment}\n`);
  await vscode.workspace.applyEdit(edit);
}
