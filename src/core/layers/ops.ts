/**
 * Operations on Keras tensors that LayerLens evaluates: `tf.expand_dims(x, -1)`, `keras.ops.concatenate([a, b])`,
 * `tf.math.reduce_mean(x, axis=1)`, `K.squeeze(x, 1)`, `x[:, -1, :]`, `x @ w`… Each is a row without weights, as
 * Keras prints it: a `keras.ops` function as Keras 3's operation (`expand_dims (ExpandDims)`, named as Keras 3
 * names its operations: the class in snake case); a TensorFlow or `keras.backend` function as the codebase names
 * any library call on a tensor (`expand_dims (tf.expand_dims)`: the function's last name, the call as written);
 * slicing as Keras 3's `GetItem`. Shapes follow TensorFlow's and Keras 3's shape functions (`compute_output_spec`):
 * negative axes, `keepdims`, None dimensions kept None, broadcasting from the right. What a rule cannot follow
 * (an axis that is a list where TF takes an int, a target shape with an unknown item) leaves the output unknown,
 * with a warning naming the call; what TF or Keras refuses (an axis out of range, shapes that do not fit) is an
 * error in their terms.
 */
import { broadcastShapes } from './merge';
import {
  calledInputs,
  LayerError,
  noTfjs,
  product,
  pyRepr,
  shapeRepr,
  toSnakeCase,
  Unresolved,
  type Dim,
  type InternalShape,
  type LayerContext,
  type PyDefault,
  type Rule,
} from './rule';
import type { Value } from '../python/values';

/** The kinds of operation, each with one shape rule. */
export type OpKind =
  | 'elementwise'
  | 'broadcast'
  | 'expand_dims'
  | 'squeeze'
  | 'reshape'
  | 'transpose'
  | 'concat'
  | 'stack'
  | 'reduce'
  | 'argmax'
  | 'tile'
  | 'matmul'
  | 'getitem'
  | 'flatten'
  | 'batch_flatten'
  | 'depth_to_space'
  | 'space_to_depth'
  | 'split'
  | 'unstack'
  | 'gather';

/** What the interpreter needs to make a call of an operation: its kind, the names of its arguments after the tensors, and their defaults. */
export interface OpSpec {
  kind: OpKind;
  /** The row's type (`ExpandDims`, `tf.expand_dims`) and the base of its name (`expand_dims`). */
  type: string;
  name: string;
  /** How the call takes its tensors: the first argument, the first two (binary), or a list as the first. */
  tensors: 'first' | 'two' | 'list';
  /** Argument names after the tensor argument(s), in the function's positional order. */
  signature: string[];
  defaults: Record<string, PyDefault>;
  /** TensorFlow's rules where they differ from NumPy's (Keras 3's ops): `tf.squeeze(x)` of a None dimension. */
  tf: boolean;
  /** A TensorFlow function's own name (`reduce_mean` of `tf.reduce_mean`), by which tf.keras 2 names its row. */
  tfName?: string;
}

/**
 * Elementwise functions of tf / tf.nn / tf.math / keras.ops / keras.activations / keras.backend: the output has the
 * input's shape, whatever the values (also what keras/tensorFunctions.ts knows of one it does not evaluate).
 */
export const ELEMENTWISE_FUNCTIONS: ReadonlySet<string> = new Set([
  'relu',
  'relu6',
  'elu',
  'selu',
  'gelu',
  'silu',
  'swish',
  'mish',
  'sigmoid',
  'hard_sigmoid',
  'hard_silu',
  'hard_swish',
  'tanh',
  'softplus',
  'softsign',
  'leaky_relu',
  'softmax',
  'log_softmax',
  'exp',
  'log',
  'log1p',
  'expm1',
  'sqrt',
  'rsqrt',
  'square',
  'abs',
  'negative',
  'reciprocal',
  'sign',
  'sin',
  'cos',
  'erf',
  'floor',
  'ceil',
  'round',
  'identity',
  'stop_gradient',
  'cast',
  'dropout',
  'l2_normalize',
]);

/** Evaluated here: the shared set, and ops whose extra arguments are scalars (`clip(x, 0, 1)`) or aliases. */
const ELEMENTWISE = new Set([...ELEMENTWISE_FUNCTIONS, 'absolute', 'clip_by_value', 'clip']);

/** Functions of two tensors (or a tensor and a number) that broadcast. */
const BINARY = new Set([
  'add',
  'subtract',
  'multiply',
  'divide',
  'truediv',
  'true_divide',
  'floor_divide',
  'floordiv',
  'maximum',
  'minimum',
  'pow',
  'power',
  'squared_difference',
]);

/** Reductions: TF's `reduce_*`, Keras 3's and `keras.backend`'s short names. */
const REDUCTIONS = new Set(['mean', 'sum', 'max', 'min', 'prod', 'std', 'var', 'variance', 'logsumexp', 'any', 'all', 'amax', 'amin', 'reduce_euclidean_norm']);

