/**
 * Receptive fields (README, Definitions: size, jump and offset per spatial axis of the model's input) checked by
 * impulse response in tfjs: each model below is analysed from its Python source, and the same layers are run in
 * tfjs with ones kernels and no bias on a batch of one-hot inputs (support/impulse.ts). Which input positions
 * reach an output unit is its window; from the units whose window lies wholly inside the input come size (the
 * window's extent, the holes of a dilation included), jump (how far the window moves from one unit to the next)
 * and offset (where unit 0's window starts, extrapolated: negative under padding), which must equal the core's,
 * layer by layer. Units cut by the border must see exactly their window clipped to the input (within it, where
 * the window has holes). No field is computed here from a formula.
 *
 * The grid: kernel × strides × dilation × padding ('valid', 'same'; 'causal' for Conv1D) × the input's length
 * (even and odd: TensorFlow's 'same' padding depends on it) for Conv1D/2D/3D, SeparableConv1D/2D,
 * DepthwiseConv1D/2D, Max/AveragePooling1D/2D/3D, ZeroPadding and Cropping 1D/2D/3D, with channels_first and
 * stacks of several layers. Layers whose field the README calls undefined (upsampling, transposed convolution)
 * must have none, and the impulses show why: their windows do not move by a whole number of pixels per unit.
 */
import assert from 'node:assert/strict';
import { analyze } from './support/metamorphic';
import {
  applyLayer,
  conv,
  depthwise,
  keep,
  measureFields,
  padOrCrop,
  pool,
  separable,
  source,
  windowStarts,
  type ConvOptions,
  type WindowSpec,
} from './support/impulse';
import { tfjs } from './support/tfjsOracle';
import type { ReceptiveField } from '../../src/core/types';

interface Case {
  specs: WindowSpec[];
  /** Spatial size of the input. */
  input: number[];
  channels: number;
}

const fmt = (f: ReceptiveField | null | undefined) => (f ? `size ${f.size.join('×')}, jump ${f.jump.join('×')}, offset ${f.offset.join(',')}` : 'none');
const fill = (v: number | number[], rank: number) => (Array.isArray(v) ? v : new Array<number>(rank).fill(v));

/** Layers checked, over every case run (printed once at the end). */
const tally = { models: 0, layers: 0 };

/** Runs the cases; one line per disagreement, naming the source. */
function check(cases: Case[]): string[] {
  const problems: string[] = [];
  for (const c of cases) {
    const channelsFirst = c.specs.some((s) => s.channelsFirst);
    const src = source(channelsFirst ? [c.channels, ...c.input] : [...c.input, c.channels], c.specs);
    const where = `[${c.specs.map((s) => s.py.replace(/^layers\./, '')).join(' → ')}] on ${c.input.join('×')}`;
    const model = analyze(src).models[0];
    const errors = model.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length || model.layers.length !== c.specs.length) {
      problems.push(`${where}: the core reports ${errors.map((d) => d.message).join('; ') || `${model.layers.length} layers`}`);
      continue;
    }
    const measured = measureFields(c.specs, c.input, c.channels);
    tally.models++;
    model.layers.forEach((layer, i) => {
      tally.layers++;
      const m = measured[i];
      const at = `${where}, layer ${i} ${layer.type}`;
      if (JSON.stringify(layer.outputShape?.slice(1)) !== JSON.stringify(m.shape))
        problems.push(`${at}: output shape core ${JSON.stringify(layer.outputShape)} vs tfjs ${JSON.stringify(m.shape)}`);
      if (m.problems.length) problems.push(`${at}: ${m.problems.slice(0, 3).join('; ')}`);
      if (JSON.stringify(layer.receptiveField) !== JSON.stringify(m.field))
        problems.push(`${at}: core ${fmt(layer.receptiveField)} vs impulse ${fmt(m.field)}`);
    });
  }
  return problems;
}

/** Strides and dilation pairs Keras accepts (not both above 1). */
const STEPS: [number | number[], number | number[]][] = [
  [1, 1],
  [2, 1],
  [3, 1],
  [1, 2],
  [1, 3],
];

