// The test-host extension. It does nothing unless a test run asks for it, either
//   - through the environment of the extension host (code-server passes its own environment on):
//     LAYERLENS_TEST_RESULTS=<result file> [LAYERLENS_TEST_SUITES=<dir of *.test.js>] [LAYERLENS_TEST_GREP=<regexp>]
//   - or through a request file in a workspace folder, `.layerlens-test/request.json`:
//     { "results": "<result file>", "suitesDir"?: "...", "grep"?: "..." }
// It then runs the compiled suites with mocha (bundled into this extension), appends progress events to
// `<result file>.events.jsonl`, and writes the result file (see ../../runner/runSuites.ts for its shape)
// atomically; the file appearing signals completion.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { runSuites, writeResults, SuiteResults } from '../../runner/runSuites';

interface Request {
  results: string;
  suitesDir: string;
  grep?: string;
  source: 'env' | 'request-file';
}

function findRequest(context: vscode.ExtensionContext): Request | undefined {
  const defaultSuites = path.join(context.extensionPath, 'suites');
  const env = process.env;
  if (env.LAYERLENS_TEST_RESULTS) {
    return {
      results: env.LAYERLENS_TEST_RESULTS,
      suitesDir: env.LAYERLENS_TEST_SUITES || defaultSuites,
      grep: env.LAYERLENS_TEST_GREP || undefined,
      source: 'env',
    };
  }
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') continue;
    const file = path.join(folder.uri.fsPath, '.layerlens-test', 'request.json');
    if (!fs.existsSync(file)) continue;
    const req = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Request>;
    if (!req.results) continue;
    return { results: req.results, suitesDir: req.suitesDir || defaultSuites, grep: req.grep, source: 'request-file' };
  }
  return undefined;
}

export function activate(context: vscode.ExtensionContext): void {
  let request: Request | undefined;
  try {
    request = findRequest(context);
  } catch (e) {
    console.error('[layerlens-test-host] unreadable request:', e);
    return;
  }
  if (!request) return;
  // Every connected window has its own extension host: only the first one runs the suites.
  try {
    fs.mkdirSync(path.dirname(request.results), { recursive: true });
    fs.writeFileSync(`${request.results}.lock`, String(process.pid), { flag: 'wx' });
  } catch {
    return;
  }
  const req = request;
  // Stack traces of failing tests point into the TypeScript suites (the bundles carry inline source maps).
  process.setSourceMapsEnabled?.(true);
  // Run after activation returns, so the host is not reported as slow to activate and other extensions start.
  setTimeout(() => {
    void run(req);
  }, 0);
}

async function run(req: Request): Promise<void> {
  let results: SuiteResults;
  try {
    // Progress as JSON lines beside the result file: the runner prints tests as they finish and, on a hang,
    // which test was running.
    const events = `${req.results}.events.jsonl`;
    results = await runSuites({
      suitesDir: req.suitesDir,
      grep: req.grep,
      captureConsole: true,
      onEvent: (e) => fs.appendFileSync(events, JSON.stringify(e) + '\n'),
    });
  } catch (e) {
    results = {
      passes: 0,
      failures: 0,
      pending: 0,
      tests: [],
      console: [],
      files: [],
      durationMs: 0,
      fatal: `the test host crashed: ${e instanceof Error ? e.stack : String(e)}`,
    };
  }
  const info = {
    vscodeVersion: vscode.version,
    appName: vscode.env.appName,
    requestSource: req.source,
    extensionHostPid: process.pid,
    node: process.version,
  };
  try {
    writeResults(req.results, { ...results, ...info } as SuiteResults);
  } catch (e) {
    console.error('[layerlens-test-host] cannot write results:', e);
  }
}

export function deactivate(): void {}
