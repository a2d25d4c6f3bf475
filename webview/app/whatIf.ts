/** The downsampling what-if: one runner per variant of the model, each run on the same input as the model. */
import type { DownsamplingVariant } from '../../src/protocol';
import type { InputGeometry } from '../tfjs/inputs';
import type { LayerMap, ModelRunner } from '../tfjs/runner';
import { Trainer, type TrainerOptions } from '../train/trainer';

/** A variant trained in the pooling experiment: its trainer (curves, digits seen, time), or why it could not train. */
export interface VariantTraining {
  trainer: Trainer | null;
  error: string | null;
}

/** The comparison on show: the pooling layer's index and each variant with its runner and that layer's map. */
export interface WhatIfState {
  index: number;
  variants: { variant: DownsamplingVariant; runner: ModelRunner; map: LayerMap | null; training?: VariantTraining }[];
}

/** Builds a runner per variant; if one fails, disposes those it made and throws. */
export function buildWhatIf(index: number, variants: DownsamplingVariant[], createRunner: () => ModelRunner): WhatIfState {
  const built: WhatIfState['variants'] = [];
  try {
    for (const variant of variants) {
      const runner = createRunner();
      built.push({ variant, runner, map: null });
      runner.build(variant.model);
    }
  } catch (e) {
    disposeWhatIf({ index, variants: built });
    throw e;
  }
  return { index, variants: built };
}

/** Runs every variant on the input and keeps each one's map at the compared layer; a new object, so that it is shown. */
export function runWhatIf(w: WhatIfState, input: Float32Array, g: InputGeometry): WhatIfState {
  for (const v of w.variants) v.map = v.runner.run(input, [g.height, g.width, g.channels]).find((m) => m.index === w.index) ?? null;
  return { ...w };
}

export function disposeWhatIf(w: WhatIfState | null): void {
  for (const v of w?.variants ?? []) {
    v.training?.trainer?.stop();
    v.runner.dispose();
  }
}

/**
 * The pooling experiment: trains each variant in turn with the same options (digits, seed, settings, budget), keeping
 * each one's trainer (its curves and time) or why it could not train. Stops when `current()` says the comparison
 * is no longer on show.
 */
export async function trainVariants(w: WhatIfState, current: () => boolean, options: Omit<TrainerOptions, 'model'>): Promise<void> {
  for (const v of w.variants) {
    if (!current()) return;
    const model = v.runner.trainingModel();
    if (!model) {
      v.training = { trainer: null, error: 'the preview could not build every layer of this variant' };
      continue;
    }
    const trainer = new Trainer({ ...options, model });
    v.training = { trainer, error: null };
    try {
      const end = await trainer.run();
      if (end === 'nan') v.training.error = trainer.message;
    } catch (e) {
      v.training.error = (e as Error).message;
    } finally {
      trainer.dispose();
    }
  }
}
