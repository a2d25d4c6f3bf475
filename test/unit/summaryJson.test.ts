/**
 * What the CLI's JSON and the editor's cards say of multi-input models and of numbers that cannot be known: every
 * input (checked against the same model built in tfjs-layers), `null` with its reason beside it, and a merge
 * layer's inputs with their shapes. Files written as the Keras guides and notebooks write them.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze, formatTable, layerMarkdown } from '../../src/core';
import { inboundMarkdown, modelMarkdownTable } from '../../src/core/describe';
import { summaryJson, type LayerJson, type ModelJson } from '../../src/core/summaryJson';
import { EXAMPLES, example } from './support/fixtures';
import { tfjs } from './support/tfjsOracle';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

/** The Keras functional-API guide's ticket ranker: three named inputs, two LSTMs, one concatenate. */
const RANKER = `from tensorflow import keras
from tensorflow.keras import layers

num_tags = 12
num_words = 10000
num_departments = 4

title_input = keras.Input(shape=(None,), name="title")
body_input = keras.Input(shape=(None,), name="body")
tags_input = keras.Input(shape=(num_tags,), name="tags")

title_features = layers.Embedding(num_words, 64)(title_input)
body_features = layers.Embedding(num_words, 64)(body_input)
title_features = layers.LSTM(128)(title_features)
body_features = layers.LSTM(32)(body_features)

x = layers.concatenate([title_features, body_features, tags_input])

priority_pred = layers.Dense(1, name="priority")(x)
department_pred = layers.Dense(num_departments, name="department")(x)

model = keras.Model(
    inputs=[title_input, body_input, tags_input],
    outputs={"priority": priority_pred, "department": department_pred},
)
`;

/** The same model through tfjs' own API: its inputs and the concatenate's input and output shapes. */
function rankerInTfjs() {
  const tf = tfjs();
  const title = tf.input({ shape: [null], name: 'title' });
  const body = tf.input({ shape: [null], name: 'body' });
  const tags = tf.input({ shape: [12], name: 'tags' });
  const encode = (input: typeof title, units: number) =>
    tf.layers.lstm({ units, recurrentInitializer: 'zeros' }).apply(tf.layers.embedding({ inputDim: 10000, outputDim: 64 }).apply(input)) as typeof title;
  const concat = tf.layers.concatenate();
  const x = concat.apply([encode(title, 128), encode(body, 32), tags]) as typeof title;
  const model = tf.model({ inputs: [title, body, tags], outputs: [tf.layers.dense({ units: 1 }).apply(x) as typeof title] });
  return {
    inputs: model.inputLayers.map((l, i) => ({ name: l.name, shape: model.inputs[i].shape })),
    joined: (concat.input as (typeof title)[]).map((t) => t.shape),
    output: x.shape,
  };
}

/** A notebook's classifier whose class count comes from the data: unknown, and only what depends on it. */
const FROM_DATA = (classes: string) => `import numpy as np
import keras
from keras import layers

X_train = np.load("x_train.npy")
num_classes = ${classes}

model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Flatten(),
    layers.Dropout(0.5),
    layers.Dense(num_classes, activation="softmax"),
])
`;

/** A resize the analysis cannot follow, in a Lambda, inside a Functional convnet. */
const LAMBDA = `import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(16, 3, activation="relu")(inputs)
x = layers.Lambda(lambda t: tf.image.resize(t, (64, 64)))(x)
x = layers.Conv2D(8, 3)(x)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10)(x)
model = keras.Model(inputs, outputs)
`;

const LAYER_FIELDS = ['inputShape', 'outputShape', 'params', 'trainableParams', 'nonTrainableParams', 'macs'] as const;
const MODEL_FIELDS = ['inputShape', 'totalParams', 'trainableParams', 'nonTrainableParams', 'macs', 'activationBytes'] as const;
const unknownValue = (v: unknown) => v === null || (Array.isArray(v) && v.slice(1).includes(null));

/** Every unknown field of a model and its rows (nested ones too) has a reason; every known one has none. */
function checkReasons(model: ModelJson, where: string): number {
  let checked = 0;
  const check = (value: unknown, reason: string | undefined, what: string) => {
    if (unknownValue(value)) assert.ok(reason && reason.length > 10, `${what}: unknown without a reason`);
    else assert.equal(reason, undefined, `${what}: a reason for a known value`);
    checked++;
  };
  for (const f of MODEL_FIELDS) check(model[f], model.unknown?.[f], `${where} ${model.name}.${f}`);
  const rows = (layers: LayerJson[]): void => {
    for (const l of layers) {
      for (const f of LAYER_FIELDS) check(l[f], l.unknown?.[f], `${where} ${model.name}/${l.name}.${f}`);
      rows(l.nested ?? []);
    }
  };
  rows(model.layers);
  return checked;
}

