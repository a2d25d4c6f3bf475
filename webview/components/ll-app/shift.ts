/**
 * Translation invariance, seen: the input moved a few pixels, and beside the model's maps of the input, those of the
 * shifted input for the first convolution and the last layer with a spatial map (they move with it), and whether
 * the prediction holds.
 */
import { html, nothing } from 'lit';
import { LARGE_MODEL_MACS, type PreviewController } from '../../app/controller';
import type { LayerMap } from '../../tfjs/runner';

const STEP = 2;

/** The most likely class and its score, from a head's map (a vector). */
export function prediction(map: LayerMap | undefined): { index: number; score: number } | null {
  if (!map || map.shape.length !== 1 || map.shape[0] < 2) return null;
  let index = 0;
  for (let i = 1; i < map.values.length; i++) if (map.values[i] > map.values[index]) index = i;
  return { index, score: map.values[index] };
}

export function shiftBlock(c: PreviewController) {
  const model = c.model;
  if (!model || (model.macs ?? Infinity) > LARGE_MODEL_MACS) return nothing;
  const s = c.shift;
  const dx = s?.dx ?? 0;
  const dy = s?.dy ?? 0;
  const move = (x: number, y: number) => c.setShift(dx + x, dy + y);
  const last = model.layers[model.layers.length - 1];
  const before = prediction(c.maps.get(last.index));
  const after = prediction(s?.maps.get(last.index));
  // The first convolution and the last layer with a spatial map: where the maps move with the input, and where
  // pooling has made them move less.
  const spatial = model.layers.filter((l) => (l.outputShape?.length ?? 0) === 4 && l.type !== 'InputLayer');
  const shown = [...new Set([spatial[0], spatial[spatial.length - 1]].filter(Boolean))];
  return html`<section class="shift" aria-label="Shifted input">
    <div class="row">
      <b>Shift the input</b>
      <button aria-label="Left" @click=${() => move(-STEP, 0)}>←</button><button aria-label="Right" @click=${() => move(STEP, 0)}>→</button
      ><button aria-label="Up" @click=${() => move(0, -STEP)}>↑</button><button aria-label="Down" @click=${() => move(0, STEP)}>↓</button>
      ${s ? html`<span class="muted">by ${dx} px right, ${dy} px down</span><button @click=${() => c.setShift(0, 0)}>Reset</button>` : nothing}
    </div>
    ${
      s && before && after
        ? html`<div class="prediction">
            Prediction: class ${before.index} (${before.score.toFixed(2)}) → shifted: class ${after.index} (${after.score.toFixed(2)})
            ${before.index === after.index ? ' — it holds' : ' — it changed'}
          </div>`
        : nothing
    }
    ${
      s
        ? shown.map(
            (l) =>
              html`<div class="muted">${l.name}, shifted input (the unshifted maps are below)</div>
                <ll-layer .layer=${l} .map=${s.maps.get(l.index) ?? null} .colormap=${c.ui.colormap} .layerScale=${c.ui.layerScale}></ll-layer>`,
          )
        : nothing
    }
  </section>`;
}
