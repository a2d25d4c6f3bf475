/**
 * Issue 21 items 1–3: operations on Keras tensors (`tf.expand_dims`, `keras.ops.concatenate`, reductions, slicing,
 * `@`…), `preprocess_input` on a tensor, and Lambda layers whose function LayerLens follows. Truth: tfjs-core runs
 * the same operation on zero tensors, twice, with the None dimensions at 2 and at 3 (a dimension that changes with
 * them is None); Keras 3's `imagenet_utils._preprocess_tensor_input` for the preprocess rows. And the principle of
 * issue 18: an operation LayerLens cannot follow is unknown, named, and local.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, type ModelResult } from '../../src/core';
import { tfjs } from './support/tfjsOracle';

type Tf = typeof import('@tensorflow/tfjs');
type Tensor = import('@tensorflow/tfjs').Tensor;
type Dims = (number | null)[];

/** tfjs' output shape for inputs with None dimensions: run at None = 2 and None = 3; what differs is None. */
function truth(inputs: Dims[], fn: (tf: Tf, ...xs: Tensor[]) => Tensor): Dims {
  const tf = tfjs();
  const run = (n: number) => tf.tidy(() => fn(tf, ...inputs.map((s) => tf.zeros(s.map((d) => d ?? n)))).shape);
  const [a, b] = [run(2), run(3)];
  return a.map((d, i) => (d === b[i] ? d : null));
}

/** The model of `body` (statements on `x`, and `y` where given, ending in `out = ...`) and its row for `out`. */
function model(body: string, x: string, y?: string): ModelResult {
  const src = `import keras
import tensorflow as tf
from keras import layers, ops
from keras import backend as K

x = keras.Input(shape=${x})
${y ? `y = keras.Input(shape=${y})\n` : ''}${body}
model = keras.Model(${y ? '[x, y]' : 'x'}, out)
`;
  const [m] = analyze(src).models;
  assert.ok(m, src);
  return m;
}

function outShape(m: ModelResult): Dims | null {
  return m.layers[m.layers.length - 1].outputShape;
}

const inputShape = (t: string): Dims => [
  null,
  ...(JSON.parse(
    t
      .replace(/\(/g, '[')
      .replace(/,?\s*\)/g, ']')
      .replace(/None/g, 'null'),
  ) as Dims),
];

interface Case {
  op: string;
  x: string;
  y?: string;
  tf: (tf: Tf, x: Tensor, y: Tensor) => Tensor;
  /** The row: name and type as printed. */
  row: [string, string];
}

