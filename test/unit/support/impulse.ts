/**
 * Receptive fields measured by impulse response in tfjs (CPU backend), for test/unit/receptiveField.test.ts.
 *
 * A layer is described once, as a `WindowSpec`: the same numbers give the Python line the core analyses and
 * the tfjs computation the field is measured on. tfjs-layers builds the layer where it has it (kernels
 * initialised to ones, no bias), and tfjs ops compute it where tfjs-layers lacks the layer or the option
 * (Conv1D's padding="causal", SeparableConv1D, DepthwiseConv1D, a dilated DepthwiseConv2D, 1D/3D padding and
 * cropping), each as Keras defines the layer. Nothing here computes a field from a formula: the core's numbers
 * are compared with what the one-hot inputs reach.
 *
 * The measurement: a batch with one input per spatial position of the model's input, each all zeros but a
 * single 1 (channel 0 at that position). With all-positive weights nothing cancels, so an output unit is
 * non-zero exactly when the impulse's position is one it sees. Row n of the result is which output units
 * the impulse at position n reaches; column o is which input positions reach output unit o.
 */
import type { ReceptiveField } from '../../../src/core/types';
import { tfjs } from './tfjsOracle';

type Tf = typeof import('@tensorflow/tfjs');
type Tensor = import('@tensorflow/tfjs').Tensor;
type Padding = 'valid' | 'same' | 'causal';
type Pair = [number, number];
type Triple = [number, number, number];

/** One layer: its Python call, its tfjs computation, and whether each window it sees is a solid box. */
export interface WindowSpec {
  /** The call inside `keras.Sequential([...])`, e.g. `layers.Conv2D(1, 3, strides=2, padding="same", use_bias=False)`. */
  py: string;
  /** Computes the layer on a batch laid out as the layer expects (channels last unless `channelsFirst`). */
  run(tf: Tf, x: Tensor): Tensor;
  /**
   * False when this layer's windows, or those of layers after it, can have holes: a dilation, or a stride
   * larger than the window (a window of the next layer then spans the gaps). A window cut by the input's
   * border may then stop short of the border, so such units are only checked to lie within their window.
   */
  solid: boolean;
  /** Written with data_format="channels_first" (a model here is all channels_first or all channels_last). */
  channelsFirst?: boolean;
}

const tuple = (xs: number[]) => (xs.length === 1 ? `${xs[0]}` : xs.every((x) => x === xs[0]) ? `${xs[0]}` : `(${xs.join(', ')})`);
const fill = (v: number | number[], rank: number) => (Array.isArray(v) ? v : new Array(rank).fill(v));

export interface ConvOptions {
  kernel: number | number[];
  strides?: number | number[];
  dilation?: number | number[];
  padding?: Padding;
  channelsFirst?: boolean;
}

function windowArgs(rank: number, o: ConvOptions): { k: number[]; s: number[]; d: number[]; padding: Padding; py: string } {
  const k = fill(o.kernel, rank);
  const s = fill(o.strides ?? 1, rank);
  const d = fill(o.dilation ?? 1, rank);
  const padding = o.padding ?? 'valid';
  const py = [
    tuple(k),
    s.some((x) => x !== 1) ? `strides=${tuple(s)}` : '',
    d.some((x) => x !== 1) ? `dilation_rate=${tuple(d)}` : '',
    padding !== 'valid' ? `padding="${padding}"` : '',
    o.channelsFirst ? 'data_format="channels_first"' : '',
  ]
    .filter(Boolean)
    .join(', ');
  return { k, s, d, padding, py };
}

const solid = (k: number[], s: number[], d: number[]) => d.every((x) => x === 1) && s.every((x, i) => x <= k[i]);

/** A layer built by tfjs-layers, applied to a tensor (its weights are made on that call) and disposed. */
export function applyLayer(layer: import('@tensorflow/tfjs').layers.Layer, x: Tensor): Tensor {
  try {
    return layer.apply(x) as Tensor;
  } finally {
    layer.dispose();
  }
}

