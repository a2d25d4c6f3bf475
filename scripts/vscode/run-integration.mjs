#!/usr/bin/env node
// Integration tests inside a real extension host (code-server + headless Chromium), for `npm run test:integration`.
//
// Builds the test-host extension (test/integration/host, mocha bundled) with the suites
// (test/integration/suites/*.test.ts) unpacked into a fresh extensions folder, installs LayerLens's .vsix there with
// `code-server --install-extension` as a user does (layerlens-<version>.vsix, packaged by npm run package unless one
// newer than its sources exists), copies examples/ into a temporary workspace, starts code-server with
// LAYERLENS_TEST_RESULTS=<file> in its environment (its extension host inherits it), and opens the workbench in
// headless Chromium (an extension host only starts when a workbench connects). The test host runs the suites and
// writes the result file; this script prints it like mocha's spec reporter, ending with the line
// `N passed, M failed`, and exits non-zero on any failure or on timeout. code-server and the browser are always
// stopped.
//
// Options / environment:
//   --grep <regexp>             only tests whose full title matches (LAYERLENS_TEST_GREP)
//   --timeout <seconds>         for the whole run inside the extension host, default 300 (LAYERLENS_TEST_TIMEOUT)
//   --request-file              pass the request through <workspace>/.layerlens-test/request.json instead of the environment
//   --keep                      keep the temporary folder (always kept on failure)
//   --restricted                workspace trust on and the workspace untrusted (Restricted Mode); runs only the
//                               suite titled "restricted mode", which is skipped in a normal run
//   LAYERLENS_VSIX              install this .vsix as it is instead of this repo's (no packaging)
//   LAYERLENS_EXTENSION_DIR     install this built, unpacked extension folder instead (harness checks)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureInstalled } from './install.mjs';
import { repoRoot } from './paths.mjs';
import { buildHostExtension } from './build-tests.mjs';
import { prepareExtension } from './vsix.mjs';
import { copyFolder, installExtension, launchBrowser, makeTempDir, openWorkbench, removeDir, startCodeServer } from './server.mjs';

const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const restricted = argv.includes('--restricted');
const grep = opt('--grep') ?? process.env.LAYERLENS_TEST_GREP ?? (restricted ? '^restricted mode' : undefined);
const timeoutS = Number(opt('--timeout') ?? process.env.LAYERLENS_TEST_TIMEOUT ?? 300);
const useRequestFile = argv.includes('--request-file');
const keep = argv.includes('--keep') || process.env.LAYERLENS_KEEP_TMP === '1';

