/**
 * Rewrites the formatting of Python source without changing what it means, for the metamorphic tests: a
 * rewrite that cannot change the program must not change a number LayerLens shows.
 *
 * It works on Python's own tokenization rules (strings with their prefixes and triple quotes, comments,
 * implicit line joining inside brackets, backslash continuations, INDENT/DEDENT), so no string is ever
 * touched. What it does, each independently switchable:
 * - `comments`: a comment at the end of the line after every opening bracket and comma inside brackets, and a
 *   comment on a line of its own; both hold brackets, quotes and commas of their own;
 * - `breaks`: a line break after every opening bracket and every comma inside brackets;
 * - `blankLines`: blank lines inside brackets;
 * - `trailingCommas`: a trailing comma in every non-empty call, definition, list, set, dict and tuple where
 *   Python allows one without changing the meaning (never in a subscript or a parenthesised expression);
 * - `parens`: redundant parentheses around every argument, element and keyword value that can take them;
 * - `backslashes`: a backslash continuation after the `=` of an assignment and after `return`;
 * - `tabs`: block indentation with tabs, and tabs between tokens;
 * - `column0`: every keyword argument (and parameter default) on a line of its own, and every line that continues
 *   a statement (inside brackets or after a backslash) at column 0, left of the statement's own indentation;
 * - `semicolons`: two simple statements in a row at the same indentation joined on one line by `;`.
 */

export interface ReformatOptions {
  comments?: boolean;
  breaks?: boolean;
  blankLines?: boolean;
  trailingCommas?: boolean;
  parens?: boolean;
  backslashes?: boolean;
  tabs?: boolean;
  column0?: boolean;
  semicolons?: boolean;
}

export const ALL_REWRITES: Required<ReformatOptions> = {
  comments: true,
  breaks: true,
  blankLines: true,
  trailingCommas: true,
  parens: true,
  backslashes: true,
  tabs: true,
  column0: true,
  semicolons: true,
};

/** First words of the lines that are not simple statements (compound statements' headers and their clauses). */
const COMPOUND = new Set(['if', 'elif', 'else', 'for', 'while', 'try', 'except', 'finally', 'with', 'def', 'class', 'async', 'match', 'case']);

type Kind = 'name' | 'number' | 'string' | 'op' | 'comment' | 'newline' | 'raw';

interface Token {
  kind: Kind;
  text: string;
  start: number;
  end: number;
  /** Bracket depth before this token. */
  depth: number;
  /** Block indentation level of the logical line the token is on. */
  level: number;
  /** The token begins a logical line. */
  lineStart: boolean;
  /** Source between the previous token and this one ran over a line end (inside brackets or by a backslash). */
  brokenBefore: boolean;
}

