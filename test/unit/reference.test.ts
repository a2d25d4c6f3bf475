/**
 * Issue 18, "Statements are Python's": every fast path of the analysis (statements skipped or read lazily, text
 * prefilters, statement groups, re-analysis that reuses the previous version, caches) must give what a plain walk of
 * the whole file gives. `analyze(text, { reference: true })` is that walk; here the normal analysis must equal it:
 * every model, every row's numbers, every diagnostic with its range.
 *
 * One difference is by design: the normal analysis reports the syntax errors of the statements it walks or reads,
 * and where it stopped following a loop that they run (`evaluation-limit`); the reference, of every statement
 * (parsing every statement would make a cold analysis of a large file about three times slower, and a loop that no
 * model depends on is no concern of LayerLens). So those diagnostics of the normal analysis must be among the
 * reference's, and all else must be equal.
 */
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { analyze } from '../../src/core';
import type { AnalysisResult, Diagnostic } from '../../src/core';
import { edit } from './support/edits';
import { fastPathProgram } from './support/fastPathPrograms';
import { EXAMPLES, example } from './support/fixtures';
import { comparableModel } from './support/metamorphic';
import { generateModel } from './support/modelGenerator';
import { rng } from './support/random';
import { CASES } from './support/realCodeCases';
import { checkModel } from './support/tfjsOracle';

let fileKey = 0;
/** A cold analysis: a file name never used before, so nothing of a previous version is reused. */
function normal(text: string, fileName = `reference-${fileKey++}.py`): AnalysisResult {
  return analyze(text, { fileName });
}

/** Diagnostics about statements the normal analysis has no need to read: it gives some of the reference's. */
const aboutAllStatements = (d: Diagnostic) => d.code === 'syntax-error' || d.code === 'evaluation-limit';

/** CPython's words for a bracket that does not pair up (see src/core/python/syntaxErrors.ts). */
const BRACKET_ERROR = /was never closed|does not match opening parenthesis|^unmatched '/;

/** Files compared, and those excused for a syntax error in a statement the normal analysis does not read. */
const compared = { all: 0, excused: 0 };

/**
 * The normal analysis' result equals the reference's, up to the diagnostics about statements it does not read. Where
 * one of those holds a syntax error (an edit chain's half-typed code), Python would run nothing of the file, and the
 * normal analysis, which finds what a statement it does not read binds from its text, may read the broken statement
 * otherwise than the parser's error recovery does: such a file may differ (counted, and asserted to be rare).
 */
function assertSameAsReference(got: AnalysisResult, text: string, label: string, fileName = 'reference.py'): void {
  const want = analyze(text, { fileName, reference: true });
  const given = new Set(got.diagnostics.filter(aboutAllStatements).map((d) => JSON.stringify(d)));
  const all = want.diagnostics.filter(aboutAllStatements).map((d) => JSON.stringify(d));
  for (const d of given) assert.ok(all.includes(d), `${label}: a diagnostic the reference does not give: ${d}\n${text}`);
  compared.all++;
  try {
    assert.deepStrictEqual(got.models, want.models, `${label}: models\n${text}`);
    const rest = (r: AnalysisResult) => r.diagnostics.filter((d) => !aboutAllStatements(d));
    assert.deepStrictEqual(rest(got), rest(want), `${label}: diagnostics\n${text}`);
  } catch (e) {
    // A bracket's syntax error is reported for every statement, read or not (brackets decide where statements end), so
    // the normal analysis giving it does not say that it read the statement.
    const unread = (d: Diagnostic) => d.code === 'syntax-error' && (!given.has(JSON.stringify(d)) || BRACKET_ERROR.test(d.message));
    if (!want.diagnostics.some(unread)) throw e;
    compared.excused++;
  }
}

