/**
 * tfjs-layers as an oracle for the analysis core: rebuilds an analysed model in tfjs (CPU backend) from
 * `toTfjsModelConfig` and compares every layer's output shape and parameter counts (total, trainable,
 * non-trainable) with the core's. tfjs computes them itself; nothing here computes an expected number.
 *
 * - The layers `toTfjsModelConfig` converts are built exactly as the webview will build them:
 *   `Sequential.fromConfig` on its layer list, the first layer carrying the model's input shape.
 * - A layer tfjs cannot represent breaks the model into segments: the layers after it are built as a new
 *   tfjs Sequential that starts from the core's input shape for them (verified by the layer before, when
 *   that one was compared).
 * - Some layers tfjs lacks are emulated by a short chain of tfjs layers that computes the same shapes
 *   (ZeroPadding1D as Reshape → ZeroPadding2D → Reshape, `keepdims` as a Reshape after global pooling…);
 *   their output shape and total parameters are compared with the chain's.
 * - GRU with Keras' default `reset_after=True` has no tfjs form at all; its output shape is compared with
 *   tfjs' GRU(reset_after=False), and its parameters are not compared (Keras keeps a second bias).
 * - Where tfjs' symbolic output shape is wrong though its computation is right (tfjs-layers 4.22: Resizing's
 *   `computeOutputShape` returns `[height, width, inputShape[2]]`; CenterCrop's and CategoryEncoding's overwrite their argument;
 *   Reshape leaves -1 unresolved), the tfjs layer is run on a zero tensor and its actual output shape compared.
 * - With `run`, every segment also runs a zero tensor, so a conversion tfjs builds but cannot run (or runs
 *   to another shape) fails too.
 * - Conv1D with padding="causal", which tfjs does not implement, is emulated as Keras defines it: the input
 *   padded on the left by dilation_rate × (kernel_size - 1), then a "valid" convolution.
 * - Layers tfjs builds right but runs wrong only with channels_first (Conv1D, SeparableConv2D with a bias)
 *   are emulated by their channels_last form between two Permutes; layers it builds but cannot run
 *   (Batch/LayerNormalization on rank > 4, Softmax over another axis than the last) by their build alone.
 */
import { ruleFor } from '../../../src/core/layers/catalogue';
import { isUnsupported, toTfjs, toTfjsModelConfig, type TfjsLayerConfig, type TfjsUnsupported } from '../../../src/core/tfjs/toTfjs';
import type { LayerResult, ModelResult, Shape } from '../../../src/core/types';

type Tf = typeof import('@tensorflow/tfjs');
type TfLayer = import('@tensorflow/tfjs').layers.Layer;
type TfSequential = import('@tensorflow/tfjs').Sequential;

let loaded: Tf | null = null;

/** tfjs on its CPU backend, loaded once, without its "install tfjs-node" banner. */
export function tfjs(): Tf {
  if (loaded) return loaded;
  const { log, warn } = console;
  console.log = () => undefined;
  console.warn = () => undefined;
  try {
    const tf = require('@tensorflow/tfjs') as Tf;
    void tf.setBackend('cpu');
    tf.tensor(0).dispose();
    loaded = tf;
  } finally {
    console.log = log;
    console.warn = warn;
  }
  return loaded;
}

export type CheckKind = 'tfjs' | 'emulated' | 'shape-only' | 'skipped';

export interface LayerCheck {
  index: number;
  type: string;
  kind: CheckKind;
  /** For emulated, shape-only and skipped layers: how or why. */
  note?: string;
}

export interface OracleReport {
  checks: LayerCheck[];
  /** One line per disagreement between the core and tfjs. */
  mismatches: string[];
}

const shapeStr = (s: readonly (number | null)[] | null | undefined) => (s ? `[${s.map((d) => (d === null ? 'None' : d)).join(', ')}]` : 'null');

function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

function weightCount(weights: { shape: (number | null)[] }[]): number {
  return weights.reduce((s, w) => s + w.shape.reduce<number>((a, b) => a * (b ?? NaN), 1), 0);
}

/** The layer's output shape and weights, as tfjs has them. */
interface Measured {
  outputShape: (number | null)[];
  params: number;
  trainable: number;
  nonTrainable: number;
}

function measure(layers: TfLayer[], outputShape: (number | null)[]): Measured {
  return {
    outputShape,
    params: layers.reduce((s, l) => s + l.countParams(), 0),
    trainable: layers.reduce((s, l) => s + weightCount(l.trainableWeights), 0),
    nonTrainable: layers.reduce((s, l) => s + weightCount(l.nonTrainableWeights), 0),
  };
}

