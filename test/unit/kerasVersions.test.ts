/**
 * Where Keras 2 and Keras 3 differ (issue 21 item 10), each difference under both versions. The truth:
 * - pooling: Keras 3's keras/src/layers/pooling/average_pooling2d.py requires `pool_size` (max_pooling2d.py defaults
 *   it to (2, 2)); Keras 2's keras/layers/pooling/average_pooling2d.py defaults it to (2, 2);
 * - names: printed summaries. Keras 2 (tf.keras 2.x): `Model: "model"` over `input_1 (InputLayer)` (a Conv1D
 *   model's summary in a project README); Keras 3: `Model: "functional"` over `input_layer (InputLayer)` (a Masking +
 *   LSTM model's printed summary); Keras 2's InputLayer names itself `'input_' + str(backend.get_uid('input'))`
 *   (keras/engine/input_layer.py), so the second Input is `input_2`;
 * - GRU: `reset_after=True` by default since Keras 2.3 and in Keras 3: 3 × (units × (in + units) + 2 × units).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze as analyzeAny, analyzeCells, formatMarkdown, formatTable, kerasVersionText, type KerasVersion } from '../../src/core';
import { main } from '../../src/cli';
import { analyze } from './support/metamorphic';

const HEAD = 'import keras\nfrom keras import layers\n';

function model(source: string, kerasVersion: KerasVersion, index = 0) {
  const r = analyze(source, { kerasVersion });
  const m = r.models[index];
  assert.ok(m, `a model in:\n${source}`);
  return { model: m, result: r };
}

const POOLING = `${HEAD}inputs = keras.Input(shape=(28, 28, 3))
x = layers.Conv2D(8, 3)(inputs)
x = layers.AveragePooling2D()(x)
x = layers.MaxPooling2D()(x)
outputs = layers.Flatten()(x)
keras.Model(inputs, outputs).summary()
`;

describe('Keras versions: where Keras 2 and 3 differ', () => {
  it("is Keras 3 by default, and says so in the result and the table's header", () => {
    const r = analyze(POOLING);
    assert.equal(r.models[0].kerasVersion, '3');
    assert.match(formatTable(r.models[0]).split('\n')[0], /^Model: "functional"  \(line 8, input \(None, 28, 28, 3\), Keras 3\)$/);
    assert.match(formatMarkdown(r.models[0], 'f.py').split('\n')[0], /^### Model `functional` \(f\.py:8, Keras 3\)$/);
    const two = model(POOLING, '2').model;
    assert.equal(two.kerasVersion, '2');
    assert.match(formatTable(two).split('\n')[0], /, Keras 2\)$/);
  });

  it('AveragePooling2D() without pool_size: an error in Keras 3, (2, 2) in Keras 2 with a note; MaxPooling2D() pools 2×2 in both', () => {
    const three = model(POOLING, '3').model;
    const avg3 = three.layers.find((l) => l.type === 'AveragePooling2D');
    assert.equal(avg3?.outputShape, null);
    const error = three.diagnostics.find((d) => d.code === 'keras-version');
    assert.equal(error?.severity, 'error');
    assert.match(error?.message ?? '', /^AveragePooling2D\.__init__\(\) missing 1 required positional argument: 'pool_size'/);
    assert.match(error?.message ?? '', /valid in Keras 2 only, where it defaults to \(2, 2\)/);
    assert.deepEqual(error?.range.start, { line: 5, column: 5 });
    // No incomplete-model warning on top of the error that explains it.
    assert.ok(!three.diagnostics.some((d) => d.code === 'incomplete-model'));

    const two = model(POOLING, '2').model;
    assert.deepEqual(
      two.layers.map((l) => [l.name, l.outputShape]),
      [
        ['input_1', [null, 28, 28, 3]],
        ['conv2d', [null, 26, 26, 8]],
        ['average_pooling2d', [null, 13, 13, 8]],
        ['max_pooling2d', [null, 6, 6, 8]],
        ['flatten', [null, 288]],
      ],
    );
    const note = two.diagnostics.find((d) => d.code === 'keras-version');
    assert.equal(note?.severity, 'information');
    assert.match(
      note?.message ?? '',
      /`AveragePooling2D\(\)` without `pool_size` is valid in Keras 2 only, where it defaults to \(2, 2\); Keras 3 requires `pool_size`/,
    );
    assert.equal(two.totalParams, 224);
  });

  it('AveragePooling1D/3D likewise; with pool_size given, or MaxPooling, the versions agree', () => {
    for (const [layer, shape, out] of [
      ['AveragePooling1D', '(10, 4)', [null, 5, 4]],
      ['AveragePooling3D', '(8, 8, 8, 2)', [null, 4, 4, 4, 2]],
    ] as const) {
      const src = `${HEAD}m = keras.Sequential([keras.Input(shape=${shape}), layers.${layer}()])\n`;
      assert.deepEqual(model(src, '2').model.layers[0].outputShape, out, layer);
      assert.equal(model(src, '3').model.layers[0].outputShape, null, layer);
      assert.match(model(src, '3').model.diagnostics[0].message, new RegExp(`^${layer}\\.__init__\\(\\) missing`));
    }
    for (const call of ['AveragePooling2D(2)', 'AveragePooling2D(pool_size=(3, 3))', 'MaxPooling2D()', 'MaxPooling3D()']) {
      const rank = call.endsWith('3D()') ? 3 : 2;
      const src = `${HEAD}m = keras.Sequential([keras.Input(shape=(12, 12${rank === 3 ? ', 12' : ''}, 2)), layers.${call}])\n`;
      const [two, three] = [model(src, '2').model, model(src, '3').model];
      assert.deepEqual(two.layers[0].outputShape, three.layers[0].outputShape, call);
      assert.ok(three.layers[0].outputShape, call);
      assert.deepEqual(
        [...two.diagnostics, ...three.diagnostics].filter((d) => d.code === 'keras-version'),
        [],
        call,
      );
    }
  });

  it('an unnamed Functional model is "functional" in Keras 3 and "model" in Keras 2; Inputs input_layer, input_layer_1 vs input_1, input_2', () => {
    const src = `${HEAD}a = keras.Input(shape=(4,))
b = keras.Input(shape=(6,))
c = keras.Input(shape=(2,), name="extra")
x = layers.Concatenate()([a, b, c])
keras.Model([a, b, c], layers.Dense(1)(x)).summary()
`;
    const three = model(src, '3').model;
    const two = model(src, '2').model;
    assert.equal(three.name, 'functional');
    assert.equal(two.name, 'model');
    assert.deepEqual(
      three.layers.filter((l) => l.type === 'InputLayer').map((l) => l.name),
      ['input_layer', 'input_layer_1', 'extra'],
    );
    assert.deepEqual(
      two.layers.filter((l) => l.type === 'InputLayer').map((l) => l.name),
      ['input_1', 'input_2', 'extra'],
    );
    assert.deepEqual(two.layers.find((l) => l.type === 'Concatenate')?.inbound, [['input_1', 'input_2', 'extra']]);
    // Numbers do not change with the names.
    assert.equal(two.totalParams, three.totalParams);
    assert.equal(two.totalParams, 13);
  });

  it('a named model, or one named by its variable, keeps that name under both; an unnamed Sequential is "sequential" in both', () => {
    const named = `${HEAD}i = keras.Input(shape=(3,))\nm = keras.Model(i, layers.Dense(2)(i))\nn = keras.Model(i, layers.Dense(2)(i), name="net")\n`;
    for (const v of ['2', '3'] as const) {
      const r = analyze(named, { kerasVersion: v });
      assert.deepEqual(
        r.models.map((m) => m.name),
        ['m', 'net'],
        v,
      );
      const seq = analyze(`${HEAD}keras.Sequential([layers.Dense(2, input_shape=(3,))]).summary()\n`, { kerasVersion: v });
      assert.equal(seq.models[0].name, 'sequential', v);
    }
  });

  it('a nested unnamed Functional model is a row named as its version names it', () => {
    const src = `${HEAD}i = keras.Input(shape=(3,))
keras.Sequential([keras.Model(i, layers.Dense(2)(i)), layers.Dense(1)]).summary()
`;
    assert.deepEqual(
      model(src, '3').model.layers.map((l) => [l.name, l.type, l.params]),
      [
        ['functional', 'Functional', 8],
        ['dense', 'Dense', 3],
      ],
    );
    assert.equal(model(src, '2').model.layers[0].name, 'model');
  });

  it('GRU: reset_after is True by default in Keras 2.3+ and 3, so the counts agree; reset_after=False is read when given', () => {
    for (const v of ['2', '3'] as const) {
      const gru = (args: string) => model(`${HEAD}m = keras.Sequential([keras.Input(shape=(10, 4)), layers.GRU(${args})])\n`, v).model.layers[0].params;
      assert.equal(gru('3'), 81, v); // 3 × (3 × (4 + 3) + 2 × 3)
      assert.equal(gru('3, reset_after=False'), 72, v); // 3 × (3 × (4 + 3) + 3)
    }
  });

  it('Keras 1 argument names are read as Keras 2 reads them under either version, and the note says they are valid in Keras 2 only', () => {
    const src = `${HEAD}m = keras.Sequential([keras.Input(shape=(8, 8, 1)), layers.Conv2D(4, (3, 3), border_mode="same")])\n`;
    for (const v of ['2', '3'] as const) {
      const m = model(src, v).model;
      assert.deepEqual(m.layers[0].outputShape, [null, 8, 8, 4], v);
      const note = m.diagnostics.find((d) => d.code === 'legacy-spelling');
      assert.match(note?.message ?? '', /`border_mode=` is the Keras 1 spelling of `padding=`, valid in Keras 2 only .*LayerLens reads it as Keras 2 does/, v);
    }
  });

  it('an import from a Keras 1/2 module path is valid in Keras 2 only: a warning under Keras 3, information under Keras 2', () => {
    const src = `from keras.layers.convolutional import Conv2D
import tensorflow.keras.layers.core as core, numpy
from keras.src.layers.core import dense
from tensorflow.keras import layers
m = keras.Sequential([layers.Dense(2, input_shape=(3,))])
`;
    const three = analyze(src, { kerasVersion: '3' }).diagnostics.filter((d) => d.code === 'keras-version');
    assert.deepEqual(
      three.map((d) => [d.severity, d.range.start.line, d.range.start.column, d.range.end.column]),
      [
        ['warning', 1, 6, 32],
        ['warning', 2, 8, 36],
      ],
    );
    assert.match(
      three[0].message,
      /^`keras\.layers\.convolutional` is a Keras 1\/2 module path: valid in Keras 2 only \(Keras 3 has no `keras\.layers\.convolutional`\); the numbers are for Keras 3/,
    );
    const two = analyze(src, { kerasVersion: '2' }).diagnostics.filter((d) => d.code === 'keras-version');
    assert.deepEqual(
      two.map((d) => d.severity),
      ['information', 'information'],
    );
    assert.doesNotMatch(two[0].message, /numbers are for Keras 3/);
  });

  it("an Analyzer's document analysed for another version is analysed afresh (no result of the other version kept)", () => {
    const file = 'versions-switch.py';
    const cold2 = analyzeAny(POOLING, { kerasVersion: '2' });
    analyzeAny(POOLING, { fileName: file, kerasVersion: '3' });
    const edited = `${POOLING}\n`;
    assert.deepEqual(analyzeAny(edited, { fileName: file, kerasVersion: '2' }).models[0].layers, cold2.models[0].layers);
    assert.deepEqual(
      analyzeAny(POOLING, { fileName: file, kerasVersion: '3' }).models[0].layers.map((l) => l.outputShape),
      analyzeAny(POOLING).models[0].layers.map((l) => l.outputShape),
    );
    assert.deepEqual(analyzeAny(POOLING, { reference: true, kerasVersion: '2' }).models, cold2.models);
  });

  it('the setting layerlens.kerasVersion offers "auto" (the default), "3" and "2"', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { default: unknown; enum?: unknown[] }> } };
    };
    const setting = manifest.contributes.configuration.properties['layerlens.kerasVersion'];
    assert.equal(setting.default, 'auto');
    assert.deepEqual(setting.enum, ['auto', '3', '2']);
  });
});

/**
 * 'auto' (issue 21 item 10: "old signals can" tell the version): Keras 2 where the file shows a sign only Keras 2
 * accepts, the ones the `keras-version` and `legacy-spelling` diagnostics find (a Keras 1/2 module path, a Keras 1
 * argument name, `AveragePooling2D()` without `pool_size`), else Keras 3. Each case is written the way old notebooks
 * and the book's Keras 1 code write it; the numbers under 'auto' must be those of the version it says.
 */
