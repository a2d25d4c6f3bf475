// LayerLens benchmark (`npm run bench`, which builds dist/ first).
//
// On a generated 20,000-line Python file with Keras Sequential models spread among ordinary code (and, side by
// side, a file of Functional models among the same code, and a model-dense file), it measures, in one run:
//   - CPython's ast.parse of the text (python3 is spawned once; it warms up, times several parses with
//     time.perf_counter and prints the median), as the yardstick;
//   - a cold analyze() (clearParseCache() before each timed run), the same number of runs;
//   - a plain full lezer parse of the whole text, for reference;
//   - analyze() of the unchanged text with a warm cache, for reference;
//   - re-analysis after a one-character edit inside one model (warm cache, as the editor does on each
//     keystroke): median and p95 over many edits, each at a different model, on the Sequential, Functional and
//     model-dense files, after the same kind of edits on three other generated files (untimed warm-up);
//   - re-analysis after the other edits people make, each of which moves every statement after it (see editKinds.mjs):
//     Enter, deleting a blank line, typing a comment line, pasting a block, lines typed at the top and below the
//     imports, an import added, a line typed key by key, and the undo of each;
//   - the heap taken by one cold analysis;
// and checks that every model the generator wrote is found, at its line, and that every edit shows in
// the result. A missed model or a stale edit is a correctness bug: it prints FAIL and exits non-zero.
// Times are only compared with the targets and printed; a missed time target never fails the run.
//
// Options: --lines N (20000)  --seed N (1)  --runs N (15)  --warmup N (3)  --edits N (50)
//          --mentions P (0.3: share of ordinary docstrings/strings that mention Sequential or model.add()
//          --json (also print the results as JSON; they are always written to bench/.data/results.json)
//
// The text handed to analyze() is always a flat string, as an editor's getText() or a file read gives:
// V8 strings built by concatenation (ropes) make character-by-character scanning markedly slower, which
// would charge the core for the benchmark's own string handling.

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { lineOf, timeEditKinds } from './editKinds.mjs';
import { DEFAULT_MENTIONS, generate } from './generate.mjs';

const require = createRequire(import.meta.url);
const { analyze, clearParseCache, rowsExtent } = require('../dist/core.js');
const { parser: lezerPython } = require('@lezer/python');

const TARGET_RATIO = 0.5; // analyze (cold) / ast.parse
const TARGET_EDIT_MS = 5; // re-analysis after one keystroke

// ---- options -----------------------------------------------------------------------------------

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) {
    console.error(`--${name} needs a positive number`);
    process.exit(2);
  }
  return Math.floor(v);
}
const LINES = option('lines', 20000);
const SEED = option('seed', 1);
const RUNS = option('runs', 15);
const WARMUP = option('warmup', 3);
const EDITS = option('edits', 50);
const JSON_OUT = process.argv.includes('--json');
const MENTIONS = (() => {
  const i = process.argv.indexOf('--mentions');
  if (i < 0) return DEFAULT_MENTIONS;
  const v = Number(process.argv[i + 1]);
  if (!(v >= 0 && v <= 1)) {
    console.error('--mentions needs a number from 0 to 1');
    process.exit(2);
  }
  return v;
})();

const here = dirname(fileURLToPath(import.meta.url));
const dataDir = join(here, '.data');

// ---- helpers -----------------------------------------------------------------------------------

const failures = [];
function fail(message) {
  failures.push(message);
  console.log(`FAIL: ${message}`);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
/** Nearest-rank percentile. */
function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
function stats(times) {
  return { median: median(times), p95: percentile(times, 95), min: Math.min(...times), max: Math.max(...times), runs: times.length };
}

/** Times fn() `runs` times after `warmup` untimed calls; setup() runs before each call, untimed. */
function timeRuns(fn, { runs = RUNS, warmup = WARMUP, setup = () => {} } = {}) {
  let keep;
  for (let i = 0; i < warmup; i++) {
    setup();
    keep = fn();
  }
  const times = [];
  for (let i = 0; i < runs; i++) {
    setup();
    const t0 = performance.now();
    keep = fn();
    times.push(performance.now() - t0);
  }
  void keep;
  return stats(times);
}

/** A flat (non-rope) copy of a string. */
function flat(s) {
  return Buffer.from(s, 'utf8').toString('utf8');
}

/** A gc() function without needing --expose-gc on the command line. */
function getGc() {
  if (typeof globalThis.gc === 'function') return globalThis.gc;
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc');
  } catch {
    return null;
  }
}