/** Keras 3's class for a `keras.ops` function where it is not the function's name in PascalCase. */
const KERAS_CLASS: Record<string, string> = {
  abs: 'Absolute',
  swish: 'Silu',
  hard_swish: 'HardSilu',
  divide: 'Divide',
  pow: 'Power',
  concatenate: 'Concatenate',
};

const pascal = (name: string) => name.replace(/(^|_)([a-z0-9])/g, (_m, _u, c: string) => c.toUpperCase());

/**
 * The operation a function is, by its canonical path (`tensorflow.math.reduce_mean`, `keras.ops.expand_dims`,
 * `keras.backend.mean`; `tf.keras` reads as `keras`), and how the call is written (`tf.reduce_mean`, the row's
 * type for a TensorFlow function); null where LayerLens does not evaluate it.
 */
export function opFor(path: string | null, written: string): OpSpec | null {
  if (!path) return null;
  const m = /^(tensorflow(?:\.math|\.nn|\.linalg)?|keras\.ops(?:\.numpy|\.nn|\.core)?|keras\.backend)\.(\w+)$/.exec(path);
  if (!m) return null;
  const space = m[1].startsWith('tensorflow') ? 'tf' : m[1].startsWith('keras.ops') ? 'ops' : 'K';
  let fn = m[2];
  const tf = space === 'tf';
  if (tf && fn.startsWith('reduce_') && fn !== 'reduce_euclidean_norm') fn = fn.slice(7);
  const kerasType = KERAS_CLASS[fn] ?? pascal(fn);
  const lastName = /(\w+)$/.exec(written)?.[1] ?? fn;
  const named = space === 'ops' ? { type: kerasType, name: toSnakeCase(kerasType) } : { type: written, name: lastName };
  const spec = (kind: OpKind, tensors: OpSpec['tensors'], signature: string[], defaults: Record<string, PyDefault> = {}): OpSpec => ({
    kind,
    ...named,
    tensors,
    signature,
    defaults,
    tf,
    ...(tf ? { tfName: m[2] } : {}),
  });
  if (ELEMENTWISE.has(fn)) return spec('elementwise', 'first', []);
  if (BINARY.has(fn)) return spec('broadcast', 'two', []);
  if (REDUCTIONS.has(fn)) {
    // TF's reductions live under `tf.math` / `tf.reduce_*`; `tf.max` and the like are no TensorFlow functions.
    if (tf && !/reduce_/.test(m[2])) return null;
    return spec('reduce', 'first', ['axis', 'keepdims'], { axis: null, keepdims: false });
  }
  switch (fn) {
    case 'expand_dims':
      return spec('expand_dims', 'first', ['axis'], space === 'K' ? { axis: -1 } : {});
    case 'squeeze':
      return spec('squeeze', 'first', ['axis'], space === 'K' ? {} : { axis: null });
    case 'reshape':
      return spec('reshape', 'first', ['shape']);
    case 'transpose':
      return spec('transpose', 'first', ['perm'], { perm: null });
    case 'permute_dimensions':
      return space === 'K' ? spec('transpose', 'first', ['perm']) : null;
    case 'concat':
    case 'concatenate':
      if (tf && fn !== 'concat') return null;
      return spec('concat', 'list', ['axis'], space === 'ops' ? { axis: 0 } : space === 'K' ? { axis: -1 } : {});
    case 'stack':
      return spec('stack', 'list', ['axis'], { axis: 0 });
    case 'argmax':
    case 'argmin':
      // TF's axis defaults to 0; `keras.backend`'s to -1; Keras 3's None flattens the tensor to a scalar.
      return spec('argmax', 'first', ['axis', 'keepdims'], { axis: tf ? 0 : space === 'K' ? -1 : null, keepdims: false });
    case 'tile':
      return spec('tile', 'first', ['multiples']);
    case 'matmul':
      return spec('matmul', 'two', tf ? ['transpose_a', 'transpose_b'] : [], tf ? { transpose_a: false, transpose_b: false } : {});
    case 'flatten':
      return space === 'K' ? spec('flatten', 'first', []) : null;
    case 'batch_flatten':
      return space === 'K' ? spec('batch_flatten', 'first', []) : null;
    case 'depth_to_space':
    case 'space_to_depth':
      // TF's third positional is `name`; Keras 3's is `data_format`.
      if (space === 'K') return null;
      return tf
        ? spec(fn === 'depth_to_space' ? 'depth_to_space' : 'space_to_depth', 'first', ['block_size', 'name', 'data_format'], { data_format: 'NHWC' })
        : spec(fn === 'depth_to_space' ? 'depth_to_space' : 'space_to_depth', 'first', ['block_size', 'data_format'], { data_format: 'channels_last' });
    case 'split':
      // TF's list is of sizes (`[2, -1]`); Keras 3's, as NumPy's, of the indices it splits at.
      if (space === 'K') return null;
      return tf
        ? spec('split', 'first', ['num_or_size_splits', 'axis', 'num'], { axis: 0 })
        : spec('split', 'first', ['indices_or_sections', 'axis'], { axis: 0 });
    case 'unstack':
      return space === 'K' ? null : spec('unstack', 'first', ['num', 'axis'], { num: null, axis: 0 });
    case 'gather':
      // `tf.gather`'s axis None is 0; `K.gather(reference, indices)` gathers along the first axis.
      if (tf) return spec('gather', 'first', ['indices', 'validate_indices', 'axis', 'batch_dims'], { axis: null, batch_dims: 0 });
      return space === 'K' ? spec('gather', 'first', ['indices'], { axis: 0 }) : null;
    case 'take':
      // Keras 3's axis None takes from the flattened tensor.
      return space === 'ops' ? spec('gather', 'first', ['indices', 'axis'], { axis: null }) : null;
  }
  return null;
}