const log = (m) => console.log(`[integration${restricted ? ', restricted mode' : ''}] ${m}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let server, browser, tmp;
let cleaning = null;
async function cleanup() {
  cleaning ??= (async () => {
    try {
      await browser?.close();
    } catch {
      /* already gone */
    }
    try {
      await server?.stop();
    } catch {
      /* already gone */
    }
  })();
  return cleaning;
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, async () => {
    console.error(`\n[integration] ${sig}: stopping code-server and the browser`);
    await cleanup();
    if (tmp && !keep) removeDir(tmp);
    console.log('\n0 passed, 1 failed');
    process.exit(130);
  });
}

// Spec-reporter-like output, printed live from the progress events: suites nested, ✔ / numbered failure / - pending.
class LivePrinter {
  constructor(file) {
    this.file = file;
    this.offset = 0;
    this.buf = '';
    this.failures = [];
    this.passes = 0;
    this.pending = 0;
    this.current = undefined;
  }
  poll() {
    if (!existsSync(this.file)) return;
    const data = readFileSync(this.file);
    if (data.length <= this.offset) return;
    this.buf += data.subarray(this.offset).toString('utf8');
    this.offset = data.length;
    const lines = this.buf.split('\n');
    this.buf = lines.pop();
    for (const l of lines)
      if (l.trim()) {
        try {
          this.event(JSON.parse(l));
        } catch {
          /* torn line */
        }
      }
  }
  event(e) {
    const depth = e.titlePath.length;
    const title = e.titlePath[depth - 1];
    const indent = '  '.repeat(depth);
    if (e.type === 'suite') console.log(`${depth === 1 ? '\n' : ''}${indent}${title}`);
    else if (e.type === 'test') this.current = e.titlePath;
    else if (e.type === 'pass') {
      this.passes++;
      this.current = undefined;
      console.log(`${indent}✔ ${title}${e.durationMs > 75 ? ` (${e.durationMs}ms)` : ''}`);
    } else if (e.type === 'pending') {
      this.pending++;
      console.log(`${indent}- ${title}`);
    } else if (e.type === 'fail') {
      this.failures.push(e);
      this.current = undefined;
      console.log(`${indent}${this.failures.length}) ${title}`);
    }
  }
}

// Stack frames in the bundled suites, mapped back to the TypeScript through the bundles' inline source maps
// (the extension host does not apply them itself).
const sourceMaps = new Map();
function sourceMapOf(file) {
  if (!sourceMaps.has(file)) {
    let map = null;
    try {
      const m = /\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)\s*$/.exec(readFileSync(file, 'utf8'));
      if (m) map = new SourceMap(JSON.parse(Buffer.from(m[1], 'base64').toString('utf8')));
    } catch {
      /* no map */
    }
    sourceMaps.set(file, map);
  }
  return sourceMaps.get(file);
}
function mapStackLine(line) {
  return line.replace(/(\/[^\s():]+\.js):(\d+):(\d+)/, (whole, file, l, c) => {
    const map = sourceMapOf(file);
    const e = map?.findEntry(Number(l) - 1, Number(c) - 1);
    if (!e?.originalSource) return whole;
    const src = e.originalSource.startsWith('file://') ? fileURLToPath(e.originalSource) : path.resolve(path.dirname(file), e.originalSource);
    return `${path.relative(repoRoot, src)}:${e.originalLine + 1}:${e.originalColumn + 1}`;
  });
}

function printFailure(i, t) {
  console.log('');
  console.log(`  ${i}) ${t.titlePath.join('\n       ')}:`);
  const stack = (t.error?.stack ?? t.error?.message ?? 'unknown error')
    .split('\n')
    .map(mapStackLine)
    .filter((l) => !/^\s+at .*(node_modules|extensionHostProcess|node:internal|\/dist\/host\.js)/.test(l))
    .slice(0, 40);
  for (const l of stack) console.log(`     ${l}`);
}

function printSummary(r) {
  console.log('');
  console.log(`  ${r.passes} passing (${Math.round(r.durationMs)}ms)`);
  if (r.pending) console.log(`  ${r.pending} pending`);
  if (r.failures) console.log(`  ${r.failures} failing`);
  r.tests.filter((t) => t.state === 'failed').forEach((t, i) => printFailure(i + 1, t));
  if (r.failures && r.console?.length) {
    console.log('\n  console output of the extension host during the run (last 60):');
    for (const c of r.console.slice(-60)) console.log(`    [${c.level}] ${c.text.split('\n').join('\n      ')}`);
  }
}

// VS Code's own test mode (extensionTestsPath) never shows modal dialogs: a save confirmation answers "Don't Save"
// and other dialogs are cancelled. code-server has no test mode, so answer them the same way from the browser;
// otherwise one `workbench.action.closeAllEditors` on a dirty editor blocks every test after it.
async function answerDialogs(page, answered) {
  try {
    const box = page.locator('.monaco-dialog-box').first();
    if (!(await box.isVisible())) return;
    const message = (
      await box
        .locator('.dialog-message-text, .dialog-message')
        .first()
        .innerText()
        .catch(() => '')
    ).trim();
    const buttons = box.locator('.dialog-buttons .monaco-button');
    const labels = await buttons.allInnerTexts();
    const dontSave = labels.findIndex((l) => /^don.t save$/i.test(l.trim()));
    if (dontSave >= 0) await buttons.nth(dontSave).click();
    else await page.keyboard.press('Escape');
    const what = `dialog "${message.replace(/\s+/g, ' ').slice(0, 120)}" [${labels.join(' | ')}] -> ${dontSave >= 0 ? "Don't Save" : 'Escape (cancel)'}`;
    answered.push(what);
    console.log(`[integration] answered ${what}`);
  } catch {
    /* the page is busy or gone; try again next time */
  }
}

async function main() {
  const t0 = Date.now();
  await ensureInstalled({ quiet: true });
  const extensionSource = prepareExtension({ log });

  tmp = makeTempDir('layerlens-it-');
  const extensionsDir = path.join(tmp, 'extensions');
  const userDataDir = path.join(tmp, 'user-data');
  const workspace = copyFolder(path.join(repoRoot, 'examples'), path.join(tmp, 'workspace'));
  const results = path.join(tmp, 'results', 'results.json');

  // The test host first: installing the .vsix then records both in extensions.json (a folder added after it is not
  // listed there, and VS Code skips it).
  const host = await buildHostExtension(path.join(extensionsDir, 'layerlens-test.layerlens-test-host-0.0.1'));
  log(`built the test host with ${host.suites.length} suite(s): ${host.suites.map((s) => path.basename(s)).join(', ')}`);
  const ext = installExtension(extensionsDir, extensionSource);
  log(`installed ${ext.id} from ${path.basename(extensionSource.path)} -> ${path.relative(tmp, ext.dir)} (${ext.files} files)`);

  const env = restricted ? { LAYERLENS_TEST_RESTRICTED: '1' } : {};
  if (useRequestFile) {
    mkdirSync(path.join(workspace, '.layerlens-test'), { recursive: true });
    writeFileSync(path.join(workspace, '.layerlens-test', 'request.json'), JSON.stringify({ results, grep }, null, 2));
  } else {
    env.LAYERLENS_TEST_RESULTS = results;
    if (grep) env.LAYERLENS_TEST_GREP = grep;
  }

  let t = Date.now();
  server = await startCodeServer({ workspace, extensionsDir, userDataDir, env, workspaceTrust: restricted, logFile: path.join(tmp, 'code-server.log') });
  log(`code-server up in ${((Date.now() - t) / 1000).toFixed(1)} s at ${server.url}`);
  t = Date.now();
  browser = await launchBrowser();
  const page = await openWorkbench(browser, server.folderUrl);
  const pageErrors = [];
  // Workbench errors, for a timeout's report; without what this offline machine always logs (the extension
  // gallery, GitHub sign-in, name resolution).
  const noise = /open-vsx\.org|ERR_NAME_NOT_RESOLVED|authentication provider 'github'|getaddrinfo/;
  const keepError = (text) => {
    if (!noise.test(text)) pageErrors.push(text.replace(/%c\s*/g, '').split('\n').slice(0, 4).join('\n    '));
  };
  page.on('pageerror', (e) => keepError(e.stack ?? e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') keepError(m.text());
  });
  log(`workbench open in ${((Date.now() - t) / 1000).toFixed(1)} s; waiting for the test host (timeout ${timeoutS} s)`);

  const deadline = Date.now() + timeoutS * 1000;
  const live = new LivePrinter(`${results}.events.jsonl`);
  const answered = [];
  let broken;
  page.on('crash', () => {
    broken = 'the workbench page crashed';
  });
  while (!existsSync(results) && Date.now() < deadline && !broken) {
    live.poll();
    await answerDialogs(page, answered);
    try {
      process.kill(server.pid, 0);
    } catch {
      broken = 'code-server exited';
    }
    await sleep(250);
  }
  live.poll();
  if (broken && !existsSync(results)) {
    console.error(
      `\n[integration] ERROR: ${broken} during the run${live.current ? ` (running: ${live.current.join(' > ')})` : ''}; code-server log: ${server.logFile}\n${server.logTail(30)}`,
    );
    live.failures.forEach((f, i) => printFailure(i + 1, f));
    return { passed: live.passes, failed: live.failures.length + 1, ok: false };
  }
  if (!existsSync(results)) {
    const shot = path.join(repoRoot, 'test-results', 'integration-timeout.png');
    try {
      mkdirSync(path.dirname(shot), { recursive: true });
      await page.screenshot({ path: shot });
    } catch {
      /* the page may be gone */
    }
    const started = existsSync(`${results}.lock`);
    console.error(
      `\n[integration] TIMEOUT after ${timeoutS} s: ${started ? 'the test host started but did not finish' : 'the test host never started (no extension host, or the request did not reach it)'}`,
    );
    if (live.current) console.error(`[integration] still running: ${live.current.join(' > ')}`);
    live.failures.forEach((f, i) => printFailure(i + 1, f));
    console.error(`[integration] screenshot: ${path.relative(repoRoot, shot)}; code-server log: ${server.logFile}; last lines:\n${server.logTail(30)}`);
    if (pageErrors.length) console.error(`[integration] workbench errors:\n  ${pageErrors.slice(-10).join('\n  ')}`);
    return { passed: live.passes, failed: live.failures.length + 1, ok: false };
  }
  const r = JSON.parse(readFileSync(results, 'utf8'));
  console.log('');
  log(
    `results from the extension host (VS Code ${r.vscodeVersion}, ${r.appName}, Node ${r.node}, request via ${r.requestSource}) after ${((Date.now() - t0) / 1000).toFixed(1)} s in all${answered.length ? `; ${answered.length} dialog(s) answered` : ''}`,
  );
  if (r.fatal) {
    console.error(`[integration] ERROR: ${r.fatal}`);
    return { passed: r.passes ?? 0, failed: Math.max(1, r.failures ?? 0), ok: false };
  }
  if (live.passes + live.failures.length + live.pending === 0 && r.tests.length)
    for (const t of r.tests) live.event({ type: t.state === 'passed' ? 'pass' : t.state === 'failed' ? 'fail' : 'pending', ...t });
  printSummary(r);
  const ok = r.failures === 0 && r.passes > 0;
  if (r.passes === 0 && r.failures === 0) console.error('[integration] ERROR: no tests ran');
  return { passed: r.passes, failed: r.failures || (ok ? 0 : 1), ok };
}

let outcome = { passed: 0, failed: 1, ok: false };
try {
  outcome = await main();
} catch (e) {
  console.error(`[integration] ERROR: ${e.message}`);
} finally {
  await cleanup();
  if (tmp) {
    if (keep || !outcome.ok) console.log(`[integration] kept ${tmp}`);
    else removeDir(tmp);
  }
}
console.log(`\n${outcome.passed} passed, ${outcome.failed} failed`);
process.exit(outcome.ok ? 0 : 1);
