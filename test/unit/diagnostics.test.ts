/**
 * Bad input, as a table: each row is a source, the diagnostic it must produce (code, severity, wording) and
 * its exact range. The summary always covers the layers before the error.
 */
import { strict as assert } from 'node:assert';
import type { Diagnostic } from '../../src/core';
import { analyze } from './support/metamorphic';

const HEAD = 'import keras\nfrom keras import layers, models\n';

interface Row {
  what: string;
  source: string;
  code: string;
  severity: Diagnostic['severity'];
  message: RegExp;
  /** [line, column, endLine, endColumn], 1-based, end exclusive. */
  range: [number, number, number, number];
  /** Layers before the error that must still have their shapes. */
  knownBefore?: number;
}

const ROWS: Row[] = [
  {
    what: 'a syntax error mid-line',
    source: `${HEAD}m = keras.Sequential([layers.Dense(4, input_shape=(3,)), layers.Dense(5, activation=)])\n`,
    code: 'syntax-error',
    severity: 'error',
    message: /^invalid syntax/,
    range: [3, 85, 3, 86],
    knownBefore: 2,
  },
  {
    what: 'a bracket left open while typing does not swallow the next statement',
    source: `${HEAD}m = keras.Sequential()\nm.add(layers.Dense(4, input_shape=(3,))\nm.add(layers.Dense(2))\n`,
    code: 'syntax-error',
    severity: 'error',
    message: /^'\(' was never closed$/,
    range: [4, 6, 4, 7],
    knownBefore: 2,
  },
  {
    what: 'an unknown layer',
    source: `${HEAD}m = keras.Sequential([layers.Dense(4, input_shape=(3,)), layers.Blur(3), layers.Dense(2)])\n`,
    code: 'unknown-layer',
    severity: 'warning',
    message: /does not know the layer `Blur`: shapes after it are unknown/,
    range: [3, 58, 3, 69],
    knownBefore: 1,
  },
  {
    what: 'a Lambda layer',
    source: `${HEAD}m = keras.Sequential([layers.Dense(4, input_shape=(3,)), layers.Lambda(lambda x: foo(x))])\n`,
    code: 'lambda-layer',
    severity: 'warning',
    message: /^A Lambda layer runs its function, .* but not here: `foo\(x\)` is a call LayerLens does not evaluate/,
    range: [3, 58, 3, 71],
    knownBefore: 1,
  },
  {
    // Its call() multiplies by a value LayerLens cannot know (one it can follow is sized: customLayers.test.ts).
    what: 'a custom layer subclass',
    source: `${HEAD}class Scale(layers.Layer):\n    def call(self, x):\n        return x * get_scale()\n\nm = keras.Sequential([layers.Dense(4, input_shape=(3,)), Scale()])\n`,
    code: 'custom-layer',
    severity: 'warning',
    message: /`Scale` is a custom layer defined in this file/,
    range: [7, 58, 7, 63],
    knownBefore: 1,
  },
  {
    what: 'an unresolvable argument',
    source: `${HEAD}units = get_units()\nm = keras.Sequential([layers.Dense(units, input_shape=(3,))])\n`,
    code: 'unresolved-value',
    severity: 'information',
    message: /Cannot resolve `get_units\(\)` statically/,
    range: [3, 9, 3, 20],
  },
  {
    what: 'model.add inside if',
    source: `${HEAD}m = keras.Sequential([layers.Dense(4, input_shape=(3,))])\nif DEEP:\n    m.add(layers.Dense(8))\nm.add(layers.Dense(2))\n`,
    code: 'conditional-layer',
    severity: 'warning',
    message: /added inside `if`: whether or how often it runs cannot be known statically/,
    range: [5, 11, 5, 26],
    knownBefore: 1,
  },
  {
    what: 'model.add inside a for over values that cannot be known',
    source: `${HEAD}m = keras.Sequential([layers.Dense(4, input_shape=(3,))])\nfor _ in range(len(sys.argv)):\n    m.add(layers.Dense(8))\n`,
    code: 'conditional-layer',
    severity: 'warning',
    message: /added inside `for`/,
    range: [5, 11, 5, 26],
    knownBefore: 1,
  },
  {
    what: 'a model variable re-assigned',
    source: `${HEAD}m = keras.Sequential([layers.Dense(4, input_shape=(3,))])\nm = load()\nm.add(layers.Dense(2))\n`,
    code: 'model-reassigned',
    severity: 'information',
    message: /`m` is re-assigned here/,
    range: [4, 1, 4, 2],
    knownBefore: 1,
  },
  {
    what: 'a negative dimension (a fourth pooling block on 64×64 inputs, then a 3×3 convolution)',
    source: `${HEAD}m = models.Sequential()\nm.add(layers.Conv2D(32, 3, input_shape=(64, 64, 3)))\nfor_ = 0\nm.add(layers.MaxPooling2D(2))\nm.add(layers.MaxPooling2D(2))\nm.add(layers.MaxPooling2D(2))\nm.add(layers.MaxPooling2D(2))\nm.add(layers.MaxPooling2D(2))\nm.add(layers.Conv2D(64, 3))\n`,
    code: 'negative-dimension',
    severity: 'error',
    message: /^Computed output size would be zero or negative\. Received `inputs shape=\(None, 1, 1, 32\)`, `kernel shape=\(3, 3, 32, 64\)`/,
    range: [11, 7, 11, 27],
    knownBefore: 6,
  },
  {
    what: 'Conv2D on a rank-2 input',
    source: `${HEAD}m = keras.Sequential([layers.Dense(4, input_shape=(784,)), layers.Conv2D(8, 3)])\n`,
    code: 'incompatible-rank',
    severity: 'error',
    message: /^Input 0 of layer "conv2d" is incompatible with the layer: expected min_ndim=4, found ndim=2\. Full shape received: \(None, 4\)$/,
    range: [3, 60, 3, 79],
    knownBefore: 1,
  },
  {
    what: 'LSTM on a rank-2 input',
    source: `${HEAD}m = keras.Sequential([layers.Dense(4, input_shape=(784,)), layers.LSTM(8)])\n`,
    code: 'incompatible-rank',
    severity: 'error',
    message: /^Input 0 of layer "lstm" is incompatible with the layer: expected ndim=3, found ndim=2\. Full shape received: \(None, 4\)$/,
    range: [3, 60, 3, 74],
    knownBefore: 1,
  },
  {
    what: 'a Reshape whose size does not match',
    source: `${HEAD}m = keras.Sequential([layers.Dense(10, input_shape=(3,)), layers.Reshape((3, 3))])\n`,
    code: 'reshape-size',
    severity: 'error',
    message: /^The total size of the tensor must be unchanged\. Received: input_shape=\(10,\), target_shape=\(3, 3\)$/,
    range: [3, 59, 3, 81],
    knownBefore: 1,
  },
  {
    what: 'Flatten of an unknown dimension',
    source: `${HEAD}m = keras.Sequential([layers.Conv1D(4, 3, input_shape=(None, 3)), layers.Flatten()])\n`,
    code: 'flatten-unknown',
    severity: 'warning',
    message: /^Flatten of \(None, None, 4\): a dimension other than the batch is None/,
    range: [3, 67, 3, 83],
    knownBefore: 1,
  },
  {
    what: 'a missing input shape',
    source: `${HEAD}m = keras.Sequential([layers.Dense(4)])\n`,
    code: 'missing-input-shape',
    severity: 'information',
    message: /^No input shape/,
    range: [3, 5, 3, 40],
  },
  {
    what: 'an input shape given twice, and conflicting',
    source: `${HEAD}m = keras.Sequential([layers.Dense(4, input_shape=(3,))])\nm.build((None, 5))\n`,
    code: 'input-shape-conflict',
    severity: 'warning',
    message: /^The input shape is given twice and they disagree: \(None, 3\) by input_shape, \(None, 5\) here/,
    range: [4, 9, 4, 18],
    knownBefore: 1,
  },
];

