#!/usr/bin/env node
// `npm run test:electron`: the same integration suites (test/integration/suites) in VS Code desktop via
// @vscode/test-electron, on a machine that can download VS Code (it cannot here: use npm run test:integration).
// LayerLens is loaded as the extension under development (extensionDevelopmentPath = this repo, after npm run build);
// extensionTestsPath is test/integration/electron/index.ts, built to out/integration/electron/index.js, which runs
// the suites with the repo's counting reporter (spec output and `N passed, M failed`).
// On Linux without a display, run it under xvfb-run -a.
//   VSCODE_VERSION   VS Code to download (default: stable)
//   LAYERLENS_TEST_GREP   only tests whose full title matches
import path from 'node:path';
import { repoRoot } from './paths.mjs';
import { buildElectronTests, buildExtension } from './build-tests.mjs';
import { copyFolder, makeTempDir, removeDir } from './server.mjs';

const log = (m) => console.log(`[electron] ${m}`);
let tmp;
let code = 1;
try {
  const { runTests } = await import('@vscode/test-electron');
  buildExtension({ log });
  const { index, suites } = await buildElectronTests(path.join(repoRoot, 'out', 'integration'));
  log(`built ${path.relative(repoRoot, index)} and ${suites.length} suite(s)`);
  tmp = makeTempDir('layerlens-electron-');
  const workspace = copyFolder(path.join(repoRoot, 'examples'), path.join(tmp, 'workspace'));
  code = await runTests({
    version: process.env.VSCODE_VERSION || 'stable',
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: index,
    extensionTestsEnv: { LAYERLENS_TEST_GREP: process.env.LAYERLENS_TEST_GREP ?? '' },
    launchArgs: [
      workspace,
      '--disable-extensions', // other installed extensions; the one under development still loads
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      '--user-data-dir',
      path.join(tmp, 'user-data'),
      '--extensions-dir',
      path.join(tmp, 'extensions'),
    ],
  });
} catch (e) {
  console.error(`[electron] ERROR: ${e?.message ?? e}`);
  // runTests rejects when the tests fail (the reporter already printed the counts) or VS Code cannot be
  // downloaded or started (then nothing ran: count one failure so CI cannot read it as green).
  if (!/Test run failed|exit code/i.test(String(e?.message ?? e))) console.log('\n0 passed, 1 failed');
  code = 1;
} finally {
  removeDir(tmp);
}
process.exit(code);
