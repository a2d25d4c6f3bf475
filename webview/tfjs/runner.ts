/**
 * Builds the analysed model with tfjs layers and runs it layer by layer. Weights: Keras' default
 * initialisers, seeded per layer so the picture is the same every time, unless trained weights are given.
 * Every run is inside `tf.tidy`, and the maps are copied out, so `tf.memory().numTensors` is the same after
 * each run.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { TfjsLayerConfig } from '../../src/core/tfjs/toTfjs';
import type { LayerWeights, PreviewModel } from '../../src/protocol';

export interface LayerMap {
  index: number;
  /** The output's shape without the batch dimension. */
  shape: number[];
  values: Float32Array;
}

export interface BuildResult {
  /** How many leading layers were built; the rest are not shown. */
  built: number;
  /** Why the layer at `built` could not be built, if one could not. */
  stopReason: string | null;
}

/**
 * Keras' default initialiser for each initialiser argument that decides a layer's starting weights, each given a
 * seed. Which of these arguments a layer has is not listed here: its tfjs class says so (see `seeded`).
 */
const SEEDED: Record<string, string> = {
  kernelInitializer: 'GlorotUniform',
  depthwiseInitializer: 'GlorotUniform',
  pointwiseInitializer: 'GlorotUniform',
  recurrentInitializer: 'Orthogonal',
  embeddingsInitializer: 'RandomUniform',
};

/**
 * The layer's config with a seeded Keras default for each initialiser argument its tfjs class takes: the ones
 * an unbuilt instance's `getConfig()` lists (building it would make weights; constructing it makes none), and
 * a wrapper's inner layer likewise.
 */
function seeded(layer: TfjsLayerConfig, seed: number): Record<string, unknown> {
  const takes = deserialize(layer).getConfig();
  const out = { ...layer.config };
  for (const [key, init] of Object.entries(SEEDED)) {
    if (!(key in out) && !(key in takes)) continue;
    const given = out[key] as { className?: string; config?: Record<string, unknown> } | undefined;
    const cls = given?.className ?? init;
    const base = cls === 'RandomUniform' ? { minval: -0.05, maxval: 0.05 } : {};
    out[key] = { className: cls, config: { ...base, ...(given?.config ?? {}), seed: seed + key.length } };
  }
  if (out.layer && typeof out.layer === 'object') {
    const inner = out.layer as TfjsLayerConfig;
    out.layer = { className: inner.className, config: seeded(inner, seed + 7) };
  }
  return out;
}

function deserialize(c: TfjsLayerConfig): tfl.layers.Layer {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[c.className];
  if (!entry) throw new Error(`tfjs has no layer ${c.className}`);
  const [cls, fromConfig] = entry;
  return fromConfig(cls, JSON.parse(JSON.stringify(c.config))) as unknown as tfl.layers.Layer;
}

export class ModelRunner {
  private model: tfl.LayersModel | null = null;
  private sequential: tfl.Sequential | null = null;
  private indices: number[] = [];

  /** Builds the layers tfjs can build, in order, stopping at the first it cannot. */
  build(preview: PreviewModel, weights: LayerWeights[] | null = null): BuildResult {
    this.dispose();
    const seq = tfl.sequential({ name: preview.name.replace(/[^\w]/g, '_') || 'model' });
    let stopReason: string | null = null;
    for (const layer of preview.layers) {
      if ('unsupported' in layer.tfjs) {
        stopReason = `${layer.name} (${layer.type}): ${layer.tfjs.unsupported}`;
        break;
      }
      try {
        const config = { ...seeded(layer.tfjs, 4242 + layer.index * 101), name: `l${layer.index}_${layer.name}` };
        seq.add(deserialize({ className: layer.tfjs.className, config }));
        this.indices.push(layer.index);
      } catch (e) {
        stopReason = `${layer.name} (${layer.type}): ${(e as Error).message}`;
        break;
      }
    }
    this.sequential = seq;
    if (this.indices.length > 0) {
      this.model = tfl.model({ inputs: seq.inputs, outputs: seq.layers.map((l) => l.output as tfl.SymbolicTensor) });
      if (weights) this.loadWeights(seq, preview, weights);
    }
    return { built: this.indices.length, stopReason };
  }

  /**
   * Puts trained weights in place; throws naming the first layer whose weights do not match, before changing any.
   * The tensors made for the layers before that one are disposed on the way out, whether it throws or not.
   */
  private loadWeights(seq: tfl.Sequential, preview: PreviewModel, weights: LayerWeights[]): void {
    const plan: { layer: tfl.layers.Layer; values: tf.Tensor[] }[] = [];
    try {
      seq.layers.forEach((tfLayer, i) => {
        const meta = preview.layers[this.indices[i]];
        const expected = tfLayer.getWeights().map((w) => w.shape);
        if (expected.length === 0) return;
        const found = weights.find((w) => w.layer === meta.name);
        if (!found) throw new Error(`The weights have no layer "${meta.name}" (${meta.type}).`);
        const got = found.tensors.map((t) => t.shape);
        const same = got.length === expected.length && got.every((s, k) => s.length === expected[k].length && s.every((d, j) => d === expected[k][j]));
        if (!same)
          throw new Error(`Layer "${meta.name}" (${meta.type}) expects weights of shapes ${JSON.stringify(expected)} but the file has ${JSON.stringify(got)}.`);
        const values: tf.Tensor[] = [];
        plan.push({ layer: tfLayer, values });
        for (const t of found.tensors) values.push(tf.tensor(t.values, t.shape, 'float32'));
      });
      for (const p of plan) p.layer.setWeights(p.values);
    } finally {
      for (const p of plan) p.values.forEach((t) => t.dispose());
    }
  }

  get builtIndices(): readonly number[] {
    return this.indices;
  }

  /** Runs one input (h, w, c values) and returns every built layer's output. */
  run(input: Float32Array, inputShape: number[]): LayerMap[] {
    const model = this.model;
    if (!model) return [];
    const outputs = tf.tidy(() => {
      const x = tf.tensor(input, [1, ...inputShape], 'float32');
      const ys = model.predict(x) as tf.Tensor | tf.Tensor[];
      return (Array.isArray(ys) ? ys : [ys]).map((y) => ({ shape: y.shape.slice(1), values: y.dataSync() as Float32Array }));
    });
    return outputs.map((o, i) => ({ index: this.indices[i], shape: o.shape, values: Float32Array.from(o.values) }));
  }

  dispose(): void {
    this.model = null;
    this.sequential?.dispose();
    this.sequential = null;
    this.indices = [];
  }
}