/**
 * An input long enough for at least two whole windows away from the border on every axis, made one longer
 * where `longer` says.
 *
 * tfjs 4.22 computes 3D 'same' padding without TensorFlow's clamp at zero (tfjs-core's get3DPadAndOutInfo:
 * `front = floor(((out - 1) * stride + kernel - length) / 2)`, which is -1 when the stride exceeds the kernel
 * and the length is a multiple of the stride; its 2D rule clamps), so its 3D windows are then one pixel off
 * Keras'. 3D 'same' inputs are lengthened until that padding is not negative; 1D and 2D cover those cases.
 */
function inputFor(
  rank: number,
  o: { kernel: number | number[]; strides?: number | number[]; dilation?: number | number[]; padding?: string },
  longer: number[],
): number[] {
  const k = fill(o.kernel, rank);
  const s = fill(o.strides ?? 1, rank);
  const d = fill(o.dilation ?? 1, rank);
  return k.map((kk, i) => {
    const extent = (kk - 1) * d[i] + 1;
    let length = extent + 3 * s[i] + 2 + (longer[i] ?? 0);
    if (rank === 3 && o.padding === 'same') while ((Math.ceil(length / s[i]) - 1) * s[i] + extent - length < 0) length++;
    return length;
  });
}

function convGrid(
  rank: 1 | 2 | 3,
  kernels: (number | number[])[],
  steps: [number | number[], number | number[]][],
  paddings: ConvOptions['padding'][],
  lengths: number[][],
  channels: number,
  make: (o: ConvOptions) => WindowSpec,
): Case[] {
  const cases: Case[] = [];
  for (const kernel of kernels)
    for (const [strides, dilation] of steps)
      for (const padding of paddings)
        for (const longer of lengths) {
          const o = { kernel, strides, dilation, padding };
          cases.push({ specs: [make(o)], input: inputFor(rank, o, longer), channels });
        }
  return cases;
}