/** Slicing a Keras tensor (`x[:, -1, :]`): Keras 3's `GetItem` operation. */
export const GET_ITEM: OpSpec = { kind: 'getitem', type: 'GetItem', name: 'get_item', tensors: 'first', signature: ['key'], defaults: {}, tf: false };

/** `a @ b`: Keras 3's `Matmul`. */
export const MATMUL: OpSpec = { kind: 'matmul', type: 'Matmul', name: 'matmul', tensors: 'two', signature: [], defaults: {}, tf: false };

/** One rule per kind and row type, made when first needed. */
const rules = new Map<string, Rule>();

export function opRule(kind: OpKind, type: string, tf: boolean): Rule {
  const key = `${kind}|${type}|${tf}`;
  let rule = rules.get(key);
  if (!rule) rules.set(key, (rule = makeRule(kind, type, tf)));
  return rule;
}

function makeRule(kind: OpKind, type: string, tf: boolean): Rule {
  const shape = SHAPES[kind];
  return {
    type,
    signature: [],
    defaults: {},
    multiInput: true,
    keepsShape: kind === 'elementwise',
    outputShape: (ctx) => shape(ctx, type, tf),
    receptiveField: kind === 'elementwise' || kind === 'broadcast' ? () => 'keep' : () => null,
    tfjs: noTfjs(type),
    // `tf.split` and `unstack` return several tensors: the row's first output is the first of them.
    ...(kind === 'split' || kind === 'unstack' ? { moreOutputs: (ctx: LayerContext) => LIST_SHAPES[kind](ctx, type, tf).slice(1) } : {}),
  };
}

type ShapeFn = (ctx: LayerContext, type: string, tf: boolean) => InternalShape;

/** The single input tensor's shape; unknown where it is. */
function one(ctx: LayerContext): InternalShape {
  const inputs = calledInputs(ctx);
  return inputs[0];
}

/** A plain argument (int, list of ints, None…); Unresolved (reported) where unknown. */
function arg(ctx: LayerContext, name: string): PyDefault | undefined {
  return ctx.args.plain(name);
}

function unresolved(v: Value & { kind: 'unknown' }): never {
  throw new Unresolved(v);
}

/** Where an argument has a form LayerLens does not follow: unknown, with a warning naming the call. */
function notFollowed(ctx: LayerContext, type: string, what: string): never {
  ctx.warn?.('unevaluated-call', `\`${type}\` with ${what}: LayerLens does not follow that, so its output's shape is unknown.`);
  throw new Unresolved();
}

/** An axis of a tensor of rank `rank` (negative counts from the end), as TF and Keras check it. */
function axisOf(value: PyDefault | undefined, rank: number, type: string, ctx: LayerContext): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) return notFollowed(ctx, type, `axis=${pyRepr(value ?? null)}`);
  if (value < -rank || value >= rank)
    throw new LayerError('invalid-argument', `\`${type}\`: axis ${value} is out of bounds for a tensor of rank ${rank} (shape ${shapeRepr(ctx.input)}).`);
  return value < 0 ? value + rank : value;
}

/** A list of axes (an int is one), each normalised; null for None. */
function axesOf(value: PyDefault | undefined, rank: number, type: string, ctx: LayerContext): number[] | null {
  if (value === null || value === undefined) return null;
  const list = Array.isArray(value) ? value : [value];
  return list.map((a) => axisOf(a as PyDefault, rank, type, ctx));
}

/** Two dimensions that must be equal: the known one where the other is None; an error where both are known and differ. */
function merged(a: Dim, b: Dim, fail: () => LayerError): Dim {
  if (a === null) return b;
  if (b === null || a === b) return a;
  throw fail();
}