const ms = (x) => (x === null || x === undefined ? 'n/a' : `${x.toFixed(x < 10 ? 2 : 1)} ms`);
const mb = (x) => `${x < 0 ? '-' : '+'}${(Math.abs(x) / 1024 / 1024).toFixed(1)} MB`;
const ratio = (a, b) => (a === null || b === null || !b ? 'n/a' : (a / b).toFixed(2));

// ---- CPython ast.parse ---------------------------------------------------------------------------

const PYTHON = `
import ast, gc, json, platform, statistics, sys, time
path, runs, warmup = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, encoding="utf-8") as f:
    text = f.read()
for _ in range(warmup):
    ast.parse(text)
times = []
for _ in range(runs):
    t0 = time.perf_counter()
    tree = ast.parse(text)
    t1 = time.perf_counter()
    times.append((t1 - t0) * 1000.0)
    del tree
times.sort()
print(json.dumps({
    "median": statistics.median(times),
    "min": times[0],
    "max": times[-1],
    "p95": times[min(len(times) - 1, max(0, -(-95 * len(times) // 100) - 1))],
    "runs": len(times),
    "version": platform.python_version(),
    "implementation": platform.python_implementation(),
}))
`;

function timeAstParse(file) {
  const python = process.env.PYTHON || 'python3';
  const r = spawnSync(python, ['-c', PYTHON, file, String(RUNS), String(WARMUP)], { encoding: 'utf8', timeout: 120_000 });
  if (r.error) return { error: `${python}: ${r.error.message}`, missing: r.error.code === 'ENOENT' };
  if (r.status !== 0) return { error: `${python} exited ${r.status}: ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}` };
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop());
  } catch {
    return { error: `unreadable output from ${python}: ${r.stdout.slice(0, 200)}` };
  }
}

// ---- the run -----------------------------------------------------------------------------------

const t0 = performance.now();
const gen = generate({ lines: LINES, seed: SEED, mentions: MENTIONS });
mkdirSync(dataDir, { recursive: true });
const file = join(dataDir, `bench-${LINES}-${SEED}-${MENTIONS}.py`);
writeFileSync(file, gen.text);
writeFileSync(`${file}.json`, JSON.stringify({ lines: gen.lines, seed: SEED, mentions: MENTIONS, models: gen.models }, null, 2));
// Read back: the exact bytes python3 parses, as one flat string.
const text = readFileSync(file, 'utf8');
if (text !== gen.text) fail('the generated file does not read back as written');
const expected = gen.models;
/** Models analyze must find: one per Sequential call written, one per iteration for a call in a loop. */
const expectedCount = expected.reduce((s, m) => s + m.count, 0);

/** Every model the generator wrote is found, at its line, and nothing else; no syntax error on valid Python. */
function checkModels(label, result, expected) {
  const expectedCount = expected.reduce((s, m) => s + m.count, 0);
  if (result.models.length !== expectedCount) fail(`${label}: analyze found ${result.models.length} models, the generator wrote ${expectedCount}`);
  const found = new Set(result.models.map((m) => m.line));
  const wrote = new Set(expected.map((m) => m.line));
  for (const m of expected.filter((x) => !found.has(x.line)).slice(0, 10)) fail(`${label}: model written at line ${m.line} (${m.style}) was not found`);
  for (const m of result.models.filter((x) => !wrote.has(x.line)).slice(0, 10))
    fail(`${label}: analyze reported a model \`${m.name}\` at line ${m.line}, where the generator wrote none`);
  const syntax = result.diagnostics.filter((d) => d.code === 'syntax-error' || d.code === 'internal-error');
  for (const d of syntax.slice(0, 5)) fail(`${label}: ${d.code} on valid Python at line ${d.range.start.line}: ${d.message}`);
}

/**
 * Re-analysis after a one-character edit inside one model (a Dense layer's units), warm cache, as the editor
 * does on each keystroke; each edit at another model, spread over the file from its middle. Each result is
 * checked: the edit shows, and every model is still there. Returns the times and how many models were edited.
 */
