/** The model's layers as a table: shown instead of maps when its input is not spatial. */
import { html } from 'lit';
import { formatCount, formatShape } from '../../../src/core/format';
import type { PreviewModel } from '../../../src/protocol';

export function layerTable(model: PreviewModel) {
  return html`<table>
    <tr>
      <th>Layer</th>
      <th>Output shape</th>
      <th>Params</th>
    </tr>
    ${model.layers.map(
      (l) =>
        html`<tr>
          <td>${l.name} (${l.type})</td>
          <td>${formatShape(l.outputShape)}</td>
          <td>${formatCount(l.params)}</td>
        </tr>`,
    )}
  </table>`;
}
