/**
 * One call, several layers (a loop, a function called more than once): how the editor groups them and what the
 * inlay hint and the hover say. The logic behind the providers, without VS Code.
 */
import { strict as assert } from 'node:assert';
import { analyze } from '../../src/core';
import {
  builtBySentence,
  builtByText,
  codeSpan,
  elide,
  groupLayersByRange,
  groupMarkdown,
  hintLabel,
  hintTooltip,
  MAX_ROWS,
  oneLine,
  shortenList,
  whereText,
  type LayerGroup,
} from '../../src/providers/layerGroups';
import { example } from './support/fixtures';

const result = analyze(example('loops_and_factories.py'));
const groups = groupLayersByRange(result.models);
const at = (line: number): LayerGroup => {
  const g = groups.find((x) => x.range.start.line === line);
  assert.ok(g, `a layer call on line ${line}`);
  return g;
};
const CALLS: Record<string, string> = { small: 'build_model((64, 64, 3), num_classes=5)', big: 'build_model()' };
const hover = (g: LayerGroup) => groupMarkdown(g, { callSource: (m) => CALLS[m.name], layerLink: (p) => p.layer.name }).join('\n');

describe('layer groups: one call, several layers', () => {
  it('groups the layers of examples/loops_and_factories.py by their call, in model and iteration order', () => {
    assert.deepEqual(
      result.models.map((m) => [m.name, m.layers.length, m.builtBy?.function ?? null, m.builtBy?.call?.start.line ?? null]),
      [
        ['model', 8, null, null],
        ['small', 5, 'build_model', 28],
        ['big', 5, 'build_model', 29],
        ['mlp', 6, 'build_mlp', null],
      ],
    );
    assert.deepEqual(
      groups.map((g) => [g.range.start.line, g.members.length]),
      [
        [9, 3],
        [10, 3],
        [11, 1],
        [12, 1],
        [20, 2],
        [21, 2],
        [22, 2],
        [23, 2],
        [24, 2],
        [36, 5],
        [37, 1],
      ],
    );
    assert.deepEqual(
      at(9).members.map((m) => m.layer.name),
      ['conv2d', 'conv2d_1', 'conv2d_2'],
    );
    assert.deepEqual(
      at(20).members.map((m) => [m.model.name, m.modelIndex]),
      [
        ['small', 1],
        ['big', 2],
      ],
    );
    assert.equal(groupLayersByRange(result.models, (l) => l.range.start.line === 9).length, 1, 'the filter keeps only the layers asked for');
  });

  it('shortens long lists: the first items that fit, …, the last and the count', () => {
    const five = ['(None, 512)', '(None, 256)', '(None, 128)', '(None, 64)', '(None, 32)'];
    assert.equal(shortenList(five.slice(0, 4), 0), '(None, 512) · (None, 256) · (None, 128) · (None, 64)');
    assert.equal(shortenList(five, 0), '(None, 512) · (None, 256) · (None, 128) … (None, 32) ×5', 'more than 4: first 3, …, last');
    assert.equal(shortenList(five, 43), '(None, 512) · (None, 256) … (None, 32) ×5', 'and fewer when VS Code would cut it');
    assert.equal(shortenList(five, 10), '(None, 512) … (None, 32) ×5', 'never fewer than the first and the last');
    assert.equal(shortenList(['(None, 32, 32, 32)', '(None, 16, 16, 64)'], 10), '(None, 32, 32, 32) · (None, 16, 16, 64)', 'two stay two');
    assert.equal(shortenList(['(None, 10)'], 5), '(None, 10)');
    assert.equal(shortenList([], 43), '');
    assert.equal(shortenList(['(None, 64)', '(None, 64)', '(None, 64)'], 0), '(None, 64) ×3');
  });

  it('the hint of a loop lists its outputs in order, shortened to what the editor shows', () => {
    assert.equal(hintLabel(at(9), { params: false, maxLength: 0 }), '(None, 32, 32, 32) · (None, 16, 16, 64) · (None, 8, 8, 128)');
    const short = hintLabel(at(9), { params: false, maxLength: 43 });
    assert.equal(short, '(None, 32, 32, 32) … (None, 8, 8, 128) ×3');
    assert.ok(short.length <= 43);
    assert.equal(hintLabel(at(36), { params: false, maxLength: 43 }), '(None, 512) · (None, 256) … (None, 32) ×5');
    assert.equal(hintLabel(at(12), { params: false, maxLength: 43 }), '(None, 10)', 'one layer: its shape, as before');
    assert.equal(hintLabel(at(12), { params: true, maxLength: 43 }), '(None, 10) · 1,290 params');
    assert.equal(
      hintLabel(at(9), { params: true, maxLength: 0 }),
      '(None, 32, 32, 32) · (None, 16, 16, 64) · (None, 8, 8, 128) · 93,248 params',
      'the parameters of all the listed layers',
    );
  });

  it('where several calls share the line, equal outputs are shown once and different ones by model', () => {
    assert.equal(hintLabel(at(23), { params: false, maxLength: 43 }), '(None, 64)', 'GlobalAveragePooling2D gives (None, 64) in both');
    assert.equal(hintLabel(at(24), { params: false, maxLength: 43 }), 'small: (None, 5) | big: (None, 10)');
    assert.equal(hintLabel(at(20), { params: false, maxLength: 0 }), 'small: (None, 62, 62, 32) | big: (None, 26, 26, 32)');
    assert.equal(hintLabel(at(20), { params: false, maxLength: 43 }), 'small: (None, 62, 62, 32) | +1 more');
    // Equal shapes with different parameters are one shape, but told apart when parameters are shown.
    const two = analyze(
      'import keras\nfrom keras import layers\ndef f(n):\n    return keras.Sequential([keras.Input((n,)), layers.Dense(4)])\na = f(3)\nb = f(5)\n',
    );
    const dense = groupLayersByRange(two.models)[0];
    assert.equal(hintLabel(dense, { params: false, maxLength: 43 }), '(None, 4)');
    assert.equal(hintLabel(dense, { params: true, maxLength: 0 }), 'a: (None, 4) · 16 params | b: (None, 4) · 24 params');
    assert.match(hintTooltip(at(24)), /^small:\n {2}dense \(Dense\) → \(None, 5\)\nbig:\n {2}dense \(Dense\) → \(None, 10\)$/);
    assert.equal(hintTooltip(at(9)).split('\n')[2], '3. conv2d_2 (Conv2D) → (None, 8, 8, 128)');
  });

  it('the hover on a loop has a row per iteration: index, layer, shapes, parameters, receptive field', () => {
    const text = hover(at(9));
    assert.match(text, /^`Conv2D` · this line makes \*\*3 layers\*\* \(a loop runs this call once per iteration\)/);
    assert.match(text, /\| 1 \| conv2d \| `\(None, 32, 32, 3\)` → `\(None, 32, 32, 32\)` \| 896 \| 3×3 \|/);
    assert.match(text, /\| 2 \| conv2d_1 \| `\(None, 16, 16, 32\)` → `\(None, 16, 16, 64\)` \| 18,496 \| 8×8 \|/);
    assert.match(text, /\| 3 \| conv2d_2 \| `\(None, 8, 8, 64\)` → `\(None, 8, 8, 128\)` \| 73,856 \| 18×18 \|/);
    assert.doesNotMatch(text, /Built by/, 'no function built this model');
  });

  it("the hover on a factory's layer has a row per call, with the call and the model it built", () => {
    const text = hover(at(24));
    assert.match(text, /`build_model` builds one model per call/);
    assert.match(
      text,
      /\| 1 \| `build_model\(\(64, 64, 3\), num_classes=5\)` at line 28 → model `small` \| dense \| `\(None, 64\)` → `\(None, 5\)` \| 325 \| — \|/,
    );
    assert.match(text, /\| 2 \| `build_model\(\)` at line 29 → model `big` \| dense \| `\(None, 64\)` → `\(None, 10\)` \| 650 \| — \|/);
  });

  it('a block function called twice in one model: the hover says so, with both calls, not that a loop ran it', () => {
    const source = `from tensorflow import keras
from tensorflow.keras import layers


def conv_block(x, filters):
    x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    return layers.MaxPooling2D()(x)


inputs = keras.Input(shape=(32, 32, 3))
x = conv_block(inputs, 32)
x = conv_block(x, 64)
for units in [64, 32]:
    x = layers.Dense(units)(layers.Flatten()(x) if units == 64 else x)
model = keras.Model(inputs, x)
`;
    const twice = groupLayersByRange(analyze(source).models);
    const conv = twice.find((g) => g.range.start.line === 6);
    assert.ok(conv);
    assert.match(hover(conv), /this line makes \*\*2 layers\*\* \(`conv_block` is called twice \(line 11, line 12\)\)/);
    const dense = twice.find((g) => g.range.start.line === 14 && g.members[0].layer.type === 'Dense');
    assert.ok(dense);
    assert.match(hover(dense), /a loop runs this call once per iteration/);
  });

  it('a function nothing calls: the hover says its defaults were used', () => {
    const text = hover(at(36));
    assert.match(text, /\*\*5 layers\*\*/);
    assert.match(text, /\| 5 \| dense_4 \| `\(None, 64\)` → `\(None, 32\)` \| 2,080 \| — \|/);
    assert.match(text, /The numbers use the defaults of `build_mlp`'s parameters: nothing in this file calls it\./);
    const mlp = result.models[3];
    assert.equal(builtBySentence(mlp, undefined), "The numbers use the defaults of `build_mlp`'s parameters: nothing in this file calls it.");
    assert.equal(
      builtBySentence(result.models[1], 'build_model(\n    (64, 64, 3),\n    num_classes=5,\n)'),
      'Built by `build_model((64, 64, 3), num_classes=5,)` at line 28 → model `small`.',
    );
    assert.equal(builtBySentence(result.models[0], undefined), undefined);
    assert.equal(builtByText(result.models[2], undefined), '`build_model(…)` at line 29 → model `big`');
  });

  it('a long loop: the hover and the tooltip list the first layers and the last, and say how many are left out', () => {
    const long = analyze(
      'import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((8,))])\nfor i in range(200):\n    m.add(layers.Dense(8))\n',
    );
    const g = groupLayersByRange(long.models)[0];
    assert.equal(g.members.length, 200);
    const rows = hover(g)
      .split('\n')
      .filter((l) => /^\| (\d+|…) \|/.test(l));
    assert.equal(rows.length, MAX_ROWS);
    assert.match(rows[MAX_ROWS - 3], /^\| … \| 185 more: see the model summary \|/);
    assert.match(rows[MAX_ROWS - 1], /^\| 200 \| dense_199 \|/);
    const tip = hintTooltip(g).split('\n');
    assert.equal(tip.length, MAX_ROWS);
    assert.equal(tip[MAX_ROWS - 3], '  … 185 more');
    assert.equal(hintLabel(g, { params: false, maxLength: 43 }), '(None, 8) ×200', 'alike outputs: one with the count');
    assert.deepEqual(
      elide([1, 2, 3], 3, () => 0),
      [1, 2, 3],
    );
  });

  it('text helpers: one-line calls, places in notebooks counted from 1, table-safe code spans', () => {
    assert.equal(oneLine(`f(${'x, '.repeat(40)})`, 20), 'f(x, x, x, x, x, x,…');
    assert.equal(whereText({ start: { line: 4, column: 1 }, end: { line: 4, column: 9 }, cell: 2 }), 'line 4 of cell 3');
    assert.equal(whereText({ start: { line: 4, column: 1 }, end: { line: 4, column: 9 } }), 'line 4');
    assert.equal(codeSpan('f(a | b)'), '`f(a \\| b)`');
    assert.equal(codeSpan('f("`")'), '`` f("`") ``');
  });
});
