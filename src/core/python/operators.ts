/**
 * Python's operators and the builtins the evaluator computes, on values it knows. Each returns the result, or
 * a string saying why it cannot be known (the interpreter turns that into an `unknown` naming the expression).
 * Nothing here knows about Keras.
 */
import { pyList, pyNumber, pyRepr, pyStr, pyTuple } from '../repr';
import { num, truthOf, type UnknownLength, type Value } from './values';

/** Longest sequence `range()` and friends unroll; a longer one is unknown (a bound on the editor's work). */
export const MAX_SEQUENCE = 10_000;

type Result = Value | string;

/** Why a list's length cannot be read: the code that changed it ran an unknown number of times. */
export function unknownLengthWhy(u: UnknownLength): string {
  return `the list's length is unknown: ${u.what}`;
}

export function arith(op: string, a: Value, b: Value): Result {
  if (a.kind === 'seq' && b.kind === 'seq' && op === '+') {
    const joined: Value = { kind: 'seq', items: [...a.items, ...b.items], tuple: a.tuple };
    // Only what precedes the first uncertain part is certain.
    const offset = a.items.length;
    const unsure = a.unknownLength
      ? { ...a.unknownLength }
      : b.unknownLength
        ? { ...b.unknownLength, known: offset + b.unknownLength.known, end: offset + b.unknownLength.end }
        : undefined;
    if (unsure) joined.unknownLength = unsure;
    return joined;
  }
  if (a.kind === 'seq' && a.unknownLength && op === '*') return unknownLengthWhy(a.unknownLength);
  if (a.kind === 'seq' && b.kind === 'number' && op === '*' && b.isInt) {
    if (a.items.length * b.value > MAX_SEQUENCE) return 'the sequence is too long to unroll';
    return { kind: 'seq', items: new Array(Math.max(0, b.value)).fill(a.items).flat(), tuple: a.tuple };
  }
  if (a.kind === 'string' && b.kind === 'string' && op === '+') return { kind: 'string', value: a.value + b.value };
  const x = a.kind === 'number' ? a : a.kind === 'bool' ? num(Number(a.value)) : null;
  const y = b.kind === 'number' ? b : b.kind === 'bool' ? num(Number(b.value)) : null;
  if (!x || !y || x.kind !== 'number' || y.kind !== 'number') return 'it cannot be resolved statically';
  const ints = x.isInt && y.isInt;
  switch (op) {
    case '+':
      return { kind: 'number', value: x.value + y.value, isInt: ints };
    case '-':
      return { kind: 'number', value: x.value - y.value, isInt: ints };
    case '*':
      return { kind: 'number', value: x.value * y.value, isInt: ints };
    case '/':
      return y.value === 0 ? 'it divides by zero' : { kind: 'number', value: x.value / y.value, isInt: false };
    case '//':
      return y.value === 0 ? 'it divides by zero' : { kind: 'number', value: Math.floor(x.value / y.value), isInt: ints };
    case '%':
      return y.value === 0 ? 'it divides by zero' : { kind: 'number', value: ((x.value % y.value) + y.value) % y.value, isInt: ints };
    case '**':
      return { kind: 'number', value: x.value ** y.value, isInt: ints && y.value >= 0 };
    default:
      return 'it cannot be resolved statically';
  }
}

/** Python equality of two known values; null when it cannot tell (a layer, a model, something unknown). */
export function equal(a: Value, b: Value): boolean | null {
  const scalar = (v: Value) => (v.kind === 'number' ? v.value : v.kind === 'bool' ? Number(v.value) : undefined);
  const x = scalar(a);
  const y = scalar(b);
  if (x !== undefined && y !== undefined) return x === y;
  if (a.kind === 'string' && b.kind === 'string') return a.value === b.value;
  if (a.kind === 'none' || b.kind === 'none') return a.kind === b.kind ? true : known(a) && known(b) ? false : null;
  if (a.kind === 'seq' && b.kind === 'seq') {
    if (a.unknownLength || b.unknownLength) return null;
    if (a.tuple !== b.tuple || a.items.length !== b.items.length) return false;
    for (let i = 0; i < a.items.length; i++) {
      const e = equal(a.items[i], b.items[i]);
      if (e !== true) return e;
    }
    return true;
  }
  if (known(a) && known(b) && a.kind !== b.kind) return false;
  return null;
}