describe('multi-input models: every input, in the CLI header, the JSON and the hover', () => {
  const model = analyze(RANKER).models[0];
  const truth = rankerInTfjs();

  it("the JSON's inputs are tfjs' model.inputs, by name and shape", () => {
    assert.deepEqual(summaryJson('ranker.py', { models: [model], diagnostics: [] }).models[0].inputs, truth.inputs);
  });

  it('the CLI header and the hover table name each input with its shape', () => {
    assert.equal(formatTable(model).split('\n')[0], 'Model: "model"  (line 22, inputs title (None, None), body (None, None), tags (None, 12), Keras 3)');
    assert.equal(modelMarkdownTable(model)[0], '**model** · inputs title `(None, None)`, body `(None, None)`, tags `(None, 12)`');
    const single = analyze(FROM_DATA('10')).models[0];
    assert.equal(formatTable(single).split('\n')[0], 'Model: "model"  (line 8, input (None, 28, 28, 1), Keras 3)', 'one input: as before');
  });

  it("a merge layer's hover shows every input it joins with its shape, as tfjs has them", () => {
    const concat = model.layers.find((l) => l.type === 'Concatenate');
    assert.ok(concat);
    const shape = (s: (number | null)[]) => `(${s.map((d) => (d === null ? 'None' : d)).join(', ')})`;
    assert.equal(layerMarkdown(concat)[2], `\`[${truth.joined.map(shape).join(', ')}]\` → \`${shape(truth.output)}\``);
    assert.deepEqual(inboundMarkdown(model, concat), [
      '**Inputs (3):**',
      '',
      `- \`lstm\` (\`LSTM\`) \`${shape(truth.joined[0])}\``,
      `- \`lstm_1\` (\`LSTM\`) \`${shape(truth.joined[1])}\``,
      `- \`tags\` (\`InputLayer\`) \`${shape(truth.joined[2])}\``,
    ]);
  });
});

describe('--json: an unknown number is null, with the reason beside it', () => {
  it('a class count read from data: the Dense and the totals are null, naming the expression; the rows before stay exact', () => {
    const json = summaryJson('train.py', analyze(FROM_DATA('len(np.unique(np.load("y_train.npy")))')));
    const known = summaryJson('train.py', analyze(FROM_DATA('10')));
    const [m, k] = [json.models[0], known.models[0]];
    const dense = m.layers[m.layers.length - 1];
    assert.equal(dense.params, null);
    assert.equal(dense.macs, null);
    for (const f of ['outputShape', 'params', 'macs'] as const) assert.match(dense.unknown?.[f] ?? '', /np\.unique\(np\.load\("y_train\.npy"\)\)/, f);
    assert.equal(m.totalParams, null);
    assert.match(m.unknown?.totalParams ?? '', /^dense \(Dense\): .*np\.unique/);
    assert.deepEqual(m.layers.slice(0, -1), k.layers.slice(0, -1), 'every row before the Dense as with a known count, with no reason');
  });

  it('after a Lambda: each unknown row and total gives the Lambda as its reason', () => {
    const m = summaryJson('lambda.py', analyze(LAMBDA)).models[0];
    const lambda = m.layers.find((l) => l.type === 'Lambda');
    assert.ok(lambda?.unknown?.outputShape);
    assert.match(lambda.unknown.outputShape, /Lambda layer/);
    for (const l of m.layers.slice(m.layers.indexOf(lambda) + 1)) assert.equal(l.unknown?.outputShape, lambda.unknown.outputShape, l.name);
    assert.match(m.unknown?.totalParams ?? '', /^(lambda \(Lambda\)|conv2d_1 \(Conv2D\)): A Lambda layer/);
    assert.equal(m.layers[1].unknown, undefined, 'the convolution before it is exact');
    assert.equal(m.layers[1].params, 448);
  });

  it('a None dimension an Input leaves to run time: the LSTM MACs that grow with it say so', () => {
    const m = summaryJson('ranker.py', analyze(RANKER)).models[0];
    const lstm = m.layers.find((l) => l.name === 'lstm');
    assert.equal(lstm?.macs, null);
    assert.equal(lstm.unknown?.macs, 'depends on dimension 1 of its input (None, None, 64), known only at run time');
    assert.equal(lstm.params, 98816);
    assert.equal(lstm.unknown?.params, undefined);
  });

  it('every unknown in every example and file above has a reason, and no known number has one', () => {
    let checked = 0;
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.py'));
    for (const f of files) for (const m of summaryJson(f, analyze(example(f), { fileName: f })).models) checked += checkReasons(m, f);
    for (const [name, src] of [
      ['ranker', RANKER],
      ['from data', FROM_DATA('len(np.unique(np.load("y.npy")))')],
      ['lambda', LAMBDA],
    ])
      for (const m of summaryJson(name, analyze(src)).models) checked += checkReasons(m, name);
    assert.ok(checked > 500, `${checked} fields checked`);
  });

  it('the CLI writes it: --json on the file as a user has it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'layerlens-json-'));
    writeFileSync(join(dir, 'train.py'), FROM_DATA('len(np.unique(np.load("y_train.npy")))'));
    const r = spawnSync(process.execPath, [CLI, 'summary', 'train.py', '--json'], { encoding: 'utf8', cwd: dir });
    assert.equal(r.status, 0);
    const m = JSON.parse(r.stdout).models[0];
    assert.deepEqual(m.inputs, [{ name: null, shape: [null, 28, 28, 1] }]);
    assert.equal(m.totalParams, null);
    assert.match(m.unknown.totalParams, /np\.unique/);
  });
});