const OPERATORS = [
  '**=',
  '//=',
  '>>=',
  '<<=',
  '...',
  '!=',
  '%=',
  '&=',
  '**',
  '*=',
  '+=',
  '-=',
  '->',
  '//',
  '/=',
  ':=',
  '<<',
  '<=',
  '==',
  '>=',
  '>>',
  '@=',
  '^=',
  '|=',
  '~',
  '!',
  '%',
  '&',
  '(',
  ')',
  '*',
  '+',
  ',',
  '-',
  '.',
  '/',
  ':',
  ';',
  '<',
  '=',
  '>',
  '@',
  '[',
  ']',
  '^',
  '{',
  '|',
  '}',
];
const NAME = /[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}_]*/uy;
const NUMBER = /(?:0[xX][\da-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?)[jJ]?/y;
const STRING_PREFIX = /(?:[rR][bBfF]?|[bBfF][rR]?|[uU])?(?='|")/y;
const OPENERS = new Set(['(', '[', '{']);
const CLOSERS = new Set([')', ']', '}']);
const KEYWORDS = new Set([
  'False',
  'None',
  'True',
  'and',
  'as',
  'assert',
  'async',
  'await',
  'break',
  'class',
  'continue',
  'def',
  'del',
  'elif',
  'else',
  'except',
  'finally',
  'for',
  'from',
  'global',
  'if',
  'import',
  'in',
  'is',
  'lambda',
  'nonlocal',
  'not',
  'or',
  'pass',
  'raise',
  'return',
  'try',
  'while',
  'with',
  'yield',
]);

function stringEnd(src: string, i: number): number {
  const q = src[i];
  const triple = src[i + 1] === q && src[i + 2] === q;
  let k = i + (triple ? 3 : 1);
  while (k < src.length) {
    const ch = src[k];
    if (ch === '\\') k += 2;
    else if (triple ? src.startsWith(q.repeat(3), k) : ch === q) return k + (triple ? 3 : 1);
    else if (!triple && ch === '\n') throw new Error(`unterminated string at ${i}`);
    else k++;
  }
  throw new Error(`unterminated string at ${i}`);
}

/** Python's tokenizer, as far as formatting needs it. Throws on what Python would refuse to tokenize. */
export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  const indents = [0];
  let depth = 0;
  let i = 0;
  let atLineStart = true;
  let brokenBefore = false;
  let lineStart = true;
  while (i < src.length) {
    if (atLineStart && depth === 0) {
      // Measure the indentation of a line; blank and comment-only lines do not change it.
      let k = i;
      let width = 0;
      while (src[k] === ' ' || src[k] === '\t') {
        width = src[k] === '\t' ? width + 8 - (width % 8) : width + 1;
        k++;
      }
      const ch = src[k];
      if (ch === undefined) break;
      if (ch === '\n' || ch === '\r' || ch === '#') {
        i = k;
        if (ch === '#') {
          const e = src.indexOf('\n', k);
          const end = e < 0 ? src.length : e;
          tokens.push({
            kind: 'comment',
            text: src.slice(k, end).replace(/\r$/, ''),
            start: k,
            end,
            depth,
            level: indents.length - 1,
            lineStart: true,
            brokenBefore: false,
          });
          i = end;
        }
        if (src[i] === '\r') i++;
        if (src[i] === '\n') i++;
        tokens.push({ kind: 'newline', text: '\n', start: i, end: i, depth, level: indents.length - 1, lineStart: false, brokenBefore: false });
        continue;
      }
      if (width > indents[indents.length - 1]) indents.push(width);
      while (width < indents[indents.length - 1]) indents.pop();
      if (width !== indents[indents.length - 1]) throw new Error(`inconsistent dedent at ${k}`);
      i = k;
      atLineStart = false;
      lineStart = true;
      if (ch === '%' || ch === '!') {
        // IPython magics and shell lines: one opaque token to the end of the line.
        const e = src.indexOf('\n', k);
        const end = e < 0 ? src.length : e;
        tokens.push({ kind: 'raw', text: src.slice(k, end), start: k, end, depth, level: indents.length - 1, lineStart: true, brokenBefore: false });
        i = end;
        continue;
      }
    }
    const ch = src[i];
    if (ch === ' ' || ch === '\t' || ch === '\f' || ch === '\r') {
      i++;
      continue;
    }
    if (ch === '\\' && (src[i + 1] === '\n' || (src[i + 1] === '\r' && src[i + 2] === '\n'))) {
      i += src[i + 1] === '\n' ? 2 : 3;
      brokenBefore = true;
      continue;
    }
    const push = (kind: Kind, end: number) => {
      tokens.push({ kind, text: src.slice(i, end), start: i, end, depth, level: indents.length - 1, lineStart, brokenBefore });
      lineStart = false;
      brokenBefore = false;
      i = end;
    };
    if (ch === '\n') {
      if (depth > 0) {
        brokenBefore = true;
        i++;
        continue;
      }
      tokens.push({ kind: 'newline', text: '\n', start: i, end: i + 1, depth, level: indents.length - 1, lineStart: false, brokenBefore: false });
      i++;
      atLineStart = true;
      continue;
    }
    if (ch === '#') {
      const e = src.indexOf('\n', i);
      push('comment', e < 0 ? src.length : src[e - 1] === '\r' ? e - 1 : e);
      continue;
    }
    STRING_PREFIX.lastIndex = i;
    const prefix = STRING_PREFIX.exec(src);
    if (prefix && (prefix[0].length > 0 || ch === '"' || ch === "'")) {
      push('string', stringEnd(src, i + prefix[0].length));
      continue;
    }
    NUMBER.lastIndex = i;
    const number = /[\d.]/.test(ch) ? NUMBER.exec(src) : null;
    if (number && number[0] !== '.' && number[0].length > 0 && !(number[0].startsWith('.') && !/\d/.test(src[i + 1]))) {
      push('number', i + number[0].length);
      continue;
    }
    NAME.lastIndex = i;
    const name = NAME.exec(src);
    if (name) {
      push('name', i + name[0].length);
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) throw new Error(`cannot tokenize ${JSON.stringify(ch)} at ${i}`);
    if (OPENERS.has(op)) depth++;
    if (CLOSERS.has(op)) {
      if (depth === 0) throw new Error(`unmatched ${op} at ${i}`);
      push('op', i + 1);
      tokens[tokens.length - 1].depth = depth - 1;
      depth--;
      continue;
    }
    push('op', i + op.length);
    if (OPENERS.has(op)) tokens[tokens.length - 1].depth = depth - 1;
  }
  if (depth > 0) throw new Error('a bracket is never closed');
  return tokens;
}

/** One bracketed group: its opener and closer token indexes, what kind of group, and its elements. */
interface Group {
  open: number;
  close: number;
  kind: 'call' | 'def' | 'subscript' | 'list' | 'tuple' | 'paren' | 'braces' | 'import';
  /** Token index ranges [from, to) of the elements between top-level commas. */
  elements: [number, number][];
  hasFor: boolean;
  hasColon: boolean;
}

function groups(tokens: Token[]): Map<number, Group> {
  const result = new Map<number, Group>();
  const stack: number[] = [];
  const code = (k: number) => tokens[k].kind !== 'comment' && tokens[k].kind !== 'newline';
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind === 'op' && OPENERS.has(t.text)) stack.push(k);
    else if (t.kind === 'op' && CLOSERS.has(t.text)) {
      const open = stack.pop()!;
      let prev = open - 1;
      while (prev >= 0 && !code(prev)) prev--;
      const before = prev >= 0 ? tokens[prev] : null;
      const beforeName = before?.kind === 'name' && !KEYWORDS.has(before.text);
      const afterValue = before !== null && (beforeName || before.kind === 'string' || (before.kind === 'op' && CLOSERS.has(before.text)));
      let kind: Group['kind'];
      const opener = tokens[open].text;
      if (opener === '{') kind = 'braces';
      else if (opener === '[') kind = afterValue ? 'subscript' : 'list';
      else if (before?.text === 'import') kind = 'import';
      else if (beforeName && prev > 0 && tokens[prev - 1].text === 'def') kind = 'def';
      else if (afterValue) kind = 'call';
      else kind = 'paren';
      const elements: [number, number][] = [];
      let from = open + 1;
      let hasFor = false;
      let hasColon = false;
      for (let j = open + 1; j < k; j++) {
        if (tokens[j].depth !== t.depth + 1) continue;
        if (tokens[j].text === 'for' && tokens[j].kind === 'name') hasFor = true;
        if (tokens[j].text === ':' || tokens[j].text === 'lambda') hasColon = true;
        if (tokens[j].text === ',') {
          elements.push([from, j]);
          from = j + 1;
        }
      }
      elements.push([from, k]);
      const nonEmpty = elements.filter(([a, b]) => {
        for (let j = a; j < b; j++) if (code(j)) return true;
        return false;
      });
      if (kind === 'paren' && elements.length > 1) kind = 'tuple';
      result.set(open, { open, close: k, kind, elements: nonEmpty, hasFor, hasColon });
    }
  }
  return result;
}