function known(v: Value): boolean {
  return ['number', 'string', 'bool', 'none', 'seq', 'dict'].includes(v.kind);
}

/** `in`: membership in a known sequence, string or dict. */
function contains(container: Value, item: Value): boolean | null {
  if (container.kind === 'string' && item.kind === 'string') return container.value.includes(item.value);
  if (container.kind === 'dict') return item.kind === 'string' ? container.entries.has(item.value) : null;
  if (container.kind !== 'seq') return null;
  let unsure = false;
  for (const x of container.items) {
    const e = equal(x, item);
    if (e === true) return true;
    if (e === null) unsure = true;
  }
  return unsure || container.unknownLength ? null : false;
}

/** Comparison operators (`<`, `==`, `in`, `is not`…) on known values; null when it cannot tell. */
export function compare(op: string, a: Value, b: Value): boolean | null {
  switch (op) {
    case '==':
      return equal(a, b);
    case '!=': {
      const e = equal(a, b);
      return e === null ? null : !e;
    }
    case 'is':
    case 'is not': {
      // Only identity with None (and True/False) is knowable without objects; any value LayerLens holds (a Keras
      // tensor, a layer, a model too: `input_tensor is None`) is not None.
      if (a.kind !== 'none' && b.kind !== 'none' && a.kind !== 'bool' && b.kind !== 'bool') return null;
      const e =
        a.kind === b.kind && (a.kind !== 'bool' || (b.kind === 'bool' && a.value === b.value))
          ? true
          : a.kind !== 'unknown' && b.kind !== 'unknown'
            ? false
            : null;
      return e === null ? null : op === 'is' ? e : !e;
    }
    case 'in':
    case 'not in': {
      const c = contains(b, a);
      return c === null ? null : op === 'in' ? c : !c;
    }
  }
  const x = a.kind === 'number' || a.kind === 'bool' ? Number(a.value) : a.kind === 'string' ? a.value : null;
  const y = b.kind === 'number' || b.kind === 'bool' ? Number(b.value) : b.kind === 'string' ? b.value : null;
  if (x === null || y === null || typeof x !== typeof y) return null;
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
    default:
      return null;
  }
}

/** The items a `for` loop (or a builtin taking an iterable) goes through; null when they are not known. */
export function iterate(v: Value): Value[] | null {
  switch (v.kind) {
    case 'seq':
      return v.unknownLength ? null : v.items;
    case 'string':
      return [...v.value].map((c) => ({ kind: 'string', value: c }));
    case 'dict':
      return [...v.entries.keys()].map((k) => ({ kind: 'string', value: k }));
    default:
      return null;
  }
}

const tuple = (items: Value[]): Value => ({ kind: 'seq', items, tuple: true });
const list = (items: Value[]): Value => ({ kind: 'seq', items, tuple: false });

