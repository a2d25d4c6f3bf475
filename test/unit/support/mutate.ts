/** Mutations of real sources that people produce while typing, and some they never should. */
import { int, pick } from './random';

export type Mutation = (src: string, r: () => number) => string;

const JUNK = ['(', ')', '[', ']', '{', '}', ',', ':', '=', '"', "'", '"""', '\\', '#', '\0', '\t', '\n', ' ', 'é', '𝕏', '\u200b', '\r'];

export const MUTATIONS: Record<string, Mutation> = {
  truncate: (s, r) => s.slice(0, int(r, 0, s.length)),
  deleteBracket: (s, r) => {
    const idx = [...s].map((c, i) => ('()[]{}'.includes(c) ? i : -1)).filter((i) => i >= 0);
    if (!idx.length) return s;
    const i = pick(r, idx);
    return s.slice(0, i) + s.slice(i + 1);
  },
  extraBracket: (s, r) => {
    const i = int(r, 0, s.length);
    return s.slice(0, i) + pick(r, ['(', ')', '[', ']', '{', '}']) + s.slice(i);
  },
  junk: (s, r) => {
    let out = s;
    for (let k = int(r, 1, 8); k > 0; k--) {
      const i = int(r, 0, out.length);
      out = out.slice(0, i) + pick(r, JUNK) + out.slice(i);
    }
    return out;
  },
  nulBytes: (s, r) => {
    const i = int(r, 0, s.length);
    return `${s.slice(0, i)}\0\0\0${s.slice(i)}`;
  },
  swapTokens: (s, r) => {
    const tokens = s.split(/(\s+)/);
    if (tokens.length < 3) return s;
    const a = int(r, 0, tokens.length - 1);
    const b = int(r, 0, tokens.length - 1);
    [tokens[a], tokens[b]] = [tokens[b], tokens[a]];
    return tokens.join('');
  },
  deleteLine: (s, r) => {
    const lines = s.split('\n');
    lines.splice(int(r, 0, lines.length - 1), 1);
    return lines.join('\n');
  },
  duplicateLine: (s, r) => {
    const lines = s.split('\n');
    const i = int(r, 0, lines.length - 1);
    lines.splice(i, 0, lines[i]);
    return lines.join('\n');
  },
  reindent: (s, r) => {
    const lines = s.split('\n');
    const i = int(r, 0, lines.length - 1);
    lines[i] = ' '.repeat(int(r, 0, 9)) + lines[i].trimStart();
    return lines.join('\n');
  },
  unicodeIdentifiers: (s) => s.replace(/\bmodel\b/g, 'modèle_𝔪').replace(/\bIMG\b/g, 'ÏMG'),
  /** Lines from one on indented under a loop the evaluator unrolls, or may not: a known list, a long or unknown range, a while. */
  wrapInLoop: (s, r) => {
    const lines = s.split('\n');
    const i = int(r, 0, lines.length - 1);
    const head = pick(r, [
      'for f in [16, 32, 64]:',
      'for i, f in enumerate(range(3)):',
      `for _ in range(${int(r, 0, 100_000)}):`,
      'for x in data:',
      'while True:',
      `while n < ${int(r, 0, 50)}:`,
      'if len(sys.argv) > 1:',
    ]);
    return [...lines.slice(0, i), head, ...lines.slice(i).map((l) => `    ${l}`), ...(r() < 0.5 ? ['    break'] : [])].join('\n');
  },
  /** Lines from one on become the body of a function that is then called (or calls itself), with arguments. */
  wrapInFunction: (s, r) => {
    const lines = s.split('\n');
    const i = int(r, 0, lines.length - 1);
    const call = pick(r, ['model = build(3, width=8)', 'build(*[1, 2], **{"width": 4})', 'build()', 'm1, m2 = build(1), build(2)', '']);
    const recurse = r() < 0.2 ? ['    build(n + 1)'] : [];
    return [
      ...lines.slice(0, i),
      'def build(n=1, *args, width=32, **kw):',
      ...lines.slice(i).map((l) => `    ${l}`),
      ...recurse,
      '    return model',
      '',
      call,
    ].join('\n');
  },
};
