#!/usr/bin/env node
// `npm run test:e2e`: end-to-end specs (test/e2e/*.spec.ts) in a real VS Code workbench (code-server) driven
// through headless Chromium with playwright-core. Installs code-server if needed, packages layerlens-<version>.vsix
// unless one newer than its sources exists, then runs mocha (TypeScript through tsx) with the repo's counting
// reporter, which ends with `N passed, M failed`. Each spec starts its own code-server through
// test/e2e/support/workbench.ts and installs that one .vsix (LAYERLENS_VSIX, set here for mocha) with
// `code-server --install-extension`. Screenshots go to test-results/.
//   extra arguments go to mocha (e.g. --grep hover); LAYERLENS_VSIX installs another .vsix as it is,
//   LAYERLENS_EXTENSION_DIR another built, unpacked extension folder.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { ensureInstalled } from './install.mjs';
import { chromiumPath, repoRoot } from './paths.mjs';
import { prepareExtension } from './vsix.mjs';

const log = (m) => console.log(`[e2e] ${m}`);
const fail = (m) => {
  console.error(`[e2e] ERROR: ${m}`);
  console.log('\n0 passed, 1 failed');
  process.exit(1);
};

try {
  await ensureInstalled({ quiet: true });
  if (!existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}`);
  const ext = prepareExtension({ log });
  // Every spec installs this same file; none packages again while the specs run.
  if (ext.kind === 'vsix') process.env.LAYERLENS_VSIX = ext.path;
} catch (e) {
  fail(e.message);
}

const e2eDir = path.join(repoRoot, 'test', 'e2e');
const specs = existsSync(e2eDir)
  ? readdirSync(e2eDir)
      .filter((f) => f.endsWith('.spec.ts'))
      .sort()
      .map((f) => path.join('test', 'e2e', f))
  : [];
if (specs.length === 0) fail('no specs (test/e2e/*.spec.ts)');

const require = createRequire(import.meta.url);
const mochaBin = path.join(path.dirname(require.resolve('mocha/package.json')), 'bin', 'mocha.js');
const args = [
  mochaBin,
  '--no-config',
  '--no-package', // not the unit tests' .mocharc.json
  '--require',
  'tsx/cjs',
  '--require',
  './test/support/pythonText.ts', // src/core's keras.applications are .py files imported as text
  '--reporter',
  './test/support/countingReporter.js',
  '--timeout',
  '180000',
  '--slow',
  '10000',
  '--exit', // a stray handle must not keep CI waiting; each spec stops its own server and browser
  ...process.argv.slice(2),
  ...specs,
];
log(`mocha ${specs.join(' ')}`);
// Pass Ctrl-C / a CI timeout's SIGTERM on to mocha: server.mjs kills its code-servers when mocha gets it.
const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => {
  if (signal) {
    console.log('\n0 passed, 1 failed');
    process.exit(1);
  }
  process.exit(code ?? 1);
});
