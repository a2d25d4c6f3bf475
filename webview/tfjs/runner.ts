/**
 * Builds the analysed model with tfjs layers and runs it layer by layer. Weights: Keras' default
 * initialisers, seeded per layer so the picture is the same every time, unless trained weights are given.
 * Every run is inside `tf.tidy`, and the maps are copied out, so `tf.memory().numTensors` is the same after
 * each run.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { RANDOM_INITIALIZERS } from '../../src/core/tfjs/initializers';
import { callKey, IMPLICIT_INPUT, isChain } from '../../src/core/tfjs/graph';
import type { TfjsLayerConfig } from '../../src/core/tfjs/toTfjs';
import type { LayerWeights, PreviewModel } from '../../src/protocol';
import { resampleInput } from './inputs';

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
  /**
   * Weights given with `carry` (those of the model before an edit): the layers with weights that took them (same
   * name, same shapes) and those that start from their initial weights instead (missing, or another shape).
   */
  carried?: { kept: string[]; reset: string[] };
}

/**
 * The layer's config with a seed for each random initializer in it (toTfjs writes them, from the source or by
 * Keras' default: `RANDOM_INITIALIZERS`), and a wrapper's inner layer likewise, so the same model starts from the
 * same weights every time.
 */
function seeded(layer: TfjsLayerConfig, seed: number): Record<string, unknown> {
  const out = { ...layer.config };
  for (const [key, value] of Object.entries(out)) {
    const init = value as Partial<TfjsLayerConfig> | null;
    if (!key.endsWith('Initializer') || !init?.className || !RANDOM_INITIALIZERS.has(init.className)) continue;
    out[key] = { className: init.className, config: { ...(init.config ?? {}), seed: seed + key.length } };
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

/** Tensors to give built layers (setWeights), made before any is given, so that weights that do not fit change nothing. */
type WeightsPlan = { layer: tfl.layers.Layer; values: tf.Tensor[] }[];

/** A built layer and its row in the preview model; for a model used as a layer, the runner that built it. */
interface BuiltLayer {
  layer: tfl.layers.Layer;
  index: number;
  child?: ModelRunner;
}

export class ModelRunner {
  private model: tfl.LayersModel | null = null;
  private built: BuiltLayer[] = [];
  /** The rows whose maps the model's outputs are, in order. */
  private indices: number[] = [];
  /** Functional models: each input's row and shape (batch dimension left out), in the order the model takes them. */
  private inputs: { index: number; shape: number[] }[] = [];
  /**
   * The built calls in an order to run them one by one (`runProgressive`): each call's layer (none for an Input),
   * the keys of the calls whose outputs it takes, and its row when its map is shown (a layer's first call).
   */
  private plan: { key: string; layer: tfl.layers.Layer | null; inputs: string[]; index: number | null }[] = [];
  /** The model's own outputs (not every layer's): what it gives when it is used as a layer of another model. */
  private finals: tfl.SymbolicTensor[] = [];
  /** The runners of the models used as layers in this one. */
  private children: ModelRunner[] = [];

  /**
   * Builds what tfjs can build, following the model's graph (a Sequential model's is a chain from its implicit
   * Input): each call in order, leaving out a layer tfjs cannot build and every call that depends on it (in a chain,
   * every layer after it). `carry`: the weights are those of the model before an edit, not a file's: each layer whose
   * name and shapes still fit takes its weights, the others keep their initial ones (BuildResult.carried says which).
   * Without it, weights that do not fit every layer throw, and none are loaded.
   */
  build(preview: PreviewModel, weights: LayerWeights[] | null = null, carry = false): BuildResult {
    this.dispose();
    const stopReason = this.buildGraph(preview);
    if (weights && this.built.length) {
      const carried = this.loadWeights(preview, weights, carry);
      if (carry) return { built: this.indices.length, stopReason, carried };
    }
    return { built: this.indices.length, stopReason };
  }

  private buildGraph(preview: PreviewModel): string | null {
    const tensors = new Map<string, tfl.SymbolicTensor>();
    const made = new Map<number, tfl.layers.Layer>();
    const inputs: tfl.SymbolicTensor[] = [];
    const outputs: tfl.SymbolicTensor[] = [];
    const finals = finalRows(preview);
    const chain = isChain(preview.graph);
    let stopReason: string | null = null;
    for (const call of preview.graph) {
      if (call.layer === IMPLICIT_INPUT) continue; // made with the first layer, as tf.sequential makes it
      const layer = preview.layers[call.layer];
      const implicit = call.inputs.some((i) => i.layer === IMPLICIT_INPUT);
      const args = call.inputs.map((i) => tensors.get(callKey(i)));
      // A call on the output of a layer that could not be built is left out with it.
      if (!implicit && args.some((a) => !a)) continue;
      try {
        if (layer.type === 'InputLayer' && !implicit) {
          if ('unsupported' in layer.tfjs) throw new Error(layer.tfjs.unsupported);
          const shape = layer.tfjs.config.batchInputShape as (number | null)[];
          const input = tfl.input({ batchShape: shape, name: `l${layer.index}_${layer.name}` });
          tensors.set(callKey(call), input);
          inputs.push(input);
          this.inputs.push({ index: layer.index, shape: shape.slice(1) as number[] });
          this.plan.push({ key: callKey(call), layer: null, inputs: [], index: null });
          continue;
        }
        let tfLayer = made.get(call.layer);
        if (!tfLayer) {
          const built = this.make(layer);
          tfLayer = built.layer;
          made.set(call.layer, tfLayer);
          this.built.push(built);
        }
        const given = args as tfl.SymbolicTensor[];
        const out = implicit ? chainStart(tfLayer, inputs) : (tfLayer.apply(given.length === 1 ? given[0] : given) as tfl.SymbolicTensor);
        if (chain) checkChained(tfLayer, out);
        tensors.set(callKey(call), out);
        if (finals.has(call.layer)) this.finals.push(out);
        this.plan.push({ key: callKey(call), layer: tfLayer, inputs: call.inputs.map(callKey), index: call.call === 0 ? layer.index : null });
        if (call.call === 0) {
          outputs.push(out);
          this.indices.push(layer.index);
        }
      } catch (e) {
        stopReason ??= `${layer.name} (${layer.type}): ${(e as Error).message}`;
        // A layer whose first call failed is no layer of the built model (its weights are not the model's).
        const failed = this.built[this.built.length - 1];
        if (failed?.index === layer.index && !this.indices.includes(layer.index) && made.get(call.layer) === failed.layer) {
          this.built.pop();
          made.delete(call.layer);
          release(failed.layer);
        }
      }
    }
    if (outputs.length > 0) this.model = tfl.model({ inputs, outputs, name: modelName(preview) });
    if (stopReason) this.finals = [];
    return stopReason;
  }

  /** A tfjs layer for the row, with seeded initial weights; throws why it cannot be made. */
  private make(layer: PreviewModel['layers'][number]): BuiltLayer {
    if (layer.nested) return { ...this.makeNested(layer.nested), index: layer.index };
    if ('unsupported' in layer.tfjs) throw new Error(layer.tfjs.unsupported);
    const config = { ...seeded(layer.tfjs, 4242 + layer.index * 101), name: `l${layer.index}_${layer.name}` };
    return { layer: deserialize({ className: layer.tfjs.className, config }), index: layer.index };
  }

  /**
   * A model used as a layer (the book's `Sequential([conv_base, ...])`): built whole by a runner of its own, then
   * applied as one layer, as tfjs-layers allows a LayersModel to be; its row shows the model's output.
   */
  private makeNested(nested: PreviewModel): { layer: tfl.layers.Layer; child: ModelRunner } {
    const child = new ModelRunner();
    this.children.push(child);
    const { stopReason } = child.build(nested);
    if (stopReason) throw new Error(`in the model it holds, ${stopReason}`);
    if (!child.model || child.finals.length !== 1) throw new Error('a model used as a layer must have one output, here.');
    return { layer: tfl.model({ inputs: child.model.inputs, outputs: child.finals[0], name: `${modelName(nested)}_as_layer` }), child };
  }

  /**
   * Puts trained weights in place; throws naming the first layer whose weights do not match, before changing any.
   * The tensors made for the layers before that one are disposed on the way out, whether it throws or not.
   */
  private loadWeights(preview: PreviewModel, weights: LayerWeights[], carry: boolean): { kept: string[]; reset: string[] } {
    const plan: WeightsPlan = [];
    const carried = { kept: [] as string[], reset: [] as string[] };
    try {
      this.planWeights(preview, weights, plan, carry ? carried : null);
      for (const p of plan) p.layer.setWeights(p.values);
    } finally {
      for (const p of plan) p.values.forEach((t) => t.dispose());
    }
    return carried;
  }

  /**
   * Each built layer's tensors from `weights`, into `plan`; a model used as a layer is planned layer by layer inside.
   * `carried` null: the first layer that does not fit throws. Otherwise a layer that does not fit (a model used as a
   * layer: any of its layers) is left out of the plan and named in `carried.reset`, one that fits in `carried.kept`.
   */
  private planWeights(preview: PreviewModel, weights: LayerWeights[], plan: WeightsPlan, carried: { kept: string[]; reset: string[] } | null): void {
    for (const { layer: tfLayer, index, child } of this.built) {
      const meta = preview.layers[index];
      const expected = tfLayer.getWeights().map((w) => w.shape);
      if (expected.length === 0) continue;
      if (!carried) {
        this.planLayer(tfLayer, meta, expected, weights, plan, child);
        continue;
      }
      const mine: WeightsPlan = [];
      try {
        this.planLayer(tfLayer, meta, expected, weights, mine, child);
        plan.push(...mine);
        carried.kept.push(meta.name);
      } catch {
        for (const p of mine) p.values.forEach((t) => t.dispose());
        carried.reset.push(meta.name);
      }
    }
  }

  /** One built layer's tensors from `weights`, into `plan`; throws naming the layer when they do not fit it. */
  private planLayer(
    tfLayer: tfl.layers.Layer,
    meta: PreviewModel['layers'][number],
    expected: number[][],
    weights: LayerWeights[],
    plan: WeightsPlan,
    child: ModelRunner | undefined,
  ): void {
    const found = weights.find((w) => w.layer === meta.name);
    if (!found) throw new Error(`The weights have no layer "${meta.name}" (${meta.type}).`);
    if (child && meta.nested && found.layers) {
      child.planWeights(meta.nested, found.layers, plan, null);
      return;
    }
    const got = found.tensors.map((t) => t.shape);
    const same = got.length === expected.length && got.every((s, k) => s.length === expected[k].length && s.every((d, j) => d === expected[k][j]));
    if (!same)
      throw new Error(`Layer "${meta.name}" (${meta.type}) expects weights of shapes ${JSON.stringify(expected)} but the file has ${JSON.stringify(got)}.`);
    const values: tf.Tensor[] = [];
    plan.push({ layer: tfLayer, values });
    for (const t of found.tensors) values.push(tf.tensor(t.values, t.shape, 'float32'));
  }

  /**
   * The model from its input to its own output, sharing the built layers: training it changes the weights that
   * `run` shows. Null where the preview cannot train it: a layer not built, or more than one input or output.
   */
  trainingModel(): tfl.LayersModel | null {
    if (!this.model || this.finals.length !== 1 || this.model.inputs.length !== 1) return null;
    return tfl.model({ inputs: this.model.inputs, outputs: this.finals[0] });
  }

  /** The first 2D convolution's kernel (height, width, in, out), and its row: its filters drawn as small images. */
  firstKernel(): { index: number; shape: number[]; values: Float32Array } | null {
    for (const b of this.built) {
      if (b.layer.getClassName() !== 'Conv2D') continue;
      const kernel = b.layer.getWeights()[0];
      return kernel ? { index: b.index, shape: kernel.shape, values: Float32Array.from(kernel.dataSync() as Float32Array) } : null;
    }
    return null;
  }

  /** The built layers' weights by their rows' names, as a weights file gives them: to load them again after an edit. */
  layerWeights(preview: PreviewModel): LayerWeights[] {
    return this.built.flatMap(({ layer, index, child }) => {
      const meta = preview.layers[index];
      if (child && meta.nested) return [{ layer: meta.name, tensors: [], layers: child.layerWeights(meta.nested) }];
      const tensors = layer.getWeights().map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) }));
      return tensors.length ? [{ layer: meta.name, tensors }] : [];
    });
  }

  /** The built model's parameters, as tfjs counts them (each layer once, a shared one too). */
  paramCount(): number {
    return this.built.reduce((sum, b) => sum + b.layer.countParams(), 0);
  }

  get builtIndices(): readonly number[] {
    return this.indices;
  }

  /**
   * Runs one input (h, w, c values) and returns every built layer's output, the Inputs' too (what each took: see
   * `feeds`).
   */
  run(input: Float32Array, inputShape: number[]): LayerMap[] {
    const model = this.model;
    if (!model) return [];
    const fed = this.feeds(input, inputShape);
    const outputs = tf.tidy(() => {
      const xs = this.inputs.length
        ? this.inputs.map((i, k) => tf.tensor(fed[k], [1, ...i.shape], 'float32'))
        : [tf.tensor(input, [1, ...inputShape], 'float32')];
      const ys = model.predict(xs.length === 1 ? xs[0] : xs) as tf.Tensor | tf.Tensor[];
      return (Array.isArray(ys) ? ys : [ys]).map((y) => ({ shape: y.shape.slice(1), values: y.dataSync() as Float32Array }));
    });
    const maps = outputs.map((o, i) => ({ index: this.indices[i], shape: o.shape, values: Float32Array.from(o.values) }));
    return [...this.inputs.map((i, k) => ({ index: i.index, shape: i.shape, values: fed[k] })), ...maps];
  }

  /**
   * The same run as `run`, one layer at a time, handing each map over as soon as it is read back: a large model's
   * first layers show while the rest computes, and the page stays responsive (it yields to the browser between
   * layers). On WebGL each read-back waits only for the kernels queued before it. Stops early, disposing what it
   * made, once `cancelled()` is true. Resolves whether the run completed.
   */
  async runProgressive(input: Float32Array, inputShape: number[], onMap: (map: LayerMap) => void, cancelled: () => boolean): Promise<boolean> {
    if (!this.model) return false;
    const fed = this.feeds(input, inputShape);
    const values = new Map<string, tf.Tensor>();
    let lastYield = performance.now();
    try {
      if (this.inputs.length === 0) values.set(callKey({ layer: IMPLICIT_INPUT, call: 0 }), tf.tensor(input, [1, ...inputShape], 'float32'));
      let k = 0;
      for (const step of this.plan) {
        if (cancelled()) return false;
        if (!step.layer) {
          const i = this.inputs[k++];
          values.set(step.key, tf.tensor(fed[k - 1], [1, ...i.shape], 'float32'));
          onMap({ index: i.index, shape: i.shape, values: fed[k - 1] });
          continue;
        }
        const args = step.inputs.map((key) => values.get(key) as tf.Tensor);
        const layer = step.layer;
        const out = tf.tidy(() => layer.apply(args.length === 1 ? args[0] : args) as tf.Tensor);
        values.set(step.key, out);
        if (step.index === null) continue;
        const data = (await out.data()) as Float32Array;
        onMap({ index: step.index, shape: out.shape.slice(1), values: Float32Array.from(data) });
        if (performance.now() - lastYield > 30) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          lastYield = performance.now();
        }
      }
      return true;
    } finally {
      for (const t of values.values()) t.dispose();
    }
  }

  /**
   * What each Input of a Functional model takes: the input where its shape is the input's; the input resampled to
   * an image-like Input of another size or channel count; zeros for any other Input (a vector of features).
   */
  private feeds(input: Float32Array, inputShape: number[]): Float32Array[] {
    return this.inputs.map((i) => {
      if (sameShape(i.shape, inputShape)) return input;
      if (i.shape.length === 3 && inputShape.length === 3) {
        const [h, w, c] = inputShape;
        const [height, width, channels] = i.shape;
        return resampleInput(input, { height: h, width: w, channels: c }, { height, width, channels });
      }
      return new Float32Array(i.shape.reduce((a, b) => a * b, 1));
    });
  }

  dispose(): void {
    for (const b of this.built) release(b.layer);
    for (const c of this.children) c.dispose();
    this.children = [];
    this.finals = [];
    this.plan = [];
    this.model = null;
    this.built = [];
    this.indices = [];
    this.inputs = [];
  }
}