/** Conv1D/2D/3D with `filters` ones kernels and no bias. */
export function conv(rank: 1 | 2 | 3, o: ConvOptions, filters = 1): WindowSpec {
  const a = windowArgs(rank, o);
  const dataFormat = o.channelsFirst ? 'channelsFirst' : 'channelsLast';
  return {
    py: `layers.Conv${rank}D(${filters}, ${a.py}, use_bias=False)`,
    solid: solid(a.k, a.s, a.d),
    channelsFirst: o.channelsFirst,
    run(tf, x) {
      const common = { filters, kernelInitializer: 'ones' as const, useBias: false, dataFormat: dataFormat as 'channelsLast' };
      if (rank === 1) {
        // Keras' causal padding: the input padded on the left by dilation × (kernel - 1), then a valid convolution
        // (tfjs' Conv1D accepts "causal" but does not implement it).
        const input =
          a.padding === 'causal'
            ? tf.pad(x, [
                [0, 0],
                [a.d[0] * (a.k[0] - 1), 0],
                [0, 0],
              ])
            : x;
        return applyLayer(
          tf.layers.conv1d({ ...common, kernelSize: a.k[0], strides: a.s[0], dilationRate: a.d[0], padding: a.padding === 'same' ? 'same' : 'valid' }),
          input,
        );
      }
      const padding = a.padding as 'valid' | 'same';
      if (rank === 2) return applyLayer(tf.layers.conv2d({ ...common, kernelSize: a.k as Pair, strides: a.s as Pair, dilationRate: a.d as Pair, padding }), x);
      return applyLayer(tf.layers.conv3d({ ...common, kernelSize: a.k as Triple, strides: a.s as Triple, dilationRate: a.d as Triple, padding }), x);
    },
  };
}

/** Runs a 2D op on (batch, steps, channels) data as (batch, 1, steps, channels). */
function as2d(x: Tensor, body: (x4: import('@tensorflow/tfjs').Tensor4D) => Tensor): Tensor {
  const x4 = x.expandDims(1) as import('@tensorflow/tfjs').Tensor4D;
  const y = body(x4);
  return y.squeeze([1]);
}

/** DepthwiseConv1D/2D with a ones kernel and no bias. `channels` is the input's channel count. */
export function depthwise(rank: 1 | 2, o: ConvOptions, channels: number, depthMultiplier = 1): WindowSpec {
  const a = windowArgs(rank, o);
  const dm = depthMultiplier !== 1 ? `, depth_multiplier=${depthMultiplier}` : '';
  return {
    py: `layers.DepthwiseConv${rank}D(${a.py}${dm}, use_bias=False)`,
    solid: solid(a.k, a.s, a.d),
    run(tf, x) {
      const pad = a.padding as 'valid' | 'same';
      if (rank === 2 && a.d.every((d) => d === 1))
        return applyLayer(
          tf.layers.depthwiseConv2d({
            kernelSize: a.k as Pair,
            strides: a.s as Pair,
            padding: pad,
            depthMultiplier,
            depthwiseInitializer: 'ones',
            useBias: false,
          }),
          x,
        );
      // tfjs' DepthwiseConv2D ignores dilation_rate and there is no DepthwiseConv1D: the op, as Keras computes it.
      const k2 = rank === 1 ? [1, a.k[0]] : a.k;
      const s2 = (rank === 1 ? [1, a.s[0]] : a.s) as [number, number];
      const d2 = (rank === 1 ? [1, a.d[0]] : a.d) as [number, number];
      const op = (x4: import('@tensorflow/tfjs').Tensor4D) =>
        tf.depthwiseConv2d(x4, tf.ones([k2[0], k2[1], channels, depthMultiplier]) as import('@tensorflow/tfjs').Tensor4D, s2, pad, 'NHWC', d2);
      return rank === 1 ? as2d(x, op) : op(x as import('@tensorflow/tfjs').Tensor4D);
    },
  };
}

/** SeparableConv1D/2D with ones kernels and no bias. */
export function separable(rank: 1 | 2, o: ConvOptions, channels: number, depthMultiplier = 1, filters = 1): WindowSpec {
  const a = windowArgs(rank, o);
  const dm = depthMultiplier !== 1 ? `, depth_multiplier=${depthMultiplier}` : '';
  return {
    py: `layers.SeparableConv${rank}D(${filters}, ${a.py}${dm}, use_bias=False)`,
    solid: solid(a.k, a.s, a.d),
    run(tf, x) {
      const pad = a.padding as 'valid' | 'same';
      if (rank === 2)
        return applyLayer(
          tf.layers.separableConv2d({
            filters,
            kernelSize: a.k as Pair,
            strides: a.s as Pair,
            dilationRate: a.d as Pair,
            padding: pad,
            depthMultiplier,
            depthwiseInitializer: 'ones',
            pointwiseInitializer: 'ones',
            useBias: false,
          }),
          x,
        );
      // tfjs has no SeparableConv1D: Keras computes it as the 2D op over a height of 1.
      return as2d(x, (x4) =>
        tf.separableConv2d(
          x4,
          tf.ones([1, a.k[0], channels, depthMultiplier]) as import('@tensorflow/tfjs').Tensor4D,
          tf.ones([1, 1, channels * depthMultiplier, filters]) as import('@tensorflow/tfjs').Tensor4D,
          [1, a.s[0]],
          pad,
          [1, a.d[0]],
          'NHWC',
        ),
      );
    },
  };
}

