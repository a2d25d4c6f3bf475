/**
 * Syntax errors, placed and worded as CPython 3.11 places and words them, one per broken statement (CPython stops at
 * the first; LayerLens reads on, one statement at a time). A statement with one is still read for the model it makes
 * (what comes before the error keeps its numbers), but none of its other diagnostics are shown: they would be about
 * a statement Python never runs, read from a repaired text ("strides must be a tuple" for a missing `)`).
 */
import type { Diagnostic, Range } from '../types';
import { chunkToSource, type BracketError, type Chunk } from './chunks';
import type { SourceText } from './sourceText';

/** CPython's tokenizer's words for a bracket that does not pair up. */
function bracketMessage(source: SourceText, e: BracketError): string {
  if (e.kind === 'never-closed') return `'${e.char}' was never closed`;
  if (e.kind === 'unmatched') return `unmatched '${e.char}'`;
  const opener = source.position(e.opener ?? e.at);
  const line = opener.line === source.position(e.at).line ? '' : ` on line ${opener.line}`;
  return `closing parenthesis '${e.char}' does not match opening parenthesis '${e.openerChar}'${line}`;
}

/**
 * The syntax error of each broken statement, and the statements' ranges: a bracket's from the chunking, else the
 * parser's, `parserError(i)` (null where the statement is not checked).
 */
/** The parser's first error in a statement, in offsets of the statement's text, and the text there. */
export interface ParserError {
  from: number;
  to: number;
  snippet: string;
}

export function syntaxErrors(
  source: SourceText,
  chunks: Chunk[],
  parserError: (index: number) => ParserError | null,
): { diagnostics: Diagnostic[]; broken: Range[] } {
  const diagnostics: Diagnostic[] = [];
  const broken: Range[] = [];
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i];
    const bracket = c.bracketErrors.length ? c.bracketErrors[0] : null;
    const error = bracket ? null : parserError(i);
    if (bracket) {
      diagnostics.push({ severity: 'error', code: 'syntax-error', message: bracketMessage(source, bracket), range: source.range(bracket.at, bracket.at + 1) });
    } else if (error) {
      const from = chunkToSource(c, error.from);
      const to = Math.max(chunkToSource(c, error.to), from + 1);
      diagnostics.push({
        severity: 'error',
        code: 'syntax-error',
        message: error.snippet ? `invalid syntax near \`${error.snippet.slice(0, 40)}\`` : 'invalid syntax',
        range: source.range(from, to),
      });
    } else continue;
    broken.push(source.range(c.start, c.end));
  }
  return { diagnostics, broken };
}

function before(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.column < b.column);
}

/** `diagnostics` less those that start inside a broken statement (other than its syntax error). */
export function withoutFollowUps(diagnostics: Diagnostic[], broken: Range[]): Diagnostic[] {
  if (broken.length === 0) return diagnostics;
  return diagnostics.filter(
    (d) => d.code === 'syntax-error' || !broken.some((b) => b.cell === d.range.cell && !before(d.range.start, b.start) && before(d.range.start, b.end)),
  );
}