/**
 * Frees a layer's weights. tfjs counts a layer's uses (one per call on a symbolic tensor: a shared layer has
 * several) and frees its weights when that count reaches zero; the runner owns every use, so it gives them all back.
 * A layer that was never built (its call failed) has nothing to free.
 */
function release(layer: tfl.layers.Layer): void {
  try {
    while (layer.dispose().refCountAfterDispose > 0);
  } catch {
    // Not built, or already freed.
  }
}

/**
 * A Sequential model's first layer on its implicit Input, as tf.sequential adds it: applied to an Input made for it,
 * of its input shape (a model used as the first layer: its own Input's) and named after it; without a shape, tfjs'
 * own refusal. The Input joins `inputs`. (A Sequential row that is an InputLayer has no tfjs conversion: toTfjs.)
 */
function chainStart(first: tfl.layers.Layer, inputs: tfl.SymbolicTensor[]): tfl.SymbolicTensor {
  const shape = first instanceof tfl.LayersModel ? first.inputs[0]?.shape : first.batchInputShape;
  if (!shape) throw new Error('The first layer in a Sequential model must get an `inputShape` or `batchInputShape` argument.');
  const input = tfl.input({ batchShape: shape, dtype: first.dtype, name: `${first.name}_input` });
  inputs.push(input);
  return first.apply(input) as tfl.SymbolicTensor;
}

/** tf.sequential's checks on each layer it adds: one output tensor, and no negative dimension. */
function checkChained(layer: tfl.layers.Layer, out: tfl.SymbolicTensor | tfl.SymbolicTensor[]): void {
  if (Array.isArray(out))
    throw new Error('All layers in a Sequential model should have a single output tensor. For multi-output layers, use the functional API.');
  if (out.shape.some((d) => d !== null && d < 0))
    throw new Error(`Negative dimension size caused by adding layer ${layer.name} with input shape [${layer.inboundNodes[0].inputTensors[0].shape}]`);
}

/** The rows whose output no row takes (none by the graph, none by an edge it leaves out): the model's own outputs, a chain's last layer. */
function finalRows(preview: PreviewModel): Set<number> {
  const taken = new Set(preview.graph.flatMap((c) => c.inputs.map((i) => i.layer)));
  return new Set(preview.layers.flatMap((l, i) => (l.to.length === 0 && !taken.has(i) ? [i] : [])));
}

function modelName(preview: PreviewModel): string {
  return preview.name.replace(/[^\w]/g, '_') || 'model';
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
