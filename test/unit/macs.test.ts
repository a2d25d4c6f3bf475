/**
 * MACs (README, Definitions) checked against counts made in tfjs (CPU backend), for every layer family of the
 * catalogue. Each layer is analysed from its Python source and built in tfjs from the same numbers, written
 * here once more (not converted from the core's result), so that a misread argument cannot agree with itself.
 *
 * Two counts, independent of the core's arithmetic:
 * - products: with an all-ones input and all-ones kernels without bias, each output element of a linear layer
 *   equals the number of products that made it, so the sum of the outputs is the number of multiply-adds
 *   tfjs performed with real input values;
 * - the convention, read off tfjs' own weight and output shapes: products per output element (a kernel's
 *   elements per filter), per input element (transposed), or per timestep (a recurrent layer's kernels).
 * The core must equal the convention. The two counts agree where no padding is involved; with 'same' or
 * 'causal' padding the README's convention counts every kernel tap, the ones that fall on padding too (as
 * Keras-style counters do), so there the products tfjs multiplies by real inputs are fewer, and the test says
 * by asserting exactly that.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from './support/metamorphic';
import { allRules } from '../../src/core/layers/catalogue';
import { isUnsupported, toTfjs } from '../../src/core/tfjs/toTfjs';
import type { LayerResult } from '../../src/core/types';
import { tfjs } from './support/tfjsOracle';

type Tf = typeof import('@tensorflow/tfjs');
type Tensor = import('@tensorflow/tfjs').Tensor;
type TfLayer = import('@tensorflow/tfjs').layers.Layer;

const ONES = { kernelInitializer: 'ones', useBias: false } as const;

/** Layer types some test below checked. */
const covered = new Set<string>();

/** The one layer of `keras.Sequential([keras.Input(shape=input), layers.<line>])`, analysed. */
function analysed(input: number[], line: string): LayerResult {
  const src = `from tensorflow import keras\nfrom tensorflow.keras import layers\n\nmodel = keras.Sequential([\n    keras.Input(shape=(${input.join(', ')}${input.length === 1 ? ',' : ''})),\n    layers.${line},\n])\n`;
  const model = analyze(src).models[0];
  const errors = model.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors, [], `${line} on ${input.join('×')}: the core reports errors`);
  assert.equal(model.layers.length, 1);
  const layer = model.layers[0];
  covered.add(layer.type);
  if (layer.inner) covered.add(layer.inner.type);
  return layer;
}

const size = (shape: readonly (number | null)[]) => shape.reduce<number>((a, b) => a * (b ?? NaN), 1);

/** The sum of a tensor's elements, in double precision (each is a small whole number here). */
function total(t: Tensor): number {
  let s = 0;
  for (const v of t.dataSync()) s += v;
  return s;
}

/** Applies a tfjs layer to an all-ones batch of one; returns the output and the layer's weights by name. */
function onOnes(tf: Tf, layer: TfLayer, input: number[]): { out: Tensor; weight(pattern: RegExp): number[] } {
  const out = tf.tidy(() => layer.apply(tf.ones([1, ...input])) as Tensor);
  return {
    out,
    weight(pattern) {
      const found = layer.weights.filter((w) => pattern.test(w.originalName ?? w.name));
      assert.equal(found.length, 1, `one weight matching ${pattern} among ${layer.weights.map((w) => w.name).join(', ')}`);
      return found[0].shape as number[];
    },
  };
}

interface Outcome {
  line: string;
  core: number | null;
  convention: number;
  products: number;
  padded: boolean;
}

/** Every disagreement, one line each. */
function disagreements(outcomes: Outcome[]): string[] {
  const out: string[] = [];
  for (const o of outcomes) {
    if (o.core !== o.convention) out.push(`${o.line}: core ${o.core} vs ${o.convention} by tfjs' shapes (${o.products} products on ones)`);
    if (!o.padded && o.products !== o.convention) out.push(`${o.line}: no padding, yet ${o.products} products on ones vs ${o.convention} by the convention`);
    if (o.padded && !(o.products < o.convention))
      out.push(`${o.line}: padded, yet ${o.products} products on ones, not fewer than ${o.convention} counted with the padding`);
  }
  return out;
}

let checked = 0;