const SHAPES: Record<OpKind, ShapeFn> = {
  depth_to_space: (ctx, type, tf) => blocks(ctx, type, tf, 'depth_to_space'),
  space_to_depth: (ctx, type, tf) => blocks(ctx, type, tf, 'space_to_depth'),
  split: (ctx, type, tf) => LIST_SHAPES.split(ctx, type, tf)[0],
  unstack: (ctx, type, tf) => LIST_SHAPES.unstack(ctx, type, tf)[0],
  gather: (ctx, type, tf) => gather(ctx, type, tf),
  elementwise: (ctx) => one(ctx),
  broadcast: (ctx) => {
    const inputs = calledInputs(ctx);
    return inputs.reduce((a, b) => broadcastShapes(a, b));
  },
  expand_dims: (ctx, type) => {
    const input = one(ctx);
    const raw = arg(ctx, 'axis');
    if (raw === undefined) throw new LayerError('invalid-argument', `\`${type}\` needs an \`axis\`.`);
    const axis = axisOf(raw, input.length + 1, type, ctx);
    return [...input.slice(0, axis), 1, ...input.slice(axis)];
  },
  squeeze: (ctx, type, tf) => {
    const input = one(ctx);
    const axes = axesOf(arg(ctx, 'axis'), input.length, type, ctx);
    if (axes === null) {
      // TF cannot tell which dimensions a None one leaves: its static shape is unknown (the batch is always None).
      if (tf && input.some((d) => d === null)) return notFollowed(ctx, type, 'no `axis` on a tensor with a None dimension (TensorFlow cannot tell its rank)');
      return input.filter((d) => d !== 1);
    }
    for (const a of axes)
      if (input[a] !== null && input[a] !== 1)
        throw new LayerError('invalid-argument', `\`${type}\`: cannot squeeze axis ${a}, whose size is ${input[a]}, not 1 (shape ${shapeRepr(input)}).`);
    return input.filter((_d, i) => !axes.includes(i));
  },
  reshape: (ctx, type) => {
    const input = one(ctx);
    // A target dimension LayerLens cannot resolve (`tf.reshape(x, (-1, h, 8, 1))`) is unknown (NaN), the others stay:
    // a convolution after it still has its weights.
    const written = ctx.args.call.args.get('shape');
    const items = written?.kind === 'seq' ? written.items : written ? [written] : [];
    for (const v of items) if (v.kind === 'unknown') ctx.args.unresolvedRead.add(v);
    const target = items.map((v) => (v.kind === 'number' && v.isInt ? v.value : v.kind === 'unknown' ? NaN : undefined));
    if (!written || written.kind === 'unknown' || target.some((d) => d === undefined))
      return written?.kind === 'unknown'
        ? (ctx.args.unresolvedRead.add(written), unresolved(written))
        : notFollowed(ctx, type, `the shape ${pyRepr(arg(ctx, 'shape') ?? null)}`);
    const dims = target as number[];
    if (dims.some((d) => Number.isNaN(d))) return dims.map((d) => (d === -1 ? (product(input) === null ? null : NaN) : d));
    if (dims.filter((d) => d === -1).length > 1 || dims.some((d) => d < -1))
      throw new LayerError('invalid-argument', `\`${type}\`: only one dimension of the new shape can be -1. Received: ${pyRepr(dims)}`);
    const total = product(input);
    const known = dims.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    if (!dims.includes(-1)) {
      if (total !== null && total !== known)
        throw new LayerError(
          'invalid-argument',
          `\`${type}\`: cannot reshape a tensor of ${total} elements (shape ${shapeRepr(input)}) to shape ${shapeRepr(dims)}.`,
        );
      return dims;
    }
    if (total === null) return dims.map((d) => (d === -1 ? null : d));
    if (known === 0 || total % known !== 0)
      throw new LayerError(
        'invalid-argument',
        `\`${type}\`: cannot reshape a tensor of ${total} elements (shape ${shapeRepr(input)}) to shape ${shapeRepr(dims)}.`,
      );
    return dims.map((d) => (d === -1 ? total / known : d));
  },
  transpose: (ctx, type) => {
    const input = one(ctx);
    const raw = arg(ctx, 'perm');
    if (raw === null || raw === undefined) return [...input].reverse();
    const perm = axesOf(raw, input.length, type, ctx) ?? [];
    if (perm.length !== input.length || new Set(perm).size !== perm.length)
      throw new LayerError(
        'invalid-argument',
        `\`${type}\`: ${pyRepr(raw)} is not a permutation of the ${input.length} axes of a tensor of shape ${shapeRepr(input)}.`,
      );
    return perm.map((p) => input[p]);
  },
  concat: (ctx, type) => {
    const inputs = calledInputs(ctx);
    const rank = inputs[0].length;
    const axis = axisOf(arg(ctx, 'axis'), rank, type, ctx);
    const fail = () =>
      new LayerError('incompatible-shapes', `\`${type}\` needs shapes that match except along axis ${axis}. Received: ${inputs.map(shapeRepr).join(', ')}`);
    if (inputs.some((s) => s.length !== rank)) throw fail();
    const out = [...inputs[0]];
    for (const s of inputs.slice(1))
      for (let i = 0; i < rank; i++) {
        if (i === axis) out[i] = out[i] === null || s[i] === null ? null : (out[i] as number) + (s[i] as number);
        else out[i] = merged(out[i], s[i], fail);
      }
    return out;
  },
  stack: (ctx, type) => {
    const inputs = calledInputs(ctx);
    const rank = inputs[0].length;
    const axis = axisOf(arg(ctx, 'axis'), rank + 1, type, ctx);
    const fail = () => new LayerError('incompatible-shapes', `\`${type}\` needs tensors of one shape. Received: ${inputs.map(shapeRepr).join(', ')}`);
    if (inputs.some((s) => s.length !== rank)) throw fail();
    const out = [...inputs[0]];
    for (const s of inputs.slice(1)) for (let i = 0; i < rank; i++) out[i] = merged(out[i], s[i], fail);
    return [...out.slice(0, axis), inputs.length, ...out.slice(axis)];
  },
  reduce: (ctx, type) => {
    const input = one(ctx);
    const axes = axesOf(arg(ctx, 'axis'), input.length, type, ctx) ?? input.map((_d, i) => i);
    const keepdims = Boolean(arg(ctx, 'keepdims'));
    return keepdims ? input.map((d, i) => (axes.includes(i) ? 1 : d)) : input.filter((_d, i) => !axes.includes(i));
  },
  argmax: (ctx, type) => {
    const input = one(ctx);
    const raw = arg(ctx, 'axis');
    const keepdims = ctx.args.has('keepdims') && Boolean(arg(ctx, 'keepdims'));
    if (raw === null || raw === undefined) return keepdims ? input.map(() => 1) : [];
    const axis = axisOf(raw, input.length, type, ctx);
    return keepdims ? input.map((d, i) => (i === axis ? 1 : d)) : input.filter((_d, i) => i !== axis);
  },
  tile: (ctx, type, tf) => {
    const input = one(ctx);
    const raw = arg(ctx, 'multiples');
    const reps = Array.isArray(raw) ? raw : typeof raw === 'number' && !tf ? [raw] : null;
    if (!reps || reps.some((r) => typeof r !== 'number' || !Number.isInteger(r))) return notFollowed(ctx, type, `the repeats ${pyRepr(raw ?? null)}`);
    const r = reps as number[];
    if (tf && r.length !== input.length)
      throw new LayerError(
        'invalid-argument',
        `\`${type}\`: the multiples ${pyRepr(r)} must have one entry per axis of the input, of shape ${shapeRepr(input)}.`,
      );
    // NumPy's (Keras 3's) tile: the shorter of the two is padded with ones in front.
    const n = Math.max(r.length, input.length);
    const dims: Dim[] = [...new Array<Dim>(n - input.length).fill(1), ...input];
    const times = [...new Array<number>(n - r.length).fill(1), ...r];
    return dims.map((d, i) => (d === null ? null : d * times[i]));
  },
  matmul: (ctx, type) => {
    const inputs = calledInputs(ctx);
    if (inputs.length !== 2) return notFollowed(ctx, type, 'an operand that is not a Keras tensor');
    let [a, b] = inputs;
    if (a.length < 2 || b.length < 2) return notFollowed(ctx, type, 'an operand of rank 1');
    const flip = (s: InternalShape) => [...s.slice(0, -2), s[s.length - 1], s[s.length - 2]];
    if (ctx.args.has('transpose_a') && arg(ctx, 'transpose_a')) a = flip(a);
    if (ctx.args.has('transpose_b') && arg(ctx, 'transpose_b')) b = flip(b);
    const fail = () => new LayerError('incompatible-shapes', `\`${type}\`: the inner dimensions of ${shapeRepr(a)} and ${shapeRepr(b)} do not match.`);
    merged(a[a.length - 1], b[b.length - 2], fail);
    const batch = broadcastShapes(a.slice(0, -2), b.slice(0, -2));
    return [...batch, a[a.length - 2], b[b.length - 1]];
  },
  getitem: (ctx, type) => getItem(one(ctx), ctx.args.call.args.get('key'), ctx, type),
  flatten: (ctx) => [product(one(ctx))],
  batch_flatten: (ctx) => {
    const input = one(ctx);
    return [input[0], product(input.slice(1))];
  },
};