describe('diagnostics for bad input', () => {
  for (const row of ROWS) {
    it(row.what, () => {
      const result = analyze(row.source);
      const all = [...result.diagnostics, ...result.models.flatMap((m) => m.diagnostics)];
      const d = all.find((x) => x.code === row.code);
      assert.ok(d, `expected ${row.code}; got ${JSON.stringify(all.map((x) => `${x.code}: ${x.message}`))}`);
      assert.equal(d.severity, row.severity);
      assert.match(d.message, row.message);
      const r = d.range;
      assert.deepEqual([r.start.line, r.start.column, r.end.line, r.end.column], row.range);
      if (row.knownBefore !== undefined) {
        const m = result.models[0];
        for (const l of m.layers.slice(0, row.knownBefore)) assert.ok(l.outputShape, `layer ${l.name} before the error keeps its shape`);
      }
    });
  }

  it('a stray line inside a layer list keeps the model and the layers around it', () => {
    const m = analyze(
      `${HEAD}vgg = keras.Sequential([\n    keras.Input(shape=(32, 32, 3)),\n    layers.Conv2D(8, 3),\n, 3, padding='same'),\n    layers.MaxPooling2D(2),\n])\n`,
    ).models[0];
    assert.ok(m, 'the model is still found');
    assert.deepEqual(m.layers[0].outputShape, [null, 30, 30, 8]);
  });

  it('a big model still analyses: a VGG-16 sized stack of 138 million parameters', () => {
    const blocks = [
      [64, 2],
      [128, 2],
      [256, 3],
      [512, 3],
      [512, 3],
    ]
      .map(([f, n]) => `${`    layers.Conv2D(${f}, 3, padding='same', activation='relu'),\n`.repeat(n)}    layers.MaxPooling2D(2),\n`)
      .join('');
    const src = `${HEAD}vgg = keras.Sequential([\n    keras.Input(shape=(224, 224, 3)),\n${blocks}    layers.Flatten(),\n    layers.Dense(4096),\n    layers.Dense(4096),\n    layers.Dense(1000),\n])\n`;
    const m = analyze(src).models[0];
    assert.equal(m.totalParams, 138357544); // Keras' VGG16(include_top=True) parameter count
    assert.deepEqual(m.layers[m.layers.length - 5].outputShape, [null, 7, 7, 512]);
  });
});