describe('MACs against counts made in tfjs', function () {
  this.timeout(120_000);
  let tf: Tf;
  before(() => {
    tf = tfjs();
  });
  after(() => console.log(`      ${checked} layers counted, ${covered.size} of ${allRules().length} catalogue layer types`));

  it('Conv1D/2D/3D: output elements × kernel taps × input channels (strides, dilation, valid, same, causal)', () => {
    type Case = [line: string, input: number[], layer: () => TfLayer, padded: boolean];
    const cases: Case[] = [
      ['Conv1D(4, 3)', [12, 3], () => tf.layers.conv1d({ filters: 4, kernelSize: 3, ...ONES }), false],
      ['Conv1D(2, 4, strides=3)', [20, 2], () => tf.layers.conv1d({ filters: 2, kernelSize: 4, strides: 3, ...ONES }), false],
      ['Conv1D(3, 3, dilation_rate=2, use_bias=False)', [15, 2], () => tf.layers.conv1d({ filters: 3, kernelSize: 3, dilationRate: 2, ...ONES }), false],
      ['Conv1D(3, 5, padding="same")', [11, 2], () => tf.layers.conv1d({ filters: 3, kernelSize: 5, padding: 'same', ...ONES }), true],
      ['Conv2D(4, 3)', [9, 10, 3], () => tf.layers.conv2d({ filters: 4, kernelSize: 3, ...ONES }), false],
      ['Conv2D(2, (3, 2), strides=(2, 1))', [11, 8, 2], () => tf.layers.conv2d({ filters: 2, kernelSize: [3, 2], strides: [2, 1], ...ONES }), false],
      ['Conv2D(3, 3, dilation_rate=(2, 1))', [12, 9, 2], () => tf.layers.conv2d({ filters: 3, kernelSize: 3, dilationRate: [2, 1], ...ONES }), false],
      ['Conv2D(5, 3, strides=2, padding="same")', [9, 8, 2], () => tf.layers.conv2d({ filters: 5, kernelSize: 3, strides: 2, padding: 'same', ...ONES }), true],
      [
        'Conv2D(2, 1, strides=2, padding="same")',
        [8, 8, 3],
        () => tf.layers.conv2d({ filters: 2, kernelSize: 1, strides: 2, padding: 'same', ...ONES }),
        false,
      ],
      [
        'Conv2D(2, 3, data_format="channels_first")',
        [3, 8, 9],
        () => tf.layers.conv2d({ filters: 2, kernelSize: 3, dataFormat: 'channelsFirst', ...ONES }),
        false,
      ],
      ['Conv3D(2, 3)', [7, 6, 8, 2], () => tf.layers.conv3d({ filters: 2, kernelSize: 3, ...ONES }), false],
      [
        'Conv3D(3, (1, 2, 3), strides=(1, 2, 2))',
        [5, 8, 9, 2],
        () => tf.layers.conv3d({ filters: 3, kernelSize: [1, 2, 3], strides: [1, 2, 2], ...ONES }),
        false,
      ],
      ['Conv3D(2, 3, padding="same")', [5, 6, 5, 1], () => tf.layers.conv3d({ filters: 2, kernelSize: 3, padding: 'same', ...ONES }), true],
    ];
    const outcomes: Outcome[] = cases.map(([line, input, make, padded]) => {
      const layer = analysed(input, line);
      const { out, weight } = onOnes(tf, make(), input);
      const kernel = weight(/kernel/);
      // Each output element: a kernel's worth of taps over the input channels (kernel elements / filters).
      const convention = size(out.shape.slice(1)) * (size(kernel) / kernel[kernel.length - 1]);
      const outcome = { line, core: layer.macs, convention, products: total(out), padded };
      out.dispose();
      return outcome;
    });
    // padding="causal": Keras pads dilation × (kernel - 1) zeros on the left, then convolves as 'valid'.
    for (const [k, d] of [
      [3, 1],
      [2, 4],
    ]) {
      const line = `Conv1D(2, ${k}, padding="causal", dilation_rate=${d})`;
      const input = [10, 3];
      const layer = analysed(input, line);
      const conv = tf.layers.conv1d({ filters: 2, kernelSize: k, dilationRate: d, ...ONES });
      const out = tf.tidy(
        () =>
          conv.apply(
            tf.pad(tf.ones([1, ...input]), [
              [0, 0],
              [d * (k - 1), 0],
              [0, 0],
            ]),
          ) as Tensor,
      );
      const kernel = conv.weights[0].shape as number[];
      const convention = size(out.shape.slice(1)) * (size(kernel) / kernel[kernel.length - 1]);
      outcomes.push({ line, core: layer.macs, convention, products: total(out), padded: true });
      // Padded with ones instead, the taps on the padding are products too, and the count is the convention's.
      const withTaps = tf.tidy(
        () =>
          conv.apply(
            tf.pad(
              tf.ones([1, ...input]),
              [
                [0, 0],
                [d * (k - 1), 0],
                [0, 0],
              ],
              1,
            ),
          ) as Tensor,
      );
      assert.equal(total(withTaps), convention, `${line}: products with the padding counted`);
      out.dispose();
      withTaps.dispose();
      conv.dispose();
    }
    checked += outcomes.length;
    assert.deepEqual(disagreements(outcomes), []);
  });

  it('grouped Conv2D: each group convolves its share of the input channels', () => {
    // tfjs has no `groups`: one ones convolution per group, on that group's channels, as Keras computes it.
    const outcomes: Outcome[] = [];
    for (const [filters, groups, k, input] of [
      [8, 4, 3, [7, 8, 8]],
      [6, 3, 2, [6, 5, 6]],
      [4, 2, 1, [5, 5, 4]],
    ] as [number, number, number, number[]][]) {
      const line = `Conv2D(${filters}, ${k}, groups=${groups})`;
      const layer = analysed(input, line);
      const cin = input[input.length - 1];
      let products = 0;
      let convention = 0;
      for (let g = 0; g < groups; g++) {
        const conv = tf.layers.conv2d({ filters: filters / groups, kernelSize: k, ...ONES });
        const out = tf.tidy(() => conv.apply(tf.ones([1, ...input.slice(0, -1), cin / groups])) as Tensor);
        const kernel = conv.weights[0].shape as number[];
        products += total(out);
        convention += size(out.shape.slice(1)) * (size(kernel) / kernel[kernel.length - 1]);
        out.dispose();
        conv.dispose();
      }
      outcomes.push({ line, core: layer.macs, convention, products, padded: false });
    }
    checked += outcomes.length;
    assert.deepEqual(disagreements(outcomes), []);
  });

  it('DepthwiseConv1D/2D: output elements × kernel taps (one input channel each)', () => {
    const outcomes: Outcome[] = [];
    const cases: [string, number[], number[], number[], number, 'valid' | 'same', number[]][] = [
      // line, input, kernel, strides, depth multiplier, padding, dilation
      ['DepthwiseConv2D(3)', [8, 9, 3], [3, 3], [1, 1], 1, 'valid', [1, 1]],
      ['DepthwiseConv2D((3, 2), strides=2, depth_multiplier=2)', [9, 8, 2], [3, 2], [2, 2], 2, 'valid', [1, 1]],
      ['DepthwiseConv2D(3, dilation_rate=2, depth_multiplier=3)', [10, 9, 2], [3, 3], [1, 1], 3, 'valid', [2, 2]],
      ['DepthwiseConv2D(3, padding="same", depth_multiplier=2)', [7, 6, 2], [3, 3], [1, 1], 2, 'same', [1, 1]],
      ['DepthwiseConv1D(3, depth_multiplier=2)', [12, 3], [1, 3], [1, 1], 2, 'valid', [1, 1]],
      ['DepthwiseConv1D(4, strides=2)', [13, 2], [1, 4], [1, 2], 1, 'valid', [1, 1]],
      ['DepthwiseConv1D(3, padding="same")', [10, 2], [1, 3], [1, 1], 1, 'same', [1, 1]],
    ];
    for (const [line, input, k, s, dm, padding, d] of cases) {
      const layer = analysed(input, line);
      const cin = input[input.length - 1];
      // The op (tfjs' DepthwiseConv2D layer ignores dilation and there is no 1D one), 1D as a height of 1.
      const x = input.length === 2 ? [1, 1, ...input] : [1, ...input];
      const out = tf.tidy(() =>
        tf.depthwiseConv2d(
          tf.ones(x as [number, number, number, number]) as import('@tensorflow/tfjs').Tensor4D,
          tf.ones([k[0], k[1], cin, dm]) as import('@tensorflow/tfjs').Tensor4D,
          s as [number, number],
          padding,
          'NHWC',
          d as [number, number],
        ),
      );
      // Each output element: one kernel's taps over its one input channel.
      outcomes.push({ line, core: layer.macs, convention: size(out.shape.slice(1)) * k[0] * k[1], products: total(out), padded: padding === 'same' });
      out.dispose();
    }
    checked += outcomes.length;
    assert.deepEqual(disagreements(outcomes), []);
  });

  it('SeparableConv1D/2D: the depthwise stage plus the pointwise stage', () => {
    const outcomes: Outcome[] = [];
    const cases: [string, number[], number, number[], number[], number, 'valid' | 'same'][] = [
      // line, input, filters, kernel, strides, depth multiplier, padding
      ['SeparableConv2D(4, 3)', [8, 9, 3], 4, [3, 3], [1, 1], 1, 'valid'],
      ['SeparableConv2D(5, (3, 2), strides=2, depth_multiplier=2)', [9, 8, 2], 5, [3, 2], [2, 2], 2, 'valid'],
      ['SeparableConv2D(3, 3, padding="same", depth_multiplier=3, use_bias=False)', [6, 7, 2], 3, [3, 3], [1, 1], 3, 'same'],
      ['SeparableConv1D(4, 3, depth_multiplier=2)', [12, 3], 4, [1, 3], [1, 1], 2, 'valid'],
      ['SeparableConv1D(2, 5, strides=2, padding="same")', [13, 2], 2, [1, 5], [1, 2], 1, 'same'],
    ];
    for (const [line, input, filters, k, s, dm, padding] of cases) {
      const layer = analysed(input, line);
      const cin = input[input.length - 1];
      const x = input.length === 2 ? [1, 1, ...input] : [1, ...input];
      let products = 0;
      let convention = 0;
      if (input.length === 3) {
        // tfjs' layer, whole: with ones kernels each of its outputs sums the whole depthwise stage at that
        // position once per filter, so the depthwise stage's products are the output's sum / filters.
        const sep = tf.layers.separableConv2d({
          filters,
          kernelSize: k,
          strides: s,
          padding,
          depthMultiplier: dm,
          depthwiseInitializer: 'ones',
          pointwiseInitializer: 'ones',
          useBias: false,
        });
        const { out, weight } = onOnes(tf, sep, input);
        const dw = weight(/depthwise_kernel/);
        const pw = weight(/pointwise_kernel/);
        const positions = size(out.shape.slice(1, -1));
        products += total(out) / filters;
        convention += positions * size(dw); // each position: every depthwise kernel element once
        // The pointwise stage on its own: a 1×1 convolution of the depthwise output (cin × dm channels).
        const point = tf.layers.conv2d({ filters, kernelSize: 1, ...ONES });
        const p = onOnes(tf, point, [...(out.shape.slice(1, -1) as number[]), cin * dm]);
        products += total(p.out);
        convention += size(p.out.shape.slice(1)) * (size(pw) / filters);
        out.dispose();
        p.out.dispose();
        sep.dispose();
        point.dispose();
      } else {
        // tfjs has no SeparableConv1D: its two stages as ops, over a height of 1.
        const depth = tf.tidy(() =>
          tf.depthwiseConv2d(
            tf.ones(x as [number, number, number, number]) as import('@tensorflow/tfjs').Tensor4D,
            tf.ones([k[0], k[1], cin, dm]) as import('@tensorflow/tfjs').Tensor4D,
            s as [number, number],
            padding,
          ),
        );
        const point = tf.tidy(() =>
          tf.conv2d(
            tf.onesLike(depth) as import('@tensorflow/tfjs').Tensor4D,
            tf.ones([1, 1, cin * dm, filters]) as import('@tensorflow/tfjs').Tensor4D,
            1,
            'valid',
          ),
        );
        products += total(depth) + total(point);
        convention += size(depth.shape.slice(1)) * k[0] * k[1] + size(point.shape.slice(1)) * cin * dm;
        depth.dispose();
        point.dispose();
      }
      outcomes.push({ line, core: layer.macs, convention, products, padded: padding === 'same' });
    }
    checked += outcomes.length;
    assert.deepEqual(disagreements(outcomes), []);
  });

  it('Conv1D/2D/3DTranspose: input elements × kernel taps × filters', () => {
    const outcomes: Outcome[] = [];
    const cases: [string, number[], () => TfLayer, boolean][] = [
      ['Conv2DTranspose(3, 3)', [5, 6, 2], () => tf.layers.conv2dTranspose({ filters: 3, kernelSize: 3, ...ONES }), false],
      ['Conv2DTranspose(2, (3, 2), strides=2)', [4, 5, 3], () => tf.layers.conv2dTranspose({ filters: 2, kernelSize: [3, 2], strides: 2, ...ONES }), false],
      [
        'Conv2DTranspose(2, 3, strides=2, padding="same")',
        [4, 4, 2],
        () => tf.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', ...ONES }),
        true,
      ],
      ['Conv3DTranspose(2, 2, strides=2)', [3, 4, 3, 2], () => tf.layers.conv3dTranspose({ filters: 2, kernelSize: 2, strides: 2, ...ONES }), false],
      ['Conv3DTranspose(2, 3, padding="same")', [3, 4, 3, 1], () => tf.layers.conv3dTranspose({ filters: 2, kernelSize: 3, padding: 'same', ...ONES }), true],
      // tfjs has no Conv1DTranspose: the 2D layer over a height of 1 (the output has that extra axis of 1).
      ['Conv1DTranspose(3, 4, strides=2)', [6, 2], () => tf.layers.conv2dTranspose({ filters: 3, kernelSize: [1, 4], strides: [1, 2], ...ONES }), false],
    ];
    for (const [line, input, make, padded] of cases) {
      const layer = analysed(input, line);
      const tfInput = line.startsWith('Conv1D') ? [1, ...input] : input;
      const { out, weight } = onOnes(tf, make(), tfInput);
      const kernel = weight(/kernel/);
      // Each input element is multiplied by every kernel element of its channel: kernel / input channels.
      const inElements = size(tfInput);
      const cin = input[input.length - 1];
      outcomes.push({ line, core: layer.macs, convention: inElements * (size(kernel) / cin), products: total(out), padded });
      out.dispose();
    }
    checked += outcomes.length;
    assert.deepEqual(disagreements(outcomes), []);
  });

  it('Dense on rank 2, 3 and 4, and TimeDistributed: positions × input features × units; bias not counted', () => {
    const outcomes: Outcome[] = [];
    const cases: [string, number[], () => TfLayer][] = [
      ['Dense(10)', [17], () => tf.layers.dense({ units: 10, ...ONES })],
      ['Dense(4, use_bias=False)', [6], () => tf.layers.dense({ units: 4, ...ONES })],
      ['Dense(5, activation="relu")', [7, 3], () => tf.layers.dense({ units: 5, ...ONES })],
      ['Dense(3)', [4, 5, 6], () => tf.layers.dense({ units: 3, ...ONES })],
      ['TimeDistributed(layers.Dense(4))', [6, 5], () => tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 4, ...ONES }) })],
      [
        'TimeDistributed(layers.Conv2D(2, 3))',
        [3, 6, 7, 2],
        () => tf.layers.timeDistributed({ layer: tf.layers.conv2d({ filters: 2, kernelSize: 3, ...ONES }) }),
      ],
    ];
    for (const [line, input, make] of cases) {
      const layer = analysed(input, line);
      const { out, weight } = onOnes(tf, make(), input);
      const kernel = weight(/kernel/);
      outcomes.push({
        line,
        core: layer.macs,
        convention: size(out.shape.slice(1)) * (size(kernel) / kernel[kernel.length - 1]),
        products: total(out),
        padded: false,
      });
      out.dispose();
    }
    checked += outcomes.length;
    assert.deepEqual(disagreements(outcomes), []);
  });

  it('EinsumDense written as a Dense: the Dense layer tfjs builds, its kernel elements at each position', () => {
    // One product per combination of the equation's letters: for these equations, exactly a Dense's count.
    const cases: [string, number[], number][] = [
      ["EinsumDense('ab,bc->ac', output_shape=64, bias_axes='c')", [32], 64],
      ["EinsumDense('abc,cd->abd', output_shape=(None, 16))", [10, 32], 16],
      ["EinsumDense('abc,cde->abde', output_shape=(None, 4, 8), bias_axes='de')", [10, 32], 32],
      ["EinsumDense('...b,bc->...c', output_shape=8)", [5, 6, 12], 8],
    ];
    const wrong: string[] = [];
    for (const [line, input, units] of cases) {
      const layer = analysed(input, line);
      const dense = tf.layers.dense({ units });
      const out = tf.tidy(() => dense.apply(tf.zeros([1, ...input])) as Tensor);
      const kernel = dense.weights.find((w) => /kernel/.test(w.originalName ?? w.name));
      const expected = size(out.shape.slice(1, -1)) * size(kernel!.shape);
      if (layer.macs !== expected) wrong.push(`${line}: core ${layer.macs} vs tfjs Dense ${expected}`);
      out.dispose();
      dense.dispose();
      checked++;
    }
    assert.deepEqual(wrong, []);
  });

  it("GroupQueryAttention's projections without biases: positions × Keras' own count of its weights", () => {
    // In self-attention every projection runs at the query's positions, and without biases each weight is a kernel
    // element: the MACs are the positions times the parameters Keras counted (test/fixtures/layers.json).
    const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'layers.json'), 'utf8')) as {
      cases: { source: string; layers?: [string, string, (number | null)[], number][] }[];
    };
    const cases = fixture.cases.filter((c) => /GroupQueryAttention\(.*use_bias=False.*\)\(a, a\)/.test(c.source) && c.layers);
    assert.equal(cases.length, 2);
    for (const c of cases) {
      const [, , shape, params] = c.layers![1];
      const layer = analyze(c.source).models[0].layers[1];
      assert.equal(layer.macs, (shape[1] as number) * params, c.source);
      checked++;
    }
  });

  it('STFTSpectrogram: per channel and kernel, the 1D convolution tfjs counts', () => {
    // Keras convolves each channel with a real and an imaginary kernel of (frame_length, 1, fft_length // 2 + 1):
    // a tfjs Conv1D with those sizes gives the positions and the kernel's elements.
    const cases: [string, number[], { frame: number; step: number; freq: number; kernels: number }][] = [
      ["STFTSpectrogram(mode='real', frame_length=64)", [1000, 1], { frame: 64, step: 32, freq: 33, kernels: 1 }],
      ['STFTSpectrogram(frame_length=100, frame_step=50, fft_length=128)', [4000, 2], { frame: 100, step: 50, freq: 65, kernels: 2 }],
    ];
    for (const [line, input, k] of cases) {
      const layer = analysed(input, line);
      const conv = tf.layers.conv1d({ filters: k.freq, kernelSize: k.frame, strides: k.step, useBias: false });
      const out = tf.tidy(() => conv.apply(tf.zeros([1, input[0], 1])) as Tensor);
      const expected = out.shape[1]! * size(conv.weights[0].shape) * input[1] * k.kernels;
      assert.equal(layer.macs, expected, line);
      out.dispose();
      conv.dispose();
      checked++;
    }
  });

  it('ConvLSTM2D: timesteps × output positions × (kernel + recurrent kernel elements)', () => {
    // As an LSTM's count, at each position of each step's output: the kernels' elements read off tfjs' weights,
    // the positions off tfjs' output.
    const cases: [string, number[], () => TfLayer][] = [
      ['ConvLSTM2D(4, 3)', [5, 9, 9, 2], () => tf.layers.convLstm2d({ filters: 4, kernelSize: 3 })],
      [
        'ConvLSTM2D(3, (3, 2), strides=2, padding="same", return_sequences=True)',
        [4, 8, 7, 3],
        () => tf.layers.convLstm2d({ filters: 3, kernelSize: [3, 2], strides: 2, padding: 'same', returnSequences: true }),
      ],
    ];
    const wrong: string[] = [];
    for (const [line, input, make] of cases) {
      const layer = analysed(input, line);
      const rnn = make();
      const out = tf.tidy(() => rnn.apply(tf.zeros([1, ...input])) as Tensor);
      const kernels = rnn.weights.filter((w) => /kernel/.test(w.originalName ?? w.name));
      assert.equal(kernels.length, 2, `${line}: kernel and recurrent kernel among ${rnn.weights.map((w) => w.name).join(', ')}`);
      const perPosition = kernels.reduce((s, w) => s + size(w.shape), 0);
      const positions = size(out.shape.slice(-3, -1));
      const expected = input[0] * positions * perPosition;
      if (layer.macs !== expected) wrong.push(`${line}: core ${layer.macs} vs ${input[0]} × ${positions} × ${perPosition} = ${expected}`);
      out.dispose();
      rnn.dispose();
      checked++;
    }
    assert.deepEqual(wrong, []);
  });

  it('SimpleRNN, LSTM, GRU, Bidirectional: timesteps × (kernel + recurrent kernel elements)', () => {
    // The README's convention, timesteps × gates × units × (input features + units), is the kernels' elements
    // once per timestep: here those elements are read off the weights tfjs builds for the same layer. (An RNN is
    // not linear, so its outputs on ones count nothing.) tfjs' GRU has only reset_after=False, whose kernels
    // are Keras' reset_after=True ones (only the bias differs): Keras' default GRU is compared with it.
    const cases: [string, number[], () => TfLayer][] = [
      ['SimpleRNN(8)', [7, 5], () => tf.layers.simpleRNN({ units: 8 })],
      ['SimpleRNN(4, return_sequences=True)', [6, 3], () => tf.layers.simpleRNN({ units: 4, returnSequences: true })],
      ['LSTM(6)', [9, 4], () => tf.layers.lstm({ units: 6 })],
      ['LSTM(3, return_sequences=True, use_bias=False)', [5, 7], () => tf.layers.lstm({ units: 3, returnSequences: true, useBias: false })],
      ['GRU(5)', [8, 3], () => tf.layers.gru({ units: 5, resetAfter: false } as never)],
      ['GRU(4, reset_after=False, return_sequences=True)', [6, 2], () => tf.layers.gru({ units: 4, returnSequences: true } as never)],
      ['Bidirectional(layers.LSTM(4))', [5, 3], () => tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 4 }) as never })],
      [
        'Bidirectional(layers.SimpleRNN(3, return_sequences=True), merge_mode="sum")',
        [4, 2],
        () => tf.layers.bidirectional({ layer: tf.layers.simpleRNN({ units: 3, returnSequences: true }) as never, mergeMode: 'sum' }),
      ],
    ];
    const wrong: string[] = [];
    for (const [line, input, make] of cases) {
      const layer = analysed(input, line);
      const rnn = make();
      const out = tf.tidy(() => rnn.apply(tf.zeros([1, ...input])) as Tensor);
      const kernels = rnn.weights.filter((w) => /kernel/.test(w.originalName ?? w.name));
      assert.equal(
        kernels.length,
        line.startsWith('Bidirectional') ? 4 : 2,
        `${line}: kernel and recurrent kernel (per direction) among ${rnn.weights.map((w) => w.name).join(', ')}`,
      );
      const perStep = kernels.reduce((s, w) => s + size(w.shape), 0);
      const expected = input[0] * perStep;
      if (layer.macs !== expected) wrong.push(`${line}: core ${layer.macs} vs ${input[0]} timesteps × ${perStep} kernel elements = ${expected}`);
      out.dispose();
      rnn.dispose();
      checked++;
    }
    assert.deepEqual(wrong, []);
  });

  it('BatchNormalization, LayerNormalization, Normalization: one per output element', () => {
    // At inference each is a scale and a shift per element, x·a + b, folded into one multiply-add (the
    // README's convention); LayerNormalization's mean and variance over the features are not counted.
    const cases: [string, number[], (() => TfLayer) | null][] = [
      ['BatchNormalization()', [10], () => tf.layers.batchNormalization()],
      ['BatchNormalization()', [6, 5, 4], () => tf.layers.batchNormalization()],
      ['BatchNormalization(axis=1)', [3, 4, 5], () => tf.layers.batchNormalization({ axis: 1 })],
      ['LayerNormalization()', [7, 3], () => tf.layers.layerNormalization()],
      ['LayerNormalization(axis=[1, 2])', [4, 5, 2], () => tf.layers.layerNormalization({ axis: [1, 2] })],
      // tfjs has no Normalization layer: the element count of its output, (x - mean) / sqrt(variance), by ops.
      ['Normalization(mean=0.5, variance=2.0)', [6, 4], null],
      ['Normalization()', [5, 3], null],
    ];
    const wrong: string[] = [];
    for (const [line, input, make] of cases) {
      const layer = analysed(input, line);
      let elements: number;
      if (make) {
        const norm = make();
        const out = tf.tidy(() => norm.apply(tf.ones([1, ...input])) as Tensor);
        elements = size(out.shape.slice(1));
        out.dispose();
        norm.dispose();
      } else {
        const out = tf.tidy(() => tf.div(tf.sub(tf.ones([1, ...input]), 0.5), tf.sqrt(2)));
        elements = size(out.shape.slice(1));
        out.dispose();
      }
      if (layer.macs !== elements) wrong.push(`${line} on ${input.join('×')}: core ${layer.macs} vs ${elements} output elements`);
      checked++;
    }
    assert.deepEqual(wrong, []);
  });

  it('Embedding and PReLU have weights but no multiply-adds: a lookup, and an activation', () => {
    // Embedding gathers rows (no product); PReLU multiplies each negative element by its alpha, an activation,
    // which the README does not count.
    for (const [line, input, make] of [
      ['Embedding(100, 8)', [12], () => tf.layers.embedding({ inputDim: 100, outputDim: 8 })],
      ['PReLU()', [5, 4], () => tf.layers.prelu()],
    ] as [string, number[], () => TfLayer][]) {
      const layer = analysed(input, line);
      const tl = make();
      const out = tf.tidy(() => tl.apply(tf.ones([1, ...input])) as Tensor);
      assert.ok(tl.countParams() > 0, `${line} has weights in tfjs`);
      assert.equal(layer.params, tl.countParams(), `${line}: parameters`);
      assert.equal(layer.macs, 0, `${line}: MACs`);
      out.dispose();
      tl.dispose();
      checked++;
    }
  });

  it('every layer without weights counts none: pooling, reshaping, activations, dropout, preprocessing', () => {
    // MACs are the products of a layer's weights: none without weights (pooling comparisons and averages,
    // padding, copies, activations and augmentations are not counted). Where tfjs builds the layer, it too
    // finds no weights.
    const cases: [string, number[]][] = [
      ['Flatten()', [4, 5, 2]],
      ['Reshape((10, 4))', [4, 5, 2]],
      ['Permute((2, 1))', [4, 5]],
      ['RepeatVector(3)', [6]],
      ['Activation("relu")', [6]],
      ['Dropout(0.5)', [6]],
      ['SpatialDropout1D(0.2)', [6, 3]],
      ['SpatialDropout2D(0.2)', [6, 5, 3]],
      ['SpatialDropout3D(0.2)', [4, 6, 5, 3]],
      ['GaussianNoise(0.1)', [6]],
      ['GaussianDropout(0.1)', [6]],
      ['AlphaDropout(0.1)', [6]],
      ['ActivityRegularization(l1=0.01)', [6]],
      ['Masking()', [6, 3]],
      ['Identity()', [6]],
      ['ReLU()', [6]],
      ['LeakyReLU()', [6]],
      ['ELU()', [6]],
      ['Softmax()', [6]],
      ['ThresholdedReLU()', [6]],
      ...[1, 2, 3].flatMap((r): [string, number[]][] => {
        const shape = [...new Array<number>(r).fill(6), 2];
        return [
          [`MaxPooling${r}D()`, shape],
          [`AveragePooling${r}D(3, strides=1, padding="same")`, shape],
          [`GlobalMaxPooling${r}D()`, shape],
          [`GlobalAveragePooling${r}D()`, shape],
          [`ZeroPadding${r}D()`, shape],
          [`Cropping${r}D(1)`, shape],
          [`UpSampling${r}D()`, shape],
        ];
      }),
      ['Rescaling(1 / 255)', [8, 8, 3]],
      ['Resizing(4, 5)', [8, 8, 3]],
      ['CenterCrop(4, 5)', [8, 8, 3]],
      ['RandomCrop(4, 5)', [8, 8, 3]],
      ['RandomFlip()', [8, 8, 3]],
      ['RandomRotation(0.1)', [8, 8, 3]],
      ['RandomZoom(0.1)', [8, 8, 3]],
      ['RandomTranslation(0.1, 0.1)', [8, 8, 3]],
      ['RandomContrast(0.1)', [8, 8, 3]],
      ['RandomBrightness(0.1)', [8, 8, 3]],
      ['CategoryEncoding(10)', [3]],
    ];
    const wrong: string[] = [];
    let inTfjs = 0;
    for (const [line, input] of cases) {
      const layer = analysed(input, line);
      if (layer.params !== 0 || layer.macs !== 0) wrong.push(`${line}: core ${layer.params} parameters, ${layer.macs} MACs`);
      const c = toTfjs(layer, { omitName: true });
      if (!isUnsupported(c)) {
        const entry = tf.serialization.SerializationMap.getMap().classNameMap[c.className];
        const tl = entry[1](entry[0], JSON.parse(JSON.stringify(c.config)) as never) as unknown as TfLayer;
        const out = tf.tidy(() => tl.apply(tf.ones([1, ...input])) as Tensor);
        if (tl.countParams() !== 0) wrong.push(`${line}: tfjs ${c.className} has ${tl.countParams()} weights`);
        out.dispose();
        tl.dispose();
        inTfjs++;
      }
      checked++;
    }
    assert.deepEqual(wrong, []);
    assert.ok(inTfjs >= 20, `${inTfjs} of them built in tfjs`);
  });

  it('covers every layer type of the catalogue', () => {
    // Merge layers take several tensors and have no weights: their 0 MACs are checked in functional.test.ts. Layers
    // tfjs does not have (LayerScale, GroupNormalization…) have no counterpart to count on.
    const missing = allRules()
      .filter((r) => !r.multiInput && typeof r.tfjs === 'function')
      .map((r) => r.type)
      .filter((t) => !covered.has(t));
    assert.deepEqual(missing, []);
  });
});