/** A dimension whose size is known: neither None nor NaN (unknown to LayerLens). */
function sized(d: Dim): d is number {
  return d !== null && !Number.isNaN(d);
}

/** An integer argument as the library checks it; unknown (reported) where it cannot be read. */
function intArg(ctx: LayerContext, name: string, type: string): number {
  const v = arg(ctx, name);
  if (typeof v !== 'number' || !Number.isInteger(v)) return notFollowed(ctx, type, `${name}=${pyRepr(v ?? null)}`);
  return v;
}

/**
 * `tf.nn.depth_to_space(x, r)` / `space_to_depth` (TF's DepthToSpace/SpaceToDepth shape functions, and Keras 3's
 * `compute_output_spec`, which agree): a 4D tensor whose channels (depth_to_space) or height and width
 * (space_to_depth) the block size must divide; NHWC / channels_last by default, NCHW / channels_first on request.
 */
function blocks(ctx: LayerContext, type: string, tf: boolean, kind: 'depth_to_space' | 'space_to_depth'): InternalShape {
  const input = one(ctx);
  const r = intArg(ctx, 'block_size', type);
  const format = arg(ctx, 'data_format') ?? (tf ? 'NHWC' : 'channels_last');
  const first = format === 'NCHW' || format === 'channels_first';
  if (!first && format !== 'NHWC' && format !== 'channels_last') return notFollowed(ctx, type, `data_format=${pyRepr(format)}`);
  if (r < 2) throw new LayerError('invalid-argument', `\`${type}\`: \`block_size\` must be at least 2. Received: block_size=${r}`);
  if (input.length !== 4) throw new LayerError('invalid-argument', `\`${type}\` requires a 4D input tensor. Received: shape ${shapeRepr(input)}`);
  const [b, h, w, c] = first ? [input[0], input[2], input[3], input[1]] : input;
  // In each library's words: TF's shape function, Keras 3's compute_output_spec.
  const divisible = (d: Dim, by: number, keras: string) => {
    if (sized(d) && d % by !== 0)
      throw new LayerError('invalid-argument', `\`${type}\`: ${tf ? `Dimension size must be evenly divisible by ${by} but is ${d}.` : keras}`);
  };
  let out: Dim[];
  if (kind === 'depth_to_space') {
    divisible(c, r * r, `The number of channels (${c}) must be divisible by block_size**2 (${r * r}).`);
    out = [b, h === null ? null : h * r, w === null ? null : w * r, c === null ? null : c / (r * r)];
  } else {
    divisible(h, r, `Height (${h}) must be divisible by block_size (${r}).`);
    divisible(w, r, `Width (${w}) must be divisible by block_size (${r}).`);
    out = [b, h === null ? null : h / r, w === null ? null : w / r, c === null ? null : c * r * r];
  }
  return first ? [out[0], out[3], out[1], out[2]] : out;
}