describe("Keras versions: 'auto' reads the file's signs", () => {
  const KERAS1 = `from keras.models import Sequential
from keras.layers import Dense, Flatten
from keras.layers import Convolution2D

model = Sequential()
model.add(Convolution2D(32, 3, 3, border_mode="same", input_shape=(28, 28, 1)))
model.add(Flatten())
model.add(Dense(10))
`;
  const MODULE_PATH = `import keras
from keras.layers.convolutional import Conv2D

inputs = keras.Input(shape=(8, 8, 3))
x = Conv2D(4, 3)(inputs)
x = x / 2.0
model = keras.Model(inputs, x)
`;

  // Each model of a Keras 2 file is a copy that says which sign chose it: a line typed above the models moves them,
  // and their rows still wait to be moved until read (see movedResults.ts withFields), equal to a cold analysis.
  it('a line typed above the models of a Keras 2 file: kerasVersionFrom on each, rows moved when read, as a cold analysis', () => {
    const models = Array.from({ length: 6 }, (_, i) => `m${i} = keras.Sequential([keras.Input(shape=(8, 8, 3)), Conv2D(4, 3), layers.Dense(${i + 2})])\n`).join(
      '\n',
    );
    const head = 'import keras\nfrom keras import layers\nfrom keras.layers.convolutional import Conv2D\n\n';
    const fileName = 'keras2-moves.py';
    analyzeAny(head + models, { fileName, kerasVersion: 'auto' });
    analyzeAny(`${head}${models}\n`, { fileName, kerasVersion: 'auto' });
    const edited = `${head}# the six models\n${models}\n`;
    const moved = analyzeAny(edited, { fileName, kerasVersion: 'auto' });
    assert.equal(moved.models.filter((m) => Object.getOwnPropertyDescriptor(m, 'layers')?.get).length, 6, 'rows not read yet');
    assert.ok(moved.models.every((m) => m.kerasVersion === '2' && m.kerasVersionFrom?.sign === 'keras.layers.convolutional'));
    assert.deepStrictEqual(moved, analyzeAny(edited, { fileName: 'keras2-cold.py', kerasVersion: 'auto' }));
  });

  it('a Keras 1/2 module path: Keras 2, and the header says which line and sign chose it', () => {
    const auto = analyzeAny(MODULE_PATH, { kerasVersion: 'auto' });
    const two = analyzeAny(MODULE_PATH, { kerasVersion: '2' });
    const [m] = auto.models;
    assert.equal(m.kerasVersion, '2');
    assert.deepEqual(m.kerasVersionFrom, { sign: 'keras.layers.convolutional', range: { start: { line: 2, column: 6 }, end: { line: 2, column: 32 } } });
    assert.deepEqual(
      m.layers.map((l) => [l.name, l.type, l.outputShape, l.params]),
      two.models[0].layers.map((l) => [l.name, l.type, l.outputShape, l.params]),
    );
    assert.equal(m.layers[2].name, 'tf.math.truediv');
    assert.match(formatTable(m).split('\n')[0], /^Model: "model"  \(line 7, input \(None, 8, 8, 3\), Keras 2 \(from line 2: keras\.layers\.convolutional\)\)$/);
    assert.match(formatMarkdown(m, 'f.py').split('\n')[0], /\(f\.py:7, Keras 2 \(from line 2: keras\.layers\.convolutional\)\)$/);
    assert.equal(kerasVersionText(m), 'Keras 2 (from line 2: keras.layers.convolutional)');
  });

  it('Keras 1 argument names (the first sign counts: Convolution2D(32, 3, 3) before border_mode=)', () => {
    const [m] = analyzeAny(KERAS1, { kerasVersion: 'auto' }).models;
    assert.equal(m.kerasVersion, '2');
    assert.equal(m.kerasVersionFrom?.range.start.line, 6);
    assert.match(m.kerasVersionFrom?.sign ?? '', /^Convolution2D\(/);
    assert.deepEqual(
      m.layers.map((l) => l.params),
      analyzeAny(KERAS1, { kerasVersion: '2' }).models[0].layers.map((l) => l.params),
    );
  });

  it('AveragePooling2D() without pool_size: Keras 2, where it pools 2×2 (Keras 3 would refuse it)', () => {
    const [m] = analyzeAny(POOLING, { kerasVersion: 'auto' }).models;
    assert.equal(m.kerasVersion, '2');
    assert.equal(m.kerasVersionFrom?.sign, 'AveragePooling2D()');
    assert.equal(m.kerasVersionFrom?.range.start.line, 5);
    assert.deepEqual(m.layers.find((l) => l.type === 'AveragePooling2D')?.outputShape, [null, 13, 13, 8]);
  });

  it('no sign: Keras 3, and nothing claims a sign; an explicit version is kept whatever the signs', () => {
    const plain = `${HEAD}inputs = keras.Input(shape=(4,))\nmodel = keras.Model(inputs, layers.Dense(2)(inputs) / 2.0)\n`;
    const [m] = analyzeAny(plain, { kerasVersion: 'auto' }).models;
    assert.equal(m.kerasVersion, '3');
    assert.equal(m.kerasVersionFrom, undefined);
    assert.deepEqual(analyzeAny(plain, { kerasVersion: 'auto' }), analyzeAny(plain, { kerasVersion: '3' }));
    assert.equal(analyzeAny(MODULE_PATH, { kerasVersion: '3' }).models[0].kerasVersion, '3');
    assert.equal(analyzeAny(MODULE_PATH, { kerasVersion: '3' }).models[0].kerasVersionFrom, undefined);
    assert.equal(analyzeAny(MODULE_PATH).models[0].kerasVersion, '3', "the core's default stays '3'");
  });

  it('a notebook: the sign is named by its cell', () => {
    const cells = [
      { index: 0, text: 'import keras\nfrom keras.layers.core import Dense\n' },
      { index: 1, text: 'model = keras.Sequential([keras.Input(shape=(3,)), Dense(2)])\n' },
    ];
    const [m] = analyzeCells(cells, { kerasVersion: 'auto' }).models;
    assert.equal(m.kerasVersion, '2');
    assert.equal(m.kerasVersionFrom?.range.cell, 0);
    assert.match(formatTable(m).split('\n')[0], /Keras 2 \(from cell 1, line 2: keras\.layers\.core\)\)$/);
  });

  it('edits that add or remove the sign switch the version, and every edit equals a cold analysis', () => {
    const file = 'versions-auto.py';
    const texts = [
      MODULE_PATH,
      MODULE_PATH.replace('from keras.layers.convolutional import Conv2D', 'from keras.layers import Conv2D'),
      `${MODULE_PATH}\n`,
      MODULE_PATH.replace('x / 2.0', 'x / 4.0'),
    ];
    for (const text of [...texts, ...texts.reverse()]) {
      const edited = analyzeAny(text, { fileName: file, kerasVersion: 'auto' });
      assert.deepStrictEqual(edited, analyzeAny(text, { kerasVersion: 'auto' }), text);
      assert.equal(edited.models[0].kerasVersion, text.includes('convolutional') ? '2' : '3');
    }
    assert.deepStrictEqual(analyzeAny(MODULE_PATH, { reference: true, kerasVersion: 'auto' }).models, analyzeAny(MODULE_PATH, { kerasVersion: 'auto' }).models);
  });
});

