// Runs the compiled integration suites (test/integration/suites/*.test.ts, bundled to .js) with mocha inside a VS
// Code extension host, where `require('vscode')` is the real API. Shared by the code-server test host
// (test/integration/host) and the @vscode/test-electron entry (test/integration/electron/index.ts).
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export interface TestRecord {
  /** Titles from the outermost suite down to the test (or hook) itself. */
  titlePath: string[];
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: { message: string; stack?: string; name?: string };
}

export interface ConsoleRecord {
  level: 'log' | 'info' | 'warn' | 'error' | 'debug';
  text: string;
}

export interface SuiteResults {
  passes: number;
  failures: number;
  pending: number;
  tests: TestRecord[];
  console: ConsoleRecord[];
  files: string[];
  durationMs: number;
  /** Set when the run itself could not happen (no suites, a suite that throws while loading, ...). */
  fatal?: string;
}

/** Progress, as it happens: a suite starts, a test starts, passes, fails (a hook too) or is skipped. */
export interface ProgressEvent {
  type: 'suite' | 'test' | 'pass' | 'fail' | 'pending';
  titlePath: string[];
  durationMs?: number;
  error?: TestRecord['error'];
}

export interface RunOptions {
  /** Folder holding the compiled suites (*.test.js). */
  suitesDir: string;
  /** Only tests whose full title matches. */
  grep?: string;
  timeoutMs?: number;
  /** A mocha reporter (name or constructor); by default results are only collected. */
  reporter?: string | Mocha.ReporterConstructor;
  /** Also capture console output into the results (console still prints). */
  captureConsole?: boolean;
  onEvent?: (e: ProgressEvent) => void;
}

function errorOf(err: unknown): TestRecord['error'] {
  if (err instanceof Error) return { message: err.message, stack: err.stack, name: err.name };
  return { message: String(err) };
}

function formatArgs(args: unknown[]): string {
  return args
    .map((a) => {
      if (typeof a === 'string') return a;
      if (a instanceof Error) return a.stack ?? a.message;
      try {
        return JSON.stringify(a);
      } catch {
        return String(a);
      }
    })
    .join(' ');
}

export function findSuiteFiles(suitesDir: string): string[] {
  if (!fs.existsSync(suitesDir)) return [];
  return fs
    .readdirSync(suitesDir)
    .filter((f) => f.endsWith('.test.js'))
    .sort()
    .map((f) => path.join(suitesDir, f));
}

export async function runSuites(opts: RunOptions): Promise<SuiteResults> {
  const started = Date.now();
  const files = findSuiteFiles(opts.suitesDir);
  const results: SuiteResults = { passes: 0, failures: 0, pending: 0, tests: [], console: [], files, durationMs: 0 };
  if (files.length === 0) {
    results.fatal = `no compiled suites (*.test.js) in ${opts.suitesDir}`;
    return results;
  }

  const levels: ConsoleRecord['level'][] = ['log', 'info', 'warn', 'error', 'debug'];
  const saved = new Map<ConsoleRecord['level'], (...args: unknown[]) => void>();
  if (opts.captureConsole) {
    for (const level of levels) {
      const original = console[level].bind(console);
      saved.set(level, console[level]);
      console[level] = (...args: unknown[]) => {
        results.console.push({ level, text: formatArgs(args) });
        original(...args);
      };
    }
  }

  try {
    const mocha = new Mocha({
      ui: 'bdd',
      color: false,
      timeout: opts.timeoutMs ?? 60_000,
      grep: opts.grep,
      reporter: opts.reporter ?? Mocha.reporters.Base,
    });
    for (const f of files) {
      // A fresh require each run: the extension host may run the suites again in a reloaded window.
      delete require.cache[require.resolve(f)];
      mocha.addFile(f);
    }
    try {
      // Synchronous require() of each file (the suites are CommonJS bundles); protected in @types/mocha, public in mocha.
      (mocha as unknown as { loadFiles(): void }).loadFiles();
    } catch (e) {
      results.fatal = `a suite failed to load: ${errorOf(e)?.stack ?? e}`;
      return results;
    }
    const { EVENT_SUITE_BEGIN, EVENT_TEST_BEGIN, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;
    const emit = (e: ProgressEvent) => {
      try {
        opts.onEvent?.(e);
      } catch {
        /* progress is best effort */
      }
    };
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on(EVENT_SUITE_BEGIN, (suite: Mocha.Suite) => {
        if (!suite.root) emit({ type: 'suite', titlePath: suite.titlePath() });
      });
      runner.on(EVENT_TEST_BEGIN, (test: Mocha.Test) => emit({ type: 'test', titlePath: test.titlePath() }));
      runner.on(EVENT_TEST_PASS, (test: Mocha.Test) => {
        results.passes++;
        const rec: TestRecord = { titlePath: test.titlePath(), state: 'passed', durationMs: test.duration };
        results.tests.push(rec);
        emit({ type: 'pass', titlePath: rec.titlePath, durationMs: rec.durationMs });
      });
      runner.on(EVENT_TEST_FAIL, (test: Mocha.Runnable, err: unknown) => {
        results.failures++;
        const rec: TestRecord = { titlePath: test.titlePath(), state: 'failed', durationMs: test.duration, error: errorOf(err) };
        results.tests.push(rec);
        emit({ type: 'fail', titlePath: rec.titlePath, durationMs: rec.durationMs, error: rec.error });
      });
      runner.on(EVENT_TEST_PENDING, (test: Mocha.Test) => {
        results.pending++;
        results.tests.push({ titlePath: test.titlePath(), state: 'pending' });
        emit({ type: 'pending', titlePath: test.titlePath() });
      });
    });
  } finally {
    for (const [level, fn] of saved) console[level] = fn;
    results.durationMs = Date.now() - started;
  }
  return results;
}

/** Writes the results atomically (a temporary file renamed into place): the file appearing is the completion signal. */
export function writeResults(file: string, results: SuiteResults): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(results, null, 2) + '\n');
  fs.renameSync(tmp, file);
}