/** Builtins on known values: `args` are the positional arguments, `keywords` the named ones. */
export function builtin(name: string, args: Value[], keywords: Map<string, Value> = new Map()): Result {
  const bad = args.find((v) => v.kind === 'unknown') ?? [...keywords.values()].find((v) => v.kind === 'unknown');
  if (bad) return bad;
  const nums = (vs: Value[]) => (vs.every((v) => v.kind === 'number') ? (vs as { value: number; isInt: boolean }[]) : null);
  const [first] = args;
  switch (name) {
    case 'int':
      return first?.kind === 'number'
        ? num(Math.trunc(first.value))
        : first?.kind === 'bool'
          ? num(Number(first.value))
          : first?.kind === 'string' && /^\s*-?\d+\s*$/.test(first.value)
            ? num(parseInt(first.value, 10))
            : 'it cannot be resolved statically';
    case 'float':
      return first?.kind === 'number' ? { kind: 'number', value: first.value, isInt: false } : 'it cannot be resolved statically';
    case 'bool': {
      const t = first ? truthOf(first) : false;
      return t === null ? 'it cannot be resolved statically' : { kind: 'bool', value: t };
    }
    case 'str': {
      if (first?.kind === 'string') return first;
      const text = first ? reprOf(first) : '';
      return text === null ? 'it cannot be resolved statically' : { kind: 'string', value: text };
    }
    case 'tuple':
    case 'list': {
      if (!first) return name === 'tuple' ? tuple([]) : list([]);
      const items = iterate(first);
      return items ? { kind: 'seq', items: [...items], tuple: name === 'tuple' } : 'it cannot be resolved statically';
    }
    case 'dict': {
      const entries = new Map<string, Value>();
      const pairs = first ? (first.kind === 'dict' ? [...first.entries].map(([k, v]) => tuple([{ kind: 'string', value: k }, v])) : iterate(first)) : [];
      for (const p of pairs ?? []) {
        if (p.kind !== 'seq' || p.items[0]?.kind !== 'string' || p.items.length !== 2) return 'it cannot be resolved statically';
        entries.set(p.items[0].value, p.items[1]);
      }
      if (!pairs) return 'it cannot be resolved statically';
      for (const [k, v] of keywords) entries.set(k, v);
      return { kind: 'dict', entries };
    }
    case 'len':
      return first?.kind === 'seq'
        ? first.unknownLength
          ? unknownLengthWhy(first.unknownLength)
          : num(first.items.length)
        : first?.kind === 'string'
          ? num(first.value.length)
          : first?.kind === 'dict'
            ? num(first.entries.size)
            : 'it cannot be resolved statically';
    case 'abs':
      return first?.kind === 'number' ? { ...first, value: Math.abs(first.value) } : 'it cannot be resolved statically';
    case 'round':
      return first?.kind === 'number' && args.length === 1 ? num(Math.round(first.value)) : 'it cannot be resolved statically';
    case 'max':
    case 'min':
    case 'sum': {
      const ns = nums(args.length === 1 ? (iterate(first) ?? []) : args);
      if (!ns || ns.length === 0) return 'it cannot be resolved statically';
      const values = ns.map((n) => n.value);
      const value = name === 'max' ? Math.max(...values) : name === 'min' ? Math.min(...values) : values.reduce((a, b) => a + b, 0);
      return { kind: 'number', value, isInt: ns.every((n) => n.isInt) };
    }
    case 'range': {
      const ns = nums(args);
      if (!ns || ns.length < 1 || ns.length > 3 || !ns.every((n) => n.isInt)) return 'it cannot be resolved statically';
      const [start, stop, step] = ns.length === 1 ? [0, ns[0].value, 1] : [ns[0].value, ns[1].value, ns[2]?.value ?? 1];
      if (step === 0) return 'range() arg 3 must not be zero';
      const count = Math.max(0, Math.ceil((stop - start) / step));
      if (count > MAX_SEQUENCE) return `it has ${count.toLocaleString('en-US')} items, more than LayerLens unrolls (${MAX_SEQUENCE.toLocaleString('en-US')})`;
      return list(Array.from({ length: count }, (_, i) => num(start + i * step)));
    }
    case 'enumerate': {
      const items = first ? iterate(first) : null;
      const startArg = args[1] ?? keywords.get('start');
      const start = startArg?.kind === 'number' ? startArg.value : 0;
      return items ? list(items.map((v, i) => tuple([num(start + i), v]))) : 'it cannot be resolved statically';
    }
    case 'zip': {
      const all: Value[][] = [];
      for (const a of args) {
        const items = iterate(a);
        if (!items) return 'it cannot be resolved statically';
        all.push(items);
      }
      const n = Math.min(...all.map((a) => a.length));
      return list(Array.from({ length: all.length ? n : 0 }, (_, i) => tuple(all.map((a) => a[i]))));
    }
    case 'reversed': {
      const items = first ? iterate(first) : null;
      return items ? list([...items].reverse()) : 'it cannot be resolved statically';
    }
    case 'sorted': {
      const ns = first ? nums(iterate(first) ?? []) : null;
      return ns ? list(([...ns] as Extract<Value, { kind: 'number' }>[]).sort((a, b) => a.value - b.value)) : 'it cannot be resolved statically';
    }
    default:
      return 'it is a call LayerLens does not evaluate';
  }
}