/** The shape of a constant index list (`[0, 2, 4]`, `[[0, 1], [2, 3]]`, `np.array(...)`, an int: a scalar); null where it is no such constant. */
function indexShape(v: Value | undefined): number[] | null {
  if (!v) return null;
  if (v.kind === 'number' && v.isInt) return [];
  if (v.kind === 'tensor') {
    const dims = v.shape.kind === 'seq' ? v.shape.items.map((d) => (d.kind === 'number' && d.isInt ? d.value : NaN)) : [NaN];
    return dims.some((d) => Number.isNaN(d)) ? null : dims;
  }
  if (v.kind !== 'seq' || v.unknownLength) return null;
  const inner = v.items.map(indexShape);
  if (inner.some((s) => s === null)) return null;
  const first = JSON.stringify(inner[0] ?? []);
  if (inner.some((s) => JSON.stringify(s) !== first)) return null; // ragged: NumPy refuses it
  return [v.items.length, ...(inner[0] ?? [])];
}

/**
 * `tf.gather(x, [0, 2], axis=1)`, `K.gather(x, idx)`, `ops.take(x, [0, 2], axis=1)` with constant indices: the
 * axis replaced by the indices' shape (TF's GatherV2 with batch_dims 0, NumPy's take); Keras 3's take without an
 * axis takes from the flattened tensor, so its output is the indices' shape. Indices that are a tensor, or TF's
 * `batch_dims`, are not followed.
 */
function gather(ctx: LayerContext, type: string, tf: boolean): InternalShape {
  const input = one(ctx);
  const written = ctx.args.call.args.get('indices');
  if (written?.kind === 'unknown') {
    ctx.args.unresolvedRead.add(written);
    throw new Unresolved(written);
  }
  const indices = indexShape(written);
  if (!indices) return notFollowed(ctx, type, 'indices that are not a constant list of integers');
  if (tf && ctx.args.has('batch_dims') && arg(ctx, 'batch_dims') !== 0) return notFollowed(ctx, type, `batch_dims=${pyRepr(arg(ctx, 'batch_dims') ?? null)}`);
  const raw = arg(ctx, 'axis');
  if ((raw === null || raw === undefined) && !tf) return indices;
  const axis = axisOf(raw ?? 0, input.length, type, ctx);
  return [...input.slice(0, axis), ...indices, ...input.slice(axis + 1)];
}