/**
 * tf.keras 2 wraps a TensorFlow function called on a Keras tensor, and each Python operator, in a `TFOpLambda` row
 * named `"tf." +` the function's canonical name, counted `_1`, `_2` (keras/layers/core/tf_op_layer.py in
 * keras-team/keras 2.x: `name = "tf." + self.symbol`, `unique_object_name(name, zero_based=True)`); slicing is a
 * `SlicingOpLambda` named `tf.__operators__.getitem`. Every name below is one a printed tf.keras 2 summary shows
 * (found in public notebooks and READMEs by the code index, quoted here as printed):
 * - `tf.math.truediv (TFOpLambda)` then `tf.math.subtract (TFOpLambda)` in front of `mobilenetv2_1.00_160
 *   (Functional)`: the TensorFlow transfer-learning tutorial's model as notebooks print it (MobileNetV2's
 *   preprocess_input), also in front of `xception (Functional)`;
 * - `tf.__operators__.getitem (Sl…` then `tf.nn.bias_add (TFOpLambda)` in front of `vgg16 (Functional)` and of
 *   `resnet50 (Functional)` (preprocess_input of VGG16 / ResNet50);
 * - `tf.__operators__.add (TFOpLambda)` (a residual `x + y` of two BatchNormalization outputs, and a transformer's
 *   `dropout + embedding`), `tf.math.multiply (TFOpLambda)`, `tf.math.subtract_2`, `tf.math.exp`, `tf.math.square`,
 *   `tf.math.reduce_sum`, `tf.math.reduce_mean` (VAE losses written on Keras tensors);
 * - `tf.nn.silu (TFOpLambda)` (an EfficientNet-style block), `tf.nn.relu (TFOpLambda)`, `tf.concat (TFOpLambda)`
 *   (an Inception-style merge of three Conv2D outputs, `(None, 14, 14, 112)`), `tf.expand_dims`, `tf.tile`,
 *   `tf.reshape`, `tf.stack`, `tf.split`, `tf.nn.softmax`, `tf.linalg.matmul (TFOpLambda)` (an attention product);
 * - numbering: `tf.math.truediv`, `tf.math.truediv_1`, `tf.math.truediv_2` (three divisions in one model).
 */
