/**
 * Converts analysed layers into tfjs-layers serialisations (`{ className, config }` with tfjs' camelCase
 * keys and values, as `tf.serialization` / `Sequential.fromConfig` read them), so that a model read from
 * Python can be rebuilt with `tf.sequential`. Pure: no tfjs import, no DOM, no vscode.
 *
 * Each layer's mapping lives with its rule (`Rule.tfjs` in `src/core/layers/`); this module holds what the
 * mappings share: the `Reader` of a layer's arguments (as written, else Keras' default from the rule), Keras'
 * activation names in tfjs' words, the wrappers' inner layer, and what every layer gets (its name, `trainable`,
 * the first layer's `batchInputShape`).
 *
 * A layer converts only where tfjs computes the same thing as Keras, in a model. Where tfjs has no such
 * layer or option (GRU with Keras' default `reset_after=True`, grouped convolutions, Conv1DTranspose, 1D/3D
 * padding…), or has it but builds or runs it wrong in tfjs-layers 4.22 (Resizing, CenterCrop, causal or
 * channels_first Conv1D, Cropping2D of a None dimension, normalisation on rank > 4…), the result is
 * `{ unsupported }` with the reason in plain words. Where tfjs' defaults differ from Keras' (recurrent
 * activation, LSTM's unit_forget_bias), Keras' are written out. Keras' defaults come from the layer
 * catalogue, because an analysed layer's `config` holds only its signature's arguments and the ones the
 * source wrote. test/unit/oracle.test.ts and randomModels.test.ts check the conversions against tfjs.
 */
import { ruleFor } from '../layers/catalogue';
import { tfjsInitializer, tfjsKey } from './initializers';
import { ArgumentLookup, normalizeTuple, type Rule } from '../layers/rule';
import type { LayerResult, ModelResult, Shape } from '../types';

/** One tfjs layer, as `tf.serialization` deserialises it. */
export interface TfjsLayerConfig {
  className: string;
  config: Record<string, unknown>;
}

export interface TfjsUnsupported {
  unsupported: string;
}

export type TfjsConversion = TfjsLayerConfig | TfjsUnsupported;

/** What `toTfjs` reads of a layer: an analysed layer, or the `inner` of a wrapper. */
export interface LayerSpec {
  type: string;
  /** A subclass that keeps its Keras parent's rules is built as that parent. */
  baseType?: string;
  config: Record<string, unknown>;
  inner?: { type: string; config: Record<string, unknown> };
  name?: string;
  /** With the batch dimension; used where tfjs' support depends on the input (its rank, None dimensions). */
  inputShape?: Shape | null;
  /** With the batch dimension; gives Reshape's -1 its value. */
  outputShape?: Shape | null;
  /** Functional models: the layers each call takes its tensors from (how many tensors a merge layer gets). */
  inbound?: string[][];
  /** An operation on tensors (`ops.reshape(x, ...)`), which shares its type with a layer (`Reshape`) but not its arguments. */
  operation?: boolean;
}

export interface ToTfjsOptions {
  /** Put this input shape (batch dimension first) on the layer as `batchInputShape`: the first layer of a model. */
  batchInputShape?: Shape;
  /** Leave out the layer's `name` (tfjs then makes a unique one). Default: the analysed layer's name is kept. */
  omitName?: boolean;
  /**
   * Also convert Resizing and CenterCrop, which tfjs 4.22 computes correctly on a tensor given to the layer
   * itself but not inside a model: Resizing's symbolic output shape is wrong (so `tf.sequential` cannot build
   * the layers after it) and its call fails there; CenterCrop overwrites its input's symbolic shape with its
   * output's (so the model's input shape is wrong). Default: refused.
   */
  allowWrongSymbolicShape?: boolean;
}

export interface UnsupportedLayer {
  index: number;
  name: string;
  type: string;
  reason: string;
}

export interface TfjsModelConfig {
  name: string;
  /**
   * The layers for `tf.sequential`, in order, the first with the model's input shape as `batchInputShape`.
   * They stop before the first layer that cannot be converted, so they always make a buildable model
   * (the model's first layers); `layers.length === model.layers.length` when every layer converted.
   */
  layers: TfjsLayerConfig[];
  /** Every layer that could not be converted, with the reason. */
  unsupported: UnsupportedLayer[];
  /** Set when no model can be built at all, whatever the layers: the input shape is unknown. */
  reason?: string;
}

export function isUnsupported(c: TfjsConversion): c is TfjsUnsupported {
  return 'unsupported' in c;
}

/** A reason to refuse a layer, thrown by the Reader and the rules' mappings, and turned into `{ unsupported }`. */
class NoEquivalent extends Error {}