/** The operations that return several tensors, each output's shape. */
const LIST_SHAPES: Record<'split' | 'unstack', (ctx: LayerContext, type: string, tf: boolean) => InternalShape[]> = {
  split: (ctx, type, tf) => {
    const input = one(ctx);
    const axis = axisOf(arg(ctx, 'axis'), input.length, type, ctx);
    const name = tf ? 'num_or_size_splits' : 'indices_or_sections';
    const raw = arg(ctx, name);
    const d = input[axis];
    const withSize = (size: Dim) => input.map((x, i) => (i === axis ? size : x));
    if (typeof raw === 'number' && Number.isInteger(raw)) {
      if (raw < 1) throw new LayerError('invalid-argument', `\`${type}\`: the number of splits must be at least 1. Received: ${raw}`);
      if (sized(d) && d % raw !== 0)
        throw new LayerError(
          'invalid-argument',
          `\`${type}\`: ${
            tf
              ? `Dimension size must be evenly divisible by ${raw} but is ${d}.`
              : `\`x\` size on given \`axis\` must be divisible by \`indices_or_sections\` when \`indices_or_sections\` is an int. But received ${d} and ${raw}.`
          }`,
        );
      return Array.from({ length: raw }, () => withSize(d === null ? null : d / raw));
    }
    if (!Array.isArray(raw) || !raw.length || raw.some((v) => typeof v !== 'number' || !Number.isInteger(v)))
      return notFollowed(ctx, type, `${name}=${pyRepr(raw ?? null)}`);
    const list = raw as number[];
    if (tf) {
      // Sizes, one of which may be -1 (the rest of the axis); they must add up to the axis' size.
      const rest = list.filter((s) => s === -1).length;
      if (rest > 1 || list.some((s) => s < -1))
        throw new LayerError('invalid-argument', `\`${type}\`: the sizes ${pyRepr(list)} may hold one -1 and no other negative size.`);
      const known = list.filter((s) => s !== -1).reduce((a, b) => a + b, 0);
      if (sized(d) && (rest ? known > d : known !== d))
        throw new LayerError(
          'invalid-argument',
          `\`${type}\`: can't split axis of size ${d} into pieces of size [${list.join(',')}] (input shape ${shapeRepr(input)}).`,
        );
      return list.map((s) => withSize(s === -1 ? (d === null ? null : d - known) : s));
    }
    // Keras 3 (NumPy): the indices the axis is cut at; LayerLens follows sorted ones within the axis.
    if (list.some((v, i) => v < 0 || (sized(d) && v > d) || (i > 0 && v < list[i - 1])))
      return notFollowed(ctx, type, `the indices ${ctx.args.repr(name)}, not sorted within the axis' size`);
    const cuts: Dim[] = [0, ...list, d];
    return cuts.slice(1).map((end, i) => withSize(end === null ? null : end - (cuts[i] as number)));
  },
  unstack: (ctx, type) => {
    const input = one(ctx);
    const axis = axisOf(arg(ctx, 'axis'), input.length, type, ctx);
    const num = arg(ctx, 'num');
    const count = num === null || num === undefined ? input[axis] : num;
    if (count === null)
      throw new LayerError(
        'invalid-argument',
        `\`${type}\`: Cannot infer argument \`num\` from shape ${shapeRepr(input)}. Either provide a tensor with a concrete shape in the \`axis\` dimension or explicitly pass the \`num\` argument.`,
      );
    // The axis' size unknown (NaN): so is the count; reported where it became unknown.
    if (typeof count === 'number' && Number.isNaN(count)) throw new Unresolved();
    if (typeof count !== 'number' || !Number.isInteger(count)) return notFollowed(ctx, type, `num=${pyRepr(num ?? null)}`);
    if (sized(input[axis]) && count !== input[axis])
      throw new LayerError('invalid-argument', `\`${type}\`: num=${count} does not match the size of axis ${axis} (${input[axis]}).`);
    const out = input.filter((_x, i) => i !== axis);
    return Array.from({ length: count }, () => out);
  },
};

/**
 * How many tensors an operation returns: `tf.split(x, 3)` 3, `ops.split(x, [2, 5])` 3, `tf.unstack(x, axis=1)` the
 * size of axis 1 (`input`: the shape of its input, asked only there); 1 for any other; null where not known.
 */
export function opOutputCount(kind: string, tf: boolean, args: ReadonlyMap<string, Value>, input: () => InternalShape | null): number | null {
  const int = (v: Value | undefined) => (v?.kind === 'number' && v.isInt ? v.value : null);
  if (kind === 'split') {
    const v = args.get(tf ? 'num_or_size_splits' : 'indices_or_sections');
    if (v?.kind === 'seq' && !v.unknownLength) return tf ? v.items.length : v.items.length + 1;
    return int(v);
  }
  if (kind !== 'unstack') return 1;
  const num = int(args.get('num'));
  if (num !== null) return num;
  const shape = input();
  const axis = int(args.get('axis'));
  if (!shape || axis === null || axis < -shape.length || axis >= shape.length) return null;
  const d = shape[axis < 0 ? axis + shape.length : axis];
  return d === null || Number.isNaN(d) ? null : d;
}

