/**
 * keras.applications (issue 12): every architecture LayerLens knows, analysed from a one-line call, against the
 * numbers real Keras 3 printed for the same call (test/fixtures/applications, written by
 * scripts/keras-oracle/applications.py; CI needs no Python): each layer's name, class, output shape and
 * parameters, the totals, and Keras' own messages for arguments it rejects.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze as analyzeOnce, formatTable, type ModelResult } from '../../src/core';
import { APPLICATIONS } from '../../src/core/applications';
import { analyze } from './support/metamorphic';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface Case {
  args: Record<string, Json>;
  output_shape?: Json;
  total_params?: number;
  trainable_params?: number;
  non_trainable_params?: number;
  frozen_non_trainable_params?: number;
  layers?: [string, string, Json, number][];
  error?: string;
}
interface Fixture {
  keras: string;
  architecture: string;
  cases: Case[];
}

const DIR = join(__dirname, '..', 'fixtures', 'applications');
const fixtures: Fixture[] = existsSync(DIR)
  ? readdirSync(DIR)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Fixture)
  : [];

/** A JSON argument as Python source: lists become tuples (Keras takes `input_shape` as a tuple). */
function py(v: Json): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `(${v.map(py).join(', ')}${v.length === 1 ? ',' : ''})`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${JSON.stringify(k)}: ${py(x)}`)
    .join(', ')}}`;
}

function callOf(architecture: string, c: Case): string {
  const args = Object.entries(c.args).map(([k, v]) => `${k}=${py(v)}`);
  return `import keras\n\nbase = keras.applications.${architecture}(${args.join(', ')})\n`;
}

/** The differences between the analysis and Keras' numbers, as lines. */
function differences(model: ModelResult, c: Case): string[] {
  const out: string[] = [];
  const rows = c.layers ?? [];
  // Keras' model.layers leaves out operations on tensors (`x + y`), which its summary prints as rows.
  const layers = model.layers.filter((l) => !l.operation);
  rows.forEach(([name, type, shape, params], i) => {
    const ours = layers[i];
    const theirs = `${name} (${type}) ${JSON.stringify(shape)} ${params}`;
    const mine = ours ? `${ours.name} (${ours.type}) ${JSON.stringify(ours.outputShape)} ${ours.params}` : 'nothing';
    if (mine !== theirs && out.length < 5) out.push(`layer ${i}: ${mine}, Keras ${theirs}`);
  });
  if (c.layers && layers.length !== rows.length) out.push(`${layers.length} layers, Keras ${rows.length}`);
  const last = model.layers[model.layers.length - 1];
  if (c.output_shape !== undefined && JSON.stringify(last?.outputShape) !== JSON.stringify(c.output_shape))
    out.push(`output ${JSON.stringify(last?.outputShape)}, Keras ${JSON.stringify(c.output_shape)}`);
  if (model.totalParams !== c.total_params) out.push(`total ${model.totalParams}, Keras ${c.total_params}`);
  if (model.trainableParams !== c.trainable_params) out.push(`trainable ${model.trainableParams}, Keras ${c.trainable_params}`);
  if (model.nonTrainableParams !== c.non_trainable_params) out.push(`non-trainable ${model.nonTrainableParams}, Keras ${c.non_trainable_params}`);
  return out;
}