function timeEdits(label, source, expected) {
  const expectedCount = expected.reduce((s, m) => s + m.count, 0);
  const lineOfEdit = lineOf(source);
  const times = [];
  const edited = new Set();
  clearParseCache();
  let current = source;
  const fileName = `${label}.py`; // the editor's document: each edit reuses the previous version's analysis
  analyze(current, { fileName }); // warm cache, as after the file was opened
  const n = expected.length;
  const order = [];
  const mid = n >> 1;
  for (let i = 0; i < EDITS && n > 0; i++) {
    const step = n >= EDITS ? Math.floor((i * n) / EDITS) : i;
    order.push((mid + step) % n);
  }
  const toggled = new Array(n).fill(false);
  for (const index of order) {
    const m = expected[index];
    edited.add(index);
    const original = m.editValue;
    const alternate = original === '9' ? '8' : String(Number(original) + 1);
    toggled[index] = !toggled[index];
    const ch = toggled[index] ? alternate : original;
    // A flat copy, untimed, like the document text an editor hands over after a keystroke.
    current = flat(current.slice(0, m.editOffset) + ch + current.slice(m.editOffset + 1));
    const s = performance.now();
    const r = analyze(current, { fileName });
    times.push(performance.now() - s);
    // The edit must show: the Dense layer at that line now has the new units.
    let start = m.editOffset;
    while (start > 0 && /\d/.test(current[start - 1])) start--;
    const units = Number(current.slice(start, m.editOffset + 1));
    const editLine = lineOfEdit(m.editOffset);
    const model = r.models.find((x) => x.line === m.line);
    const layer = model?.layers.find((l) => l.range.start.line <= editLine && l.range.end.line >= editLine);
    if (r.models.length !== expectedCount)
      fail(`${label}: after an edit at line ${editLine}, analyze found ${r.models.length} models instead of ${expectedCount}`);
    else if (!model) fail(`${label}: after an edit at line ${editLine}, the model at line ${m.line} is gone`);
    else if (!layer || layer.config.units !== units)
      fail(
        `${label}: after editing line ${editLine} to units=${units}, the layer there reads ${layer ? `units=${layer.config.units}` : 'nothing'} (stale result?)`,
      );
  }
  return { times, edited: edited.size };
}

console.log(
  `LayerLens benchmark: ${relative(process.cwd(), file)} — ${gen.lines.toLocaleString('en')} lines, ` +
    `${(text.length / 1024).toFixed(0)} KiB, ${expected.length} models (seed ${SEED}, mentions ${MENTIONS}); ${RUNS} timed runs after ${WARMUP} warm-ups`,
);

// 1. Correctness: every model written is found, at its line, and nothing else.
clearParseCache();
const first = analyze(text);
checkModels('Sequential file', first, expected);

// 2. CPython ast.parse, in a separate process (run first, while nothing else competes for the CPU).
const py = timeAstParse(file);
if (py.error) {
  if (py.missing) console.log(`note: ast.parse not measured (${py.error})`);
  else fail(`ast.parse not measured: ${py.error}`);
}
const astMs = py.error ? null : py.median;
const astMin = py.error ? null : py.min;

// 3. Cold analysis.
const cold = timeRuns(() => analyze(text), { setup: clearParseCache });

// 3b. A file where most statements build models (functions with loops, called with arguments), between
// ordinary code: the unrolling and binding must not slow a cold analysis past the same ratio.
const denseGen = generate({ lines: LINES, seed: SEED + 1, mentions: MENTIONS, minGap: 6, maxGap: 24 });
const denseFile = join(dataDir, `bench-dense-${LINES}-${SEED}.py`);
writeFileSync(denseFile, denseGen.text);
const denseText = readFileSync(denseFile, 'utf8');
const densePy = timeAstParse(denseFile);
const denseCold = timeRuns(() => analyze(denseText), { setup: clearParseCache });
{
  const want = denseGen.models.reduce((s, m) => s + m.count, 0);
  const got = analyze(denseText).models.length;
  if (got !== want) fail(`model-dense file: analyze found ${got} models, the generator wrote ${want}`);
}
const denseAst = densePy.error ? null : densePy.median;

// 3c. A file of Functional models (issue 11: Input, layers called on tensors, residual adds, concatenates, block
// helpers called in loops, keras.Model(...)) between the same ordinary code: the same cold ratio, the same checks.
const fnGen = generate({ lines: LINES, seed: SEED + 2, mentions: MENTIONS, kind: 'functional' });
const fnFile = join(dataDir, `bench-functional-${LINES}-${SEED}.py`);
writeFileSync(fnFile, fnGen.text);
const fnText = readFileSync(fnFile, 'utf8');
clearParseCache();
checkModels('Functional file', analyze(fnText), fnGen.models);
const fnPy = timeAstParse(fnFile);
const fnCold = timeRuns(() => analyze(fnText), { setup: clearParseCache });
const fnAst = fnPy.error ? null : fnPy.median;

