/**
 * What a layer rule is, and the tools rules share. A rule knows one Keras layer: its signature (argument
 * names in positional order, with Keras' defaults), and pure arithmetic for its output shape, parameters,
 * MACs and receptive field. Rules never see syntax: they read bound arguments through `Args`.
 *
 * Unknown numbers: a dimension Keras itself leaves open is `null` (None); a number that cannot be
 * resolved statically is `NaN` inside the core, so arithmetic carries it, and it leaves the core as `null`.
 */
import type { Value } from '../python/values';
import type { LayerCall } from '../keras/values';
import type { Reader, TfjsLayerConfig, TfjsUnsupported } from '../tfjs/toTfjs';
import { pyRepr, shapeRepr } from '../repr';
import { reprOf } from '../python/operators';

// Rules print values and shapes through the core's one printer.
export { pyRepr, shapeRepr };

export type Dim = number | null;
export type InternalShape = Dim[];

/** A plain Python default value, as Keras' signature writes it. */
export type PyDefault = number | string | boolean | null | PyDefault[];

export interface ParamPart {
  /** e.g. `kernel`, `bias`, `moving_mean`. */
  label: string;
  /** Factors that multiply to the count, e.g. [3, 3, 32, 64]. */
  factors: number[];
  trainable: boolean;
}

/** How a layer changes the receptive field along each spatial axis. */
export type FieldStep =
  | 'keep' // spatial axes unchanged (activations, BN, dropout, Dense on rank > 2)
  | null // spatial structure gone or not definable (Flatten, global pooling, upsampling)
  | { kernel: number[]; stride: number[]; dilation: number[]; padBefore: Dim[] };

/**
 * An argument Keras' constructor normalises to a tuple (`standardize_tuple`, `conv_utils.normalize_tuple`): an
 * int becomes `n` of it. With `pairs`, each of the `n` items becomes a (before, after) pair (ZeroPadding and
 * Cropping in 2 and 3 dimensions). None stays None: a pooling layer's `strides=None` means its pool size.
 */
export interface TupleArg {
  n: number;
  pairs?: boolean;
}

export interface LayerContext {
  args: Args;
  /** Input shape with the batch dimension, or null when even the rank is unknown. */
  input: InternalShape | null;
  /**
   * The shapes of the tensors the layer was called on as a list or tuple (`Add()([x, y])`) or as separate
   * arguments (`mha(q, v)`), when every one is known; `input` is the first. Absent where one is unknown: then
   * `called` still counts it (read them with `calledInputs`).
   */
  inputs?: InternalShape[];
  /** How the layer was called; absent means on one tensor (a Sequential model, a wrapped layer). */
  called?: CallForm;
  /** Reports a warning that does not stop the layer (the shape is still computed). */
  warn?(code: string, message: string): void;
  /** Reports information: a number the rule leaves unknown because it depends on data, and how to give it. */
  note?(code: string, message: string): void;
  /** Where Keras 2 and 3 differ (a default), the one to follow (keras/versions.ts); '3' when absent. */
  kerasVersion?: '2' | '3';
}

/**
 * How a layer was called: on one tensor (`Dense(4)(x)`, every layer of a Sequential), on a list or a tuple of
 * tensors (`Add()([x, y])`, `layers.add([x, y])`), or on tensors as separate arguments (`mha(q, v, key=k)`); and
 * how many tensors it got, known or not (`add([x, foo(x)])` got two, one of which LayerLens could not follow).
 * Keras refuses some layers called on one tensor in words of its own (`A merge layer should be called on a list
 * of inputs`), which a rule can give only when it knows the call passed one tensor, not several of which some
 * are unknown.
 */
export interface CallForm {
  form: 'one' | 'list' | 'tuple' | 'arguments';
  tensors: number;
}