describe('keras.applications against real Keras 3', () => {
  it('has a fixture for every architecture LayerLens knows, and knows every architecture with a fixture', () => {
    const fixed = new Set(fixtures.map((f) => f.architecture));
    assert.deepEqual(
      APPLICATIONS.filter((a) => !fixed.has(a)),
      [],
      'architectures without Keras numbers',
    );
    assert.deepEqual(
      [...fixed].filter((a) => !APPLICATIONS.includes(a)),
      [],
      'architectures Keras has that LayerLens does not know',
    );
    assert.equal(fixtures.length, 40, 'the 40 architectures of issue 12');
  });

  for (const fixture of fixtures) {
    describe(fixture.architecture, () => {
      fixture.cases.forEach((c, i) => {
        const label = `case ${i + 1}: ${JSON.stringify(c.args)}`;
        it(label, function () {
          // Keras rejects a weights file that does not exist: known only when the code runs, so not a diagnostic.
          if (c.args.weights !== null && c.args.weights !== 'imagenet') this.skip();
          const source = callOf(fixture.architecture, c);
          const result = analyzeOnce(source);
          const all = [...result.diagnostics, ...result.models.flatMap((m) => m.diagnostics)];
          assert.deepEqual(
            all.filter((d) => d.code === 'internal-error'),
            [],
          );
          if (c.error !== undefined) {
            assert.equal(result.models.length, 0, 'Keras builds no model');
            assert.deepEqual(
              all.filter((d) => d.severity === 'error').map((d) => [d.code, d.message, d.range.start.line]),
              [['keras-error', c.error, 3]],
            );
            return;
          }
          assert.equal(result.models.length, 1, `one model: ${all.map((d) => d.message).join('; ')}`);
          assert.deepEqual(differences(result.models[0], c), []);
          if (c.frozen_non_trainable_params !== undefined) {
            const frozen = analyzeOnce(`${source}base.trainable = False\n`).models[0];
            assert.equal(frozen.nonTrainableParams, c.frozen_non_trainable_params);
            assert.equal(frozen.trainableParams, 0);
          }
        });
      });
    });
  }
});

