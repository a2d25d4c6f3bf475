/**
 * `npm run fuzz`: feeds `analyze` with seeded random and mutated sources — truncations, deleted or extra brackets,
 * swapped tokens, junk and NUL bytes, 1 MB lines, deep nesting, unicode identifiers — and prints how many inputs
 * ran, how many threw or failed inside (must be 0), and p50 / p99 / max time per input. Reproducible: the seed is
 * printed with every failure. Usage: tsx bench/fuzz.ts [count=100000] [seed=1]
 */
import '../test/support/pythonText'; // first: src/core imports its keras.applications as .py text
import { readdirSync } from 'node:fs';
import { analyze } from '../src/core';
import { EXAMPLES, example } from '../test/unit/support/fixtures';
import { MUTATIONS } from '../test/unit/support/mutate';
import { int, pick, rng } from '../test/unit/support/random';
import { generateModel } from '../test/unit/support/modelGenerator';

const count = Number(process.argv[2] ?? 100000);
const seed0 = Number(process.argv[3] ?? 1);
const examples = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.py'))
  .map(example);
const names = Object.keys(MUTATIONS);

/** Inputs no mutation of a small file reaches. */
const SPECIAL = [
  (r: () => number) => `x = [${'1, '.repeat(int(r, 100_000, 350_000))}]\n`,
  (r: () => number) => `y = ${'('.repeat(int(r, 100, 3000))}1${')'.repeat(int(r, 0, 3000))}\n`,
  (r: () => number) => Array.from({ length: int(r, 10, 2000) }, () => String.fromCharCode(Math.floor(r() * 0xffff))).join(''),
  (r: () => number) => `from keras import layers, models\nmodèle_𝔪 = models.Sequential([layers.Dense(${int(r, 1, 9)}, input_shape=(${int(r, 1, 9)},))])\n`,
];

function source(seed: number): string {
  const r = rng(seed);
  if (r() < 0.05) return pick(r, SPECIAL)(r);
  let src = r() < 0.5 ? pick(r, examples) : generateModel(seed).source;
  for (let k = int(r, 1, 4); k > 0; k--) src = MUTATIONS[pick(r, names)](src, r);
  return src;
}

const times: number[] = [];
const failures: string[] = [];
const slowest = { ms: 0, seed: 0 };
const started = Date.now();
for (let i = 0; i < count; i++) {
  const seed = seed0 + i;
  const src = source(seed);
  const t0 = performance.now();
  try {
    const result = analyze(src, { fileName: `fuzz-${seed % 8}.py` });
    const internal = [...result.diagnostics, ...result.models.flatMap((m) => m.diagnostics)].find((d) => d.code === 'internal-error');
    if (internal) failures.push(`seed ${seed}: internal error: ${internal.message}`);
  } catch (e) {
    failures.push(`seed ${seed}: threw ${(e as Error).stack}`);
  }
  const took = performance.now() - t0;
  times.push(took);
  if (took > slowest.ms) Object.assign(slowest, { ms: took, seed });
  if ((i + 1) % 10000 === 0) process.stderr.write(`  ${i + 1} inputs…\n`);
}
times.sort((a, b) => a - b);
const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
console.log(`fuzzed ${count} inputs (seeds ${seed0}–${seed0 + count - 1}) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(`exceptions and internal errors: ${failures.length}`);
console.log(
  `time per input: p50 ${q(0.5).toFixed(2)} ms, p99 ${q(0.99).toFixed(2)} ms, max ${times[times.length - 1].toFixed(1)} ms at seed ${slowest.seed} (aim: p99 < 50 ms)`,
);
for (const f of failures.slice(0, 10)) console.log(f);
process.exitCode = failures.length ? 1 : 0;
