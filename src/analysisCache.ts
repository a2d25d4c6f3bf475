/**
 * One analysis per document version. Providers ask here and never parse anything themselves. A notebook
 * cell's analysis is its notebook's: all code cells joined in order, so a model built across cells is whole.
 */
import * as vscode from 'vscode';
import { analyzeCells, Analyzer, type AnalysisResult, type ModelResult, type Range as CoreRange } from './core';
import { config } from './config';
import { modelAtPosition, modelSpan } from './modelSpan';

export interface DocumentAnalysis {
  result: AnalysisResult;
  /** The notebook when the document is one of its cells. */
  notebook?: vscode.NotebookDocument;
}

const PYTHON_CELL_LANGUAGES = new Set(['python']);

export function notebookOf(doc: vscode.TextDocument): vscode.NotebookDocument | undefined {
  if (doc.uri.scheme !== 'vscode-notebook-cell') return undefined;
  return vscode.workspace.notebookDocuments.find((nb) => nb.getCells().some((c) => c.document === doc));
}

function notebookKey(nb: vscode.NotebookDocument): string {
  return `${nb.uri.toString()}@${nb.version}:${nb
    .getCells()
    .map((c) => c.document.version)
    .join(',')}`;
}

export class AnalysisCache {
  private readonly entries = new Map<string, { key: string; analysis: DocumentAnalysis }>();
  /** One analyzer per open file: each keystroke's analysis reuses the previous version's work. */
  private readonly analyzers = new Map<string, Analyzer>();

  /** The analysis of the document (or of the notebook it is a cell of), computed once per version. */
  get(doc: vscode.TextDocument): DocumentAnalysis {
    const nb = notebookOf(doc);
    if (nb) return this.forNotebook(nb);
    const id = doc.uri.toString();
    // The Keras version is part of the key: changing the setting re-analyses without an edit.
    const kerasVersion = config.kerasVersion();
    const key = `${id}@${doc.version}:${kerasVersion}`;
    const hit = this.entries.get(id);
    if (hit && hit.key === key) return hit.analysis;
    let analyzer = this.analyzers.get(id);
    if (!analyzer) this.analyzers.set(id, (analyzer = new Analyzer()));
    const analysis = { result: analyzer.analyze(doc.getText(), kerasVersion) };
    rememberIds(analysis.result.models);
    this.entries.set(id, { key, analysis });
    return analysis;
  }

  forNotebook(nb: vscode.NotebookDocument): DocumentAnalysis {
    const id = nb.uri.toString();
    const kerasVersion = config.kerasVersion();
    const key = `${notebookKey(nb)}:${kerasVersion}`;
    const hit = this.entries.get(id);
    if (hit && hit.key === key) return hit.analysis;
    const cells = nb
      .getCells()
      .filter((c) => c.kind === vscode.NotebookCellKind.Code && PYTHON_CELL_LANGUAGES.has(c.document.languageId))
      .map((c) => ({ index: c.index, text: c.document.getText() }));
    const analysis = { result: analyzeCells(cells, { kerasVersion }), notebook: nb };
    rememberIds(analysis.result.models);
    this.entries.set(id, { key, analysis });
    return analysis;
  }

  /** The document closed: its analysis and what its analyzer kept go. */
  forget(uri: vscode.Uri): void {
    this.entries.delete(uri.toString());
    this.analyzers.get(uri.toString())?.dispose();
    this.analyzers.delete(uri.toString());
  }
}

/** A core range (1-based, end exclusive) as a VS Code range in its own document. */
export function toRange(r: CoreRange): vscode.Range {
  return new vscode.Range(r.start.line - 1, r.start.column - 1, r.end.line - 1, r.end.column - 1);
}

/** Whether a core range lies in this document: the whole file, or this notebook cell. */
export function inDocument(r: CoreRange, doc: vscode.TextDocument, analysis: DocumentAnalysis): boolean {
  if (!analysis.notebook) return r.cell === undefined;
  const cell = analysis.notebook.getCells().find((c) => c.document === doc);
  return cell !== undefined && r.cell === cell.index;
}

/** The text document a core range lies in. */
export function documentOf(r: CoreRange, doc: vscode.TextDocument, analysis: DocumentAnalysis): vscode.TextDocument | undefined {
  if (!analysis.notebook || r.cell === undefined) return doc;
  return analysis.notebook.cellAt(r.cell)?.document;
}

export { modelSpan };

/** The model the position belongs to (see modelAtPosition): inside one of its calls, else inside its span. */
export function modelAt(analysis: DocumentAnalysis, doc: vscode.TextDocument, pos: vscode.Position): ModelResult | undefined {
  return modelAtPosition(analysis.result.models, (r) => inDocument(r, doc, analysis), pos.line + 1, pos.character + 1);
}

function rangeId(r: CoreRange): string {
  return `${r.cell ?? ''}:${r.start.line}:${r.start.column}-${r.end.line}:${r.end.column}`;
}

/**
 * A model's id, for command links, lenses and the panels that keep showing one model while its source changes: its
 * name and its ordinal among the models of that name, in the order the analysis makes them — `model#0` and `model#1`
 * for a file (or a notebook) that assigns `model` twice, `ms#0` and `ms#1` for `ms = [build(s) for s in (16, 32)]`.
 * Lines and cells are left out on purpose: typing above a model, or adding a cell above it, does not change its id.
 * Only adding or removing a model of the same name before it (or renaming it) does.
 */
export function modelId(models: ModelResult[], index: number): string {
  const name = models[index].name;
  let ordinal = 0;
  for (let i = 0; i < index; i++) if (models[i].name === name) ordinal++;
  return `${name}#${ordinal}`;
}

/** The index of the model with this id (see modelId), or -1. */
export function modelIndexOf(models: ModelResult[], id: string): number {
  const hash = id.lastIndexOf('#');
  const name = id.slice(0, hash);
  const ordinal = Number(id.slice(hash + 1));
  if (hash < 0 || !Number.isInteger(ordinal)) return -1;
  let seen = 0;
  for (let i = 0; i < models.length; i++) if (models[i].name === name && seen++ === ordinal) return i;
  return -1;
}

/** Each analysed model's id (see modelId), for code that holds the model and not the list it came from. */
const ids = new WeakMap<ModelResult, string>();

function rememberIds(models: ModelResult[]): void {
  const seen = new Map<string, number>();
  for (const m of models) {
    const ordinal = seen.get(m.name) ?? 0;
    seen.set(m.name, ordinal + 1);
    ids.set(m, `${m.name}#${ordinal}`);
  }
}

/** The id of a model this cache analysed (see modelId). */
export function modelIdOf(model: ModelResult): string | undefined {
  return ids.get(model);
}

/** Models whose `builtBy.call` is on the position's line in this document: the call the cursor is on. */
export function modelsCalledAt(analysis: DocumentAnalysis, doc: vscode.TextDocument, pos: vscode.Position): ModelResult[] {
  return analysis.result.models.filter((m) => {
    const call = m.builtBy?.call;
    if (!call || !inDocument(call, doc, analysis)) return false;
    const r = toRange(call);
    return pos.line >= r.start.line && pos.line <= r.end.line;
  });
}

/** Every model the position belongs to, as modelAt decides, with the others made by the same code (one per call). */
export function modelsAt(analysis: DocumentAnalysis, doc: vscode.TextDocument, pos: vscode.Position): ModelResult[] {
  const first = modelAt(analysis, doc, pos);
  if (!first) return [];
  const key = rangeId(first.range);
  return analysis.result.models.filter((m) => m === first || (m.builtBy && rangeId(m.range) === key));
}