// 4. Plain full lezer parse of the whole text.
const lezer = timeRuns(() => lezerPython.parse(text));

// 5. Warm, unchanged text (chunking, walking and propagation; no parsing).
clearParseCache();
analyze(text, { fileName: 'unchanged.py' });
const unchanged = timeRuns(() => analyze(text, { fileName: 'unchanged.py' }));

// 6. Memory of one cold analysis.
const gc = getGc();
let memory = null;
{
  let result = null;
  clearParseCache();
  if (gc) {
    gc();
    gc();
  }
  const before = process.memoryUsage().heapUsed;
  result = analyze(text);
  const during = process.memoryUsage().heapUsed - before;
  if (gc) {
    gc();
    gc();
  }
  const retained = process.memoryUsage().heapUsed - before;
  memory = { during, retained: gc ? retained : null, models: result.models.length };
  result = null;
}

// 7. Re-analysis after a one-character edit inside one model, warm cache; each edit at another model.
// Warm-up, as for every other timing here: the same edits on other generated files of each kind (other seeds), untimed, so that
// the timed edits meet compiled code, as the keystrokes of an editor session do after its first few, and not the
// compiler's first runs of the edit path. timeEdits clears every cache first: the warm-up primes no statement's parse.
for (const [label, gen] of [
  ['warm-up Sequential file', generate({ lines: LINES, seed: SEED + 100, mentions: MENTIONS })],
  ['warm-up Functional file', generate({ lines: LINES, seed: SEED + 102, mentions: MENTIONS, kind: 'functional' })],
  ['warm-up model-dense file', generate({ lines: LINES, seed: SEED + 101, mentions: MENTIONS, minGap: 6, maxGap: 24 })],
])
  timeEdits(label, flat(gen.text), gen.models);
const seqEdits = timeEdits('Sequential file', text, expected);
const editTimes = seqEdits.times;
const edit = editTimes.length ? stats(editTimes) : null;
const fnEdits = timeEdits('Functional file', fnText, fnGen.models);
const fnEdit = fnEdits.times.length ? stats(fnEdits.times) : null;
const denseEdits = timeEdits('model-dense file', denseText, denseGen.models);
const denseEdit = denseEdits.times.length ? stats(denseEdits.times) : null;

// 8. The other edits people make (Enter, deleting a line, a comment line, a pasted block, typing, and undo), which move every
// statement after them; warmed up on the warm-up files like the keystrokes above.
const KIND_EDITS = Math.max(10, EDITS * 2);
const kindArgs = { analyze, clearParseCache, flat, rowsExtent };
for (const [label, g] of [
  ['warm-up Sequential file', generate({ lines: LINES, seed: SEED + 100, mentions: MENTIONS })],
  ['warm-up model-dense file', generate({ lines: LINES, seed: SEED + 101, mentions: MENTIONS, minGap: 6, maxGap: 24 })],
])
  timeEditKinds(kindArgs, label, flat(g.text), g.models, 10, fail);
const editKinds = [
  ['Sequential file', timeEditKinds(kindArgs, 'Sequential file', text, expected, KIND_EDITS, fail)],
  ['Functional file', timeEditKinds(kindArgs, 'Functional file', fnText, fnGen.models, KIND_EDITS, fail)],
  ['model-dense file', timeEditKinds(kindArgs, 'model-dense file', denseText, denseGen.models, KIND_EDITS, fail)],
];

const totalS = (performance.now() - t0) / 1000;

// ---- report ------------------------------------------------------------------------------------

/** A table row for the edits timed on one file, beside that file's ast.parse. */
function editRow(label, e, astMedian, astMinimum) {
  return [
    label,
    ms(e?.median),
    ms(e?.p95),
    ms(e?.min),
    ms(e?.max),
    e ? ratio(e.median, astMedian) : 'n/a',
    e ? ratio(e.min, astMinimum) : 'n/a',
    e ? `< ${TARGET_EDIT_MS} ms: median ${e.median < TARGET_EDIT_MS ? 'met' : 'MISSED'}, p95 ${e.p95 < TARGET_EDIT_MS ? 'met' : 'MISSED'}` : '',
  ];
}