/** Deserialises one layer (the config is copied: tfjs writes into it). */
function deserialize(tf: Tf, c: TfjsLayerConfig): TfLayer {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[c.className];
  if (!entry) throw new Error(`tfjs has no class ${c.className}`);
  const [cls, fromConfig] = entry;
  return fromConfig(cls, clone(c.config) as never) as unknown as TfLayer;
}

/** A Sequential built the webview's way, with zero-filled weights (their values do not matter here). */
function buildSequential(tf: Tf, name: string, layers: TfjsLayerConfig[]): TfSequential {
  const config = { name, layers: clone(layers) };
  return tf.Sequential.fromConfig(tf.Sequential, config as never, {}, true) as TfSequential;
}

function compare(out: string[], layer: LayerResult, got: Measured, what: string, shapeOnly = false): void {
  const where = `layer ${layer.index} ${layer.type} (${layer.name}), ${what}`;
  if (shapeStr(layer.outputShape) !== shapeStr(got.outputShape))
    out.push(`${where}: output shape core ${shapeStr(layer.outputShape)} vs tfjs ${shapeStr(got.outputShape)} (input ${shapeStr(layer.inputShape)})`);
  if (shapeOnly) return;
  if (layer.params !== got.params) out.push(`${where}: params core ${layer.params} vs tfjs ${got.params}`);
  if (layer.trainableParams !== got.trainable) out.push(`${where}: trainable params core ${layer.trainableParams} vs tfjs ${got.trainable}`);
  if (layer.nonTrainableParams !== got.nonTrainable) out.push(`${where}: non-trainable params core ${layer.nonTrainableParams} vs tfjs ${got.nonTrainable}`);
}

export interface CheckOptions {
  /**
   * Also run a zero tensor (batch 1) through each tfjs segment and compare every layer's actual output
   * shape with the core's: the conversions must run, not only build. Slower (the layers compute).
   */
  run?: boolean;
}

/**
 * Compares one analysed model with tfjs. Every layer gets a check; the caller decides which skipped or
 * shape-only ones it expects.
 */
export function checkModel(model: ModelResult, options: CheckOptions = {}): OracleReport {
  const tf = tfjs();
  const report: OracleReport = { checks: [], mismatches: [] };
  const skip = (layer: LayerResult, note: string) => report.checks.push({ index: layer.index, type: layer.type, kind: 'skipped', note });
  const conversion = toTfjsModelConfig(model);
  if (conversion.reason) {
    for (const layer of model.layers) skip(layer, conversion.reason);
    return report;
  }

  // Per layer, standalone: what the model config holds for it must be the same conversion.
  const standalone = model.layers.map((layer, i) => toTfjs(layer, i === 0 && model.inputShape ? { batchInputShape: model.inputShape } : {}));
  conversion.layers.forEach((c, i) => {
    if (JSON.stringify(c) !== JSON.stringify(standalone[i]))
      report.mismatches.push(`layer ${i}: toTfjsModelConfig and toTfjs disagree: ${JSON.stringify(c)} vs ${JSON.stringify(standalone[i])}`);
  });
  if (conversion.layers.length < model.layers.length && conversion.unsupported.length === 0)
    report.mismatches.push('toTfjsModelConfig stopped early without naming an unsupported layer');

  const memoryBefore = tf.memory().numTensors;
  let keptByRuns = 0;
  let i = 0;
  while (i < model.layers.length) {
    const layer = model.layers[i];
    const c = standalone[i];
    if (!layer.inputShape || !layer.outputShape) {
      skip(layer, 'the core has no input or output shape for it');
      i++;
      continue;
    }
    if (isUnsupported(c)) {
      checkAlone(tf, layer, c, report);
      i++;
      continue;
    }
    // A segment: consecutive layers that convert, built as one tfjs Sequential.
    let end = i;
    while (end < model.layers.length && !isUnsupported(standalone[end]) && model.layers[end].outputShape) end++;
    const configs = model.layers.slice(i, end).map((l, k) => {
      if (i === 0) return conversion.layers[k];
      const s = standalone[i + k] as TfjsLayerConfig;
      return k === 0 ? (toTfjs(l, { batchInputShape: l.inputShape! }) as TfjsLayerConfig) : s;
    });
    let seq: TfSequential | null = null;
    try {
      seq = buildSequential(tf, model.name, configs);
      for (let k = 0; k < end - i; k++) {
        const tl = seq.layers[k];
        const ml = model.layers[i + k];
        compare(report.mismatches, ml, measure([tl], tl.outputShape as (number | null)[]), `tfjs ${configs[k].className}`);
        report.checks.push({ index: i + k, type: ml.type, kind: 'tfjs' });
        // The converted Reshape carries the core's value for -1; tfjs resolves the written -1 only on a tensor.
        const target = ml.type === 'Reshape' ? ml.config.target_shape : null;
        if (Array.isArray(target) && target.includes(-1) && ml.inputShape!.slice(1).every((d) => d !== null))
          compare(
            report.mismatches,
            ml,
            runOnTensor(tf, { className: 'Reshape', config: { targetShape: target } }, ml.inputShape!),
            'tfjs Reshape with -1 run on a tensor',
            true,
          );
      }
      if (options.run) keptByRuns += runSegment(tf, seq, model.layers.slice(i, end), report);
    } catch (e) {
      report.mismatches.push(
        `layers ${i}–${end - 1}: tfjs refused the converted layers: ${(e as Error).message.split('\n')[0]} — configs ${JSON.stringify(configs)}`,
      );
    } finally {
      seq?.dispose();
    }
    i = end;
  }
  // (A tfjs build that throws half-way cannot be disposed: leaks count only when everything else agreed.)
  const leaked = tf.memory().numTensors - memoryBefore - keptByRuns;
  if (leaked !== 0 && report.mismatches.length === 0) report.mismatches.push(`tfjs leaked ${leaked} tensors`);
  return report;
}