const CASES: Case[] = [
  { op: 'tf.expand_dims(x, -1)', x: '(10, 8)', tf: (tf, x) => tf.expandDims(x, -1), row: ['expand_dims', 'tf.expand_dims'] },
  { op: 'tf.expand_dims(x, axis=1)', x: '(10, 8)', tf: (tf, x) => tf.expandDims(x, 1), row: ['expand_dims', 'tf.expand_dims'] },
  { op: 'ops.expand_dims(x, -2)', x: '(None, 8)', tf: (tf, x) => tf.expandDims(x, 2), row: ['expand_dims', 'ExpandDims'] },
  { op: 'K.expand_dims(x)', x: '(10,)', tf: (tf, x) => tf.expandDims(x, -1), row: ['expand_dims', 'K.expand_dims'] },
  { op: 'tf.squeeze(x, axis=-1)', x: '(10, 1)', tf: (tf, x) => tf.squeeze(x, [2]), row: ['squeeze', 'tf.squeeze'] },
  { op: 'ops.squeeze(x)', x: '(1, 10, 1)', tf: (tf, x) => tf.squeeze(x, [1, 3]), row: ['squeeze', 'Squeeze'] },
  { op: 'tf.reshape(x, (-1, 80))', x: '(10, 8)', tf: (tf, x) => tf.reshape(x, [-1, 80]), row: ['reshape', 'tf.reshape'] },
  { op: 'ops.reshape(x, (-1, 5, 16))', x: '(10, 8)', tf: (tf, x) => tf.reshape(x, [-1, 5, 16]), row: ['reshape', 'Reshape'] },
  { op: 'tf.transpose(x, perm=[0, 2, 1])', x: '(10, 8)', tf: (tf, x) => tf.transpose(x, [0, 2, 1]), row: ['transpose', 'tf.transpose'] },
  { op: 'ops.transpose(x, axes=(0, -1, 1, 2))', x: '(4, 6, 3)', tf: (tf, x) => tf.transpose(x, [0, 3, 1, 2]), row: ['transpose', 'Transpose'] },
  { op: 'tf.transpose(x)', x: '(10, 8)', tf: (tf, x) => tf.transpose(x), row: ['transpose', 'tf.transpose'] },
  { op: 'tf.concat([x, y], axis=-1)', x: '(10, 8)', y: '(10, 3)', tf: (tf, x, y) => tf.concat([x, y], -1), row: ['concat', 'tf.concat'] },
  { op: 'ops.concatenate([x, y], axis=1)', x: '(10, 8)', y: '(None, 8)', tf: (tf, x, y) => tf.concat([x, y], 1), row: ['concatenate', 'Concatenate'] },
  { op: 'tf.stack([x, y], axis=1)', x: '(10, 8)', y: '(10, 8)', tf: (tf, x, y) => tf.stack([x, y], 1), row: ['stack', 'tf.stack'] },
  { op: 'tf.math.reduce_mean(x, axis=1)', x: '(10, 8)', tf: (tf, x) => tf.mean(x, 1), row: ['reduce_mean', 'tf.math.reduce_mean'] },
  { op: 'tf.reduce_sum(x, axis=[1, -1], keepdims=True)', x: '(4, 6, 3)', tf: (tf, x) => tf.sum(x, [1, 3], true), row: ['reduce_sum', 'tf.reduce_sum'] },
  { op: 'ops.max(x, axis=-1)', x: '(10, 8)', tf: (tf, x) => tf.max(x, -1), row: ['max', 'Max'] },
  { op: 'K.mean(x, axis=1, keepdims=True)', x: '(10, 8)', tf: (tf, x) => tf.mean(x, 1, true), row: ['mean', 'K.mean'] },
  { op: 'tf.math.argmax(x, axis=-1)', x: '(10, 8)', tf: (tf, x) => tf.argMax(x, -1), row: ['argmax', 'tf.math.argmax'] },
  { op: 'tf.tile(x, [1, 2, 3])', x: '(10, 8)', tf: (tf, x) => tf.tile(x, [1, 2, 3]), row: ['tile', 'tf.tile'] },
  { op: 'ops.tile(x, (2, 1))', x: '(10, 8)', tf: (tf, x) => tf.tile(x, [1, 2, 1]), row: ['tile', 'Tile'] },
  { op: 'tf.matmul(x, y)', x: '(10, 8)', y: '(8, 4)', tf: (tf, x, y) => tf.matMul(x, y), row: ['matmul', 'tf.matmul'] },
  { op: 'tf.matmul(x, y, transpose_b=True)', x: '(10, 8)', y: '(4, 8)', tf: (tf, x, y) => tf.matMul(x, y, false, true), row: ['matmul', 'tf.matmul'] },
  { op: 'x @ y', x: '(10, 8)', y: '(8, 4)', tf: (tf, x, y) => tf.matMul(x, y), row: ['matmul', 'Matmul'] },
  { op: 'x + y', x: '(10, 8)', y: '(1, 8)', tf: (tf, x, y) => tf.add(x, y), row: ['add', 'Add'] },
  { op: 'tf.math.multiply(x, y)', x: '(10, 1)', y: '(1, 8)', tf: (tf, x, y) => tf.mul(x, y), row: ['multiply', 'tf.math.multiply'] },
  { op: 'tf.math.truediv(x, 255.0)', x: '(10, 8)', tf: (tf, x) => tf.div(x, 255), row: ['truediv', 'tf.math.truediv'] },
  { op: 'tf.maximum(x, 0.0)', x: '(10, 8)', tf: (tf, x) => tf.maximum(x, 0), row: ['maximum', 'tf.maximum'] },
  { op: 'tf.nn.relu(x)', x: '(None, 8)', tf: (tf, x) => tf.relu(x), row: ['relu', 'tf.nn.relu'] },
  { op: 'tf.math.exp(x)', x: '(10, 8)', tf: (tf, x) => tf.exp(x), row: ['exp', 'tf.math.exp'] },
  { op: 'ops.sqrt(x)', x: '(10, 8)', tf: (tf, x) => tf.sqrt(x), row: ['sqrt', 'Sqrt'] },
  { op: 'ops.abs(x)', x: '(10, 8)', tf: (tf, x) => tf.abs(x), row: ['absolute', 'Absolute'] },
  {
    op: 'x[:, -1, :]',
    x: '(10, 8)',
    tf: (tf, x) => tf.stridedSlice(x, [0, -1, 0], [0, 0, 0], [1, 1, 1], 0b101, 0b101, 0, 0, 0b010),
    row: ['get_item', 'GetItem'],
  },
  {
    op: 'x[..., 0]',
    x: '(10, 8)',
    tf: (tf, x) => tf.stridedSlice(x, [0, 0, 0], [0, 0, 1], [1, 1, 1], 0b011, 0b011, 0, 0, 0b100),
    row: ['get_item', 'GetItem'],
  },
  { op: 'x[:, 2:9:3]', x: '(10, 8)', tf: (tf, x) => tf.stridedSlice(x, [0, 2, 0], [0, 9, 0], [1, 3, 1], 0b101, 0b101), row: ['get_item', 'GetItem'] },
  { op: 'x[:, ::-1]', x: '(10, 8)', tf: (tf, x) => tf.reverse(x, 1), row: ['get_item', 'GetItem'] },
  { op: 'x[:, -3:]', x: '(None, 8)', tf: (tf, x) => tf.stridedSlice(x, [0, -3, 0], [0, 0, 0], [1, 1, 1], 0b101, 0b111), row: ['get_item', 'GetItem'] },
  {
    op: 'x[:, None, 1:]',
    x: '(10, 8)',
    tf: (tf, x) => tf.expandDims(tf.stridedSlice(x, [0, 1, 0], [0, 0, 0], [1, 1, 1], 0b101, 0b111), 1),
    row: ['get_item', 'GetItem'],
  },
];

