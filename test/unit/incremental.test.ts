/**
 * Re-analysis after an edit (issue 10's speed aim: the editor re-analyses on each keystroke, reusing what the
 * previous version of the file left) must give exactly what a cold analysis of the same text gives. Chains of
 * seeded edits, like keystrokes, on realistic files: one-character inserts, deletes and replacements (digits,
 * brackets, quotes, colons, newlines, letters), multi-line pastes and multi-line deletes, and undoing them.
 *
 * The incremental side keeps one file name for the whole chain; the cold side analyses each text under a name it
 * never used before (nothing of a previous version to reuse), and at the end of each chain after clearParseCache().
 * A cold analysis runs the whole program at once; from the first edit on, the incremental side runs it in groups of
 * statements that cannot see one another (the first edit runs every group, later ones only those the edit reaches):
 * each step checks groups against one whole run.
 */
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { analyze, Analyzer, clearParseCache, rowsExtent } from '../../src/core';
import { EXAMPLES, example } from './support/fixtures';
import { edit } from './support/edits';
import { int, pick, rng } from './support/random';
import { CASES } from './support/realCodeCases';
import { reformat } from './support/reformat';
import { CalledNames, callHeads, callsName } from '../../src/core/python/calls';

let coldKey = 0;
function cold(text: string) {
  return analyze(text, { fileName: `cold-${coldKey++}.py` });
}

