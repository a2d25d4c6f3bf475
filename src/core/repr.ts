/**
 * The one printer of Python values and shapes: `repr` of plain values (messages in Keras' words, `str()` in the
 * interpreter, Python source the extension writes) and the two ways a shape is shown, as Keras' tuple and as a
 * size (`3×3`). No `vscode`, no DOM: the core, the CLI, the extension and the webview all print through it.
 */

/** A plain Python value: a number, string, bool, None (null or undefined), a tuple (an array) or a dict (an object). */
export type PyPlain = number | string | boolean | null | undefined | readonly PyPlain[] | { readonly [key: string]: PyPlain };

/** A tuple of items already printed: `(3,)` for one, `()` for none. */
export function pyTuple(items: readonly string[]): string {
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

/** A list of items already printed: `[1, 2]`. */
export function pyList(items: readonly string[]): string {
  return `[${items.join(', ')}]`;
}

// Python's `str.isprintable` is false for these categories (a space excepted); `repr` escapes them.
const UNPRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;
const SHORT_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * Python's `repr` of a string: single quotes, double quotes when the text has a single quote and no double one;
 * backslash, tab, newline, carriage return and the quote escaped, other unprintable characters as `\xNN`,
 * `\uNNNN` or `\UNNNNNNNN`.
 */
export function pyStr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    if (ch === quote) out += `\\${ch}`;
    else if (SHORT_ESCAPES[ch]) out += SHORT_ESCAPES[ch];
    else if (ch !== ' ' && UNPRINTABLE.test(ch)) {
      const code = ch.codePointAt(0) as number;
      const [prefix, width] = code <= 0xff ? ['x', 2] : code <= 0xffff ? ['u', 4] : ['U', 8];
      out += `\\${prefix}${code.toString(16).padStart(width, '0')}`;
    } else out += ch;
  }
  return `${quote}${out}${quote}`;
}

/** Python's `repr` of a float: the shortest digits that read back the same, `1.0`, `1e-05`, `1e+16`, `inf`, `nan`. */
function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  // JavaScript picks the same shortest round-trip digits as Python; only where the exponent form starts differs.
  const [mantissa, e] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(e);
  if (exp < -4 || exp >= 16) {
    const m = digits.length === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  return `${sign}${digits.slice(0, exp + 1).padEnd(exp + 1, '0')}.${digits.slice(exp + 1) || '0'}`;
}

/**
 * Python's `repr` of a number. `isInt` says whether Python holds an int or a float (`1` or `1.0`); where the caller
 * does not know, a whole number prints as an int and any other as a float.
 */
export function pyNumber(n: number, isInt?: boolean): string {
  const int = isInt ?? Number.isInteger(n);
  if (!int || !Number.isFinite(n)) return floatRepr(n);
  return Number.isSafeInteger(n) ? String(n) : BigInt(Math.trunc(n)).toString();
}

/**
 * Python's `repr` of a plain value, for messages in Keras' words and for source the extension writes. An array
 * is a tuple (as Keras normalises its arguments), `(3,)` for one item; with `list`, the outermost one is a list
 * (`[1, 2]`: a list as written, or as Keras keeps it). A number's int or float is guessed (see `pyNumber`), except
 * that NaN, the core's number it could not resolve, prints `None` as the JSON config has it.
 */
export function pyRepr(v: PyPlain, options: { list?: boolean } = {}): string {
  if (v === undefined || v === null) return 'None';
  if (typeof v === 'string') return pyStr(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return Number.isNaN(v) ? 'None' : pyNumber(v);
  if (Array.isArray(v)) {
    const items = (v as readonly PyPlain[]).map((x) => pyRepr(x));
    return options.list ? pyList(items) : pyTuple(items);
  }
  return `{${Object.entries(v)
    .map(([k, x]) => `${pyStr(k)}: ${pyRepr(x)}`)
    .join(', ')}}`;
}

/**
 * A shape as Keras prints it, a tuple with None for a dimension Keras leaves open (and for one the core could not
 * resolve, NaN): `(None, 26, 26, 32)`, `(None,)`; `?` when even the rank is unknown.
 */
export function shapeRepr(shape: readonly (number | null)[] | null): string {
  return shape ? pyTuple(shape.map((d) => (d === null || Number.isNaN(d) ? 'None' : pyNumber(d, true)))) : '?';
}

/** Sizes along axes, as a receptive field or a feature map is spoken of: `3×5`, `18`; `?` for one unknown. */
export function sizeText(sizes: readonly (number | null)[]): string {
  return sizes.map((s) => (s === null || Number.isNaN(s) ? '?' : String(s))).join('×');
}
