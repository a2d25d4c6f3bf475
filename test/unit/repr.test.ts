/**
 * The one printer of Python values and shapes (`src/core/repr.ts`): what it prints is what Python's `repr`
 * prints (the expected strings below are Python 3's own, from `python3 -c 'print(repr(...))'`), and every
 * printer that used to write its own (the interpreter's `str()`, Keras' messages) now says the same.
 */
import { strict as assert } from 'node:assert';
import { analyze } from '../../src/core';
import { reprOf } from '../../src/core/python/operators';
import { pyList, pyNumber, pyRepr, pyStr, pyTuple, shapeRepr, sizeText } from '../../src/core/repr';

const HEAD = 'from tensorflow import keras\nfrom tensorflow.keras import layers\n';

describe('repr: plain values', () => {
  it('tuples, the 1-tuple and the empty one; lists', () => {
    assert.equal(pyRepr([3]), '(3,)');
    assert.equal(pyRepr([]), '()');
    assert.equal(pyRepr([1, 2]), '(1, 2)');
    assert.equal(pyRepr([[1, 2], [3]]), '((1, 2), (3,))');
    assert.equal(pyRepr([3], { list: true }), '[3]');
    assert.equal(pyRepr([], { list: true }), '[]');
    // Only the outermost is a list: `[(1, 2), None, True, 'a']`.
    assert.equal(pyRepr([[1, 2], null, true, 'a'], { list: true }), "[(1, 2), None, True, 'a']");
    assert.equal(pyRepr(3, { list: true }), '3');
    assert.equal(pyTuple(['None']), '(None,)');
    assert.equal(pyTuple([]), '()');
    assert.equal(pyTuple(['a', 'b']), '(a, b)');
    assert.equal(pyList(['a']), '[a]');
  });

  it('None, True and False', () => {
    assert.equal(pyRepr(null), 'None');
    assert.equal(pyRepr(undefined), 'None');
    assert.equal(pyRepr(true), 'True');
    assert.equal(pyRepr(false), 'False');
  });

  it('a dict', () => {
    assert.equal(pyRepr({ a: [1, [2]], "b'": null }), `{'a': (1, (2,)), "b'": None}`);
    assert.equal(pyRepr({}), '{}');
  });

  it("strings as Python's repr quotes and escapes them", () => {
    // [text, repr(text)], both from Python 3.
    const cases: [string, string][] = [
      ['avg', "'avg'"],
      ["it's", `"it's"`],
      ['say "hi"', `'say "hi"'`],
      ['both \' and "', `'both \\' and "'`],
      ['back\\slash', "'back\\\\slash'"],
      ['tab\tnew\nline\rcr', "'tab\\tnew\\nline\\rcr'"],
      ['\u0000\u0007\u001b\u007f', "'\\x00\\x07\\x1b\\x7f'"],
      ['caf\u00e9 \u00a0nbsp \u00adshy', "'caf\u00e9 \\xa0nbsp \\xadshy'"],
      ['\u200bzw \u2028ls', "'\\u200bzw \\u2028ls'"],
      ['emoji \ud83d\ude00', "'emoji \ud83d\ude00'"],
      ['\udb40\udc01 tag', "'\\U000e0001 tag'"],
      ['\ud800 lone', "'\\ud800 lone'"],
      ['\u0378 unassigned', "'\\u0378 unassigned'"],
      ['', "''"],
    ];
    for (const [text, repr] of cases) {
      assert.equal(pyStr(text), repr, JSON.stringify(text));
      assert.equal(pyRepr(text), repr, JSON.stringify(text));
    }
  });

  it('ints and floats where the caller knows which', () => {
    assert.equal(pyNumber(1, true), '1');
    assert.equal(pyNumber(1, false), '1.0');
    assert.equal(pyNumber(-3, true), '-3');
    assert.equal(pyNumber(1e21, true), '1000000000000000000000');
    assert.equal(pyNumber(2 ** 53 + 2, true), '9007199254740994');
    // [value, repr(float(value))], from Python 3.
    const floats: [number, string][] = [
      [1, '1.0'],
      [0.5, '0.5'],
      [12345.678, '12345.678'],
      [0.1 + 0.2, '0.30000000000000004'],
      [1e-4, '0.0001'],
      [1e-5, '1e-05'],
      [1e-7, '1e-07'],
      [2.5e-310, '2.5e-310'],
      [1e15, '1000000000000000.0'],
      [9999999999999998, '9999999999999998.0'],
      [1e16, '1e+16'],
      [1.5e16, '1.5e+16'],
      [123456789012345678, '1.2345678901234568e+17'],
      [1e21, '1e+21'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
      [-0, '-0.0'],
      [-2.5, '-2.5'],
      [Infinity, 'inf'],
      [-Infinity, '-inf'],
      [NaN, 'nan'],
    ];
    for (const [value, repr] of floats) assert.equal(pyNumber(value, false), repr, String(value));
  });

  it('a number whose kind the caller does not know: a whole one as an int, NaN (unresolved) as None', () => {
    assert.equal(pyRepr(3), '3');
    assert.equal(pyRepr(0.5), '0.5');
    assert.equal(pyRepr(1e-5), '1e-05');
    assert.equal(pyRepr(NaN), 'None');
    assert.equal(pyRepr([2, NaN]), '(2, None)');
  });
});

describe('repr: shapes and sizes', () => {
  it('a shape is a tuple with None, `?` without a rank', () => {
    assert.equal(shapeRepr([null, 26, 26, 32]), '(None, 26, 26, 32)');
    assert.equal(shapeRepr([null]), '(None,)');
    assert.equal(shapeRepr([10]), '(10,)');
    assert.equal(shapeRepr([]), '()');
    assert.equal(shapeRepr([null, NaN]), '(None, None)');
    assert.equal(shapeRepr(null), '?');
  });

  it('sizes along axes join with ×, `?` for one unknown', () => {
    assert.equal(sizeText([3, 5]), '3×5');
    assert.equal(sizeText([18]), '18');
    assert.equal(sizeText([null, 4]), '?×4');
  });
});

describe('repr: the printers that share it say what Python says', () => {
  it("the interpreter's str() of a tuple: quotes, floats in exponent form", () => {
    const value = (v: unknown) => reprOf(v as never);
    assert.equal(value({ kind: 'string', value: "it's" }), `"it's"`);
    assert.equal(value({ kind: 'string', value: 'a\nb' }), "'a\\nb'");
    assert.equal(value({ kind: 'number', value: 1e-5, isInt: false }), '1e-05');
    assert.equal(value({ kind: 'number', value: 1e16, isInt: false }), '1e+16');
    assert.equal(value({ kind: 'number', value: 2, isInt: false }), '2.0');
    assert.equal(value({ kind: 'number', value: 2, isInt: true }), '2');
    assert.equal(value({ kind: 'seq', tuple: true, items: [{ kind: 'number', value: 3, isInt: true }] }), '(3,)');
    assert.equal(value({ kind: 'seq', tuple: false, items: [{ kind: 'none' }, { kind: 'bool', value: true }] }), '[None, True]');
    assert.equal(value({ kind: 'seq', tuple: true, items: [{ kind: 'unknown', text: 'x', from: 0, to: 1, why: '' }] }), null);
  });

  it('a layer named by str() of a tuple is named as Python names it', () => {
    const { models } = analyze(`${HEAD}model = keras.Sequential([
    keras.Input(shape=(4,)),
    layers.Dense(3, name=str(("it's", 1e-05, 1e16, 2.0, [None, True], (3,)))),
])
`);
    // python3 -c 'print(str(("it'"'"'s", 1e-05, 1e16, 2.0, [None, True], (3,))))'
    assert.equal(models[0].layers[0].name, `("it's", 1e-05, 1e+16, 2.0, [None, True], (3,))`);
  });

  it("Keras' message quotes a string argument as repr does", () => {
    const { models } = analyze(`${HEAD}model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(8, kernel_size="it's"),
])
`);
    const messages = models[0].diagnostics.map((d) => d.message);
    assert.ok(messages.includes(`The \`kernel_size\` argument must be a tuple of 2 integers. Received: kernel_size="it's"`), messages.join('\n'));
  });
});