export interface Rule {
  type: string;
  /** Other class names Keras exports for the same class (MaxPool2D → MaxPooling2D). */
  aliases?: string[];
  /** Argument names in Keras' positional order. */
  signature: string[];
  defaults: Record<string, PyDefault>;
  /** Arguments Keras' constructor turns into tuples; the JSON config carries them so (`kernel_size: [3, 3]`). */
  tuples?: Record<string, TupleArg>;
  /** Keras' InputSpec: the rank the input must have. */
  inputSpec?: { ndim?: number; minNdim?: number; maxNdim?: number };
  /** A wrapper (Bidirectional, TimeDistributed) whose `layer` argument is another layer. */
  wraps?: boolean;
  /** Recurrent layers can be wrapped by Bidirectional. */
  recurrent?: boolean;
  /** Takes a list of tensors (merge layers): its shape comes from `ctx.inputs`. */
  multiInput?: boolean;
  /**
   * The tensors its call takes as separate arguments, in order (`mha(query, value, key)`, also by keyword):
   * they become `ctx.inputs`, as a merge layer's list does.
   */
  callInputs?: string[];
  /** How many of `callInputs` the call requires (`query` and `value`); a Sequential model refuses such a layer. */
  callRequires?: number;
  /** Returns its input's shape unchanged, whatever its arguments (activations, dropout, noise…). */
  keepsShape?: boolean;
  outputShape(ctx: LayerContext): InternalShape;
  /**
   * The tensors a call returns after its output where its arguments make it return several
   * (`LSTM(return_state=True)`: the states); only a Functional model can take them (`out, h, c = lstm(x)`).
   */
  moreOutputs?(ctx: LayerContext, output: InternalShape): InternalShape[];
  /** How many tensors a call returns, where its arguments can make it several (`moreOutputs`); omitted means one. */
  outputCount?(args: Args): number;
  /** Weights of the layer; omitted means none. */
  params?(ctx: LayerContext): ParamPart[];
  /** Multiply-accumulates for one sample. Omitted means 0. */
  macs?(ctx: LayerContext, output: InternalShape): number;
  receptiveField?(ctx: LayerContext, output: InternalShape): FieldStep;
  /**
   * How tfjs-layers builds this layer (`src/core/tfjs/toTfjs.ts` applies it): a function from the layer's
   * arguments (read, with Keras' defaults, by toTfjs' `Reader`) to the tfjs class and its camelCase config,
   * which refuses through the Reader where tfjs computes something else; or `{ unsupported }`, the reason tfjs
   * has no such layer. Names, `trainable` and `batchInputShape` are added by toTfjs.
   */
  tfjs?: ((r: Reader) => TfjsLayerConfig) | TfjsUnsupported;
  /**
   * The initializer arguments of its randomly drawn weights (`kernel_initializer`, `recurrent_initializer`…): toTfjs
   * gives each its tfjs initializer, as written or by Keras' default, and the preview seeds them.
   */
  initializers?: readonly string[];
}

/** The `tfjs` of a rule whose layer tfjs-layers does not have. */
export function noTfjs(type: string): TfjsUnsupported {
  return { unsupported: `tfjs has no ${type} layer.` };
}

/**
 * A number the rule needs could not be resolved; the result it was computing is unknown. Thrown as control
 * flow (once per layer after an unknown shape, thousands of times in a long model), so it is not an Error:
 * capturing a stack trace each time made such a model take seconds.
 */
export class Unresolved {
  constructor(readonly value?: Value & { kind: 'unknown' }) {}
  get message(): string {
    return this.value ? `cannot resolve ${this.value.text}` : 'unknown';
  }
}