describe("Keras versions: tf.keras 2's TFOpLambda rows for operations on Keras tensors", () => {
  const TF = 'import tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n';
  const rows = (m: { layers: { name: string; type: string; outputShape: unknown; params: number | null }[] }) =>
    m.layers.map((l) => [l.name, l.type, l.outputShape, l.params]);

  it("MobileNetV2's preprocess_input: tf.math.truediv and tf.math.subtract under Keras 2, Keras 3's rows under Keras 3", () => {
    const source = `${TF}inputs = keras.Input(shape=(160, 160, 3))
x = keras.applications.mobilenet_v2.preprocess_input(inputs)
outputs = layers.GlobalAveragePooling2D()(x)
model = keras.Model(inputs, outputs)
`;
    assert.deepEqual(rows(model(source, '2').model).slice(1, 3), [
      ['tf.math.truediv', 'TFOpLambda', [null, 160, 160, 3], 0],
      ['tf.math.subtract', 'TFOpLambda', [null, 160, 160, 3], 0],
    ]);
    assert.deepEqual(
      rows(model(source, '3').model)
        .slice(1, 3)
        .map((r) => r.slice(0, 2)),
      [
        ['true_divide', 'TrueDivide'],
        ['subtract', 'Subtract'],
      ],
    );
  });

  it("ResNet50's and VGG16's preprocess_input: tf.__operators__.getitem (SlicingOpLambda) then tf.nn.bias_add, same shapes", () => {
    for (const family of ['resnet50', 'vgg16']) {
      const source = `${TF}inputs = keras.Input(shape=(224, 224, 3))
x = keras.applications.${family}.preprocess_input(inputs)
outputs = layers.Conv2D(4, 3)(x)
model = keras.Model(inputs, outputs)
`;
      const two = model(source, '2').model;
      assert.deepEqual(rows(two), [
        ['input_1', 'InputLayer', [null, 224, 224, 3], 0],
        ['tf.__operators__.getitem', 'SlicingOpLambda', [null, 224, 224, 3], 0],
        ['tf.nn.bias_add', 'TFOpLambda', [null, 224, 224, 3], 0],
        ['conv2d', 'Conv2D', [null, 222, 222, 4], 112],
      ]);
      const three = model(source, '3').model;
      assert.deepEqual(
        three.layers.map((l) => l.type),
        ['InputLayer', 'GetItem', 'GetItem', 'GetItem', 'Stack', 'Add', 'Conv2D'],
      );
      assert.equal(two.totalParams, three.totalParams);
    }
  });

  it('the transfer-learning model on ResNet50 as a tf.keras 2 notebook prints it: getitem, bias_add, resnet50 (Functional) 23,587,712', () => {
    // Printed (tf.keras 2.x): `tf.__operators__.getitem (SlicingOpLambda)  (None, 224, 224, 3)  0`,
    // `tf.nn.bias_add (TFOpLambda)  (None, 224, 224, 3)  0`, `resnet50 (Functional)  (None, 7, 7, 2048)  23587712`,
    // then global_average_pooling2d, dropout and a Dense head.
    const source = `${TF}base_model = keras.applications.ResNet50(input_shape=(224, 224, 3), include_top=False, weights=None)
base_model.trainable = False
inputs = keras.Input(shape=(224, 224, 3))
x = keras.applications.resnet50.preprocess_input(inputs)
x = base_model(x, training=False)
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dropout(0.2)(x)
outputs = layers.Dense(5)(x)
model = keras.Model(inputs, outputs)
`;
    const two = model(source, '2', 1).model;
    assert.equal(two.name, 'model');
    assert.deepEqual(rows(two), [
      ['input_1', 'InputLayer', [null, 224, 224, 3], 0],
      ['tf.__operators__.getitem', 'SlicingOpLambda', [null, 224, 224, 3], 0],
      ['tf.nn.bias_add', 'TFOpLambda', [null, 224, 224, 3], 0],
      ['resnet50', 'Functional', [null, 7, 7, 2048], 23587712],
      ['global_average_pooling2d', 'GlobalAveragePooling2D', [null, 2048], 0],
      ['dropout', 'Dropout', [null, 2048], 0],
      ['dense', 'Dense', [null, 5], 10245],
    ]);
    assert.equal(two.totalParams, 23597957);
    assert.equal(two.trainableParams, 10245);
  });

  it("DenseNet's preprocess_input (torch mode) under Keras 2: truediv, bias_add, truediv_1, as tf.keras 2's source runs it", () => {
    // keras/applications/imagenet_utils.py (tf.keras 2.x) `_preprocess_symbolic_input`: `x /= 255.`, then
    // `backend.bias_add(x, mean_tensor, data_format)`, then `x /= std_tensor`.
    const source = `${TF}inputs = keras.Input(shape=(64, 64, 3))
x = keras.applications.densenet.preprocess_input(inputs)
model = keras.Model(inputs, layers.Flatten()(x))
`;
    assert.deepEqual(rows(model(source, '2').model).slice(1, 4), [
      ['tf.math.truediv', 'TFOpLambda', [null, 64, 64, 3], 0],
      ['tf.nn.bias_add', 'TFOpLambda', [null, 64, 64, 3], 0],
      ['tf.math.truediv_1', 'TFOpLambda', [null, 64, 64, 3], 0],
    ]);
  });

  it('operators, slicing and tf functions on Keras tensors: the names tf.keras 2 prints, counted per model', () => {
    const source = `${TF}inputs = keras.Input(shape=(14, 14, 3))
a = layers.Conv2D(64, 1)(inputs)
b = layers.Conv2D(32, 1)(inputs)
c = layers.Conv2D(16, 1)(inputs)
x = tf.concat([a, b, c], axis=-1)
x = tf.nn.silu(x)
x = tf.nn.relu(x) + x
x = x * 0.5
x = x - 1.0
x = x / 2.0
x = x / 3.0
s = tf.reduce_mean(tf.exp(tf.square(x)), axis=[1, 2])
first = x[:, 0]
e = tf.expand_dims(s, 1)
t = tf.tile(e, [1, 4, 1])
r = tf.reshape(t, (-1, 448))
p = tf.matmul(e, t, transpose_b=True)
model = keras.Model(inputs, [first, r, tf.nn.softmax(p), tf.math.reduce_sum(s, axis=1)])
`;
    const two = model(source, '2').model;
    const byName = new Map(two.layers.map((l) => [l.name, [l.type, l.outputShape]]));
    const expect: [string, string, (number | null)[]][] = [
      ['tf.concat', 'TFOpLambda', [null, 14, 14, 112]],
      ['tf.nn.silu', 'TFOpLambda', [null, 14, 14, 112]],
      ['tf.nn.relu', 'TFOpLambda', [null, 14, 14, 112]],
      ['tf.__operators__.add', 'TFOpLambda', [null, 14, 14, 112]],
      ['tf.math.multiply', 'TFOpLambda', [null, 14, 14, 112]],
      ['tf.math.subtract', 'TFOpLambda', [null, 14, 14, 112]],
      ['tf.math.truediv', 'TFOpLambda', [null, 14, 14, 112]],
      ['tf.math.truediv_1', 'TFOpLambda', [null, 14, 14, 112]],
      ['tf.math.square', 'TFOpLambda', [null, 14, 14, 112]],
      ['tf.math.exp', 'TFOpLambda', [null, 14, 14, 112]],
      ['tf.math.reduce_mean', 'TFOpLambda', [null, 112]],
      ['tf.__operators__.getitem', 'SlicingOpLambda', [null, 14, 112]],
      ['tf.expand_dims', 'TFOpLambda', [null, 1, 112]],
      ['tf.tile', 'TFOpLambda', [null, 4, 112]],
      ['tf.reshape', 'TFOpLambda', [null, 448]],
      ['tf.linalg.matmul', 'TFOpLambda', [null, 1, 4]],
      ['tf.nn.softmax', 'TFOpLambda', [null, 1, 4]],
      ['tf.math.reduce_sum', 'TFOpLambda', [null]],
    ];
    for (const [name, type, shape] of expect) assert.deepEqual(byName.get(name), [type, shape], name);
    // Shapes and parameters do not change with the version; Keras 3 keeps its own rows.
    const three = model(source, '3').model;
    assert.deepEqual(
      three.layers.map((l) => [l.outputShape, l.params]),
      two.layers.map((l) => [l.outputShape, l.params]),
    );
    assert.ok(!three.layers.some((l) => l.type === 'TFOpLambda' || l.name.startsWith('tf.')));
    assert.ok(three.layers.some((l) => l.name === 'add' && l.type === 'Add'));
    // The preview builds `x + y` as tfjs' Add, whatever the row's name.
    assert.equal(two.layers.find((l) => l.name === 'tf.__operators__.add')?.baseType, 'Add');
  });

  it("the op's own name= does not name the row (TFOpLambda's call drops it); a TF function LayerLens knows no tf.keras 2 name for keeps LayerLens' row", () => {
    const source = `${TF}inputs = keras.Input(shape=(8,))
x = tf.expand_dims(inputs, -1, name="widen")
y = tf.math.sigmoid(inputs)
model = keras.Model(inputs, [x, y])
`;
    const two = model(source, '2').model;
    assert.deepEqual(
      two.layers.map((l) => [l.name, l.type]),
      [
        ['input_1', 'InputLayer'],
        ['tf.expand_dims', 'TFOpLambda'],
        ['sigmoid', 'tf.math.sigmoid'],
      ],
    );
  });
});