/** Rewrites `src` as described above. Throws if the source is not tokenizable Python. */
export function reformat(src: string, options: ReformatOptions = ALL_REWRITES): string {
  const tokens = tokenize(src);
  const byOpen = groups(tokens);
  const code = (k: number) => tokens[k].kind !== 'comment' && tokens[k].kind !== 'newline';

  // Where redundant parentheses open and close, and where trailing commas go (before which closer).
  const parenOpen = new Map<number, number>();
  const parenClose = new Map<number, number>();
  const trailingComma = new Set<number>();
  for (const g of byOpen.values()) {
    const allowsComma = g.kind === 'call' || g.kind === 'def' || g.kind === 'list' || g.kind === 'tuple' || g.kind === 'braces' || g.kind === 'import';
    if (options.trailingCommas && allowsComma && !g.hasFor && g.elements.length > 0) trailingComma.add(g.close);
    if (!options.parens || g.kind === 'def' || g.kind === 'import' || g.hasFor || g.hasColon) continue;
    for (const [from, to] of g.elements) {
      let a = from;
      while (a < to && !code(a)) a++;
      let b = to - 1;
      while (b > a && !code(b)) b--;
      if (a > b) continue;
      if (tokens[a].text === '*' || tokens[a].text === '**' || tokens[a].text === 'yield') continue;
      // `name=value`: the value alone.
      if (tokens[a].kind === 'name' && tokens[a + 1]?.text === '=' && g.kind === 'call') a += 2;
      if (a > b) continue;
      parenOpen.set(a, (parenOpen.get(a) ?? 0) + 1);
      parenClose.set(b, (parenClose.get(b) ?? 0) + 1);
    }
  }

  const out: string[] = [];
  const indent = (level: number) => (options.tabs ? '\t'.repeat(level) : '    '.repeat(level));
  const continuation = (t: Token) => (options.column0 ? '' : indent(t.level) + (options.tabs ? '\t' : '    ').repeat(t.depth + 1));
  /** Index of the first token of the logical line after the one whose newline token is at `k`, if it is one of code. */
  const nextLine = (k: number) => (tokens[k + 1]?.lineStart && tokens[k + 1].kind !== 'comment' && tokens[k + 1].kind !== 'raw' ? k + 1 : -1);
  const simpleLine = (first: number) =>
    tokens[first].kind !== 'raw' && !(COMPOUND.has(tokens[first].text) && tokens[first].kind === 'name') && tokens[first].text !== '@';
  let lineFirst = 0;
  let joined = false;
  let lastCode: Token | null = null;
  let commentCount = 0;
  let sinceBlank = 0;
  const note = () => {
    commentCount++;
    return `# note ${commentCount}: (]'",[ "a, b" )`;
  };
  /** After an opener or a comma inside brackets: comments, a line break, blank lines, as chosen. */
  const breakInside = (next: Token) => {
    if (!options.breaks && !options.comments && !options.blankLines) return false;
    if (options.comments) out.push(`  ${note()}`);
    if (options.comments || options.breaks) out.push('\n');
    else return false;
    if (options.blankLines && sinceBlank++ % 2 === 0) out.push('\n');
    if (options.comments && commentCount % 3 === 0) out.push(`${continuation(next)}${note()}\n`);
    return true;
  };
  let pendingBreak = false;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind === 'newline') {
      // `a = 1; b = 2`: this line and the next are simple statements at one level (the line ends in code, not a comment).
      const next = nextLine(k);
      const join: boolean =
        options.semicolons === true &&
        !joined &&
        lastCode !== null &&
        tokens[k - 1] === lastCode &&
        next >= 0 &&
        tokens[next].level === t.level &&
        simpleLine(lineFirst) &&
        simpleLine(next);
      out.push(join ? '; ' : '\n');
      joined = join;
      lastCode = null;
      pendingBreak = false;
      continue;
    }
    if (t.lineStart) lineFirst = k;
    // A keyword argument (or a parameter's default) starts a line of its own.
    if (
      options.column0 &&
      t.depth > 0 &&
      t.kind === 'name' &&
      tokens[k + 1]?.text === '=' &&
      (lastCode?.text === '(' || lastCode?.text === ',') &&
      !pendingBreak
    ) {
      out.push('\n');
      pendingBreak = true;
    }
    // Separation from the previous token.
    if (t.lineStart) {
      if (!joined) out.push(indent(t.level));
    } else if (pendingBreak) out.push(continuation(t));
    else if (t.brokenBefore) {
      if (t.depth === 0) out.push(' \\');
      out.push('\n', continuation(t));
    } else if (lastCode || (k > 0 && tokens[k - 1].kind === 'comment')) {
      const gap = src.slice(tokens[k - 1].end, t.start);
      out.push(options.tabs && gap.length > 0 ? '\t' : gap);
    }
    pendingBreak = false;
    if (t.kind === 'op' && CLOSERS.has(t.text) && trailingComma.has(k) && lastCode?.text !== ',') out.push(',');
    for (let n = parenOpen.get(k) ?? 0; n > 0; n--) out.push('(');
    out.push(t.text);
    for (let n = parenClose.get(k) ?? 0; n > 0; n--) out.push(')');
    if (t.kind === 'comment') {
      // A comment ends its physical line; inside brackets the next token continues on the next one.
      if (t.depth > 0 || (k + 1 < tokens.length && tokens[k + 1].kind !== 'newline')) {
        out.push('\n');
        pendingBreak = true;
      }
      continue;
    }
    lastCode = t;
    const next = tokens[k + 1];
    if (!next || next.kind === 'newline' || next.kind === 'comment') continue;
    const inside = t.depth > 0 || (t.kind === 'op' && OPENERS.has(t.text));
    if (inside && t.kind === 'op' && (OPENERS.has(t.text) || t.text === ',') && !(next.kind === 'op' && CLOSERS.has(next.text) && !trailingComma.has(k + 1))) {
      if (breakInside(next)) pendingBreak = true;
    } else if (options.backslashes && t.depth === 0 && ((t.kind === 'op' && t.text === '=') || (t.kind === 'name' && t.text === 'return'))) {
      out.push(' \\\n');
      pendingBreak = true;
    }
  }
  return out.join('');
}