describe('keras.applications in real code', () => {
  it("reproduces the book's feature extraction with VGG16 (Deep Learning with Python, 5.3.1)", () => {
    const result = analyze(`from keras.applications import VGG16
from keras import models
from keras import layers

conv_base = VGG16(weights='imagenet',
                  include_top=False,
                  input_shape=(150, 150, 3))

model = models.Sequential()
model.add(conv_base)
model.add(layers.Flatten())
model.add(layers.Dense(256, activation='relu'))
model.add(layers.Dense(1, activation='sigmoid'))

conv_base.trainable = False
`);
    const [base, model] = result.models;
    // The book prints conv_base.summary(): block5_pool (None, 4, 4, 512), 14,714,688 parameters.
    assert.equal(base.name, 'vgg16');
    assert.deepEqual(base.layers[base.layers.length - 1].outputShape, [null, 4, 4, 512]);
    assert.equal(base.totalParams, 14714688);
    // And model.summary(): vgg16 (Model) (None, 4, 4, 512) 14714688; flatten (None, 8192); dense 2097408; dense_1 257.
    assert.deepEqual(
      model.layers.map((l) => [l.name, l.type, l.outputShape, l.params]),
      [
        ['vgg16', 'Functional', [null, 4, 4, 512], 14714688],
        ['flatten', 'Flatten', [null, 8192], 0],
        ['dense', 'Dense', [null, 256], 2097408],
        ['dense_1', 'Dense', [null, 1], 257],
      ],
    );
    assert.equal(model.totalParams, 16812353);
    // After conv_base.trainable = False only the two Dense layers train (the book counts 4 weight tensors).
    assert.equal(model.trainableParams, 2097665);
    assert.equal(model.nonTrainableParams, 14714688);
  });

  it('a convolutional base added to a Sequential, Dense straight after its 4-D output (modelled on gema0000/bit2019 cslee201909/ml/m31_vgg16.py)', () => {
    const { models } = analyze(`from keras.applications import VGG16
from keras import models, layers

conv_base = VGG16(weights='imagenet', include_top=False, input_shape=(150, 150, 3))
conv_base.summary()

model = models.Sequential()
model.add(conv_base)
model.add(layers.Dense(256, activation='relu'))
model.add(layers.Dense(1, activation='sigmoid'))
model.summary()
`);
    // Keras 3.15 prints, for the same code with weights=None (scripts/keras-oracle): 14,846,273 parameters.
    assert.deepEqual(
      models[1].layers.map((l) => [l.name, l.type, l.outputShape, l.params]),
      [
        ['vgg16', 'Functional', [null, 4, 4, 512], 14714688],
        ['dense', 'Dense', [null, 4, 4, 256], 131328],
        ['dense_1', 'Dense', [null, 4, 4, 1], 257],
      ],
    );
    assert.equal(models[1].totalParams, 14846273);
  });

  it('is a layer of a Functional model, with input_tensor or called on a tensor', () => {
    const result = analyzeOnce(`import keras
from keras import layers
from keras.applications.vgg16 import VGG16

inputs = keras.Input(shape=(64, 64, 3))
base = VGG16(include_top=False, weights=None, input_shape=(64, 64, 3), pooling="avg")
x = base(inputs)
outputs = layers.Dense(5, activation="softmax")(x)
model = keras.Model(inputs, outputs)
`);
    const model = result.models.find((m) => m.name === 'model');
    assert.ok(model);
    assert.deepEqual(
      model.layers.map((l) => [l.name, l.type, l.outputShape, l.params]),
      [
        ['input_layer', 'InputLayer', [null, 64, 64, 3], 0],
        ['vgg16', 'Functional', [null, 512], 14714688],
        ['dense', 'Dense', [null, 5], 2565],
      ],
    );
  });

  it("every row is placed at the user's call, the rows of models the architecture nests too (ConvNeXt's stem and downsampling Sequentials)", () => {
    const source = `import keras\n\nbase = keras.applications.ConvNeXtTiny(include_top=False, weights=None, input_shape=(64, 64, 3))\n`;
    const [model] = analyzeOnce(source).models;
    assert.ok(model);
    const rows: { name: string; range: { start: { line: number; column: number }; end: { line: number; column: number } } }[] = [];
    const walk = (layers: typeof model.layers) => {
      for (const l of layers) {
        rows.push(l as (typeof rows)[number]);
        if (l.nested) walk(l.nested);
      }
    };
    walk(model.layers);
    const nested = model.layers.filter((l) => l.nested?.length);
    assert.ok(nested.length >= 4, `ConvNeXt nests its stem and three downsampling blocks: ${nested.map((l) => l.name).join(', ')}`);
    // Line 3 holds the call from column 8 (`keras.applications...`) to its end.
    const outside = rows.filter((l) => l.range.start.line !== 3 || l.range.start.column !== 8 || l.range.end.line !== 3);
    assert.deepEqual(
      outside.map((l) => [l.name, l.range.start.line, l.range.start.column]),
      [],
    );
  });

  it("says in Keras' words why the arguments are rejected, at the call", () => {
    const result = analyzeOnce(`from tensorflow.keras.applications import VGG16\n\nbase = VGG16(weights="imagenet", input_shape=(150, 150, 3))\n`);
    assert.deepEqual(
      result.diagnostics.map((d) => [d.code, d.message, d.range.start.line]),
      [
        [
          'keras-error',
          'When setting `include_top=True` and loading `imagenet` weights, `input_shape` should be (224, 224, 3).  Received: input_shape=(150, 150, 3)',
          3,
        ],
      ],
    );
  });
});

describe('keras.applications in the summary', () => {
  it("--expand-nested lists the base's own rows under its row, as Keras' summary(expand_nested=True)", () => {
    const { models } = analyzeOnce(`from keras.applications import VGG16
from keras import layers, models
conv_base = VGG16(weights=None, include_top=False, input_shape=(150, 150, 3))
model = models.Sequential([conv_base, layers.Flatten(), layers.Dense(1)])
`);
    const model = models[1];
    assert.equal(model.layers[0].nested?.length, 19);
    const plain = formatTable(model, undefined, { diagnostics: false });
    const expanded = formatTable(model, undefined, { diagnostics: false, expandNested: true });
    assert.doesNotMatch(plain, /block5_pool/);
    const lines = expanded.split('\n');
    const base = lines.findIndex((l) => l.startsWith('vgg16 (Functional)'));
    assert.match(lines[base + 1], /^└ input_layer \(InputLayer\)\s+\(None, 150, 150, 3\)/);
    assert.match(lines[base + 19], /^└ block5_pool \(MaxPooling2D\)\s+\(None, 4, 4, 512\)/);
    assert.match(lines[base + 21], /^flatten \(Flatten\)\s+\(None, 8192\)/);
  });
});