export interface PoolOptions {
  pool: number | number[];
  /** null: Keras' default, the pool size (written out for tfjs, left out of the Python). */
  strides?: number | number[] | null;
  padding?: 'valid' | 'same';
  channelsFirst?: boolean;
}

/** Max/AveragePooling1D/2D/3D. */
export function pool(kind: 'Max' | 'Average', rank: 1 | 2 | 3, o: PoolOptions): WindowSpec {
  const p = fill(o.pool, rank);
  const s = o.strides === null || o.strides === undefined ? p : fill(o.strides, rank);
  const padding = o.padding ?? 'valid';
  const args = [
    `pool_size=${tuple(p)}`,
    o.strides === null || o.strides === undefined ? '' : `strides=${tuple(s)}`,
    padding !== 'valid' ? `padding="${padding}"` : '',
    o.channelsFirst ? 'data_format="channels_first"' : '',
  ].filter(Boolean);
  return {
    py: `layers.${kind}Pooling${rank}D(${args.join(', ')})`,
    solid: solid(
      p,
      s,
      p.map(() => 1),
    ),
    channelsFirst: o.channelsFirst,
    run(tf, x) {
      const dataFormat = (o.channelsFirst ? 'channelsFirst' : 'channelsLast') as 'channelsLast';
      const L = tf.layers;
      if (rank === 1) return applyLayer((kind === 'Max' ? L.maxPooling1d : L.averagePooling1d)({ poolSize: p[0], strides: s[0], padding }), x);
      if (rank === 2)
        return applyLayer((kind === 'Max' ? L.maxPooling2d : L.averagePooling2d)({ poolSize: p as Pair, strides: s as Pair, padding, dataFormat }), x);
      return applyLayer((kind === 'Max' ? L.maxPooling3d : L.averagePooling3d)({ poolSize: p as Triple, strides: s as Triple, padding, dataFormat }), x);
    },
  };
}

/** ZeroPadding or Cropping in 1, 2 or 3 dimensions; `arg` is the Python argument, `pairs` what it means. */
export function padOrCrop(kind: 'ZeroPadding' | 'Cropping', rank: 1 | 2 | 3, arg: string, pairs: [number, number][]): WindowSpec {
  return {
    py: `layers.${kind}${rank}D(${arg})`,
    solid: true,
    run(tf, x) {
      if (rank === 2) {
        const layer =
          kind === 'ZeroPadding'
            ? tf.layers.zeroPadding2d({ padding: pairs as [[number, number], [number, number]] })
            : tf.layers.cropping2D({ cropping: pairs as [[number, number], [number, number]] });
        return applyLayer(layer, x);
      }
      // tfjs-layers has these only in 2D: padding adds zeros, cropping drops rows, as Keras does.
      if (kind === 'ZeroPadding') return tf.pad(x, [[0, 0], ...pairs, [0, 0]]);
      const shape = x.shape;
      return tf.slice(x, [0, ...pairs.map(([b]) => b), 0], [-1, ...pairs.map(([b, a], i) => (shape[i + 1] as number) - b - a), -1]);
    },
  };
}

/** A layer that keeps the spatial axes (BatchNormalization, ReLU, Dense on rank > 2…), given as Python and tfjs. */
export function keep(py: string, run: (tf: Tf, x: Tensor) => Tensor): WindowSpec {
  return { py, run, solid: true };
}

/** The Python source of a Sequential model with this input shape (no batch) and these layers. */
export function source(inputShape: number[], specs: Pick<WindowSpec, 'py'>[]): string {
  return [
    'from tensorflow import keras',
    'from tensorflow.keras import layers',
    '',
    'model = keras.Sequential([',
    `    keras.Input(shape=(${inputShape.join(', ')}${inputShape.length === 1 ? ',' : ''})),`,
    ...specs.map((s) => `    ${s.py},`),
    '])',
    '',
  ].join('\n');
}

