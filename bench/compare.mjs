// Side by side: this build's analysis against another build's, in one process, runs alternated, so that both meet the
// same machine (these machines are noisy: two separate bench runs minutes apart differ by more than 10%).
//
//   node bench/compare.mjs --against DIR [--rounds N] [--cpu]
//
// --cpu times each analysis by the CPU time of this process (process.cpuUsage: its threads, the garbage collector's
// included) rather than the wall clock: on a machine other jobs load, the time this process waited for a core then
// stays out of the figures (what it spends competing for caches does not).
//
// DIR is another checkout of LayerLens with its dist/ built (`git worktree add DIR <ref> && cd DIR && npm ci`). For
// each bench file (Sequential, Functional, model-dense: bench/generate.mjs, the same seeds as bench/run.mjs) it times
// cold analyses and one-character edits (warm cache, each at another model) with each build in turn, N rounds, and
// prints each build's median and p95 and their ratio. Issue 18's aim: no ratio above 1.10.

import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { generate } from './generate.mjs';

const require = createRequire(import.meta.url);
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
};
const against = arg('against', null);
if (!against) {
  console.error('usage: node bench/compare.mjs --against DIR [--rounds N]   (DIR: another checkout with dist/ built)');
  process.exit(2);
}
const ROUNDS = Number(arg('rounds', 6));
const CPU = process.argv.includes('--cpu');
/** Milliseconds since an arbitrary start: the wall clock, or this process' CPU time (--cpu). */
const now = CPU
  ? () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1000;
    }
  : () => performance.now();
const builds = [
  ['this', require(resolve('dist/core.js'))],
  ['other', require(resolve(against, 'dist/core.js'))],
];

const flat = (s) => Buffer.from(s, 'utf8').toString('utf8');
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const p95 = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)];
};

const files = [
  ['Sequential', generate({ lines: 20000, seed: 1 })],
  ['Functional', generate({ lines: 20000, seed: 3, kind: 'functional' })],
  ['model-dense', generate({ lines: 20000, seed: 2, minGap: 6, maxGap: 24 })],
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

const rows = [];
for (const [label, gen] of files) {
  const text = flat(gen.text);
  const times = { this: { cold: [], edit: [] }, other: { cold: [], edit: [] } };
  // Warm-up: each build's compiler meets this kind of file before it is timed.
  for (const [, core] of builds) {
    for (let i = 0; i < 2; i++) cold(core, text);
    edits(core, text, gen.models, 0, 10);
  }
  for (let round = 0; round < ROUNDS; round++)
    for (const [name, core] of round % 2 ? [...builds].reverse() : builds) {
      for (let i = 0; i < 3; i++) times[name].cold.push(cold(core, text));
      times[name].edit.push(...edits(core, text, gen.models, round * 11, 20));
    }
  for (const kind of ['cold', 'edit']) {
    const a = times.this[kind];
    const b = times.other[kind];
    rows.push([`${label} ${kind === 'cold' ? 'cold analysis' : '1-char edit'}`, median(a), median(b), p95(a), p95(b)]);
  }
}

const ms = (x) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;
console.log(`this build (${process.cwd()}) against ${resolve(against)}, ${ROUNDS} rounds alternated${CPU ? ', CPU time' : ''}:`);
console.log(
  `${'measurement'.padEnd(28)} ${'this'.padStart(9)} ${'other'.padStart(9)} ${'ratio'.padStart(6)}   ${'p95 this'.padStart(9)} ${'other'.padStart(9)} ${'ratio'.padStart(6)}`,
);
for (const [label, ma, mb, pa, pb] of rows)
  console.log(
    `${label.padEnd(28)} ${ms(ma).padStart(9)} ${ms(mb).padStart(9)} ${(ma / mb).toFixed(2).padStart(6)}   ${ms(pa).padStart(9)} ${ms(pb).padStart(9)} ${(pa / pb).toFixed(2).padStart(6)}`,
  );
