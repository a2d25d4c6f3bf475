/** "Show Model Summary": the model's table in a themed webview beside the editor. No script runs in it. */
import * as vscode from 'vscode';
import { modelIdOf, modelIndexOf } from '../analysisCache';
import { describeShown, type ShownModel } from './previewModel';
import type { ModelResult } from '../core';
import { summaryHtml } from './summaryHtml';

let panel: vscode.WebviewPanel | undefined;

export interface SummaryTarget {
  uri: vscode.Uri;
  modelName: string;
  /** The model's id (see modelId); when not given, the id the analysis cache gave `model`. */
  modelId?: string;
}
let shown: SummaryTarget | undefined;
/** The model the panel last rendered. */
let rendered: ModelResult | undefined;

/** What the summary panel shows, for the integration tests; undefined when it is closed. */
export function summaryShown(): ShownModel | undefined {
  return panel && rendered ? describeShown(rendered) : undefined;
}

export function showSummaryPanel(model: ModelResult, target: SummaryTarget): void {
  if (!panel) {
    panel = vscode.window.createWebviewPanel(
      'layerlens.summary',
      `Summary: ${model.name}`,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: false, localResourceRoots: [] },
    );
    panel.onDidDispose(() => {
      panel = undefined;
      shown = undefined;
      rendered = undefined;
    });
  } else panel.reveal(vscode.ViewColumn.Beside, true);
  shown = { ...target, modelId: target.modelId ?? modelIdOf(model) ?? `${model.name}#0` };
  render(model);
}

/** Re-renders the open summary when the model it shows was re-analysed: the model with its id, not its name. */
export function updateSummaryPanel(uri: vscode.Uri, models: ModelResult[]): void {
  if (!panel || !shown?.modelId || shown.uri.toString() !== uri.toString()) return;
  const model = models[modelIndexOf(models, shown.modelId)];
  if (model) render(model);
}

function render(model: ModelResult): void {
  if (!panel) return;
  rendered = model;
  panel.title = `Summary: ${model.name}`;
  const nonce = Array.from({ length: 24 }, () => Math.floor(Math.random() * 36).toString(36)).join('');
  panel.webview.html = summaryHtml(model, nonce);
}