describe('Keras versions: the CLI flag --keras', () => {
  function run(...args: string[]): { code: number; out: string; err: string } {
    let out = '';
    let err = '';
    const write = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
    process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
    process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
    try {
      return { code: main(args), out, err };
    } finally {
      process.stdout.write = write.out;
      process.stderr.write = write.err;
    }
  }
  const file = join(__dirname, '..', 'fixtures', 'kerasVersions.py');

  it('--keras auto (the default) reads the signs; --keras 2 and --keras 3 choose the version; the header says which', () => {
    const auto = run('summary', file);
    assert.equal(auto.code, 0, auto.err);
    assert.match(auto.out, /^Model: "model"  \(line 8, input \(None, 28, 28, 3\), Keras 2 \(from line 5: AveragePooling2D\(\)\)\)$/m);
    assert.equal(run('summary', file, '--keras', 'auto').out, auto.out);
    const three = run('summary', file, '--keras', '3');
    assert.equal(three.code, 0, three.err);
    assert.match(three.out, /^Model: "functional"  \(line 8, input \(None, 28, 28, 3\), Keras 3\)$/m);
    assert.match(three.out, /error: AveragePooling2D\.__init__\(\) missing 1 required positional argument: 'pool_size'/);
    const two = run('summary', file, '--keras=2');
    assert.equal(two.code, 0, two.err);
    assert.match(two.out, /^Model: "model"  \(line 8, input \(None, 28, 28, 3\), Keras 2\)$/m);
    assert.match(two.out, /^input_1 \(InputLayer\)/m);
    assert.match(two.out, /^average_pooling2d \(AveragePooling2D\)\s+\(None, 13, 13, 8\)/m);
    const json = JSON.parse(run('summary', file, '--keras', '2', '--json').out) as { models: { kerasVersion: string }[] };
    assert.equal(json.models[0].kerasVersion, '2');
    assert.equal(run('summary', file, '--keras', '3', '--fail-on', 'error').code, 1);
    assert.equal(run('summary', file, '--keras', '2', '--fail-on', 'error').code, 0);
  });

  it('any other version exits 2 with the usage', () => {
    for (const args of [['--keras', '4'], ['--keras', 'Auto'], ['--keras']]) {
      const r = run('summary', file, ...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, /^layerlens: --keras takes auto, 3 or 2/, args.join(' '));
    }
    assert.match(run('--help').out, /--keras auto\|3\|2/);
  });
});
