/** The plain-language descriptions hovers and the summary view share: they must read as English. */
import { strict as assert } from 'node:assert';
import { explainField, layerMarkdown } from '../../src/core';
import { example, modelNamed } from './support/fixtures';

describe('describe: receptive-field sentences', () => {
  const field = (size: (number | null)[], jump: (number | null)[]) => ({ size, jump, offset: size.map(() => 0) });

  it('picks "a" or "an" by how the number is spoken', () => {
    const article = (n: number) => /sees (an?) /.exec(explainField(field([n, n], [1, 1])))![1];
    for (const n of [8, 11, 18, 80, 83, 89, 800, 850, 8000, 11000, 18000, 80000, 8000000]) assert.equal(article(n), 'an', String(n));
    for (const n of [1, 2, 3, 7, 10, 12, 17, 19, 28, 79, 90, 100, 108, 111, 180, 1100, 1800, 9000, 100000]) assert.equal(article(n), 'a', String(n));
    assert.match(explainField(field([8, 3], [1, 1])), /sees an 8×3 window of the input/);
    assert.match(explainField(field([3, 8], [1, 1])), /sees a 3×8 window of the input/);
  });

  it('says "pixel" for one and "pixels" otherwise, never "pixel(s)"', () => {
    assert.match(explainField(field([3, 3], [1, 1])), /neighbouring units are 1 input pixel apart\.$/);
    assert.match(explainField(field([4, 4], [2, 2])), /neighbouring units are 2 input pixels apart\.$/);
    assert.match(explainField(field([4, 3], [2, 1])), /neighbouring units are 2×1 input pixels apart\.$/);
    assert.match(explainField(field([null, null], [null, null])), /neighbouring units are \? input pixels apart\.$/);
    assert.doesNotMatch(explainField(field([3, 3], [1, 1])), /\(s\)/);
  });

  it('the hover on the book\'s second convolution reads "an 8×8 window … 2 input pixels apart"', () => {
    const model = modelNamed(example('mnist_convnet.py'), 'model');
    const hover = layerMarkdown(model.layers[2]).join('\n');
    assert.match(hover, /Each unit of this layer sees an 8×8 window of the input; neighbouring units are 2 input pixels apart\./);
  });
});
