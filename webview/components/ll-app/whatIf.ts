/** Max pooling, average pooling and a strided convolution at one layer, side by side, with the core's numbers. */
import { html, nothing } from 'lit';
import { formatCount, formatField, formatShape } from '../../../src/core/format';
import type { PersistedState } from '../../../src/protocol';
import type { WhatIfState } from '../../app/controller';

export function whatIfBlock(w: WhatIfState, ui: PersistedState, close: () => void) {
  return html`<div class="whatif">
    <div class="row"><b>Downsampling at this layer</b><span class="muted">your source is not changed</span><button @click=${close}>Close</button></div>
    <div class="variants">
      ${w.variants.map(({ variant, map }) => {
        const layer = variant.model.layers[w.index];
        return html`<div class="variant">
          <div><b>${variant.label}</b></div>
          <code>${variant.code}</code>
          <div class="muted">
            ${formatShape(layer?.outputShape ?? null)} · ${formatCount(layer?.params ?? null)} params here · ${formatCount(variant.model.totalParams)} in the
            model · deepest RF ${formatField(variant.model.deepestField)}
          </div>
          ${layer ? html`<ll-layer .layer=${layer} .map=${map} .colormap=${ui.colormap} .layerScale=${ui.layerScale}></ll-layer>` : nothing}
        </div>`;
      })}
    </div>
  </div>`;
}