/**
 * `x[key]` with basic indexing: integers (the axis goes), slices (its length, None where the axis is None),
 * `...` and `None` (a new axis of 1). The key comes from the interpreter as a list of items: a number, `None`,
 * the string `...`, or a dict `{start, stop, step}` for a slice.
 */
function getItem(input: InternalShape, key: Value | undefined, ctx: LayerContext, type: string): InternalShape {
  if (!key || key.kind !== 'seq') return notFollowed(ctx, type, 'an index LayerLens cannot read');
  const items = key.items;
  const used = items.filter((k) => !(k.kind === 'none' || (k.kind === 'string' && k.value === '...'))).length;
  if (items.filter((k) => k.kind === 'string').length > 1) throw new LayerError('invalid-argument', 'An index can only have a single ellipsis (`...`).');
  if (used > input.length)
    throw new LayerError('invalid-argument', `Too many indices for a tensor of rank ${input.length} (shape ${shapeRepr(input)}): ${used} were given.`);
  const out: Dim[] = [];
  let axis = 0;
  for (const k of items) {
    if (k.kind === 'none') {
      out.push(1);
      continue;
    }
    if (k.kind === 'string') {
      const skip = input.length - used;
      out.push(...input.slice(axis, axis + skip));
      axis += skip;
      continue;
    }
    const d = input[axis];
    if (k.kind === 'number' && k.isInt) {
      if (d !== null && (k.value < -d || k.value >= d))
        throw new LayerError('invalid-argument', `Index ${k.value} is out of bounds for axis ${axis} with size ${d}.`);
      axis++;
      continue;
    }
    if (k.kind === 'dict') {
      const bound = (name: string): number | null => {
        const v = k.entries.get(name);
        if (!v || v.kind === 'none') return null;
        if (v.kind === 'number' && v.isInt) return v.value;
        if (v.kind === 'unknown') {
          ctx.args.unresolvedRead.add(v);
          throw new Unresolved(v);
        }
        return notFollowed(ctx, type, 'a slice bound that is not an integer');
      };
      const [start, stop, step] = [bound('start'), bound('stop'), bound('step')];
      if (step === 0) throw new LayerError('invalid-argument', 'slice step cannot be zero');
      out.push(d === null ? null : sliceLength(d, start, stop, step ?? 1));
      axis++;
      continue;
    }
    if (k.kind === 'unknown') {
      ctx.args.unresolvedRead.add(k);
      throw new Unresolved(k);
    }
    return notFollowed(ctx, type, 'an index that is not an integer, a slice, `...` or `None` (a tensor or a list indexes by gathering)');
  }
  return [...out, ...input.slice(axis)];
}

/** Python's `len(range(*slice(start, stop, step).indices(n)))`. */
function sliceLength(n: number, start: number | null, stop: number | null, step: number): number {
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  let lo: number;
  let hi: number;
  if (step > 0) {
    lo = start === null ? 0 : clamp(start < 0 ? start + n : start, 0, n);
    hi = stop === null ? n : clamp(stop < 0 ? stop + n : stop, 0, n);
    return Math.max(0, Math.ceil((hi - lo) / step));
  }
  lo = start === null ? n - 1 : clamp(start < 0 ? start + n : start, -1, n - 1);
  hi = stop === null ? -1 : clamp(stop < 0 ? stop + n : stop, -1, n - 1);
  return Math.max(0, Math.ceil((lo - hi) / -step));
}

/**
 * What `keras.applications.<family>.preprocess_input(x)` does to a Keras tensor in Keras 3
 * (`imagenet_utils._preprocess_tensor_input`, and each family's own): `tf` scales to [-1, 1] (`x / 127.5 - 1`),
 * `torch` scales to [0, 1] and standardises per channel, `caffe` flips RGB to BGR (three slices, stacked) and
 * subtracts the mean pixel; `none` is the families whose models rescale inside (EfficientNet, ConvNeXt,
 * MobileNetV3, RegNet, ResNet-RS): their preprocess_input returns its input. Null: a module LayerLens does not know.
 */
export function preprocessMode(path: string): 'tf' | 'torch' | 'caffe' | 'none' | null {
  const m = /^keras\.applications\.(\w+)\.preprocess_input$/.exec(path);
  if (!m) return null;
  return PREPROCESS[m[1]] ?? null;
}

const PREPROCESS: Record<string, 'tf' | 'torch' | 'caffe' | 'none'> = {
  vgg16: 'caffe',
  vgg19: 'caffe',
  resnet: 'caffe',
  resnet50: 'caffe',
  resnet_v2: 'tf',
  inception_v3: 'tf',
  inception_resnet_v2: 'tf',
  xception: 'tf',
  mobilenet: 'tf',
  mobilenet_v2: 'tf',
  nasnet: 'tf',
  densenet: 'torch',
  efficientnet: 'none',
  efficientnet_v2: 'none',
  convnext: 'none',
  mobilenet_v3: 'none',
  regnet: 'none',
  resnet_rs: 'none',
};
