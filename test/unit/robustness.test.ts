/**
 * `analyze` never throws and never fails inside, whatever the text: random mutations of the example
 * files (truncation, deleted brackets, junk and NUL bytes, swapped tokens), a 1 MB line, deep nesting.
 * A failure prints the seed and mutation so it can be replayed.
 */
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { analyze, type AnalysisResult } from '../../src/core';
import { EXAMPLES, example } from './support/fixtures';
import { MUTATIONS } from './support/mutate';
import { pick, rng } from './support/random';

function assertHealthy(result: AnalysisResult, context: string): void {
  const internal = [...result.diagnostics, ...result.models.flatMap((m) => m.diagnostics)].find((d) => d.code === 'internal-error');
  assert.equal(internal, undefined, `${context}: ${internal?.message}`);
}

function run(source: string, context: string, notebook = false): AnalysisResult {
  let result: AnalysisResult;
  try {
    result = analyze(source, { notebook });
  } catch (e) {
    assert.fail(`${context}: analyze threw ${(e as Error).stack}`);
  }
  assertHealthy(result, context);
  return result;
}

describe('robustness: analyze never throws', () => {
  const sources = readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.py'))
    .map((f) => [f, example(f)] as const);

  it('survives 2,000 seeded random mutations of the examples', () => {
    const names = Object.keys(MUTATIONS);
    for (let seed = 1; seed <= 2000; seed++) {
      const r = rng(seed);
      const [file, text] = pick(r, sources);
      let src = text;
      const applied: string[] = [];
      for (let k = 1 + Math.floor(r() * 3); k > 0; k--) {
        const name = pick(r, names);
        applied.push(name);
        src = MUTATIONS[name](src, r);
      }
      run(src, `seed ${seed}, ${file}, ${applied.join(' + ')}`);
    }
  });

  it('regression (npm run fuzz, seed 41309): a wrapped layer on an input of the wrong rank is an error, not a crash', () => {
    const r = run(
      'from keras import layers, models\nm = models.Sequential([layers.TimeDistributed(layers.ZeroPadding2D(1), input_shape=(5, 8))])\n',
      'TimeDistributed rank',
    );
    const d = r.models[0].diagnostics.find((x) => x.code === 'incompatible-rank');
    assert.ok(d);
    assert.match(d.message, /^Input 0 of layer "zero_padding2d" is incompatible with the layer: expected ndim=4, found ndim=2/);
  });

  it('a 1 MB line', () => {
    const line = `x = [${'1, '.repeat(350_000)}]`;
    run(`${example('mnist_convnet.py')}\n${line}\n`, '1 MB list line');
    const r = run(
      `from keras import layers, models\nm = models.Sequential([layers.Dense(4, input_shape=(3,)), ${'layers.Dropout(0.1), '.repeat(40_000)}])`,
      '1 MB model line',
    );
    assert.equal(r.models[0].layers.length, 40_001);
  });

  it('deep nesting', () => {
    run(`x = ${'('.repeat(5000)}1${')'.repeat(5000)}\n`, 'deep parentheses');
    run(`x = ${'['.repeat(5000)}\n`, 'deep unclosed brackets');
    run(`${Array.from({ length: 300 }, (_, i) => `${'    '.repeat(i)}if x:\n`).join('')}${'    '.repeat(300)}pass\n`, 'deep blocks');
    run(
      `from keras import layers, models\nm = models.Sequential([${'layers.TimeDistributed('.repeat(300)}layers.Dense(2)${')'.repeat(300)}])\n`,
      'deep wrappers',
    );
  });

  it('junk that is not Python at all', () => {
    const r = rng(7);
    for (let i = 0; i < 200; i++) {
      const bytes = Array.from({ length: 500 }, () => String.fromCharCode(Math.floor(r() * 0xffff)));
      run(bytes.join(''), `random text ${i}`);
    }
    run('\0'.repeat(10_000), 'NUL bytes');
    run('', 'empty');
  });

  it('notebooks that do not parse give a clear diagnostic, not an exception', () => {
    const bad = run('{"cells": [', 'truncated JSON', true);
    assert.equal(bad.diagnostics[0].code, 'notebook-format');
    assert.equal(run('{"cells": []}', 'no cells', true).models.length, 0);
    assert.equal(run('{"nbformat": 4}', 'no cells key', true).diagnostics[0].code, 'notebook-format');
    run('{"cells": [{"cell_type": "code", "source": 42}, null, {"cell_type": "code", "source": ["x = (", 3]}]}', 'odd cells', true);
  });
});
