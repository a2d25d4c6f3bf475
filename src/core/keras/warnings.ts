/** The seed's lesson as a warning: a Dense layer right after Flatten that holds most of the model. */
import { formatCount } from '../format';
import { allRules } from '../layers/catalogue';
import type { Diagnostic, ModelResult } from '../types';

/** The Dense layer must hold more than this share of all the model's parameters… */
export const LARGE_DENSE_SHARE = 0.5;
/** …and the map Flatten receives must still have at least this many spatial positions (10×10). */
export const LARGE_DENSE_MIN_POSITIONS = 100;

/**
 * Layers between Flatten and Dense that change nothing about the Dense's weights: the catalogue's layers that
 * keep their input's shape and have no weights of their own (activations, dropout, noise, Identity…; not PReLU).
 */
const PASS_THROUGH = new Set(
  allRules()
    .filter((r) => r.keepsShape && !r.params)
    .map((r) => r.type),
);

export function largeDenseWarning(model: ModelResult): Diagnostic | null {
  const total = model.totalParams;
  if (!total) return null;
  for (let i = 0; i < model.layers.length; i++) {
    const flatten = model.layers[i];
    if (flatten.type !== 'Flatten' || !flatten.inputShape) continue;
    let j = i + 1;
    while (j < model.layers.length && PASS_THROUGH.has(model.layers[j].type)) j++;
    const dense = model.layers[j];
    if (!dense || dense.type !== 'Dense' || dense.params === null) continue;
    const spatial = flatten.inputShape.slice(1, -1);
    const positions = spatial.reduce<number>((p, d) => p * (d ?? NaN), 1);
    if (!(positions >= LARGE_DENSE_MIN_POSITIONS) || dense.params <= LARGE_DENSE_SHARE * total) continue;
    const share = ((100 * dense.params) / total).toFixed(1);
    const map = flatten.inputShape.slice(1).join('×');
    const units = dense.outputShape?.[dense.outputShape.length - 1];
    return {
      severity: 'warning',
      code: 'large-dense',
      message:
        `${dense.type}(${units ?? '?'}) after Flatten holds ${fmt(dense.params)} of the model's ${fmt(total)} parameters (${share}%): ` +
        `Flatten turns the ${map} map into ${fmt(flatten.outputShape?.[1] ?? NaN)} inputs for each unit. ` +
        `Pooling (for example MaxPooling2D) before Flatten would shrink the map, and these weights with it.`,
      range: dense.range,
    };
  }
  return null;
}

function fmt(n: number | null): string {
  return n === null || Number.isNaN(n) ? '?' : formatCount(n);
}
