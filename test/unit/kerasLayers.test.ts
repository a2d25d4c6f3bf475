/**
 * Single Keras layers in Functional models (Dot, UnitNormalization, GroupNormalization, LayerNormalization over
 * several axes, MultiHeadAttention, TextVectorization, StringLookup, IntegerLookup, merge layers called on one
 * tensor, Attention, AdditiveAttention) against what real Keras 3 built from the same
 * source (test/fixtures/layers.json, written by scripts/keras-oracle/layers.py; CI needs no Python): each layer's
 * name, class, output shape and parameters and the total, or, where Keras rejects the model, its message at the
 * line that raised it.
 *
 * A case that says `needs` asks more of LayerLens than its layer rules (scripts/keras-oracle/layers.py says what);
 * it runs once the need is met (listed in MET), and until then is skipped, its title saying why.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../src/core';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface Case {
  layer: string;
  source: string;
  needs?: string;
  layers?: [string, string, Json, number][];
  total_params?: number;
  error?: string;
  error_type?: string;
  line?: number;
}

/**
 * Needs LayerLens meets: 'multi-input calls' since the interpreter passes a call's tensors to rules with
 * `callInputs` (`mha(query, value, key=k)`); 'the count of tensors a call passes' since a rule knows how it was
 * called (LayerContext.called: one tensor, a list or tuple, separate arguments, and how many, known or not).
 */
const MET = new Set(['multi-input calls', 'the count of tensors a call passes']);

const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'layers.json'), 'utf8')) as { keras: string; cases: Case[] };

/**
 * Keras' message without the wrapper Keras 3 puts around an error raised while it computes a layer's output
 * ("Exception encountered when calling UnitNormalization.call(). <the message in bold> Arguments received by …",
 * which prints the input's internal tensor name): the message in bold, the one LayerLens gives.
 */
