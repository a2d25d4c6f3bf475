/**
 * `layerlens summary FILE [--json | --markdown] [--expand-nested] [--fail-on error|warning]`: the analysis of a .py or .ipynb
 * file, without TensorFlow.
 * Exit codes: 0 on success (also with no model, or with diagnostics; a notebook with no code cells adds a
 * line on stderr); 1 with `--fail-on LEVEL` when a diagnostic of that severity or worse (error > warning >
 * information) is found anywhere in the file, after the output is written, with one line on stderr counting
 * them; 2 for bad arguments or a file that cannot be read, with one line on stderr. Nothing is written but to
 * stdout and stderr.
 */
import { readFileSync, statSync } from 'node:fs';
import { analyze, analyzeCells, diagnosticLine, formatMarkdown, formatTable, type AnalysisResult } from './core';
import { sortedDiagnostics } from './core/format';
import type { Diagnostic, Severity } from './core/types';
import { NotebookFormatError, readNotebook } from './core/python/sourceText';

/** Larger files are refused: no model definition is that long, and reading one would stall a CI job. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

const USAGE = 'usage: layerlens summary FILE [--json | --markdown] [--expand-nested] [--fail-on error|warning]';

const HELP = `${USAGE}

Summarises the Keras Sequential models in FILE (a .py file or an .ipynb notebook) without running Python:
shapes, parameters, MACs and receptive fields, then the file's diagnostics in source order.

  --json                    machine-readable output (the schema is in README.md)
  --markdown                Markdown tables, for a pull request
  --expand-nested           list the layers of a model used as a layer (a pretrained base) under its row
  --fail-on error|warning   exit 1 when the file has a diagnostic of that severity or worse
                            (error > warning > information)

Exit status: 0 on success, also with no model or with diagnostics when --fail-on is not given;
1 when --fail-on finds a diagnostic at its level; 2 for bad arguments or a file that cannot be read.
`;

type FailOn = 'error' | 'warning';
const SEVERITY_RANK: Record<Severity, number> = { information: 0, warning: 1, error: 2 };

/** `2 errors and 1 warning`: the diagnostics at `level` or worse, counted by severity. */
function failureCount(diagnostics: Diagnostic[], level: FailOn): string {
  const levels: Severity[] = level === 'error' ? ['error'] : ['error', 'warning'];
  return levels
    .map((s) => [s, diagnostics.filter((d) => d.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}${n === 1 ? '' : 's'}`)
    .join(' and ');
}

class UsageError extends Error {}

/** The one line for a file the system would not open or stat: "no such file" and "permission denied" told apart. */
export function readErrorMessage(file: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const why =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'ENOTDIR'
        ? 'no such file (a part of its path is a file, not a folder)'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'ELOOP'
            ? 'too many symbolic links (a link that points to itself?)'
            : e instanceof Error
              ? e.message
              : String(e);
  return `layerlens: cannot read ${file}: ${why}`;
}

function readSource(file: string): string {
  let stat;
  try {
    stat = statSync(file);
  } catch (e) {
    throw new UsageError(readErrorMessage(file, e));
  }
  if (stat.isDirectory()) throw new UsageError(`layerlens: cannot read ${file}: it is a directory`);
  if (stat.size > MAX_FILE_BYTES) throw new UsageError(`layerlens: cannot read ${file}: it is ${(stat.size / 1048576).toFixed(1)} MB, over the 20 MB limit`);
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    throw new UsageError(readErrorMessage(file, e));
  }
  if (buf.subarray(0, 8192).includes(0)) throw new UsageError(`layerlens: cannot read ${file}: it is a binary file, not Python source or a notebook`);
  return buf.toString('utf8');
}

export function main(argv: string[]): number {
  const args = argv.slice();
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(HELP);
    return 0;
  }
  if (args.includes('--version')) {
    process.stdout.write(`${require('../package.json').version}\n`);
    return 0;
  }
  // --fail-on LEVEL or --fail-on=LEVEL, anywhere among the arguments.
  let failOn: FailOn | undefined;
  const others: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a !== '--fail-on' && !a.startsWith('--fail-on=')) {
      others.push(a);
      continue;
    }
    const level = a === '--fail-on' ? args[++i] : a.slice('--fail-on='.length);
    if (level !== 'error' && level !== 'warning') {
      process.stderr.write(`layerlens: --fail-on takes error or warning${level === undefined ? '' : `, not '${level}'`}; ${USAGE}\n`);
      return 2;
    }
    failOn = level;
  }
  const json = others.includes('--json');
  const markdown = others.includes('--markdown');
  const expandNested = others.includes('--expand-nested');
  const rest = others.filter((a) => a !== '--json' && a !== '--markdown' && a !== '--expand-nested');
  const unknownFlag = rest.find((a) => a.startsWith('-'));
  if (rest[0] !== 'summary' || rest.length !== 2 || unknownFlag || (json && markdown)) {
    process.stderr.write(
      `layerlens: ${unknownFlag ? `unknown option ${unknownFlag}` : json && markdown ? 'choose one of --json and --markdown' : 'expected: summary FILE'}; ${USAGE}\n`,
    );
    return 2;
  }
  const file = rest[1];
  let text: string;
  try {
    text = readSource(file);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
  let result: AnalysisResult;
  if (file.toLowerCase().endsWith('.ipynb')) {
    let cells;
    try {
      cells = readNotebook(text);
    } catch (e) {
      if (!(e instanceof NotebookFormatError)) throw e;
      process.stderr.write(`layerlens: cannot read ${file}: ${e.message}\n`);
      return 2;
    }
    // Not an error (there is simply no model), but worth a word: the user may have opened the wrong notebook.
    if (cells.length === 0) process.stderr.write(`layerlens: ${file}: the notebook has no code cells\n`);
    result = analyzeCells(cells);
  } else result = analyze(text, { fileName: file });
  const diagnostics = sortedDiagnostics(result);
  if (json) process.stdout.write(`${JSON.stringify({ file, models: result.models, diagnostics: result.diagnostics }, null, 2)}\n`);
  else writeText(result, diagnostics, file, markdown, expandNested);
  const level = failOn;
  if (level === undefined) return 0;
  const failing = diagnostics.filter((d) => SEVERITY_RANK[d.severity] >= SEVERITY_RANK[level]);
  if (failing.length === 0) return 0;
  process.stderr.write(`layerlens: ${file}: ${failureCount(failing, level)} (--fail-on ${level})\n`);
  return 1;
}

function writeText(result: AnalysisResult, diagnostics: Diagnostic[], file: string, markdown: boolean, expandNested: boolean): void {
  // The tables, then every diagnostic (the models' and the file's syntax errors) in one list in source order.
  const blocks = result.models.map((m) =>
    markdown ? formatMarkdown(m, file, { diagnostics: false }) : formatTable(m, file, { diagnostics: false, expandNested }),
  );
  if (result.models.length === 0) blocks.push(`${file}: no model found`);
  const lines = diagnostics.map((d) => (markdown ? `- ${diagnosticLine(d, file)}` : diagnosticLine(d, file)));
  if (lines.length) blocks.push(markdown ? `### Diagnostics\n\n${lines.join('\n')}` : lines.join('\n'));
  process.stdout.write(`${blocks.join('\n\n')}\n`);
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