describe('incremental re-analysis equals a cold analysis', function () {
  this.timeout(600_000);
  const examples = readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.py'))
    .map((f) => example(f));
  // The real-code cases joined into one long module: imports again and again, `model` re-bound case after case.
  const realCode = CASES.flatMap((c) => (c.source ? [c.source] : [])).join('\n\n');
  let generated: string[] = [];

  before(async () => {
    const { generate } = await import('../../bench/generate.mjs');
    generated = [
      generate({ lines: 800, seed: 11 }).text,
      generate({ lines: 800, seed: 12, kind: 'functional', minGap: 40, maxGap: 120 }).text,
      generate({ lines: 800, seed: 13, minGap: 6, maxGap: 24 }).text,
    ];
  });

  function chains(label: string, sources: () => string[], seeds: number, steps: number) {
    it(`${label}: ${seeds} chains of ${steps} edits`, () => {
      const all = sources();
      for (let seed = 1; seed <= seeds; seed++) {
        const r = rng(seed * 7919);
        let text = all[(seed - 1) % all.length];
        const history: string[] = [];
        analyze(text, { fileName: 'incremental.py' });
        for (let step = 0; step < steps; step++) {
          // Undo now and then (the editor hands back an earlier text).
          const next = history.length && r() < 0.1 ? history.pop()! : edit(text, r, all);
          history.push(text);
          text = next;
          const got = analyze(text, { fileName: 'incremental.py' });
          assert.deepStrictEqual(got, cold(text), `seed ${seed}, step ${step}`);
        }
        clearParseCache();
        const fresh = analyze(text);
        analyze(history[history.length - 1] ?? text, { fileName: 'incremental.py' });
        assert.deepStrictEqual(analyze(text, { fileName: 'incremental.py' }), fresh, `seed ${seed}, after clearParseCache()`);
      }
    });
  }

  chains('the examples', () => examples, 24, 40);
  chains('the real-code cases in one file', () => [realCode], 5, 40);
  chains(
    'the examples with continuation lines at column 0 and statements joined by ";"',
    () => examples.map((e) => reformat(e, { column0: true, breaks: true, semicolons: true })),
    8,
    40,
  );
  chains('generated Sequential, Functional and model-dense files', () => generated, 12, 50);

  it('an Analyzer per document: two documents edited in turn each reuse only their own previous version, and a disposed one starts cold', () => {
    const [a, b] = [new Analyzer(), new Analyzer()];
    let [ta, tb] = [generated[0], generated[2]];
    const r = rng(99);
    for (let step = 0; step < 30; step++) {
      ta = edit(ta, r, generated);
      tb = edit(tb, r, generated);
      assert.deepStrictEqual(a.analyze(ta), cold(ta), `document a, step ${step}`);
      assert.deepStrictEqual(b.analyze(tb), cold(tb), `document b, step ${step}`);
      if (step === 15) a.dispose();
    }
  });

  // Edits that move every statement after them (issue 19): the groups after the edit are kept, their results moved to
  // the new lines. Each kind at every model of the generated files and of the examples, then undone, against a cold
  // analysis; with a model whose note names a line (`the first unknown is at line 7`), which is run again instead.
  it('Enter, a deleted line, a comment line, a pasted block, and their undo, at every model, equal a cold analysis', () => {
    const namesALine =
      'import sys\nimport keras\nfrom keras import layers\n\nx = 1\n\nmodel = keras.Sequential([keras.Input((4,)), layers.Dense(int(sys.argv[1]))])\n';
    const files = [...generated, ...examples, namesALine];
    let edits = 0;
    files.forEach((text, f) => {
      const fileName = `kinds-${f}.py`;
      analyze(text, { fileName });
      const lines = text.split('\n');
      for (let line = 1; line < lines.length; line += Math.max(1, Math.floor(lines.length / 40))) {
        const at = lines.slice(0, line).join('\n').length + 1;
        const indent = /^[ \t]*/.exec(lines[line])![0];
        for (const edited of [
          `${text.slice(0, at - 1)}\n${indent}${text.slice(at - 1)}`, // Enter at the end of the line before
          `${text.slice(0, at)}${indent}# a note\n${text.slice(at)}`, // a comment line
          `${text.slice(0, at)}\ndef helper(xs, k=2):\n    return [x * k for x in xs]\n\n${text.slice(at)}`, // a pasted block
          lines[line].trim() === '' ? `${text.slice(0, at)}${text.slice(at + lines[line].length + 1)}` : null, // a blank line deleted
        ]) {
          if (edited === null) continue;
          edits++;
          const got = analyze(edited, { fileName });
          const want = cold(edited);
          // Where the rows lie, asked before they are read (a moved model's extent comes from the rows before the edit).
          assert.deepStrictEqual(got.models.map(rowsExtent), want.models.map(rowsExtent), `${fileName}, line ${line}: rows' extents`);
          assert.deepStrictEqual(got, want, `${fileName}, line ${line}: ${JSON.stringify(edited.slice(at - 40, at + 60))}`);
          assert.deepStrictEqual(analyze(text, { fileName }), cold(text), `${fileName}, undo at line ${line}`);
        }
      }
    });
    assert.ok(edits > 300, `${edits} edits`);
  });

  // An undo hands back the text of the version before the last: its result is given again, the same objects (the
  // file as opened, which ran as one program, is analysed again instead: an edit from it would run every group).
  it('an undo, a redo and the same text again give back the earlier results, the same objects, equal to a cold analysis', () => {
    const text = generated[2];
    const fileName = 'undo.py';
    const at = text.indexOf('\n', text.length >> 1) + 1;
    const typed = (s: string) => `${text.slice(0, at)}${s}\n${text.slice(at)}`;
    const opened = analyze(text, { fileName });
    const a = analyze(typed('# a'), { fileName });
    const back = analyze(text, { fileName });
    assert.notEqual(back, opened, 'the file as opened is analysed again');
    const b = analyze(typed('# ab'), { fileName });
    assert.equal(analyze(typed('# ab'), { fileName }), b, 'the same text again');
    assert.equal(analyze(text, { fileName }), back, 'undo');
    assert.equal(analyze(typed('# ab'), { fileName }), b, 'redo');
    assert.notEqual(analyze(typed('# a'), { fileName }), a, 'two versions back: analysed again');
    assert.deepStrictEqual(analyze(text, { fileName }), cold(text));
    assert.deepStrictEqual(
      analyze(typed('# a'), { fileName, kerasVersion: '2' }),
      analyze(typed('# a'), { fileName: `cold-${coldKey++}.py`, kerasVersion: '2' }),
      'another Keras: analysed again',
    );
  });

  // A moved model's own positions move from the model the last analysis gave, its rows from the rows as last read:
  // through more edits than movedResults.ts keeps unapplied (then the rows move at once), some models' rows read
  // between edits (a Functional model's layers read and its tensors not), the result equals a cold analysis.
  it('lines typed one by one above many models, rows read now and then, equal a cold analysis after each', () => {
    const text = generated[1]; // Functional models: rows of two kinds, layers and tensors
    const fileName = 'many-moves.py';
    analyze(text, { fileName });
    let current = text;
    for (let step = 1; step <= 45; step++) {
      const at = current.indexOf('\n', current.length >> 1) + 1;
      current = `${current.slice(0, at)}# note ${step}\n${current.slice(at)}`;
      const got = analyze(current, { fileName });
      const want = cold(current);
      assert.deepStrictEqual(got.models.map(rowsExtent), want.models.map(rowsExtent), `step ${step}: rows' extents`);
      assert.deepStrictEqual(
        got.models.map((m) => [m.line, m.range, m.diagnostics, m.builtBy]),
        want.models.map((m) => [m.line, m.range, m.diagnostics, m.builtBy]),
        `step ${step}: the models' own positions`,
      );
      if (step === 3) assert.ok(got.models.filter((m) => Object.getOwnPropertyDescriptor(m, 'layers')?.get).length >= 3, 'models moved, rows unread');
      if (step % 7 === 0) got.models.forEach((m, i) => i % 3 === 0 && assert.deepStrictEqual(m.layers, want.models[i].layers, `step ${step}, model ${i}`));
    }
    assert.deepStrictEqual(analyze(current, { fileName }), cold(current));
  });
});

