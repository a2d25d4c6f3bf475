/** Python literal syntax: numbers and strings as the tokenizer wrote them. */

/** The value of a Python number literal, or null for complex numbers. */
export function parseNumber(text: string): { value: number; isInt: boolean } | null {
  const t = text.replace(/_/g, '').toLowerCase();
  if (t.endsWith('j')) return null;
  if (/^0[xob]/.test(t)) return { value: Number(t), isInt: true };
  const value = Number(t);
  if (Number.isNaN(value)) return null;
  return { value, isInt: /^\d+$/.test(t) };
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };

/** The value of a plain (non-f) string literal, prefix and quotes included in `text`. */
export function parseString(text: string): string | null {
  const m = /^([rRbBuU]{0,2})('''|"""|'|")/.exec(text);
  if (!m) return null;
  const raw = /r/i.test(m[1]);
  const q = m[2];
  let body = text.slice(m[0].length);
  if (body.endsWith(q)) body = body.slice(0, -q.length);
  return raw ? body : body.replace(/\\(.)/gs, (_, c: string) => (c === '\n' ? '' : (ESCAPES[c] ?? `\\${c}`)));
}