/** Keras would refuse this layer: a shape error, in Keras' words where it has them. */
export class LayerError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A layer's arguments by name: as written, else Keras' default from its rule. `W` is how written values come:
 * syntax values for the rules (`Args`), the analysed layer's plain JSON config for the tfjs mappings
 * (toTfjs' `Reader`). The two differ in what an unreadable value means (unknown for a rule, a refusal for tfjs).
 */
export abstract class ArgumentLookup<W> {
  constructor(readonly rule: Rule) {}

  /** The value as written, `undefined` where it is not. */
  protected abstract written(name: string): W | undefined;

  /** The value as written, or the default; `undefined` when neither. */
  value(name: string): W | PyDefault | undefined {
    const v = this.written(name);
    if (v !== undefined) return v;
    if (name in this.rule.defaults) return this.rule.defaults[name];
    return undefined;
  }
}

/** Bound arguments of one layer call, read with Keras' defaults and type expectations. */
export class Args extends ArgumentLookup<Value> {
  /** Unknown values a rule tried to read, for `unresolved-value` diagnostics (a wrapped layer's go to its wrapper's). */
  readonly unresolvedRead: Set<Value & { kind: 'unknown' }>;

  constructor(
    rule: Rule,
    readonly call: LayerCall,
    wrapper?: Args,
  ) {
    super(rule);
    this.unresolvedRead = wrapper?.unresolvedRead ?? new Set();
  }

  protected written(name: string): Value | undefined {
    return this.call.args.get(name);
  }

  has(name: string): boolean {
    return this.call.args.has(name);
  }

  private known(name: string): Value | PyDefault | undefined {
    const v = this.value(name);
    if (v !== undefined && v !== null && typeof v === 'object' && !Array.isArray(v) && v.kind === 'unknown') {
      this.unresolvedRead.add(v);
      throw new Unresolved(v);
    }
    return v;
  }

  /** A plain value: number, string, boolean, null or an array of those. Throws Unresolved. */
  plain(name: string): PyDefault | undefined {
    return toPlain(this.known(name), (u) => {
      this.unresolvedRead.add(u);
      throw new Unresolved(u);
    });
  }

  /** An integer argument; NaN when it cannot be resolved, so shapes keep their rank. */
  int(name: string): number {
    try {
      const v = this.plain(name);
      if (typeof v === 'number') return v;
      if (typeof v === 'boolean') return Number(v);
      if (v === undefined || v === null) return NaN;
      throw new LayerError('invalid-argument', `Argument \`${name}\` must be a number. Received: ${name}=${pyRepr(v)}`);
    } catch (e) {
      if (e instanceof Unresolved) return NaN;
      throw e;
    }
  }

  /** An int or a tuple of `n` ints (Keras' `standardize_tuple`); unknown items become NaN. */
  ints(name: string, n: number): number[] {
    let v: PyDefault | undefined;
    try {
      v = this.plain(name);
    } catch (e) {
      if (e instanceof Unresolved) return new Array(n).fill(NaN);
      throw e;
    }
    const t = normalizeTuple(v, { n });
    if (Array.isArray(t)) {
      if (t.length !== n)
        throw new LayerError(
          'invalid-argument',
          `The \`${name}\` argument must be a tuple of ${n} integers. Received ${name}=${pyRepr(v)} including element(s) of the wrong count`,
        );
      return t.map((x) => (typeof x === 'number' ? x : NaN));
    }
    if (v === null || v === undefined) return new Array(n).fill(NaN);
    throw new LayerError('invalid-argument', `The \`${name}\` argument must be a tuple of ${n} integers. Received: ${name}=${pyRepr(v)}`);
  }

  /** A string argument, lower-cased where Keras lower-cases it. Throws Unresolved. */
  str(name: string): string {
    const v = this.plain(name);
    if (typeof v === 'string') return v;
    if (v === null || v === undefined) return '';
    throw new LayerError('invalid-argument', `Argument \`${name}\` must be a string. Received: ${name}=${pyRepr(v)}`);
  }

  /** Python's repr of the argument as written (`(2, 3)`, `[0.0]`), as Keras' messages print it; Unresolved where unknown. */
  repr(name: string): string {
    const v = this.written(name);
    if (v === undefined) return pyRepr(this.plain(name) ?? null);
    const text = reprOf(v);
    if (text === null) throw new Unresolved(v.kind === 'unknown' ? v : undefined);
    return text;
  }

  bool(name: string): boolean {
    const v = this.plain(name);
    return Boolean(v);
  }

  /** The wrapped layer of Bidirectional / TimeDistributed. */
  layer(name: string): LayerCall | null {
    const v = this.call.args.get(name);
    if (v && v.kind === 'layer') return v.layer;
    if (v && v.kind === 'unknown') {
      this.unresolvedRead.add(v);
      throw new Unresolved(v);
    }
    return null;
  }
}

function toPlain(v: Value | PyDefault | undefined, onUnknown: (u: Value & { kind: 'unknown' }) => never): PyDefault | undefined {
  if (v === undefined || v === null || typeof v !== 'object' || Array.isArray(v)) return v as PyDefault | undefined;
  switch (v.kind) {
    case 'number':
    case 'string':
    case 'bool':
      return v.value;
    case 'none':
      return null;
    case 'seq':
      return v.items.map((x) => {
        const p = toPlain(x, onUnknown);
        return p === undefined ? null : p;
      });
    case 'unknown':
      return onUnknown(v);
    case 'symbol':
      return v.path.split('.').pop() ?? v.path;
    default:
      return String(v.kind);
  }
}

/**
 * A config value (plain JSON) as Keras' constructor stores it: `3` → `[3, 3]`, ZeroPadding2D's `1` →
 * `[[1, 1], [1, 1]]` and `(1, 2)` → `[[1, 1], [2, 2]]`. Anything else (unknown, a tuple of the wrong
 * length, which the rule reports) is left as written.
 */
export function normalizeTuple(v: unknown, spec: TupleArg): unknown {
  const isNum = (x: unknown): x is number => typeof x === 'number';
  if (spec.pairs) {
    if (isNum(v)) return Array.from({ length: spec.n }, () => [v, v]);
    if (Array.isArray(v) && v.length === spec.n) return v.map((item) => (isNum(item) ? [item, item] : item));
    return v;
  }
  return isNum(v) ? new Array(spec.n).fill(v) : v;
}

/** Product of dims; NaN when one is unknown, null when one is None. */
export function product(dims: readonly Dim[]): number | null {
  let p = 1;
  for (const d of dims) {
    if (d === null) return null;
    p *= d;
  }
  return p;
}

/** The input's shape, or Unresolved when its rank is unknown. */
export function requireInput(ctx: LayerContext): InternalShape {
  if (!ctx.input) throw new Unresolved();
  return ctx.input;
}

/**
 * The shapes of the tensors a layer that takes several was called on: `ctx.inputs`, or the one tensor it got.
 * Unresolved when one of them is unknown: what depends on an unknown is unknown, not an error.
 */
export function calledInputs(ctx: LayerContext): InternalShape[] {
  if (ctx.inputs) return ctx.inputs;
  if ((ctx.called?.tensors ?? 1) !== 1 || !ctx.input) throw new Unresolved();
  return [ctx.input];
}

/** The input's last dimension as a number: NaN when unknown. */
export function lastDim(ctx: LayerContext): number {
  if (!ctx.input) return NaN;
  const d = ctx.input[ctx.input.length - 1];
  return d === null ? NaN : d;
}

export function dataFormat(args: Args): 'channels_last' | 'channels_first' {
  if (!('data_format' in args.rule.defaults)) return 'channels_last';
  let f = '';
  try {
    f = args.str('data_format');
  } catch (e) {
    if (!(e instanceof Unresolved)) throw e;
  }
  return f === 'channels_first' ? 'channels_first' : 'channels_last';
}

/** Indices of the spatial axes of a shape of rank `rank` (batch included). */
export function spatialAxes(rank: number, format: 'channels_last' | 'channels_first'): number[] {
  const axes: number[] = [];
  for (let i = format === 'channels_first' ? 2 : 1; i < (format === 'channels_first' ? rank : rank - 1); i++) axes.push(i);
  return axes;
}

export function channelAxis(rank: number, format: 'channels_last' | 'channels_first'): number {
  return format === 'channels_first' ? 1 : rank - 1;
}

/** The rank check of Keras' InputSpec, in its words. */
export function inputSpecError(rule: Rule, input: InternalShape, name: string): string | null {
  const spec = rule.inputSpec;
  if (!spec) return null;
  const ndim = input.length;
  const head = `Input 0 of layer "${name}" is incompatible with the layer:`;
  if (spec.ndim !== undefined && ndim !== spec.ndim) return `${head} expected ndim=${spec.ndim}, found ndim=${ndim}. Full shape received: ${shapeRepr(input)}`;
  if (spec.minNdim !== undefined && ndim < spec.minNdim)
    return `${head} expected min_ndim=${spec.minNdim}, found ndim=${ndim}. Full shape received: ${shapeRepr(input)}`;
  if (spec.maxNdim !== undefined && ndim > spec.maxNdim)
    return `${head} expected max_ndim=${spec.maxNdim}, found ndim=${ndim}. Full shape received: ${shapeRepr(input)}`;
  return null;
}

/**
 * Keras 3.15's words when a layer's InputSpec refuses the rank of an unnamed input (ConvLSTM, STFTSpectrogram),
 * naming the layer as written or by its default name.
 */
export function ndimError(ctx: LayerContext, ndim: number): LayerError {
  const input = ctx.input ?? [];
  const written = ctx.args.call.args.get('name');
  const name = written?.kind === 'string' ? written.value : toSnakeCase(ctx.args.rule.type);
  return new LayerError(
    'incompatible-rank',
    `Input 0 with name 'None' of layer '${name}' is incompatible with the layer: expected ndim=${ndim}, found ndim=${input.length}. Full shape received: ${shapeRepr(input)}`,
  );
}

/** Keras' `to_snake_case`: the default layer name of a class (`MaxPooling2D` → `max_pooling2d`). */
export function toSnakeCase(name: string): string {
  let snake = snakeCases.get(name);
  if (snake === undefined) {
    const s = name
      .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
      .replace(/([a-z])([A-Z])/g, '$1_$2')
      .toLowerCase();
    snake = s.startsWith('_') ? `private${s}` : s;
    // Class names: the catalogue's and the file's, a few hundred at most (cleared past that, should a file hold more).
    if (snakeCases.size >= 1000) snakeCases.clear();
    snakeCases.set(name, snake);
  }
  return snake;
}

/** toSnakeCase's answers: every layer without a name takes one from its class name, thousands per file. */
const snakeCases = new Map<string, string>();

/** Forgets them (clearParseCache: a cold analysis starts without them, as the editor's first one does). */
export function clearSnakeCases(): void {
  snakeCases.clear();
}
