/**
 * The single entry point of the analysis: Python source (or a notebook's cells) in, models with their
 * layers' shapes, parameters, MACs, receptive fields and diagnostics out. It never throws.
 *
 * Speed: the source is cut into top-level statements; only those that can make or change a model
 * (they import, name `Sequential` or an alias of it, or call `.add(`, `.build(`, `.pop(`) are walked. Any
 * other statement is parsed only when a name it defines is needed (a constant such as `IMG = 28`). Parse
 * trees are cached by statement text, and each file's last chunking is kept, so after a keystroke only the
 * edited statement is chunked and parsed again.
 */
import type { Tree } from '@lezer/common';
import { clearCallsCache } from './python/calls';
import { chunkInfo, clearChunkCache, MAY_TOUCH_MODELS } from './python/chunkInfo';
import { chunkSource, chunkToSource, commonEnds, rechunk, type Chunk } from './python/chunks';
import { joinCells, NotebookFormatError, readNotebook, SourceText } from './python/sourceText';
import { Interpreter, type Program } from './keras/interpreter';
import { analyzeFunctional } from './keras/graph';
import { analyzeModel } from './keras/propagate';
import type { AnalysisResult, AnalyzeOptions, CellSource, Diagnostic } from './types';

const DEFINES = [/^(?:@[^\n]*\n\s*)*(?:async\s+)?def\s+([A-Za-z_]\w*)/, /^(?:@[^\n]*\n\s*)*class\s+([A-Za-z_]\w*)/];
/** `name = `, `a, b = `, `(a, b) = `, `name: T = ` at the start of a statement. */
const ASSIGNED = /^(\(?[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*\s*,?\s*\)?)\s*(?::[^=\n]*)?=(?!=)\s*/;
const CONFLICT_MARKER = /^(<{7}|={7}|>{7})(?=[ \t\r\n]|$)[^\n]*/gm;
const COMPOUND = /^(?:if|try|for|while|with|async)\b/;
/** Inside a block: an assignment at the start of any line, or a `for` loop's targets. */
const ASSIGNED_IN_BLOCK = /^[ \t]*(?:for\s+)?(\(?[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*\s*,?\s*\)?)\s*(?:(?::[^=\n]*)?=(?!=)|\s+in\b)/gm;

/** The last analysed version of each file, so that an edit re-chunks and re-scans only what it touched. */
const previousVersions = new Map<string, { source: SourceText; chunks: Chunk[] }>();
const PREVIOUS_LIMIT = 16;

/**
 * What the text alone says about a statement, without parsing it: whether it may touch a model (the cheap test),
 * whether it names `Sequential`, and the names it binds. Cached by text: a keystroke leaves every other statement's
 * text (the same string) as it was, and these regular expressions over the whole file took about a third of a
 * re-analysis.
 */
interface TextFacts {
  mayTouchModels: boolean;
  mentionsSequential: boolean;
  names: string[];
}
const factsCache = new Map<string, TextFacts>();
const FACTS_LIMIT = 20000;

function textFacts(text: string): TextFacts {
  let facts = factsCache.get(text);
  if (!facts) {
    if (factsCache.size >= FACTS_LIMIT) factsCache.clear();
    facts = { mayTouchModels: MAY_TOUCH_MODELS.test(text), mentionsSequential: text.includes('Sequential'), names: definedNames(text) };
    factsCache.set(text, facts);
  }
  return facts;
}

/** Forgets every cached parse and chunking (benchmarks use it to time a cold analysis). */
export function clearParseCache(): void {
  clearChunkCache();
  clearCallsCache();
  factsCache.clear();
  previousVersions.clear();
}

function remember(key: string, source: SourceText, chunks: Chunk[]): void {
  previousVersions.delete(key);
  if (previousVersions.size >= PREVIOUS_LIMIT) previousVersions.delete(previousVersions.keys().next().value as string);
  previousVersions.set(key, { source, chunks });
}

/** A plain file's text and chunks, reusing the previous version's where the edit left them alone. */
function prepareFile(text: string, key: string): { source: SourceText; chunks: Chunk[] } {
  const prev = previousVersions.get(key);
  let prepared: { source: SourceText; chunks: Chunk[] };
  if (prev) {
    const ends = commonEnds(prev.source.text, text);
    prepared = {
      source: new SourceText(text, undefined, { source: prev.source, ...ends }),
      chunks: rechunk({ text: prev.source.text, chunks: prev.chunks }, text, ends).chunks,
    };
  } else {
    const source = new SourceText(text);
    prepared = { source, chunks: chunkSource(text).chunks };
  }
  remember(key, prepared.source, prepared.chunks);
  return prepared;
}

function prepareCells(source: SourceText): { source: SourceText; chunks: Chunk[] } {
  return {
    source,
    chunks: chunkSource(
      source.text,
      source.segments.map((s) => [s.start, s.end]),
    ).chunks,
  };
}

/** Names a top-level statement binds, read from its text without parsing it. */
function definedNames(text: string): string[] {
  for (const re of DEFINES) {
    const m = re.exec(text);
    if (m) return [m[1]];
  }
  // `if`/`try`/`for`/`while`/`with` blocks bind what is assigned anywhere inside them (and a `for`'s targets).
  if (COMPOUND.test(text)) return [...new Set([...text.matchAll(ASSIGNED_IN_BLOCK)].flatMap((m) => splitTargets(m[1])))];
  const names: string[] = [];
  let rest = text;
  for (let m = ASSIGNED.exec(rest); m; m = ASSIGNED.exec(rest)) {
    names.push(...splitTargets(m[1]));
    rest = rest.slice(m[0].length);
  }
  return names;
}

/** `a`, `a, b`, `(a, b)` → the names. */
function splitTargets(targets: string): string[] {
  return targets.split(/[\s,()]+/).filter((n) => /^[A-Za-z_]\w*$/.test(n));
}

/**
 * A statement that calls a function whose body makes or changes a model makes one too (each call builds its
 * own): it is walked, and so, in turn, is a function that makes such a call.
 */
function walkCallers(chunks: Chunk[], walked: boolean[], chunkNames: string[][]): void {
  const isDef = (c: Chunk) => DEFINES[0].test(c.text);
  let builders = new Set(chunks.flatMap((c, i) => (walked[i] && isDef(c) ? chunkNames[i] : [])));
  while (builders.size > 0) {
    const pattern = new RegExp(`\\b(?:${[...builders].join('|')})\\s*\\(`);
    const found = new Set<string>();
    chunks.forEach((c, i) => {
      if (walked[i] || !pattern.test(c.text)) return;
      const called = chunkInfo(c.text).calledNames;
      if (![...builders].some((b) => called.has(b))) return;
      walked[i] = true;
      if (isDef(c)) for (const n of chunkNames[i]) found.add(n);
    });
    builders = found;
  }
}

function analyzeSource({ source, chunks }: { source: SourceText; chunks: Chunk[] }): AnalysisResult {
  const unclosed = chunks.flatMap((c) => c.unclosed);
  const facts = chunks.map((c) => textFacts(c.text));
  const aliases = new Set(chunks.flatMap((c, i) => (facts[i].mentionsSequential ? chunkInfo(c.text).sequentialAliases : [])));
  const aliasPattern = aliases.size ? new RegExp(`\\b(?:${[...aliases].join('|')})\\s*\\(`) : null;
  // Walk a statement if it can touch a model: a cheap text test first, then its syntax (strings and comments never count).
  const walked = chunks.map((c, i) => {
    const byText = facts[i].mayTouchModels || (aliasPattern !== null && aliasPattern.test(c.text));
    if (!byText) return false;
    const info = chunkInfo(c.text);
    return info.touchesModels || [...aliases].some((a) => info.calledNames.has(a));
  });
  const chunkNames = facts.map((f) => f.names);
  walkCallers(chunks, walked, chunkNames);
  const definitions = new Map<string, number[]>();
  chunks.forEach((_chunk, index) => {
    for (const name of chunkNames[index]) {
      const list = definitions.get(name);
      if (list) list.push(index);
      else definitions.set(name, [index]);
    }
  });
  const program: Program = {
    source,
    chunks,
    walked,
    definitions,
    chunkNames,
    tree: (index): Tree => chunkInfo(chunks[index].text).tree,
  };
  const interpreter = new Interpreter(program);
  interpreter.run();

  const diagnostics: Diagnostic[] = [];
  for (const u of unclosed)
    diagnostics.push({ severity: 'error', code: 'syntax-error', message: `'${u.char}' was never closed`, range: source.range(u.at, u.at + 1) });
  chunks.forEach((c, i) => {
    const error = walked[i] && c.unclosed.length === 0 ? chunkInfo(c.text).syntaxError : null;
    if (!error) return; // an unclosed bracket is the syntax error of its chunk, reported above
    const from = chunkToSource(c, error.from);
    const to = Math.max(chunkToSource(c, error.to), from + 1);
    diagnostics.push({
      severity: 'error',
      code: 'syntax-error',
      message: error.snippet ? `invalid syntax near \`${error.snippet.slice(0, 40)}\`` : 'invalid syntax',
      range: source.range(from, to),
    });
  });
  // Version-control conflict markers: Python cannot run the file, even where no model statement holds one. Both
  // ends must be there (a lone `=======` line is more likely a heading's underline in a docstring).
  // Both kinds of marker must be there: without `<<<<<<<` and `>>>>>>>` in the text, the line-by-line scan is skipped.
  const markers = source.text.includes('<<<<<<<') && source.text.includes('>>>>>>>') ? [...source.text.matchAll(CONFLICT_MARKER)] : [];
  if (markers.some((m) => m[1][0] === '<') && markers.some((m) => m[1][0] === '>'))
    for (const m of markers)
      diagnostics.push({
        severity: 'error',
        code: 'syntax-error',
        message: `a merge conflict marker (\`${m[1].slice(0, 1).repeat(7)}\`): Python cannot run the file until the conflict is resolved`,
        range: source.range(m.index ?? 0, (m.index ?? 0) + m[0].trimEnd().length),
      });
  for (const n of interpreter.notes) diagnostics.push({ severity: n.severity, code: n.code, message: n.message, range: source.range(n.from, n.to) });
  // Sequential and Functional models, in source order.
  const models = [
    ...interpreter.models.map((m) => ({ from: m.from, result: () => analyzeModel(m, source) })),
    ...interpreter.functionals.map((m) => ({ from: m.from, result: () => analyzeFunctional(m, source) })),
  ]
    .sort((a, b) => a.from - b.from)
    .map((m) => m.result());
  return { models, diagnostics };
}

function failure(e: unknown): AnalysisResult {
  const range = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
  const message = e instanceof NotebookFormatError ? e.message : `LayerLens failed on this file: ${(e as Error)?.message ?? String(e)}`;
  const diagnostic: Diagnostic = { severity: 'error', code: e instanceof NotebookFormatError ? 'notebook-format' : 'internal-error', message, range };
  // The stack goes to the extension's output channel with the report; not enumerable, so --json leaves it out.
  if (e instanceof Error && e.stack && !(e instanceof NotebookFormatError)) Object.defineProperty(diagnostic, 'stack', { value: e.stack, enumerable: false });
  return { models: [], diagnostics: [diagnostic] };
}

/** Analyses Python source, or a notebook's JSON when `options.notebook` is set or the file name ends in .ipynb. */
export function analyze(source: string, options: AnalyzeOptions = {}): AnalysisResult {
  const notebook = options.notebook ?? options.fileName?.toLowerCase().endsWith('.ipynb') ?? false;
  try {
    if (notebook) return analyzeSource(prepareCells(joinCells(readNotebook(source))));
    return analyzeSource(prepareFile(source, options.fileName ?? ''));
  } catch (e) {
    return failure(e);
  }
}

/** Analyses a notebook's code cells, in order, as one program; ranges carry the cell index. */
export function analyzeCells(cells: CellSource[]): AnalysisResult {
  try {
    return analyzeSource(prepareCells(joinCells(cells)));
  } catch (e) {
    return failure(e);
  }
}