/** Methods of lists and dicts that code building a model uses; mutating ones change `self` in place. */
export function callMethod(self: Value, method: string, args: Value[]): Result {
  if (self.kind === 'seq' && !self.tuple) {
    switch (method) {
      case 'append':
        if (self.items.length >= MAX_SEQUENCE) return 'the list is too long to follow';
        self.items.push(args[0] ?? { kind: 'none' });
        return { kind: 'none' };
      case 'extend': {
        const items = args[0] ? iterate(args[0]) : null;
        if (!items) {
          self.items.push(args[0] ?? { kind: 'none' });
          return 'it cannot be resolved statically';
        }
        self.items.push(...items);
        return { kind: 'none' };
      }
      case 'insert': {
        const at = args[0];
        if (at?.kind !== 'number' || !at.isInt) return 'it cannot be resolved statically';
        if (self.unknownLength) {
          // Only a place among the certain items is known (counted from the end, it moves with the unknown ones).
          if (at.value < 0 || at.value > self.unknownLength.known) return unknownLengthWhy(self.unknownLength);
          self.unknownLength = { ...self.unknownLength, known: self.unknownLength.known + 1, end: self.unknownLength.end + 1 };
        }
        const i = at.value < 0 ? Math.max(0, self.items.length + at.value) : Math.min(self.items.length, at.value);
        self.items.splice(i, 0, args[1] ?? { kind: 'none' });
        return { kind: 'none' };
      }
      case 'pop': {
        const at = args[0];
        if (self.unknownLength) return unknownLengthWhy(self.unknownLength);
        if (self.items.length === 0) return 'it pops from an empty list';
        if (!at) return self.items.pop() ?? 'it pops from an empty list';
        if (at.kind !== 'number' || !at.isInt) return 'it cannot be resolved statically';
        const i = at.value < 0 ? self.items.length + at.value : at.value;
        return self.items.splice(i, 1)[0] ?? 'the index is out of range';
      }
      case 'clear':
        self.items.length = 0;
        delete self.unknownLength;
        return { kind: 'none' };
      case 'remove':
      case 'sort':
      case 'reverse':
        // Not followed: what the list holds after it is not known.
        self.unknownLength = { known: 0, end: self.items.length, what: `it is changed by \`.${method}()\`, which LayerLens does not follow`, keyword: method };
        return 'it is a call LayerLens does not evaluate';
      case 'copy':
        return { ...self, items: [...self.items] };
    }
  }
  if (self.kind === 'dict') {
    switch (method) {
      case 'items':
        return list([...self.entries].map(([k, v]) => tuple([{ kind: 'string', value: k }, v])));
      case 'keys':
        return list([...self.entries.keys()].map((k) => ({ kind: 'string', value: k })));
      case 'values':
        return list([...self.entries.values()]);
      case 'get': {
        const key = args[0];
        if (key?.kind !== 'string') return 'it cannot be resolved statically';
        return self.entries.get(key.value) ?? args[1] ?? { kind: 'none' };
      }
    }
  }
  return 'it is a call LayerLens does not evaluate';
}

/** Python's `repr` of a value LayerLens knows (`(150, 150, 3)`, `None`, `'avg'`, `1.0`); null for one it does not. */
export function reprOf(v: Value): string | null {
  switch (v.kind) {
    case 'number':
      return pyNumber(v.value, v.isInt);
    case 'string':
      return pyStr(v.value);
    case 'bool':
      return pyRepr(v.value);
    case 'none':
      return pyRepr(null);
    case 'seq': {
      if (v.unknownLength) return null;
      const items = v.items.map(reprOf);
      if (items.some((i) => i === null)) return null;
      return v.tuple ? pyTuple(items as string[]) : pyList(items as string[]);
    }
    default:
      return null;
  }
}

/** Builtins the evaluator can compute (`builtin` above), bound where the file does not bind their names. */
export const BUILTINS = new Set([
  'int',
  'float',
  'bool',
  'str',
  'dict',
  'tuple',
  'list',
  'len',
  'max',
  'min',
  'abs',
  'round',
  'sum',
  'range',
  'enumerate',
  'zip',
  'reversed',
  'sorted',
]);
