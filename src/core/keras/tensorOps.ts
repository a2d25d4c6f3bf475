/**
 * Operations on Keras tensors as nodes of the graph (layers/ops.ts has their shape rules): a library call LayerLens
 * evaluates (`tf.expand_dims(x, -1)`, `ops.concatenate([a, b], axis=-1)`), slicing (`x[:, -1, :]`), and what
 * `keras.applications.<family>.preprocess_input(x)` does to a tensor in Keras 3 (the rows it prints). The
 * interpreter reads the syntax and gives the values; this module binds them to the operation's arguments and
 * makes the nodes. Null from `callOp` means the call is not one it follows (a tensor where it takes none, a value
 * it cannot read as tensors): the interpreter then makes it an unevaluated call, named by a diagnostic.
 */
import { GET_ITEM, opFor, preprocessMode, type OpSpec } from '../layers/ops';
import type { PyDefault } from '../layers/rule';
import type { KerasVersion } from '../types';
import type { Value } from '../python/values';
import type { GraphNode, LayerCall } from './values';

/** What the interpreter lends: its Keras tensors, and making a node of the graph. */
export interface OpHost {
  asNode(v: Value): GraphNode | null;
  node(call: LayerCall, inputs: Value[], called?: GraphNode['called']): Value;
}

export interface OpSite {
  from: number;
  to: number;
  calleeFrom: number;
  calleeTo: number;
}

export interface OpArgs {
  positional: { value: Value }[];
  keywords: Map<string, { value: Value }>;
  starArgs: boolean;
  starKwargs: boolean;
}

/** Keyword names the libraries use for an argument the rules read under one name. */
const KEYWORD_ALIASES: Record<string, string> = {
  newshape: 'shape',
  axes: 'perm',
  pattern: 'perm',
  repeats: 'multiples',
  n: 'multiples',
  keep_dims: 'keepdims',
  dim: 'axis',
};

/** Keyword names of the tensor argument(s). */
const TENSOR_KEYWORDS = [
  'x',
  'input',
  'input_tensor',
  'tensor',
  'a',
  'features',
  'logits',
  'value',
  'values',
  'params',
  'reference',
  'tensors',
  'xs',
  'x1',
  'y',
  'b',
  'x2',
];

/** The operation a call is, by the callee's canonical path and text; null where LayerLens does not evaluate it. */
export function tensorOpFor(path: string | null, written: string): OpSpec | null {
  return opFor(path, written);
}

/** A default of an operation's signature as a value. */
function valueOf(v: PyDefault): Value {
  if (v === null) return { kind: 'none' };
  if (typeof v === 'number') return { kind: 'number', value: v, isInt: Number.isInteger(v) };
  if (typeof v === 'boolean') return { kind: 'bool', value: v };
  if (typeof v === 'string') return { kind: 'string', value: v };
  return { kind: 'seq', items: v.map(valueOf), tuple: true };
}

function opCall(op: OpSpec, site: OpSite, args: Map<string, Value>): LayerCall {
  for (const [k, v] of Object.entries(op.defaults)) if (!args.has(k)) args.set(k, valueOf(v));
  return {
    type: op.type,
    origin: 'keras',
    operation: true,
    op: { kind: op.kind, name: op.name, tf: op.tf, ...(op.tfName ? { tfName: op.tfName } : {}) },
    args,
    extraPositional: 0,
    hasStarKwargs: false,
    ...site,
  };
}

/**
 * `tf.expand_dims(x, -1)` and the like on a Keras tensor: a node of the operation, its arguments bound by name.
 * Null where the call is not on Keras tensors as the operation takes them.
 */
export function callOp(host: OpHost, op: OpSpec, parsed: OpArgs, site: OpSite): Value | null {
  if (parsed.starArgs || parsed.starKwargs) return null;
  const positional = parsed.positional.map((p) => p.value);
  const keywords = new Map([...parsed.keywords].map(([k, v]) => [k, v.value]));
  const count = op.tensors === 'two' ? 2 : 1;
  const tensorArgs = positional.splice(0, count);
  for (const k of TENSOR_KEYWORDS) {
    if (tensorArgs.length >= count) break;
    const v = keywords.get(k);
    if (v) {
      tensorArgs.push(v);
      keywords.delete(k);
    }
  }
  if (tensorArgs.length < count) return null;
  const args = new Map<string, Value>();
  positional.forEach((v, i) => op.signature[i] && args.set(op.signature[i], v));
  if (positional.length > op.signature.length) return null;
  for (const [k, v] of keywords) {
    if (k === 'name' || k === 'dtype' || k === 'output_type') continue;
    const key = op.signature.includes(k) ? k : KEYWORD_ALIASES[k];
    if (!key || !op.signature.includes(key)) return null;
    args.set(key, v);
  }
  // An argument that is a Keras tensor (`tf.reshape(x, tf.shape(y))` aside, which is unknown): not an operation LayerLens follows.
  if ([...args.values()].some((v) => host.asNode(v))) return null;
  if (op.tensors === 'list') {
    const list = tensorArgs[0];
    if (list.kind !== 'seq' || list.unknownLength || !list.items.length) return null;
    const tensors = list.items.filter((v) => host.asNode(v));
    const unknown = list.items.filter((v): v is Value & { kind: 'unknown' } => v.kind === 'unknown');
    if (!tensors.length || tensors.length + unknown.length < list.items.length) return null;
    return host.node(opCall(op, site, args), tensors, { form: list.tuple ? 'tuple' : 'list', unknown });
  }
  const tensors = tensorArgs.filter((v) => host.asNode(v));
  if (!tensors.length) return null;
  const unknown = tensorArgs.filter((v): v is Value & { kind: 'unknown' } => v.kind === 'unknown');
  // The other operand of a binary operation may be a number (`tf.maximum(x, 0.0)`): it broadcasts, keeping the tensor's shape.
  if (tensorArgs.some((v) => !host.asNode(v) && v.kind !== 'number' && v.kind !== 'bool' && v.kind !== 'unknown')) return null;
  return host.node(opCall(op, site, args), tensors, count === 2 && (tensors.length === 2 || unknown.length) ? { form: 'arguments', unknown } : undefined);
}

