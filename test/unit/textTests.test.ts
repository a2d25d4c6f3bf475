/**
 * The text tests that decide, before any parse, which statements a cold analysis reads: what they say of a statement
 * must be what its code says (a docstring's mention is no mention), whatever order or number of questions.
 */
import { strict as assert } from 'node:assert';
import { classDefs, codeMayTouchModels, sequentialAliases } from '../../src/core/keras/chunkInfo';
import { callHeads, callHeadsOnce, callRuns } from '../../src/core/python/calls';
import { CodeReader } from '../../src/core/python/lexical';
import { withoutStrings } from '../../src/core/python/chunks';
import { int, pick, rng } from './support/random';

describe('text tests before parsing', () => {
  it('CodeReader: offsets in strings are not code, in f-strings they are, asked in any increasing order', () => {
    const text = `a = "Seq" + f"{Model}" + 'x'\nb = """doc\nmanager.push(1)\n""" ; m.push(2)`;
    const inString = (at: number) => new CodeReader(text).inCode(at);
    assert.equal(inString(text.indexOf('Seq')), false);
    assert.equal(inString(text.indexOf('Model')), true);
    assert.equal(inString(text.indexOf('manager')), false);
    assert.equal(inString(text.indexOf('m.push')), true);
    // One reader asked in increasing order answers as a fresh reader per offset, on random texts.
    const r = rng(7);
    const alphabet = ['a', 'f', 'r', '"', "'", ' ', '\n', '\\', '{', '}', '.', '('];
    for (let n = 0; n < 3000; n++) {
      let t = '';
      for (let k = 0, len = 1 + Math.floor(r() * 30); k < len; k++) t += alphabet[Math.floor(r() * alphabet.length)];
      const reader = new CodeReader(t);
      for (let at = 0; at < t.length; at++) {
        if (r() < 0.5) continue;
        assert.equal(reader.inCode(at), new CodeReader(t).inCode(at), `${JSON.stringify(t)} at ${at}`);
      }
    }
  });

  it('codeMayTouchModels: a mention in code counts, one in a string or a method of a self attribute does not', () => {
    assert.equal(codeMayTouchModels('model = keras.Sequential()'), true);
    assert.equal(codeMayTouchModels('"""Use keras.Sequential() here."""'), false);
    assert.equal(codeMayTouchModels('x = f"{Sequential}"'), true);
    assert.equal(codeMayTouchModels('self.seen.add(key)'), false);
    assert.equal(codeMayTouchModels('self.seen.add(key); model.add(layers.Dense(2))'), true);
    assert.equal(codeMayTouchModels('s = "import"; t = \'Model\'; u = 3'), false);
    assert.equal(codeMayTouchModels('s = "a"\nimport keras'), true);
    // Against the test it replaces (strings removed, then the mention looked for) on generated statements.
    const mention = /Sequential|Model\b|import|\.add\s*\(/;
    const r = rng(11);
    const parts = ['x = ', '"Sequential"', "'import'", 'Model', ' m.add(1)', 'f"{Model}"', '"""\nModel\n"""', 'self.a.add(2)', '\n', '; ', 'y', '#'];
    for (let n = 0; n < 2000; n++) {
      let t = '';
      // (Parts apart: `yf"…"` is no Python, and the two tests read its prefix differently.)
      for (let k = 0, len = 1 + Math.floor(r() * 6); k < len; k++) t += ` ${parts[Math.floor(r() * parts.length)]}`;
      const code = withoutStrings(t).replace(/\bself\s*\.\s*[A-Za-z_]\w*\s*\.\s*add\b/g, '');
      assert.equal(codeMayTouchModels(t), mention.test(code), JSON.stringify(t));
    }
  });

  it('sequentialAliases: assignments and imports that rename Sequential, across backslashes, never a mention in another name', () => {
    assert.deepEqual(sequentialAliases('S = keras.Sequential'), ['S']);
    assert.deepEqual(sequentialAliases('a = 1; S = Sequential  # short'), ['S']);
    assert.deepEqual(sequentialAliases('from keras.models import (Dense,\n    Sequential\n    as S)'), ['S']);
    assert.deepEqual(sequentialAliases('S = \\\n  keras.Sequential\nT = Sequential; U = tf.keras.Sequential'), ['S', 'T', 'U']);
    assert.deepEqual(sequentialAliases('MySequential = 1\nS = MySequential'), []);
    assert.deepEqual(sequentialAliases('model = Sequential([Dense(2)])'), []);
  });
  it("classDefs: a class's methods are the defs that start an indented line, async ones too", () => {
    const text =
      'class A:\n    async  def f(self): pass\n\tdef g(): pass\n    asyncdef h(): pass\n    xdef i(): pass\n    def\tj2(): pass\n    def 3k(): pass\n  async\tdef l(): pass\n    "def s(): pass"\n';
    assert.deepEqual(classDefs(text)?.defs, ['f', 'g', 'j2', 'l']);
    assert.equal(classDefs('def f():\n    def g(): pass\n'), null);
    assert.equal(classDefs(text)?.bodies[1].body, '\n\tdef g(): pass\n    asyncdef h(): pass\n    xdef i(): pass');
  });

  it('callRuns and callHeads (one pass for both): the runs of identifier characters before a `(`, tight or after spaces, in order, once each', () => {
    // What each means, as patterns tried at every `(`: its run of identifier characters (Unicode letters too), with or without the spaces before.
    const runsBefore = (text: string, spaced: boolean) => [
      ...new Set([...text.matchAll(spaced ? /([\p{L}\p{N}_]+)[ \t\r\n]*(?=\()/gu : /([\p{L}\p{N}_]+)(?=\()/gu)].map((m) => m[1])),
    ];
    const random = rng(7);
    const pieces = ['f', 'g1', 'é', '𝑥', ' ', '\n', '\t', '(', ')', '.', ',', 'x', '_', '9', '"'];
    for (let n = 0; n < 2000; n++) {
      let text = '';
      for (let k = int(random, 0, 14); k > 0; k--) text += pick(random, pieces);
      assert.deepEqual(callRuns(text), runsBefore(text, false), JSON.stringify(text));
      assert.deepEqual(callHeads(text), runsBefore(text, true), JSON.stringify(text));
      assert.deepEqual(callHeadsOnce(text), runsBefore(text, true), JSON.stringify(text));
    }
    assert.deepEqual(callHeads('a = f (x) + g(y) + f(z)'), ['f', 'g']);
    assert.deepEqual(callRuns('a = f (x) + g(y) + f(z)'), ['g', 'f']);
  });
});
