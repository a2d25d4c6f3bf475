/**
 * Two models with one name: the downsampling what-if of the second is the second's. (The panels' ids are tested
 * in the extension host: test/integration/suites/modelIdentity.test.ts.)
 */
import { strict as assert } from 'node:assert';
import { analyze, analyzeCells } from '../../src/core';
import { downsamplingVariants } from '../../src/panel/downsampling';

/** [from, to) of a core range (1-based, end exclusive) in `text`. */
function offsets(text: string, r: { start: { line: number; column: number }; end: { line: number; column: number } }): { from: number; to: number } {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  return { from: lineStarts[r.start.line - 1] + r.start.column - 1, to: lineStarts[r.end.line - 1] + r.end.column - 1 };
}

describe('downsampling what-if of one of two models with one name', () => {
  it("a comprehension building two models named ms: the variants of the second are the second's", () => {
    const text = `from keras import layers, models

def build_model(width):
    return models.Sequential([layers.Input(shape=(8, 8, 1)), layers.Conv2D(width, 3), layers.MaxPooling2D(2), layers.Flatten(), layers.Dense(2)])

ms = [build_model(s) for s in (16, 32)]
`;
    const { models } = analyze(text);
    assert.deepEqual(
      models.map((m) => [m.name, m.layers[0].outputShape]),
      [
        ['ms', [null, 6, 6, 16]],
        ['ms', [null, 6, 6, 32]],
      ],
    );
    const second = models[1];
    const pool = second.layers[1];
    const variants = downsamplingVariants(second, pool, { text, ...offsets(text, pool.range) }, 'k', 1);
    assert.deepEqual(
      variants.map((v) => v.label),
      ['Max pooling', 'Average pooling', 'Strided convolution', 'No downsampling'],
    );
    for (const v of variants) assert.deepEqual(v.model.layers[0].outputShape, [null, 6, 6, 32], `${v.label}: the second model's Conv2D(32)`);
    assert.equal(variants[2].code, "layers.Conv2D(32, kernel_size=(2, 2), strides=(2, 2), padding='valid')");
  });

  it("a notebook that redefines model on the same line of another cell: the variants of the second are the second's", () => {
    const cells = [
      { index: 0, text: 'from keras import layers, models' },
      { index: 1, text: 'model = models.Sequential([layers.Input(shape=(28, 28, 1)), layers.Conv2D(8, 3), layers.MaxPooling2D(2)])' },
      { index: 2, text: 'model = models.Sequential([layers.Input(shape=(12, 12, 3)), layers.Conv2D(4, 3), layers.MaxPooling2D(2)])' },
    ];
    const { models } = analyzeCells(cells);
    assert.deepEqual(
      models.map((m) => [m.name, m.line, m.range.cell]),
      [
        ['model', 1, 1],
        ['model', 1, 2],
      ],
    );
    const pool = models[1].layers[1];
    const variants = downsamplingVariants(models[1], pool, { cells, cell: 2, ...offsets(cells[2].text, pool.range) }, 'k', 1);
    assert.equal(variants.length, 4);
    for (const v of variants.slice(0, 3)) assert.deepEqual(v.model.layers[1].outputShape, [null, 5, 5, 4], `${v.label}: the second model's pooled map`);
    // No downsampling: the second cell's pooling call replaced (the edit lands in its cell), its map 10×10×4.
    assert.deepEqual(variants[3].model.layers[1].outputShape, [null, 10, 10, 4]);
  });
});
