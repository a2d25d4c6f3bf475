#!/usr/bin/env node
// `npm test`: every step in order, each one run even when an earlier one failed, then the total over all suites.
//
//   package       npm run package: the production build in dist/ and layerlens-<version>.vsix, the file that ships;
//                 the later steps get its path in LAYERLENS_VSIX (unless already set), so the unit tests read and
//                 the integration and e2e runners install (code-server --install-extension) that one file, even if
//                 a source changes while they run
//   typecheck     npm run typecheck
//   lint          npm run lint: typescript-eslint (floating promises, non-exhaustive switches, non-null assertions)
//   format        npm run format:check: prettier (npm run format rewrites)
//   unit          mocha (.mocharc.json: test/unit, test/browser) against that build
//   integration   scripts/vscode/run-integration.mjs, then again with --restricted
//   e2e           scripts/vscode/run-e2e.mjs
//
// Each step's output passes through as it comes. Every line `N passed, M failed` a step prints is added up; a step
// that fails without counting a failure (a build or type error, a runner that could not start) counts as one failed,
// and so does a test step that reports no count at all. The last lines are one line per step and
// `all suites: N passed, M failed` (worded so that it is not itself one more `N passed, M failed` line for
// .ci/run to add). The exit status is non-zero when any step failed.
//   --only a,b   run only these steps (names as above; `integration:restricted` for the second run)
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const mochaBin = path.join(path.dirname(require.resolve('mocha/package.json')), 'bin', 'mocha.js');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const STEPS = [
  { name: 'package', cmd: npm, args: ['run', 'package'], pin: true },
  { name: 'typecheck', cmd: npm, args: ['run', 'typecheck'] },
  { name: 'lint', cmd: npm, args: ['run', 'lint'] },
  { name: 'format', cmd: npm, args: ['run', 'format:check'] },
  { name: 'unit', cmd: process.execPath, args: [mochaBin], counts: true },
  { name: 'integration', cmd: process.execPath, args: ['scripts/vscode/run-integration.mjs'], counts: true },
  { name: 'integration:restricted', cmd: process.execPath, args: ['scripts/vscode/run-integration.mjs', '--restricted'], counts: true },
  { name: 'e2e', cmd: process.execPath, args: ['scripts/vscode/run-e2e.mjs'], counts: true },
];

const argv = process.argv.slice(2);
const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1]?.split(',') : undefined;
const steps = only ? STEPS.filter((s) => only.includes(s.name)) : STEPS;
if (only && steps.length !== only.length) {
  console.error(`test-all: unknown step in --only ${only.join(',')}; steps: ${STEPS.map((s) => s.name).join(', ')}`);
  process.exit(2);
}

const COUNT = /^(\d+) passed, (\d+) failed$/;
let current;
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    interrupted = true;
    current?.kill(sig);
  });
}

/** Runs one step, passing its output through, and returns its exit code and the counts it printed. */
function run(step) {
  return new Promise((resolve) => {
    const child = spawn(step.cmd, step.args, { cwd: repoRoot, stdio: ['inherit', 'pipe', 'pipe'] });
    current = child;
    const counts = [];
    let partial = '';
    const scan = (chunk) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop();
      for (const l of lines) {
        const m = COUNT.exec(l.replace(/\r$/, ''));
        if (m) counts.push([Number(m[1]), Number(m[2])]);
      }
    };
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      scan(d.toString('utf8'));
    });
    child.stderr.on('data', (d) => process.stderr.write(d));
    child.on('error', (e) => {
      console.error(`test-all: ${step.name} could not start: ${e.message}`);
    });
    child.on('close', (code, signal) => {
      scan('\n');
      current = undefined;
      resolve({ code: code ?? (signal ? 1 : 0), signal, counts });
    });
  });
}

const results = [];
for (const step of steps) {
  if (interrupted) break;
  console.log(
    `\n=== npm test: ${step.name} (${[path.basename(step.cmd) === path.basename(process.execPath) ? 'node' : step.cmd, ...step.args.map((a) => (a === mochaBin ? 'mocha' : a))].join(' ')}) ===\n`,
  );
  const t0 = Date.now();
  const r = await run(step);
  let passed = r.counts.reduce((s, [p]) => s + p, 0);
  let failed = r.counts.reduce((s, [, f]) => s + f, 0);
  let note = '';
  if (r.code !== 0 && failed === 0) {
    failed = 1;
    note = r.signal ? ` (killed by ${r.signal})` : ` (exit ${r.code})`;
  } else if (step.counts && r.counts.length === 0) {
    failed += 1;
    note = ' (reported no count)';
  }
  if (step.pin && r.code === 0 && !process.env.LAYERLENS_VSIX) {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    process.env.LAYERLENS_VSIX = path.join(repoRoot, `${pkg.name}-${pkg.version}.vsix`);
  }
  results.push({
    name: step.name,
    ok: r.code === 0 && failed === 0,
    passed,
    failed,
    counted: step.counts || r.counts.length > 0,
    note,
    seconds: (Date.now() - t0) / 1000,
  });
}

const passed = results.reduce((s, r) => s + r.passed, 0);
const failed = results.reduce((s, r) => s + r.failed, 0);
const width = Math.max(...results.map((r) => r.name.length));
console.log('\n=== npm test: summary ===');
for (const r of results)
  console.log(
    `  ${r.name.padEnd(width)}  ${r.ok ? 'ok  ' : 'FAIL'}  ${r.counted ? `${r.passed} passed, ${r.failed} failed` : r.ok ? '' : `${r.failed} failed`}${r.note}  [${r.seconds.toFixed(0)} s]`,
  );
if (interrupted) console.log(`  interrupted: ${steps.length - results.length} step(s) not run`);
const ok = !interrupted && results.every((r) => r.ok);
console.log(`all suites: ${passed} passed, ${failed} failed${ok ? '' : ' (npm test failed)'}`);
process.exit(ok ? 0 : 1);
