/**
 * Max pooling, average pooling and a strided convolution at one layer, side by side, with the core's numbers; and
 * the pooling experiment: each variant trained on the same digits, seed and settings, its validation curve, final
 * accuracy and time, and a line that says what the runs show (one seed: no verdict on small differences).
 */
import { html, nothing } from 'lit';
import { formatCount, formatField, formatShape } from '../../../src/core/format';
import type { PreviewController, WhatIfState } from '../../app/controller';
import { curveChart } from '../ll-train/curves';

/** What the finished runs show: each variant's final validation accuracy, and what one seed cannot tell. */
export function experimentSummary(w: WhatIfState): string | null {
  const final = w.variants.flatMap((v) => {
    const last = v.training?.error ? undefined : v.training?.trainer?.epochValidation.at(-1);
    return last ? [{ label: v.variant.label, accuracy: last.accuracy }] : [];
  });
  if (final.length < 2 || final.length !== w.variants.length) return null;
  const spread = Math.max(...final.map((f) => f.accuracy)) - Math.min(...final.map((f) => f.accuracy));
  const list = final.map((f) => `${f.label} ${(f.accuracy * 100).toFixed(1)}%`).join(', ');
  return `Validation accuracy on the held-out digits after the same training: ${list}. One seed and one budget: ${
    spread < 0.02
      ? 'a spread this small (under 2 points) is within what another seed or more epochs could change; it is no verdict.'
      : 'another seed or more epochs could narrow or widen these gaps; run it again with more epochs before drawing a verdict.'
  }`;
}

export function whatIfBlock(c: PreviewController, w: WhatIfState) {
  const ui = c.ui;
  const plan = c.training?.plan;
  const canTrain = plan && !plan.mismatch;
  const summary = experimentSummary(w);
  return html`<div class="whatif">
    <div class="row">
      <b>Downsampling at this layer</b><span class="muted">your source is not changed</span>
      ${
        canTrain
          ? html`<button ?disabled=${c.whatIfTraining || c.training?.busy} @click=${() => void c.trainWhatIf()}>Train each</button
              ><span class="muted">same digits, seed and settings as Train</span>`
          : nothing
      }
      <button @click=${() => c.closeWhatIf()}>Close</button>
    </div>
    <div class="variants">
      ${w.variants.map(({ variant, map, training }) => {
        const layer = variant.model.layers[w.index];
        const trainer = training?.trainer;
        const last = trainer?.validation.at(-1);
        return html`<div class="variant">
          <div><b>${variant.label}</b></div>
          <code>${variant.code}</code>
          <div class="muted">
            ${formatShape(layer?.outputShape ?? null)} · ${formatCount(layer?.params ?? null)} params here · ${formatCount(variant.model.totalParams)} in the
            model · deepest RF ${formatField(variant.model.deepestField)}
          </div>
          ${layer ? html`<ll-layer .layer=${layer} .map=${map} .colormap=${ui.colormap} .layerScale=${ui.layerScale}></ll-layer>` : nothing}
          ${training?.error ? html`<div class="message">${training.error}</div>` : nothing}
          ${
            trainer
              ? html`<div class="muted">
                    ${trainer.seen.toLocaleString('en-US')} digits in ${(trainer.trainingMs / 1000).toFixed(1)}
                    s${last ? ` · validation accuracy ${(last.accuracy * 100).toFixed(1)}%` : ''}
                  </div>
                  ${curveChart('Validation accuracy', [{ label: 'validation', points: trainer.validation, style: 'validation' }], (p) => p.accuracy, trainer.total, 1)}`
              : nothing
          }
        </div>`;
      })}
    </div>
    ${summary ? html`<p class="summary">${summary}</p>` : nothing}
  </div>`;
}
