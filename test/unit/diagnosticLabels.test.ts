/**
 * The editor's list of diagnostics (src/providers/diagnosticLabels.ts): a line that several models share (a factory
 * called more than once) says which model, and which call, each differing message is for; equal messages once.
 */
import { strict as assert } from 'node:assert';
import { analyze } from '../../src/core';
import { editorDiagnostics } from '../../src/providers/diagnosticLabels';

const FACTORY = `import keras
from keras import layers

def build(size, units):
    return keras.Sequential([
        keras.Input((size, size, 1)),
        layers.Flatten(),
        layers.Dense(units),
        layers.Dense(1),
    ])

small = build(20, 64)
big = build(40, 64)
`;

describe('diagnostics in the editor', () => {
  it("a factory's line, called twice with different sizes: each warning names its model and the call that built it", () => {
    const result = analyze(FACTORY);
    const warnings = editorDiagnostics(result).filter((d) => d.code === 'large-dense');
    assert.equal(warnings.length, 2);
    assert.ok(warnings.every((w) => w.range.start.line === 8));
    assert.match(warnings[0].message, /20×20×1.*\(model `small`, built by the call at line 12\)$/);
    assert.match(warnings[1].message, /40×40×1.*\(model `big`, built by the call at line 13\)$/);
  });

  it('the same message from every model is listed once, as it is', () => {
    const result = analyze(FACTORY.replace('big = build(40, 64)', 'again = build(20, 64)'));
    const all = result.models.flatMap((m) => m.diagnostics).filter((d) => d.code === 'large-dense');
    assert.equal(all.length, 2);
    const shown = editorDiagnostics(result).filter((d) => d.code === 'large-dense');
    assert.deepEqual(
      shown.map((d) => d.message),
      [all[0].message],
    );
  });
});
