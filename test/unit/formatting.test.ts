/**
 * Formatting never changes a number: comments inside brackets (the bug of issue 10 §1), and the rewriter the
 * metamorphic check in `support/metamorphic.ts` runs on every source the other suites analyse.
 */
import { strict as assert } from 'node:assert';
import { analyze as analyzeCore } from '../../src/core';
import { EXAMPLES, example } from './support/fixtures';
import { analyze, withoutPositions } from './support/metamorphic';
import { ALL_REWRITES, reformat, tokenize, type ReformatOptions } from './support/reformat';
import { generateModel } from './support/modelGenerator';
import { CASES } from './support/realCodeCases';
import { readdirSync } from 'node:fs';

const HEAD = 'from tensorflow import keras\nfrom tensorflow.keras import layers\n';

describe('comments inside brackets', () => {
  it('a comment after an element and on a line of its own is not a layer', () => {
    const { models } = analyzeCore(`${HEAD}model = keras.Sequential([
    layers.Conv2D(32, 3, input_shape=(28, 28, 1)),  # first block
    # classifier
    layers.Flatten(),
    layers.Dense(10),
])
`);
    assert.deepEqual(
      models[0].layers.map((l) => l.type),
      ['Conv2D', 'Flatten', 'Dense'],
    );
    assert.deepEqual(
      models[0].layers.map((l) => l.outputShape),
      [
        [null, 26, 26, 32],
        [null, 21632],
        [null, 10],
      ],
    );
    assert.deepEqual(
      models[0].diagnostics.filter((d) => d.severity !== 'warning'),
      [],
    );
  });

  it('a comment after an argument is not an argument, and one inside a tuple is not a dimension', () => {
    const { models } = analyzeCore(`${HEAD}model = keras.Sequential([
    layers.Conv2D(32,  # filters
                  (3, 3), input_shape=(28,  # height
                                       28, 1)),
])
`);
    const conv = models[0].layers[0];
    assert.deepEqual(conv.inputShape, [null, 28, 28, 1]);
    assert.deepEqual(conv.outputShape, [null, 26, 26, 32]);
    assert.equal(conv.params, 320);
    assert.deepEqual(models[0].diagnostics, []);
  });

  it('comments holding brackets, quotes and commas change nothing', () => {
    const plain = `${HEAD}model = keras.Sequential([layers.Dense(4, input_shape=(3,)), layers.Dense(2)])\n`;
    const commented = `${HEAD}model = keras.Sequential([  # ([{ "it's", 'a, b' )]}
    layers.Dense(4,  # ) ] ,
                 input_shape=(3,)),  # ')'
    # layers.Dense(99),
    layers.Dense(2),  # "
])
`;
    assert.deepEqual(withoutPositions(analyzeCore(commented)), withoutPositions(analyzeCore(plain)));
  });
});

describe('the formatting rewriter (Python tokenization rules)', () => {
  const tricky = `${HEAD}s = "a # not a comment, ( [ {"
t = '''x = keras.Sequential([
# still a string ]'''
u = rb'\\'' + f"{s!r:>10}" + "\\\\"
model = keras.Sequential([layers.Dense(4, input_shape=(3,)), layers.Dense(2)], name='n (1)')
def f(a, b=2, *args, **kw):
    return [x for x in range(3)], {k: v for k, v in kw.items()}, a[1:2], (a)
`;

  it('never touches a string, and keeps every token of the program in order', () => {
    const out = reformat(tricky, ALL_REWRITES);
    const strings = (src: string) =>
      tokenize(src)
        .filter((t) => t.kind === 'string')
        .map((t) => t.text);
    assert.deepEqual(strings(out), strings(tricky));
    const code = (src: string) =>
      tokenize(src)
        .filter((t) => t.kind !== 'comment' && t.kind !== 'newline')
        .map((t) => t.text)
        .filter((t) => t !== '(' && t !== ')' && t !== ',' && t !== ';');
    assert.deepEqual(code(out), code(tricky));
  });

  it('applies every rewrite it names', () => {
    const out = reformat(tricky, ALL_REWRITES);
    assert.match(out, /# note \d+: \(\]'",\[ "a, b" \)\n/, 'comments at line ends inside brackets');
    assert.match(out, /\n# note \d+/, 'comments on lines of their own (at column 0, as every continuation line)');
    assert.match(out, /"a, b" \)\n\n/, 'blank lines inside brackets');
    assert.match(out, /,\]/, 'trailing commas');
    assert.match(out, /\(4\),/, 'redundant parentheses');
    assert.match(out, /= \\\n/, 'backslash continuations');
    assert.match(out, /\n\treturn/, 'tab indentation');
    assert.match(out, /\nname=\('n \(1\)'\)/, 'a keyword argument on a line of its own at column 0');
    assert.match(out, /\n\*\*kw,?\)/, 'a continuation line at column 0');
    assert.match(out, /\bkeras; from\s/, 'simple statements joined by a semicolon');
    assert.match(out, /\s1:2\]/, 'a slice gets no parentheses');
    assert.match(out, /\sx\s+for\s+x\s+in\s+range\(\s*(?:#[^\n]*\s*)*\(3\),\)\]/, 'a comprehension gets no parentheses or trailing comma');
  });

  it('the book models and every example analyse the same after rewriting', () => {
    for (const file of readdirSync(EXAMPLES).filter((f) => f.endsWith('.py') || f.endsWith('.ipynb'))) {
      const result = analyze(example(file), { fileName: file });
      assert.ok(result.models.length > 0, file);
    }
  });
});

describe("layout rewrites, one at a time, change no number (issue 18: statements are Python's)", function () {
  this.timeout(300_000);
  /** Each rewrite alone, so that no other one can hide what it does. */
  const LAYOUTS: Record<string, ReformatOptions> = {
    'keyword arguments on lines of their own at column 0': { column0: true },
    'every continuation line at column 0': { column0: true, breaks: true },
    'backslash continuations': { backslashes: true },
    'backslash continuations at column 0': { backslashes: true, column0: true },
    semicolons: { semicolons: true },
    'blank and comment lines inside brackets': { blankLines: true, comments: true },
    'parentheses around expressions': { parens: true },
  };
  const sources: [string, string][] = [
    ...readdirSync(EXAMPLES)
      .filter((f) => f.endsWith('.py'))
      .map((f): [string, string] => [`examples/${f}`, example(f)]),
    ...CASES.flatMap((c): [string, string][] => (c.source ? [[`real-code case ${c.name}`, c.source]] : [])),
    ...Array.from({ length: 60 }, (_, k): [string, string] => [`generated model, seed ${k + 1}`, generateModel(k + 1).source]),
  ];

  for (const [layout, options] of Object.entries(LAYOUTS))
    it(layout, () => {
      let compared = 0;
      for (const [name, source] of sources) {
        const original = analyzeCore(source);
        if (original.diagnostics.some((d) => d.code === 'syntax-error')) continue;
        let rewritten: string;
        try {
          rewritten = reformat(source, options);
        } catch {
          continue; // a real-code case Python itself refuses to tokenize
        }
        assert.deepEqual(withoutPositions(analyzeCore(rewritten)), withoutPositions(original), `${layout}: ${name}\n${rewritten}`);
        compared++;
      }
      assert.ok(compared > 100, `compared ${compared} sources`);
    });
});