/** What the impulses show about one layer's output, per spatial axis of the model's input. */
export interface Measured {
  /** size / jump / offset derived from the output units whose window lies wholly inside the input. */
  field: ReceptiveField | null;
  /** Why no field could be derived, or where the measured windows break the derived one. */
  problems: string[];
  /** The layer's output shape in tfjs, without the batch dimension. */
  shape: number[];
}

/** The input positions each output unit sees, projected on each spatial axis, from one layer's output. */
function windowsPerAxis(
  out: Float32Array,
  inDims: number[],
  outDims: number[],
  channels: number,
  channelsFirst: boolean,
  problems: string[],
): ({ lo: number; hi: number } | null)[][] {
  const rank = inDims.length;
  const nIn = inDims.reduce((a, b) => a * b, 1);
  const nOut = outDims.reduce((a, b) => a * b, 1);
  const coords = (i: number, dims: number[]) => {
    const c = new Array<number>(dims.length);
    for (let a = dims.length - 1; a >= 0; a--) {
      c[a] = i % dims[a];
      i = Math.floor(i / dims[a]);
    }
    return c;
  };
  const inCoords = Array.from({ length: nIn }, (_, i) => coords(i, inDims));
  const perAxis: ({ lo: number; hi: number } | null)[][] = outDims.map((d) => new Array(d).fill(undefined));
  for (let o = 0; o < nOut; o++) {
    const lo = new Array(rank).fill(Infinity);
    const hi = new Array(rank).fill(-Infinity);
    const seen = inDims.map(() => new Set<number>());
    let count = 0;
    for (let n = 0; n < nIn; n++) {
      let v = 0;
      for (let c = 0; c < channels; c++) v += Math.abs(out[channelsFirst ? (n * channels + c) * nOut + o : (n * nOut + o) * channels + c]);
      if (v === 0) continue;
      count++;
      const p = inCoords[n];
      for (let a = 0; a < rank; a++) {
        if (p[a] < lo[a]) lo[a] = p[a];
        if (p[a] > hi[a]) hi[a] = p[a];
        seen[a].add(p[a]);
      }
    }
    const oc = coords(o, outDims);
    // A box: the positions a unit sees are every combination of the positions it sees along each axis.
    if (count > 0 && count !== seen.reduce((s, set) => s * set.size, 1))
      problems.push(`output unit ${oc.join(',')}: the ${count} positions it sees are not a box`);
    for (let a = 0; a < rank; a++) {
      const w = count === 0 ? null : { lo: lo[a], hi: hi[a] };
      const prev = perAxis[a][oc[a]];
      // Along one axis, the window depends on the unit's index on that axis only.
      if (prev === undefined) perAxis[a][oc[a]] = w;
      else if (w && prev && (prev.lo !== w.lo || prev.hi !== w.hi))
        problems.push(`axis ${a}, output index ${oc[a]}: windows differ between units (${prev.lo}..${prev.hi} vs ${w.lo}..${w.hi})`);
      else if (!prev) perAxis[a][oc[a]] = w;
    }
  }
  return perAxis;
}

/**
 * Measures every layer's receptive field for the model `specs` make on an input of spatial size `inDims`
 * with `channels` channels. Returns one `Measured` per layer.
 */
export function measureFields(specs: WindowSpec[], inDims: number[], channels: number): Measured[] {
  const tf = tfjs();
  const channelsFirst = specs.some((s) => s.channelsFirst);
  const rank = inDims.length;
  const nIn = inDims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(nIn * nIn * channels);
  // Impulse n: a 1 at spatial position n, channel 0.
  for (let n = 0; n < nIn; n++) data[channelsFirst ? n * channels * nIn + n : (n * nIn + n) * channels] = 1;
  const results: Measured[] = [];
  tf.tidy(() => {
    let x: Tensor = tf.tensor(data, channelsFirst ? [nIn, channels, ...inDims] : [nIn, ...inDims, channels]);
    let allSolid = true;
    for (const spec of specs) {
      x = spec.run(tf, x);
      allSolid &&= spec.solid;
      const shape = x.shape as number[];
      const outDims = channelsFirst ? shape.slice(2) : shape.slice(1, -1);
      const outChannels = channelsFirst ? shape[1] : shape[shape.length - 1];
      results.push({ ...derive(x.dataSync() as Float32Array, inDims, outDims, outChannels, channelsFirst, allSolid, rank), shape: shape.slice(1) });
    }
  });
  return results;
}

