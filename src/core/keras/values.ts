/**
 * The Keras objects the evaluator's host (keras/) adds to Python's values: layers, Keras tensors, Sequential and
 * Functional models. `python/values.ts` knows none of them; this file adds them to `Value` through `HostValues`
 * (TypeScript's module augmentation), so that the Python evaluator stays free of Keras and every Keras file still
 * sees one `Value` type.
 */
import type { Value } from '../python/values';

declare module '../python/values' {
  interface HostValues {
    layer: { kind: 'layer'; layer: LayerCall };
    /** A Keras tensor of a Functional graph: the output of one node (an Input, or a layer called on tensors). */
    symbolic: {
      kind: 'symbolic';
      node: GraphNode;
      /** Which of the node's outputs, for a layer that returns several (`out, h, c = LSTM(8, return_state=True)(x)`); absent: the first. */
      output?: number;
    };
    /** `keras.Model(inputs, outputs)`: a Functional model. */
    functional: { kind: 'functional'; model: FunctionalBuilder };
    model: { kind: 'model'; model: ModelBuilder };
    /** A method of a Sequential model (`model.add`). */
    method: { kind: 'method'; model: ModelBuilder; method: string };
  }
  /** What a class of the file is to Keras. */
  interface LocalClassFacts {
    /** A class subclassing a Keras layer: the parent's class name, and the methods the subclass (chain) defines. */
    layerBase?: { type: string; overrides: string[] };
    /**
     * A class subclassing `keras.Model` (directly or through classes of the file): whether its `__init__` hands a
     * graph to Keras (`super().__init__(inputs, outputs)`), so that each instance is a Functional model.
     */
    modelBase?: { functionalInit: boolean };
    /** A class subclassing `keras.layers.Layer` itself (directly or through classes of the file): its `call()` may be followed. */
    customLayer?: true;
  }
}

/** The kinds of value this file adds: the Python evaluator hands each to its host (keras/interpreter.ts). */
export type KerasValue = Value & { kind: 'layer' | 'symbolic' | 'functional' | 'model' | 'method' };

/** A layer constructor call found in the source, with its arguments bound to names. */
export interface LayerCall {
  /** Canonical Keras class name, or the name as written when the layer is not Keras'. */
  type: string;
  /** What kind of layer the call makes, which decides how the analysis treats it. */
  origin: 'keras' | 'keras-unknown' | 'custom' | 'unknown';
  /** Arguments bound by name (positional ones already mapped to Keras' order); unknown for `*args`. */
  args: Map<string, Value>;
  /** Extra positional arguments the signature has no name for. */
  extraPositional: number;
  /** `**kwargs` passed: any argument may have been set there. */
  hasStarKwargs: boolean;
  from: number;
  to: number;
  /** Offsets of the callee name, for diagnostics that point at the layer's name. */
  calleeFrom: number;
  calleeTo: number;
  /** Start of the statement that made it: an Input's `# layerlens:` comment is on the line above that. */
  statementFrom?: number;
  /** The call of a function of the file whose body made it (the innermost), if one did: tells a function called twice from a loop. */
  via?: { function: string; from: number; to: number };
  /** Notes about how the call was read (an old Keras spelling), reported with the model's diagnostics. */
  notes?: { severity: 'information'; code: string; message: string; from: number; to: number }[];
  /** The user's class when it subclasses this Keras layer and keeps its rules (`StandardizedConv2D`). */
  subclass?: string;
  /** An instance of a class of the file whose classes define neither `__bool__` nor `__len__`: it is true. */
  truthy?: true;
  /** For a custom layer: why LayerLens cannot read it, when more is known than that it is custom. */
  customWhy?: string;
  /** Arithmetic on Keras tensors (`x + y`): an operation Keras prints as a row, not a layer. */
  operation?: boolean;
  /**
   * The Python operator that made the operation (`+`, `-` for negation `neg`, `@`, `[]` for slicing): tf.keras 2
   * names its row after the TensorFlow function the operator calls (keras/versions.ts `keras2OpRow`).
   */
  operator?: string;
  /**
   * A call LayerLens does not evaluate, on Keras tensors (`tf.nn.swish(x)`, `ops.tile(x, ...)`): the call's text,
   * whether the function is known to keep its input's shape (elementwise) and known to make no weights.
   */
  unknownCall?: { text: string; keepsShape: boolean; weightless: boolean };
  /**
   * An operation LayerLens evaluates (`tf.expand_dims(x, -1)`, `x[:, -1]`, `ops.mean(x, axis=1)`): its shape rule's
   * kind (layers/ops.ts), the base of its row's name, and whether TensorFlow's rules apply (else NumPy's, Keras 3's).
   */
  op?: { kind: string; name: string; tf: boolean; tfName?: string };
  /**
   * A `Lambda` whose function LayerLens ran on a placeholder tensor (`input`): the tensor it returned, made of
   * operations only, whose shape follows the layer's input; or why the function could not be followed.
   */
  traced?: { input: GraphNode; output: GraphNode; index: number } | { why: string; from: number; to: number };
  /**
   * An instance of a custom `Layer` subclass whose `call()` LayerLens may follow: runs `build` and `call` for the
   * shapes of the tensors it is called on (how it is called: one tensor, a list or tuple, several arguments); null
   * where an input's shape is unknown.
   */
  custom?: (inputs: (number | null)[][], form: 'one' | 'list' | 'tuple' | 'arguments') => CustomTrace | null;
}