/** A table row for CPython's ast.parse of one file (the yardstick of the rows after it). */
function astRow(label, python) {
  const measured = !python.error;
  return [label, ms(python.median), ms(python.p95), ms(python.min), ms(python.max), measured ? '1.00' : 'n/a', measured ? '1.00' : 'n/a', ''];
}

/** A table row for cold analyses of one file, beside that file's ast.parse. */
function coldRow(label, c, python) {
  const astMedian = python.error ? null : python.median;
  const target = astMedian === null ? `<= ${TARGET_RATIO} (not measured)` : `<= ${TARGET_RATIO}: ${c.median / astMedian <= TARGET_RATIO ? 'met' : 'MISSED'}`;
  return [label, ms(c.median), ms(c.p95), ms(c.min), ms(c.max), ratio(c.median, astMedian), ratio(c.min, python.min ?? null), target];
}

const rows = [
  ['measurement', 'median', 'p95', 'min', 'max', 'vs ast.parse', 'min vs min', 'target'],
  astRow(`CPython ast.parse${py.version ? ` (${py.implementation} ${py.version})` : ''}`, py),
  coldRow('analyze(), cold (parse cache cleared)', cold, py),
  astRow(`model-dense file (${denseGen.models.length} models): ast.parse`, densePy),
  coldRow('model-dense file: analyze(), cold', denseCold, densePy),
  astRow(`Functional file (${fnGen.models.length} models): ast.parse`, fnPy),
  coldRow('Functional file: analyze(), cold', fnCold, fnPy),
  [
    'lezer full parse of the text (reference)',
    ms(lezer.median),
    ms(lezer.p95),
    ms(lezer.min),
    ms(lezer.max),
    ratio(lezer.median, astMs),
    ratio(lezer.min, astMin),
    '',
  ],
  [
    'analyze(), warm cache, unchanged text',
    ms(unchanged.median),
    ms(unchanged.p95),
    ms(unchanged.min),
    ms(unchanged.max),
    ratio(unchanged.median, astMs),
    ratio(unchanged.min, astMin),
    '',
  ],
  editRow(`analyze() after a 1-char edit (${editTimes.length} edits)`, edit, astMs, astMin),
  editRow(`Functional file: after a 1-char edit (${fnEdits.times.length} edits)`, fnEdit, fnAst, fnPy.min ?? null),
  editRow(`model-dense file: after a 1-char edit (${denseEdits.times.length} edits)`, denseEdit, denseAst, densePy.min ?? null),
];
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
console.log('');
rows.forEach((r, i) => {
  console.log(
    r
      .map((cell, c) => (c === 0 || c === r.length - 1 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd(),
  );
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
});
console.log('');
console.log(
  `memory, one cold analysis (process.memoryUsage().heapUsed): ` +
    `${memory.retained === null ? 'n/a (no gc)' : `${mb(memory.retained)} retained after GC (result and parse cache)`}, ` +
    `${mb(memory.during)} just after the call, before GC (a lower bound on what it allocates)`,
);
const diagCodes = {};
for (const m of first.models) for (const d of m.diagnostics) diagCodes[d.code] = (diagCodes[d.code] ?? 0) + 1;
const diagSummary =
  Object.entries(diagCodes)
    .map(([k, v]) => `${k} ×${v}`)
    .join(', ') || 'none';
console.log(
  `models: found ${first.models.length}, written ${expectedCount} (${expected.length} Sequential calls) — ${first.models.length === expectedCount && !failures.length ? 'OK' : 'FAIL'}; model diagnostics: ${diagSummary}`,
);
console.log(
  `edits: ${editTimes.length} one-character edits (a Dense layer's units, e.g. 64 -> 65) at ${seqEdits.edited} different models (Sequential file), ${fnEdits.times.length} at ${fnEdits.edited} (Functional file), ${denseEdits.times.length} at ${denseEdits.edited} (model-dense file), warm cache, after the same edits on three other generated files (untimed: the compiler's warm-up), each result checked`,
);
console.log('');
console.log(
  `other edits (${KIND_EDITS} of each kind per file, each at another model, and the undo of each; typing: each keystroke of a line typed at ${KIND_EDITS} models; warm cache; each result checked):`,
);
const kindRows = [['file', 'edit', 'median', 'p95', 'max', `p95 < ${TARGET_EDIT_MS} ms`]];
for (const [label, times] of editKinds)
  for (const [kind, t] of Object.entries(times)) {
    if (!t.length || kind === 'opened') continue;
    const st = stats(t);
    kindRows.push([label, kind, ms(st.median), ms(st.p95), ms(st.max), st.p95 < TARGET_EDIT_MS ? 'met' : 'MISSED']);
  }
const kindWidths = kindRows[0].map((_, c) => Math.max(...kindRows.map((r) => r[c].length)));
for (const r of kindRows) console.log(`  ${r.map((cell, c) => (c < 2 ? cell.padEnd(kindWidths[c]) : cell.padStart(kindWidths[c]))).join('  ')}`);
console.log(
  `  the first edit after a file is opened, which runs every statement group once (not a kind, not in the figures above): ${editKinds.map(([label, times]) => `${ms(times.opened[0])} (${label})`).join(', ')}`,
);
// keras.applications: a file that builds a pretrained base, analysed after an edit elsewhere in the file (the graph
// kept by its arguments) and with the graph built anew (a new argument), side by side with the book's convnet.
const convnet = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'mnist_convnet.py'), 'utf8');
const baseline = timeRuns(() => analyze(flat(convnet + `# ${Math.random()}\n`)), { runs: 20, warmup: 3 });
console.log('');
console.log(`keras.applications (median of 5; ratio to the book's convnet after an edit, ${ms(baseline.median)}):`);
for (const arch of ['VGG16', 'ResNet50', 'EfficientNetB0', 'EfficientNetB7', 'NASNetLarge']) {
  let size = 96;
  const built = timeRuns(
    () => analyze(flat(`import keras\nbase = keras.applications.${arch}(weights=None, include_top=False, input_shape=(${size++}, 331, 3))\n`)),
    {
      runs: 5,
      warmup: 1,
    },
  );
  const edited = timeRuns(() => analyze(flat(`import keras\nbase = keras.applications.${arch}(weights=None)\n# ${Math.random()}\n`)), { runs: 5, warmup: 1 });
  const layers = analyze(`import keras\nbase = keras.applications.${arch}(weights=None)\n`).models[0]?.layers.length ?? 0;
  console.log(
    `  ${arch.padEnd(15)} ${String(layers).padStart(5)} layers: built ${ms(built.median).padStart(9)} (${ratio(built.median, baseline.median)}×), ` +
      `after an edit ${ms(edited.median).padStart(9)} (${ratio(edited.median, baseline.median)}×)`,
  );
}
console.log(`total benchmark time: ${totalS.toFixed(1)} s`);

