// Entry point for @vscode/test-electron (`extensionTestsPath`): VS Code desktop loads this module in its extension
// host and calls run(). It runs the same compiled suites as the code-server test host, printing mocha's spec
// output and the closing `N passed, M failed` line (the repo's counting reporter). Built by
// scripts/vscode/run-electron.mjs into out/integration/electron/index.js, with the suites in out/integration/suites/.
import * as path from 'path';
import { runSuites } from '../runner/runSuites';
const CountingReporter = require('../../support/countingReporter.js');

export async function run(): Promise<void> {
  const results = await runSuites({
    suitesDir: process.env.LAYERLENS_TEST_SUITES || path.resolve(__dirname, '..', 'suites'),
    grep: process.env.LAYERLENS_TEST_GREP || undefined,
    reporter: CountingReporter,
  });
  if (results.fatal) {
    console.error(results.fatal);
    console.log('0 passed, 1 failed');
    throw new Error(results.fatal);
  }
  if (results.failures > 0) throw new Error(`${results.failures} integration test(s) failed`);
}