/**
 * A custom layer's `call()` run on placeholders: its graph from them (`given` holds the shapes of the placeholders
 * and of the constants it made: weights, `tf.range`, random noise) and the weights `add_weight` / `tf.Variable`
 * made (NaN where a size is unknown; trainable null where unknown); or why it could not be followed, with the shape
 * `compute_output_shape` gives, where it does.
 */
export type CustomTrace =
  | {
      inputs: GraphNode[];
      output: GraphNode;
      index: number;
      given: Map<GraphNode, (number | null)[]>;
      weights: { params: number; trainable: boolean | null }[];
    }
  | { why: string; from: number; to: number; declared?: (number | null)[] };

export interface AddedLayer {
  value: Value;
  from: number;
  to: number;
  /** Added inside an if/for/while relative to where the model was made: its presence is uncertain. */
  conditional: boolean;
  /** Text of the control-flow keyword that makes it conditional (`for`, `if`, `while`). */
  conditionalKeyword?: string;
  /** Why that control flow could not be decided (the condition or iterable, and the reason), for the diagnostic. */
  conditionalWhy?: string;
}

export interface ModelBuilder {
  /** The name shown: `name=` if given, else the variable, else the enclosing function, else `sequential`. */
  name: string;
  /** `name=` was given: a call site's variable does not rename it. */
  explicitName: boolean;
  /** Built by a call of a function in the file (its name and the call's offsets), or by running it with its defaults (no call). */
  builtBy?: {
    function: string;
    call: { from: number; to: number } | null;
    /** For a function nothing calls: where the file passes it on (`RandomSearch(build_model, ...)`), to code LayerLens does not run. */
    passed?: { from: number; to: number };
    /** For a method no followed call runs: where the file calls it on an object LayerLens cannot follow (`make().build()`). */
    calledOn?: { from: number; to: number };
    /** The search space's first values stood in for `hp.Int(...)` and the like (a Keras Tuner model-building function). */
    tuner?: true;
  };
  /** Offsets of the `Sequential(...)` call. */
  from: number;
  to: number;
  layers: AddedLayer[];
  /** `model.trainable = False` after it was built: every weight in it is non-trainable (as `conv_base` in the book). */
  trainable?: Value;
  /** `model.build(shape)`, or the shape of a tensor the model was called on (`model(ops.ones((1, 4)))`), batch included. */
  build?: { value: Value; from: number; to: number };
  /** Offset of the start of the statement that made the model, for the `# layerlens:` comment above it. */
  statementFrom: number;
  conditionalDepth: number;
  notes: { code: string; severity: 'error' | 'warning' | 'information'; message: string; from: number; to: number }[];
}

/** One call of a layer on tensors in a Functional graph (or an Input). Ids follow creation, so a node's inputs are older than it. */
export interface GraphNode {
  id: number;
  /** The layer called (for an Input, its InputLayer call), or a Sequential or Functional model used as a layer. */
  layer: LayerCall | ModelBuilder | FunctionalBuilder;
  inputs: GraphNode[];
  /**
   * A call on several tensors: as a list or tuple (`Add()([x, y])`) or as separate arguments (`mha(q, v)`), and
   * the values among them that are not Keras tensors LayerLens followed (`add([x, foo(x)])`): they count as
   * tensors of unknown shape. Absent for a call on one tensor.
   */
  called?: { form: 'list' | 'tuple' | 'arguments'; unknown: (Value & { kind: 'unknown' })[] };
  /** Which output of each input the call takes, parallel to `inputs` (`initial_state=[h, c]` takes an LSTM's outputs 1 and 2); absent: each one's first. */
  inputOutputs?: number[];
  /**
   * How many of `inputs`, at their end, came from keyword arguments (`initial_state=[h, c]`, `mask=m`): edges of
   * the graph, as Keras lists them, that the layer's shape rule does not take as its input.
   */
  keywordInputs?: number;
  /** Offsets of the call (`layers.Dense(4)(x)`, `keras.Input(...)`). */
  from: number;
  to: number;
}

export interface FunctionalBuilder {
  name: string;
  explicitName: boolean;
  inputs: GraphNode[];
  outputs: GraphNode[];
  /** Which output of each of `outputs` the model returns, parallel to it (`keras.Model(inputs, [h, c])`); absent: each one's first. */
  outputIndices?: number[];
  /** Offsets of the `keras.Model(...)` call. */
  from: number;
  to: number;
  builtBy?: ModelBuilder['builtBy'];
  notes: ModelBuilder['notes'];
  /** `conv_base.trainable = False` after it was built: every weight in it is non-trainable. */
  trainable?: Value;
  /** Made by a `keras.applications` architecture (`VGG16`): its layers are the architecture's, all at the call. */
  application?: string;
}

/**
 * Python's truth of a Keras object: a Keras layer or model is true (neither Layer nor Model defines `__bool__` or
 * `__len__`); a Keras tensor is not known (Keras refuses it as a bool). An instance of a class of the file is a 'layer'
 * of origin 'custom'; its class may define them, so it is not known, unless its class is plain (`truthy`).
 */
export function kerasTruth(v: Value): boolean | null {
  switch (v.kind) {
    case 'layer':
      return (v.layer.origin === 'keras' || v.layer.origin === 'keras-unknown' || v.layer.truthy) && !v.layer.operation ? true : null;
    case 'model':
    case 'functional':
      return true;
    default:
      return null;
  }
}

/** A layer's configuration value as JSON (see toJson): a layer given as an argument is its class name. */
export function kerasJson(v: Value): unknown {
  return v.kind === 'layer' ? v.layer.type : null;
}