describe('operations on Keras tensors: shapes as tfjs computes them, rows as Keras names them (issue 21)', () => {
  for (const c of CASES)
    it(`${c.op} on ${c.x}${c.y ? ` and ${c.y}` : ''}`, () => {
      const m = model(`out = ${c.op}`, c.x, c.y);
      const want = truth(c.y ? [inputShape(c.x), inputShape(c.y)] : [inputShape(c.x)], (tf, x, y) => c.tf(tf, x, y));
      assert.deepEqual(outShape(m), want);
      const row = m.layers[m.layers.length - 1];
      assert.deepEqual([row.name, row.type, row.params, row.operation], [...c.row, 0, true]);
      assert.deepEqual(
        m.diagnostics.filter((d) => d.severity !== 'information'),
        [],
      );
      assert.equal(m.totalParams, 0);
    });

  it('a chain: every row named once in order (expand_dims, expand_dims_1), a Dense after it exact', () => {
    const m = model('a = tf.expand_dims(x, -1)\nb = tf.expand_dims(a, 1)\nout = layers.Dense(4)(tf.reduce_mean(b, axis=[1, 2]))', '(10, 8)');
    assert.deepEqual(
      m.layers.map((l) => [l.name, l.outputShape, l.params]),
      [
        ['input_layer', [null, 10, 8], 0],
        ['expand_dims', [null, 10, 8, 1], 0],
        ['expand_dims_1', [null, 1, 10, 8, 1], 0],
        ['reduce_mean', [null, 8, 1], 0],
        ['dense', [null, 8, 4], 8],
      ],
    );
  });

  it("what TF refuses is Keras' error: an axis out of range, a perm of another rank, shapes that do not concatenate, an index out of range", () => {
    for (const [op, x, y] of [
      ['tf.expand_dims(x, 4)', '(10, 8)'],
      ['tf.transpose(x, perm=[0, 1])', '(10, 8)'],
      ['tf.concat([x, y], axis=-1)', '(10, 8)', '(9, 3)'],
      ['x[:, 10]', '(10, 8)'],
    ] as const) {
      const m = model(`out = ${op}`, x, y);
      assert.equal(outShape(m), null, op);
      assert.ok(
        m.diagnostics.some((d) => d.severity === 'error'),
        op,
      );
    }
  });

  it('an operation it cannot follow is unknown, named at its range, and local: the rows after it present, a convolution’s params exact', () => {
    const m = model('h = tf.reshape(x, (-1, cfg["height"], 8, 1))\nc = layers.Conv2D(16, 3)(h)\nout = layers.GlobalAveragePooling2D()(c)', '(10, 8)');
    assert.deepEqual(
      m.layers.map((l) => [l.name, l.outputShape, l.params]),
      [
        ['input_layer', [null, 10, 8], 0],
        ['reshape', [null, null, 8, 1], 0],
        ['conv2d', [null, null, 6, 16], 16 * 9 + 16],
        ['global_average_pooling2d', [null, 16], 0],
      ],
    );
    assert.equal(m.totalParams, 160);
    // The height is not known, but the rank and channels are: a convolution's weights do not depend on the spatial size.
    const all = m.diagnostics.map((d) => `${d.code} ${d.range.start.line}: ${d.message}`);
    assert.ok(
      all.some((d) => d.startsWith('unresolved-value 7: ') && d.includes('cfg["height"]')),
      all.join('\n'),
    );
  });

  it('a None dimension stays None through reshape(-1), concatenate and reductions', () => {
    assert.deepEqual(outShape(model('out = tf.reshape(x, (-1, 8))', '(None, 8)')), [null, 8]);
    assert.deepEqual(outShape(model('out = tf.concat([x, x], axis=1)', '(None, 8)')), [null, null, 8]);
    assert.deepEqual(outShape(model('out = tf.reduce_max(x, axis=1)', '(None, 8)')), [null, 8]);
    // TF cannot tell which axes a squeeze without `axis` removes when one is None (the batch always is).
    const m = model('out = tf.squeeze(x)', '(10, 1)');
    assert.equal(outShape(m), null);
    assert.ok(m.diagnostics.some((d) => d.code === 'unevaluated-call' && d.message.startsWith('`tf.squeeze` with no `axis`')));
  });
});

