/** "Show Model Summary": the model's table in a themed webview beside the editor. No script runs in it. */
import * as vscode from 'vscode';
import { BYTES_PER_PARAM } from '../core/format';
import { modelIdOf, modelIndexOf } from '../analysisCache';
import { describeShown, type ShownModel } from './previewModel';
import { formatBytes, formatCount, formatField, formatShape, describeParams, type ModelResult } from '../core';
import { connectedTo } from '../core/format';

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

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

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
  // A Functional model's table has Keras' "Connected to" column.
  const functional = model.kind === 'functional';
  const rows = model.layers
    .map(
      (l) =>
        `<tr><td>${esc(l.name)} <span class="type">(${esc(l.type)})</span></td><td class="mono">${esc(formatShape(l.outputShape))}</td>` +
        `<td class="num" title="${esc(describeParams(l))}">${formatCount(l.params)}</td><td class="num">${esc(formatField(l.receptiveField))}</td><td class="num">${formatCount(l.macs)}</td>` +
        `${functional ? `<td class="mono">${esc(connectedTo(l))}</td>` : ''}</tr>`,
    )
    .join('');
  const diags = model.diagnostics.map((d) => `<li class="${d.severity}"><b>${d.severity}</b> line ${d.range.start.line}: ${esc(d.message)}</li>`).join('');
  panel.webview.html = `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}';">
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 16px; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--vscode-panel-border, rgba(128,128,128,.35)); text-align: left; }
th { color: var(--vscode-descriptionForeground); font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.mono { font-family: var(--vscode-editor-font-family); }
.type { color: var(--vscode-descriptionForeground); }
li.error b { color: var(--vscode-errorForeground); }
li.warning b { color: var(--vscode-editorWarning-foreground); }
</style></head><body>
<h2>${esc(model.name)} <span class="type">input ${esc(formatShape(model.inputShape))}</span></h2>
<table><thead><tr><th>Layer (type)</th><th>Output shape</th><th class="num">Params</th><th class="num">Receptive field</th><th class="num">MACs</th>${functional ? '<th>Connected to</th>' : ''}</tr></thead><tbody>${rows}</tbody></table>
<p>Total params: <b>${formatCount(model.totalParams)}</b> (${formatBytes(model.totalParams === null ? null : model.totalParams * BYTES_PER_PARAM)}) · trainable ${formatCount(model.trainableParams)} · non-trainable ${formatCount(model.nonTrainableParams)}<br>
Total MACs: ${formatCount(model.macs)} · activation memory per sample: ${formatBytes(model.activationBytes)}</p>
${diags ? `<ul>${diags}</ul>` : ''}
</body></html>`;
}
