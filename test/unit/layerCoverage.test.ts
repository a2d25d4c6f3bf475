/**
 * Every layer Keras ships is looked at: each name `keras.layers` exports in Keras 3 (test/fixtures/keras3-layers.json,
 * written by scripts/keras-oracle/layer_list.py from real Keras) and each class tf.keras 2.15 documents
 * (test/fixtures/tf-keras2-layers.json, from TensorFlow's API golden file) is either in the catalogue with a rule,
 * or a layer LayerLens names but cannot size (OPAQUE_LAYERS: they run arbitrary code; UNSIZED_LAYERS: each with its
 * reason), and using one says so, naming it. A layer a new Keras adds fails here until someone looks at it.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../src/core';
import { OPAQUE_LAYERS, ruleFor, UNSIZED_LAYERS } from '../../src/core/layers/catalogue';

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8')) as Record<string, unknown>;
const keras3 = fixture('keras3-layers.json') as { keras: string; layers: Record<string, string> };
const tfKeras2 = fixture('tf-keras2-layers.json') as { tf_keras: string; layers: string[] };

/** What the interpreter handles itself, not through a rule: `InputLayer` makes a model's input. */
const INTERPRETED = new Set(['InputLayer']);

function uncovered(names: string[]): string[] {
  return names.filter((n) => !ruleFor(n) && !OPAQUE_LAYERS.has(n) && !UNSIZED_LAYERS.has(n) && !INTERPRETED.has(n));
}

describe('every layer Keras ships is catalogued or named as unsized', () => {
  it(`Keras ${keras3.keras}: each of the ${Object.keys(keras3.layers).length} names keras.layers exports`, () => {
    assert.deepEqual(uncovered(Object.keys(keras3.layers)), [], 'layers of Keras 3 that LayerLens neither sizes nor names');
  });

  it(`tf.keras ${tfKeras2.tf_keras}: each of the ${tfKeras2.layers.length} documented classes`, () => {
    assert.deepEqual(uncovered(tfKeras2.layers), [], 'layers of tf.keras 2 that LayerLens neither sizes nor names');
  });

  it("an alias resolves to its class's rule (MaxPool2D is MaxPooling2D), under Keras 3's own class names", () => {
    // Keras 3 exports its class GroupedQueryAttention as GroupQueryAttention only: the rule has the class's name.
    const wrong = Object.entries(keras3.layers)
      .filter(([name, cls]) => ruleFor(name) && ruleFor(cls) && ruleFor(name) !== ruleFor(cls))
      .map(([name, cls]) => `${name} → ${ruleFor(name)?.type}, class ${cls}`);
    assert.deepEqual(wrong, []);
    const misnamed = Object.entries(keras3.layers)
      .filter(([name, cls]) => ruleFor(name) && ruleFor(name)?.type !== cls)
      .map(([name, cls]) => `${name} → ${ruleFor(name)?.type}, class ${cls}`);
    assert.deepEqual(misnamed, []);
  });

  it('the unsized list holds only layers of the two lists, none with a rule', () => {
    const known = new Set([...Object.keys(keras3.layers), ...tfKeras2.layers]);
    assert.deepEqual(
      [...UNSIZED_LAYERS.keys()].filter((n) => !known.has(n)),
      [],
      'unsized layers neither Keras lists',
    );
    assert.deepEqual(
      [...UNSIZED_LAYERS.keys()].filter((n) => ruleFor(n)),
      [],
      'unsized layers that have a rule',
    );
  });

  describe('using an unsized layer says so, naming it and why; the model stays, its later shapes unknown', () => {
    // `Layer` itself is subclassed, never used: its subclasses are custom layers, with their own diagnostics.
    for (const [name, reason] of [...UNSIZED_LAYERS].filter(([n]) => n !== 'Layer')) {
      const module = Object.hasOwn(keras3.layers, name) ? 'keras.layers' : 'tensorflow.keras.layers';
      it(`${module}.${name}`, () => {
        const src = `import keras\nfrom ${module} import ${name}\n\na = keras.Input(shape=(8, 8, 3))\nx = ${name}()(a)\nout = keras.layers.Flatten()(x)\nmodel = keras.Model(a, out)\n`;
        const result = analyze(src);
        assert.equal(result.models.length, 1);
        const model = result.models[0];
        const diagnostics = [...result.diagnostics, ...model.diagnostics];
        const said = diagnostics.filter((d) => d.code === 'unknown-layer');
        assert.deepEqual(
          said.map((d) => [d.severity, d.range.start.line, d.message]),
          [['warning', 5, `LayerLens does not size the layer \`${name}\`: ${reason}. Shapes after it are unknown.`]],
        );
        assert.deepEqual(
          model.layers.map((l) => [l.type, l.outputShape]),
          [
            ['InputLayer', [null, 8, 8, 3]],
            [name, null],
            ['Flatten', null],
          ],
        );
      });
    }
  });
});
