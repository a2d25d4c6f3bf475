/**
 * Single Keras layers in Functional models (Dot, UnitNormalization, GroupNormalization, LayerNormalization over
 * several axes, MultiHeadAttention, Attention, AdditiveAttention) against what real Keras 3 built from the same
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
