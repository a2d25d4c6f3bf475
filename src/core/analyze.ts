/**
 * The single entry point of the analysis: Python source (or a notebook's cells) in, models with their
 * layers' shapes, parameters, MACs, receptive fields and diagnostics out. It never throws.
 *
 * Speed: the source is cut into top-level statements; only those that can make or change a model
 * (they mention `Sequential`, `import`, `.add(`, `.build(` or `.pop(`) are parsed and walked. Any other
 * statement is parsed only when a name it defines is needed (a constant such as `IMG = 28`). Parse trees
 * are cached by statement text, so after a keystroke only the edited statement is parsed again.
 */
import { parser } from '@lezer/python';
import type { Tree } from '@lezer/common';
import { chunkSource, type Chunk } from './python/chunks';
import { joinCells, NotebookFormatError, readNotebook, SourceText } from './python/sourceText';
import { Interpreter, type Program } from './keras/interpreter';
import { analyzeModel } from './keras/propagate';
import type { AnalysisResult, AnalyzeOptions, CellSource, Diagnostic } from './types';

const WALKED = /Sequential|import|\.add\s*\(|\.build\s*\(|\.pop\s*\(/;
const DEFINES = [
  /^(?:@[^\n]*\n\s*)*(?:async\s+)?def\s+([A-Za-z_]\w*)/,
  /^(?:@[^\n]*\n\s*)*class\s+([A-Za-z_]\w*)/,
];
const ASSIGNED = /^([A-Za-z_]\w*)\s*(?::[^=\n]*)?=(?!=)\s*/;

/** Parse trees by statement text. Bounded: cleared when it grows past its limit. */
const treeCache = new Map<string, Tree>();
const TREE_CACHE_LIMIT = 20000;

/** Forgets every cached parse tree (benchmarks use it to time a cold analysis). */
export function clearParseCache(): void {
  treeCache.clear();
}

function parseChunk(text: string): Tree {
  let tree = treeCache.get(text);
  if (!tree) {
    if (treeCache.size >= TREE_CACHE_LIMIT) treeCache.clear();
    tree = parser.parse(text);
    treeCache.set(text, tree);
  }
  return tree;
}

/** Names a top-level statement binds, read from its first characters without parsing it. */
function definedNames(chunk: Chunk): string[] {
  const text = chunk.text;
  for (const re of DEFINES) {
    const m = re.exec(text);
    if (m) return [m[1]];
  }
  const names: string[] = [];
  let rest = text;
  for (let m = ASSIGNED.exec(rest); m; m = ASSIGNED.exec(rest)) {
    names.push(m[1]);
    rest = rest.slice(m[0].length);
  }
  return names;
}

function analyzeSource(source: SourceText): AnalysisResult {
  const { chunks, unclosed } = chunkSource(
    source.text,
    source.segments.map((s) => [s.start, s.end]),
  );
  const walked = chunks.map((c) => WALKED.test(c.text));
  const definitions = new Map<string, number[]>();
  const chunkNames = chunks.map(definedNames);
  chunks.forEach((_chunk, index) => {
    for (const name of chunkNames[index]) {
      const list = definitions.get(name);
      if (list) list.push(index);
      else definitions.set(name, [index]);
    }
  });
  const trees = new Map<number, Tree>();
  const program: Program = {
    source,
    chunks,
    walked,
    definitions,
    chunkNames,
    tree(index) {
      let t = trees.get(index);
      if (!t) {
        t = parseChunk(chunks[index].text);
        trees.set(index, t);
      }
      return t;
    },
  };
  const interpreter = new Interpreter(program);
  interpreter.run();

  const diagnostics: Diagnostic[] = [];
  for (const u of unclosed)
    diagnostics.push({ severity: 'error', code: 'syntax-error', message: `'${u.char}' was never closed`, range: source.range(u.at, u.at + 1) });
  const unclosedChunks = chunks.filter((c) => unclosed.some((u) => u.at >= c.start && u.at < c.end));
  for (const n of interpreter.syntaxNotes) {
    if (unclosedChunks.some((c) => n.from >= c.start && n.from <= c.end)) continue; // the unclosed bracket explains it
    diagnostics.push({ severity: 'error', code: 'syntax-error', message: n.message, range: source.range(n.from, n.to) });
  }
  const models = interpreter.models.map((m) => analyzeModel(m, source));
  return { models, diagnostics };
}

function failure(e: unknown): AnalysisResult {
  const range = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
  const message = e instanceof NotebookFormatError ? e.message : `LayerLens failed on this file: ${(e as Error)?.message ?? String(e)}`;
  return { models: [], diagnostics: [{ severity: 'error', code: e instanceof NotebookFormatError ? 'notebook-format' : 'internal-error', message, range }] };
}

/** Analyses Python source, or a notebook's JSON when `options.notebook` is set or the file name ends in .ipynb. */
export function analyze(source: string, options: AnalyzeOptions = {}): AnalysisResult {
  const notebook = options.notebook ?? options.fileName?.toLowerCase().endsWith('.ipynb') ?? false;
  try {
    if (notebook) return analyzeSource(joinCells(readNotebook(source)));
    return analyzeSource(new SourceText(source));
  } catch (e) {
    return failure(e);
  }
}

/** Analyses a notebook's code cells, in order, as one program; ranges carry the cell index. */
export function analyzeCells(cells: CellSource[]): AnalysisResult {
  try {
    return analyzeSource(joinCells(cells));
  } catch (e) {
    return failure(e);
  }
}