describe('preprocess_input on a Keras tensor: the rows Keras 3 prints (imagenet_utils._preprocess_tensor_input)', () => {
  const rows = (family: string) =>
    model(`out = keras.applications.${family}.preprocess_input(x)`, '(160, 160, 3)').layers.map((l) => [l.name, l.type, l.outputShape, l.params]);
  const image = [null, 160, 160, 3];
  it("mobilenet_v2 ('tf' mode): x / 127.5 - 1", () => {
    assert.deepEqual(rows('mobilenet_v2'), [
      ['input_layer', 'InputLayer', image, 0],
      ['true_divide', 'TrueDivide', image, 0],
      ['subtract', 'Subtract', image, 0],
    ]);
  });
  it("resnet50 ('caffe' mode): RGB to BGR by three slices stacked, then the mean pixel added", () => {
    assert.deepEqual(rows('resnet50'), [
      ['input_layer', 'InputLayer', image, 0],
      ['get_item', 'GetItem', [null, 160, 160], 0],
      ['get_item_1', 'GetItem', [null, 160, 160], 0],
      ['get_item_2', 'GetItem', [null, 160, 160], 0],
      ['stack', 'Stack', image, 0],
      ['add', 'Add', image, 0],
    ]);
  });
  it("densenet ('torch' mode): / 255, + mean, / std", () => {
    assert.deepEqual(
      rows('densenet').map((r) => r[0]),
      ['input_layer', 'true_divide', 'add', 'true_divide_1'],
    );
  });
  it('efficientnet: preprocess_input returns its input, so no row', () => {
    const m = model('p = keras.applications.efficientnet.preprocess_input(x)\nout = layers.Dense(2)(p)', '(8, 8, 3)');
    assert.deepEqual(
      m.layers.map((l) => l.name),
      ['input_layer', 'dense'],
    );
  });
});

