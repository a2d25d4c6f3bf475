/**
 * Statements are Python's (issue 18): where a statement ends comes from the grammar (brackets, strings, comments,
 * backslashes), never from the layout, and a syntax error is placed and worded as CPython 3.11 places and words it.
 *
 * The sources in test/fixtures/syntax/cases.json are written in idioms met in public Keras code found with the
 * search tool (MNIST tutorial scripts and lecture notes that put `activation=`/`input_shape=` at column 0 under
 * `model.add(Conv2D(...,`, text CNNs whose Conv1D branches continue at column 0, layer lists written flush left),
 * none copied. Their `cpython` field is what CPython 3.11 said of each (`record.py` there, run once; the tests never
 * need Python). Numbers are checked against tfjs-layers, and against the same file laid out conventionally.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze as analyzeCore, analyzeCells, type Diagnostic } from '../../src/core';
import { analyze, withoutPositions } from './support/metamorphic';
import { reformat } from './support/reformat';
import { checkModel, tfjs } from './support/tfjsOracle';

interface Case {
  name: string;
  source: string;
  cpython: { message: string; line: number; column: number } | null;
}

const CASES: Case[] = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'syntax', 'cases.json'), 'utf8'));

const allDiagnostics = (source: string): Diagnostic[] => {
  const result = analyzeCore(source);
  return [...result.diagnostics, ...result.models.flatMap((m) => m.diagnostics)];
};

describe('statement boundaries and syntax errors, as CPython 3.11 reads the file', function () {
  this.timeout(120_000);
  before(() => {
    tfjs();
  });

  for (const c of CASES.filter((k) => k.cpython === null))
    it(`valid: ${c.name}`, () => {
      const result = analyze(c.source);
      assert.deepEqual(
        allDiagnostics(c.source).filter((d) => d.code === 'syntax-error'),
        [],
      );
      // The same file with every continuation line indented under its statement (the layout nobody argues about).
      assert.deepEqual(withoutPositions(result), withoutPositions(analyzeCore(reformat(c.source, {}))));
      for (const model of result.models) {
        assert.ok(model.inputShape, `${model.name} keeps its input shape`);
        for (const layer of model.layers) assert.ok(layer.outputShape && layer.params !== null, `${model.name}: ${layer.name} is known`);
        assert.deepEqual(checkModel(model).mismatches, [], `${model.name} against tfjs-layers`);
      }
    });

  for (const c of CASES.filter((k) => k.cpython !== null))
    it(`broken: ${c.name}`, () => {
      const want = c.cpython!;
      const diagnostics = allDiagnostics(c.source);
      const syntax = diagnostics.filter((d) => d.code === 'syntax-error');
      assert.deepEqual(
        syntax.map((d) => ({ message: d.message, line: d.range.start.line, column: d.range.start.column })),
        [want],
      );
      // Nothing else is said of a statement Python never runs (no "strides must be a tuple" for a missing `)`).
      assert.deepEqual(
        diagnostics.filter((d) => d.code !== 'syntax-error' && d.severity === 'error'),
        [],
      );
    });

  it('a bracket closed only after a line that looks like a new statement still holds that line (no early end)', () => {
    // `x = 1` inside a call's brackets is a keyword argument, whatever its column.
    const source = `from tensorflow import keras\nfrom tensorflow.keras import layers\nmodel = keras.Sequential()\nmodel.add(layers.Dense(4,\ninput_shape=(3,),\nname='first'))\nmodel.add(layers.Dense(2))\n`;
    const model = analyze(source).models[0];
    assert.deepEqual(
      model.layers.map((l) => [l.name, l.outputShape]),
      [
        ['first', [null, 4]],
        ['dense', [null, 2]],
      ],
    );
  });
});

describe('decorators', () => {
  it('a decorator whose arguments span lines (register_keras_serializable(\n package=...)) still lets the call reach the function', () => {
    const file = (decorator: string) =>
      `from tensorflow import keras\n\ndef register(**options):\n    return lambda f: f\n\n${decorator}\ndef build_model(units=4):\n    return keras.Sequential([keras.layers.Dense(units, input_shape=(3,))])\n\nmodel = build_model(units=8)\n`;
    const oneLine = analyze(file('@register(package="demo", name="mlp")'));
    const spread = analyze(file('@register(\n    package="demo",\nname="mlp",\n)'));
    assert.deepEqual(withoutPositions(spread), withoutPositions(oneLine));
    // The call's `units=8`, not the default 4.
    assert.deepEqual(spread.models[0].layers[0].outputShape, [null, 8]);
  });
});

describe('a list bound by a statement that also imports or makes a model', () => {
  it('is changed by a later loop that appends to it, joined by ";" or not: its length is unknown, never 0', () => {
    const head = 'import os\nfrom tensorflow import keras\n';
    const loop = 'for f in os.listdir("data"):\n    names.append(f)\n';
    for (const source of [
      `${head}from tensorflow.keras import layers; names = []\n${loop}model = keras.Sequential([layers.Input(shape=(4,)), layers.Dense(len(names))])\n`,
      `${head}from tensorflow.keras import layers\nnames, model = [], keras.Sequential([layers.Input(shape=(4,))])\n${loop}model.add(layers.Dense(len(names)))\n`,
    ]) {
      const dense = analyze(source).models[0].layers[0];
      assert.deepEqual([dense.outputShape, dense.params], [[null, null], null], source);
    }
  });
});

describe('IPython lines in notebooks', () => {
  it("only a line that starts a statement is a magic: a continuation line starting with % is Python's modulo", () => {
    const cells = [
      'from tensorflow import keras\nfrom tensorflow.keras import layers\nmodel = keras.Sequential([layers.Dense(4, input_shape=(3,))])\nprint("params: %d"\n      % model.count_params())\n',
      '%matplotlib inline\n!pip list\nmodel.add(layers.Dense(2))\n',
    ].map((text, index) => ({ index, text }));
    const result = analyzeCells(cells);
    assert.deepEqual(
      result.diagnostics.filter((d) => d.code === 'syntax-error'),
      [],
    );
    assert.deepEqual(
      result.models[0].layers.map((l) => l.outputShape),
      [
        [null, 4],
        [null, 2],
      ],
    );
  });
});

describe('a misspelt layer name', () => {
  it('gets "did you mean" with the catalogue name it is a near miss of, and nothing else is guessed', () => {
    const head = 'from tensorflow import keras\nfrom tensorflow.keras import layers\nmodel = keras.Sequential([layers.Input((28, 28, 1)),\n';
    const say = (layer: string) => allDiagnostics(`${head}    layers.${layer},\n    layers.Flatten()])\n`).find((d) => d.code === 'unknown-layer')?.message;
    assert.match(say('Conv2d(8, 3)') ?? '', /does not know the layer `Conv2d` \(did you mean `Conv2D`\?\): shapes after it are unknown/);
    assert.match(say('Maxpooling2D(2)') ?? '', /\(did you mean `MaxPooling2D`\?\)/);
    assert.match(say('Dence(8)') ?? '', /\(did you mean `Dense`\?\)/);
    assert.match(say('BatchNormalisation()') ?? '', /\(did you mean `BatchNormalization`\?\)/);
    assert.doesNotMatch(say('SpectralPooling(2)') ?? '', /did you mean/);
    // The layer stays unknown: a suggestion is not a reading.
    const model = analyzeCore(`${head}    layers.Conv2d(8, 3),\n    layers.Flatten()])\n`).models[0];
    assert.equal(model.layers[0].outputShape, null);
    assert.equal(model.layers[1].outputShape, null);
  });
});