function derive(
  out: Float32Array,
  inDims: number[],
  outDims: number[],
  channels: number,
  channelsFirst: boolean,
  solidWindows: boolean,
  rank: number,
): Omit<Measured, 'shape'> {
  const problems: string[] = [];
  if (outDims.length !== rank) return { field: null, problems: [`the output has ${outDims.length} spatial axes, the input ${rank}`] };
  const perAxis = windowsPerAxis(out, inDims, outDims, channels, channelsFirst, problems);
  const field: ReceptiveField = { size: [], jump: [], offset: [] };
  for (let a = 0; a < rank; a++) {
    const windows = perAxis[a];
    const spans = windows.map((w) => (w ? w.hi - w.lo + 1 : 0));
    // Units whose window lies wholly inside the input: among those that touch neither border (a window cut by
    // the border touches it, or has lost taps at its ends), the widest.
    const inner = windows.map((w, i) => (w && w.lo > 0 && w.hi < inDims[a] - 1 ? i : -1)).filter((i) => i >= 0);
    const size = Math.max(0, ...inner.map((i) => spans[i]));
    const whole = inner.filter((i) => spans[i] === size);
    if (whole.length < 2) {
      problems.push(
        `axis ${a}: fewer than two output units see a whole window away from the border (input ${inDims[a]}, output ${outDims[a]}): make the input larger`,
      );
      return { field: null, problems };
    }
    if (Math.max(...spans) > size) problems.push(`axis ${a}: a unit at the border sees ${Math.max(...spans)} positions, more than the whole windows' ${size}`);
    const [i0, i1] = whole;
    const jumpNum = windows[i1]!.lo - windows[i0]!.lo;
    if (jumpNum % (i1 - i0) !== 0) {
      problems.push(`axis ${a}: whole windows start at ${whole.map((i) => windows[i]!.lo).join(', ')} for units ${whole.join(', ')}: not evenly spaced`);
      return { field: null, problems };
    }
    const jump = jumpNum / (i1 - i0);
    const offset = windows[i0]!.lo - i0 * jump;
    for (const i of whole)
      if (windows[i]!.lo !== offset + i * jump) problems.push(`axis ${a}: unit ${i}'s whole window starts at ${windows[i]!.lo}, not ${offset + i * jump}`);
    // Every unit, whole or cut by the border: inside its window clipped to the input, and (windows without
    // holes) exactly that; a unit whose window lies wholly in the padding sees nothing.
    windows.forEach((w, i) => {
      const lo = Math.max(offset + i * jump, 0);
      const hi = Math.min(offset + i * jump + size - 1, inDims[a] - 1);
      if (lo > hi) {
        if (w) problems.push(`axis ${a}: unit ${i} sees ${w.lo}..${w.hi}, outside the input by the derived field`);
        return;
      }
      if (!w) {
        if (solidWindows) problems.push(`axis ${a}: unit ${i} sees nothing, the derived field says ${lo}..${hi}`);
        return;
      }
      const exact = w.lo === lo && w.hi === hi;
      const inside = w.lo >= lo && w.hi <= hi;
      if (solidWindows ? !exact : !inside)
        problems.push(`axis ${a}: unit ${i} sees ${w.lo}..${w.hi}, the derived field clipped to the input says ${lo}..${hi}`);
    });
    field.size.push(size);
    field.jump.push(jump);
    field.offset.push(offset);
  }
  return { field, problems };
}

/**
 * For layers whose field the core calls undefined (upsampling, transposed convolution): along axis 0, the
 * first input position each output unit sees (channels last). A field with a whole-number jump would make
 * these starts an arithmetic sequence over the units that see whole windows.
 */
export function windowStarts(specs: WindowSpec[], inDims: number[], channels: number): (number | null)[] {
  const tf = tfjs();
  const nIn = inDims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(nIn * nIn * channels);
  for (let n = 0; n < nIn; n++) data[(n * nIn + n) * channels] = 1;
  let starts: (number | null)[] = [];
  tf.tidy(() => {
    let x: Tensor = tf.tensor(data, [nIn, ...inDims, channels]);
    for (const spec of specs) x = spec.run(tf, x);
    const shape = x.shape as number[];
    const outDims = shape.slice(1, -1);
    const perAxis = windowsPerAxis(x.dataSync() as Float32Array, inDims, outDims, shape[shape.length - 1], false, []);
    starts = perAxis[0].map((w) => (w ? w.lo : null));
  });
  return starts;
}