/** Runs a zero tensor through a built segment and compares each layer's actual output shape with the core's. */
function runSegment(tf: Tf, seq: TfSequential, layers: LayerResult[], report: OracleReport): number {
  const input = layers[0].inputShape!;
  if (input.slice(1).some((d) => d === null)) return 0;
  const before = tf.memory().numTensors;
  const probe = tf.model({ inputs: seq.inputs, outputs: seq.layers.map((l) => l.output as import('@tensorflow/tfjs').SymbolicTensor) });
  try {
    const shapes = tf.tidy(() => {
      const ys = probe.predict(tf.zeros([input[0] ?? 1, ...(input.slice(1) as number[])])) as
        import('@tensorflow/tfjs').Tensor | import('@tensorflow/tfjs').Tensor[];
      return (Array.isArray(ys) ? ys : [ys]).map((y) => y.shape);
    });
    shapes.forEach((shape, k) => {
      const l = layers[k];
      const got = [l.outputShape![0], ...shape.slice(1)];
      if (shapeStr(got) !== shapeStr(l.outputShape))
        report.mismatches.push(
          `layer ${l.index} ${l.type} (${l.name}), tfjs run on a tensor: output shape core ${shapeStr(l.outputShape)} vs tfjs ${shapeStr(got)}`,
        );
    });
  } catch (e) {
    report.mismatches.push(
      `layers ${layers[0].index}–${layers[layers.length - 1].index}: tfjs builds but cannot run them: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  // Tensors tfjs keeps from a run, such as the dropout masks its RNN cells cache and never dispose.
  return tf.memory().numTensors - before;
}

/** Builds one tfjs layer alone and applies it to a zero tensor (batch 1); its actual output shape and weights. */
function runOnTensor(tf: Tf, c: TfjsLayerConfig, input: Shape): Measured {
  const dims = known(input.slice(1));
  const config = { ...c.config };
  delete config.batchInputShape;
  const layer = deserialize(tf, { className: c.className, config });
  try {
    const shape = tf.tidy(() => (layer.apply(tf.zeros([1, ...dims])) as import('@tensorflow/tfjs').Tensor).shape);
    return measure([layer], [input[0], ...shape.slice(1)]);
  } finally {
    if (layer.built) layer.dispose();
  }
}

/** A layer toTfjs refuses: emulated by tfjs layers, run on a tensor, or skipped. */
function checkAlone(tf: Tf, layer: LayerResult, c: TfjsUnsupported, report: OracleReport): void {
  const input = layer.inputShape as Shape;
  const emu = emulation(layer);
  if (!emu) {
    report.checks.push({ index: layer.index, type: layer.type, kind: 'skipped', note: c.unsupported });
    return;
  }
  if (emu.run) {
    try {
      const run = emu.run;
      if (isUnsupported(run)) throw new EmulationRefused(run.unsupported);
      compare(report.mismatches, layer, runOnTensor(tf, run, input), `tfjs ${run.className} run on a tensor`);
      report.checks.push({ index: layer.index, type: layer.type, kind: 'emulated', note: `tfjs ${run.className} run on a tensor` });
    } catch (e) {
      if (e instanceof EmulationRefused)
        report.checks.push({ index: layer.index, type: layer.type, kind: 'skipped', note: `${c.unsupported} (no emulation: ${e.message})` });
      else report.mismatches.push(`layer ${layer.index} ${layer.type}: tfjs run failed: ${(e as Error).message.split('\n')[0]}`);
    }
    return;
  }
  let seq: TfSequential | null = null;
  const added: TfjsLayerConfig[] = [];
  try {
    const model = tf.sequential({ name: 'emulation' });
    seq = model;
    const add = (cfg: TfjsLayerConfig | ReturnType<typeof toTfjs>): (number | null)[] => {
      if (isUnsupported(cfg)) throw new EmulationRefused(cfg.unsupported);
      const config = { ...cfg.config };
      delete config.name;
      if (added.length === 0) config.batchInputShape = input;
      added.push({ className: cfg.className, config });
      model.add(deserialize(tf, { className: cfg.className, config }));
      return model.outputs[0].shape;
    };
    const out = emu.build!(add, input);
    compare(report.mismatches, layer, measure(model.layers, out), `emulated by ${added.map((a) => a.className).join(' → ')}`, emu.shapeOnly !== undefined);
    report.checks.push({
      index: layer.index,
      type: layer.type,
      kind: emu.shapeOnly !== undefined ? 'shape-only' : 'emulated',
      note: emu.shapeOnly ?? added.map((a) => a.className).join(' → '),
    });
  } catch (e) {
    if (e instanceof EmulationRefused)
      report.checks.push({ index: layer.index, type: layer.type, kind: 'skipped', note: `${c.unsupported} (no emulation: ${e.message})` });
    else
      report.mismatches.push(
        `layer ${layer.index} ${layer.type}: emulation ${added.map((a) => a.className).join(' → ')} failed: ${(e as Error).message.split('\n')[0]}`,
      );
  } finally {
    seq?.dispose();
  }
}

class EmulationRefused extends Error {}

type Add = (cfg: TfjsLayerConfig | ReturnType<typeof toTfjs>) => (number | null)[];

interface Emulation {
  /** Adds tfjs layers that compute what the layer computes; returns the final output shape. */
  build?(add: Add, input: Shape): (number | null)[];
  /** A tfjs layer to apply to a tensor instead (its symbolic shape is wrong, its computation right). */
  run?: TfjsLayerConfig | TfjsUnsupported;
  /** Set when only the output shape can be compared, with the reason. */
  shapeOnly?: string;
}

/** The argument as written, else Keras' default from the catalogue. */
function arg(layer: { type: string; config: Record<string, unknown> }, name: string): unknown {
  if (name in layer.config) return layer.config[name];
  return ruleFor(layer.type)?.defaults[name];
}

function known(dims: (number | null)[]): number[] {
  if (dims.some((d) => d === null)) throw new EmulationRefused('an unknown dimension');
  return dims as number[];
}

/** A Reshape to `dims`; one None dimension is written -1 (tfjs then keeps it None). */
function reshape(dims: (number | null)[]): TfjsLayerConfig {
  if (dims.filter((d) => d === null).length > 1) throw new EmulationRefused('more than one unknown dimension');
  return { className: 'Reshape', config: { targetShape: dims.map((d) => d ?? -1) } };
}
const permute = (dims: number[]): TfjsLayerConfig => ({ className: 'Permute', config: { dims } });

/** Runs `body` on channels-last data: Permute the channels last before it and back after it. */
function channelsLast(add: Add, input: Shape, channelsFirst: boolean, body: (input: Shape) => (number | null)[]): (number | null)[] {
  if (!channelsFirst) return body(input);
  const r = input.length - 1;
  const moved = add(permute([...Array.from({ length: r - 1 }, (_, k) => k + 2), 1]));
  const out = body(moved);
  if (out.length === 2) return out;
  return add(permute([out.length - 1, ...Array.from({ length: out.length - 2 }, (_, k) => k + 1)]));
}

const isChannelsFirst = (layer: LayerResult) => String(arg(layer, 'data_format') ?? '').toLowerCase() === 'channels_first';

/** (before, after) pairs per axis, as Keras reads ZeroPadding/Cropping arguments. */
function pairs(v: unknown, rank: number): [number, number][] {
  if (typeof v === 'number') return new Array(rank).fill([v, v]);
  if (Array.isArray(v) && rank === 1 && v.length === 2 && typeof v[0] === 'number') return [[v[0], v[1]]];
  if (Array.isArray(v) && v.length === rank) return v.map((x) => (Array.isArray(x) ? [x[0], x[1]] : [x, x]) as [number, number]);
  throw new EmulationRefused('unreadable padding');
}

function tuple(v: unknown, rank: number): number[] {
  if (typeof v === 'number') return new Array(rank).fill(v);
  if (Array.isArray(v) && v.length === rank) return v as number[];
  throw new EmulationRefused('unreadable tuple');
}

function emulation(layer: LayerResult): Emulation | null {
  const t = layer.type;
  const cf = isChannelsFirst(layer);
  const rankOf = /([123])D$/.exec(t);
  const rank = rankOf ? Number(rankOf[1]) : 0;

  // 1D and 3D padding, cropping and upsampling through their 2D forms.
  const m = /^(ZeroPadding|Cropping|UpSampling)([13])D$/.exec(t);
  if (m) {
    const kind = m[1];
    const op2d = (a: [number, number], b: [number, number], sa: number, sb: number): TfjsLayerConfig =>
      kind === 'ZeroPadding'
        ? { className: 'ZeroPadding2D', config: { padding: [a, b], dataFormat: 'channelsLast' } }
        : kind === 'Cropping'
          ? { className: 'Cropping2D', config: { cropping: [a, b], dataFormat: 'channelsLast' } }
          : { className: 'UpSampling2D', config: { size: [sa, sb], dataFormat: 'channelsLast' } };
    const p = kind === 'UpSampling' ? null : pairs(arg(layer, kind === 'Cropping' ? 'cropping' : 'padding'), rank);
    const s = kind === 'UpSampling' ? tuple(arg(layer, 'size'), rank) : new Array(rank).fill(1);
    const zero: [number, number] = [0, 0];
    return {
      build: (add, input) =>
        channelsLast(add, input, cf, (x) => {
          if (kind === 'Cropping' && x.slice(1, -1).some((d) => d === null)) throw new EmulationRefused('tfjs’ Cropping2D cannot crop None');
          if (rank === 1) {
            add(reshape([x[1], 1, x[2]]));
            const y = add(op2d(p ? p[0] : zero, zero, s[0], 1));
            return add(reshape([y[1], y[3]]));
          }
          const [, d, h, w, c] = known([0, ...x.slice(1)]);
          add(reshape([d, h, w * c]));
          const y = add(op2d(p ? p[0] : zero, p ? p[1] : zero, s[0], s[1]));
          add(reshape([(y[1] as number) * (y[2] as number), w, c]));
          const z = add(op2d(zero, p ? p[2] : zero, 1, s[2]));
          return add(reshape([y[1], y[2], z[2], c]));
        }),
    };
  }

  // Global pooling with keepdims, channels_first 1D, and 3D.
  const g = /^Global(Max|Average)Pooling([123])D$/.exec(t);
  if (g) {
    const keep = Boolean(arg(layer, 'keepdims'));
    return {
      build: (add, input) => {
        let out: (number | null)[];
        const pool1d = { className: `Global${g[1]}Pooling1D`, config: {} };
        if (rank === 2) out = add({ className: t, config: { dataFormat: cf ? 'channelsFirst' : 'channelsLast' } });
        else
          out = channelsLast(add, input, cf, (x) => {
            if (rank === 1) return add(pool1d);
            const [, d, h, w, c] = known([0, ...x.slice(1)]);
            add(reshape([d * h * w, c]));
            return add(pool1d);
          });
        if (!keep) return out;
        const ones = new Array(rank).fill(1);
        return add(reshape(cf ? [out[1], ...ones] : [...ones, out[1]]));
      },
    };
  }

  // 1D pooling on channels_first data.
  if (/^(Max|Average)Pooling1D$/.test(t) && cf)
    return {
      build: (add, input) =>
        channelsLast(add, input, true, () => add(toTfjs({ type: t, config: { ...layer.config, data_format: 'channels_last' } }, { omitName: true }))),
    };

  // 1D convolutions tfjs lacks, through their 2D forms with a kernel of width 1.
  const twoD: Record<string, string> = { SeparableConv1D: 'SeparableConv2D', DepthwiseConv1D: 'DepthwiseConv2D', Conv1DTranspose: 'Conv2DTranspose' };
  if (twoD[t]) {
    const config: Record<string, unknown> = { ...layer.config, data_format: 'channels_last' };
    for (const k of ['kernel_size', 'strides', 'dilation_rate', 'output_padding']) {
      const v = arg(layer, k);
      if (v !== null && v !== undefined) config[k] = [tuple(v, 1)[0], k === 'output_padding' ? 0 : 1];
    }
    return {
      build: (add, input) =>
        channelsLast(add, input, cf, (x) => {
          add(reshape([x[1], 1, x[2]]));
          const y = add(toTfjs({ type: twoD[t], config }, { omitName: true }));
          return add(reshape([y[1], y[3]]));
        }),
    };
  }

  // GRU(reset_after=True), alone or in Bidirectional: tfjs' GRU(reset_after=False) has the same output shape.
  const resetAfter = (spec: { type: string; config: Record<string, unknown> } | undefined) => spec?.type === 'GRU' && Boolean(arg(spec, 'reset_after'));
  if (resetAfter(layer) || (t === 'Bidirectional' && resetAfter(layer.inner))) {
    const noReset = (spec: { type: string; config: Record<string, unknown> }) => ({ type: spec.type, config: { ...spec.config, reset_after: false } });
    const surrogate = t === 'GRU' ? noReset(layer) : { type: t, config: layer.config, inner: noReset(layer.inner!) };
    return { shapeOnly: 'tfjs GRU has no reset_after=True; shape from GRU(reset_after=False)', build: (add) => add(toTfjs(surrogate, { omitName: true })) };
  }

  // Layers tfjs computes right on a tensor but gets the symbolic shape of wrong.
  if (t === 'Resizing' || t === 'CenterCrop' || t === 'CategoryEncoding') return { run: toTfjs(layer, { omitName: true, allowWrongSymbolicShape: true }) };
  if (t === 'RandomCrop')
    return { run: toTfjs({ type: 'CenterCrop', config: { height: arg(layer, 'height'), width: arg(layer, 'width') } }, { allowWrongSymbolicShape: true }) };

  // Layers tfjs gets wrong only with channels_first (Conv1D, SeparableConv2D with a bias): Permute around
  // their channels_last form.
  const asChannelsLast = { type: t, config: { ...layer.config, data_format: 'channels_last' }, inner: layer.inner };
  if (cf && !isUnsupported(toTfjs(asChannelsLast, { omitName: true })))
    return { build: (add, input) => channelsLast(add, input, true, () => add(toTfjs(asChannelsLast, { omitName: true }))) };

  // Softmax over another axis than the last: tfjs builds it (its shape is the oracle) but cannot run it.
  if (t === 'Softmax') return { build: (add) => add({ className: 'Softmax', config: { axis: arg(layer, 'axis') } }) };

  // Causal Conv1D: left padding, then a valid convolution.
  if (t === 'Conv1D' && String(arg(layer, 'padding')).toLowerCase() === 'causal') {
    const left = tuple(arg(layer, 'dilation_rate'), 1)[0] * (tuple(arg(layer, 'kernel_size'), 1)[0] - 1);
    return {
      build: (add, input) =>
        channelsLast(add, input, cf, (x) => {
          add(reshape([x[1], 1, x[2]]));
          const y = add({
            className: 'ZeroPadding2D',
            config: {
              padding: [
                [left, 0],
                [0, 0],
              ],
              dataFormat: 'channelsLast',
            },
          });
          add(reshape([y[1], y[3]]));
          return add(toTfjs({ type: t, config: { ...layer.config, padding: 'valid', data_format: 'channels_last' } }, { omitName: true }));
        }),
    };
  }

  // tfjs builds BatchNormalization and LayerNormalization on any rank but runs them only on ranks 2 to 4:
  // their build is still the oracle.
  if (t === 'BatchNormalization' || t === 'LayerNormalization') return { build: (add) => add(toTfjs({ type: t, config: layer.config }, { omitName: true })) };

  // Layers that at inference pass their input through unchanged.
  if (t === 'SpatialDropout2D' || t === 'SpatialDropout3D') return { build: (add) => add({ className: 'Dropout', config: { rate: arg(layer, 'rate') } }) };
  if (t === 'ActivityRegularization' || /^Random(Flip|Rotation|Zoom|Translation|Contrast|Brightness)$/.test(t))
    return { build: (add) => add({ className: 'Activation', config: { activation: 'linear' } }) };
  return null;
}