/** `x[key]` on a Keras tensor: Keras 3's GetItem, the key's items as the rule reads them (see layers/ops.ts). */
export function getItemOp(host: OpHost, tensor: Value, key: Value[], site: OpSite): Value {
  const call = opCall(GET_ITEM, site, new Map([['key', { kind: 'seq', items: key, tuple: true }]]));
  call.operator = '[]';
  return host.node(call, [tensor]);
}

const number = (value: number): Value => ({ kind: 'number', value, isInt: true });
const NONE_VALUE: Value = { kind: 'none' };

/** A slice `start:stop:step` as a key item. */
export function sliceItem(start: Value, stop: Value, step: Value): Value {
  return {
    kind: 'dict',
    entries: new Map([
      ['start', start],
      ['stop', stop],
      ['step', step],
    ]),
  };
}

export const ELLIPSIS: Value = { kind: 'string', value: '...' };

/**
 * `keras.applications.<family>.preprocess_input(x)` on a Keras tensor, as Keras 3 runs it
 * (`imagenet_utils._preprocess_tensor_input`): `tf` mode `x / 127.5 - 1` (true_divide, subtract); `torch`
 * `x / 255`, plus the negated mean, over the std (true_divide, add, true_divide); `caffe` the channels reversed
 * by three slices stacked on the last axis, plus the negated mean (get_item ×3, stack, add); the families that
 * rescale inside the model return `x` itself. Under Keras 2, as tf.keras 2 runs it (`_preprocess_symbolic_input`):
 * `x /= 127.5; x -= 1.` (truediv, subtract); `torch` `x /= 255.`, `backend.bias_add` of the negated mean, `x /=
 * std` (truediv, bias_add, truediv); `caffe` `x[..., ::-1]` then `bias_add` (getitem, bias_add). Null: a family, or
 * arguments (`data_format=`, `mode=`), it does not follow.
 */
export function preprocessInput(host: OpHost, path: string, parsed: OpArgs, site: OpSite, kerasVersion: KerasVersion): Value | null {
  const mode = preprocessMode(path);
  if (!mode || parsed.starArgs || parsed.starKwargs || parsed.positional.length !== 1 || parsed.keywords.size) return null;
  const x = parsed.positional[0].value;
  if (!host.asNode(x)) return null;
  if (mode === 'none') return x;
  // The other operand is a number or a constant tensor (the mean, the std), not a Keras tensor: the node has one input.
  const binary = (type: string, a: Value, operator?: string): Value => {
    const op: OpSpec = {
      kind: 'broadcast',
      type,
      name: type === 'TrueDivide' ? 'true_divide' : type.toLowerCase(),
      tensors: 'two',
      signature: [],
      defaults: {},
      tf: false,
    };
    const call = opCall(op, site, new Map());
    if (operator) call.operator = operator;
    else if (type === 'BiasAdd') call.op = { kind: 'broadcast', name: 'bias_add', tf: true, tfName: 'bias_add' };
    return host.node(call, [a]);
  };
  if (kerasVersion === '2') {
    if (mode === 'tf') return binary('Subtract', binary('TrueDivide', x, '/'), '-');
    if (mode === 'torch') return binary('TrueDivide', binary('BiasAdd', binary('TrueDivide', x, '/')), '/');
    const reversed = getItemOp(host, x, [ELLIPSIS, sliceItem(NONE_VALUE, NONE_VALUE, number(-1))], site);
    return binary('BiasAdd', reversed);
  }
  if (mode === 'tf') return binary('Subtract', binary('TrueDivide', x));
  if (mode === 'torch') return binary('TrueDivide', binary('Add', binary('TrueDivide', x)));
  const channels = [2, 1, 0].map((i) => getItemOp(host, x, [ELLIPSIS, number(i)], site));
  const stack = opFor('keras.ops.stack', 'ops.stack') as OpSpec;
  const stacked = host.node(opCall(stack, site, new Map([['axis', number(-1)]])), channels, { form: 'list', unknown: [] });
  return binary('Add', stacked);
}
