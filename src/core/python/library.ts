/**
 * Functions of Python's and NumPy's libraries that code computes sizes with, on values LayerLens knows:
 * `np.prod(shape)`, `math.prod(x.shape[1:])`. Each returns the result, a string saying why it cannot be known, or
 * null for a function this module does not evaluate. Nothing here knows about Keras.
 */
import { num, type Value } from './values';

/** Canonical paths (as imports give them) of the products: NumPy's flattens nested sequences, `math.prod` does not. */
const PRODUCTS: Record<string, 'numpy' | 'math'> = {
  'numpy.prod': 'numpy',
  'numpy.product': 'numpy',
  'math.prod': 'math',
};

export function libraryCall(path: string, positional: Value[], keywords: Map<string, Value>): Value | string | null {
  const product = PRODUCTS[path];
  if (product) return prod(product, positional, keywords);
  return null;
}

/**
 * The product of a sequence's items. `np.prod` of a sequence of ints is an int, of an empty one `1.0` (a float, as
 * NumPy gives it); `math.prod(items, start=1)` keeps Python's ints. A `None` among the items (an open dimension of a
 * Keras tensor's shape) is Python's TypeError, so the product is not known.
 */
function prod(kind: 'numpy' | 'math', positional: Value[], keywords: Map<string, Value>): Value | string {
  const [first, ...rest] = positional;
  if (!first) return 'it is given nothing to multiply';
  const allowed = kind === 'math' ? ['start'] : [];
  if (rest.length || [...keywords.keys()].some((k) => !allowed.includes(k)))
    return kind === 'math' ? 'it is given arguments LayerLens does not follow' : 'LayerLens follows `np.prod` of a whole sequence only (no `axis=`, `dtype=`…)';
  const start = keywords.get('start') ?? num(1);
  const unknown = [first, start].find((v) => v.kind === 'unknown');
  if (unknown) return unknown;
  const items: Value[] = [];
  const flatten = (v: Value, depth: number): string | null => {
    if (v.kind === 'seq') {
      if (v.unknownLength) return `the length of what it multiplies is unknown: ${v.unknownLength.what}`;
      if (depth > 0 && kind === 'math') return 'it multiplies a sequence of sequences';
      for (const item of v.items) {
        const why = flatten(item, depth + 1);
        if (why) return why;
      }
      return null;
    }
    if (depth === 0 && kind === 'math') return 'it multiplies something that is not a sequence';
    items.push(v);
    return null;
  };
  const why = flatten(first, 0);
  if (why) return why;
  let value = start.kind === 'number' ? start.value : start.kind === 'bool' ? Number(start.value) : NaN;
  if (Number.isNaN(value)) return 'its `start=` is not a number';
  let isInt = start.kind !== 'number' || start.isInt;
  for (const item of items) {
    if (item.kind === 'unknown') return item;
    if (item.kind === 'none') return 'a dimension it multiplies is None (not known until the model runs), which Python cannot multiply';
    if (item.kind === 'bool') value *= Number(item.value);
    else if (item.kind === 'number') {
      value *= item.value;
      isInt &&= item.isInt;
    } else return 'it multiplies something that is not a number';
  }
  // NumPy's product of nothing is the float 1.0; of ints, an int.
  if (kind === 'numpy' && items.length === 0) isInt = false;
  return { kind: 'number', value, isInt };
}
