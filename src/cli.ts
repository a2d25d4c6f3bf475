/**
 * `layerlens summary FILE... [--json | --markdown] [--expand-nested] [--fail-on error|warning] [--keras auto|3|2]`: the analysis of .py and
 * .ipynb files, without TensorFlow. A FILE may be a glob (with `**`, `*`, `?`, `[...]` or `{a,b}`), expanded here, so
 * that a quoted glob works in CI whatever the shell.
 * Exit codes: 0 on success (also with no model, or with diagnostics; a notebook with no code cells adds a
 * line on stderr); 1 with `--fail-on LEVEL` when a diagnostic of that severity or worse (error > warning >
 * information) is found in any file, after the output is written, with one line on stderr for each such file
 * counting them; 2 for bad arguments, or a file that cannot be read or a glob that matches none (the other files
 * are still summarised), with one line on stderr each. Nothing is written but to stdout and stderr.
 */
import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { version } from '../package.json';
import { analyze, analyzeCells, diagnosticLine, formatMarkdown, formatTable, type AnalysisResult } from './core';
import { sortedDiagnostics } from './core/format';
import { summaryJson, type SummaryJson } from './core/summaryJson';
import type { Diagnostic, KerasVersionChoice, Severity } from './core/types';
import { NotebookFormatError, readNotebook } from './core/python/sourceText';
import { globFiles, isGlob } from './glob';

/** Larger files are refused: no model definition is that long, and reading one would stall a CI job. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

const USAGE = 'usage: layerlens summary FILE... [--json | --markdown] [--expand-nested] [--fail-on error|warning] [--keras auto|3|2]';

const HELP = `${USAGE}

Summarises the Keras models in each FILE (a .py file or an .ipynb notebook) without running Python:
Sequential and Functional models (keras.Model(inputs, outputs), several inputs and outputs, shared layers),
nested models and keras.applications bases; shapes, parameters, MACs and receptive fields, then the file's
diagnostics in source order. A FILE may be a glob, quoted so that the shell leaves it ('models/**/*.py').

  --json                    machine-readable output (the schema is in README.md); with several files or a glob,
                            a JSON array of one such object per file
  --markdown                Markdown tables, for a pull request
  --expand-nested           list the layers of a model used as a layer (a pretrained base) under its row
  --fail-on error|warning   exit 1 when a file has a diagnostic of that severity or worse
                            (error > warning > information)
  --keras auto|3|2          where Keras 2 (tf.keras 2.x) and Keras 3 differ (a default, a name), follow this
                            one; auto (the default): Keras 2 where the file shows a sign only Keras 2 accepts
                            (a Keras 1 argument name, keras.layers.convolutional), else Keras 3 (what pip install
                            keras gives, and tf.keras from TensorFlow 2.16); the header says which sign

Exit status, one for all the files: 2 for bad arguments, or when a file cannot be read or a glob matches no file
(the others are still summarised); else 1 when --fail-on finds a diagnostic at its level in any file; else 0, also
with no model or with diagnostics when --fail-on is not given.
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

const OPTIONS = {
  json: { type: 'boolean' },
  markdown: { type: 'boolean' },
  'expand-nested': { type: 'boolean' },
  'fail-on': { type: 'string' },
  keras: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

/** The one line for arguments node's parseArgs refuses, in our words. */
function argumentError(e: unknown): string {
  const { code, message } = e as { code?: string; message: string };
  if (message.includes("'--fail-on")) return '--fail-on takes error or warning';
  if (message.includes("'--keras")) return '--keras takes auto, 3 or 2';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${/'([^']+)'/.exec(message)?.[1] ?? ''}`;
  return message;
}

/**
 * The files the arguments name, each glob expanded (sorted, as a shell would), in the order given, each file once.
 * An argument that names an existing file is that file, even with `*` or `[` in its name. A glob that matches no
 * file is an error, so a typo in CI does not pass on no files at all.
 */
export function expandFiles(args: string[]): { files: string[]; errors: string[] } {
  const files: string[] = [];
  const errors: string[] = [];
  for (const arg of args) {
    let exists = false;
    try {
      statSync(arg);
      exists = true;
    } catch {
      // not a file of that name: a glob, or a missing file (reported when it is read)
    }
    if (exists || !isGlob(arg)) {
      files.push(arg);
      continue;
    }
    const matches = globFiles(arg);
    if (matches.length === 0) errors.push(`layerlens: ${arg}: no file matches`);
    files.push(...matches);
  }
  return { files: [...new Set(files)], errors };
}

