/**
 * `analyze` and `analyzeCells` for the tests, with a metamorphic check built in: every source a test analyses
 * is also analysed after its formatting is rewritten (comments inside every bracket, line breaks, blank lines,
 * trailing commas, redundant parentheses, backslash continuations, tabs, keyword arguments and continuation lines at
 * column 0, statements joined by semicolons: see `reformat.ts`), and the two
 * results must be identical apart from positions. So every model in the test suites guards the rule that
 * formatting never changes a number.
 *
 * Sources with a syntax error are not rewritten: how half-typed code is recovered depends, by design, on its
 * line structure.
 */
import { strict as assert } from 'node:assert';
import {
  analyze as analyzeCore,
  analyzeCells as analyzeCellsCore,
  type AnalysisResult,
  type AnalyzeOptions,
  type CellSource,
  type ModelResult,
} from '../../../src/core';
import { ALL_REWRITES, reformat, type ReformatOptions } from './reformat';

/** Positions differ by design after a rewrite; everything else must not. */
const POSITION_KEYS = new Set(['range', 'line', 'column']);

/** Messages quote source text (`Cannot resolve \`f(x)\``): compared without whitespace, parentheses and commas. */
function normaliseMessage(message: string): string {
  return message.replace(/`[^`]*`/g, (q) => q.replace(/[\s\\(),]|#[^\n]*/g, '')).replace(/\bline \d+/g, 'line N');
}

/**
 * A model without what differs by design between code written with a function or idiom and the same model written
 * out: positions, its name, which call built it (`builtBy`) and which call made each layer (`via`).
 */
export function comparableModel(m: ModelResult): unknown {
  const { builtBy: _builtBy, ...rest } = m;
  const layers = rest.layers.map(({ via: _via, ...layer }) => layer);
  return withoutPositions({ ...rest, layers, name: 'model' });
}

export function withoutPositions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPositions);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (POSITION_KEYS.has(k)) continue;
      out[k] = k === 'message' && typeof v === 'string' ? normaliseMessage(v) : withoutPositions(v);
    }
    return out;
  }
  return value;
}

const hasSyntaxError = (r: AnalysisResult) => r.diagnostics.some((d) => d.code === 'syntax-error' || d.code === 'notebook-format');

/** The single rewrites that change the result, to name the culprit when the combined rewrite fails. */
function culprits(run: (opts: ReformatOptions) => AnalysisResult, expected: unknown): string[] {
  return Object.keys(ALL_REWRITES).filter((k) => {
    try {
      return JSON.stringify(withoutPositions(run({ [k]: true }))) !== JSON.stringify(expected);
    } catch {
      return true;
    }
  });
}

function check(original: AnalysisResult, run: (opts: ReformatOptions) => AnalysisResult, describeSource: () => string): void {
  if (hasSyntaxError(original)) return;
  const expected = withoutPositions(original);
  let rewritten: AnalysisResult;
  try {
    rewritten = run(ALL_REWRITES);
  } catch (e) {
    // Source Python itself could not tokenize (a test of broken input): nothing to rewrite.
    if (/tokenize|unterminated|unmatched|never closed|dedent/.test((e as Error).message)) return;
    throw e;
  }
  const actual = withoutPositions(rewritten);
  if (JSON.stringify(actual) === JSON.stringify(expected)) return;
  assert.deepEqual(
    actual,
    expected,
    `reformatting changed the analysis (rewrites that do it alone: ${culprits(run, expected).join(', ') || 'only the combination'}) of:\n${describeSource()}`,
  );
}

function reformatNotebook(json: string, opts: ReformatOptions): string {
  const nb = JSON.parse(json) as { cells?: { cell_type?: string; source?: string | string[] }[] };
  for (const cell of nb.cells ?? []) {
    if (cell.cell_type !== 'code' || cell.source === undefined) continue;
    const text = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
    cell.source = reformat(text, opts);
  }
  return JSON.stringify(nb);
}

export function analyze(source: string, options: AnalyzeOptions = {}): AnalysisResult {
  const result = analyzeCore(source, options);
  const notebook = options.notebook ?? options.fileName?.toLowerCase().endsWith('.ipynb') ?? false;
  check(
    result,
    (opts) => analyzeCore(notebook ? reformatNotebook(source, opts) : reformat(source, opts), options),
    () => source,
  );
  return result;
}

export function analyzeCells(cells: CellSource[]): AnalysisResult {
  const result = analyzeCellsCore(cells);
  check(
    result,
    (opts) => analyzeCellsCore(cells.map((c) => ({ ...c, text: reformat(c.text, opts) }))),
    () => cells.map((c) => c.text).join('\n# ---- cell ----\n'),
  );
  return result;
}
