/**
 * Random differential test: seeded random valid Keras models (support/modelGenerator.ts), written in
 * varied Python styles, are analysed by the core and rebuilt in tfjs-layers; every layer's output shape
 * and parameter counts must agree (support/tfjsOracle.ts). tfjs is the oracle; nothing here computes an
 * expected number.
 *
 * Reproduce a failure with its seed: `LAYERLENS_SEED=<seed> LAYERLENS_MODELS=1 npx mocha --no-config -r tsx/cjs -r ./test/support/pythonText.ts test/unit/randomModels.test.ts`.
 * Run more or fewer models with LAYERLENS_MODELS=<count> (default 1000).
 */
import assert from 'node:assert/strict';
import { analyze } from './support/metamorphic';
import type { Diagnostic, ModelResult } from '../../src/core/types';
import { generateModel, type GeneratedModel } from './support/modelGenerator';
import { checkModel, tfjs, type CheckKind } from './support/tfjsOracle';

const FIRST_SEED = Number(process.env.LAYERLENS_SEED ?? 1);
const COUNT = Number(process.env.LAYERLENS_MODELS ?? 1000);
/** Every RUN_EVERY-th model also runs a zero tensor through tfjs (slower): the conversions must run, not only build. */
const RUN_EVERY = process.env.LAYERLENS_MODELS === '1' ? 1 : 4;

/** Diagnostics a valid generated model may get: advice, not a problem with the reading. */
/** Diagnostics a valid generated model may get: the large-Dense warning, and the note on `Conv2D(f, 3, 3)` (Keras 3 reads a stride there; Keras 2 read a kernel side). */
const EXPECTED_DIAGNOSTICS = new Set(['large-dense', 'legacy-spelling']);

/** What is wrong with one generated model, or nothing. */
function problems(g: GeneratedModel, tally: Record<CheckKind, number>, run: boolean): string[] {
  const out: string[] = [];
  const result = analyze(g.source);
  if (result.models.length !== 1) return [`expected one model, the core found ${result.models.length}`];
  const model: ModelResult = result.models[0];
  const diagnostics: Diagnostic[] = [...result.diagnostics, ...model.diagnostics].filter((d) => !EXPECTED_DIAGNOSTICS.has(d.code));
  for (const d of diagnostics) out.push(`diagnostic ${d.severity} ${d.code} at line ${d.range.start.line}: ${d.message}`);
  if (JSON.stringify(model.inputShape) !== JSON.stringify(g.inputShape))
    out.push(`input shape: core ${JSON.stringify(model.inputShape)}, source ${JSON.stringify(g.inputShape)}`);
  if (model.layers.length !== g.layerCount) out.push(`layers: core ${model.layers.length}, source ${g.layerCount}`);
  for (const l of model.layers) if (!l.outputShape) out.push(`layer ${l.index} ${l.type}: the core has no output shape`);
  const report = checkModel(model, { run });
  out.push(...report.mismatches);
  if (report.checks.length !== model.layers.length) out.push(`only ${report.checks.length} of ${model.layers.length} layers checked`);
  for (const c of report.checks) tally[c.kind]++;
  return out;
}

function describeFailure(g: GeneratedModel, found: string[]): string {
  return [
    `seed ${g.seed}: ${g.family} model (${g.style})`,
    ...found.map((p) => `  - ${p}`),
    `  reproduce: LAYERLENS_SEED=${g.seed} LAYERLENS_MODELS=1 npx mocha --no-config -r tsx/cjs -r ./test/support/pythonText.ts test/unit/randomModels.test.ts`,
    '--- source ---',
    g.source,
  ].join('\n');
}

describe('random models: core vs tfjs-layers', function () {
  this.timeout(120000);

  before(() => {
    tfjs();
  });

  it(`${COUNT} seeded random models from seed ${FIRST_SEED} agree with tfjs`, () => {
    const tally: Record<CheckKind, number> = { tfjs: 0, emulated: 0, 'shape-only': 0, skipped: 0 };
    const failures: string[] = [];
    const failingSeeds: number[] = [];
    let layers = 0;
    for (let seed = FIRST_SEED; seed < FIRST_SEED + COUNT; seed++) {
      const g = generateModel(seed);
      layers += g.layerCount;
      let found: string[];
      try {
        found = problems(g, tally, seed % RUN_EVERY === 0);
      } catch (e) {
        found = [`threw: ${(e as Error).stack}`];
      }
      if (found.length) {
        failingSeeds.push(seed);
        if (failures.length < 3) failures.push(describeFailure(g, found));
      }
    }
    console.log(
      `      ${COUNT} models, ${layers} layers: ${tally.tfjs} compared in tfjs, ${tally.emulated} emulated, ${tally['shape-only']} shape only, ${tally.skipped} without tfjs equivalent`,
    );
    assert.equal(failingSeeds.length, 0, `${failingSeeds.length} of ${COUNT} models disagree (seeds ${failingSeeds.join(', ')}):\n\n${failures.join('\n\n')}`);
  });

  it('the generator is deterministic and covers every family and source style', () => {
    assert.equal(generateModel(42).source, generateModel(42).source);
    const seen = new Set<string>();
    for (let seed = 1; seed <= 400; seed++) {
      const g = generateModel(seed);
      seen.add(g.family.replace(/ \(.*/, ''));
      for (const s of g.style.split(', ')) seen.add(s);
    }
    for (const want of [
      'image',
      'sequence',
      'mlp',
      'volume',
      'video',
      'tf.keras',
      'keras.layers',
      'aliased module',
      'bare names',
      'import *',
      'keras 3',
      'list',
      'model.add',
      'in build_model()',
      'top level',
      'input via input_shape',
      'input via batch_input_shape',
      'input via Input',
      'input via Input(batch_shape)',
      'input via InputLayer',
      'input via build',
      'input via comment',
      'input via input_dim',
      'input via input_length',
      'constants',
    ])
      assert.ok(seen.has(want), `no generated model with ${want}`);
  });

  // Bugs the generator found in the core outside the layer rules, kept as regression tests.
  describe('regressions found by the generator', () => {
    // `def f(n=N)`: the default `N` was once bound as a second parameter, shadowing the module constant.
    it('a parameter default naming a module constant does not shadow the constant', () => {
      const source =
        'import keras\nfrom keras import layers\nN = 10\ndef build_model(n=N):\n    model = keras.Sequential([keras.Input(shape=(N, 3)), layers.LSTM(4)])\n    return model\n';
      const model = analyze(source).models[0];
      assert.deepEqual(model.inputShape, [null, 10, 3]);
    });

    // A float literal with a trailing dot (`1.`, as in the common `Rescaling(1./255)`) is read by
    // @lezer/python as a member expression with an error node.
    it('a float with a trailing dot (1./255) is a number', () => {
      const source = 'from tensorflow import keras\nmodel = keras.Sequential([keras.Input(shape=(4, 4, 3)), keras.layers.Rescaling(1./255)])\n';
      const result = analyze(source);
      assert.deepEqual(result.diagnostics, []);
      assert.equal(result.models[0].layers[0].config.scale, 1 / 255);
    });
  });
});
