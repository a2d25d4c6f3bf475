/**
 * Seeded edits as people make them, for the tests that follow a file along a chain of edits (incremental.test.ts,
 * reference.test.ts): one-character inserts, deletes and replacements (digits, brackets, quotes, colons, newlines,
 * letters), multi-line pastes and multi-line deletes.
 */
import { int, pick } from './random';

const ONE_CHAR = ['0', '1', '7', '9', 'a', 'x', '_', '.', ',', ':', '=', '(', ')', '[', ']', '"', "'", '#', ' ', '\n', '    '];

/** Offsets worth editing most: digits (layer arguments), and the text right around a model's lines. */
function hotOffset(text: string, r: () => number): number {
  if (r() < 0.5) {
    for (let tries = 0; tries < 20; tries++) {
      const i = int(r, 0, text.length - 1);
      const digit = text.slice(i).search(/\d/);
      if (digit >= 0) return i + digit;
    }
  }
  return int(r, 0, text.length);
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** One edit, as people make them; returns the new text. */
export function edit(text: string, r: () => number, sources: string[]): string {
  const kind = r();
  if (kind < 0.35) {
    // Replace one character (mostly a digit by another).
    const i = hotOffset(text, r);
    const ch = /\d/.test(text[i] ?? '') && r() < 0.7 ? String(int(r, 0, 9)) : pick(r, ONE_CHAR);
    return text.slice(0, i) + ch + text.slice(i + 1);
  }
  if (kind < 0.6) {
    const i = hotOffset(text, r);
    return text.slice(0, i) + pick(r, ONE_CHAR) + text.slice(i);
  }
  if (kind < 0.75) {
    const i = hotOffset(text, r);
    return text.slice(0, i) + text.slice(i + 1);
  }
  const starts = lineStarts(text);
  const at = pick(r, starts);
  if (kind < 0.9) {
    // Paste 1-12 lines copied from this file or another one, at a line start.
    const from = r() < 0.7 ? text : pick(r, sources);
    const fromStarts = lineStarts(from);
    const a = int(r, 0, fromStarts.length - 1);
    const b = Math.min(fromStarts.length - 1, a + int(r, 1, 12));
    const pasted = from.slice(fromStarts[a], b < fromStarts.length - 1 ? fromStarts[b] : from.length);
    return text.slice(0, at) + pasted + (pasted.endsWith('\n') ? '' : '\n') + text.slice(at);
  }
  // Delete 1-12 lines.
  const k = starts.indexOf(at);
  const end = starts[Math.min(starts.length - 1, k + int(r, 1, 12))];
  return text.slice(0, at) + text.slice(end > at ? end : text.length);
}
