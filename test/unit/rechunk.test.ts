/** Incremental re-chunking gives exactly the chunks of chunking from scratch, for any edit. */
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { chunkSource, rechunk, withoutStrings } from '../../src/core/python/chunks';
import { EXAMPLES, example } from './support/fixtures';
import { MUTATIONS } from './support/mutate';
import { pick, rng } from './support/random';
import { reformat } from './support/reformat';

const plain = (chunks: ReturnType<typeof chunkSource>['chunks']) => chunks.map((c) => ({ ...c }));

describe('incremental re-chunking', () => {
  const sources = readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.py'))
    .map((f) => example(f));

  it('equals chunking from scratch after 3,000 seeded edits, chained like keystrokes', () => {
    const names = Object.keys(MUTATIONS);
    for (let seed = 1; seed <= 300; seed++) {
      const r = rng(seed);
      let text = pick(r, sources);
      let previous = { text, chunks: chunkSource(text).chunks };
      for (let step = 0; step < 10; step++) {
        const next = MUTATIONS[pick(r, names)](text, r);
        const got = rechunk(previous, next).chunks;
        const want = chunkSource(next).chunks;
        assert.deepEqual(plain(got), plain(want), `seed ${seed}, step ${step}`);
        previous = { text: next, chunks: got };
        text = next;
      }
    }
  });

  it('equals chunking from scratch on layouts that put continuation lines at column 0 and join statements with ";"', () => {
    const names = Object.keys(MUTATIONS);
    const laidOut = sources.map((s) => reformat(s, { column0: true, breaks: true, semicolons: true, backslashes: true }));
    for (let seed = 1; seed <= 150; seed++) {
      const r = rng(seed * 31);
      let text = pick(r, laidOut);
      let previous = { text, chunks: chunkSource(text).chunks };
      for (let step = 0; step < 10; step++) {
        const next = MUTATIONS[pick(r, names)](text, r);
        const got = rechunk(previous, next).chunks;
        assert.deepEqual(plain(got), plain(chunkSource(next).chunks), `seed ${seed}, step ${step}`);
        previous = { text: next, chunks: got };
        text = next;
      }
    }
  });

  it('an edit far below that closes a bracket left open joins the statements from that bracket on; reopening it splits them again', () => {
    const open = 'x = f(1,\ny = 2\nz = 3\n' + 'w = 4\n'.repeat(50);
    const closed = `${open})\n`;
    const a = chunkSource(open).chunks;
    assert.equal(a[0].bracketErrors[0]?.kind, 'never-closed');
    const b = rechunk({ text: open, chunks: a }, closed).chunks;
    assert.deepEqual(plain(b), plain(chunkSource(closed).chunks));
    assert.equal(b[0].end, closed.length, 'one statement, to the closing bracket');
    assert.deepEqual(plain(rechunk({ text: closed, chunks: b }, open).chunks), plain(a));
  });

  it('letters typed below a bracket left open keep it open, except one that unmakes an f-string whose field held the closer', () => {
    // `f"{g("x)")}"` is one string (Python 3.12 nests quotes in a field); `af"{g("x)")}"` holds the code `x)`.
    const base = 'x = f(1,\ny = 2\nname = "abc"\ns = f"{g("x)")}"\nz = 3\n';
    const steps = [
      base.replace('s = f"', 's = af"'), // now a plain string: its `)` is code and closes `f(`
      base,
      base.replace('name = "abc"', 'name = "abcd"'),
      base.replace('name = "abc"', 'name = "abcd"').replace('z = 3', 'zz = 3'),
    ];
    let previous = { text: base, chunks: chunkSource(base).chunks };
    for (const next of steps) {
      const got = rechunk(previous, next).chunks;
      assert.deepEqual(plain(got), plain(chunkSource(next).chunks), next);
      previous = { text: next, chunks: got };
    }
    assert.equal(chunkSource(base).chunks[0].bracketErrors[0]?.kind, 'never-closed');
    assert.equal(chunkSource(steps[0]).chunks[0].bracketErrors[0]?.kind, undefined);
  });

  it('between unrelated texts too', () => {
    for (const a of sources)
      for (const b of sources) assert.deepEqual(plain(rechunk({ text: a, chunks: chunkSource(a).chunks }, b).chunks), plain(chunkSource(b).chunks));
  });
});

describe('withoutStrings (the code of a statement, for the cheap test of whether it may touch a model)', () => {
  it('leaves out every kind of string literal but keeps f-strings, whose replacement fields are code', () => {
    const cases: [string, string][] = [
      ['a = "Sequential" + b', 'a = "" + b'],
      ["x = '''model.add(\n''' ; y", 'x = "" ; y'],
      ['d = r"\\\\" if rb\'x\' else b"q"', 'd = r"" if rb"" else b""'],
      ['s = "it\'s \\"Model\\"" ; t', 's = "" ; t'],
      ['f"{keras.Sequential()}" + F\'x\' + rf"{m.add(l)}"', 'f"{keras.Sequential()}" + F\'x\' + rf"{m.add(l)}"'],
      ['u = "unterminated\nkeras.Sequential()', 'u = ""\nkeras.Sequential()'],
      ['no strings at all', 'no strings at all'],
    ];
    for (const [text, want] of cases) assert.equal(withoutStrings(text), want, text);
  });
});