describe('callsName (the cached test of whether a statement calls a model)', () => {
  it('says what text.includes(name + "(") says, for random text with non-ASCII letters, marks and surrogates', () => {
    const alphabet = ['a', 'b', 'Z', '_', '1', '(', ')', ' ', '.', 'é', '\u0301', '²', '𝔪', '\uD835', '\uDD2A', '\uDC00', '中', '\n'];
    const names = ['a', 'ab', 'b', '𝔪', 'é', '_1', 'net.a', 'a[0]'];
    const r = rng(4242);
    for (let k = 0; k < 20000; k++) {
      let text = '';
      for (let i = int(r, 0, 12); i > 0; i--) text += pick(r, alphabet);
      for (const name of names) assert.equal(callsName(text, name), text.includes(`${name}(`), `${JSON.stringify(text)} / ${name}`);
    }
  });

  it('callHeads lists each name written just before a "(", spaces and line breaks between allowed', () => {
    const alphabet = ['a', 'b', 'Z', '_', '1', '(', ')', ' ', '\t', '\n', '.', 'é', '\u0301', '²', '𝔪', '\uD835', '\uDD2A', '\uDC00', '中'];
    const reference = /(?<![\p{L}\p{N}_])([\p{L}\p{N}_]+)[ \t\r\n]*\(/gu;
    const r = rng(4444);
    for (let k = 0; k < 20000; k++) {
      let text = '';
      for (let i = int(r, 0, 14); i > 0; i--) text += pick(r, alphabet);
      const want = [...new Set(Array.from(text.matchAll(reference), (m) => m[1]))].sort();
      assert.deepEqual([...callHeads(text)].sort(), want, JSON.stringify(text));
    }
  });

  it('CalledNames.calledIn says whether text.includes(name + "(") for any member, as members come and go', () => {
    const alphabet = ['a', 'b', 'Z', '_', '1', '(', ')', ' ', '.', 'é', '\u0301', '²', '𝔪', '\uD835', '\uDD2A', '\uDC00', '中', '\n'];
    const names = ['a', 'ab', 'b', '𝔪', 'é', '_1', 'net.a', 'a[0]', 'x·y'];
    const r = rng(4343);
    const set = new CalledNames();
    for (let k = 0; k < 20000; k++) {
      const name = pick(r, names);
      if (r() < 0.5) set.add(name);
      else if (r() < 0.9) set.delete(name);
      else set.clear();
      let text = '';
      for (let i = int(r, 0, 12); i > 0; i--) text += pick(r, [...alphabet, ...names]);
      const want = [...set].some((n) => text.includes(`${n}(`));
      assert.equal(set.calledIn(text), want, `${JSON.stringify(text)} / ${JSON.stringify([...set])}`);
    }
  });
});