describe('the normal analysis equals the reference analysis (a plain walk of the whole file)', function () {
  this.timeout(600_000);
  let generated: string[] = [];
  before(async () => {
    const { generate } = await import('../../bench/generate.mjs');
    generated = [
      generate({ lines: 400, seed: 21 }).text,
      generate({ lines: 400, seed: 22, kind: 'functional', minGap: 40, maxGap: 120 }).text,
      generate({ lines: 400, seed: 23, minGap: 6, maxGap: 24 }).text,
    ];
  });
  const examples = readdirSync(EXAMPLES);

  it('on every example, every real-code case and the bench’s generated files', () => {
    for (const name of examples) assertSameAsReference(normal(example(name), `reference-${fileKey++}-${name}`), example(name), name, name);
    for (const c of CASES) {
      if (c.source) assertSameAsReference(normal(c.source), c.source, c.name);
      if (c.cells) {
        const notebook = JSON.stringify({ cells: c.cells.map((source) => ({ cell_type: 'code', source })) });
        assertSameAsReference(normal(notebook, `reference-${fileKey++}.ipynb`), notebook, c.name, 'case.ipynb');
      }
    }
    generated.forEach((text, i) => assertSameAsReference(normal(text), text, `generated file ${i}`));
  });

  it('on 400 random models', () => {
    for (let seed = 1; seed <= 400; seed++) assertSameAsReference(normal(generateModel(seed).source), generateModel(seed).source, `model seed ${seed}`);
  });

  it('on 600 random programs that stress the fast paths', () => {
    let models = 0;
    for (let seed = 1; seed <= 600; seed++) {
      const text = fastPathProgram(seed);
      const got = normal(text);
      models += got.models.length;
      assertSameAsReference(got, text, `program seed ${seed}`);
    }
    // They make models (not only unknowns): more than one a program on average.
    assert.ok(models > 600, `${models} models`);
  });

  describe('along chains of seeded edits (the incremental analysis against the reference)', () => {
    const realCode = CASES.flatMap((c) => (c.source ? [c.source] : [])).join('\n\n');
    const programs = Array.from({ length: 40 }, (_x, i) => fastPathProgram(1000 + i));

    function chains(label: string, sources: () => string[], seeds: number, steps: number) {
      it(`${label}: ${seeds} chains of ${steps} edits`, () => {
        const all = sources();
        for (let seed = 1; seed <= seeds; seed++) {
          const r = rng(seed * 6271);
          let text = all[(seed - 1) % all.length];
          const history: string[] = [];
          const fileName = `chain-${fileKey++}.py`;
          assertSameAsReference(analyze(text, { fileName }), text, `${label} seed ${seed}, start`);
          for (let step = 0; step < steps; step++) {
            // Undo now and then (the editor hands back an earlier text).
            const next = history.length && r() < 0.1 ? history.pop()! : edit(text, r, all);
            history.push(text);
            text = next;
            assertSameAsReference(analyze(text, { fileName }), text, `${label} seed ${seed}, step ${step}`);
          }
        }
      });
    }

    chains('the examples', () => examples.filter((f) => f.endsWith('.py')).map(example), 12, 30);
    chains('the real-code cases in one file', () => [realCode], 2, 12);
    chains('generated Sequential, Functional and model-dense files', () => generated, 6, 30);
    chains('programs that stress the fast paths', () => programs, 40, 30);

    it('excused few files for a syntax error in a statement the normal analysis does not read', () => {
      assert.ok(compared.excused < compared.all / 20, `${compared.excused} of ${compared.all}`);
    });
  });
});

const HEAD = 'import os\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n';

/** The model without its positions and with one name, to compare a file's model with the same model written plainly. */
const comparable = comparableModel;