describe('Lambda layers whose function LayerLens follows: one row, the shape, 0 params (issue 21 item 3)', () => {
  const lambdaRow = (m: ModelResult) => m.layers.find((l) => l.type === 'Lambda');
  for (const [fn, x, want] of [
    ['lambda t: t[:, -1, :]', '(10, 8)', [null, 8]],
    ['lambda t: tf.expand_dims(t, -1)', '(28, 28)', [null, 28, 28, 1]],
    ['lambda t: K.mean(t, axis=1)', '(10, 8)', [null, 8]],
    ['lambda t: (t / 255.0) - 0.5', '(32, 32, 3)', [null, 32, 32, 3]],
    ['lambda t: tf.concat([t, t * 2], axis=-1)', '(10, 8)', [null, 10, 16]],
    ['lambda t: K.sqrt(K.sum(K.square(t), axis=-1, keepdims=True) + K.epsilon())', '(10, 8)', [null, 10, 1]],
  ] as const)
    it(`Lambda(${fn}) on ${x}`, () => {
      const m = model(`out = layers.Lambda(${fn})(x)`, x);
      assert.deepEqual(
        m.layers.map((l) => [l.name, l.outputShape, l.params]),
        [
          ['input_layer', inputShape(x), 0],
          ['lambda', want, 0],
        ],
      );
      assert.deepEqual(
        m.diagnostics.filter((d) => d.severity !== 'information'),
        [],
      );
    });

  it('a def passed as Lambda(fn), in a Sequential model, and the Dense after it exact', () => {
    const src = `import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

def last_step(seq):
    out = seq[:, -1]
    return tf.reshape(out, (-1, 4, 8))

model = keras.Sequential([
    layers.LSTM(32, return_sequences=True, input_shape=(20, 6)),
    layers.Lambda(last_step),
    layers.Dense(3),
])
`;
    const [m] = analyze(src).models;
    assert.deepEqual(
      m.layers.map((l) => [l.type, l.outputShape, l.params]),
      [
        ['LSTM', [null, 20, 32], 4 * (32 * (6 + 32) + 32)],
        ['Lambda', [null, 4, 8], 0],
        ['Dense', [null, 4, 3], 27],
      ],
    );
  });

  it('output_shape= is still what Keras takes', () => {
    const m = model('out = layers.Lambda(lambda t: t, output_shape=(5,))(x)', '(10, 8)');
    assert.deepEqual(lambdaRow(m)?.outputShape, [null, 5]);
  });

  it('a function it cannot follow: unknown, a warning naming the expression, the rows after it present', () => {
    for (const [fn, named] of [
      ['lambda t: tf.image.resize(t, (64, 64))', '`tf.image.resize(t, (64, 64))` is a call LayerLens does not evaluate'],
      ['lambda t: layers.Dense(3)(t)', 'it calls a layer or a model'],
      ['preprocess', 'it is not a function of this file or a lambda'],
      ['lambda t: t[:, idx]', 'Cannot resolve `idx`'],
    ] as const) {
      const m = model(`h = layers.Lambda(${fn})(x)\nout = layers.Dense(2)(h)`, '(10, 8)');
      assert.deepEqual(
        m.layers.map((l) => [l.name, l.outputShape]),
        [
          ['input_layer', [null, 10, 8]],
          ['lambda', null],
          ['dense', null],
        ],
        fn,
      );
      const warning = m.diagnostics.find((d) => d.code === 'lambda-layer');
      assert.ok(warning, fn);
      assert.ok(warning.message.startsWith('A Lambda layer runs its function'), fn);
      assert.ok(warning.message.includes(named), `${fn}: ${warning.message}`);
    }
  });

  it('a Lambda on a list of tensors runs its function on the list: `lambda t: t[0] - t[1]` is exact', () => {
    const m = model('out = layers.Lambda(lambda t: t[0] - t[1])([x, y])', '(8,)', '(8,)');
    assert.deepEqual(lambdaRow(m)?.outputShape, [null, 8]);
    assert.equal(lambdaRow(m)?.params, 0);
  });
});