describe('receptive fields by impulse response in tfjs', function () {
  this.timeout(120_000);
  before(() => {
    tfjs();
  });
  after(() => console.log(`      ${tally.models} models, ${tally.layers} layers: every field equal to the impulse response`));

  it('measures hand-worked fields (the measurement itself, without the core)', () => {
    // Conv1D(k=3, s=2, 'same'): on 8 TensorFlow pads 1 in all, after the input; on 9 it pads 2, one before.
    assert.deepEqual(measureFields([conv(1, { kernel: 3, strides: 2, padding: 'same' })], [8], 1)[0].field, { size: [3], jump: [2], offset: [0] });
    assert.deepEqual(measureFields([conv(1, { kernel: 3, strides: 2, padding: 'same' })], [9], 1)[0].field, { size: [3], jump: [2], offset: [-1] });
    // Causal, dilation 2, kernel 3: each unit sees itself and 2 and 4 steps back.
    assert.deepEqual(measureFields([conv(1, { kernel: 3, dilation: 2, padding: 'causal' })], [12], 1)[0].field, { size: [5], jump: [1], offset: [-4] });
    // Cropping 2 before: unit 0 sees input 2. Pooling 2 with stride 3: windows 0-1, 3-4, 6-7.
    assert.deepEqual(measureFields([padOrCrop('Cropping', 1, '(2, 1)', [[2, 1]])], [8], 1)[0].field, { size: [1], jump: [1], offset: [2] });
    assert.deepEqual(measureFields([pool('Max', 1, { pool: 2, strides: 3 })], [11], 1)[0].field, { size: [2], jump: [3], offset: [0] });
  });

  it('Conv1D: kernel 1-4 × strides 1-3 / dilation 1-3 × valid, same, causal × even and odd lengths', () => {
    const cases = convGrid(1, [1, 2, 3, 4], STEPS, ['valid', 'same', 'causal'], [[0], [1]], 2, (o) => conv(1, o));
    assert.equal(cases.length, 120);
    assert.deepEqual(check(cases), []);
  });

  it('Conv2D: square and oblong kernels × per-axis strides / dilation × valid, same × mixed lengths', () => {
    const steps: [number | number[], number | number[]][] = [
      [1, 1],
      [2, 1],
      [[2, 3], 1],
      [1, 2],
      [1, [2, 3]],
    ];
    const cases = convGrid(
      2,
      [2, 3, [3, 2], [1, 4]],
      steps,
      ['valid', 'same'],
      [
        [0, 1],
        [1, 0],
      ],
      2,
      (o) => conv(2, o, 2),
    );
    assert.deepEqual(check(cases), []);
  });

  it('Conv2D and pooling with data_format="channels_first"', () => {
    const steps: [number | number[], number | number[]][] = [
      [1, 1],
      [[2, 1], 1],
      [1, [1, 2]],
    ];
    const cases = convGrid(2, [3, [2, 4]], steps, ['valid', 'same'], [[1, 0]], 2, (o) => conv(2, { ...o, channelsFirst: true }));
    for (const kind of ['Max', 'Average'] as const)
      for (const padding of ['valid', 'same'] as const)
        cases.push({ specs: [pool(kind, 2, { pool: [2, 3], strides: [1, 2], padding, channelsFirst: true })], input: [9, 12], channels: 2 });
    assert.deepEqual(check(cases), []);
  });

  it('Conv3D: kernels × per-axis strides / dilation × valid, same', () => {
    const steps: [number | number[], number | number[]][] = [
      [1, 1],
      [2, 1],
      [[1, 2, 3], 1],
      [1, 2],
      [1, [2, 1, 3]],
    ];
    const cases = convGrid(3, [2, 3, [1, 2, 3]], steps, ['valid', 'same'], [[0, 1, 0]], 1, (o) => conv(3, o));
    assert.deepEqual(check(cases), []);
  });

  it('SeparableConv1D/2D and DepthwiseConv1D/2D: kernels × strides / dilation × valid, same, depth multipliers 1 and 2', () => {
    const steps: [number | number[], number | number[]][] = [
      [1, 1],
      [2, 1],
      [1, 2],
    ];
    const cases: Case[] = [];
    for (const rank of [1, 2] as const) {
      const lengths = rank === 1 ? [[0], [1]] : [[0, 1]];
      const kernels = rank === 1 ? [2, 3] : [2, 3, [3, 2]];
      cases.push(...convGrid(rank, kernels, steps, ['valid', 'same'], lengths, 2, (o) => separable(rank, o, 2, fill(o.kernel, rank)[0] === 3 ? 2 : 1)));
      cases.push(...convGrid(rank, kernels, steps, ['valid', 'same'], lengths, 2, (o) => depthwise(rank, o, 2, fill(o.kernel, rank)[0] === 3 ? 2 : 1)));
    }
    assert.deepEqual(check(cases), []);
  });

  it('Max/AveragePooling1D/2D/3D: pool sizes × strides (default, smaller, larger than the pool) × valid, same', () => {
    const cases: Case[] = [];
    const grids: [1 | 2 | 3, (number | number[])[], (number | number[] | null)[], number[][]][] = [
      [1, [2, 3], [null, 1, 2, 3], [[0], [1]]],
      [
        2,
        [2, 3, [2, 3]],
        [null, 1, 2, [3, 1]],
        [
          [0, 1],
          [1, 0],
        ],
      ],
      [3, [2, [1, 2, 3]], [null, 1, [2, 1, 2]], [[0, 1, 0]]],
    ];
    for (const kind of ['Max', 'Average'] as const)
      for (const [rank, pools, stridesList, lengths] of grids)
        for (const p of pools)
          for (const strides of stridesList)
            for (const padding of ['valid', 'same'] as const)
              for (const longer of lengths)
                cases.push({
                  specs: [pool(kind, rank, { pool: p, strides, padding })],
                  input: inputFor(rank, { kernel: p, strides: strides ?? p, padding }, longer),
                  channels: rank === 3 ? 1 : 2,
                });
    assert.deepEqual(check(cases), []);
  });

  it('ZeroPadding and Cropping 1D/2D/3D: one int, symmetric and asymmetric pairs', () => {
    const cases: Case[] = [
      { specs: [padOrCrop('ZeroPadding', 1, '2', [[2, 2]])], input: [7], channels: 2 },
      { specs: [padOrCrop('ZeroPadding', 1, 'padding=(1, 3)', [[1, 3]])], input: [8], channels: 2 },
      { specs: [padOrCrop('Cropping', 1, '(1, 2)', [[1, 2]])], input: [9], channels: 2 },
      { specs: [padOrCrop('Cropping', 1, 'cropping=3', [[3, 3]])], input: [10], channels: 2 },
      {
        specs: [
          padOrCrop('ZeroPadding', 2, '1', [
            [1, 1],
            [1, 1],
          ]),
        ],
        input: [6, 7],
        channels: 2,
      },
      {
        specs: [
          padOrCrop('ZeroPadding', 2, '(1, 2)', [
            [1, 1],
            [2, 2],
          ]),
        ],
        input: [7, 6],
        channels: 2,
      },
      {
        specs: [
          padOrCrop('ZeroPadding', 2, 'padding=((2, 0), (1, 3))', [
            [2, 0],
            [1, 3],
          ]),
        ],
        input: [6, 6],
        channels: 2,
      },
      {
        specs: [
          padOrCrop('Cropping', 2, '1', [
            [1, 1],
            [1, 1],
          ]),
        ],
        input: [7, 8],
        channels: 2,
      },
      {
        specs: [
          padOrCrop('Cropping', 2, '((2, 0), (1, 3))', [
            [2, 0],
            [1, 3],
          ]),
        ],
        input: [8, 9],
        channels: 2,
      },
      {
        specs: [
          padOrCrop('ZeroPadding', 3, '1', [
            [1, 1],
            [1, 1],
            [1, 1],
          ]),
        ],
        input: [5, 4, 5],
        channels: 1,
      },
      {
        specs: [
          padOrCrop('ZeroPadding', 3, '((1, 0), (0, 2), (2, 1))', [
            [1, 0],
            [0, 2],
            [2, 1],
          ]),
        ],
        input: [5, 5, 4],
        channels: 1,
      },
      {
        specs: [
          padOrCrop('Cropping', 3, '(1, 2, 0)', [
            [1, 1],
            [2, 2],
            [0, 0],
          ]),
        ],
        input: [6, 7, 5],
        channels: 1,
      },
      {
        specs: [
          padOrCrop('Cropping', 3, 'cropping=((1, 0), (0, 2), (2, 1))', [
            [1, 0],
            [0, 2],
            [2, 1],
          ]),
        ],
        input: [6, 6, 7],
        channels: 1,
      },
    ];
    assert.deepEqual(check(cases), []);
  });

  it('stacks: every layer of each, padding, strides, dilation and pooling composed', () => {
    const cases: Case[] = [
      // The book's convnet, one filter a layer (the field does not depend on filters): 3, 4, 8, 10, 18.
      {
        specs: [conv(2, { kernel: 3 }), pool('Max', 2, { pool: 2 }), conv(2, { kernel: 3 }), pool('Max', 2, { pool: 2 }), conv(2, { kernel: 3 })],
        input: [28, 28],
        channels: 1,
      },
      // WaveNet: causal convolutions with dilations 1, 2, 4, 8.
      { specs: [1, 2, 4, 8].map((d) => conv(1, { kernel: 2, dilation: d, padding: 'causal' })), input: [40], channels: 1 },
      {
        specs: [
          conv(2, { kernel: 3, strides: 2, padding: 'same' }),
          pool('Max', 2, { pool: 3, strides: 2, padding: 'same' }),
          conv(2, { kernel: 3, dilation: 2, padding: 'same' }),
        ],
        input: [30, 29],
        channels: 1,
      },
      {
        specs: [
          padOrCrop('ZeroPadding', 2, '((2, 1), (0, 3))', [
            [2, 1],
            [0, 3],
          ]),
          conv(2, { kernel: [3, 4], strides: [2, 3] }),
          padOrCrop('Cropping', 2, '((1, 0), (0, 1))', [
            [1, 0],
            [0, 1],
          ]),
        ],
        input: [14, 17],
        channels: 2,
      },
      {
        specs: [
          separable(2, { kernel: 3, strides: 2, padding: 'same' }, 2),
          pool('Average', 2, { pool: 2, strides: 1, padding: 'same' }),
          depthwise(2, { kernel: 3, dilation: 2 }, 1),
        ],
        input: [21, 20],
        channels: 2,
      },
      {
        specs: [
          conv(2, { kernel: 3 }, 2),
          keep('layers.BatchNormalization()', (tf, x) => applyLayer(tf.layers.batchNormalization(), x)),
          keep('layers.ReLU()', (tf, x) => tf.relu(x)),
          keep('layers.Dense(3, use_bias=False)', (tf, x) => applyLayer(tf.layers.dense({ units: 3, kernelInitializer: 'ones', useBias: false }), x)),
          keep('layers.Activation("relu")', (tf, x) => tf.relu(x)),
          pool('Max', 2, { pool: [2, 3] }),
        ],
        input: [12, 13],
        channels: 2,
      },
      // A stride past the pool leaves holes between windows; the convolution after it sees across them.
      { specs: [pool('Max', 2, { pool: 2, strides: 3 }), conv(2, { kernel: 3 })], input: [20, 19], channels: 1 },
      { specs: [conv(3, { kernel: 3, strides: 2, padding: 'same' }), pool('Max', 3, { pool: 2 })], input: [13, 14, 13], channels: 1 },
      {
        specs: [conv(1, { kernel: 4, strides: 2, padding: 'same' }), depthwise(1, { kernel: 3, dilation: 2 }, 1), separable(1, { kernel: 2, strides: 2 }, 1)],
        input: [41],
        channels: 1,
      },
      {
        specs: [
          conv(2, { kernel: [3, 2], strides: [2, 1], padding: 'same', channelsFirst: true }),
          pool('Max', 2, { pool: 2, channelsFirst: true }),
          conv(2, { kernel: 3, channelsFirst: true }),
        ],
        input: [21, 14],
        channels: 2,
      },
      {
        specs: [
          conv(3, { kernel: [2, 3, 1], strides: [1, 2, 2], padding: 'same', channelsFirst: true }),
          pool('Average', 3, { pool: 2, strides: 1, channelsFirst: true }),
        ],
        input: [6, 11, 9],
        channels: 2,
      },
    ];
    assert.deepEqual(check(cases), []);
  });

  it('upsampling and transposed convolutions have no field, and neither does anything after them', () => {
    const layersWithout: [string, number[]][] = [
      ['UpSampling1D(2)', [8, 2]],
      ['UpSampling2D((2, 3))', [6, 5, 2]],
      ['UpSampling3D(2)', [4, 4, 4, 1]],
      ['Conv1DTranspose(1, 3, strides=2)', [8, 2]],
      ['Conv2DTranspose(1, 3, strides=2, padding="same")', [6, 5, 2]],
      ['Conv3DTranspose(1, 2, strides=2)', [4, 4, 4, 1]],
    ];
    const following: Record<number, string> = { 3: 'Conv1D(1, 3)', 4: 'Conv2D(1, 3)', 5: 'Conv3D(1, 3)' };
    for (const [layer, shape] of layersWithout) {
      const src = source(shape, [
        { py: `layers.Conv${shape.length - 1}D(1, 3, padding="same")` },
        { py: `layers.${layer}` },
        { py: `layers.${following[shape.length + 1]}` },
      ]);
      const [first, middle, next] = analyze(src).models[0].layers;
      assert.ok(first.receptiveField, `${layer}: the convolution before it has a field`);
      assert.equal(middle.receptiveField, null, `${layer} has no field`);
      assert.ok(next.outputShape, `${layer}: the layer after it has a shape`);
      assert.equal(next.receptiveField, null, `the layer after ${layer} has no field`);
    }
    // Why: along an axis, the first input each output unit sees does not advance by a whole number per unit.
    const upsampling = keep('layers.UpSampling2D(2)', (tf, x) => applyLayer(tf.layers.upSampling2d({ size: [2, 2] }), x));
    const transposed = keep('layers.Conv2DTranspose(1, 3, strides=2)', (tf, x) =>
      applyLayer(tf.layers.conv2dTranspose({ filters: 1, kernelSize: 3, strides: 2, kernelInitializer: 'ones', useBias: false }), x),
    );
    for (const spec of [upsampling, transposed]) {
      const starts = windowStarts([spec], [6, 6], 1).filter((s): s is number => s !== null);
      const steps = new Set(starts.slice(1).map((s, i) => s - starts[i]));
      assert.ok(steps.size > 1, `${spec.py}: window starts ${starts.join(', ')} advance by a whole number per unit`);
    }
  });
});
