/**
 * The model at the cursor, for the editor's commands (Show Model Summary, Preview Activations): inside a
 * Sequential's brackets, and between a Functional model's first Input and the end of its `keras.Model(...)` call,
 * on any line (blank, a comment, arithmetic on tensors), not only on its layer lines. src/modelSpan.ts is what
 * analysisCache.modelAt runs, without `vscode`.
 */
import { strict as assert } from 'node:assert';
import { analyze, analyzeCells, type ModelResult, type Range } from '../../src/core';
import { modelAtPosition, modelSpan } from '../../src/modelSpan';

const SOURCE = `import keras
from keras import layers

seq = keras.Sequential([
    layers.Dense(8, input_shape=(4,)),

    # a comment inside the brackets
    layers.Dense(2),
])

# between the models

inputs = keras.Input(shape=(16,))

# just a comment
x = layers.Dense(8)(inputs)
x = x * 0.5
skip = x

y = layers.Dense(8)(x)
out = layers.add([skip, y])
model = keras.Model(
    inputs,
    out,
)

after = 1
`;

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
const name = (m: ModelResult | undefined) => m?.name ?? 'none';
const everywhere = () => true;

describe('the model at the cursor (modelSpan, modelAtPosition)', () => {
  const models = analyze(SOURCE).models;
  const at = (line: number, column = 1) => name(modelAtPosition(models, everywhere, line, column));

  it("a Functional model's span runs from its first Input to the end of its keras.Model( call", () => {
    const functional = models.find((m) => m.name === 'model');
    assert.ok(functional);
    const { start, end } = modelSpan(functional);
    assert.equal(start.start.line, lineOf(SOURCE, 'keras.Input'));
    assert.equal(end.end.line, lineOf(SOURCE, 'model = keras.Model') + 3);
    const seq = models.find((m) => m.name === 'seq');
    assert.ok(seq);
    assert.deepEqual([modelSpan(seq).start.start.line, modelSpan(seq).end.end.line], [4, 8]);
  });

  it('picks the Functional model on blank lines, comments and arithmetic between its Input and its keras.Model( call', () => {
    for (const needle of ['# just a comment', 'x = x * 0.5', 'skip = x', 'inputs,', 'out,']) assert.equal(at(lineOf(SOURCE, needle)), 'model', needle);
    // The blank lines around `# a comment` and before `y = ...`.
    assert.equal(at(lineOf(SOURCE, '# just a comment') - 1), 'model');
    assert.equal(at(lineOf(SOURCE, 'y = layers.Dense') - 1), 'model');
    // On a layer line, as before.
    assert.equal(at(lineOf(SOURCE, 'y = layers.Dense'), 10), 'model');
  });

  it("keeps the Sequential's lines, and outside every span no model", () => {
    assert.equal(at(lineOf(SOURCE, 'inside the brackets')), 'seq');
    assert.equal(at(6), 'seq');
    assert.equal(at(lineOf(SOURCE, '# between the models')), 'none');
    assert.equal(at(lineOf(SOURCE, 'after = 1')), 'none');
    assert.equal(at(1), 'none');
  });

  it('where spans nest, the narrowest: a Sequential written between an Input and keras.Model(', () => {
    const src = `import keras
from keras import layers

inputs = keras.Input(shape=(8,))
head = keras.Sequential([
    layers.Dense(4),

    layers.Dense(2),
])

out = head(inputs)
model = keras.Model(inputs, out)
`;
    const ms = analyze(src).models;
    const here = (line: number) => name(modelAtPosition(ms, everywhere, line, 1));
    assert.equal(here(7), 'head');
    assert.equal(here(10), 'model');
    assert.equal(here(4), 'model');
  });

  it('an Input after the keras.Model( call, or in another notebook cell, does not stretch the span', () => {
    const cells = [
      { index: 0, text: 'import keras\nfrom keras import layers\ninputs = keras.Input(shape=(4,))\n' },
      { index: 1, text: '# a comment\n\nout = layers.Dense(2)(inputs)\nmodel = keras.Model(inputs, out)\n' },
    ];
    const [m] = analyzeCells(cells).models;
    assert.ok(m);
    const { start } = modelSpan(m);
    assert.equal(start, m.range);
    const inCell = (cell: number) => (r: Range) => r.cell === cell;
    // The comment above the call in the model's cell is outside its span; on its layer line it is found.
    assert.equal(name(modelAtPosition([m], inCell(1), 1, 1)), 'none');
    assert.equal(name(modelAtPosition([m], inCell(1), 3, 8)), 'model');
    // The Input's line, in the other cell, is a layer of the model.
    assert.equal(name(modelAtPosition([m], inCell(0), 3, 10)), 'model');
    assert.equal(name(modelAtPosition([m], inCell(0), 1, 1)), 'none');
  });
  it('after an edit that moves the models, finds the same model on every line, reading only the rows of those near it', () => {
    // SOURCE's two models five times over, their names made distinct, below one header; a line added before the
    // second copy moves the eight models after it (their rows are moved when first read, see movedResults.ts).
    const [header, body] = [SOURCE.split('\n').slice(0, 2).join('\n'), SOURCE.split('\n').slice(2).join('\n')];
    const copy = (k: number) => body.replace(/\b(seq|inputs|x|skip|y|out|model|after)\b/g, `$1_${k}`);
    const text = `${header}\n${[1, 2, 3, 4, 5].map(copy).join('\n')}`;
    const edited = text.replace('seq_2 = ', '# a line\nseq_2 = ');
    const fileName = `modelSpan-${Date.now()}.py`;
    // The first edit after a file is opened runs every group; the next keeps them, moved.
    analyze(text, { fileName });
    analyze(`${text}\n`, { fileName });
    const moved = analyze(`${edited}\n`, { fileName }).models;
    const plain = analyze(`${edited}\n`).models;
    const unread = () => moved.filter((m) => Object.getOwnPropertyDescriptor(m, 'layers')?.get).length;
    assert.equal(unread(), 8, 'the moved models, rows not read yet');
    assert.equal(name(modelAtPosition(moved, everywhere, lineOf(edited, 'skip_1 = x_1'), 1)), 'model_1');
    assert.equal(unread(), 8);
    assert.equal(name(modelAtPosition(moved, everywhere, lineOf(edited, 'skip_3 = x_3'), 1)), 'model_3');
    assert.ok(unread() >= 6, `${unread()} moved models unread`);
    const lines = edited.split('\n').length;
    for (let l = 1; l <= lines; l++) assert.equal(name(modelAtPosition(moved, everywhere, l, 5)), name(modelAtPosition(plain, everywhere, l, 5)), `line ${l}`);
  });
});