/**
 * Operations that return several tensors (`split`, `unstack`), gather constant indices (`take`, `tf.gather`) or
 * rearrange blocks (`depth_to_space`, `space_to_depth`), and Lambdas called on a list of tensors. Truth:
 * test/fixtures/ops.json, written by scripts/keras-oracle/ops.py (CI needs no Python): real Keras 3 (JAX) building
 * each model, its operations' rows; and TensorFlow's own shape functions for the `tf.*` functions, traced by
 * tf.function on an input whose batch is None (Keras 3 refuses TF functions on its tensors; tf.keras 2.x wrapped
 * them in TFOpLambda rows of TF's shapes). LayerLens names a TF function's row as it names any library call:
 * `split (tf.split)`.
 */
interface KerasCase {
  kind: 'keras';
  source: string;
  rows?: [string, string, Dims[], number][];
  error?: string;
}
interface TfCase {
  kind: 'tf';
  call: string;
  input: Dims;
  outputs?: Dims[];
  error?: string;
}
const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'ops.json'), 'utf8')) as { cases: (KerasCase | TfCase)[] };

const rowsOf = (m: ModelResult) => m.layers.map((l) => [l.name, l.type, l.outputShapes ?? [l.outputShape], l.params]);

describe('split, unstack, take / gather, depth_to_space and Lambdas on a list: as real Keras 3 and TensorFlow give them (fixtures/ops.json)', () => {
  for (const c of fixture.cases.filter((k): k is KerasCase => k.kind === 'keras')) {
    const line = c.source
      .split('\n')
      .filter((l) => l && !l.startsWith('import') && !l.startsWith('from') && !/^\w+ = keras\.Input/.test(l) && !l.startsWith('model ='));
    it(`Keras 3: ${line.join('; ')}`, () => {
      const [m] = analyze(c.source).models;
      assert.ok(m, c.source);
      if (c.rows) {
        assert.deepEqual(rowsOf(m), c.rows);
        assert.deepEqual(
          m.diagnostics.filter((d) => d.severity !== 'information'),
          [],
        );
      } else {
        // Keras refuses it: its error, in its words, and no shape made up after it.
        assert.ok(
          m.diagnostics.some((d) => d.severity === 'error' && d.message.includes(c.error as string)),
          `${c.error}\n${m.diagnostics.map((d) => d.message).join('\n')}`,
        );
        assert.equal(m.layers[m.layers.length - 1].outputShape, null);
      }
    });
  }

  for (const c of fixture.cases.filter((k): k is TfCase => k.kind === 'tf')) {
    const shape = `(${c.input
      .slice(1)
      .map((d) => (d === null ? 'None' : String(d)))
      .join(', ')}${c.input.length === 2 ? ',' : ''})`;
    it(`TensorFlow: ${c.call} on ${shape}`, () => {
      const m = model(`out = ${c.call}`, shape);
      const row = m.layers[m.layers.length - 1];
      const fn = /^(tf(?:\.\w+)*?\.(\w+))\(/.exec(c.call) as RegExpExecArray;
      assert.deepEqual([row.name, row.type, row.params], [fn[2], fn[1], 0]);
      if (c.outputs) {
        assert.deepEqual(row.outputShapes ?? [row.outputShape], c.outputs);
        assert.deepEqual(
          m.diagnostics.filter((d) => d.severity !== 'information'),
          [],
        );
      } else {
        // TensorFlow's words, without the graph node it names.
        const words = (c.error as string).split(" for '")[0];
        assert.equal(row.outputShape, null);
        assert.ok(
          m.diagnostics.some((d) => d.severity === 'error' && d.message.includes(words)),
          `${words}\n${m.diagnostics.map((d) => d.message).join('\n')}`,
        );
      }
    });
  }
});

describe('the idioms real code writes with them: numbers from printed summaries, unknowns named', () => {
  // keras.io's "Image Super-Resolution using an Efficient Sub-Pixel CNN" (tf.keras era), written here in our words:
  // its printed summary has conv2d..conv2d_3 at 1664, 36928, 18464, 2601 parameters and
  // `tf.nn.depth_to_space (TFOpLambda)  (None, None, None, 1)  0`, 59,657 in all; built on (100, 100, 1) it printed
  // `[(None, 300, 300, 1)]`.
  const espcn = (shape: string) => `import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

def get_model(upscale_factor=3, channels=1):
    conv_args = {"activation": "relu", "kernel_initializer": "Orthogonal", "padding": "same"}
    inputs = keras.Input(shape=${shape})
    x = layers.Conv2D(64, 5, **conv_args)(inputs)
    x = layers.Conv2D(64, 3, **conv_args)(x)
    x = layers.Conv2D(32, 3, **conv_args)(x)
    x = layers.Conv2D(channels * (upscale_factor ** 2), 3, **conv_args)(x)
    outputs = tf.nn.depth_to_space(x, upscale_factor)
    return keras.Model(inputs, outputs)

model = get_model(upscale_factor=3, channels=1)
`;
  it("keras.io's ESPCN: the printed parameters, and depth_to_space's (None, None, None, 1)", () => {
    const [m] = analyze(espcn('(None, None, channels)')).models;
    assert.deepEqual(
      m.layers.map((l) => [l.type, l.outputShape, l.params]),
      [
        ['InputLayer', [null, null, null, 1], 0],
        ['Conv2D', [null, null, null, 64], 1664],
        ['Conv2D', [null, null, null, 64], 36928],
        ['Conv2D', [null, null, null, 32], 18464],
        ['Conv2D', [null, null, null, 9], 2601],
        ['tf.nn.depth_to_space', [null, null, null, 1], 0],
      ],
    );
    assert.equal(m.totalParams, 59657);
    assert.deepEqual(
      m.diagnostics.filter((d) => d.severity !== 'information'),
      [],
    );
  });
  it('the same on (100, 100, 1): (None, 300, 300, 1), as printed', () => {
    const [m] = analyze(espcn('(100, 100, channels)')).models;
    assert.deepEqual(m.layers[m.layers.length - 1].outputShape, [null, 300, 300, 1]);
    assert.equal(m.totalParams, 59657);
  });

  it('depth_to_space in a Lambda, and a Conv2D after it exact', () => {
    const m = model('h = layers.Lambda(lambda t: tf.nn.depth_to_space(t, 2))(x)\nout = layers.Conv2D(3, 3, padding="same")(h)', '(16, 16, 12)');
    assert.deepEqual(
      m.layers.map((l) => [l.name, l.outputShape, l.params]),
      [
        ['input_layer', [null, 16, 16, 12], 0],
        ['lambda', [null, 32, 32, 3], 0],
        ['conv2d', [null, 32, 32, 3], 3 * 3 * 3 * 3 + 3],
      ],
    );
  });

  it('a channel split unpacked and each part through its own layer (tf.split(x, 3, axis=3), as a printed summary shows it)', () => {
    const m = model(
      'r, g, b = tf.split(x, 3, axis=3)\nmerged = layers.Concatenate()([layers.Conv2D(8, 3)(r), layers.Conv2D(8, 3)(g), layers.Conv2D(8, 3)(b)])\nout = merged',
      '(32, 32, 3)',
    );
    const split = m.layers.find((l) => l.type === 'tf.split');
    assert.deepEqual(split?.outputShapes, [
      [null, 32, 32, 1],
      [null, 32, 32, 1],
      [null, 32, 32, 1],
    ]);
    assert.deepEqual(m.layers[m.layers.length - 1].outputShape, [null, 30, 30, 24]);
    assert.equal(m.totalParams, 3 * (9 * 8 + 8));
  });

  it('a split LayerLens cannot count (the number comes from a config): unknown shapes, the number named, the layers after it kept', () => {
    const m = model('a, b = tf.split(x, cfg["heads"], axis=-1)\nout = layers.Dense(4)(a)', '(10, 8)');
    assert.deepEqual(
      m.layers.map((l) => [l.name, l.outputShape]),
      [
        ['input_layer', [null, 10, 8]],
        ['split', null],
        ['dense', null],
      ],
    );
    assert.ok(
      m.diagnostics.some((d) => d.code === 'unresolved-value' && d.message.includes('cfg["heads"]')),
      m.diagnostics.map((d) => d.message).join('\n'),
    );
  });

  it('what LayerLens does not follow is named: unsorted split indices, indices that are a tensor, batch_dims', () => {
    for (const [op, named] of [
      ['ops.split(x, [7, 2], axis=1)[0]', '`Split` with the indices [7, 2]'],
      ['tf.gather(x, [0, 1], axis=1, batch_dims=1)', '`tf.gather` with batch_dims=1'],
    ] as const) {
      const m = model(`out = ${op}`, '(10, 8)');
      assert.equal(m.layers[m.layers.length - 1].outputShape, null, op);
      assert.ok(
        m.diagnostics.some((d) => d.code === 'unevaluated-call' && d.message.startsWith(named)),
        `${op}: ${m.diagnostics.map((d) => d.message).join('\n')}`,
      );
    }
    // Indices that are a Keras tensor: the call is not evaluated, and says so.
    const m = model('out = tf.gather(x, tf.argmax(x, axis=-1), axis=1)', '(10, 8)');
    assert.equal(m.layers[m.layers.length - 1].outputShape, null);
    assert.ok(m.diagnostics.some((d) => d.code === 'unevaluated-call' && d.message.includes('tf.gather(x, tf.argmax(x, axis=-1), axis=1)')));
  });

  it("a Lambda on a list whose function LayerLens cannot follow: unknown, the Lambda's warning, and a note saying why", () => {
    const m = model('out = layers.Lambda(lambda t: tf.image.resize(t[0], (4, 4)))([x, y])', '(8, 8, 3)', '(8, 8, 3)');
    const lambda = m.layers.find((l) => l.type === 'Lambda');
    assert.equal(lambda?.outputShape, null);
    assert.ok(m.diagnostics.some((d) => d.code === 'lambda-layer' && d.severity === 'warning'));
    assert.ok(
      m.diagnostics.some((d) => d.code === 'lambda-layer' && d.severity === 'information' && d.message.includes('`tf.image.resize(t[0], (4, 4))`')),
      m.diagnostics.map((d) => d.message).join('\n'),
    );
  });

  it("K.gather(x, [1, 2]) is tf.gather's first axis (the fixture's `tf.gather(x, [1, 2])`: (2, 10, 8))", () => {
    const tf = fixture.cases.find((c): c is TfCase => c.kind === 'tf' && c.call === 'tf.gather(x, [1, 2])');
    const m = model('out = K.gather(x, [1, 2])', '(10, 8)');
    assert.deepEqual([m.layers[1].name, m.layers[1].type, m.layers[1].outputShape], ['gather', 'K.gather', tf?.outputs?.[0]]);
  });

  it('a Lambda given output_shape= on a list keeps the declared shape (Keras takes it)', () => {
    const m = model('out = layers.Lambda(lambda t: t[0] * t[1], output_shape=(3,))([x, y])', '(8,)', '(8,)');
    assert.deepEqual(m.layers.find((l) => l.type === 'Lambda')?.outputShape, [null, 3]);
  });
});