describe('what the differential test found, fixed in the fast path', () => {
  /** Files whose model the normal analysis got wrong (the reference got it right), and the model written plainly. */
  const CASES_FOUND: { what: string; source: string; plain: string; model?: string }[] = [
    {
      what: 'a method called through an instance changes what a later model reads (the class makes no model; issue 21)',
      source: `${HEAD}class Cfg:\n    def __init__(self):\n        self.units = 4\n\n    def double(self):\n        self.units *= 2\n\n\ncfg = Cfg()\ncfg.double()\nmodel = keras.Sequential([layers.Input(shape=(4,)), layers.Dense(cfg.units)])\n`,
      plain: `${HEAD}model = keras.Sequential([layers.Input(shape=(4,)), layers.Dense(8)])\n`,
    },
    {
      what: 'a method called through an instance inside a function the file calls (issue 21)',
      source: `${HEAD}class Cfg:\n    def __init__(self):\n        self.units = 4\n\n    def double(self):\n        self.units = self.units * 2\n\n\ndef prepare(c):\n    c.double()\n    c.double()\n\n\ncfg = Cfg()\nprepare(cfg)\nmodel = keras.Sequential([layers.Input(shape=(4,)), layers.Dense(cfg.units)])\n`,
      plain: `${HEAD}model = keras.Sequential([layers.Input(shape=(4,)), layers.Dense(16)])\n`,
    },
    {
      what: 'a list extended with += at module level (issue 18, case 5)',
      source: `${HEAD}blocks = [layers.Input(shape=(28, 28, 1)), layers.Conv2D(8, 3)]\nblocks += [layers.Flatten(), layers.Dense(10)]\nmodel = keras.Sequential(blocks)\n`,
      plain: `${HEAD}model = keras.Sequential([layers.Input(shape=(28, 28, 1)), layers.Conv2D(8, 3), layers.Flatten(), layers.Dense(10)])\n`,
    },
    {
      what: 'a plain list extended with += at module level (issue 18, case 5)',
      source: `${HEAD}sizes = [2]\nsizes += [2, 3]\nmodel = keras.Sequential([layers.Input(shape=(4,)), layers.Dense(len(sizes))])\n`,
      plain: `${HEAD}model = keras.Sequential([layers.Input(shape=(4,)), layers.Dense(3)])\n`,
    },
    {
      what: 'a constant updated with += before the model reads it',
      source: `${HEAD}IMG, UNITS = 4, 7\nUNITS += 7\nmodel = keras.Sequential([layers.Input(shape=(IMG,)), layers.Dense(UNITS)])\n`,
      plain: `${HEAD}model = keras.Sequential([layers.Input(shape=(4,)), layers.Dense(14)])\n`,
    },
    {
      what: 'a helper defined after the builder that calls it',
      source: `${HEAD}def build_model():\n    return keras.Sequential([keras.Input(shape=(16,))] + make_head(4))\n\n\ndef make_head(n):\n    return [layers.Dense(n), layers.Softmax()]\n\n\nmodel = build_model()\n`,
      plain: `${HEAD}model = keras.Sequential([keras.Input(shape=(16,)), layers.Dense(4), layers.Softmax()])\n`,
    },
    {
      what: 'a second model of a list, with a layer appended after the first model',
      source: `${HEAD}blocks = [keras.Input(shape=(4,)), layers.Dense(3)]\nsmall = keras.Sequential(blocks)\nblocks.append(layers.Dense(5))\nlarge = keras.Sequential(blocks)\n`,
      plain: `${HEAD}model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3), layers.Dense(5)])\n`,
      model: 'large',
    },
    {
      what: 'len() of a list that is appended to after the read',
      source: `${HEAD}sizes = [2]\nhead = []\nhead.append(layers.Dense(len(sizes)))\nsizes.append(7)\nmodel = keras.Sequential([keras.Input(shape=(4,))] + head)\n`,
      plain: `${HEAD}model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(1)])\n`,
    },
    {
      what: 'a list bound again: the changes of the first binding stop there',
      source: `${HEAD}sizes = [2]\nsizes += [4, 5]\nextra = []\nextra.append(layers.Dense(len(sizes)))\nsizes = [2]\nsizes.append(1)\nextra.append(layers.Dense(len(sizes)))\nmodel = keras.Sequential([keras.Input(shape=(4,))] + extra)\n`,
      plain: `${HEAD}model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3), layers.Dense(2)])\n`,
    },
  ];

  for (const c of CASES_FOUND)
    it(c.what, () => {
      const got = normal(c.source);
      assertSameAsReference(got, c.source, c.what);
      const model = c.model ? got.models.find((m) => m.name === c.model) : got.models[got.models.length - 1];
      assert.ok(model, JSON.stringify(got.models.map((m) => m.name)));
      assert.ok(model.layers.length > 0 && model.layers.every((l) => l.outputShape && l.params !== null), JSON.stringify(model.diagnostics));
      assert.deepEqual(checkModel(model, { run: true }).mismatches, []);
      const plain = normal(c.plain).models;
      assert.equal(plain.length, 1);
      assert.deepEqual(comparable(model), comparable(plain[0]));
    });

  it('an if that does not bind the name on the path it takes leaves it undefined, and says so', () => {
    const source = `${HEAD}N = 6\nif N > 8:\n    IMG = 7\nelse:\n    OTHER = 4\nmodel = keras.Sequential([layers.Input(shape=(IMG,)), layers.Dense(2)])\n`;
    const got = normal(source);
    assertSameAsReference(got, source, 'undefined on the path taken');
    assert.match(got.models[0].diagnostics[0].message, /`IMG` .*it is not defined in this file/);
  });

  it('a star import after a lazily read statement is not seen by it', () => {
    const source = `${HEAD}UNITS = DEPTH + 2\nfrom tensorflow.keras.layers import *\nmodel = keras.Sequential([layers.Input(shape=(UNITS,)), layers.Dense(2)])\n`;
    const got = normal(source);
    assertSameAsReference(got, source, 'star import after');
    assert.match(got.models[0].diagnostics[0].message, /`DEPTH` .*it is not defined in this file/);
  });

  it('+= on a list under a condition LayerLens cannot decide: the layers it adds are conditional, not certain', () => {
    const source = `${HEAD}blocks = [layers.Input(shape=(8,)), layers.Dense(4)]\nif os.environ.get("DEEP"):\n    blocks += [layers.Dense(4)]\nmodel = keras.Sequential(blocks)\n`;
    const got = normal(source);
    assertSameAsReference(got, source, '+= under if');
    const conditional = /"conditional-layer","message":"This layer is added inside `if`/;
    assert.match(JSON.stringify(got.models[0].diagnostics), conditional);
    assert.deepEqual(
      got.models[0].layers.map((l) => [l.params, l.timesUnknown ?? false]),
      [
        [36, false],
        [20, true],
      ],
    );
    // Inside a function, as at module level.
    const inFunction = `${HEAD}def build():\n    blocks = [layers.Input(shape=(8,)), layers.Dense(4)]\n    if os.environ.get("DEEP"):\n        blocks += [layers.Dense(4)]\n    return keras.Sequential(blocks)\n\n\nmodel = build()\n`;
    assert.match(JSON.stringify(normal(inFunction).models[0].diagnostics), conditional);
  });

  it('a model appended to a list after the list was first read', () => {
    const source = `${HEAD}blocks = [keras.Input(shape=(8,)), layers.Dense(4)]\nfirst = keras.Sequential(blocks)\nextra = keras.Sequential([layers.Dense(6)])\nblocks.append(extra)\nsecond = keras.Sequential(blocks)\n`;
    const got = normal(source);
    assertSameAsReference(got, source, 'model appended later');
    const second = got.models.find((m) => m.name === 'second');
    assert.deepEqual(
      second?.layers.map((l) => [l.name, l.outputShape, l.params]),
      [
        ['dense', [null, 4], 36],
        ['extra', [null, 6], 30],
      ],
    );
  });

  it('models appended to one list by several groups, and a model reading the list after them, along edits', () => {
    // Each loop is a group of its own (it only appends to CANDIDATES); the model reading len(CANDIDATES) joins them all.
    const loop = (i: number) =>
      `for rate_${i} in (0.1, 0.2):\n    cand_${i} = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(${i + 2}), layers.Dropout(rate_${i})])\n    CANDIDATES.append(cand_${i})\n\n`;
    const reader = 'reader = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(len(CANDIDATES))])\n';
    const early = 'early = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(len(CANDIDATES) + 1)])\n\n';
    let text = `${HEAD}CANDIDATES = []\n\n${loop(1)}${early}${loop(2)}${loop(3)}${reader}`;
    const fileName = `appends-${fileKey++}.py`;
    const units = (got: AnalysisResult, name: string) => got.models.find((m) => m.name === name)?.layers.at(-1)?.outputShape;
    const edits: [string, (t: string) => string][] = [
      ['start', (t) => t],
      ['a number in the second loop', (t) => t.replace('layers.Dense(4)', 'layers.Dense(14)')],
      ['a line added in the first loop', (t) => t.replace('    CANDIDATES.append(cand_1)', '\n    CANDIDATES.append(cand_1)')],
      ['the third loop appends twice', (t) => t.replace('    CANDIDATES.append(cand_3)', '    CANDIDATES.append(cand_3)\n    CANDIDATES.append(cand_3)')],
      ['the reader edited', (t) => t.replace('len(CANDIDATES))])', 'len(CANDIDATES) * 2)])')],
      ['the list made anew', (t) => t.replace('CANDIDATES = []', 'CANDIDATES = [None]')],
    ];
    const expected = [
      [6, 3],
      [6, 3],
      [6, 3],
      [8, 3],
      [16, 3],
      [18, 4],
    ];
    edits.forEach(([label, change], k) => {
      text = change(text);
      const got = analyze(text, { fileName });
      assertSameAsReference(got, text, label, fileName);
      assert.deepEqual([units(got, 'reader')?.[1], units(got, 'early')?.[1]], expected[k], label);
    });
  });

  it('lines typed below, above and between the imports keep the groups (moved, not run again) and equal the reference', () => {
    const text = `${HEAD}\nsmall = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3)])\n\nlarge = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(5), layers.Dense(2)])\n`;
    const fileName = `below-imports-${fileKey++}.py`;
    analyze(text, { fileName });
    let current = `${text}\n`;
    analyze(current, { fileName });
    const edits: [string, (t: string) => string][] = [
      ['a comment below the imports', (t) => t.replace(HEAD, `${HEAD}# a comment\n`)],
      ['a blank line below them', (t) => t.replace(HEAD, `${HEAD}\n`)],
      ['two comment lines below them', (t) => t.replace(HEAD, `${HEAD}# another\n# and one more\n`)],
      ['a line above them', (t) => `# the first line\n${t}`],
      ['a blank line between two of them', (t) => t.replace('import os\n', 'import os\n\n')],
    ];
    for (const [typed, change] of edits) {
      current = change(current);
      const got = analyze(current, { fileName });
      // Kept and moved: the rows of a moved model are moved when first read (an accessor until then; the comparison
      // with the reference reads them).
      assert.ok(
        got.models.every((m) => Object.getOwnPropertyDescriptor(m, 'layers')?.get),
        `every group kept after ${typed}`,
      );
      assertSameAsReference(got, current, typed, fileName);
    }
  });

  it('an import typed character by character: the groups that read none of its names are kept, and each step equals the reference', () => {
    const text = `${HEAD}\nwide = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(int(np.prod((2, 3))))])\n\nplain = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(5)])\n`;
    const fileName = `typed-import-${fileKey++}.py`;
    analyze(text, { fileName });
    let before = analyze(`${text}\n`, { fileName });
    const line = 'import numpy as np\n';
    for (let k = 1; k <= line.length; k++) {
      const current = `${text.replace(HEAD, `${HEAD}${line.slice(0, k)}`)}\n`;
      const got = analyze(current, { fileName });
      // Kept: the same model as before (an edit within a line moves no row), or moved (an accessor until its rows are read).
      const kept = (name: string) => {
        const model = got.models.find((m) => m.name === name);
        return model !== undefined && (model === before.models.find((m) => m.name === name) || Boolean(Object.getOwnPropertyDescriptor(model, 'layers')?.get));
      };
      // Once the statement is an import, the model that reads none of its words is kept (compared where this step and
      // the one before parse: a syntax error in the file gives its models a note, so new objects).
      const parses = (r: AnalysisResult) => !r.diagnostics.some((d) => d.code === 'syntax-error');
      if (k > 'import'.length && parses(got) && parses(before)) assert.ok(kept('plain'), `plain kept at ${JSON.stringify(line.slice(0, k))}`);
      assertSameAsReference(got, current, `typed ${JSON.stringify(line.slice(0, k))}`, fileName);
      before = got;
    }
    // Imports that bind one name in another order, with one more added by the same edit: the later binding wins, so
    // every group may read otherwise (equal to the reference is what counts here).
    const aliases = (order: string) => `${text.replace(HEAD, `${HEAD}${order}`)}\nlm = keras.Sequential([keras.Input(shape=(4,)), L.Dense(3)])\n`;
    analyze(aliases('import os as L\nfrom tensorflow.keras import layers as L\n'), { fileName });
    analyze(`${aliases('import os as L\nfrom tensorflow.keras import layers as L\n')}\n`, { fileName });
    const swapped = `${aliases('from tensorflow.keras import layers as L\nimport os as L\nimport sys\n')}\n`;
    const reordered = analyze(swapped, { fileName });
    assertSameAsReference(reordered, swapped, 'two imports of one name swapped, one added', fileName);
    assert.equal(reordered.models.find((m) => m.name === 'lm')?.layers.at(-1)?.outputShape, null, 'L is os now: its Dense is unknown');
    // A star import reaches every group: none is kept.
    const star = `${text.replace(HEAD, `${HEAD}from numpy import *\n`)}\n`;
    const got = analyze(star, { fileName });
    assert.ok(
      got.models.every((m) => !Object.getOwnPropertyDescriptor(m, 'layers')?.get),
      'a star import runs every group again',
    );
    assertSameAsReference(got, star, 'a star import', fileName);
  });

  it('a star import between a list and a change of it is seen by the change', () => {
    const source = `${HEAD}blocks = [layers.Input(shape=(8,))]\nfrom tensorflow.keras.layers import *\nblocks.append(Dense(3))\nmodel = keras.Sequential(blocks)\n`;
    const got = normal(source);
    assertSameAsReference(got, source, 'star import before a change');
    assert.deepEqual(
      got.models[0].layers.map((l) => l.params),
      [27],
    );
  });

  it('a statement that only names a model is not read by itself (a known difference, README Limits)', () => {
    const source = `import numpy as np\n${HEAD}net = keras.Sequential([layers.Dense(4)])\nmodel = net\nmodel(np.zeros((1, 8)))\n`;
    const got = normal(source);
    assert.equal(got.models[0].inputShape, null);
    assert.deepEqual(analyze(source, { reference: true }).models[0].inputShape, [1, 8]);
  });

  it('an if that binds a name on one path only: the other keeps the value before it', () => {
    const source = `${HEAD}UNITS = 32\nif os.environ.get("FULL"):\n    pass\nelse:\n    UNITS = 4\nmodel = keras.Sequential([layers.Input(shape=(8,)), layers.Dense(UNITS)])\n`;
    const got = normal(source);
    assertSameAsReference(got, source, 'one path binds');
    assert.equal(got.models[0].layers[0].params, null);
    assert.match(got.models[0].diagnostics[0].message, /`UNITS` .*set under `if`/);
  });
});