function kerasMessage(error: string): string {
  const bold = /^Exception encountered when calling [\s\S]*?\x1b\[1m([\s\S]*?)\x1b\[0m/.exec(error);
  return bold ? bold[1] : error;
}

/** The line of the source that makes the layer under test, for the test's title. */
function callLine(c: Case): string {
  const lines = c.source.split('\n');
  return lines.find((l) => l.includes(`${c.layer}(`) || l.includes('layers.dot(')) ?? lines.find((l) => /^out = |Sequential\(/.test(l)) ?? c.source;
}

describe(`Keras layers in Functional models against real Keras ${fixture.keras}`, () => {
  const byLayer = new Map<string, Case[]>();
  for (const c of fixture.cases) byLayer.set(c.layer, [...(byLayer.get(c.layer) ?? []), c]);

  for (const [layer, cases] of byLayer)
    describe(layer, () => {
      cases.forEach((c, i) => {
        const title = `case ${i + 1}: ${callLine(c).trim()}${c.error !== undefined ? ' (Keras rejects it)' : ''}${c.needs && !MET.has(c.needs) ? ` [skipped: needs ${c.needs}]` : ''}`;
        it(title, function () {
          if (c.needs && !MET.has(c.needs)) this.skip();
          const result = analyze(c.source);
          const all = [...result.diagnostics, ...result.models.flatMap((m) => m.diagnostics)];
          assert.deepEqual(
            all.filter((d) => d.code === 'internal-error'),
            [],
          );
          const errors = all.filter((d) => d.severity === 'error').map((d) => [d.message, d.range.start.line]);
          if (c.error !== undefined) {
            assert.deepEqual(errors, [[kerasMessage(c.error), c.line]], `Keras: ${c.error_type}: ${c.error}`);
            return;
          }
          assert.deepEqual(errors, []);
          assert.equal(result.models.length, 1, 'one model');
          const model = result.models[0];
          // Keras' model.layers leaves out operations on tensors (`x + y`), which its summary prints as rows.
          const rows = model.layers.filter((l) => !l.operation).map((l) => [l.name, l.type, l.outputShape, l.params]);
          assert.deepEqual(rows, c.layers);
          assert.equal(model.totalParams, c.total_params);
        });
      });
    });
});

/**
 * Where the vocabulary is learnt by `adapt()` (or read from a file, or not resolvable), the size of a counting
 * mode's last axis depends on data: unknown, with one diagnostic saying why, never a guess or an error; what does
 * not depend on it (the other axes, `int` mode, the 0 parameters) stays known.
 */
describe('text and lookup layers whose output depends on data', () => {
  const HEAD = 'import keras\nfrom keras import layers\n\n';
  const run = (src: string) => {
    const result = analyze(HEAD + src);
    const diagnostics = [...result.diagnostics, ...result.models.flatMap((m) => m.diagnostics)];
    return { model: result.models[0], diagnostics: diagnostics.map((d) => [d.severity, d.code, d.range.start.line, d.message] as const) };
  };

  it("TextVectorization(output_mode='multi_hot') adapted to data: the last axis is unknown, with a note; a Dense after it has unknown weights", () => {
    const { model, diagnostics } = run(
      "tv = layers.TextVectorization(max_tokens=100, output_mode='multi_hot')\ntv.adapt(['the cat', 'a dog'])\n" +
        "a = keras.Input(shape=(1,), dtype='string')\nx = tv(a)\nout = layers.Dense(4)(x)\nmodel = keras.Model(a, out)\n",
    );
    assert.deepEqual(
      model.layers.map((l) => [l.type, l.outputShape, l.params]),
      [
        ['InputLayer', [null, 1], 0],
        ['TextVectorization', [null, 1, null], 0],
        ['Dense', [null, 1, 4], null],
      ],
    );
    assert.equal(diagnostics.length, 2, JSON.stringify(diagnostics));
    const [severity, code, line, message] = diagnostics[0];
    assert.deepEqual([severity, code, line], ['information', 'vocabulary-from-data', 4]);
    assert.deepEqual(diagnostics[1].slice(0, 3), ['warning', 'incomplete-model', 9], 'the model says it is not fully known, at its keras.Model call');
    assert.match(diagnostics[1][3] as string, /the first unknown is at line 4: TextVectorization/);
    assert.match(
      message,
      /^TextVectorization\(output_mode='multi_hot'\) .* learnt from data by `adapt\(\)` .*\(at most max_tokens=100\).*`pad_to_max_tokens=True`/,
    );
  });

  it('StringLookup and IntegerLookup: no vocabulary, a vocabulary file, a vocabulary LayerLens cannot resolve', () => {
    const cases: [string, string, (number | null)[], RegExp][] = [
      ["layers.StringLookup(output_mode='one_hot')", '(3,)', [null, 3, null], /^StringLookup\(output_mode='one_hot'\) gives one value per vocabulary entry/],
      ["layers.IntegerLookup(max_tokens=50, output_mode='count')", '(4,)', [null, null], /^IntegerLookup\(output_mode='count'\) .*\(at most max_tokens=50\)/],
      [
        "layers.StringLookup(vocabulary='vocab.txt', output_mode='multi_hot')",
        '(4,)',
        [null, null],
        /^StringLookup reads its vocabulary from the file 'vocab.txt'/,
      ],
      ["layers.StringLookup(vocabulary=words, output_mode='count')", '(4,)', [null, null], /^Cannot resolve `words` statically/],
    ];
    for (const [layer, shape, expected, message] of cases) {
      const { model, diagnostics } = run(`a = keras.Input(shape=${shape}, dtype='string')\nout = ${layer}(a)\nmodel = keras.Model(a, out)\n`);
      assert.deepEqual(model.layers[1].outputShape, expected, layer);
      assert.equal(model.layers[1].params, 0, layer);
      assert.equal(diagnostics.length, 1, `${layer}: ${JSON.stringify(diagnostics)}`);
      assert.equal(diagnostics[0][0], 'information', layer);
      assert.match(diagnostics[0][3], message, layer);
    }
  });

  it("output_mode='int' does not depend on the vocabulary: adapted or not, the shapes are known, without a note (the book's IMDB pipeline)", () => {
    const { model, diagnostics } = run(
      'max_length = 600\nmax_tokens = 20000\n' +
        "text_vectorization = layers.TextVectorization(max_tokens=max_tokens, output_mode='int', output_sequence_length=max_length)\n" +
        'text_vectorization.adapt(text_only_train_ds)\n' +
        "inputs = keras.Input(shape=(1,), dtype='string')\nx = text_vectorization(inputs)\n" +
        'x = layers.Embedding(input_dim=max_tokens, output_dim=256)(x)\nx = layers.Bidirectional(layers.LSTM(32))(x)\n' +
        "outputs = layers.Dense(1, activation='sigmoid')(x)\nmodel = keras.Model(inputs, outputs)\n",
    );
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(model.layers[1].outputShape, [null, 600]);
    assert.equal(model.totalParams, 20000 * 256 + 2 * 4 * (32 * (256 + 32) + 32) + 65);
  });
});