/** Converts one analysed layer (or a wrapper's inner layer) to its tfjs serialisation. */
export function toTfjs(spec: LayerSpec, options: ToTfjsOptions = {}): TfjsConversion {
  const layer = spec.baseType ? { ...spec, type: spec.baseType } : spec;
  try {
    const out = convert(layer, options);
    if (!options.omitName && layer.name && layer.name !== '?') out.config.name = layer.name;
    if (layer.config.trainable === false) out.config.trainable = false;
    if (options.batchInputShape) out.config.batchInputShape = options.batchInputShape.slice();
    return out;
  } catch (e) {
    if (e instanceof NoEquivalent) return { unsupported: e.message };
    throw e;
  }
}

/** The tfjs serialisation of a Functional model's Input row: `tf.input` with the row's shape, batch dimension first. */
export function toTfjsInput(layer: Pick<LayerResult, 'name' | 'outputShape'>): TfjsConversion {
  if (!layer.outputShape) return { unsupported: 'LayerLens could not work out this input’s shape.' };
  return { className: 'InputLayer', config: { batchInputShape: layer.outputShape.slice(), name: layer.name } };
}

/** The model's layers as tfjs serialisations for `tf.sequential`, with the layers that could not be converted. */
export function toTfjsModelConfig(model: ModelResult): TfjsModelConfig {
  const result: TfjsModelConfig = { name: model.name, layers: [], unsupported: [] };
  if (model.kind === 'functional') result.reason = 'A Functional model is not a tf.sequential: the preview builds it from its graph (graphCalls).';
  else if (!model.inputShape) result.reason = 'The model has no input shape, and tf.sequential needs one on its first layer.';
  let complete = !result.reason;
  model.layers.forEach((layer, index) => {
    let conversion: TfjsConversion;
    if (!layer.outputShape) conversion = { unsupported: 'LayerLens could not work out this layer’s output shape.' };
    else conversion = toTfjs(layer, index === 0 && model.inputShape ? { batchInputShape: model.inputShape } : {});
    if (isUnsupported(conversion)) {
      result.unsupported.push({ index, name: layer.name, type: layer.type, reason: conversion.unsupported });
      complete = false;
    } else if (complete) result.layers.push(conversion);
  });
  return result;
}

/** The layer's rule's mapping (`Rule.tfjs`), or the reason there is none. */
function convert(spec: LayerSpec, options: ToTfjsOptions): TfjsLayerConfig {
  const type = spec.type;
  if (type === 'Sequential') refuse('A nested Sequential model has no single-layer tfjs equivalent.');
  if (type === 'Lambda') refuse('A Lambda layer runs Python code, which the preview cannot run.');
  if (type === 'Functional') refuse('A Functional model used as a layer (a pretrained base) has no single-layer tfjs equivalent.');
  if (type === 'InputLayer') refuse('An InputLayer after the first layer has no tfjs equivalent in a Sequential model.');
  if (type === '?') refuse('This is not a layer LayerLens can read.');
  const rule = ruleFor(type);
  if (!rule) return refuse(`LayerLens does not know the layer \`${type}\`.`);
  if (spec.operation && !TFJS_OPERATIONS.has(type)) refuse(`tfjs has no ${type} operation.`);
  if (!rule.tfjs) return refuse(`tfjs has no ${type} layer.`);
  if (typeof rule.tfjs !== 'function') return refuse(rule.tfjs.unsupported);
  const reader = new Reader(rule, spec, options);
  const out = rule.tfjs(reader);
  for (const arg of rule.initializers ?? []) out.config[tfjsKey(arg)] = tfjsInitializer(arg, reader.get(arg));
  return out;
}

/** Operations on tensors that tfjs builds as the merge layer of the same name (`x + y` as `Add`); no other operation is a tfjs layer. */
const TFJS_OPERATIONS = new Set(['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum']);

function refuse(reason: string): never {
  throw new NoEquivalent(reason);
}

/**
 * A layer's arguments for its rule's tfjs mapping: as written, else Keras' default from the rule (the lookup
 * the rules' `Args` makes, on the analysed layer's plain JSON config). Where a value has no tfjs equivalent or
 * is not known statically, the read refuses the layer with the reason.
 */
export class Reader extends ArgumentLookup<unknown> {
  constructor(
    rule: Rule,
    readonly spec: LayerSpec,
    readonly options: ToTfjsOptions,
  ) {
    super(rule);
  }

  protected written(name: string): unknown {
    return name in this.spec.config ? this.spec.config[name] : undefined;
  }

  /** The value, `undefined` when neither written nor defaulted. */
  get(name: string): unknown {
    return this.value(name);
  }

  /** Whether the argument has a value other than None (as written or by default). */
  has(name: string): boolean {
    const v = this.get(name);
    return v !== undefined && v !== null;
  }

  /** Refuses the layer: tfjs cannot compute it as Keras does, for `reason`. */
  refuse(reason: string): never {
    return refuse(reason);
  }

  /** Refuses the layer for the value of `name`: not known statically, or without a tfjs equivalent. */
  refuseValue(name: string, v: unknown = this.get(name)): never {
    return refuse(v === null || v === undefined ? `\`${name}\` is not known statically.` : `\`${name}=${JSON.stringify(v)}\` has no tfjs equivalent.`);
  }