/** One file's analysis, or the one line saying why it cannot be read. */
function analyzeFile(file: string, kerasVersion: KerasVersionChoice): { result: AnalysisResult } | { error: string } {
  let text: string;
  try {
    text = readSource(file);
  } catch (e) {
    if (e instanceof UsageError) return { error: e.message };
    throw e;
  }
  if (!file.toLowerCase().endsWith('.ipynb')) return { result: analyze(text, { fileName: file, kerasVersion }) };
  let cells;
  try {
    cells = readNotebook(text);
  } catch (e) {
    if (!(e instanceof NotebookFormatError)) throw e;
    return { error: `layerlens: cannot read ${file}: ${e.message}` };
  }
  // Not an error (there is simply no model), but worth a word: the user may have opened the wrong notebook.
  if (cells.length === 0) process.stderr.write(`layerlens: ${file}: the notebook has no code cells\n`);
  return { result: analyzeCells(cells, { kerasVersion }) };
}

export function main(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    process.stderr.write(`layerlens: ${argumentError(e)}; ${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  const failOn = values['fail-on'];
  if (failOn !== undefined && failOn !== 'error' && failOn !== 'warning') {
    process.stderr.write(`layerlens: --fail-on takes error or warning, not '${failOn}'; ${USAGE}\n`);
    return 2;
  }
  const keras = values.keras ?? 'auto';
  if (keras !== 'auto' && keras !== '3' && keras !== '2') {
    process.stderr.write(`layerlens: --keras takes auto, 3 or 2, not '${keras}'; ${USAGE}\n`);
    return 2;
  }
  const [command, ...args] = positionals;
  if (command !== 'summary' || args.length === 0 || (values.json && values.markdown)) {
    process.stderr.write(`layerlens: ${values.json && values.markdown ? 'choose one of --json and --markdown' : 'expected: summary FILE...'}; ${USAGE}\n`);
    return 2;
  }
  const { files, errors } = expandFiles(args);
  for (const e of errors) process.stderr.write(`${e}\n`);
  // One literal FILE keeps the output of one file; several, or a glob, say which file each part is.
  const several = args.length > 1 || files.length !== 1 || files[0] !== args[0];
  const format = { markdown: !!values.markdown, expandNested: !!values['expand-nested'], heading: several };
  const json: SummaryJson[] = [];
  let unreadable = errors.length;
  let failed = 0;
  let written = 0;
  for (const file of files) {
    const analysed = analyzeFile(file, keras);
    if ('error' in analysed) {
      process.stderr.write(`${analysed.error}\n`);
      unreadable++;
      continue;
    }
    const diagnostics = sortedDiagnostics(analysed.result);
    // Text is written file by file, so that a CI log shows each as it comes; JSON is one document, written at the end.
    if (values.json) json.push(summaryJson(file, analysed.result));
    else process.stdout.write(`${written++ ? '\n' : ''}${fileText(analysed.result, diagnostics, file, format)}\n`);
    const atLevel = failOn === undefined ? [] : diagnostics.filter((d) => SEVERITY_RANK[d.severity] >= SEVERITY_RANK[failOn]);
    if (failOn && atLevel.length) {
      failed++;
      process.stderr.write(`layerlens: ${file}: ${failureCount(atLevel, failOn)} (--fail-on ${failOn})\n`);
    }
  }
  if (values.json && (json.length || several)) process.stdout.write(`${JSON.stringify(several ? json : json[0], null, 2)}\n`);
  if (failed && files.length > 1) process.stderr.write(`layerlens: ${failed} of ${files.length} files fail (--fail-on ${failOn})\n`);
  return unreadable ? 2 : failed ? 1 : 0;
}

/**
 * One file's model tables, then every diagnostic (the models' and the file's syntax errors) in one list in source
 * order; under a heading naming the file when the command covers several.
 */
function fileText(result: AnalysisResult, diagnostics: Diagnostic[], file: string, o: { markdown: boolean; expandNested: boolean; heading: boolean }): string {
  const blocks = result.models.map((m) =>
    o.markdown ? formatMarkdown(m, file, { diagnostics: false }) : formatTable(m, file, { diagnostics: false, expandNested: o.expandNested }),
  );
  if (result.models.length === 0) blocks.push(`${file}: no model found`);
  const lines = diagnostics.map((d) => (o.markdown ? `- ${diagnosticLine(d, file)}` : diagnosticLine(d, file)));
  if (lines.length) blocks.push(o.markdown ? `### Diagnostics\n\n${lines.join('\n')}` : lines.join('\n'));
  const body = blocks.join('\n\n');
  if (!o.heading) return body;
  return o.markdown ? `## ${file}\n\n${body}` : `==> ${file} <==\n${body}`;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
