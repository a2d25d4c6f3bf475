/** The summary panel's page: the model's table, themed, with no script. No vscode import, so that tests render it. */
import { BYTES_PER_PARAM, connectedTo } from '../core/format';
import { describeParams, formatBytes, formatCount, formatField, formatShape, type LayerResult, type ModelResult } from '../core';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The panel's page. No script runs in it: a model used as a layer (a pretrained base) has its own rows under its
 * row, indented, shown by the "Expand nested models" checkbox through CSS alone (Keras' `expand_nested`).
 */
export function summaryHtml(model: ModelResult, nonce: string): string {
  // A Functional model's table has Keras' "Connected to" column.
  const functional = model.kind === 'functional';
  const row = (l: LayerResult, depth: number): string =>
    `<tr${depth ? ' class="nested"' : ''}><td>${depth ? `<span class="indent">${'&nbsp;&nbsp;'.repeat(depth - 1)}└ </span>` : ''}${esc(l.name)} <span class="type">(${esc(l.type)})</span></td><td class="mono">${esc(formatShape(l.outputShape))}</td>` +
    `<td class="num" title="${esc(describeParams(l))}">${formatCount(l.params)}</td><td class="num">${esc(formatField(l.receptiveField))}</td><td class="num">${formatCount(l.macs)}</td>` +
    `${functional ? `<td class="mono">${depth ? '' : esc(connectedTo(l))}</td>` : ''}</tr>` +
    (l.nested ?? []).map((n) => row(n, depth + 1)).join('');
  const rows = model.layers.map((l) => row(l, 0)).join('');
  const nested = model.layers.some((l) => l.nested?.length);
  const diags = model.diagnostics.map((d) => `<li class="${d.severity}"><b>${d.severity}</b> line ${d.range.start.line}: ${esc(d.message)}</li>`).join('');
  return `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}';">
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 16px; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--vscode-panel-border, rgba(128,128,128,.35)); text-align: left; }
th { color: var(--vscode-descriptionForeground); font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.mono { font-family: var(--vscode-editor-font-family); }
.type, .indent { color: var(--vscode-descriptionForeground); }
#expand:not(:checked) ~ table tr.nested { display: none; }
li.error b { color: var(--vscode-errorForeground); }
li.warning b { color: var(--vscode-editorWarning-foreground); }
</style></head><body>
<h2>${esc(model.name)} <span class="type">input ${esc(formatShape(model.inputShape))}</span></h2>
${nested ? '<input type="checkbox" id="expand"><label for="expand">Expand nested models</label>' : ''}
<table><thead><tr><th>Layer (type)</th><th>Output shape</th><th class="num">Params</th><th class="num">Receptive field</th><th class="num">MACs</th>${functional ? '<th>Connected to</th>' : ''}</tr></thead><tbody>${rows}</tbody></table>
<p>Total params: <b>${formatCount(model.totalParams)}</b> (${formatBytes(model.totalParams === null ? null : model.totalParams * BYTES_PER_PARAM)}) · trainable ${formatCount(model.trainableParams)} · non-trainable ${formatCount(model.nonTrainableParams)}<br>
Total MACs: ${formatCount(model.macs)} · activation memory per sample: ${formatBytes(model.activationBytes)}</p>
${diags ? `<ul>${diags}</ul>` : ''}
</body></html>`;
}