  int(name: string): number {
    const v = this.get(name);
    if (typeof v === 'boolean') return Number(v);
    if (typeof v !== 'number' || !Number.isInteger(v)) return this.refuseValue(name, v);
    return v;
  }

  num(name: string): number {
    const v = this.get(name);
    if (typeof v === 'boolean') return Number(v);
    if (typeof v !== 'number') return this.refuseValue(name, v);
    return v;
  }

  /** An int or a tuple of `n` ints (Keras' `standardize_tuple`, as `normalizeTuple`), as an array of `n`. */
  ints(name: string, n: number): number[] {
    const v = this.get(name);
    const t = normalizeTuple(v, { n });
    if (Array.isArray(t) && t.length === n && t.every(isInt)) return t.slice() as number[];
    return this.refuseValue(name, v);
  }

  /** `(before, after)` pairs per spatial axis, as Keras normalises ZeroPadding/Cropping arguments (`normalizeTuple`). */
  pairs(name: string, rank: number): [number, number][] {
    const v = this.get(name);
    const t = normalizeTuple(v, { n: rank, pairs: true });
    if (Array.isArray(t) && t.length === rank && t.every((p) => Array.isArray(p) && p.length === 2 && isInt(p[0]) && isInt(p[1])))
      return t.map((p: number[]) => [p[0], p[1]]);
    return this.refuseValue(name, v);
  }

  /** Python truthiness of the argument, as the rules read it (None is false). */
  bool(name: string): boolean {
    return Boolean(this.get(name));
  }

  str(name: string): string | null {
    const v = this.get(name);
    if (v === null || v === undefined) return null;
    if (typeof v !== 'string') return this.refuseValue(name, v);
    return v;
  }

  /** tfjs' name for a Keras activation argument. Names tfjs lacks, or computes differently, are refused. */
  activation(name = 'activation'): string {
    const v = this.get(name);
    if (v === null || v === undefined) return 'linear';
    if (typeof v !== 'string') return this.refuseValue(name, v);
    const tfjs = ACTIVATIONS[v];
    if (tfjs) return tfjs;
    if (v === 'hard_sigmoid') refuse('Keras 3’s hard_sigmoid is relu6(x + 3) / 6; tfjs’ hardSigmoid is Keras 2’s 0.2·x + 0.5.');
    return refuse(`tfjs has no activation \`${v}\`.`);
  }

  dataFormat(): 'channelsLast' | 'channelsFirst' {
    const f = this.str('data_format');
    if (f === null) return 'channelsLast';
    switch (f.toLowerCase()) {
      case 'channels_last':
        return 'channelsLast';
      case 'channels_first':
        return 'channelsFirst';
    }
    return this.refuseValue('data_format', f);
  }

  /** The `padding` argument, lower-cased; refused unless tfjs' layer has it (`allowed`). */
  padding(allowed: string[]): string {
    const p = (this.str('padding') ?? 'valid').toLowerCase();
    if (!allowed.includes(p)) refuse(`tfjs’ layer has no padding="${p}".`);
    return p;
  }

  /** How many tensors each call of the layer takes (1 outside a Functional model). */
  tensorCount(): number {
    return Math.min(...(this.spec.inbound?.length ? this.spec.inbound.map((c) => c.length) : [1]));
  }

  /** A wrapper's layer, converted; `shapes` are the ones it sees. */
  inner(wrapper: string, shapes: Pick<LayerSpec, 'inputShape' | 'outputShape'>): TfjsLayerConfig {
    if (!this.spec.inner) return refuse(`${wrapper} wraps no layer LayerLens can read.`);
    const spec: LayerSpec = { ...this.spec.inner, ...shapes };
    const c = toTfjs(spec, { omitName: true, allowWrongSymbolicShape: this.options.allowWrongSymbolicShape });
    if (isUnsupported(c)) refuse(`${wrapper}(${spec.type}): ${c.unsupported}`);
    // Keras freezes the wrapped layer with its wrapper; tfjs' wrappers ignore their own `trainable`.
    if (this.spec.config.trainable === false) c.config.trainable = false;
    return c;
  }
}

function isInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x);
}

/** Keras activation names → tfjs'. Names tfjs lacks, or computes differently, are refused. */
const ACTIVATIONS: Record<string, string> = {
  linear: 'linear',
  relu: 'relu',
  relu6: 'relu6',
  sigmoid: 'sigmoid',
  softmax: 'softmax',
  log_softmax: 'logSoftmax',
  softplus: 'softplus',
  softsign: 'softsign',
  tanh: 'tanh',
  elu: 'elu',
  selu: 'selu',
  // Keras' `gelu` activation is the exact (erf) form, as tfjs' `gelu`.
  gelu: 'gelu',
  mish: 'mish',
  swish: 'swish',
  silu: 'swish',
};
