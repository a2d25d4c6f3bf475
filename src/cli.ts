/**
 * `layerlens summary FILE [--json | --markdown]`: the analysis of a .py or .ipynb file, without TensorFlow.
 * Exit codes: 0 on success (also with no model, or with diagnostics; a notebook with no code cells adds a
 * line on stderr); 2 for bad arguments or a file that cannot be read, with one line on stderr. Nothing is written but to stdout and stderr.
 */
import { readFileSync, statSync } from 'node:fs';
import { analyze, analyzeCells, diagnosticLine, formatMarkdown, formatTable, type AnalysisResult } from './core';
import { sortedDiagnostics } from './core/format';
import { NotebookFormatError, readNotebook } from './core/python/sourceText';

/** Larger files are refused: no model definition is that long, and reading one would stall a CI job. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

const USAGE = 'usage: layerlens summary FILE [--json | --markdown]';

class UsageError extends Error {}

function readSource(file: string): string {
  let stat;
  try {
    stat = statSync(file);
  } catch {
    throw new UsageError(`layerlens: cannot read ${file}: no such file`);
  }
  if (stat.isDirectory()) throw new UsageError(`layerlens: cannot read ${file}: it is a directory`);
  if (stat.size > MAX_FILE_BYTES) throw new UsageError(`layerlens: cannot read ${file}: it is ${(stat.size / 1048576).toFixed(1)} MB, over the 20 MB limit`);
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    throw new UsageError(`layerlens: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (buf.subarray(0, 8192).includes(0)) throw new UsageError(`layerlens: cannot read ${file}: it is a binary file, not Python source or a notebook`);
  return buf.toString('utf8');
}

export function main(argv: string[]): number {
  const args = argv.slice();
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.includes('--version')) {
    process.stdout.write(`${require('../package.json').version}\n`);
    return 0;
  }
  const json = args.includes('--json');
  const markdown = args.includes('--markdown');
  const rest = args.filter((a) => a !== '--json' && a !== '--markdown');
  const unknownFlag = rest.find((a) => a.startsWith('-'));
  if (rest[0] !== 'summary' || rest.length !== 2 || unknownFlag || (json && markdown)) {
    process.stderr.write(`layerlens: ${unknownFlag ? `unknown option ${unknownFlag}` : json && markdown ? 'choose one of --json and --markdown' : 'expected: summary FILE'}; ${USAGE}\n`);
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
  if (json) {
    process.stdout.write(`${JSON.stringify({ file, models: result.models, diagnostics: result.diagnostics }, null, 2)}\n`);
    return 0;
  }
  // The tables, then every diagnostic (the models' and the file's syntax errors) in one list in source order.
  const blocks = result.models.map((m) => (markdown ? formatMarkdown(m, file, { diagnostics: false }) : formatTable(m, file, { diagnostics: false })));
  if (result.models.length === 0) blocks.push(`${file}: no Sequential model found`);
  const diagnostics = sortedDiagnostics(result).map((d) => (markdown ? `- ${diagnosticLine(d, file)}` : diagnosticLine(d, file)));
  if (diagnostics.length) blocks.push(markdown ? `### Diagnostics\n\n${diagnostics.join('\n')}` : diagnostics.join('\n'));
  process.stdout.write(`${blocks.join('\n\n')}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
