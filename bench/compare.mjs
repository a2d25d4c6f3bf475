// Side by side: this build's analysis against another build's, runs alternated, so that both meet the same machine
// (these machines are noisy: two separate bench runs minutes apart differ by more than 10%). Each run is a process of
// its own that loads one build, as the editor's extension host does: two builds in one process share its heap and its
// collector, and the same build compared with itself that way came out 6% apart.
//
//   node bench/compare.mjs --against DIR [--rounds N] [--cpu]
//
// --cpu times each analysis by the CPU time of its process (process.cpuUsage: its threads, the garbage collector's
// included) rather than the wall clock: on a machine other jobs load, the time a process waited for a core then
// stays out of the figures (what it spends competing for caches does not).
//
// DIR is another checkout of LayerLens with its dist/ built (`git worktree add DIR <ref> && cd DIR && npm ci`). For
// each bench file (Sequential, Functional, model-dense: bench/generate.mjs, the same seeds as bench/run.mjs) each round
// starts one process per build, in turn (the order swapped every round); each warms up, then times 5 cold analyses and
// 20 one-character edits (warm cache, each at another model). It prints each build's median and p95 over the rounds
// and their ratio. Issue 18's aim: no ratio above 1.10.

import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './generate.mjs';

const require = createRequire(import.meta.url);
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
};
const CPU = process.argv.includes('--cpu');
/** Milliseconds since an arbitrary start: the wall clock, or this process' CPU time (--cpu). */
const now = CPU
  ? () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1000;
    }
  : () => performance.now();

const flat = (s) => Buffer.from(s, 'utf8').toString('utf8');
const FILES = [
  ['Sequential', { lines: 20000, seed: 1 }],
  ['Functional', { lines: 20000, seed: 3, kind: 'functional' }],
  ['model-dense', { lines: 20000, seed: 2, minGap: 6, maxGap: 24 }],
];

/** One cold analysis. */
function cold({ analyze, clearParseCache }, text) {
  clearParseCache();
  const t = now();
  analyze(text);
  return now() - t;
}

/** One-character edits at `count` models from `start`, warm cache (as bench/run.mjs times them). */
function edits({ analyze, clearParseCache }, text, models, start, count) {
  clearParseCache();
  let current = text;
  analyze(current, { fileName: 'compare.py' });
  const times = [];
  for (let i = 0; i < count; i++) {
    const m = models[(start + i * 7) % models.length];
    const ch = current[m.editOffset] === '9' ? '8' : String((Number(current[m.editOffset]) + 1) % 10 || 1);
    current = flat(current.slice(0, m.editOffset) + ch + current.slice(m.editOffset + 1));
    const t = now();
    analyze(current, { fileName: 'compare.py' });
    times.push(now() - t);
  }
  return times;
}

// A child: one build, one bench file, one round; prints its timings as JSON.
const child = arg('child', null);
if (child) {
  const core = require(resolve(child, 'dist/core.js'));
  const gen = generate(FILES[Number(arg('file', 0))][1]);
  const text = flat(gen.text);
  const round = Number(arg('round', 0));
  // Warm-up: the compiler meets this kind of file, and its edits, before they are timed.
  for (let i = 0; i < 6; i++) cold(core, text);
  edits(core, text, gen.models, 0, 20);
  const times = { cold: [0, 1, 2, 3, 4].map(() => cold(core, text)), edit: edits(core, text, gen.models, round * 11, 20) };
  console.log(JSON.stringify(times));
  process.exit(0);
}

const against = arg('against', null);
if (!against) {
  console.error('usage: node bench/compare.mjs --against DIR [--rounds N] [--cpu]   (DIR: another checkout with dist/ built)');
  process.exit(2);
}
const ROUNDS = Number(arg('rounds', 6));
const builds = [
  ['this', process.cwd()],
  ['other', resolve(against)],
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const p95 = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)];
};

const self = fileURLToPath(import.meta.url);
const rows = [];
FILES.forEach(([label], file) => {
  const times = { this: { cold: [], edit: [] }, other: { cold: [], edit: [] } };
  for (let round = 0; round < ROUNDS; round++)
    for (const [name, dir] of round % 2 ? [...builds].reverse() : builds) {
      const args = [self, '--child', dir, '--file', String(file), '--round', String(round), ...(CPU ? ['--cpu'] : [])];
      const run = JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 }));
      times[name].cold.push(...run.cold);
      times[name].edit.push(...run.edit);
    }
  for (const kind of ['cold', 'edit']) {
    const a = times.this[kind];
    const b = times.other[kind];
    rows.push([`${label} ${kind === 'cold' ? 'cold analysis' : '1-char edit'}`, median(a), median(b), p95(a), p95(b)]);
  }
});

const ms = (x) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;
console.log(`this build (${process.cwd()}) against ${resolve(against)}, ${ROUNDS} rounds alternated, a process per build and round${CPU ? ', CPU time' : ''}:`);
console.log(
  `${'measurement'.padEnd(28)} ${'this'.padStart(9)} ${'other'.padStart(9)} ${'ratio'.padStart(6)}   ${'p95 this'.padStart(9)} ${'other'.padStart(9)} ${'ratio'.padStart(6)}`,
);
for (const [label, ma, mb, pa, pb] of rows)
  console.log(
    `${label.padEnd(28)} ${ms(ma).padStart(9)} ${ms(mb).padStart(9)} ${(ma / mb).toFixed(2).padStart(6)}   ${ms(pa).padStart(9)} ${ms(pb).padStart(9)} ${(pa / pb).toFixed(2).padStart(6)}`,
  );