const results = {
  file: relative(process.cwd(), file),
  lines: gen.lines,
  bytes: text.length,
  seed: SEED,
  mentions: MENTIONS,
  runs: RUNS,
  warmup: WARMUP,
  modelsWritten: expectedCount,
  modelsFound: first.models.length,
  astParse: py.error ? { error: py.error } : py,
  analyzeCold: cold,
  lezerFullParse: lezer,
  analyzeUnchanged: unchanged,
  analyzeAfterEdit: edit,
  ratioColdToAst: astMs === null ? null : cold.median / astMs,
  ratioLezerToAst: astMs === null ? null : lezer.median / astMs,
  denseFile: {
    models: denseGen.models.length,
    astParse: densePy.error ? { error: densePy.error } : densePy,
    analyzeCold: denseCold,
    analyzeAfterEdit: denseEdit,
    ratioColdToAst: denseAst === null ? null : denseCold.median / denseAst,
  },
  functionalFile: {
    models: fnGen.models.length,
    astParse: fnPy.error ? { error: fnPy.error } : fnPy,
    analyzeCold: fnCold,
    analyzeAfterEdit: fnEdit,
    ratioColdToAst: fnAst === null ? null : fnCold.median / fnAst,
  },
  memory,
  editKinds: Object.fromEntries(
    editKinds.map(([label, times]) => [label, Object.fromEntries(Object.entries(times).map(([k, t]) => [k, t.length ? stats(t) : null]))]),
  ),
  failures,
};
writeFileSync(join(dataDir, 'results.json'), JSON.stringify(results, null, 2));
if (JSON_OUT) console.log(JSON.stringify(results, null, 2));

if (failures.length) {
  console.log(`\nFAIL: ${failures.length} correctness problem(s); see above.`);
  process.exit(1);
}
